-- One row per unit × key-figure card of its page /co-quan/<slug>/, for the units with figures
-- in their page period (page_unit_metrics): the official 766 score first when there is one
-- (page_unit_verdict.official_card: imported, or the national portal's), then the recomputed
-- total (when scored), the rank among its peers (page_unit_headline.show_rank), then the
-- on-time, online, overdue-open and satisfaction rates, each with its change since the previous
-- period (page_rate_changes, scores_766), its numerator and denominator and its comparison with
-- the province and the level's median (page_unit_compare). The cards' order, labels and units
-- are those of seed_labels_cards. Used by the pages only.
--
-- Columns:
--   agency_id, row_order (1, 2, … within the unit), card (total_100, rank, on_time_pct,
--   online_pct, overdue_open_pct, satisfied_pct), label (the rank's names the unit's peers)
--   value_format       how the value reads: points, percent, or rank (rank/rank_of)
--   value, rank, rank_of, band, band_slug (the band's CSS class: macro slugify)
--   change             the change since the previous period (points, or percentage points)
--   change_unit        its unit in words
--   higher_is_better   whether a rise is an improvement (false for overdue dossiers)
--   period_note        the card names the period under its value (the rank's)
--   numerator, denominator, numerator_label, denominator_label   a rate's counts and what they
--                      count (empty for the other cards)
--   comparison         a rate's comparison with the province and the level's median, in words
--   explain            the card's one-line explanation (seed_labels_cards)
--   band_note          the total's reason for having no band (page_unit_verdict)
--   official_gap       the recomputed total's gap to the official score (recomputed − official)
-- reads: page_rate_changes, page_unit_compare, page_unit_headline, page_unit_metrics, page_unit_scores, page_unit_verdict, seed_labels_cards
with metrics as (
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
        v.agency_id, v.official_card as card, v.official_value as value,
        null as rank, null as rank_of, null as band, null as change
    from page_unit_verdict as v
    where v.official_card is not null
    union all
    select
        s.agency_id, 'total_100' as card, cast(s.total_100 as decimal(13, 2)) as value,
        null as rank, null as rank_of, s.band, s.change_total_100 as change
    from page_unit_scores as s
    inner join metrics as m on m.agency_id = s.agency_id
    union all
    select s.agency_id, 'rank', null, s.rank, s.rank_of, null, null
    from page_unit_scores as s
    inner join metrics as m on m.agency_id = s.agency_id
    inner join page_unit_headline as h on h.agency_id = s.agency_id
    where h.show_rank
    union all
    select v.agency_id, v.card, cast(v.value as decimal(13, 2)), null, null, null, c.change
    from rate_values as v
    left join rate_changes as c on c.agency_id = v.agency_id and c.card = v.card
)

select
    c.agency_id,
    row_number() over (partition by c.agency_id order by l.card_order) as row_order,
    c.card,
    case when c.card = 'rank' then l.label || ' ' || h.peers else l.label end as label,
    l.value_format,
    c.value,
    c.rank,
    c.rank_of,
    c.band,
    slugify(c.band) as band_slug,
    c.change,
    l.change_unit,
    l.higher_is_better,
    c.card = 'rank' as period_note,
    cmp.numerator,
    cmp.denominator,
    l.numerator_label,
    l.denominator_label,
    cmp.comparison,
    l.explain,
    case when c.card = 'total_100' then v.band_note end as band_note,
    case when c.card = 'total_100' then v.official_gap end as official_gap
from cards as c
inner join seed_labels_cards as l on l.card = c.card
inner join page_unit_headline as h on h.agency_id = c.agency_id
left join page_unit_compare as cmp on cmp.agency_id = c.agency_id and cmp.card = c.card
left join page_unit_verdict as v on v.agency_id = c.agency_id
order by c.agency_id, row_order
