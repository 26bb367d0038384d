-- One row per unit × period (the rows of dim_agency_periods): the Decision 766 score (the build's
-- rule set, methodology §3) from the indicators of index_766, with band, rank within the unit's
-- level, the official score where imported, and the change since the previous period.
--
-- Group scores: one column per group of seed_groups, named by its code (CKMB ... MDHL), in
-- group_order: the points of scores_766_groups (sum of the group's assessed points, rounded
-- half-up to two decimals; empty when none of the group's indicators is assessed); likewise
-- official_<group> for the official scores. total = sum of every assessed indicator's
-- unrounded points, rounded (so it can differ by 0.01 from the sum of the rounded group
-- scores). assessed_max = sum of the maxima of the assessed indicators. total_100 = unrounded
-- total / assessed_max × 100, rounded; empty when nothing is assessed.
-- band: the highest cfg_bands threshold that the rounded total_100 reaches, for a unit that may
-- be ranked (ranked_eligible: it existed in P and had at least min_to_handle dossiers to handle);
-- empty otherwise (too few files for a verdict, or a period after the unit ended).
-- rank: within level × period, among units that existed in P and had dossiers to handle
-- (ranked_eligible) and have a total_100; standard competition ranking (1, 2, 2, 4) by the
-- rounded total_100, highest first. rank_of = the number of ranked units of that level and
-- period. rank_order = display order: by rank, ties by name (Vietnamese collation), then id.
-- Units not ranked have rank, rank_of and rank_order empty.
-- Official scores (official_scores input, as the national portal published them, read to two
-- decimals): official_total is the TOTAL score, compared with total_100 because the portal
-- publishes totals out of 100: official_diff = total_100 - official_total, official_flag = the
-- difference is above official_score_tolerance (1 point). official_flagged_groups lists every
-- group (and TOTAL) whose official score differs from the computed one by more than that.
-- The computed score is never replaced by the official one.
-- change_total_100 = total_100 - total_100 of the previous period of the same type (both rounded),
-- when both periods have enough dossiers to be ranked (ranked_eligible); empty otherwise (a swing
-- on a handful of files is noise, not news).
-- reads: cfg_bands, dim_agencies, dim_agency_periods, dim_periods, index_766, scores_766_groups, seed_groups, stg_official_scores
with indicators as (
    select * from index_766
),

agency_periods as (
    select
        ap.agency_id,
        a.name as agency_name,
        a.level,
        ap.period,
        ap.period_type,
        p.complete,
        p.previous_period,
        ap.ranked_eligible
    from dim_agency_periods as ap
    inner join dim_agencies as a on a.agency_id = ap.agency_id
    inner join dim_periods as p on p.period = ap.period and p.period_type = ap.period_type
),

sums as (
    select
        agency_id,
        period,
        sum(points_exact) as total_exact,
        coalesce(sum(max_points) filter (where assessed), 0) as assessed_max,
        string_agg(indicator, ',' order by indicator) filter (where not assessed) as not_assessed
    from indicators
    group by agency_id, period
),

-- One column per group, named by its code, in the groups' order.
group_columns as (
    pivot (select agency_id, period, "group", points from scores_766_groups)
    on "group" in (select "group" from seed_groups order by group_order)
    using any_value(points)
    group by agency_id, period
),

scored as (
    select
        ap.*,
        round2(s.total_exact) as total,
        cast(s.assessed_max as integer) as assessed_max,
        case when s.assessed_max > 0 then round2(s.total_exact * 100 / s.assessed_max) end
            as total_100,
        s.not_assessed
    from agency_periods as ap
    inner join sums as s on s.agency_id = ap.agency_id and s.period = ap.period
),

bands as (
    select s.agency_id, s.period, arg_max(b.label, b.min_score) as band
    from scored as s
    inner join cfg_bands as b on s.total_100 >= b.min_score
    where s.ranked_eligible
    group by s.agency_id, s.period
),

ranking as (
    select
        agency_id,
        period,
        rank() over (partition by level, period order by total_100 desc) as rank,
        count(*) over (partition by level, period) as rank_of,
        row_number() over (
            partition by level, period
            order by total_100 desc, agency_name collate vi, agency_id
        ) as rank_order
    from scored
    where ranked_eligible and total_100 is not null
),

-- Official scores, one row per unit × period × group (or TOTAL), to two decimals.
official as (
    select agency_id, period, "group", round2(any_value(score)) as score
    from stg_official_scores
    where reject_reason is null
    group by agency_id, period, "group"
),

official_columns as (
    pivot (select agency_id, period, 'official_' || "group" as name, score from official)
    on name in (select 'official_' || "group" from seed_groups order by group_order)
    using any_value(score)
    group by agency_id, period
),

-- The groups whose official score differs from the computed one by more than the tolerance,
-- comma-separated in the groups' order.
flagged_groups as (
    select
        g.agency_id,
        g.period,
        string_agg(g."group", ',' order by g.group_order) as flagged
    from scores_766_groups as g
    inner join official as o
        on o.agency_id = g.agency_id and o.period = g.period and o."group" = g."group"
    where abs(g.points - o.score) > getvariable('official_score_tolerance')
    group by g.agency_id, g.period
),

compared as (
    select
        s.*,
        t.score as official_total,
        s.total_100 - t.score as official_diff,
        abs(s.total_100 - t.score) > getvariable('official_score_tolerance') as official_flag,
        nullif(concat_ws(',',
            f.flagged,
            case when abs(s.total_100 - t.score) > getvariable('official_score_tolerance')
                then 'TOTAL' end
        ), '') as official_flagged_groups
    from scored as s
    left join official as t
        on t.agency_id = s.agency_id and t.period = s.period and t."group" = 'TOTAL'
    left join flagged_groups as f on f.agency_id = s.agency_id and f.period = s.period
),

final as (
    select
        c.agency_id,
        c.agency_name,
        c.level,
        c.period,
        c.period_type,
        c.complete,
        g.* exclude (agency_id, period),
        c.total,
        c.assessed_max,
        c.total_100,
        b.band,
        cast(r.rank as integer) as rank,
        cast(r.rank_of as integer) as rank_of,
        cast(r.rank_order as integer) as rank_order,
        r.agency_id is not null as ranked,
        c.not_assessed,
        c.official_total,
        c.official_diff,
        c.official_flag,
        oc.* exclude (agency_id, period),
        c.official_flagged_groups,
        c.previous_period,
        prev.total_100 as previous_total_100,
        case
            when c.ranked_eligible and prev.ranked_eligible then c.total_100 - prev.total_100
        end as change_total_100,
        getvariable('rule_set') as rule_set
    from compared as c
    left join group_columns as g on g.agency_id = c.agency_id and g.period = c.period
    left join official_columns as oc on oc.agency_id = c.agency_id and oc.period = c.period
    left join bands as b on b.agency_id = c.agency_id and b.period = c.period
    left join ranking as r on r.agency_id = c.agency_id and r.period = c.period
    left join scored as prev on prev.agency_id = c.agency_id and prev.period = c.previous_period
)

select * from final
order by period_type, period, level, rank_order nulls last, agency_id
