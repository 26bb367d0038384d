-- At most one row: the country's own figures (the overview of the national ranking, level
-- national in stg_portal_scores) in the capture /toan-quoc/ shows (page_portal_national), as
-- published: its total and the six groups where the portal gives them (its overview may lack
-- them). Empty without a national ranking. Used by the pages only.
-- reads: page_portal_national, stg_portal_scores
--
-- Columns: name, period, complete, captured_at, total, CKMB … MDHL, provinces (how many the
-- ranking lists)
with shown as (
    select any_value(period) as period, any_value(captured_at) as captured_at, count(*) as provinces
    from page_portal_national
),

final as (
    select
        coalesce(s.name, 'Cả nước') as name,
        s.period,
        s.complete,
        s.captured_at,
        s.total,
        s.CKMB,
        s.TDGQ,
        s.CLGQ,
        s.TTTT,
        s.MDSH,
        s.MDHL,
        h.provinces
    from stg_portal_scores as s
    inner join shown as h on h.period = s.period and h.captured_at = s.captured_at
    where s.level = 'national'
)

select * from final
limit 1
