-- One row per unit × rate card of its page /co-quan/<slug>/ (on-time, online, overdue-open and
-- satisfaction rates of page_unit_metrics, its page period): the rate with its numerator and
-- denominator, beside the province's rate and the median of the unit's level in the same month
-- (issue 13: "how it compares with the province and with the median of its level"). Used by
-- the cards and the verdict of the page; not published.
--
-- Rates and counts (agency_period_metrics, methodology §2):
--   on_time_pct       resolved_early + resolved_on_time / resolved
--   online_pct        received_online / received_new
--   overdue_open_pct  in_progress_overdue / (in_progress + waiting_applicant)
--   satisfied_pct     ratings_satisfied / ratings
-- province_value: the rate of the province unit (page_units.is_province) in the same month;
-- empty for the province unit itself. median_value: the median of the rate over the units of
-- the same level in the same month that may be ranked (ranked_eligible: they existed and had at
-- least min_to_handle dossiers to handle) and have the rate, half-up to two decimals; empty for
-- the province unit and when no unit of the level qualifies. median_units: how many units.
-- vs_province, vs_median: 'cao hơn', 'thấp hơn' or 'bằng' (the rounded rates compared); empty
-- when either side is empty. better_province, better_median: the difference is an improvement
-- (seed_labels_cards.higher_is_better), empty when equal or not compared.
-- comparison: the phrase the verdict and the card print after the rate, the word said once
-- when both agree ("thấp hơn toàn tỉnh (94,61%) và trung vị các xã, phường, đặc khu (95,10%)"),
-- else each with its own ("…, cao hơn trung vị …"); rates written the Vietnamese way (two
-- decimals, decimal comma); empty when nothing is compared.
--
-- Columns:
--   agency_id, row_order (the cards' order), card, label, explain, numerator_label,
--   denominator_label, value, numerator, denominator, province_value, median_value,
--   median_units, median_of ("các xã, phường, đặc khu": seed_labels_levels.peers),
--   vs_province, vs_median, comparison, better_province, better_median
-- reads: agency_period_metrics, page_unit_metrics, page_units, seed_labels_cards, seed_labels_levels
with unit_rates as (
    select
        m.agency_id, m.period, m.level, u.is_province,
        m.on_time_pct, m.resolved_early + m.resolved_on_time as on_time_num,
        m.resolved as on_time_den,
        m.online_pct, m.received_online as online_num, m.received_new as online_den,
        m.overdue_open_pct, m.in_progress_overdue as overdue_num,
        m.in_progress + m.waiting_applicant as overdue_den,
        m.satisfied_pct, m.ratings_satisfied as satisfied_num, m.ratings as satisfied_den
    from page_unit_metrics as m
    inner join page_units as u on u.agency_id = m.agency_id
),

long as (
    select agency_id, period, level, is_province, card, value, numerator, denominator
    from unit_rates
    unpivot include nulls (
        (value, numerator, denominator) for card in (
            (on_time_pct, on_time_num, on_time_den) as on_time_pct,
            (online_pct, online_num, online_den) as online_pct,
            (overdue_open_pct, overdue_num, overdue_den) as overdue_open_pct,
            (satisfied_pct, satisfied_num, satisfied_den) as satisfied_pct
        )
    )
),

province as (
    select m.period, m.on_time_pct, m.online_pct, m.overdue_open_pct, m.satisfied_pct
    from agency_period_metrics as m
    inner join page_units as u on u.agency_id = m.agency_id and u.is_province
    where m.period_type = 'month'
),

province_long as (
    select period, card, value
    from province
    unpivot include nulls (
        value for card in (on_time_pct, online_pct, overdue_open_pct, satisfied_pct)
    )
),

peers as (
    select m.period, m.level, m.on_time_pct, m.online_pct, m.overdue_open_pct, m.satisfied_pct
    from agency_period_metrics as m
    inner join page_units as u on u.agency_id = m.agency_id and not u.is_province
    where m.period_type = 'month' and m.ranked_eligible
),

peers_long as (
    select period, level, card, value
    from peers
    unpivot (value for card in (on_time_pct, online_pct, overdue_open_pct, satisfied_pct))
),

medians as (
    select
        period, level, card,
        round(cast(median(value) as decimal(18, 4)), 2) as median_value,
        count(*) as median_units
    from peers_long
    group by period, level, card
),

compared as (
    select
        l.agency_id,
        l.card,
        l.value,
        l.numerator,
        l.denominator,
        case when not l.is_province then p.value end as province_value,
        case when not l.is_province then md.median_value end as median_value,
        case when not l.is_province then coalesce(md.median_units, 0) else 0 end as median_units,
        lv.peers as median_of
    from long as l
    left join province_long as p on p.period = l.period and p.card = l.card
    left join medians as md on md.period = l.period and md.level = l.level and md.card = l.card
    left join seed_labels_levels as lv on lv.level = l.level
),

worded as (
    select
        c.*,
        case
            when c.value is null or c.province_value is null then null
            when c.value > c.province_value then 'cao hơn'
            when c.value < c.province_value then 'thấp hơn'
            else 'bằng'
        end as vs_province,
        case
            when c.value is null or c.median_value is null then null
            when c.value > c.median_value then 'cao hơn'
            when c.value < c.median_value then 'thấp hơn'
            else 'bằng'
        end as vs_median,
        case
            when c.value = c.province_value then null
            else (c.value > c.province_value) = s.higher_is_better
        end as better_province,
        case
            when c.value = c.median_value then null
            else (c.value > c.median_value) = s.higher_is_better
        end as better_median,
        s.card_order,
        s.label,
        s.explain,
        s.numerator_label,
        s.denominator_label
    from compared as c
    inner join seed_labels_cards as s on s.card = c.card
),

phrased as (
    select
        *,
        vs_province || ' toàn tỉnh ('
            || replace(format('{:.2f}', cast(province_value as double)), '.', ',') || '%)'
            as province_part,
        'trung vị ' || median_of || ' ('
            || replace(format('{:.2f}', cast(median_value as double)), '.', ',') || '%)'
            as median_part
    from worded
),

final as (
    select
        agency_id,
        row_number() over (partition by agency_id order by card_order) as row_order,
        card,
        label,
        explain,
        numerator_label,
        denominator_label,
        value,
        numerator,
        denominator,
        province_value,
        median_value,
        median_units,
        median_of,
        vs_province,
        vs_median,
        case
            when vs_median is null then province_part
            when vs_province is null then vs_median || ' ' || median_part
            when vs_median = vs_province then province_part || ' và ' || median_part
            else province_part || ', ' || vs_median || ' ' || median_part
        end as comparison,
        better_province,
        better_median
    from phrased
)

select * from final
order by agency_id, row_order
