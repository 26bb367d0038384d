-- to_handle = carried_over + received_new (methodology §2), and it is the count that
-- dim_agency_periods ranks on.
-- reads: agency_period_metrics, dim_agency_periods
select
    m.agency_id,
    m.period,
    format(
        '{} ({}), kỳ {}: tổng phải giải quyết {} ≠ kỳ trước chuyển sang {} + tiếp nhận mới {} '
        || '(danh mục kỳ: {})',
        m.agency_name, m.agency_id, m.period, m.to_handle, m.carried_over, m.received_new,
        d.to_handle
    ) as problem
from agency_period_metrics as m
left join dim_agency_periods as d on d.agency_id = m.agency_id and d.period = m.period
where m.to_handle is distinct from m.carried_over + m.received_new
    or m.to_handle is distinct from d.to_handle
