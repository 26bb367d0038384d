-- One row per (received dossier, period) for a dossier with no end by the end of the period:
-- its state as it stood then (methodology §1, "Looking back"): rounds requested later are
-- ignored, a round supplied later was still open. waiting = an open round (the clock stopped at
-- its requested_at); else in progress. within = the dossier is still within time at the end of
-- the period: for a waiting one, stop date on or before the adjusted due date; for one in
-- progress, adjusted due date not before eval_date (due that very day is within time).
-- reads: fct_period_pairs, fct_supplement_rounds
with open_pairs as (
    select period, period_type, eval_date, cutoff, dossier_id, agency_id, procedure_id, due_at
    from fct_period_pairs
    where end_at is null or end_at >= cutoff
),

rounds_at_cutoff as (
    select
        o.period,
        o.dossier_id,
        r.round_no,
        r.requested_at,
        coalesce(r.supplied_at < o.cutoff, false) as closed,
        case when r.supplied_at < o.cutoff then r.new_due_at end as new_due_at,
        case
            when r.supplied_at < o.cutoff
                then epoch_us(r.supplied_at) - epoch_us(r.requested_at)
        end as paused_us
    from open_pairs as o
    inner join fct_supplement_rounds as r
        on r.dossier_id = o.dossier_id and r.requested_at < o.cutoff
),

base_round as (
    select period, dossier_id, max(round_no) filter (where new_due_at is not null) as base_no
    from rounds_at_cutoff
    group by period, dossier_id
),

clock as (
    select
        r.period,
        r.dossier_id,
        count(*) as rounds,
        count(*) filter (where not r.closed) as open_rounds,
        min(r.requested_at) filter (where not r.closed) as stopped_at,
        any_value(r.new_due_at) filter (where r.round_no = b.base_no) as base_new_due_at,
        coalesce(sum(r.paused_us) filter (where b.base_no is null or r.round_no > b.base_no), 0)
            as paused_after_base_us
    from rounds_at_cutoff as r
    inner join base_round as b on b.period = r.period and b.dossier_id = r.dossier_id
    group by r.period, r.dossier_id
),

stated as (
    select
        o.*,
        coalesce(c.rounds, 0) as rounds,
        coalesce(c.open_rounds, 0) > 0 as waiting,
        c.stopped_at,
        cast(coalesce(c.base_new_due_at, o.due_at)
            + to_microseconds(cast(coalesce(c.paused_after_base_us, 0) as bigint)) as date) as adjusted_due_on
    from open_pairs as o
    left join clock as c on c.period = o.period and c.dossier_id = o.dossier_id
),

final as (
    select
        period,
        period_type,
        dossier_id,
        agency_id,
        procedure_id,
        waiting,
        rounds,
        adjusted_due_on,
        case
            when getvariable('second_supplement_is_late') and rounds >= 2 then false
            when waiting then cast(stopped_at as date) <= adjusted_due_on
            else adjusted_due_on >= eval_date
        end as within,
        case when not waiting then greatest(eval_date - adjusted_due_on, 0) end as days_overdue
    from stated
)

select * from final
