-- One row per unit × period (the rows of dim_agency_periods): the Decision 766 score (rule set
-- qd766-v1, methodology §3) from the indicators of index_766, with band, rank within the unit's
-- level, the official score where imported, and the change since the previous period.
--
-- Group scores (CKMB ... MDHL) = sum of the group's assessed points, rounded half-up to two
-- decimals; empty when none of the group's indicators is assessed. total = sum of every assessed
-- indicator's unrounded points, rounded (so it can differ by 0.01 from the sum of the rounded
-- group scores). assessed_max = sum of the maxima of the assessed indicators. total_100 =
-- unrounded total / assessed_max × 100, rounded; empty when nothing is assessed.
-- band: the highest cfg_bands threshold that the rounded total_100 reaches.
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
-- change_total_100 = total_100 - total_100 of the previous period of the same type (both rounded).
-- reads: cfg_bands, dim_agencies, dim_agency_periods, dim_periods, index_766, stg_official_scores
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
        sum(points_exact) filter (where "group" = 'CKMB') as ckmb_exact,
        sum(points_exact) filter (where "group" = 'TDGQ') as tdgq_exact,
        sum(points_exact) filter (where "group" = 'CLGQ') as clgq_exact,
        sum(points_exact) filter (where "group" = 'TTTT') as tttt_exact,
        sum(points_exact) filter (where "group" = 'MDSH') as mdsh_exact,
        sum(points_exact) filter (where "group" = 'MDHL') as mdhl_exact,
        sum(points_exact) as total_exact,
        coalesce(sum(max_points) filter (where assessed), 0) as assessed_max,
        string_agg(indicator, ',' order by indicator) filter (where not assessed) as not_assessed
    from indicators
    group by agency_id, period
),

scored as (
    select
        ap.*,
        round2(s.ckmb_exact) as CKMB,
        round2(s.tdgq_exact) as TDGQ,
        round2(s.clgq_exact) as CLGQ,
        round2(s.tttt_exact) as TTTT,
        round2(s.mdsh_exact) as MDSH,
        round2(s.mdhl_exact) as MDHL,
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

official as (
    select
        agency_id,
        period,
        round2(any_value(score) filter (where "group" = 'TOTAL')) as official_total,
        round2(any_value(score) filter (where "group" = 'CKMB')) as official_CKMB,
        round2(any_value(score) filter (where "group" = 'TDGQ')) as official_TDGQ,
        round2(any_value(score) filter (where "group" = 'CLGQ')) as official_CLGQ,
        round2(any_value(score) filter (where "group" = 'TTTT')) as official_TTTT,
        round2(any_value(score) filter (where "group" = 'MDSH')) as official_MDSH,
        round2(any_value(score) filter (where "group" = 'MDHL')) as official_MDHL
    from stg_official_scores
    where reject_reason is null
    group by agency_id, period
),

compared as (
    select
        s.*,
        o.official_total,
        s.total_100 - o.official_total as official_diff,
        abs(s.total_100 - o.official_total) > getvariable('official_score_tolerance')
            as official_flag,
        o.official_CKMB,
        o.official_TDGQ,
        o.official_CLGQ,
        o.official_TTTT,
        o.official_MDSH,
        o.official_MDHL,
        nullif(concat_ws(',',
            case when abs(s.CKMB - o.official_CKMB) > getvariable('official_score_tolerance')
                then 'CKMB' end,
            case when abs(s.TDGQ - o.official_TDGQ) > getvariable('official_score_tolerance')
                then 'TDGQ' end,
            case when abs(s.CLGQ - o.official_CLGQ) > getvariable('official_score_tolerance')
                then 'CLGQ' end,
            case when abs(s.TTTT - o.official_TTTT) > getvariable('official_score_tolerance')
                then 'TTTT' end,
            case when abs(s.MDSH - o.official_MDSH) > getvariable('official_score_tolerance')
                then 'MDSH' end,
            case when abs(s.MDHL - o.official_MDHL) > getvariable('official_score_tolerance')
                then 'MDHL' end,
            case when abs(s.total_100 - o.official_total) > getvariable('official_score_tolerance')
                then 'TOTAL' end
        ), '') as official_flagged_groups
    from scored as s
    left join official as o on o.agency_id = s.agency_id and o.period = s.period
),

final as (
    select
        c.agency_id,
        c.agency_name,
        c.level,
        c.period,
        c.period_type,
        c.complete,
        c.CKMB,
        c.TDGQ,
        c.CLGQ,
        c.TTTT,
        c.MDSH,
        c.MDHL,
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
        c.official_CKMB,
        c.official_TDGQ,
        c.official_CLGQ,
        c.official_TTTT,
        c.official_MDSH,
        c.official_MDHL,
        c.official_flagged_groups,
        c.previous_period,
        prev.total_100 as previous_total_100,
        c.total_100 - prev.total_100 as change_total_100,
        getvariable('rule_set') as rule_set
    from compared as c
    left join bands as b on b.agency_id = c.agency_id and b.period = c.period
    left join ranking as r on r.agency_id = c.agency_id and r.period = c.period
    left join scored as prev on prev.agency_id = c.agency_id and prev.period = c.previous_period
)

select * from final
order by period_type, period, level, rank_order nulls last, agency_id
