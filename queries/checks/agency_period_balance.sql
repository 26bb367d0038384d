-- The 06a balance (methodology §2), for every unit and period:
-- to_handle = resolved + withdrawn_stopped + waiting_applicant + in_progress.
-- reads: agency_period_metrics
select
    agency_id,
    period,
    format(
        '{} ({}), kỳ {}: tổng phải giải quyết {} ≠ đã giải quyết {} + rút/dừng {} '
        || '+ chờ bổ sung {} + đang giải quyết {}',
        agency_name, agency_id, period, to_handle, resolved, withdrawn_stopped,
        waiting_applicant, in_progress
    ) as problem
from agency_period_metrics
where to_handle is distinct from resolved + withdrawn_stopped + waiting_applicant + in_progress
