"""The compiled MinHash minimum (``clean._minhash``) gives bit-for-bit the signatures of the numpy
path (``MinHasher(compiled=False)``): stored signatures and LSH band keys do not depend on the build."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.clean.dedupe import (
    _BYTE_BASE,
    COMPILED_MINHASH,
    MinHasher,
    _token_hashes,
    word_bytes,
)

needs_compiled = pytest.mark.skipif(
    not COMPILED_MINHASH, reason="skillgauge.clean._minhash not built"
)

WORDS = ["python", "sql", "data", "engineer", "the", "a", "ML", "é", "日本", "x1", "RoleData", ""]
texts = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)


@needs_compiled
@given(
    st.lists(texts, max_size=8),
    st.sampled_from([1, 7, 16, 64, 128]),
    st.integers(1, 6),
    st.integers(0, 3),
)
@settings(max_examples=400, deadline=None)
def test_compiled_signatures_equal_numpy(
    batch: list[str], num_perm: int, shingle: int, seed: int
) -> None:
    fast = MinHasher(num_perm, shingle, seed)
    slow = MinHasher(num_perm, shingle, seed, compiled=False)
    assert np.array_equal(fast.signatures(batch), slow.signatures(batch))


@needs_compiled
def test_compiled_signatures_equal_numpy_across_chunks() -> None:
    """Batches larger than one chunk (1 MB of word bytes) and empty texts between them."""
    batch = [" ".join(WORDS[i % 11] for i in range(k, k + 300)) for k in range(5000)]
    batch[::97] = [""] * len(batch[::97])
    fast, slow = MinHasher(), MinHasher(compiled=False)
    assert np.array_equal(fast.signatures(batch), slow.signatures(batch))
    assert np.array_equal(
        fast.band_keys(fast.signatures(batch), 16), slow.band_keys(slow.signatures(batch), 16)
    )


def _numpy_tokens(parts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The numpy path's token hashes of a batch and its per-part token counts."""
    tok, tstart = _token_hashes(b" ".join(parts) + b" ")
    doc_end = np.cumsum([len(p) + 1 for p in parts])
    counts = np.bincount(np.searchsorted(doc_end, tstart, side="right"), minlength=len(parts))
    return tok, counts


#: word_bytes-shaped parts (letters, digits, spaces, UTF-8 of non-ASCII letters) and raw bytes
word_parts = st.lists(st.sampled_from([*WORDS, " ", "  ", "aB", "zZ", "Az", "@", "`", "[", "{"]))
raw_parts = st.binary(max_size=40)


@needs_compiled
@given(st.lists(st.one_of(word_parts.map(lambda w: "".join(w).encode()), raw_parts), max_size=8))
@settings(max_examples=500, deadline=None)
def test_compiled_token_hashes_equal_numpy(parts: list[bytes]) -> None:
    """Token cuts (spaces, "aB" camel steps; "@", "[", "`" and "{" sit next to the letter ranges)
    and hashes, part by part, as the numpy path computes them over the joined batch."""
    from skillgauge.clean._minhash import token_hashes

    tok, counts = token_hashes(parts, int(_BYTE_BASE))
    want_tok, want_counts = _numpy_tokens(parts)
    assert np.array_equal(tok, want_tok)
    assert counts.tolist() == want_counts.tolist()


@needs_compiled
def test_compiled_token_hashes_cut_camel_case() -> None:
    from skillgauge.clean._minhash import token_hashes

    parts = [word_bytes("RoleData engineer"), b"", word_bytes("role data ENGINEER")]
    tok, counts = token_hashes(parts, int(_BYTE_BASE))
    assert counts.tolist() == [3, 0, 3]
    assert tok[:3].tolist() == tok[3:].tolist()  # case folded, cut at the step


@needs_compiled
def test_sign_checks_its_inputs() -> None:
    from skillgauge.clean._minhash import sign

    a = np.ones(4, np.uint64)
    sig = np.zeros((1, 4), np.uint32)
    with pytest.raises(ValueError, match="shapes"):
        sign(np.zeros(3, np.uint64), np.array([0, 3], np.intp), a, np.ones(3, np.uint64), sig)
    with pytest.raises(ValueError, match="offsets"):
        sign(np.zeros(3, np.uint64), np.array([0, 4], np.intp), a, a, sig)


@needs_compiled
@pytest.mark.shared
def test_compiled_signatures_on_real_postings(hn_2026_posts: list[dict[str, Any]]) -> None:
    posts = [str(p.get("text") or "") for p in hn_2026_posts]
    assert len(posts) > 1000
    fast, slow = MinHasher(), MinHasher(compiled=False)
    assert np.array_equal(fast.signatures(posts), slow.signatures(posts))
