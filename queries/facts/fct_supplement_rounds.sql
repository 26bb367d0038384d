-- One row per clean supplementation round of a clean dossier, numbered per dossier in the
-- order the rounds were requested (round_no 1, 2, ...).
-- reads: stg_supplements
with rounds as (
    select dossier_id, requested_at, supplied_at, new_due_at
    from stg_supplements
    where reject_reason is null
),

final as (
    select
        dossier_id,
        row_number() over (
            partition by dossier_id
            order by requested_at, supplied_at nulls last, new_due_at nulls last
        ) as round_no,
        requested_at,
        supplied_at,
        new_due_at
    from rounds
)

select * from final
