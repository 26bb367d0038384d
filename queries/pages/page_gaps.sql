-- One row: what the gap page /kiem-tra-tu-xa/ says before its tables, and why there may be
-- nothing to compare: whether the build has dossier exports (input_quality: dossiers present;
-- not in a build from the portal's files alone), the portal units in the build (portal_units;
-- none without a portal/ folder), those an agency carries the code of (agencies.portal_code),
-- the one-stop units and periods actually compared (official_vs_recomputed: a capture of the
-- right period and date, see its header). Used by the pages only, not published.
--
-- Columns: has_dossiers, portal_units, matched_units, compared_units, compared_periods,
-- compared_rows
-- reads: input_quality, official_vs_recomputed, portal_units
with inputs as (
    select coalesce(bool_or(present) filter (where table_name = 'dossiers'), false)
        as has_dossiers
    from input_quality
),

units as (
    select count(*) as portal_units, count(agency_id) as matched_units
    from portal_units
),

compared as (
    select
        count(distinct agency_id) as compared_units,
        count(distinct period) as compared_periods,
        count(*) as compared_rows
    from official_vs_recomputed
),

final as (
    select i.*, u.*, c.*
    from inputs as i
    cross join units as u
    cross join compared as c
)

select * from final
