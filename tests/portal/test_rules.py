"""The portal's rule set qd766-2026 (queries/seeds/rule_set_qd766_2026.csv), rule by rule, on
hand-made units: portal_metrics.recomputed_points is what the rule gives to the published
numerator and denominator. Every expected value is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from .kit import block, details, metric, portal_db, recomputed, tdgq, unit

GROUPS = {"CKMB": 0, "TDGQ": 0, "ONLINE": 0, "TTTT": 0, "MDSH": 0, "MDHL": 0}


def one_unit(tmp_path, blocks: dict) -> dict:
    """The recomputed points of one unit H99.01 with ``blocks``."""
    con = portal_db(tmp_path, {"d.json": details(unit("H99.01", 0, GROUPS, blocks))})
    return recomputed(con, "H99.01")


def units(tmp_path, name: str, cases: list[tuple]) -> list:
    """One unit per case (numerator, denominator) of the metric ``name`` of block ``key``; the
    recomputed points of each, in order."""
    key, code, max_points = name
    made = [
        unit(f"H99.{i:02d}", 0, GROUPS, {key: block(0, 0, metric(code, n, d, 0, 0, max_points))})
        for i, (n, d) in enumerate(cases, start=1)
    ]
    con = portal_db(tmp_path, {"d.json": details(*made)})
    return [recomputed(con, f"H99.{i:02d}")[code] for i in range(1, len(cases) + 1)]


CKMB = "CKMB_CongKhaiMinhBach"
MDSH = "MDSH_SoHoaHoSo"
MDHL = "MDHL_MucDoHaiLong"


def test_proportional_is_max_times_the_rate(tmp_path):
    got = one_unit(
        tmp_path,
        {
            CKMB: block(
                0, 18,
                metric("PUBLISH_ON_TIME", 3, 8, 37.5, 2.25, 6),  # 6 × 3/8 = 2.25
                metric("PUBLIC_UPDATE_ON_TIME", 43, 47, 91.49, 3.66, 4),  # 4 × 43/47 = 3.6596
                metric("PUBLIC_CONTENT_FULL", 5, 4, 125, 2.5, 2),  # 2 × 5/4 = 2.5: no cap
                metric("DOSSIER_SYNC", 120, 120, 100, 6, 6),  # 6 × 1
            ),
            MDHL: block(
                0, 18,
                metric("PETITION_PROCESSING_ON_TIME", 3, 4, 75, 4.5, 6),  # 6 × 3/4 = 4.5
                metric("PETITION_HANDLING_SATISFACTION", 1, 4, 25, 1.5, 6),  # 6 × 1/4 = 1.5
            ),
        },
    )  # fmt: skip
    assert got == {
        "PUBLISH_ON_TIME": 2.25,
        "PUBLIC_UPDATE_ON_TIME": 3.66,
        "PUBLIC_CONTENT_FULL": 2.5,
        "DOSSIER_SYNC": 6,
        "PETITION_PROCESSING_ON_TIME": 4.5,
        "PETITION_HANDLING_SATISFACTION": 1.5,
    }


def test_tdgq_is_20_times_on_time_over_received(tmp_path):
    got = one_unit(tmp_path, {"TDGQ_TienDoGiaiQuyet": tdgq(130, 91, 39, 70, 14)})
    assert got == {"TDGQ": 14.0}  # 20 × 91/130 = 14


def test_capped_proportional_never_exceeds_the_maximum(tmp_path):
    got = one_unit(
        tmp_path,
        {
            MDSH: block(
                0, 22,
                metric("ORIGINAL_RESULT_AVAILABLE", 5, 4, 125, 6, 6),  # min(6, 6 × 5/4 = 7.5)
                metric("SO_HOA_GIAY_TO_GIAI_QUYET", 90, 100, 90, 3.6, 4),  # 4 × 0.9 = 3.6
                metric("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", 25, 100, 25, 1, 4),  # 4 × 0.25
                metric("CITIZEN_DATA_CONNECTED_DOSSIER", 1, 3, 33.33, 0.67, 2),  # 0.6667
                metric("CITIZEN_DATA_CONNECTED_FORMALITY", 1, 16, 6.25, 0.13, 2),  # 0.125, up
            ),
        },
    )  # fmt: skip
    assert got == {
        "ORIGINAL_RESULT_AVAILABLE": 6,
        "SO_HOA_GIAY_TO_GIAI_QUYET": 3.6,
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": 1,
        "CITIZEN_DATA_CONNECTED_DOSSIER": 0.67,
        "CITIZEN_DATA_CONNECTED_FORMALITY": 0.13,  # half-up, as every point of the site
    }


def test_full_at_80_percent(tmp_path):
    cases = [(60, 100), (79, 100), (80, 100), (95, 100)]
    got = units(tmp_path, (MDSH, "REUSED_DIGITIZED_DATA", 2), cases)
    # 2 × 0.60 / 0.80 = 1.5; 2 × 0.79 / 0.80 = 1.975; full from 80%
    assert got == [1.5, 1.98, 2, 2]


def test_full_at_90_percent(tmp_path):
    cases = [(27, 50), (44, 50), (45, 50), (50, 50)]
    got = units(tmp_path, (MDHL, "DOSSIER_RECEIVING_SATISFACTION", 6), cases)
    # 6 × 0.54 / 0.90 = 3.6; 6 × 0.88 / 0.90 = 5.8667; full from 90%
    assert got == [3.6, 5.87, 6, 6]


def test_zero_denominator_gives_0_for_satisfaction_and_tdgq(tmp_path):
    got = one_unit(
        tmp_path,
        {
            "TDGQ_TienDoGiaiQuyet": tdgq(0, 0, 0, 0, 0),
            MDHL: block(0, 18, metric("DOSSIER_RECEIVING_SATISFACTION", 0, 0, 0, 0, 6)),
        },
    )
    assert got == {"TDGQ": 0, "DOSSIER_RECEIVING_SATISFACTION": 0}


def test_zero_denominator_gives_6_for_petitions(tmp_path):
    got = one_unit(
        tmp_path,
        {
            MDHL: block(
                12, 18,
                metric("PETITION_PROCESSING_ON_TIME", 0, 0, 0, 6, 6),
                metric("PETITION_HANDLING_SATISFACTION", 0, 0, 0, 6, 6),
            )
        },
    )  # fmt: skip
    assert got == {"PETITION_PROCESSING_ON_TIME": 6, "PETITION_HANDLING_SATISFACTION": 6}


def test_zero_denominator_is_not_assessed_for_disclosure_and_digitisation(tmp_path):
    got = one_unit(
        tmp_path,
        {
            CKMB: block(0, 18, metric("DOSSIER_SYNC", 0, 0, None, None, 6)),
            MDSH: block(0, 22, metric("SO_HOA_GIAY_TO_GIAI_QUYET", 0, 0, None, None, 4)),
        },
    )
    assert got == {"DOSSIER_SYNC": None, "SO_HOA_GIAY_TO_GIAI_QUYET": None}


def test_tracked_metrics_and_the_certified_copy_get_no_points_from_counts(tmp_path):
    got = one_unit(
        tmp_path,
        {
            MDHL: block(
                0, 18,
                metric("PETITION_CLASSIFICATION_TTHC", 2, 4, 50, None, 0),
                metric("PETITION_CLASSIFICATION_STAFF", 1, 4, 25, None, 0),
            ),
            MDSH: block(
                2, 22,
                # 2 points when the unit offers the service: no counts to recompute from
                metric("ELECTRONIC_CERTIFIED_COPY", None, None, 100, 2, 2),
                metric("NEW_METRIC_2027", 1, 2, 50, 1, 2),  # a code the rule set lacks
            ),
        },
    )  # fmt: skip
    assert got == {
        "PETITION_CLASSIFICATION_TTHC": None,
        "PETITION_CLASSIFICATION_STAFF": None,
        "ELECTRONIC_CERTIFIED_COPY": None,
        "NEW_METRIC_2027": None,
    }


def test_a_missing_count_gives_no_points(tmp_path):
    got = one_unit(tmp_path, {CKMB: block(0, 18, metric("PUBLISH_ON_TIME", None, 8, 0, 0, 6))})
    assert got == {"PUBLISH_ON_TIME": None}
