-- One row per unit × indicator of the 766 index in the unit's page period (page_units.period):
-- the table of every indicator on its page /co-quan/<slug>/, in the rule set's order
-- (seed_rule_set.indicator_order). Used by the pages only, not published.
--
-- Columns: those of index_766, measure (the seed's: what the indicator counts, e.g. 5.1 for
-- qd766-2026's PETITION_PROCESSING_ON_TIME), row_order (1, 2, … within the unit, in the rule
-- set's order), and for
-- an indicator that a key-figure card measures another way (seed_labels_card_indicators: 2.1
-- and the 06a on-time rate, 5.3 and the ratings): card_label, the card's name, and
-- card_explain, the one line that says how they differ (seed_labels_cards); else empty.
-- reads: page_units, index_766, seed_labels_card_indicators, seed_labels_cards, seed_rule_set
with cards as (
    select ci.rule_set, ci.indicator, c.label as card_label, c.explain as card_explain
    from seed_labels_card_indicators as ci
    inner join seed_labels_cards as c on c.card = ci.card
)

select
    i.*,
    r.measure,
    row_number() over (
        partition by i.agency_id order by r.indicator_order, i.indicator
    ) as row_order,
    c.card_label,
    c.card_explain
from index_766 as i
inner join page_units as u
    on u.agency_id = i.agency_id and u.period = i.period and i.period_type = 'month'
left join cards as c on c.rule_set = i.rule_set and c.indicator = i.indicator
left join seed_rule_set as r on r.rule_set = i.rule_set and r.indicator = i.indicator
order by i.agency_id, row_order
