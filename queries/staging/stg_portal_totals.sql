-- One row per other published count of a unit's block in the portal's details (raw_portal_totals:
-- TTTT's totalDossierOnlinePaymentSuccess …, MDHL's totalPetitions …, unknown names too) × period
-- × capture, as published: group (CKMB … MDHL), name (as published) and value. The files of one
-- capture are one row (as stg_portal_metrics). captured_at: local time.
-- reads: raw_portal_totals, stg_portal_captures
with joined as (
    select
        t.*,
        c.period_type,
        c.period,
        c.captured_at
    from raw_portal_totals as t
    inner join stg_portal_captures as c on c.file = t.file
),

final as (
    select
        portal_code,
        period,
        period_type,
        captured_at,
        group_code as "group",
        name,
        max(value) as value
    from joined
    group by portal_code, period, period_type, captured_at, group_code, name
)

select * from final
