-- One row per unit × period of agency_period_metrics: a unit's own CSV,
-- /co-quan/<slug>/<slug>.csv (site.md, unit scorecard: "links to this unit's data as CSV"), read
-- as it is by minhbach/publish/unit_csvs.py, which writes each unit's rows, ordered by
-- agency_id, period and period_type, to the file named by its slug (a unit with no rows gets the
-- header only).
--
-- Columns: slug (the file's name, not written), every column of agency_period_metrics, then the
-- period's 766 score from scores_766 (the columns it publishes that agency_period_metrics lacks;
-- empty when the unit has no score for the period). The contract beside it lists them.
-- reads: agency_period_metrics, scores_766, dim_agencies
-- materialize: view
select
    a.slug,
    m.*,
    s.CKMB,
    s.TDGQ,
    s.CLGQ,
    s.TTTT,
    s.MDSH,
    s.MDHL,
    s.total,
    s.assessed_max,
    s.total_100,
    s.band,
    s.rank,
    s.rank_of,
    s.official_total,
    s.ranked,
    s.not_assessed,
    s.official_diff,
    s.official_flag,
    s.official_CKMB,
    s.official_TDGQ,
    s.official_CLGQ,
    s.official_TTTT,
    s.official_MDSH,
    s.official_MDHL,
    s.official_flagged_groups,
    s.previous_period,
    s.previous_total_100,
    s.change_total_100,
    s.rule_set
from agency_period_metrics as m
inner join dim_agencies as a on a.agency_id = m.agency_id
left join scores_766 as s
    on s.agency_id = m.agency_id and s.period = m.period and s.period_type = m.period_type
