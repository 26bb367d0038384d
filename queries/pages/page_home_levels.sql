-- One row per level the home page shows its best and worst units of (seed_labels_levels with a
-- home heading: the departments, the communes) that has a ranked unit in the site's period, in
-- order (site.md, home: "best and worst units"): the 5 units ranked first and the 5 ranked last
-- (fewer when the level has fewer than 10 ranked units: none is listed twice).
-- Used by the pages only, not published.
-- reads: agency_period_metrics, page_home, page_ranking, seed_labels_levels
--
-- Columns:
--   label, filter_label  the section's heading and the level in its filter's label
--   ranked           the units ranked in the level
--   best, worst      how many of the rows are the first, the last
--   rows             [{rank, rank_of, slug, agency_name, band, band_slug, total_100,
--                    change_total_100, on_time_pct, on_time, resolved}]: the first, then the
--                    last, by rank; on_time (resolved_early + resolved_on_time) and resolved
--                    are the on-time rate's numerator and denominator (agency_period_metrics)
with ranked as (
    select
        r.*,
        m.resolved_early + m.resolved_on_time as on_time,
        m.resolved,
        row_number() over (partition by r.level order by r.rank_order) as position,
        count(*) over (partition by r.level) as units
    from page_home as h
    inner join page_ranking as r on r.period = h.period
    left join agency_period_metrics as m
        on m.agency_id = r.agency_id and m.period = r.period and m.period_type = 'month'
    where r.ranked
),

shown as (
    select
        *,
        position <= 5 as best,
        position > 5 and position > units - 5 as worst
    from ranked
)

select
    l.home_heading as label,
    l.home_filter as filter_label,
    any_value(s.units) as ranked,
    count(*) filter (where s.best) as best,
    count(*) filter (where s.worst) as worst,
    list({
        'rank': s.rank, 'rank_of': s.rank_of, 'slug': s.slug, 'agency_name': s.agency_name,
        'band': s.band, 'band_slug': s.band_slug, 'total_100': s.total_100,
        'change_total_100': s.change_total_100,
        'on_time_pct': s.on_time_pct, 'on_time': s.on_time, 'resolved': s.resolved
    } order by s.position) filter (where s.best or s.worst) as rows
from shown as s
inner join seed_labels_levels as l on l.level = s.level
where l.home_heading is not null
group by l.level, l.level_order, l.home_heading, l.home_filter
order by l.level_order
