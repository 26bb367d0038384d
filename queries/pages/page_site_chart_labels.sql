-- One row per series of a chart whose series are label seeds, in each chart's order: the
-- channels of the unit and procedure pages' dossier charts (seed_labels_channels), the open-age
-- buckets (seed_labels_open_age) and the rating levels (seed_labels_rating_levels) of the unit
-- pages. Used by the pages only, not published.
-- reads: seed_labels_channels, seed_labels_open_age, seed_labels_rating_levels
--
-- Columns:
--   chart          unit_channels, procedure_channels, open_age, ratings
--   series_order   the series' place in its chart
--   key            the column of the page rows that holds the series' number
--   label          the series' label
select chart || '_channels' as chart, series_order, key, label
from seed_labels_channels
union all
select 'open_age', bucket_order, key, label
from seed_labels_open_age
union all
select 'ratings', level_order, key, label
from seed_labels_rating_levels
order by chart, series_order
