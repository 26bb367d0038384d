-- One row per unit × complete period (month, quarter, year) of agency_period_metrics: a line of
-- the unit's archive page /co-quan/<slug>/cac-ky/, whose anchor is the period ("#2026-10",
-- "#2026-Q3", "#2026"): the citable address of a unit's scorecard in a period. Each line holds
-- that period's scorecard in brief. Used by the pages only, not published.
--
-- Columns:
--   agency_id, slug, period, period_type
--   row_order        within the unit: months, then quarters, then years, newest first
--   total_100, band, band_slug, ranked, rank, rank_of, CKMB ... MDHL       page_ranking
--   not_ranked_reason  why the unit has no rank (and no band) in the period, empty when ranked
--                      (page_ranking: did not exist, no dossiers or fewer than min_to_handle…)
--   to_handle          dossiers to handle in the period
--   on_time_n, on_time_d, on_time_pct        resolved early or on time / resolved (06a)
--   online_n, online_d, online_pct           received online / received new
--   overdue_n, overdue_d, overdue_open_pct   open and overdue / open (in progress + waiting
--                                            for the applicant), at the end of the period
--   satisfied_n, satisfied_d, satisfied_pct  ratings 4–5 / ratings
--   has_ranking      the period has a ranking page /xep-hang/<period>/ (page_ranking_pages)
-- reads: agency_period_metrics, dim_agencies, page_ranking, page_ranking_pages
with metrics as (
    select *
    from agency_period_metrics
    where complete
),

ranking as (
    select * from page_ranking
),

ranking_pages as (
    select distinct period.period as period
    from page_ranking_pages
    where not hub and period is not null
),

agencies as (
    select agency_id, slug from dim_agencies
),

final as (
    select
        m.agency_id,
        a.slug,
        m.period,
        m.period_type,
        row_number() over (
            partition by m.agency_id
            order by
                case m.period_type when 'month' then 1 when 'quarter' then 2 else 3 end,
                m.first_day desc
        ) as row_order,
        r.total_100,
        r.band,
        r.band_slug,
        coalesce(r.ranked, false) as ranked,
        r.rank,
        r.rank_of,
        r.CKMB,
        r.TDGQ,
        r.CLGQ,
        r.TTTT,
        r.MDSH,
        r.MDHL,
        r.not_ranked_reason,
        m.to_handle,
        m.resolved_early + m.resolved_on_time as on_time_n,
        m.resolved as on_time_d,
        m.on_time_pct,
        m.received_online as online_n,
        m.received_new as online_d,
        m.online_pct,
        m.in_progress_overdue as overdue_n,
        m.in_progress + m.waiting_applicant as overdue_d,
        m.overdue_open_pct,
        m.ratings_satisfied as satisfied_n,
        m.ratings as satisfied_d,
        m.satisfied_pct,
        rp.period is not null as has_ranking
    from metrics as m
    inner join agencies as a on a.agency_id = m.agency_id
    left join ranking as r
        on r.agency_id = m.agency_id and r.period = m.period and r.period_type = m.period_type
    left join ranking_pages as rp on rp.period = m.period
)

select * from final
order by agency_id, row_order
