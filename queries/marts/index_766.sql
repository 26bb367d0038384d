-- One row per unit × period × indicator of the Decision 766 index (the rule set of the build,
-- getvariable('rule_set'), e.g. qd766-v1: methodology §3): the indicators of the rule set
-- (seed_rule_set) for every (unit, period) of dim_agency_periods, each with
-- its numerator, denominator, rate_pct (pct macro: percent, half-up to two decimals, empty when
-- the denominator is 0), points (half-up to two decimals; empty when not assessed), max_points,
-- assessed and not_assessed_reason, and points_exact (unrounded: scores_766 sums these).
--
-- Whose rows count: a unit counts its own dossiers, feedback and publications, and the ratings of
-- its dossiers; the province unit counts everyone's (dim_agency_scope). Figures are computed per
-- unit first and added up per scope, so the province is the sum of its units.
--
-- "In P" for a date means from P's first day to the end of P (eval_date: the last day, or the
-- as-of date for an incomplete period). Dossier figures come from fct_agency_period_dossiers,
-- which already judges every dossier as it stood at the end of P (methodology §1, "Looking
-- back"); feedback and publications are judged the same way here, by calendar dates.
--
-- Points: proportional = max × rate; "full at T" = max × min(1, rate / T); 3.5 and 3.6 =
-- min(2, 2.5 × rate) (macro rule_points; cap_at_max: proportional at most max); flag = max when
-- the unit's flag is true, else 0; tracked: assessed, never any points (maximum 0). They are
-- computed from the whole numbers (e.g. 6 × n / d, not 6 × a rounded rate) so that only the
-- last division rounds.
-- qd766-2026 (the portal's list, portal.md): each indicator computes the measure its seed row
-- names (seed_rule_set.measure): a qd766-v1 indicator's numerator and denominator (1.1 ... 5.3:
-- PUBLISH_ON_TIME = 1.1, TDGQ = 2.1, DOSSIER_RECEIVING_SATISFACTION = 5.3, ...), or one of the
-- measures only it uses:
--   dossier_vneid                  received_new with vneid_verified / received_new (every level)
--   citizen_procedures_connected   procedures handled in P (as 3.1) with for_citizens and
--                                  citizen_data_connected / those with for_citizens; not assessed
--                                  when no procedure of the catalogue has a value in one of the
--                                  two columns (the columns are absent)
--   e_certified_copy               no counts: the unit's agencies.offers_e_certified_copy (rule
--                                  flag: max when true, 0 when false); not assessed when no unit
--                                  has a value (the column is absent) or the unit has none
--   feedback_topic_procedure/_staff  feedback received in P with topic procedure (staff) /
--                                  feedback received in P (rule tracked: maximum 0, assessed,
--                                  points empty); not assessed without feedback, or when no
--                                  feedback row has a topic (the column is absent)
-- Not assessed (points empty, never 0): the input table is absent; the unit is outside the
-- indicator's scope (seed_rule_set.scope: 'province', assessed for the province only, 4.5;
-- 'publishing_units', for units with rows in procedure_publications, 1.1-1.3); a denominator of
-- 0, except where the rule set gives points for it (points_if_no_denominator: 5.1 and 5.2, 6
-- when there is no feedback; 5.3, 0 when to_handle is 0). Numerator and denominator are empty
-- when the input is absent or the unit has no publication rows ('publishing_units' scope);
-- otherwise they are shown even when the indicator is not assessed.
-- reads: dim_agencies, dim_agency_periods, dim_agency_scope, dim_period_months, dim_periods, fct_agency_period_dossiers, fct_dossiers, input_tables, seed_rule_set, stg_agencies, stg_feedback, stg_procedure_publications, stg_procedures

