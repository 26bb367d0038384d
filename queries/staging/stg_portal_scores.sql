-- One row per unit of the portal's evaluation (level national: the country, its code empty;
-- province, department, commune) × period × capture (raw_portal_scores: the reader made one row
-- of the files of one capture, a value one file leaves out taken from another, and stopped the
-- build where they disagree), as published: name, ids, total, the six groups (CLGQ is the units'
-- ONLINE), score_delta, growth_percent; nothing corrected. captured_at: local time (as
-- stg_portal_captures). listed: the unit is an entry of a list (a national ranking, a province's
-- unit list, a details file), not only the overview a list is about; position: its place in the
-- first file listing it (the portal's order); in_national: an entry of a national ranking.
-- reads: raw_portal_scores, raw_portal_units, stg_portal_captures
with entries as (
    select
        u.portal_code,
        c.period,
        c.captured_at,
        arg_min(u.position, u.file) as position,
        bool_or(c.shape = 'national') as in_national
    from raw_portal_units as u
    inner join stg_portal_captures as c on c.file = u.file
    where u.member <> 'overview'
    group by u.portal_code, c.period, c.captured_at
),

scores as (
    select
        * exclude (time_type, captured_at, files),
        time_type as period_type,
        captured_at + interval 7 hour as captured_at,
        len(files) as files
    from raw_portal_scores
),

final as (
    select
        s.level,
        s.portal_code,
        s.period_type,
        s.year,
        s.period_number,
        s.period,
        s.captured_at,
        s.complete,
        s.province_code,
        s.portal_id,
        s.name,
        s.child_group,
        s.total,
        s.total_max,
        s.ratio,
        s.score_delta,
        s.growth_percent,
        s.CKMB,
        s.TDGQ,
        s.CLGQ,
        s.TTTT,
        s.MDSH,
        s.MDHL,
        e.portal_code is not null as listed,
        e.position,
        coalesce(e.in_national, false) as in_national,
        s.files
    from scores as s
    left join entries as e
        on e.portal_code = s.portal_code and e.period = s.period and e.captured_at = s.captured_at
)

select * from final
