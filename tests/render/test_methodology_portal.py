"""The methodology page's section on the national portal's evaluation (phuong-phap.md.j2, §10):
its tables come from the seed of qd766-2026, the checks and tolerances it states are those of
queries/marts/portal_checks.sql, and it says which rule set the build scores with and which a
config may choose. Expected lines are made from the seed files and the SQL, read here."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from minhbach.render.env import md_text

from .province import read

QUERIES = Path(__file__).resolve().parents[2] / "queries"


def seed(name: str) -> list[dict]:
    with (QUERIES / "seeds" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def section(docs: Path) -> str:
    text = read(docs, "phuong-phap/index.md")
    return text[text.index("## 10. Đánh giá của Cổng Dịch vụ công quốc gia") :]


def test_every_portal_metric_is_in_its_group_s_table_with_its_rule(site):
    _, docs, _, _ = site
    text = section(docs)
    metrics = seed("rule_set_qd766_2026.csv")
    groups = seed("groups.csv")
    headings = {}
    for g in groups:
        heading = f"**{g['group_name']} (`{g['group']}`, {g['max_points']} điểm)**"
        assert heading in text
        headings[g["group"]] = text.index(heading)
        # the group's maximum is the sum of its metrics' maxima
        assert int(g["max_points"]) == sum(
            int(m["max_points"]) for m in metrics if m["group"] == g["group"]
        )
    order = [g["group"] for g in groups]
    for m in metrics:
        confirmed = {"true": "có", "false": "chưa", "": "—"}[m["confirmed"]]
        line = (
            f"| `{m['indicator']}` | {md_text(m['indicator_name'])} | {m['max_points']} | "
            f"{m['points_text']} | {confirmed} | {md_text(m['note'])} |"
        )
        assert line in text, line
        # under its group's heading, before the next group's
        at = text.index(line)
        assert at > headings[m["group"]]
        following = order[order.index(m["group"]) + 1 :]
        assert all(at < headings[g] for g in following)


def test_what_is_not_confirmed_is_listed_with_the_seed_s_note(site):
    _, docs, _, _ = site
    text = section(docs)
    start = text.index("**Chưa được xác nhận.**")
    listed = text[start : text.index("### Kiểm tra số liệu của Cổng")]
    for m in seed("rule_set_qd766_2026.csv"):
        item = f"- `{m['indicator']}` ({md_text(m['indicator_name'])}, nhóm `{m['group']}`):"
        if m["confirmed"] == "false":
            assert f"{item} {md_text(m['note'])}." in listed
        else:
            assert item not in listed
    # the three rules portal.md says are unconfirmed
    assert "TEMP\\_NATIONAL\\_REPORT\\_DENOMINATOR" in listed  # DOSSIER_SYNC's denominator
    assert "Cổng chỉ công bố điểm nhóm" in listed  # CLGQ
    assert "Số hạng 2,5C" in listed  # TTTT's third term


def tolerances() -> dict[str, str]:
    """Each check of portal_checks.sql and its tolerance, as the page writes it: 0.005 * (m.terms
    + 1) -> 0,005 × (k + 1)."""
    sql = (QUERIES / "marts" / "portal_checks.sql").read_text(encoding="utf-8")
    found = {}
    for check, expr in re.findall(
        r"'(\w+)' as \"check\".*?,\s*([^,]*?) as tolerance", sql, flags=re.DOTALL
    ):
        expr = re.sub(r"\b\w+\.terms\b", "k", expr.strip()).replace("*", "×")
        found[check] = re.sub(r"(\d)\.(\d)", r"\1,\2", expr)
    return found


def test_the_checks_and_tolerances_are_those_of_portal_checks_sql(site):
    _, docs, _, _ = site
    text = section(docs)
    found = tolerances()
    labels = seed("labels_portal_checks.csv")
    assert set(found) == {r["check"] for r in labels} == {
        "metric_points", "metric_ratio", "group_sum", "total_sum", "group_over_max",
    }  # fmt: skip
    assert found["group_sum"] == "0,005 × (k + 1)"
    for r in labels:
        (line,) = [
            ln
            for ln in text.splitlines()
            if ln.startswith(f"| {md_text(r['label'])} | `{r['check']}` |")
        ]
        last_cell = line.rstrip(" |").rsplit(" | ", 1)[1]
        assert last_cell.startswith(found[r["check"]] + " "), (r["check"], last_cell)


def test_official_and_recomputed_are_matched_by_portal_code_and_period(site):
    _, docs, _, _ = site
    text = section(docs)
    assert "`portal_code` của danh mục đơn vị (`agencies`)" in text
    assert "khi kỳ P **đã trọn** ở cả hai bên" in text
    assert "**đúng vào ngày chốt số liệu**" in text


def test_the_build_s_rule_set_the_default_and_the_choice(site):
    _, docs, _, _ = site
    text = section(docs)
    assert "theo bộ quy tắc **`qd766-v1`**" in text  # the province's build
    assert "Bộ quy tắc mặc định là **`qd766-v1`**" in text
    assert (
        "(mục `[rules] rule_set` của tệp cấu hình `minhbach.toml`): `qd766-2026`, `qd766-v1`."
        in (text.replace("\n  ", " "))
    )
    assert 'Chọn `[rules] rule_set = "qd766-2026"`' in text
    # qd766-v1's words stay on a qd766-v1 page
    page = read(docs, "phuong-phap/index.md")
    assert "gộp chúng vào chỉ số 4.5" in page
