-- One row per ranking page: /xep-hang/<period>/ for every period of dim_periods, and the hub
-- /xep-hang/, which shows the site's period (page_site_periods.is_latest; no period when there
-- is none). Each page lists every unit of the period by level, ranked units first (site.md:
-- "ranking of every unit for a period, one tab or section per level"), with what its
-- description says. Used by the pages only, not published.
-- reads: page_ranking, page_site_periods, page_units, seed_labels_levels
--
-- Columns:
--   path, root       the page's file under docs/, the way back to the site's root
--   hub              the hub page (it also lists every period: page_ranking_years)
--   page_order       the order the pages are written in (periods newest first, then the hub)
--   period, prev, next   {period, complete}: the page's period and the previous and next period
--                    of the same type (empty at either end)
--   province_row     {slug, total_100, band, band_slug, on_time_pct} of the province unit in the
--                    period
--   levels           the levels with a ranked unit, in order: [{label, ranked, unranked, rows}]
--                    with rows the page_ranking lines of the level (ranked first, by rank)
--   unranked_levels  the levels whose units are all unranked (e.g. districts after 1 July
--                    2025): [{label, rows}]
--   ranked_text      "3 sở, ban, ngành, 18 cấp xã": the units ranked per level, for the page's
--                    description; 'chưa có đơn vị nào được xếp hạng' when none is
--   leader           {level_name, agency_name, total_100}: the first unit of the first level
--                    with a ranked unit; empty when none is ranked
with lines as (
    select
        r.period,
        r.level,
        l.level_order,
        l.tab,
        l.name,
        r.ranked,
        r.rank_order,
        r.agency_name,
        r.agency_id,
        r.total_100,
        {
            'ranked': r.ranked, 'rank': r.rank, 'slug': r.slug, 'agency_name': r.agency_name,
            'band': r.band, 'band_slug': r.band_slug, 'total_100': r.total_100, 'CKMB': r.CKMB,
            'TDGQ': r.TDGQ,
            'CLGQ': r.CLGQ, 'TTTT': r.TTTT, 'MDSH': r.MDSH, 'MDHL': r.MDHL,
            'on_time_pct': r.on_time_pct, 'online_pct': r.online_pct,
            'received_new': r.received_new, 'to_handle': r.to_handle,
            'not_ranked_reason': r.not_ranked_reason
        } as line
    from page_ranking as r
    inner join seed_labels_levels as l on l.level = r.level
    where r.level <> 'province'
),

levels as (
    select
        period,
        level_order,
        tab,
        name,
        count(*) filter (where ranked) as ranked_units,
        count(*) filter (where not ranked) as unranked_units,
        list(line order by ranked desc, rank_order, agency_name, agency_id) as lines,
        arg_min({'agency_name': agency_name, 'total_100': total_100}, rank_order)
            filter (where ranked) as first
    from lines
    group by period, level, level_order, tab, name
),

per_period as (
    select
        period,
        list({
            'label': tab, 'ranked': ranked_units, 'unranked': unranked_units, 'rows': lines
        } order by level_order) filter (where ranked_units > 0) as levels,
        list({'label': tab, 'rows': lines} order by level_order)
            filter (where ranked_units = 0) as unranked_levels,
        string_agg(ranked_units || ' ' || name, ', ' order by level_order)
            filter (where ranked_units > 0) as ranked_text,
        arg_min({
            'level_name': name, 'agency_name': first.agency_name, 'total_100': first.total_100
        }, level_order) filter (where ranked_units > 0) as leader
    from levels
    group by period
),

province as (
    select
        r.period,
        {
            'slug': r.slug, 'total_100': r.total_100, 'band': r.band, 'band_slug': r.band_slug,
            'on_time_pct': r.on_time_pct
        } as province_row
    from page_ranking as r
    inner join page_units as u on u.agency_id = r.agency_id
    where u.is_province
),

periods as (
    select
        period,
        first_day,
        period_type,
        is_latest,
        {'period': period, 'complete': complete} as period_ref,
        lag({'period': period, 'complete': complete}) over w as prev,
        lead({'period': period, 'complete': complete}) over w as next
    from page_site_periods
    window w as (partition by period_type order by first_day)
),

period_pages as (
    select
        row_number() over (order by p.first_day desc, p.period_type) as page_order,
        p.period,
        p.is_latest,
        p.period_ref,
        p.prev,
        p.next,
        pr.province_row,
        coalesce(pp.levels, []) as levels,
        coalesce(pp.unranked_levels, []) as unranked_levels,
        coalesce(pp.ranked_text, 'chưa có đơn vị nào được xếp hạng') as ranked_text,
        pp.leader
    from periods as p
    left join per_period as pp on pp.period = p.period
    left join province as pr on pr.period = p.period
)

select
    'xep-hang/' || period || '/index.md' as path,
    '../../' as root,
    false as hub,
    page_order,
    period_ref as period,
    prev,
    next,
    province_row,
    levels,
    unranked_levels,
    ranked_text,
    leader
from period_pages
union all
select
    'xep-hang/index.md',
    '../',
    true,
    (select count(*) from period_pages) + 1,
    pp.period_ref,
    pp.prev,
    pp.next,
    pp.province_row,
    coalesce(pp.levels, []),
    coalesce(pp.unranked_levels, []),
    pp.ranked_text,
    pp.leader
from (select 1) as one_row
left join period_pages as pp on pp.is_latest
order by page_order
