-- One row per procedure with dossiers (procedure_metrics): what its page
-- /thu-tuc/<procedure_id>/ shows about it (site.md: "one procedure: where it is handled,
-- dossiers per month, actual processing days against the statutory limit"). Used by the pages
-- only, not published.
--
-- Columns:
--   procedure_id
--   page_dir           the page's folder (macro procedure_dir): the id when URL-safe
--                      (1.001193), else tt-<the id as words>
--   name               the catalogue's name (else the name in procedure_metrics, else the id)
--   field, online_level, has_fee, online_payment_enabled, issues_result_document
--                      the catalogue's (stg_procedures), empty when it has no valid row
--   online_level_label how far it is offered online, in words
--   statutory_days     the catalogue's time limit in working days, else that of the procedure's
--                      latest month in page_procedure_months
--   first_period, last_period
--                      the 12-month window of page_procedure_window (the same for every
--                      procedure; empty when no procedure has dossiers in it)
-- reads: page_procedure_months, page_procedure_window, procedure_metrics, seed_labels_online_levels, stg_procedures
with online_levels as (
    select online_level, label from seed_labels_online_levels
),

ids as (
    select procedure_id, min(procedure_name) as metrics_name
    from procedure_metrics
    group by procedure_id
),

catalogue as (
    select procedure_id, name, field, online_level, statutory_days, has_fee,
        online_payment_enabled, issues_result_document
    from stg_procedures
    where reject_reason is null
),

bounds as (
    select min(first_period) as first_period, max(last_period) as last_period
    from page_procedure_window
),

months as (
    select
        procedure_id,
        arg_max_null(statutory_days, period) as last_statutory_days
    from page_procedure_months
    group by procedure_id
)

select
    i.procedure_id,
    procedure_dir(i.procedure_id) as page_dir,
    coalesce(c.name, i.metrics_name, i.procedure_id) as name,
    c.field,
    c.online_level,
    o.label as online_level_label,
    c.has_fee,
    c.online_payment_enabled,
    c.issues_result_document,
    coalesce(c.statutory_days, m.last_statutory_days) as statutory_days,
    b.first_period,
    b.last_period
from ids as i
cross join bounds as b
left join catalogue as c on c.procedure_id = i.procedure_id
left join months as m on m.procedure_id = i.procedure_id
left join online_levels as o on o.online_level = c.online_level
order by i.procedure_id
