-- One row per unit that matches nothing on the other side (portal.md, "Matching"), for the
-- data-quality page, when the build has both the one-stop export and the portal's unit lists:
-- a one-stop unit still active (stg_agencies, clean, no valid_to) whose portal_code is empty or
-- names no unit of the portal's files, and a unit the portal lists (portal_units, in a province
-- where at least one unit matched; in every province listed when none did) that no agency
-- carries. side: one_stop or portal. Empty otherwise. Used by the pages only.
-- reads: portal_units, stg_agencies
--
-- Columns: side, code (agency_id, or the portal's code), name, portal_code (the one-stop unit's,
-- may be empty), reason (Vietnamese)
with agencies as (
    select agency_id, name, portal_code
    from stg_agencies
    where reject_reason is null and valid_to is null
),

listed as (
    select *
    from portal_units
    where exists (select 1 from portal_units where level <> 'province')
        and exists (select 1 from agencies)
),

matched_provinces as (
    select distinct province_code
    from listed
    where agency_id is not null
),

in_scope as (
    select *
    from listed
    where province_code in (select province_code from matched_provinces)
        or not exists (select 1 from matched_provinces)
),

one_stop as (
    select
        'one_stop' as side,
        a.agency_id as code,
        a.name,
        a.portal_code,
        case
            when a.portal_code is null then 'chưa có mã trên Cổng Dịch vụ công quốc gia (cột portal_code)'
            else 'mã trên Cổng không có trong số liệu Cổng của bản dựng'
        end as reason
    from agencies as a
    where exists (select 1 from listed)
        and (a.portal_code is null or a.portal_code not in (select upper(portal_code) from listed))
),

portal as (
    select
        'portal' as side,
        portal_code as code,
        name,
        null as portal_code,
        'không đơn vị nào của dữ liệu một cửa mang mã này (cột portal_code của agencies)' as reason
    from in_scope
    where agency_id is null
),

final as (
    select * from one_stop
    union all
    select * from portal
)

select * from final
order by side, code
