-- The recomputed 766 scores that release.json lists: the largest changes first (in absolute
-- value; changes without a difference last), then by agency_id, period_type, period; at most
-- getvariable('release_top_moves') rows (every move is counted by score_moves_summary).
-- reads: score_moves
select
    agency_id,
    agency_name,
    period,
    period_type,
    before,
    after,
    diff
from score_moves
order by abs(diff) desc nulls last, agency_id, period_type, period
limit getvariable('release_top_moves')
