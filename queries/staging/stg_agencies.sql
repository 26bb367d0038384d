-- One row per row of the agencies input: typed, with reject_reason NULL when the row is clean.
-- Rules (data contract): agency_id, name and level required; level one of the enum; agency_id
-- unique (every copy of a repeated id is quarantined); parent_id and successor_id must name an
-- agency of the table. The unit's web address (dim_agencies) is made from its name and id, so
-- a name or id without any Latin letter or digit, an id over 64 characters, or two ids that
-- differ only in case and punctuation (000.00.01.H40 / 000-00-01-h40) are quarantined too:
-- they would give an empty, too long or shared address. A name over 200 characters keeps its
-- row: name is the name as shown, cut to 200 characters (shown_name), and the address is made
-- from it; name_full_length is the length of the name as read (shortened_values lists cuts).
-- reads: raw_agencies
with src as (
    select
        _source,
        _line,
        clean_text(agency_id) as agency_id,
        shown_name(clean_name(name)) as name,
        length(clean_name(name)) as name_full_length,
        norm_word(level) as level_raw,
        clean_text(parent_id) as parent_id,
        clean_text(successor_id) as successor_id,
        valid_from as valid_from_raw,
        valid_to as valid_to_raw,
        upper(clean_text(portal_code)) as portal_code,
        offers_e_certified_copy as offers_e_certified_copy_raw
    from raw_agencies
),

addressed as (
    -- the slugs dim_agencies makes the addresses from
    select
        *,
        slugify(name) as name_slug,
        slugify_id(agency_id) as id_slug
    from src
),

typed as (
    select
        *,
        case
            when level_raw in ('province', 'tỉnh', 'tinh', 'cấp tỉnh', 'ubnd tỉnh') then 'province'
            when level_raw in ('department', 'sở', 'so', 'sở, ban, ngành', 'ban', 'ngành')
                then 'department'
            when level_raw in ('district', 'huyện', 'huyen', 'cấp huyện') then 'district'
            when level_raw in ('commune', 'xã', 'xa', 'cấp xã', 'phường', 'đặc khu') then 'commune'
            when level_raw in ('other', 'khác', 'khac') then 'other'
        end as level,
        cast(parse_ts(valid_from_raw) as date) as valid_from,
        cast(parse_ts(valid_to_raw) as date) as valid_to,
        count(*) over (partition by agency_id) as id_copies,
        count(distinct agency_id) over (partition by id_slug) as id_slug_ids,
        parse_bool(offers_e_certified_copy_raw) as offers_e_certified_copy,
        case when portal_code is not null then count(*) over (partition by portal_code) end
            as portal_code_copies
    from addressed
),

checked as (
    select
        *,
        coalesce(
            case when agency_id is null then 'thiếu mã đơn vị (agency_id)' end,
            case when name is null then 'thiếu tên đơn vị (name)' end,
            case when level_raw is null then 'thiếu cấp đơn vị (level)' end,
            case when level is null then 'cấp đơn vị không hợp lệ (level)' end,
            case when id_copies > 1 then 'mã đơn vị trùng lặp (agency_id)' end,
            case when length(agency_id) > 64 then 'mã đơn vị dài hơn 64 ký tự (agency_id)' end,
            case
                when id_slug = '' then 'mã đơn vị không có chữ cái Latin hoặc chữ số (agency_id)'
            end,
            case
                when id_slug_ids > 1
                    then 'mã đơn vị chỉ khác mã đơn vị khác ở chữ hoa/thường hoặc dấu câu (agency_id)'
            end,
            case
                when name_slug = '' then 'tên đơn vị không có chữ cái Latin hoặc chữ số (name)'
            end,
            case when ts_invalid(valid_from_raw) then 'ngày không hợp lệ ở cột valid_from' end,
            case when ts_invalid(valid_to_raw) then 'ngày không hợp lệ ở cột valid_to' end,
            case when valid_to < valid_from then 'valid_to trước valid_from' end,
            case
                when parent_id is not null
                    and parent_id not in (select agency_id from src where agency_id is not null)
                    then 'đơn vị cấp trên không có trong danh mục (parent_id)'
            end,
            case
                when successor_id is not null
                    and successor_id not in (select agency_id from src where agency_id is not null)
                    then 'đơn vị kế nhiệm không có trong danh mục (successor_id)'
            end,
            case
                when bool_invalid(offers_e_certified_copy_raw)
                    then 'giá trị đúng/sai không hợp lệ ở cột offers_e_certified_copy'
            end,
            case
                when portal_code_copies > 1
                    then 'mã trên Cổng Dịch vụ công quốc gia trùng với đơn vị khác (portal_code)'
            end
        ) as reject_reason
    from typed
),

final as (
    select
        agency_id, name, level, parent_id, valid_from, valid_to, successor_id,
        portal_code, offers_e_certified_copy, name_full_length, reject_reason, _source, _line
    from checked
)

select * from final
