-- One row per unit × period × capture of the TDGQ block (processing progress) in the portal's
-- details (raw_portal_tdgq), as published: dossiers received, on time and overdue (received =
-- on time + overdue in the real captures), average processing days, ratio (100 × on time /
-- received), points and maximum. The files of one capture are one row (as stg_portal_metrics).
-- captured_at: local time.
-- reads: raw_portal_tdgq, stg_portal_captures
with joined as (
    select
        t.*,
        c.period_type,
        c.period,
        c.captured_at,
        c.complete
    from raw_portal_tdgq as t
    inner join stg_portal_captures as c on c.file = t.file
),

final as (
    select
        portal_code,
        period,
        period_type,
        captured_at,
        any_value(complete) as complete,
        arg_min(block, file) as block,
        max(received) as received,
        max(on_time) as on_time,
        max(overdue) as overdue,
        max(avg_days) as avg_days,
        max(ratio) as ratio,
        max(score) as points,
        max(max_score) as max_points
    from joined
    group by portal_code, period, period_type, captured_at
)

select * from final
