-- One row per page /danh-gia-cong/<slug>/: a unit the national portal evaluates (portal_units: a
-- province, a department, a commune), shown at its "shown capture": the latest capture of its
-- latest year-to-date period (the portal's own default view), else its latest capture; a
-- capture that publishes its six groups before one that gives only its total (the overview
-- above a details file). Its
-- official total and groups as published (portal_scores), its rank within its level in that
-- capture, its province (name and page), the one-stop unit matched through agencies.portal_code
-- (its page /co-quan/<agency_slug>/, when the build has that unit), how many of the portal's own
-- checks it fails in that capture (portal_checks), and whether the capture has its details
-- (metrics with numerators and denominators); has_units: a province whose departments or
-- communes the build has (its page ranks them). Used by the pages only.
-- reads: dim_agencies, portal_checks, portal_metrics, portal_scores, portal_units, seed_labels_levels
--
-- Columns: path, slug, portal_code, name, level, level_name, province_code, province_name,
-- province_slug, is_province, period, period_type, complete, captured_at, total, CKMB … MDHL, rank,
-- rank_of, agency_slug, failed_checks, has_details, captures (how many captures of the unit),
-- has_units
with shown as (
    select
        portal_code,
        arg_max(
            struct_pack(period, period_type, captured_at),
            struct_pack(
                is_year := period_type = 'year',
                year_period := case when period_type = 'year' then period end,
                has_groups := CKMB is not null,
                captured_at
            )
        ) as pick,
        count(*) as captures
    from portal_scores
    group by portal_code
),

scores as (
    select s.*, h.captures
    from portal_scores as s
    inner join shown as h
        on h.portal_code = s.portal_code and h.pick.period = s.period
        and h.pick.captured_at = s.captured_at
),

checks as (
    select portal_code, period, captured_at, count(*) as failed_checks
    from portal_checks
    group by all
),

details as (
    select distinct portal_code, period, captured_at
    from portal_metrics
),

provinces_with_units as (
    select distinct province_code
    from portal_units
    where level <> 'province'
),

units as (
    select
        u.*,
        slugify_id(u.portal_code) as slug,
        p.name as province_name,
        slugify_id(p.portal_code) as province_slug
    from portal_units as u
    left join portal_units as p on p.portal_code = u.province_code
),

final as (
    select
        'danh-gia-cong/' || u.slug || '/index.md' as path,
        u.slug,
        u.portal_code,
        coalesce(u.name, u.portal_code) as name,
        u.level,
        l.name as level_name,
        u.province_code,
        u.province_name,
        u.province_slug,
        u.level = 'province' as is_province,
        s.period,
        s.period_type,
        s.complete,
        s.captured_at,
        s.total,
        s.CKMB,
        s.TDGQ,
        s.CLGQ,
        s.TTTT,
        s.MDSH,
        s.MDHL,
        s.rank,
        s.rank_of,
        a.slug as agency_slug,
        coalesce(c.failed_checks, 0) as failed_checks,
        d.portal_code is not null as has_details,
        s.captures,
        w.province_code is not null and u.level = 'province' as has_units
    from units as u
    inner join scores as s on s.portal_code = u.portal_code
    left join seed_labels_levels as l on l.level = u.level
    left join dim_agencies as a on a.agency_id = u.agency_id
    left join provinces_with_units as w on w.province_code = u.portal_code
    left join checks as c
        on c.portal_code = u.portal_code and c.period = s.period and c.captured_at = s.captured_at
    left join details as d
        on d.portal_code = u.portal_code and d.period = s.period and d.captured_at = s.captured_at
)

select * from final
order by path
