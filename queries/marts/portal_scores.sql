-- One row per unit (the province itself included, not the country) × period × capture of the
-- national portal's evaluation, as published (stg_portal_scores): total, the six groups,
-- score_delta; nothing corrected (portal_checks lists what does not add up). rank and rank_of:
-- the unit's place by total among the units of its level listed in the same capture (a
-- province's departments, its communes; the provinces of a national ranking), competition
-- ranking (1, 2, 2, 4) computed here (the crawler's ranks are its own, not the portal's); empty
-- for a unit that is only the overview above a list of its units, or has no total.
-- reads: stg_portal_scores
with units as (
    select
        *,
        listed and total is not null as ranked,
        case when level <> 'province' then province_code end as ranked_within
    from stg_portal_scores
    where level <> 'national'
),

final as (
    select
        portal_code,
        period,
        period_type,
        captured_at,
        complete,
        level,
        province_code,
        total,
        CKMB,
        TDGQ,
        CLGQ,
        TTTT,
        MDSH,
        MDHL,
        score_delta,
        case when ranked then rank() over ranking end as rank,
        case when ranked then count(*) over ranking end as rank_of
    from units
    window ranking as (
        partition by ranked, level, ranked_within, period, captured_at order by total desc
        rows between unbounded preceding and unbounded following
    )
)

select * from final
order by portal_code, period, captured_at
