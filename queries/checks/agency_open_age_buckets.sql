-- The age buckets of open dossiers add up to the 06a figures of the same unit and period:
-- not_yet_due = in_progress_within, the overdue buckets sum to in_progress_overdue,
-- and waiting_applicant / in_progress are those of agency_period_metrics.
-- reads: agency_open_age, agency_period_metrics
select
    o.agency_id,
    o.period,
    format(
        '{} ({}), kỳ {}: hồ sơ mở theo số ngày quá hạn (chưa đến hạn {}, 1–5 ngày {}, '
        || '6–15 ngày {}, 16–30 ngày {}, trên 30 ngày {}; chờ bổ sung {}) không khớp '
        || 'báo cáo 06a (đang giải quyết trong hạn {}, quá hạn {}; chờ bổ sung {})',
        m.agency_name, o.agency_id, o.period, o.not_yet_due, o.overdue_1_5, o.overdue_6_15,
        o.overdue_16_30, o.overdue_over_30, o.waiting_applicant, m.in_progress_within,
        m.in_progress_overdue, m.waiting_applicant
    ) as problem
from agency_open_age as o
left join agency_period_metrics as m on m.agency_id = o.agency_id and m.period = o.period
where o.not_yet_due is distinct from m.in_progress_within
    or o.overdue_1_5 + o.overdue_6_15 + o.overdue_16_30 + o.overdue_over_30
        is distinct from m.in_progress_overdue
    or o.in_progress is distinct from m.in_progress
    or o.waiting_applicant is distinct from m.waiting_applicant
    or o.open_at_end is distinct from o.waiting_applicant + o.in_progress
