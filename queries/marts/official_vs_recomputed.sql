-- One row per one-stop unit × period × subject where the national portal's published figures
-- and our recomputation from the dossier exports can be set side by side (the "remote
-- inspection", kiểm tra từ xa): subject is the total (kind total), each of the six groups
-- (kind group) and each metric the portal publishes that an indicator of the build's rule set
-- measures (kind metric, seed_portal_metric_map: e.g. qd766-v1 1.4 = DOSSIER_SYNC).
--
-- Which units: a portal unit whose code an agency carries (portal_units.agency_id, through
-- agencies.portal_code). Which capture is compared with our period P (scores_766): a capture of
-- the same period P (same text: 2026, 2026-Q3, 2026-09) that is complete when our P is complete;
-- or a capture of P that is not complete (year, quarter or month to date) when its capture date
-- (captured_at, local time) is our as-of date (as_of_date), whether or not our P is complete.
-- When several captures qualify, the latest (captured_at) is compared.
--
-- Official: as the portal published them (portal_scores: total and groups, their maxima 100 and
-- seed_groups.max_points, ratio = points / maximum × 100, no counts; portal_metrics: numerator,
-- denominator, ratio, points, max_points). Recomputed: the build's rule set (index_766: the
-- indicator's numerator, denominator, rate_pct, points, max_points; scores_766_groups: the
-- group's points out of the maxima of its assessed indicators, assessed_max; scores_766: total
-- out of assessed_max, rate = total_100), rate = points / assessed_max × 100 for a group.
-- comparable: the two maxima are equal, so points can be compared; gap = official points −
-- recomputed points then (empty otherwise, or when either side has no points); gap_rate =
-- official ratio − recomputed rate (percentage points), always shown when both exist: where the
-- maxima differ the rates are what is compared. Both half-up to two decimals.
-- gap_rank: the row's place among the rows of the same kind and period (every unit), by |gap|,
-- largest first; rows without a gap (not comparable) after them by |gap_rate|; competition
-- ranking (1, 2, 2, 4); empty when neither gap exists. subject_order (internal): groups in
-- seed_groups order, metrics in the portal's rule-set order (qd766-2026).
-- reads: as_of_date, index_766, portal_metrics, portal_scores, portal_units, scores_766, scores_766_groups, seed_groups, seed_portal_metric_map, seed_rule_set
with matched_units as (
    select portal_code, agency_id
    from portal_units
    where agency_id is not null
),

as_of as (
    select as_of from as_of_date
),

ours as (
    select agency_id, agency_name, period, period_type, complete, total, assessed_max,
        total_100, rule_set
    from scores_766
),

-- The captures that may be compared with our P, the latest first.
candidates as (
    select
        o.agency_id,
        u.portal_code,
        o.period,
        o.period_type,
        s.captured_at,
        s.complete as capture_complete,
        row_number() over (
            partition by o.agency_id, o.period, o.period_type order by s.captured_at desc
        ) as latest
    from ours as o
    inner join matched_units as u on u.agency_id = o.agency_id
    inner join portal_scores as s
        on s.portal_code = u.portal_code and s.period = o.period
        and s.period_type = o.period_type
    cross join as_of as a
    where (s.complete and o.complete)
        or (not s.complete and cast(s.captured_at as date) = a.as_of)
),

compared as (
    select agency_id, portal_code, period, period_type, captured_at, capture_complete
    from candidates
    where latest = 1
),

official_groups as (
    select
        s.portal_code,
        s.period,
        s.captured_at,
        g."group",
        g.group_order,
        g.group_name,
        g.max_points,
        case g."group"
            when 'CKMB' then s.CKMB
            when 'TDGQ' then s.TDGQ
            when 'CLGQ' then s.CLGQ
            when 'TTTT' then s.TTTT
            when 'MDSH' then s.MDSH
            when 'MDHL' then s.MDHL
        end as points
    from portal_scores as s
    cross join seed_groups as g
),

