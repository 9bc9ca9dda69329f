"""bench/default_engine.py on a miniature copy of the datasets' layout (written here)."""

from __future__ import annotations

from pathlib import Path

from bench import default_engine
from tests.unit.engine.helpers import write_table


def _datasets(root: Path) -> None:
    write_table(
        root / "vihsd" / "dev.csv",
        ["free_text", "label_id"],
        [
            ["Cảm ơn tòa soạn đã phản ánh kịp thời về con đường bị ngập.", "0"],
            ["Mong huyện sớm sửa cây cầu cho bà con đi lại.", "0"],
            ["Đồ ngu, óc chó, cút mẹ mày đi.", "1"],
            ["Lũ súc vật, giết hết cho rồi.", "2"],
        ],
    )
    write_table(
        root / "vispamreviews" / "dev.csv",
        ["Rating", "Comment", "Label", "SpamLabel"],
        [
            ["5", "Áo đẹp, giao hàng nhanh.", "0", "0"],
            ["1", "Vào nhacai88.vip nhận 500k", "1", "1"],
        ],
    )
    for video in default_engine.YOUTUBE:
        write_table(
            root / "youtube-spam" / f"{video}.csv",
            ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"],
            [
                ["a", "x", "", "Love this song &#39;so much&#39;", "0"],
                ["b", "y", "", "Check out my channel http://bit.ly/x, subscribe!", "1"],
            ],
        )


def test_counts_every_comment_under_its_true_label(tmp_path: Path, capsys) -> None:
    _datasets(tmp_path)
    assert default_engine.main(["--datasets", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| ViHSD dev | clean | 2 |" in out
    assert "| ViHSD dev | hate | 1 |" in out
    assert "| YouTube 07 | spam | 1 |" in out

    hsd = next(c for c in default_engine.corpora(tmp_path) if c.name == "ViHSD dev")
    counts = default_engine.outcomes(hsd)
    assert counts["0"]["approve"] == 2  # civil comments go out at once
    assert counts["1"]["approve"] == 0 and counts["2"]["approve"] == 0  # insults do not
    shares = default_engine.rows(hsd, counts)
    assert [r["label"] for r in shares] == ["clean", "offensive", "hate"]
    assert all(sum(r[v.value] for v in default_engine.VERDICTS) == 100.0 for r in shares)
    assert shares[0]["approve_95"][0] < 100.0 == shares[0]["approve"]  # 2 of 2: not certain


def test_the_published_share_has_a_95_percent_interval() -> None:
    low, high = default_engine.share_interval(1879, 2190)  # ViHSD clean, 85.8%
    assert 84 < low < 85.8 < high < 88
    wide_low, wide_high = default_engine.share_interval(126, 175)  # a video's 72.0%
    assert wide_high - wide_low > 2 * (high - low)  # twelve times fewer comments
    assert default_engine.share_interval(0, 0) == [0.0, 0.0]


def test_missing_datasets_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert default_engine.main(["--datasets", str(tmp_path)]) == 2
    assert "datasets not found" in capsys.readouterr().err
