"""CompactVocabulary: the same mapping as sklearn's dict, in a fraction of the memory."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from workers.engine import vocabulary as vocabulary_module
from workers.engine.vocabulary import CompactVocabulary

TERMS = ["a", " nh", "nhà", "cái", "", "vay tiền", "😀", "ca do", "đ", "x" * 40]


def test_it_maps_each_term_to_its_column() -> None:
    vocab = CompactVocabulary(TERMS)
    assert len(vocab) == len(TERMS)
    assert list(vocab) == TERMS
    assert dict(vocab.items()) == {t: i for i, t in enumerate(TERMS)}
    for column, term in enumerate(TERMS):
        assert vocab[term] == column
        assert vocab.term(column) == term
    assert "nha" not in vocab and 3 not in vocab
    with pytest.raises(KeyError):
        vocab["không có"]


def test_columns_of_many_terms_at_once() -> None:
    vocab = CompactVocabulary(TERMS)
    probe = ["cái", "missing", "a", "x" * 40, "x" * 39, ""]
    assert vocab.columns(probe).tolist() == [3, -1, 0, 9, -1, 4]
    assert vocab.columns([]).tolist() == []
    assert CompactVocabulary([]).columns(["a"]).tolist() == [-1]


def test_from_dict_keeps_sklearn_columns() -> None:
    fitted = {"b": 2, "a": 0, "c": 1}
    vocab = CompactVocabulary.from_dict(fitted)
    assert dict(vocab) == fitted
    assert CompactVocabulary.from_dict(vocab) is vocab


def test_pickle_rebuilds_the_index_and_copies_share_it() -> None:
    vocab = CompactVocabulary(TERMS)
    loaded = pickle.loads(pickle.dumps(vocab))
    assert dict(loaded) == dict(vocab)
    assert loaded.columns(TERMS).tolist() == list(range(len(TERMS)))
    assert set(vocab.__getstate__()) == {"text", "ends"}  # the hashes are never saved
    assert copy.deepcopy(vocab) is vocab  # immutable


def test_terms_whose_hashes_collide_are_looked_up_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python's 64-bit str hashes practically never collide; a hash by length forces it.
    monkeypatch.setattr(vocabulary_module, "term_hash", len)
    terms = ["ab", "cd", "efg", "h", "ijkl"]  # "ab" and "cd" share a hash
    vocab = CompactVocabulary(terms)
    assert vocab.columns(terms).tolist() == [0, 1, 2, 3, 4]
    assert vocab["cd"] == 1
    with pytest.raises(KeyError):
        vocab["zz"]  # same hash as "ab" and "cd", in neither
    with pytest.raises(KeyError):
        vocab["xyz"]  # the same hash as "efg": a single lookup checks the term itself
    assert vocab.columns(["zz"]).tolist() == [-1]
    assert np.array_equal(vocab.columns(["xyz"]), [2])  # the batch lookup trusts the hash
