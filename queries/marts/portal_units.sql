-- One row per unit the national portal names in its evaluation: a province, a department, a
-- commune (not the country, whose overview has no code). Its code (departmentCode), id, name
-- and level as its latest capture gives them (a value the latest leaves out: the latest that
-- has one), the province it belongs to (a province: its own code), and agency_id: the one-stop
-- unit whose agencies.portal_code is this code (stg_agencies, clean rows: a code given to two
-- agencies quarantines both; codes compared in upper case), empty when none.
-- reads: stg_agencies, stg_portal_scores
with units as (
    select
        portal_code,
        arg_max(portal_id, captured_at) filter (where portal_id is not null) as portal_id,
        arg_max(name, captured_at) filter (where name is not null) as name,
        arg_max(level, captured_at) as level,
        arg_max(province_code, captured_at) filter (where province_code is not null)
            as province_code
    from stg_portal_scores
    where level <> 'national'
    group by portal_code
),

agencies as (
    select portal_code, agency_id
    from stg_agencies
    where reject_reason is null and portal_code is not null
),

final as (
    select
        u.portal_code,
        u.portal_id,
        u.name,
        u.level,
        u.province_code,
        a.agency_id
    from units as u
    left join agencies as a on a.portal_code = upper(u.portal_code)
)

select * from final
order by portal_code
