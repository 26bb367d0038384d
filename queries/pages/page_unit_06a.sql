-- One row per unit × line of the report 06a table of its page /co-quan/<slug>/, for the units
-- with figures in their page period (page_unit_metrics): the line's label, whether it is a
-- total (depth 0) or a part of the total above it (depth 1, "trong đó"), and the count (site.md,
-- unit scorecard: "the 06a figures of the period as a table, with the balance visible"), in
-- the report's order (seed_labels_06a, section line). Used by the pages only, not published.
--
-- Columns:
--   agency_id, row_order (1, 2, …), key (the agency_period_metrics column), label, depth
--   emphasis     the line the balance is about (to_handle), set in bold
--   value        the count
-- reads: page_unit_metrics, seed_labels_06a
with lines as (
    select row_order, key, label, depth from seed_labels_06a where section = 'line'
),

counts as (
    select agency_id, key, value
    from page_unit_metrics
    unpivot include nulls (
        value for key in (
            carried_over, received_new, received_online, received_direct, received_postal,
            to_handle, resolved, resolved_early, resolved_on_time, resolved_late,
            withdrawn_stopped, waiting_applicant, in_progress, in_progress_within,
            in_progress_overdue, refused_at_intake, postal_uses
        )
    )
)

select
    c.agency_id,
    l.row_order,
    l.key,
    l.label,
    l.depth,
    l.key = 'to_handle' as emphasis,
    c.value
from counts as c
inner join lines as l on l.key = c.key
order by c.agency_id, l.row_order
