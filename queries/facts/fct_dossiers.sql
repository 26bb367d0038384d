-- One row per clean dossier with its clock (methodology §1), judged at its end:
-- received or not, start, end, end kind (resolved / withdrawn_stopped), the rounds requested by
-- the end, paused time, the adjusted due date, the outcome (early / on_time / late) and the
-- processing days (end - start - paused time). Open dossiers get their state per period in
-- fct_open_at_period_end.
-- reads: fct_supplement_rounds, stg_dossiers
with dossiers as (
    select * exclude (reject_reason) from stg_dossiers where reject_reason is null
),

base as (
    select
        *,
        status not in (1, 3) as is_received,
        case
            when status in (7, 8, 9) then finished_at
            when status = 10 then coalesce(finished_at, returned_at)
        end as end_at,
        case
            when status in (9, 10) then 'resolved'
            when status in (7, 8) then 'withdrawn_stopped'
        end as end_kind
    from dossiers
),

-- Rounds as they stood when the dossier ended: rounds requested after the end are ignored; a
-- round not supplied by the end pauses the clock until the end (its new due date is unknown).
rounds_at_end as (
    select
        b.dossier_id,
        r.round_no,
        r.requested_at,
        case when r.supplied_at <= b.end_at then r.supplied_at else b.end_at end as paused_until,
        case when r.supplied_at <= b.end_at then r.new_due_at end as new_due_at
    from base as b
    inner join fct_supplement_rounds as r on r.dossier_id = b.dossier_id
    where b.end_at is not null and r.requested_at <= b.end_at
),

base_round as (
    select dossier_id, max(round_no) filter (where new_due_at is not null) as base_no
    from rounds_at_end
    group by dossier_id
),

clock_at_end as (
    select
        r.dossier_id,
        count(*) as rounds_at_end,
        any_value(r.new_due_at) filter (where r.round_no = br.base_no) as base_new_due_at,
        coalesce(sum(epoch_us(r.paused_until) - epoch_us(r.requested_at))
            filter (where br.base_no is null or r.round_no > br.base_no), 0) as paused_after_base_us,
        sum(epoch_us(r.paused_until) - epoch_us(r.requested_at)) as paused_us
    from rounds_at_end as r
    inner join base_round as br on br.dossier_id = r.dossier_id
    group by r.dossier_id
),

rounds_total as (
    select dossier_id, count(*) as rounds from fct_supplement_rounds group by dossier_id
),

clocked as (
    select
        b.*,
        coalesce(rt.rounds, 0) as rounds,
        coalesce(c.rounds_at_end, 0) as rounds_at_end,
        coalesce(c.paused_us, 0) as paused_us,
        case
            when b.end_at is not null
                then coalesce(c.base_new_due_at, b.due_at)
                    + to_microseconds(cast(coalesce(c.paused_after_base_us, 0) as bigint))
        end as adjusted_due_at_end
    from base as b
    left join clock_at_end as c on c.dossier_id = b.dossier_id
    left join rounds_total as rt on rt.dossier_id = b.dossier_id
),

final as (
    select
        dossier_id,
        agency_id,
        procedure_id,
        channel,
        status,
        is_received,
        submitted_at,
        received_at,
        due_at,
        finished_at,
        returned_at,
        end_at,
        end_kind,
        cast(received_at as date) as received_on,
        cast(end_at as date) as end_on,
        case
            when status = 3
                then cast(coalesce(submitted_at, greatest(received_at, finished_at, returned_at)) as date)
        end as refused_on,
        rounds,
        rounds_at_end,
        adjusted_due_at_end,
        case
            when end_at is null or not is_received then null
            when getvariable('second_supplement_is_late') and rounds_at_end >= 2 then 'late'
            when cast(end_at as date) < cast(adjusted_due_at_end as date) then 'early'
            when cast(end_at as date) = cast(adjusted_due_at_end as date) then 'on_time'
            else 'late'
        end as outcome,
        case
            when end_at is not null and is_received
                then greatest(epoch_us(end_at) - epoch_us(received_at) - paused_us, 0) / 86400e6
        end as processing_days,
        return_method,
        paid_online,
        synced_national,
        digitized,
        reused_data,
        from_personal_store,
        e_result,
        vneid_verified,
        applicant_type
    from clocked
)

select * from final
