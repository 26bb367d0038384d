-- One row per unit with a score in its page period (page_units.period): the scores_766 row of
-- that month, as its page /co-quan/<slug>/ shows it (site.md, unit scorecard: the 766 total and
-- band, the rank within its level, the six group scores, the official score beside the
-- computed one). Used by the pages only, not published.
--
-- Columns: those of scores_766, and band_slug (the band's CSS class: macro slugify).
-- reads: page_units, scores_766
select s.*, slugify(s.band) as band_slug
from scores_766 as s
inner join page_units as u
    on u.agency_id = s.agency_id and u.period = s.period and s.period_type = 'month'
order by s.agency_id
