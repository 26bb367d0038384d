-- One row: the data's as-of date (data contract, "As-of date and periods").
-- It is --as-of when given; else the date of the latest event timestamp of the dossiers
-- (submitted, received, finished, returned; never a due date) that is not after the build date,
-- so a mistyped year 2099 cannot move it. Such rows are quarantined by stg_dossiers.
with events as (
    select parse_ts(submitted_at) as ts from raw_dossiers
    union all select parse_ts(received_at) from raw_dossiers
    union all select parse_ts(finished_at) from raw_dossiers
    union all select parse_ts(returned_at) from raw_dossiers
),

latest as (
    select max(cast(ts as date)) as latest_event
    from events
    where ts >= timestamp '2000-01-01' and cast(ts as date) <= cast(getvariable('build_date') as date)
),

final as (
    select
        coalesce(cast(getvariable('as_of_arg') as date), latest_event) as as_of,
        case when getvariable('as_of_arg') is not null then 'argument' else 'latest_event' end
            as as_of_source,
        latest_event
    from latest
)

select * from final
