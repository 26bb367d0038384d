-- One row per province of a national ranking of the portal (stg_portal_scores, in_national) ×
-- period × capture, as published and in the portal's order (position), with its rank by total
-- among the ranking's provinces (portal_scores: competition ranking, computed here). The
-- country's own figures (its overview) are not a province: stg_portal_scores, level national.
-- reads: portal_scores, stg_portal_scores
with provinces as (
    select *
    from stg_portal_scores
    where level = 'province' and in_national
),

final as (
    select
        p.portal_code,
        p.portal_id,
        p.name,
        p.period,
        p.period_type,
        p.captured_at,
        p.complete,
        p.position,
        p.total,
        p.CKMB,
        p.TDGQ,
        p.CLGQ,
        p.TTTT,
        p.MDSH,
        p.MDHL,
        p.score_delta,
        s.rank,
        s.rank_of
    from provinces as p
    inner join portal_scores as s
        on s.portal_code = p.portal_code and s.period = p.period and s.captured_at = p.captured_at
)

select * from final
order by period, captured_at, position
