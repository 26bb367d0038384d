-- One row per quarantined input row: its table, key, reason, and where it was in the input.
-- Key columns and reason only: no other value of the row (it may hold personal data).
-- Keys are cut to 64 characters. A CSV line that could not be parsed (raw_rejects) has the key
-- the reader could read safely from it (ingest: the row's id), else 'dòng <n>', its line.
-- reads: raw_rejects, stg_agencies, stg_dossiers, stg_feedback, stg_official_scores, stg_procedure_publications, stg_procedures, stg_ratings, stg_supplements
with rows as (
    select 'agencies' as "table", agency_id as key, reject_reason as reason, _source as source, _line as line
    from stg_agencies where reject_reason is not null
    union all
    select 'procedures', procedure_id, reject_reason, _source, _line
    from stg_procedures where reject_reason is not null
    union all
    select 'dossiers', dossier_id, reject_reason, _source, _line
    from stg_dossiers where reject_reason is not null
    union all
    select 'supplements', dossier_id, reject_reason, _source, _line
    from stg_supplements where reject_reason is not null
    union all
    select 'ratings', coalesce(rating_id, dossier_id), reject_reason, _source, _line
    from stg_ratings where reject_reason is not null
    union all
    select 'feedback', feedback_id, reject_reason, _source, _line
    from stg_feedback where reject_reason is not null
    union all
    select 'procedure_publications', concat_ws(' / ', agency_id, procedure_id), reject_reason, _source, _line
    from stg_procedure_publications where reject_reason is not null
    union all
    select 'official_scores', concat_ws(' / ', agency_id, period, "group"), reject_reason, _source, _line
    from stg_official_scores where reject_reason is not null
    union all
    select table_name, coalesce(key, 'dòng ' || _line), reason, _source, _line
    from raw_rejects
),

final as (
    select
        "table",
        left(key, 64) as key,
        reason,
        source,
        line
    from rows
    order by "table", source, line
)

select * from final
