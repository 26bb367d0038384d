-- One row per unit × key-figure card of its page /co-quan/<slug>/, for the units with figures
-- in their page period (page_unit_metrics): the 766 total (when scored), the rank among its
-- peers (page_unit_headline.show_rank), then the on-time, online, overdue-open and satisfaction
-- rates, each with its change since the previous period (page_rate_changes, scores_766).
-- Used by the pages only, not published.
--
-- Columns:
--   agency_id, row_order (1, 2, … within the unit), card (total_100, rank, on_time_pct,
--   online_pct, overdue_open_pct, satisfied_pct), label
--   value_format       how the value reads: points, percent, or rank (rank/rank_of)
--   value, rank, rank_of, band
--   change             the change since the previous period (points, or percentage points)
--   change_unit        its unit in words
--   higher_is_better   whether a rise is an improvement (false for overdue dossiers)
--   period_note        the card names the period under its value
-- reads: page_unit_headline, page_unit_scores, page_unit_metrics, page_rate_changes
with rates (card_order, card, label, higher_is_better) as (
    values
        (3, 'on_time_pct', 'Hồ sơ giải quyết trước hạn, đúng hạn', true),
        (4, 'online_pct', 'Hồ sơ nộp trực tuyến', true),
        (5, 'overdue_open_pct', 'Hồ sơ tồn đã quá hạn', false),
        (6, 'satisfied_pct', 'Đánh giá hài lòng', true)
),

metrics as (
    select agency_id, period, period_type, on_time_pct, online_pct, overdue_open_pct,
        satisfied_pct
    from page_unit_metrics
),

changes as (
    select
        c.agency_id,
        c.change_on_time_pct as on_time_pct,
        c.change_online_pct as online_pct,
        c.change_overdue_open_pct as overdue_open_pct,
        c.change_satisfied_pct as satisfied_pct
    from page_rate_changes as c
    inner join metrics as m
        on m.agency_id = c.agency_id and m.period = c.period and m.period_type = c.period_type
),

rate_values as (
    select agency_id, card, value
    from metrics
    unpivot include nulls (
        value for card in (on_time_pct, online_pct, overdue_open_pct, satisfied_pct)
    )
),

rate_changes as (
    select agency_id, card, change
    from changes
    unpivot include nulls (
        change for card in (on_time_pct, online_pct, overdue_open_pct, satisfied_pct)
    )
),

cards as (
    select
        s.agency_id, 1 as card_order, 'total_100' as card,
        'Tổng điểm 766 (thang 100)' as label, 'points' as value_format,
        cast(s.total_100 as decimal(13, 2)) as value, null as rank, null as rank_of, s.band,
        s.change_total_100 as change, 'điểm' as change_unit,
        true as higher_is_better, false as period_note
    from page_unit_scores as s
    inner join page_unit_metrics as m on m.agency_id = s.agency_id
    union all
    select
        s.agency_id, 2, 'rank', 'Xếp hạng trong ' || h.peers, 'rank', null, s.rank,
        s.rank_of, null, null, null, true, true
    from page_unit_scores as s
    inner join page_unit_metrics as m on m.agency_id = s.agency_id
    inner join page_unit_headline as h on h.agency_id = s.agency_id
    where h.show_rank
    union all
    select
        v.agency_id, r.card_order, r.card, r.label, 'percent', cast(v.value as decimal(13, 2)),
        null, null, null, c.change, 'điểm phần trăm', r.higher_is_better,
        false
    from rate_values as v
    inner join rates as r on r.card = v.card
    left join rate_changes as c on c.agency_id = v.agency_id and c.card = v.card
)

select
    agency_id,
    row_number() over (partition by agency_id order by card_order) as row_order,
    card,
    label,
    value_format,
    value,
    rank,
    rank_of,
    band,
    change,
    change_unit,
    higher_is_better,
    period_note
from cards
order by agency_id, row_order
