-- One row per key-figure card of the home page, in order (site.md, home: "766 total and band
-- ... on-time, online, overdue-open and satisfaction rates with change from the previous
-- period"): the province's official 766 score first when there is one (scores_766.official_total,
-- else the national portal's total for the month: official_vs_recomputed), then its recomputed
-- total when scored (with its gap to the official score: recomputed − official), then its four
-- rates, each with its change since the previous period (scores_766, page_rate_changes) and its
-- numerator and denominator. Labels from seed_labels_cards. Used by the pages only, not
-- published.
-- reads: page_home, page_units, scores_766, agency_period_metrics, page_rate_changes, official_vs_recomputed, seed_labels_cards
--
-- Columns (those of page_unit_cards):
--   row_order, card, label, value_format (points, percent), value, rank, rank_of (empty), band,
--   band_slug (the band's CSS class: macro slugify)
--   change, change_unit, higher_is_better, period_note (false)
--   numerator, denominator, numerator_label, denominator_label, explain   as page_unit_cards
--   comparison (empty: the province is what units are compared with), band_note (empty)
--   official_gap       on the recomputed total: total_100 − the official score shown first
with home as (
    select h.period, u.agency_id
    from page_home as h
    inner join page_units as u on u.is_province
    where h.period is not null
),

portal as (
    select cast(o.official_ratio as decimal(12, 2)) as official_ratio
    from home as h
    inner join official_vs_recomputed as o
        on o.agency_id = h.agency_id and o.period = h.period and o.period_type = 'month'
    where o.kind = 'total'
),

official as (
    select
        case
            when s.official_total is not null then 'official_total'
            when p.official_ratio is not null then 'portal_total'
        end as card,
        coalesce(s.official_total, p.official_ratio) as value
    from home as h
    left join scores_766 as s
        on s.agency_id = h.agency_id and s.period = h.period and s.period_type = 'month'
    left join portal as p on true
),

score as (
    select
        'official' as card,
        cast(o.value as decimal(13, 2)) as value,
        null as band,
        null as change,
        null as numerator,
        null as denominator,
        o.card as official_card
    from official as o
    where o.card is not null
    union all
    select
        'total_100' as card,
        cast(s.total_100 as decimal(13, 2)) as value,
        s.band,
        s.change_total_100 as change,
        null,
        null,
        null
    from home as h
    inner join scores_766 as s
        on s.agency_id = h.agency_id and s.period = h.period and s.period_type = 'month'
),

rates as (
    select card, value, change, numerator, denominator
    from (
        select
            m.on_time_pct,
            m.online_pct,
            m.overdue_open_pct,
            m.satisfied_pct,
            m.resolved_early + m.resolved_on_time as on_time_num,
            m.resolved as on_time_den,
            m.received_online as online_num,
            m.received_new as online_den,
            m.in_progress_overdue as overdue_num,
            m.in_progress + m.waiting_applicant as overdue_den,
            m.ratings_satisfied as satisfied_num,
            m.ratings as satisfied_den,
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
        (value, change, numerator, denominator) for card in (
            (on_time_pct, change_on_time_pct, on_time_num, on_time_den) as on_time_pct,
            (online_pct, change_online_pct, online_num, online_den) as online_pct,
            (overdue_open_pct, change_overdue_open_pct, overdue_num, overdue_den)
                as overdue_open_pct,
            (satisfied_pct, change_satisfied_pct, satisfied_num, satisfied_den) as satisfied_pct
        )
    )
),

cards as (
    select
        coalesce(official_card, card) as card, value, band, change, numerator, denominator
    from score
    union all
    select card, cast(value as decimal(13, 2)), null, change, numerator, denominator
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
    false as period_note,
    c.numerator,
    c.denominator,
    l.numerator_label,
    l.denominator_label,
    cast(null as varchar) as comparison,
    l.explain,
    cast(null as varchar) as band_note,
    case
        when c.card = 'total_100'
            then cast(c.value - (select value from official) as decimal(12, 2))
    end as official_gap
from cards as c
inner join seed_labels_cards as l on l.card = c.card
order by row_order