with catalog as (
    -- The build's rule set (seed_rule_set): each indicator's group, name, maximum, points rule,
    -- T of "full at T" (percent), points when the denominator is 0 (NULL: not assessed) and the
    -- reason then, its scope and the reason shown for a unit outside it; measure: what it is
    -- computed from (indicator_rows below).
    select
        indicator, measure, "group", indicator_name, max_points, points_rule, full_at_pct,
        points_if_no_denominator, reason_if_no_denominator, scope, reason_if_out_of_scope,
        cap_at_max
    from seed_rule_set
    where rule_set = getvariable('rule_set')
),

inputs as (
    select
        coalesce(bool_or(present) filter (where table_name = 'procedure_publications'), false)
            as has_publications,
        coalesce(bool_or(present) filter (where table_name = 'feedback'), false) as has_feedback,
        coalesce(bool_or(present) filter (where table_name = 'ratings'), false) as has_ratings,
        -- optional columns: present when at least one clean row has a value in them
        (select count(for_citizens) > 0 and count(citizen_data_connected) > 0
            from stg_procedures where reject_reason is null) as has_citizen_procedures,
        (select count(offers_e_certified_copy) > 0 from stg_agencies where reject_reason is null)
            as has_e_certified_copy,
        (select count(topic) > 0 from stg_feedback where reject_reason is null) as has_topic
    from input_tables
),

-- The unit's own agencies.offers_e_certified_copy (empty: not known).
e_certified_copy as (
    select agency_id, offers_e_certified_copy
    from stg_agencies
    where reject_reason is null
),

agency_periods as (
    select
        ap.agency_id,
        ap.period,
        ap.period_type,
        a.is_province,
        p.first_day,
        p.eval_date
    from dim_agency_periods as ap
    inner join dim_agencies as a on a.agency_id = ap.agency_id
    inner join dim_periods as p on p.period = ap.period and p.period_type = ap.period_type
),

procedures as (
    select procedure_id, online_level in ('full', 'partial') as is_online, has_fee,
        online_payment_enabled, issues_result_document,
        coalesce(for_citizens, false) as for_citizens,
        coalesce(for_citizens and citizen_data_connected, false) as citizen_data_connected
    from stg_procedures
    where reject_reason is null
),

-- Dossiers in to_handle (2.1, 5.3), counted per unit in fct_agency_period_dossiers. A dossier
-- is "complained about" in P when it has a rating of 1-2 given in P or feedback about it
-- received in P; 5.3 counts each dossier once whatever the number of its complaints.
handling_by_unit as (
    select agency_id, period, to_handle, in_time, in_time_uncomplained
    from fct_agency_period_dossiers
),

handling as (
    select
        s.scope_id as agency_id,
        h.period,
        sum(h.to_handle) as to_handle,
        sum(h.in_time) as in_time,
        sum(h.in_time_uncomplained) as in_time_uncomplained
    from handling_by_unit as h
    inner join dim_agency_scope as s on s.agency_id = h.agency_id
    group by s.scope_id, h.period
),

-- Dossiers received in P (1.4, 3.3, 3.4, 4.2-4.5) and resolved in P (4.1): counts per unit,
-- then added up per scope. A received dossier counts in P when its receipt falls in P (it is
-- in P's received_new, fct_agency_period_dossiers), and when it was resolved in P (ended in P,
-- status 9/10); the event's month gives P's month, quarter and year (dim_period_months), up to
-- P's eval_date, as in fct_agency_period_dossiers.
months as (
    select first_day as month, eval_date from dim_periods where period_type = 'month'
),

intake_events as (
    select
        agency_id, procedure_id, channel, paid_online, synced_national, digitized, reused_data,
        from_personal_store, applicant_type, vneid_verified, e_result,
        'received' as kind, received_on as day
    from fct_dossiers
    where is_received
    union all
    select
        agency_id, procedure_id, channel, paid_online, synced_national, digitized, reused_data,
        from_personal_store, applicant_type, vneid_verified, e_result,
        'resolved', end_on
    from fct_dossiers
    where is_received and end_kind = 'resolved'
),

