-- One row per invariant check of the build (queries/checks/<check>.sql), as the data-quality
-- page lists them: its code and what it checks in Vietnamese (seed_labels_checks), in order. The
-- generated checks of the contracts (keys, not null, accepted values, ranges) are not listed one
-- by one. Used by the pages only.
-- reads: seed_labels_checks
--
-- Columns: check, label
with final as (
    select "check", label, check_order
    from seed_labels_checks
)

select "check", label
from final
order by check_order
