-- One row per unit × period × procedure with at least one late dossier in the period: resolved
-- late in P, or in progress and overdue at the end of P (site.md, unit scorecard: "the
-- procedures with the most late dossiers in the period"). The province unit counts every
-- unit's dossiers (dim_agency_scope, as in procedure_metrics).
--
-- Columns:
--   agency_id, period, period_type, complete, procedure_id, procedure_name
--   received_new         received in P (methodology §2)
--   resolved             end in P, status 9/10
--   resolved_late        of which late
--   in_progress_overdue  open at the end of P, not waiting for the applicant, adjusted due date
--                        passed (or a second supplementation request)
--   late_dossiers        resolved_late + in_progress_overdue
--   late_rank            1, 2, 3, … within the unit and period by late_dossiers descending,
--                        ties by procedure_id (a listing order, not a competition rank)
--
-- received_new, resolved and resolved_late are those of procedure_metrics; in_progress_overdue
-- comes from fct_open_at_period_end (the dossiers of to_handle still open at the end of P).
-- reads: dim_agency_scope, dim_periods, fct_open_at_period_end, procedure_metrics, stg_procedures
with periods as (
    select period, period_type, complete from dim_periods
),

scope as (
    select scope_id, agency_id from dim_agency_scope
),

procedures as (
    select procedure_id, name from stg_procedures where reject_reason is null
),

flows as (
    select agency_id, procedure_id, period, received_new, resolved, resolved_late
    from procedure_metrics
),

overdue_by_agency as (
    select agency_id, procedure_id, period, count(*) as in_progress_overdue
    from fct_open_at_period_end
    where not waiting and not within
    group by agency_id, procedure_id, period
),

overdue as (
    select
        s.scope_id as agency_id,
        o.procedure_id,
        o.period,
        sum(o.in_progress_overdue) as in_progress_overdue
    from overdue_by_agency as o
    inner join scope as s on s.agency_id = o.agency_id
    group by s.scope_id, o.procedure_id, o.period
),

late as (
    select
        coalesce(f.agency_id, o.agency_id) as agency_id,
        coalesce(f.period, o.period) as period,
        coalesce(f.procedure_id, o.procedure_id) as procedure_id,
        coalesce(f.received_new, 0) as received_new,
        coalesce(f.resolved, 0) as resolved,
        coalesce(f.resolved_late, 0) as resolved_late,
        cast(coalesce(o.in_progress_overdue, 0) as bigint) as in_progress_overdue
    from flows as f
    full join overdue as o
        on o.agency_id = f.agency_id and o.procedure_id = f.procedure_id and o.period = f.period
    where coalesce(f.resolved_late, 0) + coalesce(o.in_progress_overdue, 0) > 0
),

final as (
    select
        l.agency_id,
        l.period,
        p.period_type,
        p.complete,
        l.procedure_id,
        pr.name as procedure_name,
        l.received_new,
        l.resolved,
        l.resolved_late,
        l.in_progress_overdue,
        l.resolved_late + l.in_progress_overdue as late_dossiers,
        row_number() over (
            partition by l.agency_id, l.period
            order by l.resolved_late + l.in_progress_overdue desc, l.procedure_id
        ) as late_rank
    from late as l
    inner join periods as p on p.period = l.period
    left join procedures as pr on pr.procedure_id = l.procedure_id
)

select * from final
