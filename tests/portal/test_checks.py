"""portal_checks: the portal's published figures against its own rules (portal.md, "Checks").
A hand-made capture whose every figure follows the rules gives no row; each check kind is then
shown with exactly one deviation planted in a copy of it. Every number is worked out by hand."""

from __future__ import annotations

import copy

import pytest

from .kit import block, checks, details, metric, portal_db, tdgq, unit, unit_list

# One unit whose figures all follow qd766-2026.
BLOCKS = {
    "CKMB_CongKhaiMinhBach": block(
        13.91, 18,
        metric("PUBLISH_ON_TIME", 3, 8, 37.5, 2.25, 6),  # 6 × 3/8
        metric("PUBLIC_UPDATE_ON_TIME", 43, 47, 91.49, 3.66, 4),  # 4 × 43/47 = 3.6596
        metric("PUBLIC_CONTENT_FULL", 47, 47, 100, 2, 2),
        metric("DOSSIER_SYNC", 120, 120, 100, 6, 6),
        ratio=77.28,
    ),  # 2.25 + 3.66 + 2 + 6 = 13.91
    "TDGQ_TienDoGiaiQuyet": tdgq(130, 91, 39, 70, 14),  # 20 × 91/130
    "ONLINE_DichVuTrucTuyen": block(7.5, 12),  # a score alone: not recomputed
    "TTTT_ThanhToanTrucTuyen": block(
        6.25, 10, totalDossierOnlinePaymentSuccess=40, totalDossierFinancialObligation=50
    ),
    "MDSH_SoHoaHoSo": block(
        13.52, 22,
        metric("ORIGINAL_RESULT_AVAILABLE", 50, 80, 62.5, 3.75, 6),  # 6 × 0.625
        metric("SO_HOA_GIAY_TO_GIAI_QUYET", 90, 100, 90, 3.6, 4),
        metric("REUSED_DIGITIZED_DATA", 60, 100, 60, 1.5, 2),  # 2 × 0.6 / 0.8
        metric("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", 25, 100, 25, 1, 4),
        metric("CITIZEN_DATA_CONNECTED_DOSSIER", 1, 3, 33.33, 0.67, 2),  # 100/3 = 33.333
        metric("CITIZEN_DATA_CONNECTED_FORMALITY", 5, 10, 50, 1, 2),
        metric("ELECTRONIC_CERTIFIED_COPY", None, None, 100, 2, 2),
    ),  # 3.75 + 3.6 + 1.5 + 1 + 0.67 + 1 + 2 = 13.52
    "MDHL_MucDoHaiLong": block(
        9.6, 18,
        metric("PETITION_CLASSIFICATION_TTHC", 2, 4, 50, None, 0),
        metric("DOSSIER_RECEIVING_SATISFACTION", 27, 50, 54, 3.6, 6),  # 6 × 0.54 / 0.9
        metric("PETITION_PROCESSING_ON_TIME", 3, 4, 75, 4.5, 6),
        metric("PETITION_HANDLING_SATISFACTION", 1, 4, 25, 1.5, 6),
        metric("PETITION_CLASSIFICATION_STAFF", 1, 4, 25, None, 0),
        totalPetitions=4,
    ),  # 3.6 + 4.5 + 1.5 = 9.6
}  # fmt: skip
GROUPS = {"CKMB": 13.91, "TDGQ": 14, "ONLINE": 7.5, "TTTT": 6.25, "MDSH": 13.52, "MDHL": 9.6}
TOTAL = 64.78  # 13.91 + 14 + 7.5 + 6.25 + 13.52 + 9.6


def capture(blocks=BLOCKS, groups=GROUPS, total=TOTAL) -> dict:
    return details(unit("H99.01", total, groups, blocks))


def changed(path: tuple, value) -> dict:
    """BLOCKS with one value replaced: path = (block, member) or (block, metric position, key)."""
    blocks = copy.deepcopy(BLOCKS)
    where = blocks[path[0]]
    if len(path) == 3:
        where = where["metrics"][path[1]]
    where[path[-1]] = value
    return blocks


def found(tmp_path, document: dict) -> list[tuple]:
    return checks(portal_db(tmp_path, {"d.json": document}))


def test_a_capture_that_follows_the_rules_has_no_deviation(tmp_path):
    assert found(tmp_path, capture()) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # points 0.02 off the rule: 2.27 against 6 × 3/8 = 2.25 (the group: within 0.025)
        (("CKMB_CongKhaiMinhBach", 0, "score"), 2.27, (2.27, 2.25, 0.02)),
        # points the rule does not give: 4 × 0.25 = 1
        (("MDSH_SoHoaHoSo", 3, "score"), None, (None, 1.0, None)),
        # 6 points as if there were no petitions: 6 × 3/4 = 4.5
        (("MDHL_MucDoHaiLong", 2, "score"), 6.0, (6.0, 4.5, 1.5)),
    ],
)
def test_metric_points(tmp_path, path, value, expected):
    blocks = changed(path, value)
    if path[0] == "MDHL_MucDoHaiLong":  # 3/4 → 6: the group 9.6 + 1.5 = 11.1, the total too
        blocks["MDHL_MucDoHaiLong"]["score"] = 11.1
        groups, total = {**GROUPS, "MDHL": 11.1}, 66.28
    elif value is None:  # 1 point less in MDSH: 12.52, and the total 63.78
        blocks["MDSH_SoHoaHoSo"]["score"] = 12.52
        groups, total = {**GROUPS, "MDSH": 12.52}, 63.78
    else:
        groups, total = GROUPS, TOTAL
    metric = BLOCKS[path[0]]["metrics"][path[1]]["code"]
    group = path[0][:4]
    assert found(tmp_path, capture(blocks, groups, total)) == [
        ("H99.01", "metric_points", group, metric, *expected)
    ]


