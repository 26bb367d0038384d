-- resolved = resolved_early + resolved_on_time + resolved_late (methodology §2).
-- reads: agency_period_metrics
select
    agency_id,
    period,
    format(
        '{} ({}), kỳ {}: đã giải quyết {} ≠ trước hạn {} + đúng hạn {} + quá hạn {}',
        agency_name, agency_id, period, resolved, resolved_early, resolved_on_time,
        resolved_late
    ) as problem
from agency_period_metrics
where resolved is distinct from resolved_early + resolved_on_time + resolved_late
