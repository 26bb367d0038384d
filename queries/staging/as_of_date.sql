-- One row: the data's as-of date (data contract, "As-of date and periods"), as stg_dossiers
-- determined it: --as-of when given; else the date of the latest event timestamp of the dossiers
-- (submitted, received, finished, returned; never a due date) that is not after the build date,
-- so a mistyped year 2099 cannot move it (such rows are quarantined by stg_dossiers). A build
-- from the portal's files alone (no dossier): --as-of when given, else the day of the latest
-- capture (stg_portal_captures, local time).
-- reads: stg_dossiers, stg_portal_captures
with dossiers as (
    select max(as_of) as as_of, count(*) as dossiers
    from stg_dossiers
),

captures as (
    select max(captured_at)::date as captured_on
    from stg_portal_captures
),

final as (
    select
        case
            when d.dossiers > 0 then d.as_of
            else coalesce(cast(getvariable('as_of_arg') as date), c.captured_on)
        end as as_of,
        case
            when getvariable('as_of_arg') is not null then 'argument'
            when d.dossiers > 0 then 'latest_event'
            else 'portal_capture'
        end as as_of_source
    from dossiers as d, captures as c
)

select * from final
