"""Duplicate detection: the exact key, MinHash signatures, LSH keys and parameters, and the
measured quality on the hand-labelled pairs."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.clean.dedupe import (
    MinHasher,
    estimate_jaccard,
    exact_jaccard,
    fingerprint,
    fingerprint_words,
    lsh_params,
    shingles,
    title_levels,
    titles_compatible,
    tokens,
    word_bytes,
)
from skillgauge.clean.text import clean_field, clean_text

REPO = Path(__file__).resolve().parents[2]
PAIRS = REPO / "tests" / "data" / "dedup_pairs.csv"
AD = (
    "We are looking for a data scientist to build models that power our marketplace. "
    "You will work with Python, SQL and Spark, and partner with product and engineering."
)

# --- exact key --------------------------------------------------------------------------------


def test_fingerprint_ignores_case_punctuation_whitespace_and_html() -> None:
    key = fingerprint("Data Scientist", AD)
    rendered = "<p>" + AD.upper().replace(", ", " ,  ").replace(". ", ".</p>\n<p>") + "</p>"
    assert fingerprint("DATA  scientist!", rendered) == key
    assert fingerprint("Data Scientist", AD.replace("&", "&amp;")) == key
    assert len(key) == 32 and int(key, 16) >= 0


def test_fingerprint_values_stay_as_stored() -> None:
    """Stores keep these keys across versions: a change of the recipe would make a re-ingest of the
    same ads store them again. The values are those of the first implementation."""
    ad = "<p>We use <b>Python</b>, SQL &amp; Spark.</p> Zürich — ÉQUIPE"
    assert fingerprint("Senior Data Scientist", ad) == "a77cd95691cdcb657154ffca287dd0b5"
    assert fingerprint(None, "RoleData  x") == "be50c4cd4774ea6ffb89b5d480639c31"


def test_fingerprint_separates_different_ads() -> None:
    key = fingerprint("Data Scientist", AD)
    assert fingerprint("Data Scientist", AD.replace("Spark", "Flink")) != key
    assert fingerprint("Data Engineer", AD) != key
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint(None, AD) == fingerprint("", AD)


# --- tokens and exact Jaccard -----------------------------------------------------------------


def test_tokens_fold_case_split_punctuation_and_glued_sentences() -> None:
    assert tokens("The RoleData Scientists use JavaScript, C++ & café—ÉCOLE_x") == [
        b"the", b"role", b"data", b"scientists", b"use", b"java", b"script", b"c",
        b"caf\xc3\xa9", b"\xc3\xa9cole", b"x",
    ]  # fmt: skip


def test_exact_jaccard() -> None:
    words = [f"w{i}" for i in range(200)]
    a, b = " ".join(words[:150]), " ".join(words[50:])
    # shingles: 146 in each, 96 shared
    assert exact_jaccard(a, b) == pytest.approx(96 / (146 + 146 - 96))
    assert exact_jaccard(a, a.upper()) == 1.0
    assert exact_jaccard("", "") == 1.0 and exact_jaccard("a b", "") == 0.0
    assert shingles("one two") == {(b"one", b"two")}  # shorter than a shingle: one shingle


# --- MinHash ----------------------------------------------------------------------------------


def test_signatures_shape_dtype_and_empty_text() -> None:
    sig = MinHasher(num_perm=32).signatures([AD, "", "a b"])
    assert sig.shape == (3, 32) and sig.dtype == np.uint32
    assert (sig[1] == np.iinfo(np.uint32).max).all()
    assert not (sig[2] == np.iinfo(np.uint32).max).any()
    assert MinHasher().signatures([]).shape == (0, 64)


def test_signatures_do_not_change_between_releases() -> None:
    """Stored signatures are compared with new ones: the hashing must not drift silently."""
    sig = MinHasher().signatures(["the quick brown fox jumps over the lazy dog"])
    assert sig[0, :4].tolist() == [1066624600, 952909463, 183929311, 1334652769]


def test_batches_equal_single_documents_and_small_blocks() -> None:
    texts = [AD, "", "short text", AD.upper(), AD[:60], "x " * 3000, AD + " extra words here"]

    class Tiny(MinHasher):
        __slots__ = ()
        chunk_bytes = 64
        block = 7

    batch = MinHasher().signatures(texts)
    singles = np.vstack([MinHasher().signatures([t]) for t in texts])
    assert (batch == singles).all()
    assert (Tiny().signatures(texts) == batch).all()


@given(st.lists(st.text(), max_size=6))
def test_vectorised_tokenizer_agrees_with_tokens(texts: list[str]) -> None:
    """The numpy path hashes tokens without building them; it must split exactly as tokens()."""
    hasher = MinHasher(num_perm=16)
    rejoined = [b" ".join(tokens(t)).decode("utf-8", "surrogatepass") for t in texts]
    assert (hasher.signatures(texts) == hasher.signatures(rejoined)).all()


def test_estimate_tracks_exact_jaccard() -> None:
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(5000)]
    base = list(rng.choice(vocab, 400))
    hasher = MinHasher(num_perm=256)
    for keep in (400, 300, 200, 100):
        other = base[:keep] + list(rng.choice(vocab, 400 - keep))
        a, b = " ".join(base), " ".join(other)
        sa, sb = hasher.signatures([a, b])
        # 256 permutations: standard error <= 0.032; 0.1 is over 3 standard errors
        assert abs(estimate_jaccard(sa, sb) - exact_jaccard(a, b)) < 0.1


def test_seed_and_pickle() -> None:
    hasher = MinHasher(num_perm=64, seed=7)
    clone = pickle.loads(pickle.dumps(hasher))
    assert clone == hasher and repr(clone) == "MinHasher(num_perm=64, shingle=5, seed=7)"
    assert (clone.signatures([AD]) == hasher.signatures([AD])).all()
    assert not (MinHasher(seed=8).signatures([AD]) == MinHasher(seed=7).signatures([AD])).all()
    with pytest.raises(ValueError):
        MinHasher(num_perm=0)


def test_same_results_in_other_processes_whatever_the_hash_seed() -> None:
    code = (
        "from skillgauge.clean.dedupe import MinHasher, fingerprint;"
        "import sys;"
        f"s = MinHasher().signatures([{AD!r}, 'b a c']);"
        f"print(fingerprint('T', {AD!r}), s.sum(dtype='uint64'), s[1, :3].tolist())"
    )
    outs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outs.add(done.stdout)
    s = MinHasher().signatures([AD, "b a c"])
    assert outs == {f"{fingerprint('T', AD)} {s.sum(dtype='uint64')} {s[1, :3].tolist()}\n"}


# --- LSH --------------------------------------------------------------------------------------


def test_band_keys() -> None:
    hasher = MinHasher()
    sig = hasher.signatures([AD, AD, AD.replace("Spark", "Flink"), "unrelated text entirely here"])
    keys = hasher.band_keys(sig, bands=16)
    assert keys.shape == (4, 16) and keys.dtype == np.int64
    assert (keys[0] == keys[1]).all()
    assert (keys[0] == keys[2]).any() and not (keys[0] == keys[2]).all()
    assert not (keys[0] == keys[3]).any()
    same_rows = np.zeros((1, 64), dtype=np.uint32)
    k = hasher.band_keys(same_rows, bands=4)
    assert len(set(k[0].tolist())) == 4  # the band number is part of the key
    with pytest.raises(ValueError):
        hasher.band_keys(sig, bands=9, rows=8)


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 64), (0.7, 64), (0.9, 128), (0.3, 32)])
def test_lsh_params_match_datasketch(threshold: float, num_perm: int) -> None:
    from datasketch.lsh import _optimal_param

    assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_estimate_jaccard_checks_shapes() -> None:
    assert estimate_jaccard(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 0])) == 0.5
    with pytest.raises(ValueError):
        estimate_jaccard(np.zeros(4), np.zeros(5))


# --- the title guard --------------------------------------------------------------------------


def test_titles_compatible() -> None:
    assert titles_compatible("Senior Data Scientist", "Sr. ML/Data Scientist - AI/NLP/Chatbot")
    assert titles_compatible(
        "Data Analyst, Platform Operations-1", "Data Analyst, Platform Operations-2"
    )
    assert titles_compatible(None, "Staff Engineer")  # HN posts have no title
    assert not titles_compatible("Senior Data Scientist", "Staff Data Scientist")
    assert not titles_compatible("Data Scientist", "Senior Data Scientist")
    assert title_levels("Head Data Scientist – NLP lead") == {"head", "lead"}


# --- the labelled pairs -----------------------------------------------------------------------


def test_labelled_pairs_file_is_well_formed() -> None:
    pairs = pd.read_csv(PAIRS)
    assert list(pairs.columns) == ["file_a", "row_a", "file_b", "row_b", "label", "note"]
    assert len(pairs) >= 150
    assert set(pairs.label) == {"duplicate", "distinct"}
    assert not pairs.duplicated(["file_a", "row_a", "file_b", "row_b"]).any()
    assert pairs.note.str.len().min() > 5  # every label says why


@pytest.mark.shared
def test_default_rule_quality_on_labelled_pairs(shared_data: Path) -> None:
    """Regression guard for docs/dedup.md: the default rule (estimate >= 0.5 and compatible
    titles) must keep its measured precision and recall on the labelled pairs."""
    sys.path.insert(0, str(REPO))
    from benchmarks.clean import DEFAULT_THRESHOLD, load_pairs, pair_scores, precision_recall

    table, a, b = load_pairs(PAIRS, shared_data)
    for (_, text_a), (_, text_b) in zip(a, b, strict=True):
        assert text_a.strip() and text_b.strip()  # row indices point at real postings
    scores = pair_scores(a, b, MinHasher())
    is_dup = table.label == "duplicate"
    precision, recall, _ = precision_recall(
        is_dup, (scores.estimate >= DEFAULT_THRESHOLD) & scores.titles_ok
    )
    assert precision >= 0.65 and recall >= 0.9
    # identical fingerprints are always labelled duplicates
    assert is_dup[scores.same_fingerprint].all()


def test_fingerprint_of_cleaned_text_skips_nothing_that_matters() -> None:
    """The pipeline's fast path (already cleaned) gives the same key as cleaning again."""
    from skillgauge.clean.text import clean_field, clean_text

    raw_title = "Senior  Data&amp;ML Engineer"
    raw = "<p>We use <b>Python</b>, SQL &amp; Spark.</p><ul><li>AWS</li><li>dbt</li></ul>"
    title, text = clean_field(raw_title), clean_text(raw)
    assert fingerprint(title, text, cleaned=True) == fingerprint(raw_title, raw)
    assert fingerprint(title, text, cleaned=True) != fingerprint(title, text + " Go")


