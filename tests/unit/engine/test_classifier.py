"""The shipped default model and the TextModel API: verdicts, accents, persistence, speed."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import joblib
import numpy as np
import pytest
from scipy import sparse

from workers.engine import vocabulary as vocabulary_module
from workers.engine.classifier import (
    TextModel,
    TrainOptions,
    WordColumns,
    char_ngrams,
    char_wb_ngrams,
    feature_forms,
    load_default_model,
    shape_values,
)
from workers.engine.training import strip_diacritics
from workers.engine.trees import BoostedTrees, TreeOptions, fit_sklearn
from workers.engine.vocabulary import CompactVocabulary

# Written for these tests, not taken from the seed corpus.
SPAM = [
    "Nhà cái uy tín hàng đầu, nạp 200k nhận thêm 200k, rút về ngân hàng trong 3 phút",
    "n.h.à c.á.i số 1, vào nhacai79 . net đăng ký liền tay",
    "soi keo bong da mien phi, tham gia nhom zalo 0 9 7 7 1 2 3 4 5 6 nhe ae",
    "Vay tiền nhanh trong ngày chỉ cần căn cước, không gọi người thân, lh 0936.222.111",
    "Cho vay bốc bát họ lãi nhẹ, góp theo ngày, ai cần ib em Hạnh",
    "Nhận làm bằng đại học chính quy, có hồ sơ gốc, tra cứu được trên mạng",
    "Kiếm 400k mỗi ngày chỉ bằng điện thoại, không cần vốn, đăng ký tại bit.ly/kt99",
    "Đầu tư tiền ảo lãi 3% mỗi ngày, cam kết không lỗ, nhắn tele @laixuyen",
    "Xem video sex không che miễn phí, link ở bình luận đầu",
    "сá độ bóng đá uу tín, tỷ lệ kèo cao nhất",
    "Earn $700 per day from home, no experience required, sign up at easycash . biz",
    "Check out my channel and subscribe, I promise to sub back!!!",
    "Buy cheap Instagram followers and likes, 5k followers only $15",
    "Get a verified university diploma in 10 days, no exams needed",
]
CIVIL = [
    "Lãnh đạo huyện phải chịu trách nhiệm vì để người dân sống cạnh bãi rác suốt mười năm.",
    "Làm ăn tắc trách quá, cây cầu mới xây đã lún, đề nghị khởi tố những người liên quan!",
    "Chủ tịch tỉnh trả lời chất vấn quá chung chung, cử tri không chấp nhận được.",
    "lanh dao so y te can tu chuc vi de thieu thuoc keo dai",
    "Ông Nguyễn Văn Ngân phụ trách dự án cần giải trình rõ vì sao chậm tiến độ.",
    "Mưa từ chiều qua, đường Phan Bội Châu ngập tới yên xe, mong phường cho người khơi cống.",
    "Giá xăng tăng liên tục, tiền chợ mỗi ngày của nhà tôi cũng tăng theo.",
    "Trường mầm non xã tôi thiếu giáo viên, các cháu phải học ghép lớp.",
    "Đội nhà thua tan nát, ban huấn luyện nên nhìn lại chiến thuật.",
    "Cảm ơn các y bác sĩ bệnh viện huyện đã cấp cứu kịp thời cho mẹ tôi.",
    "ko bit bao gio duong moi dc sua, di lai kho qua",
    "The district chief should resign, this flood response was a disaster.",
    "Thanks for the report, the new clinic opening hours are very useful.",
]
ABUSE = [
    "Đồ ngu như bò, đọc bài mà cũng không hiểu",
    "thằng này óc chó thật, câm mồm đi",
    "Shut up you idiot, nobody cares what you think",
]


def sklearn_proba(model: TextModel, texts: list[str]) -> np.ndarray:
    """What predict_proba_many answers, with the matrix built by sklearn's own vectorizers.

    The model's transform reuses the fast scorer's rows; this reference does not: each
    block is a copy of its vectorizer given back a plain dict vocabulary, as sklearn fitted.
    """
    forms = [feature_forms(t) for t in texts]
    parts = []
    for block in model._blocks:
        vectorizer = copy.copy(block.vectorizer)
        vectorizer.vocabulary_ = dict(block.vectorizer.vocabulary_.items())
        parts.append(vectorizer.transform([f[block.form] for f in forms]))
    matrix = sparse.hstack(parts, format="csr")
    proba = model._estimator.predict_proba(matrix)
    if model._trees is not None:
        shapes = np.array([shape_values(t) for t in texts])
        proba = model._trees.blend(proba, model._trees.raw_many(matrix, shapes))
    return proba  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def model() -> TextModel:
    return load_default_model()


@pytest.fixture(scope="module")
def small_model() -> TextModel:
    texts = ["vay tiền nhanh lãi thấp", "nhà cái uy tín", "bài viết hay", "đường ngập quá"] * 3
    labels = ["spam", "spam", "ham", "ham"] * 3
    return TextModel.train(texts, labels, C=5.0)


@pytest.mark.parametrize("text", SPAM)
def test_default_model_calls_obvious_spam_spam(model: TextModel, text: str) -> None:
    proba = model.probabilities(text)
    assert proba["spam"] > 0.5, proba


@pytest.mark.parametrize("text", CIVIL)
def test_default_model_keeps_civil_comments_and_criticism_ham(model: TextModel, text: str) -> None:
    proba = model.probabilities(text)
    assert model.predict(text) == "ham", proba
    assert proba["spam"] < 0.5 and proba["abuse"] < 0.5, proba


@pytest.mark.parametrize("text", ABUSE)
def test_default_model_calls_insults_abuse(model: TextModel, text: str) -> None:
    assert model.predict(text) == "abuse", model.probabilities(text)


@pytest.mark.parametrize("text", SPAM[:9] + CIVIL[:10])
def test_stripping_diacritics_keeps_the_verdict(model: TextModel, text: str) -> None:
    assert model.predict(strip_diacritics(text)) == model.predict(text)


def test_default_model_metadata(model: TextModel) -> None:
    assert model.labels == ("abuse", "ham", "spam")
    assert model.version.startswith("seed-")
    assert load_default_model() is model  # cached per process
    assert (
        Path(__file__)
        .resolve()
        .parents[3]
        .joinpath("workers/engine/models/default.joblib")
        .stat()
        .st_size
        < 5_000_000
    )


def test_fast_scorer_equals_sklearn(model: TextModel) -> None:
    texts = SPAM + CIVIL + ABUSE + ["", "!!!", "ok", "a\nb\tc  d", "😀😀", "x" * 300]
    fast = np.array([[model.probabilities(t)[label] for label in model.labels] for t in texts])
    reference = sklearn_proba(model, texts)  # sklearn transform + predict_proba
    assert np.abs(fast - reference).max() < 1e-6
    assert np.abs(model.predict_proba_many(texts) - reference).max() < 1e-9


def test_word_memory_scores_as_sklearn_cold_warm_and_after_it_fills(
    model: TextModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The char_wb blocks remember each word's columns; a full memory starts again empty.
    monkeypatch.setattr(WordColumns, "MAX_WORDS", 12)
    fresh = model.copy()  # prepared again: its memories start empty
    memories = [b.words for b in fresh._blocks if b.words is not None]
    assert len(memories) == 2 and all(not m._known for m in memories)
    texts = SPAM + CIVIL + ABUSE + ["ngu ngu ngu", "a a  a", ""]
    reference = sklearn_proba(model, texts)
    for _ in range(2):  # cold, then with words remembered from the first round
        fast = np.array([[fresh.probabilities(t)[label] for label in fresh.labels] for t in texts])
        assert np.abs(fast - reference).max() < 1e-9
    most_new_words = max(len(set(t.split())) for t in texts)  # one comment's are kept whole
    assert all(0 < len(m._known) <= max(12, most_new_words) for m in memories)


def test_fast_ngrams_equal_sklearn_analyzer(model: TextModel) -> None:
    analyzer = model._blocks[0].vectorizer.build_analyzer()
    low, high = model._blocks[0].vectorizer.ngram_range
    for text in SPAM + CIVIL + ["a", " ab  c \n d ", "", "xy"]:
        form = feature_forms(text)[0]
        assert Counter(char_wb_ngrams(form, low, high)) == Counter(analyzer(form))


def test_binary_model_fast_scorer_equals_sklearn(small_model: TextModel) -> None:
    texts = ["vay tiền", "bài viết hay quá", "nha cai", "zzz"]
    fast = [small_model.probabilities(t)["spam"] for t in texts]
    reference = sklearn_proba(small_model, texts)[:, 1]
    assert np.allclose(fast, reference, atol=1e-6)


def test_probabilities_many_matches_single_calls(model: TextModel) -> None:
    many = model.probabilities_many(SPAM[:3])
    for text, proba in zip(SPAM[:3], many, strict=True):
        assert proba == pytest.approx(model.probabilities(text), abs=1e-9)
        assert sum(proba.values()) == pytest.approx(1.0)


def test_save_load_round_trip(model: TextModel, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    model.save(path)
    loaded = TextModel.load(path)
    assert loaded.version == model.version and loaded.labels == model.labels
    for text in SPAM[:4] + CIVIL[:4]:
        assert loaded.probabilities(text) == model.probabilities(text)


def test_shape_values_count_links_as_the_link_rule_finds_them() -> None:
    links = 2  # shape_values' third value
    assert shape_values("ghé nhacai88 . com nhé, hoặc xem http://a.vn/x")[links] == 2.0
    assert shape_values("mua ở shopee.vn/abc hoặc tv.  mtvema. com")[links] == 2.0
    assert shape_values("Giá xăng tăng 3.5% từ 15 giờ chiều nay.")[links] == 0.0


def _saved_as_format(model: TextModel, path: Path, number: int) -> Path:
    joblib.dump({**model._payload(), "format": number}, path)
    return path


def test_a_model_with_shape_values_saved_before_format_3_is_refused(tmp_path: Path) -> None:
    texts = ["xem nhacai88 . com", "bài viết hay", "vào www.cash.biz", "cảm ơn tác giả"] * 3
    shaped = TextModel.train(texts, ["spam", "ham"] * 6, C=10.0, shape_weight=0.5)
    with pytest.raises(ValueError, match="retrain"):
        TextModel.load(_saved_as_format(shaped, tmp_path / "shaped.joblib", 2))
    plain = TextModel.train(texts, ["spam", "ham"] * 6, C=10.0)
    loaded = TextModel.load(_saved_as_format(plain, tmp_path / "plain.joblib", 2))
    assert loaded.probabilities(texts[0]) == plain.probabilities(texts[0])


def test_partial_update_moves_near_identical_text(model: TextModel) -> None:
    site = model.copy()
    text = "Mua sim số đẹp giá rẻ tại cửa hàng Minh Phát đường Lê Lợi"
    shared_before = model.probabilities(text)
    before = site.probabilities("Mua sim số đẹp giá rẻ tại cửa hàng Minh Phát, đường Lê Lợi!")
    site.partial_update([text], ["ham"])
    after = site.probabilities("Mua sim số đẹp giá rẻ tại cửa hàng Minh Phát, đường Lê Lợi!")
    assert after["ham"] > before["ham"] + 0.2
    assert site.version != model.version and site.version.startswith(model.version)
    # the shared default is untouched, and unrelated comments keep their verdicts
    assert model.probabilities(text) == shared_before
    for other in CIVIL[:3] + SPAM[:3]:
        assert site.predict(other) == model.predict(other)


def test_partial_update_towards_spam(model: TextModel) -> None:
    site = model.copy()
    text = "Ghé thăm tiệm bánh Hoa Mai để được tặng bánh miễn phí mỗi sáng"
    before = site.probabilities(text)["spam"]
    site.partial_update([text], ["spam"])
    assert site.probabilities(text + " nhé")["spam"] > before + 0.2


def test_partial_update_rejects_unknown_label(model: TextModel) -> None:
    with pytest.raises(ValueError):
        model.copy().partial_update(["x"], ["eggs"])


def test_training_needs_two_labels() -> None:
    with pytest.raises(ValueError):
        TextModel.train(["a", "b"], ["ham", "ham"])


def test_training_options_change_features() -> None:
    texts, labels = ["vay tiền", "bài hay", "nhà cái", "mưa to"], ["spam", "ham", "spam", "ham"]
    small = TextModel.train(texts, labels, options=TrainOptions(char_ngrams=(2, 3)))
    large = TextModel.train(texts, labels)
    assert small.n_features < large.n_features
    assert small.version != large.version


def test_shape_features_fast_scorer_equals_sklearn() -> None:
    texts = [
        "Check out my channel http://example.com !!!",
        "nice song 😀😀",
        "SUBSCRIBE NOW, 100% FREE",
        "i love this song",
        "free money at www.cash.biz ???",
        "great video, thanks",
    ] * 3
    labels = ["spam", "ham", "spam", "ham", "spam", "ham"] * 3
    model = TextModel.train(texts, labels, C=10.0, shape_weight=0.3)
    assert model.n_features == sum(len(b.vectorizer.vocabulary_) for b in model._blocks)
    probe = [*texts, "", "!!!", "x" * 300, "ĐẸP QUÁ 123", "ca do bong da 0977123456"]
    fast = np.array([[model.probabilities(t)[label] for label in model.labels] for t in probe])
    assert np.abs(fast - sklearn_proba(model, probe)).max() < 1e-6
    names = [name for name, _ in model.top_features("CHECK http://a.com !!!", "spam", k=20)]
    assert "shape:urls" in names


RAW_PROBE = [
    "Ngonnnnnnnnn ngọt dịu thanh",
    "Sp rất ok ..............................",
    "Đồ đẹp\nGkihhdsxdtuikmvxdrghk",
    "  a  \n\t b\n c  ",
    "CHẤT LƯỢNG tuyệt vời 👍🏻👍🏻👍🏻",
    "",
    "x",
    "ca do bong da 0977123456",
]


def test_fast_char_ngrams_equal_sklearn_analyzer() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    for low, high in [(1, 5), (2, 4), (3, 3)]:
        analyzer = TfidfVectorizer(
            analyzer="char", ngram_range=(low, high), lowercase=False
        ).build_analyzer()
        for text in RAW_PROBE + SPAM[:3]:
            assert Counter(char_ngrams(text, low, high)) == Counter(analyzer(text))


def test_raw_blocks_fast_scorer_equals_sklearn() -> None:
    texts = RAW_PROBE[:5] + ["Hàng đẹp, giao nhanh", "Đóng gói cẩn thận", "vải mát, đúng size"]
    labels = ["spam"] * 5 + ["ham"] * 3
    raw = {"raw_char_ngrams": (1, 5), "raw_token_ngrams": (1, 2), "raw_min_df": 2}
    model = TextModel.train(texts * 2, labels * 2, C=10.0, **raw)
    analyzers = [b.vectorizer.analyzer for b in model._blocks]
    assert analyzers == ["char_wb", "char_wb", "word", "char", "word"]
    probe = [*RAW_PROBE, *(strip_diacritics(t) for t in RAW_PROBE), "NGON QUÁ!!!\n\n\nok"]
    fast = np.array([[model.probabilities(t)[label] for label in model.labels] for t in probe])
    assert np.abs(fast - sklearn_proba(model, probe)).max() < 1e-6


def test_raw_blocks_are_optional() -> None:
    texts, labels = ["vay tiền", "bài hay", "nhà cái", "mưa to"], ["spam", "ham", "spam", "ham"]
    without = TextModel.train(texts, labels)
    assert [b.vectorizer.analyzer for b in without._blocks] == ["char_wb", "char_wb", "word"]
    with_raw = TextModel.train(texts, labels, raw_char_ngrams=(2, 4), raw_token_ngrams=(1, 1))
    assert with_raw.n_features > without.n_features
    assert with_raw.version != without.version


def test_nb_blend_is_one_linear_model_scored_exactly() -> None:
    texts = [*RAW_PROBE[:5], *SPAM[:4], *CIVIL[:6]]
    labels = ["spam"] * 9 + ["ham"] * 6
    plain = TextModel.train(texts * 2, labels * 2, C=10.0, shape_weight=0.3)
    blended = TextModel.train(texts * 2, labels * 2, C=10.0, shape_weight=0.3, nb_blend=0.5)
    assert blended.n_features == plain.n_features
    assert blended.version != plain.version
    probe = [*texts, *(strip_diacritics(t) for t in texts), "", "Check out my channel!!!"]
    fast = np.array([[blended.probabilities(t)[label] for label in blended.labels] for t in probe])
    assert np.abs(fast - sklearn_proba(blended, probe)).max() < 1e-6
    assert np.abs(fast - sklearn_proba(plain, probe)).max() > 1e-3
    assert blended.predict("Nhà cái uy tín, nạp 100k nhận 100k") == "spam"


def test_nb_blend_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="two labels"):
        TextModel.train(
            SPAM[:3] + CIVIL[:3] + ABUSE, ["spam"] * 3 + ["ham"] * 3 + ["abuse"] * 3, nb_blend=0.5
        )


SMALL_TREES = TreeOptions(columns=300, iterations=40, learning_rate=0.2, max_leaf_nodes=7)


def test_tree_walk_equals_sklearn() -> None:
    rng = np.random.default_rng(3)
    x = rng.random((400, 12)) * (rng.random((400, 12)) < 0.3)  # sparse-ish, zeros common
    y = (x[:, 0] + x[:, 3] * x[:, 5] > 0.2) ^ (rng.random(400) < 0.1)
    fitted = fit_sklearn(x, y, SMALL_TREES)
    trees = BoostedTrees.from_sklearn(fitted, np.arange(10), extra=2, weight=0.5)
    expected = fitted.decision_function(x)
    walked = trees.raw_many(sparse.csr_matrix(x[:, :10]), x[:, 10:])
    assert np.abs(walked - expected).max() < 1e-9
    for row in x[:50]:
        idx = np.flatnonzero(row[:10])
        one = trees.raw(trees.inputs(idx, row[idx], row[10:]))
        assert one == pytest.approx(fitted.decision_function(row[None])[0], abs=1e-9)


def test_tree_blend_scores_one_comment_as_the_batch_does(tmp_path: Path) -> None:
    texts = [*RAW_PROBE[:5], *SPAM[:8], *CIVIL[:10]]
    labels = ["spam"] * 13 + ["ham"] * 10
    plain = TextModel.train(texts * 2, labels * 2, C=10.0)
    blended = TextModel.train(texts * 2, labels * 2, C=10.0, tree_blend=0.4, trees=SMALL_TREES)
    assert blended.version != plain.version
    probe = [*texts, *(strip_diacritics(t) for t in texts), "", "Check out my channel!!!"]
    fast = np.array([[blended.probabilities(t)[label] for label in blended.labels] for t in probe])
    assert np.abs(fast - sklearn_proba(blended, probe)).max() < 1e-9
    assert np.abs(blended.predict_proba_many(probe) - fast).max() < 1e-9
    assert np.abs(fast - sklearn_proba(plain, probe)).max() > 1e-3  # the trees count
    assert np.allclose(fast.sum(axis=1), 1.0)
    blended.save(tmp_path / "m.joblib")
    loaded = TextModel.load(tmp_path / "m.joblib")
    assert loaded.probabilities(probe[0]) == blended.probabilities(probe[0])


def test_tree_blend_beside_shape_features() -> None:
    texts, labels = [*SPAM[:8], *CIVIL[:10]], ["spam"] * 8 + ["ham"] * 10
    model = TextModel.train(
        texts * 2, labels * 2, shape_weight=0.5, tree_blend=0.4, trees=SMALL_TREES
    )
    fast = np.array([[model.probabilities(t)[label] for label in model.labels] for t in texts])
    assert np.abs(fast - sklearn_proba(model, texts)).max() < 1e-9


def test_moderator_updates_still_move_a_tree_blended_score() -> None:
    texts, labels = [*SPAM[:8], *CIVIL[:10]], ["spam"] * 8 + ["ham"] * 10
    model = TextModel.train(texts * 2, labels * 2, C=10.0, tree_blend=0.4, trees=SMALL_TREES)
    text = "Mua hàng ở đây giao nhanh lắm, mọi người ghé shop nhé"
    before = model.probabilities(text)["spam"]
    model.partial_update([text], ["spam"])
    assert model.probabilities(text)["spam"] > before + 0.1


def test_tree_blend_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="two labels"):
        TextModel.train(
            SPAM[:3] + CIVIL[:3] + ABUSE, ["spam"] * 3 + ["ham"] * 3 + ["abuse"] * 3, tree_blend=0.5
        )


def test_compact_vocabularies_score_exactly_as_sklearn(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Large models keep their vocabularies compact; here every block is made compact.
    monkeypatch.setattr(vocabulary_module, "COMPACT_FROM", 0)
    texts = [*RAW_PROBE[:5], *SPAM[:8], *CIVIL[:10]]
    labels = ["spam"] * 13 + ["ham"] * 10
    raw = {"raw_char_ngrams": (1, 5), "raw_token_ngrams": (1, 2)}
    model = TextModel.train(
        texts * 2, labels * 2, C=10.0, shape_weight=0.3, tree_blend=0.4, trees=SMALL_TREES, **raw
    )
    assert all(isinstance(b.vectorizer.vocabulary_, CompactVocabulary) for b in model._blocks)
    probe = [*texts, *(strip_diacritics(t) for t in texts), "", "!!!", "NGON QUÁ!!!\n\nok"]
    reference = sklearn_proba(model, probe)
    fast = np.array([[model.probabilities(t)[label] for label in model.labels] for t in probe])
    assert np.abs(fast - reference).max() < 1e-9
    assert np.abs(model.predict_proba_many(probe) - reference).max() < 1e-9
    assert model.transform([]).shape == (0, model.n_features)
    names = [name for name, _ in model.top_features("Nhà cái uy tín!!!", "spam", k=50)]
    assert "nha cai" in names  # the word block, named from its compact vocabulary

    model.save(tmp_path / "m.joblib")
    monkeypatch.setattr(vocabulary_module, "COMPACT_FROM", 10**9)  # loading keeps them compact
    loaded = TextModel.load(tmp_path / "m.joblib")
    assert all(isinstance(b.vectorizer.vocabulary_, CompactVocabulary) for b in loaded._blocks)
    assert loaded.probabilities(probe[0]) == model.probabilities(probe[0])

    text = "Mua hàng ở đây giao nhanh lắm, mọi người ghé shop nhé"
    before = loaded.probabilities(text)["spam"]
    loaded.partial_update([text], ["spam"])  # moderators teach a compact model too
    assert loaded.probabilities(text)["spam"] > before + 0.05


def test_small_vocabularies_stay_dicts(model: TextModel) -> None:
    # The shipped model's blocks (5,000-18,000 n-grams) keep sklearn's faster dict lookups.
    assert all(type(b.vectorizer.vocabulary_) is dict for b in model._blocks)
