-- One row per table × reason of the quarantine: how many rows were quarantined for it (site.md,
-- data quality: "rows ... quarantined per table and reason"), by table, then the commonest
-- reason first. Used by the pages only, not published.
-- reads: quarantine
--
-- Columns: table, reason, rows
select
    "table",
    reason,
    count(*) as rows
from quarantine
group by all
order by "table", rows desc, reason
