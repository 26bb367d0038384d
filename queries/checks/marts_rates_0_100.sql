-- Every rate of the 06a and procedure tables is empty exactly when its denominator is 0, and
-- otherwise lies within 0–100 (methodology §2).
-- reads: agency_period_metrics, procedure_metrics
with rates as (
    select
        format('{} ({}), kỳ {}', agency_name, agency_id, period) as what,
        r.name,
        r.value,
        r.denominator
    from agency_period_metrics,
        unnest([
            {'name': 'on_time_pct', 'value': on_time_pct, 'denominator': resolved},
            {'name': 'late_pct', 'value': late_pct, 'denominator': resolved},
            {'name': 'online_pct', 'value': online_pct, 'denominator': received_new},
            {'name': 'overdue_open_pct', 'value': overdue_open_pct,
                'denominator': in_progress + waiting_applicant},
            {'name': 'satisfied_pct', 'value': satisfied_pct, 'denominator': ratings}
        ]) as t(r)
    union all
    select
        format('thủ tục {} tại đơn vị {}, kỳ {}', procedure_id, agency_id, period),
        r.name,
        r.value,
        r.denominator
    from procedure_metrics,
        unnest([
            {'name': 'on_time_pct', 'value': on_time_pct, 'denominator': resolved},
            {'name': 'online_pct', 'value': online_pct, 'denominator': received_new}
        ]) as t(r)
)

select
    format('{}: tỷ lệ {} = {} với mẫu số {} (phải trống khi mẫu số 0, nếu không thì trong 0–100)',
        what, name, coalesce(cast(value as varchar), 'trống'), denominator) as problem
from rates
where (denominator = 0) <> (value is null)
    or value < 0
    or value > 100
