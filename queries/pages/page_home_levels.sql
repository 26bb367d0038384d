-- One row per level the home page shows its best and worst units of (seed_labels_levels with a
-- home heading: the departments, the communes) that has a ranked unit in the site's period, in
-- order (site.md, home: "best and worst units"): the 5 units ranked first and the 5 ranked last
-- (fewer when the level has fewer than 10 ranked units: none is listed twice).
-- Used by the pages only, not published.
-- reads: page_home, page_ranking, seed_labels_levels
--
-- Columns:
--   label, filter_label  the section's heading and the level in its filter's label
--   ranked           the units ranked in the level
--   best, worst      how many of the rows are the first, the last
--   rows             [{rank, rank_of, slug, agency_name, band, band_slug, total_100,
--                    change_total_100, on_time_pct}]: the first, then the last, by rank
with ranked as (
    select
        r.*,
        row_number() over (partition by r.level order by r.rank_order) as position,
        count(*) over (partition by r.level) as units
    from page_home as h
    inner join page_ranking as r on r.period = h.period
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
        'on_time_pct': s.on_time_pct
    } order by s.position) filter (where s.best or s.worst) as rows
from shown as s
inner join seed_labels_levels as l on l.level = s.level
where l.home_heading is not null
group by l.level, l.level_order, l.home_heading, l.home_filter
order by l.level_order
