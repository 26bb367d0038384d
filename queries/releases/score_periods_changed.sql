-- One row per period with 766 scores in one release only: change ('new': only in the new
-- release's scores_766; 'removed': only in the previous one's), period, period_type; by change,
-- then period_type and period.
-- reads: scores_before, scores_after
with before as (select distinct period, period_type from scores_before),

after as (select distinct period, period_type from scores_after)

select
    change,
    period,
    period_type
from (
    select 'new' as change, * from (select * from after except select * from before)
    union all
    select 'removed' as change, * from (select * from before except select * from after)
)
order by change, period_type, period
