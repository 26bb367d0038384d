-- One row: what the home page / shows of the province in the site's period (site.md: "the
-- province at a glance for the latest complete month: 766 total and band, ... links onward"):
-- the period, the province unit's page, its score and its 06a figures; the dossiers used.
-- Used by the pages only, not published.
-- reads: page_site_periods, page_units, scores_766, agency_period_metrics, page_history_counts, official_vs_recomputed, seed_labels_cards
--
-- Columns:
--   period           the site's period (page_site_periods.is_latest); empty when there is none
--   since_period     the period before it (the changes of the key figures are counted from it)
--   province_name, province_slug   the province unit (page_units.is_province)
--   score            {total, total_100, assessed_max, band, band_slug, not_assessed} of
--                    scores_766 for the province in the period; empty when it has none
--   metrics          {on_time_pct, to_handle, resolved, resolved_late, in_progress_overdue} of
--                    agency_period_metrics; empty when it has none
--   dossiers_used    valid dossiers (page_history_counts.dossiers; 0 when none)
--   score_label      the name of the recomputed total (seed_labels_cards total_100)
--   official         {label, value, gap} the official score that heads the page: the imported
--                    one (scores_766.official_total), else the national portal's total for the
--                    month (official_vs_recomputed, ratio out of 100); gap = recomputed total_100
--                    − value; empty when there is none
with latest as (
    select period, previous_period from page_site_periods where is_latest
),

province as (
    select agency_id, name, slug from page_units where is_province
),

portal as (
    select o.period, cast(o.official_ratio as decimal(12, 2)) as official_ratio
    from official_vs_recomputed as o
    inner join province as pr on pr.agency_id = o.agency_id
    where o.kind = 'total' and o.period_type = 'month'
),

labels as (
    select card, label from seed_labels_cards
)

select
    l.period,
    l.previous_period as since_period,
    pr.name as province_name,
    pr.slug as province_slug,
    case when s.agency_id is not null then {
        'total': s.total, 'total_100': s.total_100, 'assessed_max': s.assessed_max,
        'band': s.band, 'band_slug': slugify(s.band), 'not_assessed': s.not_assessed
    } end as score,
    case when m.agency_id is not null then {
        'on_time_pct': m.on_time_pct, 'to_handle': m.to_handle, 'resolved': m.resolved,
        'resolved_late': m.resolved_late, 'in_progress_overdue': m.in_progress_overdue
    } end as metrics,
    coalesce(c.dossiers, 0) as dossiers_used,
    (select label from labels where card = 'total_100') as score_label,
    case when coalesce(s.official_total, p.official_ratio) is not null then {
        'label': ol.label,
        'value': coalesce(s.official_total, p.official_ratio),
        'gap': cast(s.total_100 - coalesce(s.official_total, p.official_ratio) as decimal(12, 2))
    } end as official
from page_history_counts as c
left join latest as l on true
left join province as pr on true
left join scores_766 as s
    on s.agency_id = pr.agency_id and s.period = l.period and s.period_type = 'month'
left join agency_period_metrics as m
    on m.agency_id = pr.agency_id and m.period = l.period and m.period_type = 'month'
left join portal as p on p.period = l.period
left join labels as ol
    on ol.card = case when s.official_total is not null then 'official_total' else 'portal_total' end
