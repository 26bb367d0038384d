"""The history page (lich-su.md.j2)."""

from __future__ import annotations

from .province import DOSSIERS, read


def test_history_page_states_this_release(site):
    _, docs, _, _ = site
    text = read(docs, "lich-su/index.md")
    assert "| Số hồ sơ hợp lệ | 12 |" in text and len(DOSSIERS) == 12
    assert "| Số cơ quan, đơn vị | 6 |" in text
    assert "| Số thủ tục có hồ sơ | 2 |" in text
    assert "| Tháng trọn vẹn gần nhất | tháng 3/2026 |" in text
    assert "| Bảng `scores_766` |" in text
    assert "chạy với `--releases none`" in text  # no release listed
