"""The statistical classifier: char and word n-grams on normalized text, a linear model.

Features are TF-IDF blocks (sublinear tf, each block l2-normalized) over forms of the
normalized comment: char n-grams of the accented and of the unaccented form, and word
n-grams of the repaired unaccented form (split letters rejoined), so a comment typed
without accents lands on the same unaccented features as an accented one. Optional raw
blocks read the comment with only NFC and lower case applied (char n-grams across words,
whitespace tokens), where the punctuation, spacing and letter runs that normalization folds
away survive.
The model is a multinomial logistic regression whose own probabilities are used; with two
labels it may be averaged with an NB-LR fitted on the same features (``nb_blend``), folded
into one set of weights.

Scoring one comment goes through a small exact re-implementation of the sklearn transform
and ``predict_proba`` (a dictionary lookup per n-gram, or per word where a block remembers
its words' columns, and a sparse dot product), because the sklearn pipeline costs about a
millisecond per single row in call overhead alone.

Learning from moderators (``partial_update``) takes a few stochastic-gradient steps of the
same multinomial log-loss on the existing weights, restricted to the n-grams of the given
comments and pulled back towards the trained weights by an L2 term, so one decision moves
the score of near-identical texts without a retrain.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from workers.engine.normalize import normalize, strip_diacritics
from workers.engine.rules.links import find_links
from workers.engine.trees import (
    BoostedTrees,
    TreeOptions,
    choose_columns,
    dense_inputs,
    fit_sklearn,
)
from workers.engine.vocabulary import CompactVocabulary, compact_if_large, lookup_columns

# 2: vocabularies pickled as CompactVocabulary; files of format 1 (sklearn's dicts) still load.
# 3: shape:urls counts the link rule's links; an older file with shape values or trees was
# fitted to another count and is refused (``_from_payload``).
FORMAT = 3
READABLE_FORMATS = (1, 2, 3)
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "models" / "default.joblib"
WORD_PATTERN = r"(?u)\b\w+\b"


Forms = tuple[str, str, str, str, str, str]
FORM_INDEX = {"folded": 0, "plain": 1, "clean": 2, "clean_plain": 3, "raw": 4, "lower": 5}


def feature_forms(text: str) -> Forms:
    """Return the folded, plain, clean and clean_plain forms, the raw text and its lower form.

    ``lower`` is the comment with nothing folded but NFC and case: runs of letters, line
    breaks, punctuation and look-alike letters survive there for the raw blocks.
    """
    norm = normalize(text)
    lower = unicodedata.normalize("NFC", text).lower()
    return norm.folded, norm.plain, norm.clean, norm.clean_plain, text, lower


def unaccented_forms(forms: Forms) -> Forms:
    """Return the forms of the same comment typed without diacritics (for augmentation)."""
    return forms[1], forms[1], forms[3], forms[3], forms[4], strip_diacritics(forms[5])


_PUNCT_RUN = re.compile(r"([!?.,])\1+")
SHAPE_NAMES = (
    "shape:log_length",
    "shape:digit_ratio",
    "shape:urls",
    "shape:punct_runs",
    "shape:symbols",
    "shape:upper_ratio",
    "shape:log_words",
)


def shape_values(text: str) -> list[float]:
    """Return the raw shape of a comment: length, digits, links, !!!, emoji, capitals, words.

    Links are the link rule's (``find_links``: URLs, bare and dodged domains), so the engine
    has one definition of a link (docs/engine.md, round 23). ``normalize`` is cached, so
    scoring does not fold the text twice.
    """
    size = max(len(text), 1)
    letters = sum(c.isalpha() for c in text) or 1
    return [
        float(np.log1p(len(text))),
        sum(c.isdigit() for c in text) / size,
        float(len(find_links(normalize(text).clean))),
        float(len(_PUNCT_RUN.findall(text))),
        float(sum(unicodedata.category(c) == "So" for c in text)),
        sum(c.isupper() for c in text) / letters,
        float(np.log1p(len(text.split()))),
    ]


class ShapeVectorizer:
    """Dense shape features, standardized on the training rows and scaled by ``weight``.

    The same ``shape_values`` feed ``transform`` (batch, sklearn side) and ``row`` (the
    fast scorer), and the arithmetic is elementwise, so both give identical floats.
    """

    analyzer = "shape"

    def __init__(self, weight: float) -> None:
        self.weight = weight
        self.vocabulary_ = {name: i for i, name in enumerate(SHAPE_NAMES)}
        self.mean_ = np.zeros(len(SHAPE_NAMES))
        self.scale_ = np.ones(len(SHAPE_NAMES))

    def _scaled(self, raw: np.ndarray) -> np.ndarray:
        return (raw - self.mean_) / self.scale_ * self.weight

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        raw = np.array([shape_values(t) for t in texts], dtype=np.float64)
        self.mean_ = raw.mean(axis=0)
        self.scale_ = raw.std(axis=0) + 1e-9
        return sparse.csr_matrix(self._scaled(raw))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        raw = np.array([shape_values(t) for t in texts], dtype=np.float64)
        return sparse.csr_matrix(self._scaled(raw.reshape(-1, len(SHAPE_NAMES))))

    def row(self, text: str) -> np.ndarray:
        return self._scaled(np.array([shape_values(text)], dtype=np.float64))[0]

    def get_feature_names_out(self) -> np.ndarray:
        return np.array(SHAPE_NAMES, dtype=object)


@dataclass(frozen=True)
class TrainOptions:
    """Feature and model settings; the defaults were chosen by cross-validation on train data."""

    char_ngrams: tuple[int, int] = (1, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    word_form: str = "plain"  # which form the word block reads: "plain" or "folded"
    char_form: str = "clean"  # the accented char block: "folded" or "clean" (no word repairs)
    char_plain_form: str = "clean_plain"  # the unaccented char block: "plain" or "clean_plain"
    min_df: int = 1
    max_features: int | None = None  # per block
    C: float = 3.0
    class_weight: str | None = "balanced"
    augment_plain: bool = True  # also train on each text with its diacritics stripped
    shape_weight: float = 0.0  # > 0 appends standardized shape features times this weight
    # Raw blocks, off by default, on the ``lower`` form (NFC and lowercase only): char
    # n-grams across word boundaries, and n-grams of whitespace-separated tokens.
    raw_char_ngrams: tuple[int, int] | None = None  # e.g. (1, 5)
    raw_token_ngrams: tuple[int, int] | None = None  # e.g. (1, 2)
    raw_min_df: int = 1  # 2 drops n-grams seen in one training row: a smaller model
    # > 0 (two labels only): also fit an NB-LR (features scaled by naive-Bayes log-count
    # ratios) and keep the weighted average of both models' weights: still one linear model.
    nb_blend: float = 0.0
    # > 0 (two labels only): also train boosted trees over the strongest n-grams and the
    # shape values; probabilities are (1 - w) * linear + w * trees (workers/engine/trees.py).
    tree_blend: float = 0.0
    trees: TreeOptions = TreeOptions()
    max_iter: int = 2000

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Block:
    form: int  # index into feature_forms(), see FORM_INDEX
    vectorizer: Any  # a TfidfVectorizer, or a ShapeVectorizer
    offset: int = 0
    analyzer: Callable[[str], list[str]] | None = field(default=None, repr=False)
    words: WordColumns | None = field(default=None, repr=False)  # char_wb blocks only

    def prepare(self) -> None:
        vec = self.vectorizer
        # sklearn's dict of n-grams is most of a large model's memory (workers/engine/vocabulary.py)
        vec.vocabulary_ = compact_if_large(vec.vocabulary_)
        self.words = None
        if isinstance(vec, ShapeVectorizer):
            self.analyzer = None
        elif vec.analyzer == "char_wb" and vec.preprocessor is None and not vec.lowercase:
            low, high = vec.ngram_range
            self.analyzer = partial(char_wb_ngrams, low=low, high=high)
            self.words = WordColumns(vec.vocabulary_, low, high)
        elif vec.analyzer == "char" and vec.preprocessor is None and not vec.lowercase:
            low, high = vec.ngram_range
            self.analyzer = partial(char_ngrams, low=low, high=high)
        else:
            self.analyzer = vec.build_analyzer()

    def feature_name(self, column: int) -> str:
        """The n-gram (or shape value) of one of this block's columns."""
        vocabulary = self.vectorizer.vocabulary_
        if isinstance(vocabulary, CompactVocabulary):
            return vocabulary.term(column)
        return str(self.vectorizer.get_feature_names_out()[column])

    def transform(self, rows: Sequence[Forms]) -> sparse.csr_matrix:
        """This block's columns for many comments.

        sklearn's own ``transform`` where the vocabulary is its dict; over a compact
        vocabulary, which sklearn would query one n-gram at a time, every n-gram of the
        batch is looked up in one call and weighed as ``sparse_row`` weighs it (the same
        values: tests compare both with sklearn).
        """
        vec = self.vectorizer
        texts = [forms[self.form] for forms in rows]
        if isinstance(vec, ShapeVectorizer) or not isinstance(vec.vocabulary_, CompactVocabulary):
            return vec.transform(texts)
        assert self.analyzer is not None
        counts = [Counter(self.analyzer(text)) for text in texts]
        grams = [gram for row in counts for gram in row]
        cols = vec.vocabulary_.columns(grams)
        tfs = np.fromiter((n for row in counts for n in row.values()), np.float64, len(grams))
        row_of = np.repeat(np.arange(len(texts)), [len(row) for row in counts])
        known, vals = self._tf_idf(cols, tfs)
        cols, row_of = cols[known], row_of[known]
        norms = np.sqrt(np.bincount(row_of, weights=vals * vals, minlength=len(texts)))
        vals /= np.where(norms > 0, norms, 1.0)[row_of]
        shape = (len(texts), len(vec.vocabulary_))
        return sparse.csr_matrix((vals, (row_of, cols)), shape=shape)

    def sparse_row(self, forms: Forms) -> tuple[np.ndarray, np.ndarray]:
        """Return column indices and values of this block, exactly as sklearn computes them."""
        text = forms[self.form]
        if isinstance(self.vectorizer, ShapeVectorizer):
            vals = self.vectorizer.row(text)
            return np.arange(len(vals), dtype=np.intp) + self.offset, vals
        if self.words is not None:
            cols, tfs = np.unique(self.words.of(text), return_counts=True)
            cols = cols.astype(np.intp)
        else:
            assert self.analyzer is not None
            counts = Counter(self.analyzer(text))
            cols = lookup_columns(self.vectorizer.vocabulary_, counts)
            tfs = np.fromiter(counts.values(), np.int64, len(counts))
        known, vals = self._tf_idf(cols, tfs)
        norm = np.sqrt(vals @ vals)
        if norm > 0:
            vals /= norm
        return cols[known] + self.offset, vals

    def _tf_idf(self, cols: np.ndarray, tfs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which n-grams the vocabulary knows, and their sublinear tf times idf (before the
        block's l2 norm), as sklearn weighs them."""
        known = cols >= 0
        return known, (np.log(tfs[known]) + 1.0) * self.vectorizer.idf_[cols[known]]


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Return the n-grams sklearn's ``analyzer="char_wb"`` makes, in fewer Python steps."""
    grams: list[str] = []
    extend = grams.extend
    for word in text.split():
        word = f" {word} "
        size = len(word)
        for n in range(low, high + 1):
            if n >= size:  # sklearn counts a word shorter than n once, as a whole
                grams.append(word)
                break
            extend([word[i : i + n] for i in range(size - n + 1)])
    return grams


class WordColumns:
    """A char_wb block's columns, remembered word by word.

    ``char_wb`` n-grams never cross a word's edge, so a comment's n-grams are its words'
    n-grams taken together, and a word's known columns never change for a trained
    vocabulary. Readers reuse few words (Vietnamese is written in a few thousand syllables),
    so after its first comments a block finds most words here instead of cutting them into
    n-grams and looking each one up: about a fifth off the whole ``evaluate()`` with the
    default model, the same values to the last bits (docs/engine.md; tests compare them
    with sklearn).
    """

    # Words remembered per block (about 200 bytes each); a full memory starts again empty.
    MAX_WORDS = 16_384

    def __init__(self, vocabulary: Mapping[str, int], low: int, high: int) -> None:
        self.vocabulary, self.low, self.high = vocabulary, low, high
        self._known: dict[str, bytes] = {}  # word -> its known columns, as int32 bytes

    def of(self, text: str) -> np.ndarray:
        """The column of every known n-gram of text, once per occurrence (int32)."""
        words = text.split()
        known = self._known
        # Taken once: another thread (the API's check endpoint) may empty the memory meanwhile.
        found = {word: known.get(word) for word in words}
        new = [word for word, columns in found.items() if columns is None]
        if new:
            learned = self._look_up(new)
            found.update(learned)
            if len(known) + len(learned) > self.MAX_WORDS:
                known.clear()
            known.update(learned)
        return np.frombuffer(b"".join([found[word] or b"" for word in words]), dtype=np.int32)

    def _look_up(self, words: list[str]) -> dict[str, bytes]:
        grams = [char_wb_ngrams(word, self.low, self.high) for word in words]
        columns = lookup_columns(self.vocabulary, [g for word_grams in grams for g in word_grams])
        columns = columns.astype(np.int32)
        ends = np.cumsum([len(word_grams) for word_grams in grams]).tolist()
        starts = [0, *ends[:-1]]
        learned = {}
        for word, start, end in zip(words, starts, ends, strict=True):
            cols = columns[start:end]
            learned[word] = cols[cols >= 0].tobytes()
        return learned

    def __deepcopy__(self, memo: dict[int, Any]) -> WordColumns:
        return self  # a model's copy prepares its blocks again, with memories of their own


_WHITE_RUN = re.compile(r"\s\s+")


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Return the n-grams sklearn's ``analyzer="char"`` makes (whitespace runs as one space)."""
    text = _WHITE_RUN.sub(" ", text)
    size = len(text)
    grams: list[str] = []
    for n in range(low, min(high, size) + 1):
        grams.extend([text[i : i + n] for i in range(size - n + 1)])
    return grams


def _make_blocks(opts: TrainOptions) -> list[_Block]:
    blocks = _make_text_blocks(opts)
    if opts.shape_weight > 0:
        blocks.append(_Block(FORM_INDEX["raw"], ShapeVectorizer(opts.shape_weight)))
    return blocks


def _make_text_blocks(opts: TrainOptions) -> list[_Block]:
    common: dict[str, Any] = {
        "lowercase": False,
        "sublinear_tf": True,
        "min_df": opts.min_df,
        "max_features": opts.max_features,
        "dtype": np.float64,
    }
    blocks = [
        _Block(
            FORM_INDEX[opts.char_form],
            TfidfVectorizer(analyzer="char_wb", ngram_range=opts.char_ngrams, **common),
        ),
        _Block(
            FORM_INDEX[opts.char_plain_form],
            TfidfVectorizer(analyzer="char_wb", ngram_range=opts.char_ngrams, **common),
        ),
        _Block(
            FORM_INDEX[opts.word_form],
            TfidfVectorizer(
                analyzer="word", token_pattern=WORD_PATTERN, ngram_range=opts.word_ngrams, **common
            ),
        ),
    ]
    lower = FORM_INDEX["lower"]
    raw = {**common, "min_df": opts.raw_min_df}
    if opts.raw_char_ngrams:
        vec = TfidfVectorizer(analyzer="char", ngram_range=opts.raw_char_ngrams, **raw)
        blocks.append(_Block(lower, vec))
    if opts.raw_token_ngrams:
        vec = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", ngram_range=opts.raw_token_ngrams, **raw
        )
        blocks.append(_Block(lower, vec))
    return blocks


def data_hash(texts: Sequence[str], labels: Sequence[str], opts: TrainOptions) -> str:
    """Return a short hash naming a training run: its rows and its options."""
    digest = hashlib.sha256(repr(sorted(opts.to_dict().items())).encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(label.encode() + b"\x1f" + text.encode() + b"\x1e")
    return digest.hexdigest()[:10]


def _shape_columns(blocks: list[_Block], n_columns: int) -> np.ndarray:
    """Which columns of the feature matrix hold shape values (signed, dense), not n-grams."""
    shape = np.zeros(n_columns, dtype=bool)
    offset = 0
    for block in blocks:
        size = len(block.vectorizer.vocabulary_)
        shape[offset : offset + size] = isinstance(block.vectorizer, ShapeVectorizer)
        offset += size
    return shape


def _nb_ratios(blocks: list[_Block], matrix: sparse.csr_matrix, y: list[str]) -> np.ndarray:
    """Return the naive-Bayes log-count ratio of each column (1 on dense shape columns)."""
    positive = np.array(y) == sorted(set(y))[1]  # sklearn's classes_[1]: the positive side
    p = np.asarray(matrix[positive].sum(axis=0)).ravel() + 1.0
    q = np.asarray(matrix[~positive].sum(axis=0)).ravel() + 1.0
    shape = _shape_columns(blocks, matrix.shape[1])  # signed values: no count ratio there
    p[shape] = q[shape] = 1.0
    ratios = np.log(p / p[~shape].sum()) - np.log(q / q[~shape].sum())
    ratios[shape] = 1.0
    return ratios


def _blend_nb(
    estimator: LogisticRegression,
    matrix: sparse.csr_matrix,
    y: list[str],
    ratios: np.ndarray,
    opts: TrainOptions,
) -> None:
    """Average the fitted weights with an NB-LR's, folded back onto the unscaled features."""
    if len(estimator.classes_) != 2:
        raise ValueError("nb_blend needs exactly two labels")
    nb = LogisticRegression(C=opts.C, class_weight=opts.class_weight, max_iter=opts.max_iter)
    nb.fit(matrix @ sparse.diags(ratios), y)
    share = opts.nb_blend / (1.0 + opts.nb_blend)
    estimator.coef_ = (1 - share) * estimator.coef_ + share * nb.coef_ * ratios
    estimator.intercept_ = (1 - share) * estimator.intercept_ + share * nb.intercept_


def _train_trees(
    blocks: list[_Block],
    matrix: sparse.csr_matrix,
    texts: Sequence[str],
    labels: Sequence[str],
    classes: np.ndarray,
    opts: TrainOptions,
) -> BoostedTrees:
    """Fit the boosted trees on the training rows' strongest n-grams and shape values."""
    if len(classes) != 2:
        raise ValueError("tree_blend needs exactly two labels")
    y = np.array(labels) == classes[1]  # the trees give P(second label), as sklearn's LR does
    # The n-gram columns compete for the trees' inputs (chi2 needs counts, not the signed
    # shape block); the raw shape values are always inputs.
    ngrams = np.flatnonzero(~_shape_columns(blocks, matrix.shape[1]))
    columns = ngrams[choose_columns(matrix[:, ngrams], y, opts.trees.columns)]
    shapes = np.array([shape_values(t) for t in texts])
    fitted = fit_sklearn(dense_inputs(matrix, columns, shapes), y, opts.trees)
    return BoostedTrees.from_sklearn(fitted, columns, shapes.shape[1], opts.tree_blend)


def _softmax_rows(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


class TextModel:
    """A trained spam/abuse text classifier over char and word n-grams."""

    def __init__(
        self,
        blocks: list[_Block],
        estimator: LogisticRegression,
        version: str,
        meta: dict[str, Any] | None = None,
        trees: BoostedTrees | None = None,
    ) -> None:
        self._blocks = blocks
        self._estimator = estimator
        self._trees = trees
        self.version = version
        self.meta: dict[str, Any] = dict(meta or {})
        self.labels: tuple[str, ...] = tuple(str(c) for c in estimator.classes_)
        self._label_index = {label: i for i, label in enumerate(self.labels)}
        offset = 0
        for block in blocks:
            block.offset = offset
            block.prepare()
            offset += len(block.vectorizer.vocabulary_)
        self.n_features = offset

    # ----- training -------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        options: TrainOptions | None = None,
        version_prefix: str = "model",
        **overrides: Any,
    ) -> TextModel:
        """Fit vectorizers and a logistic regression on labeled texts."""
        opts = options or TrainOptions()
        if overrides:
            opts = TrainOptions(**{**opts.to_dict(), **overrides})
        labels = [str(label) for label in labels]
        if len(set(labels)) < 2:
            raise ValueError("training needs at least two distinct labels")
        forms = [feature_forms(t) for t in texts]
        y = list(labels)
        if opts.augment_plain:
            extra = [unaccented_forms(f) for f in forms if f[0] != f[1]]
            extra_y = [lab for f, lab in zip(forms, labels, strict=True) if f[0] != f[1]]
            forms, y = forms + extra, y + extra_y
        blocks = _make_blocks(opts)
        matrix = sparse.hstack(
            [b.vectorizer.fit_transform([f[b.form] for f in forms]) for b in blocks], format="csr"
        )
        for block in blocks:  # the pruned-term set is only for introspection and is large
            block.vectorizer.stop_words_ = None
        estimator = LogisticRegression(
            C=opts.C, class_weight=opts.class_weight, max_iter=opts.max_iter
        )
        estimator.fit(matrix, y)
        if opts.nb_blend > 0:
            _blend_nb(estimator, matrix, y, _nb_ratios(blocks, matrix, y), opts)
        trees = None
        if opts.tree_blend > 0:  # the original rows lead the matrix, their copies follow
            originals = matrix[: len(texts)]
            trees = _train_trees(blocks, originals, texts, labels, estimator.classes_, opts)
        version = f"{version_prefix}-{data_hash(texts, labels, opts)}"
        meta = {"options": opts.to_dict(), "rows": len(texts), "updates": 0}
        return cls(blocks, estimator, version, meta, trees)

    # ----- scoring --------------------------------------------------------------------
    def _row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        forms = feature_forms(text)
        parts = [b.sparse_row(forms) for b in self._blocks]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _linear_proba(self, idx: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """The logistic regression's probabilities: what moderator updates and explanations move."""
        est = self._estimator
        logits = est.coef_[:, idx] @ vals + est.intercept_
        if len(self.labels) == 2:  # sklearn's binary model has one row: P(second class)
            logits = np.array([0.0, logits[0]])
        return _softmax_rows(logits)

    def probabilities(self, text: str) -> dict[str, float]:
        """Return the probability of each label for one comment."""
        idx, vals = self._row(text)
        proba = self._linear_proba(idx, vals)
        if self._trees is not None:
            inputs = self._trees.inputs(idx, vals, np.array(shape_values(text)))
            proba = self._trees.blend(proba, self._trees.raw(inputs))
        return {label: float(p) for label, p in zip(self.labels, proba, strict=True)}

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Return the feature matrix of texts (each block as ``_Block.transform`` builds it)."""
        forms = [feature_forms(t) for t in texts]
        return sparse.hstack([b.transform(forms) for b in self._blocks], format="csr")

    def predict_proba_many(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, labels) probability array, computed by sklearn in one batch."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        matrix = self.transform(texts)
        proba = self._estimator.predict_proba(matrix)
        if self._trees is not None:
            shapes = np.array([shape_values(t) for t in texts])
            proba = self._trees.blend(proba, self._trees.raw_many(matrix, shapes))
        return proba

    def probabilities_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Return per-label probabilities of many comments, vectorized."""
        return [
            {label: float(p) for label, p in zip(self.labels, row, strict=True)}
            for row in self.predict_proba_many(texts)
        ]

    def predict(self, text: str) -> str:
        """Return the most probable label of one comment."""
        proba = self.probabilities(text)
        return max(proba, key=proba.__getitem__)

    def predict_many(self, texts: Sequence[str]) -> list[str]:
        """Return the most probable label of each comment."""
        proba = self.predict_proba_many(texts)
        return [self.labels[i] for i in proba.argmax(axis=1)]

    def top_features(self, text: str, label: str, k: int = 5) -> list[tuple[str, float]]:
        """Return the n-grams of text that push most towards label (for explanations)."""
        idx, vals = self._row(text)
        coef = self._estimator.coef_
        li = self._label_index[label]
        if len(self.labels) == 2:
            contrib = coef[0, idx] * vals * (1 if li == 1 else -1)
        else:
            contrib = (coef[li, idx] - coef[:, idx].mean(axis=0)) * vals
        names = self._feature_names(idx)
        order = np.argsort(-contrib)[:k]
        return [(names[i], float(contrib[i])) for i in order if contrib[i] > 0]

    def _feature_names(self, idx: np.ndarray) -> list[str]:
        out = []
        for col in idx:
            block = next(b for b in reversed(self._blocks) if b.offset <= col)
            out.append(block.feature_name(int(col) - block.offset))
        return out

    # ----- learning from moderators ---------------------------------------------------
    def partial_update(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        learning_rate: float = 1.0,
        epochs: int = 3,
        l2: float = 0.01,
    ) -> None:
        """Nudge the weights towards moderator labels with a few SGD steps, in place."""
        rows = []
        for text, label in zip(texts, labels, strict=True):
            if label not in self._label_index:
                raise ValueError(f"unknown label {label!r}; the model knows {self.labels}")
            rows.append((*self._row(text), self._label_index[label]))
        est = self._estimator
        base = self.meta.setdefault("base_coef", est.coef_.copy())
        for _ in range(epochs):
            for idx, vals, target in rows:
                proba = self._linear_proba(idx, vals)
                grad = proba.copy()
                grad[target] -= 1.0
                if len(self.labels) == 2:
                    grad = grad[1:]
                drift = est.coef_[:, idx] - base[:, idx]
                est.coef_[:, idx] -= learning_rate * (np.outer(grad, vals) + l2 * drift)
        self.meta["updates"] = int(self.meta.get("updates", 0)) + len(rows)
        base_version = self.version.split("+", 1)[0]
        digest = hashlib.sha256(f"{self.version}|{list(zip(texts, labels, strict=True))}".encode())
        self.version = f"{base_version}+u{self.meta['updates']}.{digest.hexdigest()[:6]}"

    def copy(self) -> TextModel:
        """Return an independent copy (update a copy, never the shared default)."""
        clone = copy.deepcopy(self)
        for block in clone._blocks:
            block.prepare()
        return clone

    # ----- persistence ----------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the model to path (joblib, compressed)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self._payload(), path, compress=3)

    def to_bytes(self) -> bytes:
        """The model as ``save`` writes it, for a database column (a site's own model)."""
        buffer = io.BytesIO()
        joblib.dump(self._payload(), buffer, compress=3)
        return buffer.getvalue()

    def _payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "meta": self.meta,
            "blocks": [(b.form, b.vectorizer) for b in self._blocks],
            "estimator": self._estimator,
            "trees": self._trees,
        }

    @classmethod
    def load(cls, path: str | Path) -> TextModel:
        """Read a model written by ``save`` (a pickle: load only files you trust)."""
        return cls._from_payload(joblib.load(path), str(path))

    @classmethod
    def from_bytes(cls, blob: bytes) -> TextModel:
        """Read a model written by ``to_bytes`` (a pickle: only from a store you trust)."""
        return cls._from_payload(joblib.load(io.BytesIO(blob)), "model bytes")

    @classmethod
    def _from_payload(cls, payload: dict[str, Any], source: str) -> TextModel:
        if payload.get("format") not in READABLE_FORMATS:
            raise ValueError(f"{source}: unsupported model format {payload.get('format')!r}")
        blocks = [_Block(form, vec) for form, vec in payload["blocks"]]
        trees = payload.get("trees")  # absent from models saved before the trees existed
        shaped = trees is not None or any(isinstance(b.vectorizer, ShapeVectorizer) for b in blocks)
        if shaped and payload["format"] < 3:
            raise ValueError(
                f"{source}: model format {payload['format']} counted links in its shape values "
                "another way; retrain it (duyet train)"
            )
        return cls(blocks, payload["estimator"], payload["version"], payload["meta"], trees)


@lru_cache(maxsize=1)
def load_default_model() -> TextModel:
    """Return the shipped default model, loaded once per process."""
    return TextModel.load(DEFAULT_MODEL_PATH)
