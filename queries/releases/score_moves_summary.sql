-- One row: how many 766 scores were recomputed (moved_count) and the largest change in absolute
-- value (max_abs_diff; empty when none moved or none has a difference).
-- reads: score_moves
select
    count(*) as moved_count,
    max(abs(diff)) as max_abs_diff
from score_moves
