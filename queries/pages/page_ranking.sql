-- One row per unit × period of scores_766: a line of the ranking pages /xep-hang/<period>/
-- (site.md: rank, unit, band, total_100 and group scores, on-time %, online %, received), with
-- the reason when the unit is not ranked (methodology §3, Rankings). Used by the pages only.
--
-- Columns:
--   agency_id, agency_name, slug, level, period, period_type, complete
--   rank, rank_of, rank_order, ranked, band, total_100, CKMB ... MDHL, change_total_100
--   band_slug      the band's CSS class (macro slugify)
--   on_time_pct, online_pct, received_new, to_handle      agency_period_metrics
--   not_ranked_reason  empty when ranked; else why, in Vietnamese:
--                      the unit did not exist in the period (merged into X from <date>,
--                      ended from <date>, created from <date>);
--                      it had no dossier to handle, or fewer than min_to_handle; or no
--                      indicator could be assessed
-- reads: agency_period_metrics, dim_agencies, scores_766
select
    s.agency_id,
    s.agency_name,
    a.slug,
    s.level,
    s.period,
    s.period_type,
    s.complete,
    s.rank,
    s.rank_of,
    s.rank_order,
    s.ranked,
    s.band,
    slugify(s.band) as band_slug,
    s.total_100,
    s.CKMB,
    s.TDGQ,
    s.CLGQ,
    s.TTTT,
    s.MDSH,
    s.MDHL,
    s.change_total_100,
    m.on_time_pct,
    m.online_pct,
    m.received_new,
    m.to_handle,
    case
        when s.ranked then null
        when not m.exists_in_period and succ.name is not null
            then 'đã sáp nhập vào ' || succ.name || ' từ '
                || strftime(a.valid_to + interval 1 day, '%d/%m/%Y')
        when not m.exists_in_period and a.valid_to is not null
            then 'ngừng hoạt động từ ' || strftime(a.valid_to + interval 1 day, '%d/%m/%Y')
        when not m.exists_in_period and a.valid_from is not null
            then 'thành lập từ ' || strftime(a.valid_from, '%d/%m/%Y')
        when not m.exists_in_period then 'không hoạt động trong kỳ'
        when m.to_handle = 0 then 'không có hồ sơ phải giải quyết trong kỳ'
        when m.to_handle < getvariable('min_to_handle')
            then 'chỉ có ' || m.to_handle || ' hồ sơ phải giải quyết, dưới ngưỡng '
                || getvariable('min_to_handle') || ' hồ sơ để xếp loại, xếp hạng'
        when s.total_100 is null then 'không có chỉ số nào được đánh giá'
        else 'không đủ điều kiện xếp hạng'
    end as not_ranked_reason
from scores_766 as s
inner join dim_agencies as a on a.agency_id = s.agency_id
left join dim_agencies as succ on succ.agency_id = a.successor_id
left join agency_period_metrics as m
    on m.agency_id = s.agency_id and m.period = s.period and m.period_type = s.period_type
order by s.period_type, s.period, s.level, s.ranked desc, s.rank_order, s.agency_name, s.agency_id