def test_metric_points_of_a_tracked_metric(tmp_path):
    blocks = changed(("MDHL_MucDoHaiLong", 0, "score"), 0.5)  # maximum 0: no points
    blocks["MDHL_MucDoHaiLong"]["score"] = 10.1  # the group and total count them: 9.6 + 0.5
    groups, total = {**GROUPS, "MDHL": 10.1}, 65.28
    assert found(tmp_path, capture(blocks, groups, total)) == [
        ("H99.01", "metric_points", "MDHL", "PETITION_CLASSIFICATION_TTHC", 0.5, None, None)
    ]


def test_tdgq_points(tmp_path):
    blocks = changed(("TDGQ_TienDoGiaiQuyet", "score"), 14.5)  # 20 × 91/130 = 14
    groups, total = {**GROUPS, "TDGQ": 14.5}, 65.28
    assert found(tmp_path, capture(blocks, groups, total)) == [
        ("H99.01", "metric_points", "TDGQ", "TDGQ", 14.5, 14.0, 0.5)
    ]


def test_metric_ratio(tmp_path):
    # 100 × 43/47 = 91.4894: 91.48 is 0.0094 off (more than 0.006); 91.49 is 0.0006 off
    blocks = changed(("CKMB_CongKhaiMinhBach", 1, "ratio"), 91.48)
    assert found(tmp_path, capture(blocks)) == [
        ("H99.01", "metric_ratio", "CKMB", "PUBLIC_UPDATE_ON_TIME", 91.48, 91.4894, -0.0094)
    ]


def test_metric_ratio_of_tdgq(tmp_path):
    blocks = changed(("TDGQ_TienDoGiaiQuyet", "ratio"), None)  # 100 × 91/130 = 70
    assert found(tmp_path, capture(blocks)) == [
        ("H99.01", "metric_ratio", "TDGQ", "TDGQ", None, 70.0, None)
    ]


def test_group_sum(tmp_path):
    # MDSH published 13.57 (the unit's groups and its block) while its 7 metrics add up to
    # 13.52: 0.05 off, more than 0.005 × 8; the total 64.83 is the sum of the groups published
    blocks = changed(("MDSH_SoHoaHoSo", "score"), 13.57)
    groups, total = {**GROUPS, "MDSH": 13.57}, 64.83
    assert found(tmp_path, capture(blocks, groups, total)) == [
        ("H99.01", "group_sum", "MDSH", "MDSH", 13.57, 13.52, 0.05)
    ]


def test_group_sum_within_its_tolerance_is_no_deviation(tmp_path):
    # MDSH 13.56: 0.04 off its 7 metrics' 13.52, exactly what 0.005 × 8 allows (in binary
    # floating point 13.56 − 13.52 is a little more than 0.04); the total is the groups' sum
    blocks = changed(("MDSH_SoHoaHoSo", "score"), 13.56)
    groups, total = {**GROUPS, "MDSH": 13.56}, 64.82
    assert found(tmp_path, capture(blocks, groups, total)) == []


def test_total_sum(tmp_path):
    # 64.82 against the six groups' 64.78: 0.04 off (more than 0.035)
    assert found(tmp_path, capture(total=64.82)) == [
        ("H99.01", "total_sum", None, "total", 64.82, 64.78, 0.04)
    ]


def test_total_sum_within_its_tolerance_is_no_deviation(tmp_path):
    assert found(tmp_path, capture(total=64.81)) == []  # 0.03 off, within 0.035


def test_group_over_max(tmp_path):
    # A unit list (no metrics), as on 2026-09-24: MDHL 18.28 above 18; the total adds up
    groups = {**GROUPS, "MDHL": 18.28}
    listed = unit_list(unit("H99.01", 73.46, groups))  # 64.78 − 9.6 + 18.28
    assert found(tmp_path, listed) == [
        ("H99.01", "group_over_max", "MDHL", "MDHL", 18.28, 18.0, 0.28)
    ]


def test_a_group_at_its_maximum_is_no_deviation(tmp_path):
    groups = {**GROUPS, "MDHL": 18.0}
    assert found(tmp_path, unit_list(unit("H99.01", 73.18, groups))) == []


def test_a_province_overview_with_groups_is_checked_like_a_unit(tmp_path):
    # the overview's total is 60 (kit.unit_list); its groups add up to 60.5. (The details'
    # overview has a total and no groups: not checked, as in the capture without deviation.)
    groups = {"CKMB": 10, "TDGQ": 10.5, "CLGQ": 10, "TTTT": 10, "MDSH": 10, "MDHL": 10}
    listed = unit_list(unit("H99.01", TOTAL, GROUPS), overview_groups=groups)
    assert found(tmp_path, listed) == [("H99", "total_sum", None, "total", 60.0, 60.5, -0.5)]
