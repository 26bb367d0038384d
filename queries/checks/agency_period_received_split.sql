-- received_new = received_online + received_direct + received_postal (methodology §2).
-- reads: agency_period_metrics
select
    agency_id,
    period,
    format(
        '{} ({}), kỳ {}: tiếp nhận mới {} ≠ trực tuyến {} + trực tiếp {} + bưu chính {}',
        agency_name, agency_id, period, received_new, received_online, received_direct,
        received_postal
    ) as problem
from agency_period_metrics
where received_new is distinct from received_online + received_direct + received_postal