_PIECES = st.sampled_from(
    [
        "Data",
        "Engineer",
        "RoleData",
        " ",
        "\n",
        "<li>",
        "&amp;",
        "é",
        "E\u0301",
        "ﬁ",
        "Ⅸ",
        "ß",
        "İ",
        "\u200b",
        "\u0301",
        "½",
        "C++",
        "$120k",
        "ǅ",
        "\u00a0",
        "・",
        "Ω",
        "ｶ",
        "\u0345",
    ]
)
_TEXTS = st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=12).map("".join))


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.none(), _TEXTS), _TEXTS)
def test_word_bytes_once_gives_the_fingerprint_and_signature_of_the_posting(
    title: str | None, text: str
) -> None:
    """The pipeline maps a cleaned title and text once (``word_bytes``) for both keys: the same
    fingerprint as ``fingerprint(..., cleaned=True)`` and the same MinHash signature as the text
    ``f"{title}\\n{text}"``."""
    title = clean_field(title) if title else None
    text = clean_text(text)
    tw = word_bytes(title, nfkc=True) if title else b""  # as prepare_batch calls it
    xw = word_bytes(text, nfkc=True)
    assert xw == word_bytes(text)  # cleaned text is NFKC: skipping the check changes nothing
    assert tw == (word_bytes(title) if title else b"")
    assert fingerprint_words(tw, xw) == fingerprint(title, text, cleaned=True)
    hasher = MinHasher(num_perm=16)
    joined = hasher.signatures([f"{title or ''}\n{text}"])
    assert np.array_equal(hasher.signatures_of_words([tw + b" " + xw]), joined)
