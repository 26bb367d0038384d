-- One row per key-figure card of the home page, in order (site.md, home: "766 total and band
-- ... on-time, online, overdue-open and satisfaction rates with change from the previous
-- period"): the province's 766 total when scored, then its four rates, each with its change
-- since the previous period (scores_766, page_rate_changes). Labels from seed_labels_cards.
-- Used by the pages only, not published.
-- reads: page_home, page_units, scores_766, agency_period_metrics, page_rate_changes, seed_labels_cards
--
-- Columns (those of page_unit_cards):
--   row_order, card, label, value_format (points, percent), value, rank, rank_of (empty), band,
--   band_slug (the band's CSS class: macro slugify)
--   change, change_unit, higher_is_better, period_note (false)
with home as (
    select h.period, u.agency_id
    from page_home as h
    inner join page_units as u on u.is_province
    where h.period is not null
),

score as (
    select
        'total_100' as card,
        cast(s.total_100 as decimal(13, 2)) as value,
        s.band,
        s.change_total_100 as change
    from home as h
    inner join scores_766 as s
        on s.agency_id = h.agency_id and s.period = h.period and s.period_type = 'month'
),

rates as (
    select card, value, change
    from (
        select
            m.on_time_pct,
            m.online_pct,
            m.overdue_open_pct,
            m.satisfied_pct,
            c.change_on_time_pct,
            c.change_online_pct,
            c.change_overdue_open_pct,
            c.change_satisfied_pct
        from home as h
        left join agency_period_metrics as m
            on m.agency_id = h.agency_id and m.period = h.period and m.period_type = 'month'
        left join page_rate_changes as c
            on c.agency_id = h.agency_id and c.period = h.period and c.period_type = 'month'
    )
    unpivot include nulls (
        (value, change) for card in (
            (on_time_pct, change_on_time_pct) as on_time_pct,
            (online_pct, change_online_pct) as online_pct,
            (overdue_open_pct, change_overdue_open_pct) as overdue_open_pct,
            (satisfied_pct, change_satisfied_pct) as satisfied_pct
        )
    )
),

cards as (
    select card, value, band, change from score
    union all
    select card, cast(value as decimal(13, 2)), null, change
    from rates
)

select
    row_number() over (order by l.card_order) as row_order,
    c.card,
    l.label,
    l.value_format,
    c.value,
    cast(null as integer) as rank,
    cast(null as integer) as rank_of,
    c.band,
    slugify(c.band) as band_slug,
    c.change,
    l.change_unit,
    l.higher_is_better,
    false as period_note
from cards as c
inner join seed_labels_cards as l on l.card = c.card
order by row_order
