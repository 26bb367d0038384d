-- One row per (unit, period) that gets figures: every period that overlaps the unit's validity
-- (valid_from..valid_to, open-ended when empty), and any other period in which it still has
-- dossiers to handle. Such rows are not ranked (ranked_eligible false), nor are rows with
-- fewer dossiers to handle than the setting min_to_handle (methodology §3, Rankings: too few
-- files for a verdict; none at all included). ranked_eligible rows alone get a band and a rank.
-- reads: dim_agencies, dim_agency_scope, dim_periods, fct_agency_period_dossiers
with handled as (
    select s.scope_id as agency_id, f.period, cast(sum(f.to_handle) as bigint) as to_handle
    from fct_agency_period_dossiers as f
    inner join dim_agency_scope as s on s.agency_id = f.agency_id
    group by s.scope_id, f.period
),

spans as (
    select
        a.agency_id,
        p.period,
        p.period_type,
        a.is_province
            or ((a.valid_from is null or a.valid_from <= p.last_day)
                and (a.valid_to is null or a.valid_to >= p.first_day)) as exists_in_period
    from dim_agencies as a
    cross join dim_periods as p
),

final as (
    select
        s.agency_id,
        s.period,
        s.period_type,
        s.exists_in_period,
        coalesce(h.to_handle, 0) as to_handle,
        s.exists_in_period
            and coalesce(h.to_handle, 0) >= greatest(1, getvariable('min_to_handle'))
            as ranked_eligible
    from spans as s
    left join handled as h on h.agency_id = s.agency_id and h.period = s.period
    where s.exists_in_period or coalesce(h.to_handle, 0) > 0
)

select * from final
