"""Boosted trees beside the linear model: a second opinion the classifier can blend in.

The linear model adds up n-gram weights; it cannot say "this phrase means spam in a
five-word review but not in a sixty-word one". Small gradient-boosted trees over the
n-grams that matter most and the comment's shape (length, links, symbols...) can. With two
labels, ``TrainOptions(tree_blend=w)`` trains them beside the logistic regression and
averages the probabilities, ``(1 - w) * linear + w * trees``. On ViSpamReviews this took
3-fold cross-validated macro-F1 on train from 0.848 to 0.855-0.856 (docs/engine.md).

Training uses scikit-learn's ``HistGradientBoostingClassifier`` on a dense matrix of the
``columns`` chosen by chi-squared (the trees need no more, and a dense matrix of all 600,000
n-grams would not fit). Scoring does not call scikit-learn: its per-call overhead is about a
millisecond for one row. The fitted trees are copied into flat arrays and walked for all
trees at once in numpy (``BoostedTrees.raw``); a test checks the walk against
scikit-learn's ``decision_function``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_selection import chi2


@dataclass(frozen=True)
class TreeOptions:
    """How the trees are trained; defaults chosen on ViSpamReviews train (docs/engine.md)."""

    columns: int = 3000  # the model's feature columns the trees may read, best chi2 first
    iterations: int = 600
    learning_rate: float = 0.05
    max_leaf_nodes: int = 31
    max_features: float = 0.3  # share of the columns each split may look at
    l2_regularization: float = 1.0


def choose_columns(matrix: sparse.csr_matrix, y: np.ndarray, count: int) -> np.ndarray:
    """The count columns of matrix that tell the labels apart best (chi2), in index order."""
    score, _ = chi2(matrix, y)
    best = np.argsort(-np.nan_to_num(score), kind="stable")[:count]
    return np.sort(best)


def fit_sklearn(
    dense: np.ndarray, y: np.ndarray, opts: TreeOptions
) -> HistGradientBoostingClassifier:
    """Fit the trees on the chosen columns (and any extra dense columns) of the training rows."""
    trees = HistGradientBoostingClassifier(
        max_iter=opts.iterations,
        learning_rate=opts.learning_rate,
        max_leaf_nodes=opts.max_leaf_nodes,
        max_features=opts.max_features,
        l2_regularization=opts.l2_regularization,
        early_stopping=False,  # a fixed size: sklearn would turn it on above 10,000 rows
        random_state=0,
    )
    return trees.fit(dense, y)


@dataclass
class BoostedTrees:
    """Binary boosted trees as flat arrays: every node of every tree, leaves pointing home.

    ``columns`` are the classifier's feature columns the trees read, in the order of the
    trees' own inputs; ``extra`` dense inputs (the shape values) follow them. ``weight`` is
    the trees' share of the blended probability. A leaf's
    threshold is +inf and both its children are itself, so a walk of ``depth`` steps from
    every root ends on every tree's leaf whatever its depth.
    """

    columns: np.ndarray
    extra: int
    weight: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int
    baseline: float

    @classmethod
    def from_sklearn(
        cls, fitted: HistGradientBoostingClassifier, columns: np.ndarray, extra: int, weight: float
    ) -> BoostedTrees:
        if len(fitted.classes_) != 2:
            raise ValueError("boosted trees are blended for two labels only")
        parts, roots, start, depth = [], [], 0, 0
        for (predictor,) in fitted._predictors:  # noqa: SLF001 (no public view of the nodes)
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            leaf = nodes["is_leaf"].astype(bool)
            own = np.arange(len(nodes)) + start
            parts.append(
                (
                    np.where(leaf, 0, nodes["feature_idx"]),
                    np.where(leaf, np.inf, nodes["num_threshold"]),
                    np.where(leaf, own, nodes["left"].astype(np.int64) + start),
                    np.where(leaf, own, nodes["right"].astype(np.int64) + start),
                    np.where(leaf, nodes["value"], 0.0),
                )
            )
            roots.append(start)
            start += len(nodes)
            depth = max(depth, int(nodes["depth"].max()))
        joined = (np.concatenate(p) for p in zip(*parts, strict=True))
        feature, threshold, left, right, value = joined
        return cls(
            columns=np.asarray(columns, dtype=np.intp),
            extra=extra,
            weight=weight,
            feature=feature.astype(np.intp),
            threshold=threshold,
            left=left.astype(np.intp),
            right=right.astype(np.intp),
            value=value,
            roots=np.array(roots, dtype=np.intp),
            depth=depth,
            baseline=float(np.ravel(fitted._baseline_prediction)[0]),  # noqa: SLF001
        )

    def inputs(self, idx: np.ndarray, vals: np.ndarray, extra: np.ndarray) -> np.ndarray:
        """One comment's tree inputs from its sparse feature row and its extra values."""
        x = np.zeros(len(self.columns) + self.extra)
        at = np.searchsorted(self.columns, idx)  # columns are sorted; a lookup table by
        at[at == len(self.columns)] = 0  # model column would cost megabytes of memory
        read = self.columns[at] == idx
        x[at[read]] = vals[read]
        x[len(self.columns) :] = extra
        return x

    def blend(self, linear: np.ndarray, raw: np.ndarray | float) -> np.ndarray:
        """Average the linear model's probabilities (rows of two) with the trees' log-odds."""
        second = sigmoid(raw)
        trees = np.stack([1.0 - second, second], axis=-1)
        return (1.0 - self.weight) * linear + self.weight * trees

    def raw(self, x: np.ndarray) -> float:
        """The trees' log-odds of the second label for one row of inputs.

        Every node's next step for this row is decided first, in three vectorized passes
        over all nodes; the walk is then one gather per level. Walking level by level with
        the comparisons inside took 1.6x as long: numpy's cost per call, not per node,
        dominates at a few hundred trees.
        """
        step = np.where(x[self.feature] <= self.threshold, self.left, self.right)
        nodes = self.roots
        for _ in range(self.depth):
            nodes = step[nodes]
        return self.baseline + float(self.value[nodes].sum())

    def raw_many(self, matrix: sparse.csr_matrix, extra: np.ndarray) -> np.ndarray:
        """The log-odds of many rows: the classifier's feature matrix and their extra values."""
        out = np.empty(matrix.shape[0])
        for start in range(0, matrix.shape[0], 256):  # a dense block of 256 rows at a time
            x = dense_inputs(matrix[start : start + 256], self.columns, extra[start : start + 256])
            nodes = np.broadcast_to(self.roots, (len(x), len(self.roots)))
            rows = np.arange(len(x))[:, None]
            for _ in range(self.depth):
                left = x[rows, self.feature[nodes]] <= self.threshold[nodes]
                nodes = np.where(left, self.left[nodes], self.right[nodes])
            out[start : start + len(x)] = self.baseline + self.value[nodes].sum(axis=1)
        return out


def dense_inputs(matrix: sparse.csr_matrix, columns: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """The trees' inputs of many rows: the chosen columns, densified, then the extra values."""
    return np.hstack([matrix[:, columns].toarray(), np.asarray(extra, dtype=np.float64)])


def sigmoid(raw: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(raw, dtype=np.float64)))