total_rows as (
    select
        c.*,
        'total' as kind,
        null as "group",
        'TOTAL' as subject,
        'Tổng điểm' as subject_name,
        0 as subject_order,
        null as indicator,
        null as official_numerator,
        null as official_denominator,
        s.total as official_ratio,
        s.total as official_points,
        100 as official_max_points,
        null as recomputed_numerator,
        null as recomputed_denominator,
        o.total_100 as recomputed_rate,
        o.total as recomputed_points,
        o.assessed_max as recomputed_max_points
    from compared as c
    inner join portal_scores as s
        on s.portal_code = c.portal_code and s.period = c.period
        and s.captured_at = c.captured_at
    inner join ours as o on o.agency_id = c.agency_id and o.period = c.period
),

group_rows as (
    select
        c.*,
        'group' as kind,
        g."group",
        g."group" as subject,
        og.group_name as subject_name,
        og.group_order as subject_order,
        null as indicator,
        null as official_numerator,
        null as official_denominator,
        round2(og.points * 100 / og.max_points) as official_ratio,
        og.points as official_points,
        og.max_points as official_max_points,
        null as recomputed_numerator,
        null as recomputed_denominator,
        case when g.assessed_max > 0 then round2(g.points * 100 / g.assessed_max) end
            as recomputed_rate,
        g.points as recomputed_points,
        g.assessed_max as recomputed_max_points
    from compared as c
    inner join official_groups as og
        on og.portal_code = c.portal_code and og.period = c.period
        and og.captured_at = c.captured_at
    inner join scores_766_groups as g
        on g.agency_id = c.agency_id and g.period = c.period and g."group" = og."group"
),

metric_rows as (
    select
        c.*,
        'metric' as kind,
        m."group",
        m.metric as subject,
        coalesce(r.indicator_name, m.metric_name, m.metric) as subject_name,
        100 + m.metric_order as subject_order,
        i.indicator,
        m.numerator as official_numerator,
        m.denominator as official_denominator,
        m.ratio as official_ratio,
        m.points as official_points,
        m.max_points as official_max_points,
        i.numerator as recomputed_numerator,
        i.denominator as recomputed_denominator,
        i.rate_pct as recomputed_rate,
        i.points as recomputed_points,
        i.max_points as recomputed_max_points
    from compared as c
    inner join portal_metrics as m
        on m.portal_code = c.portal_code and m.period = c.period
        and m.captured_at = c.captured_at
    inner join seed_portal_metric_map as map on map.portal_metric = m.metric
    inner join index_766 as i
        on i.agency_id = c.agency_id and i.period = c.period and i.indicator = map.indicator
        and i.rule_set = map.rule_set
    left join seed_rule_set as r on r.rule_set = 'qd766-2026' and r.indicator = m.metric
),

sides as (
    select * from total_rows
    union all by name
    select * from group_rows
    union all by name
    select * from metric_rows
),

gaps as (
    select
        *,
        official_max_points = recomputed_max_points as comparable,
        case when official_max_points = recomputed_max_points
            then round2(official_points - recomputed_points) end as gap,
        round2(official_ratio - recomputed_rate) as gap_rate
    from sides
),

ranked as (
    select
        *,
        case when gap is not null or gap_rate is not null then rank() over (
            partition by kind, period, period_type
            order by abs(gap) desc nulls last,
                case when gap is null then abs(gap_rate) end desc nulls last
        ) end as gap_rank
    from gaps
),

final as (
    select
        r.agency_id,
        o.agency_name,
        r.portal_code,
        r.period,
        r.period_type,
        o.complete,
        r.captured_at,
        r.capture_complete,
        r.kind,
        r."group",
        r.subject,
        r.subject_name,
        r.indicator,
        cast(r.official_numerator as double) as official_numerator,
        cast(r.official_denominator as double) as official_denominator,
        cast(r.official_ratio as double) as official_ratio,
        cast(r.official_points as double) as official_points,
        cast(r.official_max_points as double) as official_max_points,
        cast(r.recomputed_numerator as bigint) as recomputed_numerator,
        cast(r.recomputed_denominator as bigint) as recomputed_denominator,
        r.recomputed_rate,
        r.recomputed_points,
        cast(r.recomputed_max_points as integer) as recomputed_max_points,
        coalesce(r.comparable, false) as comparable,
        r.gap,
        r.gap_rate,
        cast(r.gap_rank as integer) as gap_rank,
        o.rule_set,
        r.subject_order
    from ranked as r
    inner join ours as o on o.agency_id = r.agency_id and o.period = r.period
)

select * from final
order by agency_id, period_type, period, subject_order, subject
