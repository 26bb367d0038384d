-- One row per unit × rate of the 06a rate table of its page /co-quan/<slug>/, for the units with
-- figures in their page period (page_unit_metrics): the rate's label, how it reads (pct: a
-- percentage; days: a number of days) and its value, in the table's order (seed_labels_06a,
-- section rate). Used by the pages only, not published.
--
-- Columns:
--   agency_id, row_order (1, 2, …), key (the agency_period_metrics column), label, kind, value
-- reads: page_unit_metrics, seed_labels_06a
with lines as (
    select row_order, key, label, kind from seed_labels_06a where section = 'rate'
),

rates as (
    select agency_id, key, value
    from page_unit_metrics
    unpivot include nulls (
        value for key in (
            on_time_pct, late_pct, online_pct, overdue_open_pct, satisfied_pct,
            avg_processing_days
        )
    )
)

select r.agency_id, l.row_order, l.key, l.label, l.kind, r.value
from rates as r
inner join lines as l on l.key = r.key
order by r.agency_id, l.row_order
