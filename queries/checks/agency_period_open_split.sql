-- in_progress = in_progress_within + in_progress_overdue, and
-- waiting_applicant = waiting_within + waiting_overdue (methodology §2).
-- reads: agency_period_metrics
select
    agency_id,
    period,
    format(
        '{} ({}), kỳ {}: đang giải quyết {} ≠ trong hạn {} + quá hạn {}, '
        || 'hoặc chờ bổ sung {} ≠ trong hạn {} + quá hạn {}',
        agency_name, agency_id, period, in_progress, in_progress_within, in_progress_overdue,
        waiting_applicant, waiting_within, waiting_overdue
    ) as problem
from agency_period_metrics
where in_progress is distinct from in_progress_within + in_progress_overdue
    or waiting_applicant is distinct from waiting_within + waiting_overdue
