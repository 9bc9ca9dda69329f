"""train_site_model: the seed corpus and a site's labels together, with a held-out report."""

from __future__ import annotations

from workers.engine import default_model
from workers.engine.training import SITE_HELD_OUT_FROM, train_site_model

# Neighbourly sales: the shipped model reads them as civil, and this site's moderators keep
# classifieds out of its comments.
ITEMS = ["xe đạp", "tủ lạnh", "bàn học", "máy giặt", "ti vi", "nồi cơm điện"]
SPAM = [
    f"Nhà mình cần bán {ITEMS[n % 6]} cũ còn dùng tốt, giá {n + 2} trăm, ai cần qua xem"
    for n in range(60)
]
HAM = [
    f"Đoạn đường số {n} qua xã bị ngập sau mưa, mong huyện sớm sửa giúp bà con" for n in range(60)
]
PROBE = "Mình cần bán cái quạt cũ còn tốt, ai cần thì qua xem"


def test_a_site_model_reports_itself_and_the_shipped_model_on_held_out_labels():
    model, report = train_site_model(SPAM + HAM, ["spam"] * 60 + ["ham"] * 60, "site7")
    assert model.version.startswith("site7-")
    assert set(model.labels) == {"abuse", "ham", "spam"}  # the seed's labels stay
    assert report is not None and report["held_out"] == 24
    assert report["site_model"]["f1"]["spam"] > report["shipped_model"]["f1"]["spam"]
    gain = report["site_model"]["macro_f1"] - report["shipped_model"]["macro_f1"]
    low, high = report["gain_interval"]  # paired, over the same 24 held-out labels
    assert 0 < low <= gain <= high  # the classifieds the shipped model let through: no luck
    assert default_model().probabilities(PROBE)["spam"] < 0.5
    assert model.probabilities(PROBE)["spam"] > 0.5


def test_a_site_with_few_labels_gets_a_model_without_a_report():
    few = SITE_HELD_OUT_FROM - 1
    labels = ["spam"] * len(SPAM) + ["ham"] * len(HAM)
    model, report = train_site_model((SPAM + HAM)[:few], labels[:few], "site8")
    assert report is None and model.version.startswith("site8-")
