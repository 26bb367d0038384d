-- One row: the data's as-of date (data contract, "As-of date and periods"), as stg_dossiers
-- determined it: --as-of when given; else the date of the latest event timestamp of the dossiers
-- (submitted, received, finished, returned; never a due date) that is not after the build date,
-- so a mistyped year 2099 cannot move it (such rows are quarantined by stg_dossiers).
-- reads: stg_dossiers
with final as (
    select
        max(as_of) as as_of,
        case when getvariable('as_of_arg') is not null then 'argument' else 'latest_event' end
            as as_of_source
    from stg_dossiers
)

select * from final
