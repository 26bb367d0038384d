-- One row per capture of a unit's year-to-date evaluation (portal_scores, period_type year), for
-- the unit's page: how its official score moved across captures (total, the six groups, rank
-- within its level), oldest first. A capture that gives only the unit's total (the overview above
-- a details file) is left out when another gives its groups. Used by the pages only.
-- reads: page_portal_units, portal_scores
--
-- Columns: portal_code, period, captured_at, complete, total, CKMB … MDHL, rank, rank_of
with final as (
    select
        s.portal_code,
        s.period,
        s.captured_at,
        s.complete,
        s.total,
        s.CKMB,
        s.TDGQ,
        s.CLGQ,
        s.TTTT,
        s.MDSH,
        s.MDHL,
        s.rank,
        s.rank_of
    from portal_scores as s
    inner join page_portal_units as u on u.portal_code = s.portal_code
    where s.period_type = 'year'
    qualify s.CKMB is not null or count(s.CKMB) over (partition by s.portal_code) = 0
)

select * from final
order by portal_code, period, captured_at
