-- Macros shared by every layer: value parsing (data contract, "Value formats") and rounding
-- (methodology §2: half-up to two decimals). Run before any table is built.

-- Text: trimmed; an empty cell is NULL. trim() drops only the Unicode space separators (Zs):
-- a value that begins and ends with a printable ASCII character is returned as it is, without
-- trim's per-character look-ups (the usual case, and the cost of this macro over millions).
CREATE OR REPLACE MACRO clean_text(s) AS CASE
    WHEN ord(CAST(s AS VARCHAR)) BETWEEN 33 AND 126
        AND ord(CAST(s AS VARCHAR)[-1]) BETWEEN 33 AND 126
        THEN CAST(s AS VARCHAR)
    ELSE nullif(trim(CAST(s AS VARCHAR)), '')
END;

-- Names shown on pages: clean_text with tabs and line breaks as spaces, without the other
-- control characters and without the invisible direction marks and overrides (U+200E/F,
-- U+202A-E, U+2066-9) that could make a name display as something else.
CREATE OR REPLACE MACRO clean_name(s) AS nullif(trim(regexp_replace(
    regexp_replace(CAST(s AS VARCHAR), '[\t\n\r]+', ' ', 'g'),
    '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]', '', 'g'
)), '');

-- A text shown on pages and in downloads (a unit's or procedure's name, a procedure's field),
-- at most n characters: a longer one keeps its row (nothing is lost to an over-long value) and
-- is cut after the last space within its first n characters when that keeps at least half of
-- them (else after n - 1 characters), without trailing spaces or , ; : -, and ends with "…".
-- Only for the small catalogue tables: it reads each value's length.
CREATE OR REPLACE MACRO short_text(s, n) AS CASE
    WHEN length(s) <= n THEN s
    ELSE rtrim(
        CASE
            WHEN length(regexp_extract(left(s, n), '^(.*) ', 1)) >= n // 2
                THEN regexp_extract(left(s, n), '^(.*) ', 1)
            ELSE left(s, n - 1)
        END, ' ,;:-') || '…'
END;

-- The longest name shown (methodology §9): short_text's n for names and fields.
CREATE OR REPLACE MACRO shown_name(s) AS short_text(s, 200);

-- A name's slug (the address of a unit's page): lower case, without diacritics (đ as d), every
-- run of other characters as one '-', none at either end: 'Sở Tư pháp' -> 'so-tu-phap'.
-- Characters that are not Latin letters or digits once their marks are gone (Ø, ß, 中) count as
-- other characters.
CREATE OR REPLACE MACRO slugify(s) AS trim(regexp_replace(
    strip_accents(lower(replace(replace(s, 'đ', 'd'), 'Đ', 'D'))), '[^a-z0-9]+', '-', 'g'), '-');

-- An id's slug (a code, not a name: nothing is stripped of its marks): lower case, every run of
-- characters other than a-z and 0-9 as one '-', none at either end: '000.00.12.H99' ->
-- '000-00-12-h99'.
CREATE OR REPLACE MACRO slugify_id(s) AS trim(regexp_replace(lower(s), '[^a-z0-9]+', '-', 'g'), '-');

-- The folder of a procedure's page (thu-tuc/<folder>/): its id when URL-safe ('1.001193'), else
-- 'tt-' and the id's slug ('9 000002' -> 'tt-9-000002'; 'tt-khong-ten' when none is left).
-- stg_procedures quarantines the ids that would share a folder.
CREATE OR REPLACE MACRO procedure_dir(id) AS CASE
    WHEN regexp_full_match(id, '[A-Za-z0-9][A-Za-z0-9._-]*') THEN id
    ELSE 'tt-' || coalesce(nullif(slugify(id), ''), 'khong-ten')
END;

-- Lower-case, trimmed text for matching enum words.
CREATE OR REPLACE MACRO norm_word(s) AS lower(clean_text(s));

