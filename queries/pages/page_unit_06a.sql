-- One row per unit × line of the report 06a table of its page /co-quan/<slug>/, for the units
-- with figures in their page period (page_unit_metrics): the line's label, whether it is a
-- total (depth 0) or a part of the total above it (depth 1, "trong đó"), and the count (site.md,
-- unit scorecard: "the 06a figures of the period as a table, with the balance visible"), in
-- the report's order. Used by the pages only, not published.
--
-- Columns:
--   agency_id, row_order (1, 2, …), key (the agency_period_metrics column), label, depth
--   emphasis     the line the balance is about (to_handle), set in bold
--   value        the count
-- reads: page_unit_metrics
with lines (row_order, key, label, depth) as (
    values
        (1, 'carried_over', 'Hồ sơ kỳ trước chuyển sang', 0),
        (2, 'received_new', 'Hồ sơ tiếp nhận mới trong kỳ', 0),
        (3, 'received_online', 'trực tuyến', 1),
        (4, 'received_direct', 'trực tiếp', 1),
        (5, 'received_postal', 'qua bưu chính công ích', 1),
        (6, 'to_handle', 'Tổng số hồ sơ phải giải quyết', 0),
        (7, 'resolved', 'Đã giải quyết', 0),
        (8, 'resolved_early', 'trước hạn', 1),
        (9, 'resolved_on_time', 'đúng hạn', 1),
        (10, 'resolved_late', 'quá hạn', 1),
        (11, 'withdrawn_stopped', 'Rút hồ sơ, dừng xử lý', 0),
        (12, 'waiting_applicant', 'Chờ người nộp bổ sung', 0),
        (13, 'in_progress', 'Đang giải quyết', 0),
        (14, 'in_progress_within', 'trong hạn', 1),
        (15, 'in_progress_overdue', 'quá hạn', 1),
        (16, 'refused_at_intake', 'Không được tiếp nhận (không tính vào tổng)', 0),
        (17, 'postal_uses', 'Lượt sử dụng dịch vụ bưu chính công ích', 0)
),

counts as (
    select agency_id, key, value
    from page_unit_metrics
    unpivot include nulls (
        value for key in (
            carried_over, received_new, received_online, received_direct, received_postal,
            to_handle, resolved, resolved_early, resolved_on_time, resolved_late,
            withdrawn_stopped, waiting_applicant, in_progress, in_progress_within,
            in_progress_overdue, refused_at_intake, postal_uses
        )
    )
)

select
    c.agency_id,
    l.row_order,
    l.key,
    l.label,
    l.depth,
    l.key = 'to_handle' as emphasis,
    c.value
from counts as c
inner join lines as l on l.key = c.key
order by c.agency_id, l.row_order
