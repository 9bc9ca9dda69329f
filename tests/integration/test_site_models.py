"""A site's own model: retrained from its moderators' labels, it scores that site's comments."""

from __future__ import annotations

import json

import pytest

from service.queue import RETRAIN_LOCK_KEY
from service.store.reading import comment_history
from service.store.site_models import (
    add_example,
    load_site_model,
    model_status,
    newest_model_id,
    save_site_model,
    site_examples,
)
from tests.integration.conftest import make_site, submit
from workers import runtime, site_models
from workers.cli import main
from workers.engine import default_model
from workers.engine.training import train_site_model
from workers.site_training import RETRAIN_CHECK_KEY, retrain_due_sites

# A campaign the seed corpus never saw: package tours sold in the comments.
TOURS = [
    f"Tour {place} trọn gói {days} ngày {price}, {ask}"
    for place, days, price, ask in [
        ("Phú Quốc", 3, "chỉ 1tr9", "inbox em giữ chỗ"),
        ("Đà Lạt", 2, "giá ưu đãi 990k", "ib em nhé"),
        ("Sa Pa", 4, "còn 2tr5", "nhắn em để giữ suất"),
        ("Nha Trang", 3, "giảm 30%", "liên hệ em ngay"),
        ("Hạ Long", 2, "bao ăn ở", "inbox để được tư vấn"),
        ("Côn Đảo", 3, "vé máy bay kèm theo", "ai đi thì ib"),
        ("Mũi Né", 2, "xe đưa đón tận nơi", "còn ít suất, inbox"),
        ("Hội An", 3, "khởi hành thứ 6", "đặt sớm giảm thêm"),
        ("Quy Nhơn", 4, "giá gia đình", "em gửi lịch trình qua tin nhắn"),
        ("Cát Bà", 2, "trọn gói khách sạn 3 sao", "ib em báo giá"),
        ("Mộc Châu", 2, "chỉ 850k", "nhóm 4 người giảm thêm"),
        ("Huế", 3, "có hướng dẫn viên", "inbox em nha"),
    ]
]
TOURS += [text.replace("Tour", "Bên em nhận tour") for text in TOURS]
CIVIL = [
    f"{opening} {topic}, {ending}"
    for opening, topic, ending in [
        ("Cảm ơn báo đã đưa tin", "về đoạn đường bị sạt lở", "mong sớm khắc phục"),
        ("Nhà tôi ở gần đó", "nước ngập cả tuần nay", "bà con rất vất vả"),
        ("Đồng ý với ý kiến trên", "trường học cần thêm phòng", "các cháu học chật chội quá"),
        ("Mong chính quyền", "xử lý nghiêm xe quá tải", "đường làng hỏng hết rồi"),
        ("Năm nay giá lúa thấp", "nông dân lỗ nặng", "cần có chính sách hỗ trợ"),
        ("Bài viết rất hay", "về nghề gốm truyền thống", "cần được giữ gìn"),
        ("Chợ mới xây xong", "nhưng tiểu thương chưa vào", "vì giá thuê quá cao"),
        ("Tôi từng khám ở bệnh viện huyện", "bác sĩ rất tận tình", "cảm ơn các y bác sĩ"),
        ("Cầu treo ở bản tôi", "xuống cấp nhiều năm", "mong tỉnh quan tâm"),
        ("Đội bóng của tỉnh", "đá hay hơn mùa trước", "chúc mừng ban huấn luyện"),
        ("Đèn đường khu tôi", "hỏng cả tháng nay", "tối đi lại rất nguy hiểm"),
        ("Lễ hội năm nay", "tổ chức chu đáo", "khách về đông vui"),
    ]
]
CIVIL += [text.replace(", ", " ạ, ", 1) for text in CIVIL]
PROBE = "Cuối tuần này bên em còn vài suất đi Phan Thiết trọn gói, ai cần thì inbox em nha"


@pytest.fixture
def fresh_models(monkeypatch):
    """Workers look for a newer site model at every batch (30 s between looks otherwise)."""
    monkeypatch.setattr(site_models, "CHECK_SECONDS", 0.0)


def _label(client, site, moderator, work, texts, action):
    """Submit the texts and have the moderator decide each; their comment ids."""
    ids = [
        submit(client, site, text, author_name=f"Khách {n}")["id"] for n, text in enumerate(texts)
    ]
    work()
    for comment_id in ids:
        _decide(client, moderator, comment_id, action)
    return ids


def _decide(client, moderator, comment_id, action):
    response = client.post(
        f"/v1/moderation/comments/{comment_id}/decision", json={"action": action}, auth=moderator
    )
    assert response.status_code == 200, response.json


def _decision(app, comment_id):
    _, decisions, _ = comment_history(app.extensions["duyet"].db, comment_id)
    return decisions[0]


def test_a_retrained_site_scores_its_comments_with_what_its_moderators_taught(
    app, client, site, moderator, work, fresh_models, capsys
):
    other = make_site(app, "baokhac")
    _label(client, site, moderator, work, TOURS, "spam")
    _label(client, site, moderator, work, CIVIL, "approve")

    assert main(["site", "retrain", site.slug, "--json"]) == 0
    assert '"labels": 48' in capsys.readouterr().out

    ours, theirs = submit(client, site, PROBE), submit(client, other, PROBE)
    work()
    learned, shipped = _decision(app, ours["id"]), _decision(app, theirs["id"])
    db = app.extensions["duyet"].db
    stored = load_site_model(db, newest_model_id(db, site.id))
    assert stored.version.startswith(f"site{site.id}-") and stored.examples == 48
    assert learned.engine_version.endswith("+" + stored.version)
    assert shipped.engine_version.endswith("+" + default_model().version)
    assert newest_model_id(db, other.id) is None
    assert learned.scores["spam"] > shipped.scores["spam"] + 0.2


