-- One row per unit × period of dim_agency_periods: the report figures of mẫu 06a
-- (methodology §2) and their rates. The province unit counts every unit's dossiers and ratings
-- (dim_agency_scope). Published as the download agency_period_metrics.
--
-- Columns:
--   agency_id, agency_name, level          the unit (dim_agencies)
--   period, period_type, first_day, last_day, complete
--                                          the period; complete = false while it is not over
--   exists_in_period, ranked_eligible      from dim_agency_periods
--   carried_over                           received before P, no end before P's first day
--   received_new                           received in P, split by channel:
--     received_online (2), received_direct (1 or empty), received_postal (3)
--   to_handle                              carried_over + received_new
--   resolved                               end in P, status 9/10, split by outcome:
--     resolved_early, resolved_on_time, resolved_late
--   withdrawn_stopped                      end in P, status 7/8
--   waiting_applicant                      no end by the end of P, waiting for the applicant;
--     waiting_within (stop date on or before the adjusted due date), waiting_overdue
--   in_progress                            no end by the end of P, not waiting;
--     in_progress_within (adjusted due date not passed at the end of P), in_progress_overdue
--   refused_at_intake                      status 3 dated in P (fct_dossiers.refused_on); not
--                                          part of to_handle
--   postal_uses                            received_postal + dossiers with return_method 1 and
--                                          returned_at in P, whenever received (one dossier
--                                          can count twice)
--   on_time_pct, late_pct, online_pct, overdue_open_pct, satisfied_pct
--                                          rates in percent, half-up to 2 decimals, NULL when
--                                          the denominator is 0 (macro pct)
--   ratings, ratings_satisfied (4–5), ratings_unsatisfied (1–2)
--                                          ratings given in P (rated on first_day..eval_date)
--   avg_processing_days                    mean of processing_days (calendar days, paused time
--                                          excluded) over dossiers resolved in P; shown, not
--                                          scored; NULL when none
--   ratings_1 … ratings_5                  ratings given in P by level
--   postal_returns                         the second part of postal_uses
--
-- Counts are BIGINT, 0 when nothing happened. Dossier figures are sums of
-- fct_agency_period_dossiers (the dossiers of a period's to_handle counted per handling unit);
-- events that are not part of to_handle (refusals, postal returns, ratings, resolved dossiers'
-- durations) are counted by the period their date falls in (up to the as-of date; events
-- outside the periods of the data are not counted). Events of a unit in a period where it has
-- no row of dim_agency_periods (it no longer exists and has nothing to handle) appear only in
-- the province's row.
-- reads: dim_agencies, dim_agency_periods, dim_agency_scope, dim_period_months, dim_periods, fct_agency_period_dossiers, fct_dossiers, stg_ratings
with agency_periods as (
    select agency_id, period, period_type, exists_in_period, ranked_eligible
    from dim_agency_periods
),

agencies as (
    select agency_id, name, level from dim_agencies
),

periods as (
    select period, first_day, last_day, complete from dim_periods
),

scope as (
    select scope_id, agency_id from dim_agency_scope
),

dossiers as (
    select agency_id, status, refused_on, return_method, returned_at, end_kind, end_on,
        processing_days
    from fct_dossiers
),

ratings as (
    select agency_id, rated_at, rating from stg_ratings where reject_reason is null
),

-- 06a dossier counts per handling unit and period.
handled_by_agency as (
    select
        agency_id, period, carried_over, received_new, received_online, received_direct,
        received_postal, to_handle, resolved, resolved_early, resolved_on_time, resolved_late,
        withdrawn_stopped, waiting_applicant, waiting_within, waiting_overdue, in_progress,
        in_progress_within, in_progress_overdue
    from fct_agency_period_dossiers
),

-- Dated events outside the 06a dossier rows: refusals at intake, results returned by post,
-- resolved dossiers' processing days, ratings.
events as (
    select
        agency_id,
        'refused' as kind,
        refused_on as day,
        null::double as days,
        null::integer as rating
    from dossiers
    where status = 3 and refused_on is not null
    union all
    select agency_id, 'postal_return', cast(returned_at as date), null, null
    from dossiers
    where return_method = 1 and returned_at is not null
    union all
    select agency_id, 'resolved', end_on, processing_days, null
    from dossiers
    where end_kind = 'resolved'
    union all
    select agency_id, 'rating', cast(rated_at as date), null, rating
    from ratings
),

-- An event counts in its month (up to the month's eval_date: nothing after the as-of date),
-- then in the month's quarter and year (dim_period_months).
months as (
    select first_day as month, eval_date from dim_periods where period_type = 'month'
),

events_by_month as (
    select
        e.agency_id,
        m.month,
        count(*) filter (where e.kind = 'refused') as refused_at_intake,
        count(*) filter (where e.kind = 'postal_return') as postal_returns,
        count(*) filter (where e.kind = 'resolved') as resolved_timed,
        sum(e.days) filter (where e.kind = 'resolved') as processing_days_sum,
        count(*) filter (where e.kind = 'rating') as ratings,
        count(*) filter (where e.kind = 'rating' and e.rating = 1) as ratings_1,
        count(*) filter (where e.kind = 'rating' and e.rating = 2) as ratings_2,
        count(*) filter (where e.kind = 'rating' and e.rating = 3) as ratings_3,
        count(*) filter (where e.kind = 'rating' and e.rating = 4) as ratings_4,
        count(*) filter (where e.kind = 'rating' and e.rating = 5) as ratings_5
    from events as e
    inner join months as m
        on m.month = cast(date_trunc('month', e.day) as date) and e.day <= m.eval_date
    group by e.agency_id, m.month
),

events_by_agency as (
    select
        e.agency_id,
        pm.period,
        sum(e.refused_at_intake) as refused_at_intake,
        sum(e.postal_returns) as postal_returns,
        sum(e.resolved_timed) as resolved_timed,
        sum(e.processing_days_sum) as processing_days_sum,
        sum(e.ratings) as ratings,
        sum(e.ratings_1) as ratings_1,
        sum(e.ratings_2) as ratings_2,
        sum(e.ratings_3) as ratings_3,
        sum(e.ratings_4) as ratings_4,
        sum(e.ratings_5) as ratings_5
    from events_by_month as e
    inner join dim_period_months as pm on pm.month = e.month
    group by e.agency_id, pm.period
),

-- Per-unit figures: each scope unit sums the units it counts (itself; the province: all).
handled as (
    select
        s.scope_id as agency_id,
        h.period,
        sum(h.carried_over) as carried_over,
        sum(h.received_new) as received_new,
        sum(h.received_online) as received_online,
        sum(h.received_direct) as received_direct,
        sum(h.received_postal) as received_postal,
        sum(h.to_handle) as to_handle,
        sum(h.resolved) as resolved,
        sum(h.resolved_early) as resolved_early,
        sum(h.resolved_on_time) as resolved_on_time,
        sum(h.resolved_late) as resolved_late,
        sum(h.withdrawn_stopped) as withdrawn_stopped,
        sum(h.waiting_applicant) as waiting_applicant,
        sum(h.waiting_within) as waiting_within,
        sum(h.waiting_overdue) as waiting_overdue,
        sum(h.in_progress) as in_progress,
        sum(h.in_progress_within) as in_progress_within,
        sum(h.in_progress_overdue) as in_progress_overdue
    from handled_by_agency as h
    inner join scope as s on s.agency_id = h.agency_id
    group by s.scope_id, h.period
),

evented as (
    select
        s.scope_id as agency_id,
        e.period,
        sum(e.refused_at_intake) as refused_at_intake,
        sum(e.postal_returns) as postal_returns,
        sum(e.resolved_timed) as resolved_timed,
        sum(e.processing_days_sum) as processing_days_sum,
        sum(e.ratings) as ratings,
        sum(e.ratings_1) as ratings_1,
        sum(e.ratings_2) as ratings_2,
        sum(e.ratings_3) as ratings_3,
        sum(e.ratings_4) as ratings_4,
        sum(e.ratings_5) as ratings_5
    from events_by_agency as e
    inner join scope as s on s.agency_id = e.agency_id
    group by s.scope_id, e.period
),

counts as (
    select
        ap.agency_id,
        ap.period,
        cast(coalesce(h.carried_over, 0) as bigint) as carried_over,
        cast(coalesce(h.received_new, 0) as bigint) as received_new,
        cast(coalesce(h.received_online, 0) as bigint) as received_online,
        cast(coalesce(h.received_direct, 0) as bigint) as received_direct,
        cast(coalesce(h.received_postal, 0) as bigint) as received_postal,
        cast(coalesce(h.to_handle, 0) as bigint) as to_handle,
        cast(coalesce(h.resolved, 0) as bigint) as resolved,
        cast(coalesce(h.resolved_early, 0) as bigint) as resolved_early,
        cast(coalesce(h.resolved_on_time, 0) as bigint) as resolved_on_time,
        cast(coalesce(h.resolved_late, 0) as bigint) as resolved_late,
        cast(coalesce(h.withdrawn_stopped, 0) as bigint) as withdrawn_stopped,
        cast(coalesce(h.waiting_applicant, 0) as bigint) as waiting_applicant,
        cast(coalesce(h.waiting_within, 0) as bigint) as waiting_within,
        cast(coalesce(h.waiting_overdue, 0) as bigint) as waiting_overdue,
        cast(coalesce(h.in_progress, 0) as bigint) as in_progress,
        cast(coalesce(h.in_progress_within, 0) as bigint) as in_progress_within,
        cast(coalesce(h.in_progress_overdue, 0) as bigint) as in_progress_overdue,
        cast(coalesce(e.refused_at_intake, 0) as bigint) as refused_at_intake,
        cast(coalesce(e.postal_returns, 0) as bigint) as postal_returns,
        cast(coalesce(e.ratings, 0) as bigint) as ratings,
        cast(coalesce(e.ratings_1, 0) as bigint) as ratings_1,
        cast(coalesce(e.ratings_2, 0) as bigint) as ratings_2,
        cast(coalesce(e.ratings_3, 0) as bigint) as ratings_3,
        cast(coalesce(e.ratings_4, 0) as bigint) as ratings_4,
        cast(coalesce(e.ratings_5, 0) as bigint) as ratings_5,
        case
            when coalesce(e.resolved_timed, 0) > 0
                then round2(e.processing_days_sum / e.resolved_timed)
        end as avg_processing_days
    from agency_periods as ap
    left join handled as h on h.agency_id = ap.agency_id and h.period = ap.period
    left join evented as e on e.agency_id = ap.agency_id and e.period = ap.period
),

final as (
    select
        ap.agency_id,
        a.name as agency_name,
        a.level,
        ap.period,
        ap.period_type,
        p.first_day,
        p.last_day,
        p.complete,
        ap.exists_in_period,
        ap.ranked_eligible,
        c.carried_over,
        c.received_new,
        c.received_online,
        c.received_direct,
        c.received_postal,
        c.to_handle,
        c.resolved,
        c.resolved_early,
        c.resolved_on_time,
        c.resolved_late,
        c.withdrawn_stopped,
        c.waiting_applicant,
        c.waiting_within,
        c.waiting_overdue,
        c.in_progress,
        c.in_progress_within,
        c.in_progress_overdue,
        c.refused_at_intake,
        c.received_postal + c.postal_returns as postal_uses,
        pct(c.resolved_early + c.resolved_on_time, c.resolved) as on_time_pct,
        pct(c.resolved_late, c.resolved) as late_pct,
        pct(c.received_online, c.received_new) as online_pct,
        pct(c.in_progress_overdue, c.in_progress + c.waiting_applicant) as overdue_open_pct,
        pct(c.ratings_4 + c.ratings_5, c.ratings) as satisfied_pct,
        c.ratings,
        c.ratings_4 + c.ratings_5 as ratings_satisfied,
        c.ratings_1 + c.ratings_2 as ratings_unsatisfied,
        c.avg_processing_days,
        c.ratings_1,
        c.ratings_2,
        c.ratings_3,
        c.ratings_4,
        c.ratings_5,
        c.postal_returns
    from agency_periods as ap
    inner join agencies as a on a.agency_id = ap.agency_id
    inner join periods as p on p.period = ap.period
    inner join counts as c on c.agency_id = ap.agency_id and c.period = ap.period
)

select * from final
order by agency_id, period_type, first_day
