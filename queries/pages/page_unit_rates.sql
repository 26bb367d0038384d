-- One row per unit × rate of the 06a rate table of its page /co-quan/<slug>/, for the units with
-- figures in their page period (page_unit_metrics): the rate's label, how it reads (pct: a
-- percentage; days: a number of days), its value and, for a percentage, its numerator and
-- denominator (agency_period_metrics, methodology §2), in the table's order (seed_labels_06a,
-- section rate). A rate that is also a key-figure card takes the card's name
-- (seed_labels_cards), so one figure has one name on the page. Used by the pages only, not
-- published.
--
-- Counts: on_time_pct resolved_early + resolved_on_time / resolved; late_pct resolved_late /
-- resolved; online_pct received_online / received_new; overdue_open_pct in_progress_overdue /
-- (in_progress + waiting_applicant); satisfied_pct ratings_satisfied / ratings; none for
-- avg_processing_days.
--
-- Columns:
--   agency_id, row_order (1, 2, …), key (the agency_period_metrics column), label, kind, value,
--   numerator, denominator
-- reads: page_unit_metrics, seed_labels_06a, seed_labels_cards
with lines as (
    select l.row_order, l.key, coalesce(c.label, l.label) as label, l.kind
    from seed_labels_06a as l
    left join seed_labels_cards as c on c.card = l.key
    where l.section = 'rate'
),

rates as (
    select agency_id, key, value, numerator, denominator
    from (
        select
            agency_id,
            on_time_pct, resolved_early + resolved_on_time as on_time_num, resolved as on_time_den,
            late_pct, resolved_late as late_num, resolved as late_den,
            online_pct, received_online as online_num, received_new as online_den,
            overdue_open_pct, in_progress_overdue as overdue_num,
            in_progress + waiting_applicant as overdue_den,
            satisfied_pct, ratings_satisfied as satisfied_num, ratings as satisfied_den,
            cast(avg_processing_days as double) as avg_processing_days,
            cast(null as bigint) as days_num, cast(null as bigint) as days_den
        from page_unit_metrics
    )
    unpivot include nulls (
        (value, numerator, denominator) for key in (
            (on_time_pct, on_time_num, on_time_den) as on_time_pct,
            (late_pct, late_num, late_den) as late_pct,
            (online_pct, online_num, online_den) as online_pct,
            (overdue_open_pct, overdue_num, overdue_den) as overdue_open_pct,
            (satisfied_pct, satisfied_num, satisfied_den) as satisfied_pct,
            (avg_processing_days, days_num, days_den) as avg_processing_days
        )
    )
)

select r.agency_id, l.row_order, l.key, l.label, l.kind, r.value, r.numerator, r.denominator
from rates as r
inner join lines as l on l.key = r.key
order by r.agency_id, l.row_order
