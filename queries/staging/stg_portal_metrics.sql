-- One row per row of a unit's indicator block in the portal's details (raw_portal_metrics) ×
-- period × capture, as published: the block's own row (row_type group: the group's score,
-- maximum and ratio) and each metric (row_type metric: code, name, numerator, denominator, ratio
-- in percent, points, maximum, data-quality status and message). group: CKMB … MDHL (the block
-- ONLINE_… is CLGQ); block: its name as published. The rows of the files of one capture are one
-- row (the reader stopped the build where their values differ: max() keeps the value one file
-- left out). Unknown codes are kept. captured_at: local time (as stg_portal_captures).
-- reads: raw_portal_metrics, stg_portal_captures
with joined as (
    select
        m.*,
        c.period_type,
        c.period,
        c.captured_at,
        c.complete
    from raw_portal_metrics as m
    inner join stg_portal_captures as c on c.file = m.file
),

final as (
    select
        portal_code,
        period,
        period_type,
        captured_at,
        any_value(complete) as complete,
        group_code as "group",
        row_type,
        metric_code as metric,
        arg_min(block, file) as block,
        min(position) as position,
        max(metric_name) as metric_name,
        max(numerator) as numerator,
        max(denominator) as denominator,
        max(ratio) as ratio,
        max(score) as points,
        max(max_score) as max_points,
        max(quality_status) as quality_status,
        max(quality_message) as quality_message
    from joined
    group by portal_code, period, period_type, captured_at, group_code, row_type, metric_code
)

select * from final
