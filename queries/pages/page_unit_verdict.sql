-- One row per unit with figures in its page period (page_unit_metrics): the parts of the
-- plain-Vietnamese verdict that opens its page /co-quan/<slug>/ (issue 13) and of its "Đọc
-- nhanh" summary, computed here so the template only prints them. The comparison of each rate
-- with the province and the level's median is page_unit_compare.
--
-- Columns:
--   agency_id
--   subject            how the sentences name the unit inside a sentence: 'toàn tỉnh' for the
--                      province unit (its figures are every unit's, not the People's Committee
--                      office's), else its name
--   to_handle          dossiers to handle in the period
--   min_to_handle      the setting: fewer dossiers to handle give no band and no rank
--   band, band_slug    the band of scores_766 (empty when not banded)
--   band_note          why there is no band, in words, when the unit is scored but not banded:
--                      'chưa đủ hồ sơ để xếp loại (12/20)' below min_to_handle, 'không xếp loại
--                      trong kỳ này' otherwise (a period after the unit ended); empty when banded
--   total_100          the recomputed score (scores_766), thang 100
--   score_label        its name (seed_labels_cards total_100: 'Điểm 766 tính lại…')
--   official_card      which official score heads the page: official_total (scores_766: the
--                      official score imported for the period) when there is one, else
--                      portal_total (official_vs_recomputed: the national portal's total for the
--                      same month, its ratio out of 100), else empty
--   official_label     its name (seed_labels_cards)
--   official_value     the official score, thang 100
--   official_gap       total_100 − official_value (recomputed minus official), two decimals
--   resolved, resolved_late, in_progress_overdue      agency_period_metrics
--   late_total         resolved_late + in_progress_overdue: the late dossiers of the period, as
--                      the table "Thủ tục có nhiều hồ sơ trễ hạn nhất" counts them
--   late_procedures    procedures with at least one late dossier (agency_procedure_late)
--   top_late_dossiers  the most late dossiers of one procedure
--   top_late_tied      how many procedures have that many
--   top_late_name, top_late_dir   that procedure and its page's folder when it is alone
--                      (top_late_tied = 1), else empty
--   lost_groups        the (at most) two groups that cost the unit the most points: list of
--                      {group, group_name, points, assessed_max, lost} with lost = assessed_max −
--                      points > 0 (the maxima of its assessed indicators), most lost first, ties
--                      in the groups' order; empty list when it lost nothing, is not scored, or
--                      had fewer than min_to_handle dossiers to handle (too few for a verdict)
-- reads: agency_procedure_late, official_vs_recomputed, page_unit_groups, page_unit_late, page_unit_metrics, page_unit_scores, page_units, seed_labels_cards
with metrics as (
    select agency_id, period, to_handle, resolved, resolved_late, in_progress_overdue
    from page_unit_metrics
),

labels as (
    select card, label from seed_labels_cards
),

portal as (
    select o.agency_id, o.official_ratio
    from official_vs_recomputed as o
    inner join metrics as m on m.agency_id = o.agency_id and m.period = o.period
    where o.kind = 'total' and o.period_type = 'month'
),

late as (
    select
        l.agency_id,
        count(*) as late_procedures,
        max(l.late_dossiers) as top_late_dossiers
    from agency_procedure_late as l
    inner join metrics as m on m.agency_id = l.agency_id and m.period = l.period
    where l.period_type = 'month' and l.late_dossiers > 0
    group by l.agency_id
),

tied as (
    select
        l.agency_id,
        count(*) as top_late_tied
    from agency_procedure_late as l
    inner join metrics as m on m.agency_id = l.agency_id and m.period = l.period
    inner join late as t on t.agency_id = l.agency_id and t.top_late_dossiers = l.late_dossiers
    where l.period_type = 'month'
    group by l.agency_id
),

top_late as (
    select agency_id, procedure_name, page_dir
    from page_unit_late
    where late_rank = 1
),

lost as (
    select
        agency_id,
        "group",
        group_name,
        points,
        assessed_max,
        assessed_max - coalesce(points, 0) as lost,
        row_number() over (
            partition by agency_id order by assessed_max - coalesce(points, 0) desc, group_order
        ) as lost_order
    from page_unit_groups
    where assessed_max > 0 and assessed_max - coalesce(points, 0) > 0
),

lost_lists as (
    select
        agency_id,
        list(
            {
                'group': "group", 'group_name': group_name, 'points': points,
                'assessed_max': assessed_max, 'lost': lost
            }
            order by lost_order
        ) as lost_groups
    from lost
    where lost_order <= 2
    group by agency_id
),

official as (
    select
        m.agency_id,
        case
            when s.official_total is not null then 'official_total'
            when p.official_ratio is not null then 'portal_total'
        end as official_card,
        coalesce(s.official_total, cast(p.official_ratio as decimal(12, 2))) as official_value
    from metrics as m
    left join page_unit_scores as s on s.agency_id = m.agency_id
    left join portal as p on p.agency_id = m.agency_id
),

final as (
    select
        m.agency_id,
        case when u.is_province then 'toàn tỉnh' else u.name end as subject,
        m.to_handle,
        getvariable('min_to_handle') as min_to_handle,
        s.band,
        slugify(s.band) as band_slug,
        case
            when s.agency_id is null or s.total_100 is null or s.band is not null then null
            when m.to_handle < getvariable('min_to_handle')
                then 'chưa đủ hồ sơ để xếp loại (' || m.to_handle || '/'
                    || getvariable('min_to_handle') || ')'
            else 'không xếp loại trong kỳ này'
        end as band_note,
        s.total_100,
        (select label from labels where card = 'total_100') as score_label,
        o.official_card,
        ol.label as official_label,
        o.official_value,
        cast(s.total_100 - o.official_value as decimal(12, 2)) as official_gap,
        m.resolved,
        m.resolved_late,
        m.in_progress_overdue,
        m.resolved_late + m.in_progress_overdue as late_total,
        coalesce(l.late_procedures, 0) as late_procedures,
        l.top_late_dossiers,
        t.top_late_tied,
        case when t.top_late_tied = 1 then tl.procedure_name end as top_late_name,
        case when t.top_late_tied = 1 then tl.page_dir end as top_late_dir,
        case
            when m.to_handle >= getvariable('min_to_handle') then coalesce(ll.lost_groups, [])
            else []
        end as lost_groups
    from metrics as m
    inner join page_units as u on u.agency_id = m.agency_id
    left join page_unit_scores as s on s.agency_id = m.agency_id
    left join official as o on o.agency_id = m.agency_id
    left join labels as ol on ol.card = o.official_card
    left join late as l on l.agency_id = m.agency_id
    left join tied as t on t.agency_id = m.agency_id
    left join top_late as tl on tl.agency_id = m.agency_id
    left join lost_lists as ll on ll.agency_id = m.agency_id
)

select * from final
order by agency_id
