-- One row per (scope unit, unit whose dossiers it counts). Every unit counts its own dossiers;
-- the province unit counts every unit's (methodology §2: province figures add up every dossier,
-- rating and feedback of the data, whichever unit holds it). Join facts on agency_id and group
-- by scope_id to get per-unit figures with the province included.
-- reads: dim_agencies
with final as (
    select agency_id as scope_id, agency_id from dim_agencies where not is_province
    union all
    select p.agency_id as scope_id, a.agency_id
    from dim_agencies as p
    cross join dim_agencies as a
    where p.is_province
)

select * from final