def test_a_retrain_with_enough_labels_says_what_it_bought_and_how_sure_that_is(app, site, capsys):
    db = app.extensions["duyet"].db
    tours = [f"{text} (đợt {n})" for n in range(3) for text in TOURS]  # 144 adverts
    for text in tours[:60]:
        add_example(db, site.id, text, "spam", "desk")
    for n in range(60):
        add_example(db, site.id, f"{CIVIL[n % len(CIVIL)]} ({n})", "ham", "desk")
    assert main(["site", "retrain", site.slug]) == 0
    out = capsys.readouterr().out
    report = model_status(db, site.id).report
    assert report is not None and report["held_out"] == 24
    gain = report["site_model"]["macro_f1"] - report["shipped_model"]["macro_f1"]
    low, high = report["gain_interval"]
    # the shipped model already keeps most tours out: on 24 labels, what the site's model
    # adds could be a few comments' luck, and the interval says so
    assert low <= gain <= high and high - low > 0.05
    assert f"the difference's 95% interval {100 * low:+.1f} to {100 * high:+.1f} points" in out


def test_a_worker_retrains_a_site_once_enough_new_labels_arrived(
    app, client, site, moderator, work, redis, settings
):
    every = settings.with_overrides(site_retrain_every=5)
    db = app.extensions["duyet"].db
    _label(client, site, moderator, work, TOURS[:4], "spam")
    assert retrain_due_sites(db, redis, every) == []  # four new labels: not yet
    redis.delete(RETRAIN_CHECK_KEY)  # the next check would come five minutes later
    _label(client, site, moderator, work, CIVIL[:2], "approve")

    assert retrain_due_sites(db, redis, every) == [site.id]  # trained in a child process
    assert model_status(db, site.id).examples == 6
    redis.delete(RETRAIN_CHECK_KEY)
    assert retrain_due_sites(db, redis, every) == []  # nothing new since
    assert retrain_due_sites(db, redis, settings.with_overrides(site_retrain_every=0)) == []


def test_duyet_sweep_retrains_a_site_an_admin_asked_for(app, client, site, moderator, work, capsys):
    """Plain RQ workers have no sweep thread: `duyet sweep` from cron does its work."""
    _label(client, site, moderator, work, TOURS[:2] + CIVIL[:1], "approve")
    assert app.extensions["duyet"].queue.request_retrain(site.id)
    assert main(["sweep", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["retrained_sites"] == [site.id]
    assert model_status(app.extensions["duyet"].db, site.id).examples == 3


def test_a_request_made_while_the_site_retrains_waits_for_the_next_sweep(
    app, client, site, moderator, work, redis, settings
):
    _label(client, site, moderator, work, TOURS[:2], "spam")
    db, queue = app.extensions["duyet"].db, app.extensions["duyet"].queue
    redis.set(RETRAIN_LOCK_KEY.format(site.id), 1)  # another worker is training the site
    assert queue.request_retrain(site.id)
    assert retrain_due_sites(db, redis, settings) == []
    assert queue.retrain_state(site.id) == "training"
    redis.delete(RETRAIN_LOCK_KEY.format(site.id))
    assert queue.retrain_state(site.id) == "requested"  # kept, not dropped
    assert retrain_due_sites(db, redis, settings) == [site.id]


def test_a_comment_labelled_twice_counts_with_its_latest_label(app, client, site, moderator, work):
    [comment_id] = _label(client, site, moderator, work, [TOURS[0]], "spam")
    _decide(client, moderator, comment_id, "approve")
    examples = site_examples(app.extensions["duyet"].db, site.id)
    assert (examples.texts, examples.labels) == ([TOURS[0]], ["ham"])


def test_a_retrain_learns_from_the_newest_labels_only(app, client, site, moderator, work):
    _label(client, site, moderator, work, TOURS[:3], "spam")
    examples = site_examples(app.extensions["duyet"].db, site.id, newest=2)
    assert examples.texts == TOURS[1:3]


def test_a_site_model_that_cannot_be_read_leaves_the_shipped_model_scoring(
    app, client, site, work, fresh_models
):
    db = app.extensions["duyet"].db
    save_site_model(db, site.id, "site-broken", b"not a model", site_examples(db, site.id), None)
    accepted = submit(client, site, "Cảm ơn phóng viên đã đưa tin kịp thời.")
    work()
    assert _decision(app, accepted["id"]).engine_version.endswith("+" + default_model().version)


def test_forgetting_a_site_model_returns_the_site_to_the_shipped_one(app, site, settings):
    db = app.extensions["duyet"].db
    save_site_model(db, site.id, "site-x", b"blob", site_examples(db, site.id), None)
    assert main(["site", "forget-model", site.slug]) == 0
    assert newest_model_id(db, site.id) is None
    assert runtime.model_for(site.id) is runtime.model()


def test_a_worker_keeps_few_models_loaded_and_still_scores_each_site_with_its_own(
    app, fresh_models
):
    db = app.extensions["duyet"].db
    first, plain, second = (make_site(app, slug) for slug in ("mot", "hai", "ba"))
    trained = {}
    for site in (first, second):
        model, _ = train_site_model(CIVIL[:4], ["ham"] * 4, f"site{site.id}")
        save_site_model(
            db, site.id, model.version, model.to_bytes(), site_examples(db, site.id), None
        )
        trained[site.id] = model.version
    models = site_models.SiteModels(db, runtime.model, kept_loaded=1)
    for site in (first, plain, second, first, plain):
        expected = trained.get(site.id, runtime.model().version)
        assert models.for_site(site.id).version == expected
        assert sum(entry.model is not None for entry in models._loaded.values()) <= 1
