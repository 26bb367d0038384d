-- Each table has one row per key: agency_period_metrics and agency_open_age per (unit, period),
-- agency_procedure_late per (unit, period, procedure), procedure_metrics per
-- (procedure, unit, period). A key column that is empty counts as a violation too.
-- reads: agency_open_age, agency_period_metrics, agency_procedure_late, procedure_metrics
with keys as (
    select 'agency_period_metrics' as tbl, agency_id, period, null as procedure_id
    from agency_period_metrics
    union all
    select 'agency_open_age', agency_id, period, null from agency_open_age
    union all
    select 'agency_procedure_late', agency_id, period, procedure_id from agency_procedure_late
    union all
    select 'procedure_metrics', agency_id, period, procedure_id from procedure_metrics
),

counted as (
    select tbl, agency_id, period, procedure_id, count(*) as copies
    from keys
    group by all
)

select
    format('bảng {}: khóa (đơn vị {}, kỳ {}{}) có {} dòng hoặc thiếu giá trị khóa',
        tbl, coalesce(agency_id, 'trống'), coalesce(period, 'trống'),
        case when procedure_id is not null then ', thủ tục ' || procedure_id else '' end,
        copies) as problem
from counted
where copies > 1
    or agency_id is null
    or period is null
    or (tbl in ('agency_procedure_late', 'procedure_metrics') and procedure_id is null)
