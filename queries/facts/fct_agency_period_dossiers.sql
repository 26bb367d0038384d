-- One row per (handling unit, period) with at least one dossier in the period's to_handle
-- (methodology §2: received by the end of the period, with no end before its first day): the
-- counts of those dossiers. Every 06a dossier figure and every dossier-based 766 indicator is
-- a sum of these counts (per scope unit: join dim_agency_scope on agency_id).
--
-- Columns:
--   agency_id, period, period_type       the unit holding the dossiers, the period
--   to_handle                            carried_over + received_new
--   carried_over                         received before P
--   received_new                         received in P, split by channel:
--     received_online (2), received_direct (1 or empty), received_postal (3)
--   resolved                             end in P, status 9/10, split by outcome:
--     resolved_early, resolved_on_time, resolved_late
--   withdrawn_stopped                    end in P, status 7/8
--   waiting_applicant                    no end by the end of P, waiting for the applicant;
--     waiting_within, waiting_overdue    by fct_open_at_period_end.within
--   in_progress                          no end by the end of P, not waiting;
--     in_progress_within, in_progress_overdue
--   in_time                              indicator 2.1's numerator: ended in P early or on
--                                        time, or open at the end of P and within time
--   in_time_uncomplained                 of in_time, the dossiers with no complaint in P (a
--                                        rating of 1-2 given in P or feedback about the
--                                        dossier received in P): indicator 5.3's numerator
--
-- The ended and the open dossiers are counted apart: a dossier of P's to_handle with no end by
-- the end of P is exactly one row of fct_open_at_period_end, which judges it as it stood then
-- (methodology §1, "Looking back"); one with an end in P is judged at its end (fct_dossiers).
-- Counts are BIGINT, 0 when none.
-- reads: dim_periods, fct_open_at_period_end, fct_period_pairs, stg_feedback, stg_ratings
with complaint_days as (
    select dossier_id, cast(rated_at as date) as on_day
    from stg_ratings
    where reject_reason is null and dossier_id is not null and rating <= 2
    union all
    select dossier_id, cast(received_at as date)
    from stg_feedback
    where reject_reason is null and dossier_id is not null
),

-- (dossier, period) pairs with at least one complaint dated in P (first_day..eval_date), as
-- one key to look up with IN (DuckDB then hashes these few rows, not the millions of pairs).
complaints as (
    select distinct {'dossier_id': c.dossier_id, 'period': p.period} as dossier_period
    from complaint_days as c
    inner join dim_periods as p on c.on_day between p.first_day and p.eval_date
),

-- Every dossier of to_handle: how it came into P and, when it ended in P, how.
judged as (
    select
        agency_id,
        period,
        period_type,
        channel,
        received_at < cast(first_day as timestamp) as carried_over,
        received_at >= cast(first_day as timestamp) as received_new,
        case when end_at < cutoff then end_kind end as end_kind,
        case when end_at < cutoff then outcome end as outcome,
        {'dossier_id': dossier_id, 'period': period}
            in (select dossier_period from complaints) as complained
    from fct_period_pairs
),

pairs as (
    select
        agency_id,
        period,
        period_type,
        count(*) as to_handle,
        count(*) filter (where carried_over) as carried_over,
        count(*) filter (where received_new) as received_new,
        count(*) filter (where received_new and channel = 2) as received_online,
        count(*) filter (where received_new and coalesce(channel, 1) = 1) as received_direct,
        count(*) filter (where received_new and channel = 3) as received_postal,
        count(*) filter (where end_kind = 'resolved') as resolved,
        count(*) filter (where end_kind = 'resolved' and outcome = 'early') as resolved_early,
        count(*) filter (where end_kind = 'resolved' and outcome = 'on_time') as resolved_on_time,
        count(*) filter (where end_kind = 'resolved' and outcome = 'late') as resolved_late,
        count(*) filter (where end_kind = 'withdrawn_stopped') as withdrawn_stopped,
        count(*) filter (where outcome in ('early', 'on_time')) as ended_in_time,
        count(*) filter (where outcome in ('early', 'on_time') and not complained)
            as ended_in_time_uncomplained
    from judged
    group by agency_id, period, period_type
),

-- The dossiers of to_handle with no end by the end of P, as they stood then.
open_at_end as (
    select
        o.agency_id,
        o.period,
        count(*) filter (where o.waiting) as waiting_applicant,
        count(*) filter (where o.waiting and o.within) as waiting_within,
        count(*) filter (where o.waiting and not o.within) as waiting_overdue,
        count(*) filter (where not o.waiting) as in_progress,
        count(*) filter (where not o.waiting and o.within) as in_progress_within,
        count(*) filter (where not o.waiting and not o.within) as in_progress_overdue,
        count(*) filter (where o.within) as open_in_time,
        count(*) filter (where o.within and not o.complained) as open_in_time_uncomplained
    from (
        select
            *,
            {'dossier_id': dossier_id, 'period': period}
                in (select dossier_period from complaints) as complained
        from fct_open_at_period_end
    ) as o
    group by o.agency_id, o.period
),

final as (
    select
        x.agency_id,
        x.period,
        x.period_type,
        x.to_handle,
        x.carried_over,
        x.received_new,
        x.received_online,
        x.received_direct,
        x.received_postal,
        x.resolved,
        x.resolved_early,
        x.resolved_on_time,
        x.resolved_late,
        x.withdrawn_stopped,
        coalesce(o.waiting_applicant, 0) as waiting_applicant,
        coalesce(o.waiting_within, 0) as waiting_within,
        coalesce(o.waiting_overdue, 0) as waiting_overdue,
        coalesce(o.in_progress, 0) as in_progress,
        coalesce(o.in_progress_within, 0) as in_progress_within,
        coalesce(o.in_progress_overdue, 0) as in_progress_overdue,
        x.ended_in_time + coalesce(o.open_in_time, 0) as in_time,
        x.ended_in_time_uncomplained + coalesce(o.open_in_time_uncomplained, 0)
            as in_time_uncomplained
    from pairs as x
    left join open_at_end as o on o.agency_id = x.agency_id and o.period = x.period
)

select * from final