-- Per unit, procedure and month; then per period (the month's month, quarter and year).
intake_by_month as (
    select
        d.agency_id,
        d.procedure_id,
        m.month,
        count(*) filter (where d.kind = 'received') as received_new,
        count(*) filter (where d.kind = 'received' and d.channel = 2) as received_online,
        count(*) filter (where d.kind = 'received' and d.paid_online in (1, 2))
            as received_paid_online,
        count(*) filter (where d.kind = 'received' and d.synced_national) as synced,
        count(*) filter (where d.kind = 'received' and d.digitized) as digitized,
        count(*) filter (where d.kind = 'received' and d.reused_data) as reused,
        count(*) filter (where d.kind = 'received' and d.from_personal_store) as from_store,
        count(*) filter (where d.kind = 'received' and d.applicant_type = 1) as citizen,
        count(*) filter (
            where d.kind = 'received' and d.applicant_type = 1 and d.vneid_verified
        ) as citizen_vneid,
        count(*) filter (where d.kind = 'received' and d.vneid_verified) as received_vneid,
        count(*) filter (where d.kind = 'resolved') as resolved,
        count(*) filter (where d.kind = 'resolved' and d.e_result) as resolved_e_result
    from intake_events as d
    inner join months as m
        on m.month = cast(date_trunc('month', d.day) as date) and d.day <= m.eval_date
    group by d.agency_id, d.procedure_id, m.month
),

-- Per unit and month (the procedure's fee and result-document flags applied), then per period.
intake_by_unit_month as (
    select
        i.agency_id,
        i.month,
        sum(i.received_new) as received_new,
        sum(i.received_online) as received_online,
        sum(i.synced) as synced,
        sum(i.digitized) as digitized,
        sum(i.reused) as reused,
        sum(i.from_store) as from_store,
        sum(i.citizen) as citizen,
        sum(i.citizen_vneid) as citizen_vneid,
        sum(i.received_vneid) as received_vneid,
        coalesce(sum(i.received_new) filter (where pr.has_fee), 0) as fee_dossiers,
        coalesce(sum(i.received_paid_online) filter (where pr.has_fee), 0)
            as fee_dossiers_paid_online,
        coalesce(sum(i.resolved) filter (where pr.issues_result_document), 0)
            as resolved_with_document,
        coalesce(sum(i.resolved_e_result) filter (where pr.issues_result_document), 0)
            as resolved_with_e_result
    from intake_by_month as i
    inner join procedures as pr on pr.procedure_id = i.procedure_id
    group by i.agency_id, i.month
),

-- Every count of intake_by_unit_month summed per period, then per scope (same names).
intake_by_unit as (
    select
        i.agency_id,
        pm.period,
        sum(columns(i.* exclude (agency_id, month)))
    from intake_by_unit_month as i
    inner join dim_period_months as pm on pm.month = i.month
    group by i.agency_id, pm.period
),

intake as (
    select
        s.scope_id as agency_id,
        i.period,
        sum(columns(i.* exclude (agency_id, period)))
    from intake_by_unit as i
    inner join dim_agency_scope as s on s.agency_id = i.agency_id
    group by s.scope_id, i.period
),

-- Procedures handled in P (3.1, 3.2, 3.5, 3.6, citizen_procedures_connected): at least one
-- dossier of the scope received in P; each procedure counted once per scope, however many
-- units handled it.
handled_by_unit as (
    select
        i.agency_id,
        pm.period,
        i.procedure_id,
        bool_or(i.received_online > 0) as had_online,
        bool_or(i.received_paid_online > 0) as had_paid_online
    from intake_by_month as i
    inner join dim_period_months as pm on pm.month = i.month
    group by i.agency_id, pm.period, i.procedure_id
    having bool_or(i.received_new > 0)
),

handled as (
    select
        s.scope_id as agency_id,
        h.period,
        h.procedure_id,
        bool_or(h.had_online) as had_online,
        bool_or(h.had_paid_online) as had_paid_online
    from handled_by_unit as h
    inner join dim_agency_scope as s on s.agency_id = h.agency_id
    group by s.scope_id, h.period, h.procedure_id
),

procedure_counts as (
    select
        h.agency_id,
        h.period,
        count(*) as handled_procedures,
        count(*) filter (where pr.is_online) as online_procedures,
        count(*) filter (where pr.is_online and h.had_online) as online_procedures_used,
        count(*) filter (where pr.has_fee) as fee_procedures,
        count(*) filter (where pr.has_fee and h.had_paid_online) as fee_procedures_paid_online,
        count(*) filter (where pr.has_fee and pr.online_payment_enabled) as fee_procedures_payable,
        count(*) filter (where pr.for_citizens) as citizen_procedures,
        count(*) filter (where pr.citizen_data_connected) as citizen_procedures_connected
    from handled as h
    inner join procedures as pr on pr.procedure_id = h.procedure_id
    group by h.agency_id, h.period
),

-- Feedback of the unit to handle in P (5.1): received in P, or earlier and not resolved before
-- P's first day. resolved_by_end: resolved by the end of P (so, here, in P).
feedback as (
    select
        agency_id,
        cast(received_at as date) as received_on,
        cast(due_at as date) as due_on,
        cast(resolved_at as date) as resolved_on,
        coalesce(not citizen_satisfied, false) as dissatisfied,
        topic
    from stg_feedback
    where reject_reason is null
),

feedback_in_period as (
    select
        f.agency_id,
        p.period,
        f.received_on >= p.first_day as received_in_period,
        coalesce(f.resolved_on <= p.eval_date, false) as resolved_by_end,
        f.due_on,
        f.resolved_on,
        f.dissatisfied,
        f.topic,
        p.eval_date
    from feedback as f
    inner join dim_periods as p
        on f.received_on <= p.eval_date
        and (f.resolved_on is null or f.resolved_on >= p.first_day)
),

feedback_by_unit as (
    select
        agency_id,
        period,
        count(*) as feedback_to_handle,
        count(*) filter (
            where (resolved_by_end and resolved_on <= due_on)
                or (not resolved_by_end and due_on >= eval_date)
        ) as feedback_in_time,
        count(*) filter (where received_in_period) as feedback_received,
        count(*) filter (
            where received_in_period
                and not ((resolved_by_end and (dissatisfied or resolved_on > due_on))
                    or (not resolved_by_end and due_on < eval_date))
        ) as feedback_satisfied,
        count(*) filter (where received_in_period and topic = 'procedure')
            as feedback_topic_procedure,
        count(*) filter (where received_in_period and topic = 'staff') as feedback_topic_staff
    from feedback_in_period
    group by agency_id, period
),

feedback_counts as (
    select
        s.scope_id as agency_id,
        f.period,
        sum(f.feedback_to_handle) as feedback_to_handle,
        sum(f.feedback_in_time) as feedback_in_time,
        sum(f.feedback_received) as feedback_received,
        sum(f.feedback_satisfied) as feedback_satisfied,
        sum(f.feedback_topic_procedure) as feedback_topic_procedure,
        sum(f.feedback_topic_staff) as feedback_topic_staff
    from feedback_by_unit as f
    inner join dim_agency_scope as s on s.agency_id = f.agency_id
    group by s.scope_id, f.period
),

-- Procedure publications (1.1-1.3). A row is judged for 1.1 in P when it has a publish_due and
-- was published in P, or fell due in P without having been published before P (those
-- published before P were judged in the period they were published in); 1.2 likewise with
-- made_public_at / public_due.
publications as (
    select agency_id, publish_due, published_at, public_due, made_public_at, content_complete
    from stg_procedure_publications
    where reject_reason is null
),

publication_by_unit as (
    select
        pu.agency_id,
        p.period,
        count(*) filter (
            where pu.publish_due is not null
                and (pu.published_at between p.first_day and p.eval_date
                    or (pu.publish_due between p.first_day and p.eval_date
                        and not coalesce(pu.published_at < p.first_day, false)))
        ) as announce_judged,
        count(*) filter (
            where pu.published_at between p.first_day and p.eval_date
                and pu.published_at <= pu.publish_due
        ) as announce_on_time,
        count(*) filter (
            where pu.public_due is not null
                and (pu.made_public_at between p.first_day and p.eval_date
                    or (pu.public_due between p.first_day and p.eval_date
                        and not coalesce(pu.made_public_at < p.first_day, false)))
        ) as public_judged,
        count(*) filter (
            where pu.made_public_at between p.first_day and p.eval_date
                and pu.made_public_at <= pu.public_due
        ) as public_on_time,
        count(*) filter (where pu.made_public_at <= p.eval_date) as public_records,
        count(*) filter (where pu.made_public_at <= p.eval_date and pu.content_complete)
            as public_records_complete
    from publications as pu
    cross join dim_periods as p
    group by pu.agency_id, p.period
),

publication_counts as (
    select
        s.scope_id as agency_id,
        u.period,
        sum(u.announce_judged) as announce_judged,
        sum(u.announce_on_time) as announce_on_time,
        sum(u.public_judged) as public_judged,
        sum(u.public_on_time) as public_on_time,
        sum(u.public_records) as public_records,
        sum(u.public_records_complete) as public_records_complete
    from publication_by_unit as u
    inner join dim_agency_scope as s on s.agency_id = u.agency_id
    group by s.scope_id, u.period
),

publishers as (
    select distinct s.scope_id as agency_id
    from publications as pu
    inner join dim_agency_scope as s on s.agency_id = pu.agency_id
),

-- One wide row of counts per (unit, period); 0 where the unit has nothing of that kind.
measures as (
    select
        ap.*,
        i.has_publications,
        i.has_feedback,
        i.has_ratings,
        i.has_citizen_procedures,
        i.has_e_certified_copy,
        i.has_topic,
        pb.agency_id is not null as is_publisher,
        ec.offers_e_certified_copy,
        coalesce(h.to_handle, 0) as to_handle,
        coalesce(h.in_time, 0) as in_time,
        coalesce(h.in_time_uncomplained, 0) as in_time_uncomplained,
        coalesce(n.received_new, 0) as received_new,
        coalesce(n.received_online, 0) as received_online,
        coalesce(n.synced, 0) as synced,
        coalesce(n.digitized, 0) as digitized,
        coalesce(n.reused, 0) as reused,
        coalesce(n.from_store, 0) as from_store,
        coalesce(n.citizen, 0) as citizen,
        coalesce(n.citizen_vneid, 0) as citizen_vneid,
        coalesce(n.received_vneid, 0) as received_vneid,
        coalesce(n.fee_dossiers, 0) as fee_dossiers,
        coalesce(n.fee_dossiers_paid_online, 0) as fee_dossiers_paid_online,
        coalesce(n.resolved_with_document, 0) as resolved_with_document,
        coalesce(n.resolved_with_e_result, 0) as resolved_with_e_result,
        coalesce(hp.handled_procedures, 0) as handled_procedures,
        coalesce(hp.online_procedures, 0) as online_procedures,
        coalesce(hp.online_procedures_used, 0) as online_procedures_used,
        coalesce(hp.fee_procedures, 0) as fee_procedures,
        coalesce(hp.fee_procedures_paid_online, 0) as fee_procedures_paid_online,
        coalesce(hp.fee_procedures_payable, 0) as fee_procedures_payable,
        coalesce(hp.citizen_procedures, 0) as citizen_procedures,
        coalesce(hp.citizen_procedures_connected, 0) as citizen_procedures_connected,
        coalesce(fb.feedback_to_handle, 0) as feedback_to_handle,
        coalesce(fb.feedback_in_time, 0) as feedback_in_time,
        coalesce(fb.feedback_received, 0) as feedback_received,
        coalesce(fb.feedback_satisfied, 0) as feedback_satisfied,
        coalesce(fb.feedback_topic_procedure, 0) as feedback_topic_procedure,
        coalesce(fb.feedback_topic_staff, 0) as feedback_topic_staff,
        coalesce(pc.announce_judged, 0) as announce_judged,
        coalesce(pc.announce_on_time, 0) as announce_on_time,
        coalesce(pc.public_judged, 0) as public_judged,
        coalesce(pc.public_on_time, 0) as public_on_time,
        coalesce(pc.public_records, 0) as public_records,
        coalesce(pc.public_records_complete, 0) as public_records_complete
    from agency_periods as ap
    cross join inputs as i
    left join publishers as pb on pb.agency_id = ap.agency_id
    left join e_certified_copy as ec on ec.agency_id = ap.agency_id
    left join handling as h on h.agency_id = ap.agency_id and h.period = ap.period
    left join intake as n on n.agency_id = ap.agency_id and n.period = ap.period
    left join procedure_counts as hp on hp.agency_id = ap.agency_id and hp.period = ap.period
    left join feedback_counts as fb on fb.agency_id = ap.agency_id and fb.period = ap.period
    left join publication_counts as pc on pc.agency_id = ap.agency_id and pc.period = ap.period
),

-- Missing inputs: no_data_reason (the input table is absent) empties the counts too.
gated as (
    select
        *,
        case when not has_publications then 'không có dữ liệu công bố thủ tục' end
            as publication_reason,
        case when not has_feedback then 'không có dữ liệu phản ánh, kiến nghị' end
            as feedback_reason,
        case
            when not has_ratings and not has_feedback
                then 'không có dữ liệu đánh giá và phản ánh, kiến nghị'
            when not has_ratings then 'không có dữ liệu đánh giá hài lòng'
            when not has_feedback then 'không có dữ liệu phản ánh, kiến nghị'
        end as satisfaction_reason,
        case
            when not has_citizen_procedures
                then 'không có dữ liệu thủ tục dành cho công dân, có kết nối dữ liệu dân cư '
                    || '(cột for_citizens, citizen_data_connected của danh mục thủ tục)'
        end as citizen_procedure_reason,
        case
            when not has_e_certified_copy
                then 'không có dữ liệu cung cấp dịch vụ chứng thực bản sao điện tử '
                    || '(cột offers_e_certified_copy của danh mục đơn vị)'
            when offers_e_certified_copy is null
                then 'danh mục đơn vị không ghi đơn vị có cung cấp dịch vụ chứng thực bản sao '
                    || 'điện tử hay không (offers_e_certified_copy)'
        end as e_certified_copy_reason,
        case
            when not has_feedback then 'không có dữ liệu phản ánh, kiến nghị'
            when not has_topic
                then 'không có dữ liệu phân loại phản ánh, kiến nghị (cột topic)'
        end as topic_reason
    from measures
),

-- What the rule set's scopes look at: whether the unit is the province, and whether it has
-- rows in procedure_publications; and the unit's flag for the rule flag (e_certified_copy).
units as (
    select distinct agency_id, is_province, is_publisher, offers_e_certified_copy from gated
),

indicator_rows as (
    select
        agency_id, period, period_type, '1.1' as measure, announce_on_time as numerator,
        announce_judged as denominator, publication_reason as no_data_reason
    from gated
    union all
    select agency_id, period, period_type,
        '1.2', public_on_time, public_judged, publication_reason
    from gated
    union all
    select agency_id, period, period_type,
        '1.3', public_records_complete, public_records, publication_reason
    from gated
    union all
    select agency_id, period, period_type, '1.4', synced, received_new, null
    from gated
    union all
    select agency_id, period, period_type, '2.1', in_time, to_handle, null
    from gated
    union all
    select agency_id, period, period_type, '3.1', online_procedures, handled_procedures, null
    from gated
    union all
    select agency_id, period, period_type,
        '3.2', online_procedures_used, online_procedures, null
    from gated
    union all
    select agency_id, period, period_type, '3.3', received_online, received_new, null
    from gated
    union all
    select agency_id, period, period_type, '3.4', fee_dossiers_paid_online, fee_dossiers, null
    from gated
    union all
    select agency_id, period, period_type,
        '3.5', fee_procedures_paid_online, fee_procedures, null
    from gated
    union all
    select agency_id, period, period_type, '3.6', fee_procedures_payable, fee_procedures, null
    from gated
    union all
    select agency_id, period, period_type,
        '4.1', resolved_with_e_result, resolved_with_document, null
    from gated
    union all
    select agency_id, period, period_type, '4.2', digitized, received_new, null
    from gated
    union all
    select agency_id, period, period_type, '4.3', reused, received_new, null
    from gated
    union all
    select agency_id, period, period_type, '4.4', from_store, received_new, null
    from gated
    union all
    select agency_id, period, period_type, '4.5', citizen_vneid, citizen, null
    from gated
    union all
    select agency_id, period, period_type,
        '5.1', feedback_in_time, feedback_to_handle, feedback_reason
    from gated
    union all
    select agency_id, period, period_type,
        '5.2', feedback_satisfied, feedback_received, feedback_reason
    from gated
    union all
    select agency_id, period, period_type,
        '5.3', in_time_uncomplained, to_handle, satisfaction_reason
    from gated
    union all
    select agency_id, period, period_type, 'dossier_vneid', received_vneid, received_new, null
    from gated
    union all
    select agency_id, period, period_type,
        'citizen_procedures_connected', citizen_procedures_connected, citizen_procedures,
        citizen_procedure_reason
    from gated
    union all
    select agency_id, period, period_type,
        'e_certified_copy', null, null, e_certified_copy_reason
    from gated
    union all
    select agency_id, period, period_type,
        'feedback_topic_procedure', feedback_topic_procedure, feedback_received, topic_reason
    from gated
    union all
    select agency_id, period, period_type,
        'feedback_topic_staff', feedback_topic_staff, feedback_received, topic_reason
    from gated
),

-- A unit outside the indicator's scope is not assessed, with the rule set's reason; its counts
-- are kept, except for 'publishing_units' (a unit without publication rows has no counts).
scoped as (
    select
        l.* exclude (measure),
        c.*,
        u.offers_e_certified_copy,
        case
            when c.scope = 'province' and not u.is_province then c.reason_if_out_of_scope
            when c.scope = 'publishing_units' and not u.is_publisher
                then c.reason_if_out_of_scope
        end as out_of_scope_reason,
        l.no_data_reason is not null or (c.scope = 'publishing_units' and not u.is_publisher)
            as no_counts
    from indicator_rows as l
    inner join catalog as c on c.measure = l.measure
    inner join units as u on u.agency_id = l.agency_id
),

judged as (
    select
        l.agency_id,
        l.period,
        l.period_type,
        l."group",
        l.indicator,
        l.indicator_name,
        case when not l.no_counts then l.numerator end as numerator,
        case when not l.no_counts then l.denominator end as denominator,
        l.max_points,
        l.points_rule,
        l.full_at_pct,
        l.points_if_no_denominator,
        l.cap_at_max,
        l.offers_e_certified_copy,
        coalesce(
            l.no_data_reason,
            l.out_of_scope_reason,
            case when l.denominator = 0 and l.points_if_no_denominator is null
                then l.reason_if_no_denominator end
        ) as not_assessed_reason
    from scoped as l
),

scored as (
    select
        *,
        not_assessed_reason is null as assessed,
        case
            when not_assessed_reason is not null or points_rule = 'tracked' then null
            when points_rule = 'flag'
                then case when offers_e_certified_copy then cast(max_points as double) else 0.0 end
            else rule_points(
                points_rule, max_points, numerator, denominator, full_at_pct,
                points_if_no_denominator, cap_at_max)
        end as points_exact
    from judged
),

final as (
    select
        agency_id,
        period,
        period_type,
        "group",
        indicator,
        indicator_name,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        pct(numerator, denominator) as rate_pct,
        round2(points_exact) as points,
        cast(max_points as integer) as max_points,
        assessed,
        not_assessed_reason,
        getvariable('rule_set') as rule_set,
        points_exact
    from scored
)

select * from final
order by agency_id, period_type, period, indicator
