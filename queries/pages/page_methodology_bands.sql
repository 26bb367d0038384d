-- One row per band of the settings (cfg_bands), from the highest: the band table of the
-- methodology page /phuong-phap/ (methodology §4), each band's range of total_100 in words'
-- terms: its minimum and the next band's (the upper bound it stays under).
-- Used by the pages only, not published.
-- reads: cfg_bands
--
-- Columns:
--   label, min_score   cfg_bands
--   upper_score        the minimum of the band above (empty for the highest)
--   range_kind         how the range reads: all (the only band), from (the highest: from its
--                      minimum up), below (the lowest: under the band above), between
with ordered as (
    select
        label,
        min_score,
        lag(min_score) over (order by min_score desc) as upper_score,
        row_number() over (order by min_score desc) as band_order,
        count(*) over () as bands
    from cfg_bands
)

select
    label,
    min_score,
    upper_score,
    case
        when bands = 1 then 'all'
        when band_order = 1 then 'from'
        when band_order = bands then 'below'
        else 'between'
    end as range_kind
from ordered
order by band_order