-- Timestamps (local time, Asia/Ho_Chi_Minh = UTC+7 all year, no DST since 1975).
-- Accepts ISO 8601 (date, 'T' or space, optional seconds and fraction, optional Z/offset),
-- the national portal's yyyyMMddHHmmss, and Vietnamese dd/mm/yyyy [HH:MM[:SS]].
-- Excel serials are converted to ISO by the reader. Unparseable text gives NULL
-- (see ts_invalid). parse_ts tries the portal's yyyyMMddHHmmss on the raw text first (digits
-- only, so cleaning could not change it), then the common forms in one strptime call, and falls
-- back to the full rules (fractions of seconds, offsets) only for what those leave unparsed.
CREATE OR REPLACE MACRO parse_ts_full(s) AS (
    CASE
        WHEN clean_text(s) IS NULL THEN NULL
        WHEN regexp_full_match(clean_text(s), '\d{14}')
            THEN try_strptime(clean_text(s), '%Y%m%d%H%M%S')
        WHEN regexp_full_match(clean_text(s), '\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?')
            THEN try_strptime(clean_text(s), ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y'])
        WHEN regexp_full_match(clean_text(s), '\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?')
            THEN try_cast(replace(clean_text(s), 'T', ' ') AS TIMESTAMP)
        WHEN regexp_full_match(
                clean_text(s),
                '\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)? ?(Z|[+-]\d{2}(:?\d{2})?)')
            THEN try_cast(replace(regexp_extract(clean_text(s),
                    '^(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?)', 1), 'T', ' ')
                    AS TIMESTAMP)
                - to_minutes(CAST(
                    CASE WHEN regexp_matches(clean_text(s), 'Z$') THEN 0
                         ELSE (CASE WHEN regexp_extract(clean_text(s), '([+-])\d{2}:?(\d{2})?$', 1) = '-'
                                    THEN -1 ELSE 1 END)
                              * (CAST(regexp_extract(clean_text(s), '[+-](\d{2}):?(\d{2})?$', 1) AS INTEGER) * 60
                                 + coalesce(try_cast(nullif(regexp_extract(clean_text(s),
                                        '[+-]\d{2}:?(\d{2})?$', 1), '') AS INTEGER), 0))
                    END AS BIGINT))
                + INTERVAL 7 HOUR
        ELSE NULL
    END
);

CREATE OR REPLACE MACRO parse_ts_chain(s) AS coalesce(
    -- The national portal's form as it comes (digits only: nothing to clean), then the rest.
    try_strptime(s, '%Y%m%d%H%M%S'),
    try_strptime(clean_text(s), [
        '%Y%m%d%H%M%S', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
        '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%Y-%m-%d'
    ]),
    parse_ts_full(s)
);

-- parse_ts_chain, with the usual forms read first by the one format that fits their shape: a
-- failed strptime costs far more than a successful one, and parse_ts_chain tries up to five
-- before the right one. A value read by that format reads the same in parse_ts_chain (the formats
-- tried there before it cannot fit a value of this shape); any other value goes to it unchanged.
CREATE OR REPLACE MACRO parse_ts(s) AS CASE strlen(s)
    WHEN 14 THEN parse_ts_chain(s)
    WHEN 19 THEN coalesce(
        CASE
            WHEN s[5] = '-' THEN try_strptime(s, '%Y-%m-%d %H:%M:%S')
            WHEN s[3] = '/' THEN try_strptime(s, '%d/%m/%Y %H:%M:%S')
        END,
        parse_ts_chain(s))
    WHEN 16 THEN coalesce(
        CASE
            WHEN s[5] = '-' THEN try_strptime(s, '%Y-%m-%d %H:%M')
            WHEN s[3] = '/' THEN try_strptime(s, '%d/%m/%Y %H:%M')
        END,
        parse_ts_chain(s))
    ELSE parse_ts_chain(s)
END;

-- A dossier's latest event day (submitted, received, finished, returned: never a due date),
-- 0001-01-01 when it has none: what the as-of date is taken from (data contract).
CREATE OR REPLACE MACRO latest_event_day(submitted, received, finished, returned) AS greatest(
    coalesce(CAST(submitted AS DATE), DATE '0001-01-01'),
    coalesce(CAST(received AS DATE), DATE '0001-01-01'),
    coalesce(CAST(finished AS DATE), DATE '0001-01-01'),
    coalesce(CAST(returned AS DATE), DATE '0001-01-01')
);

-- A value is present but is not a timestamp in any accepted form.
CREATE OR REPLACE MACRO ts_invalid(s) AS clean_text(s) IS NOT NULL AND parse_ts(s) IS NULL;

-- Booleans: 1/0, true/false, có/không, x (true); empty is NULL (the caller applies the
-- column's default); anything else is NULL too and flagged by bool_invalid.
-- (list_contains rather than IN: DuckDB plans a long IN list as a join, slow over millions.)
CREATE OR REPLACE MACRO parse_bool(s) AS (
    CASE
        -- the usual values first, as they come (nothing to clean or lower-case)
        WHEN CAST(s AS VARCHAR) = '1' THEN TRUE
        WHEN CAST(s AS VARCHAR) = '0' THEN FALSE
        WHEN list_contains(['1', 'true', 'có', 'co', 'x', 'yes', 'y', 't'], norm_word(s)) THEN TRUE
        WHEN list_contains(['0', 'false', 'không', 'khong', 'no', 'n', 'f'], norm_word(s))
            THEN FALSE
        ELSE NULL
    END
);
CREATE OR REPLACE MACRO bool_invalid(s) AS clean_text(s) IS NOT NULL AND parse_bool(s) IS NULL;

-- Whole numbers written as text ("4", "4.0"); NULL when empty or not a whole number.
CREATE OR REPLACE MACRO parse_int(s) AS (
    CASE
        -- one or two digits as they come (the usual codes), without the pattern
        WHEN strlen(CAST(s AS VARCHAR)) = 1 AND ord(CAST(s AS VARCHAR)) BETWEEN 48 AND 57
            THEN CAST(ord(CAST(s AS VARCHAR)) - 48 AS INTEGER)
        WHEN strlen(CAST(s AS VARCHAR)) = 2 AND ord(CAST(s AS VARCHAR)) BETWEEN 48 AND 57
            AND ord(CAST(s AS VARCHAR)[-1]) BETWEEN 48 AND 57
            THEN CAST((ord(CAST(s AS VARCHAR)) - 48) * 10 + ord(CAST(s AS VARCHAR)[-1]) - 48 AS INTEGER)
        WHEN regexp_full_match(clean_text(s), '[+-]?\d{1,9}(\.0+)?')
            THEN CAST(CAST(clean_text(s) AS DOUBLE) AS INTEGER)
        ELSE NULL
    END
);
CREATE OR REPLACE MACRO int_invalid(s) AS clean_text(s) IS NOT NULL AND parse_int(s) IS NULL;

-- Decimal numbers, with '.' or a single ',' as the decimal mark.
CREATE OR REPLACE MACRO parse_number(s) AS try_cast(replace(clean_text(s), ',', '.') AS DOUBLE);
CREATE OR REPLACE MACRO number_invalid(s) AS
    clean_text(s) IS NOT NULL AND (parse_number(s) IS NULL OR NOT isfinite(parse_number(s)));

-- Half-up rounding to two decimals (281/800 = 35,125 -> 35,13). Values here are non-negative
-- ratios of whole numbers; the epsilon absorbs binary floating-point error (35.12499999...).
-- round2d: the same as a DOUBLE, for values of any size (the portal's published figures).
CREATE OR REPLACE MACRO round2d(x) AS floor(CAST(x AS DOUBLE) * 100 + 0.5 + 1e-9) / 100;
CREATE OR REPLACE MACRO round2(x) AS CAST(round2d(x) AS DECIMAL(12, 2));

-- A rate in percent, half-up to two decimals; empty (NULL) when the denominator is 0.
CREATE OR REPLACE MACRO pct(n, d) AS
    CASE WHEN coalesce(d, 0) = 0 THEN NULL ELSE round2(100.0 * n / d) END;

-- The points of an indicator under its rule (seed_rule_set, methodology §3 and portal.md), exact
-- (unrounded): the rule's points when the denominator is 0 (NULL: not assessed); proportional:
-- max × rate, at most max when capped (cap_at_max); full_at: max × min(1, rate / T%); min2:
-- min(2, 2.5 × rate). NULL for the rules without counts (flag, tracked) and a missing count.
CREATE OR REPLACE MACRO rule_points(p_rule, p_max, p_num, p_den, p_full_at, p_if_zero, p_cap) AS
    CASE
        WHEN p_den = 0 THEN CAST(p_if_zero AS DOUBLE)
        WHEN p_rule = 'proportional' AND coalesce(p_cap, false)
            THEN least(CAST(p_max AS DOUBLE), CAST(p_max * p_num AS DOUBLE) / p_den)
        WHEN p_rule = 'proportional' THEN CAST(p_max * p_num AS DOUBLE) / p_den
        WHEN p_rule = 'full_at'
            THEN least(
                CAST(p_max AS DOUBLE), CAST(p_max * p_num * 100 AS DOUBLE) / (p_full_at * p_den))
        WHEN p_rule = 'min2' THEN least(2.0, 2.5 * p_num / p_den)
    END;

-- Calendar date of a local timestamp.
CREATE OR REPLACE MACRO day_of(ts) AS CAST(ts AS DATE);
