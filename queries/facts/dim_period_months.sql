-- One row per (month, period containing it): every month of the data belongs to three periods,
-- itself, its quarter and its year. Figures that add up by month (events dated in a month, up
-- to the month's eval_date) roll up to quarters and years through this table.
-- reads: dim_periods
with final as (
    select m.first_day as month, m.eval_date as month_eval_date, p.period, p.period_type
    from dim_periods as m
    inner join dim_periods as p on m.first_day between p.first_day and p.last_day
    where m.period_type = 'month'
)

select * from final
