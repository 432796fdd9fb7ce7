"""Duplicate detection: an exact fingerprint and MinHash signatures for near duplicates.

Why two levels: the same ad is often stored twice byte-for-byte or re-rendered (other HTML, other
whitespace, other case); a 128-bit key over a canonical form finds those with one GROUP BY. Reposts
that were trimmed, re-titled or moved need a similarity measure: Jaccard similarity of word
5-shingles, estimated by MinHash and found by banded LSH, so the store can join on (band, key)
instead of comparing all pairs. The rules and the measured precision/recall are in docs/dedup.md.

The MinHash here is a numpy batch implementation (signatures of many documents per call), chosen
by measured speed (``benchmarks/clean.py``): datasketch and rensa need a Python object per shingle,
which caps them far below the 20,000 docs/s target; this one tokenises and hashes a whole batch
with array operations. The scheme is the classic one (Broder 1997): for each of ``num_perm`` hash
functions keep the minimum over the document's shingles. Tokens are hashed by a polynomial over
their bytes and mixed with splitmix64's finaliser, shingles by combining their tokens' hashes (never
Python's ``hash()``, so PYTHONHASHSEED does not matter), and the permutations are the
multiply-add-shift family of Dietzfelbinger et al. (1996): the high 32 bits of ``a*x + b mod 2**64``.
Signatures are therefore *not* bit-compatible with datasketch's or rensa's, only statistically
equivalent (their estimates agree within sampling error, see docs/dedup.md): never mix them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from hashlib import blake2b
from typing import Any

import numpy as np
import numpy.typing as npt

from skillgauge.clean.text import clean_text

_sign: Callable[..., None] | None
_tokens: Callable[[list[bytes], int], tuple[Any, Any]] | None
try:  # optional: without it numpy computes the same minima and token hashes (more slowly)
    from skillgauge.clean._minhash import sign as _sign
    from skillgauge.clean._minhash import token_hashes as _tokens
except ImportError:  # pragma: no cover - depends on the build
    _sign = _tokens = None

_compiled_word_bytes: Callable[[str, bytes, dict[str, bytes], Callable[[str], bytes]], bytes] | None
_lower_squeezed: Callable[[bytes], bytes] | None
try:  # optional: the pure-Python definitions below give the same bytes
    from skillgauge.clean._words import lower_squeezed as _lower_squeezed
    from skillgauge.clean._words import word_bytes as _compiled_word_bytes
except ImportError:  # pragma: no cover - depends on the build
    _compiled_word_bytes = _lower_squeezed = None

#: Whether the compiled MinHash minimum is available in this installation.
COMPILED_MINHASH = _sign is not None

__all__ = [
    "MinHasher",
    "estimate_jaccard",
    "exact_jaccard",
    "fingerprint",
    "fingerprint_words",
    "lsh_params",
    "shingles",
    "title_levels",
    "titles_compatible",
    "tokens",
    "word_bytes",
]

U64 = np.uint64
# Odd 64-bit constants (splitmix64's and the golden ratio) for mixing and combining hashes.
_C1 = U64(0xBF58476D1CE4E5B9)
_C2 = U64(0x94D049BB133111EB)
_GOLD = 0x9E3779B97F4A7C15
_BYTE_BASE = U64(0x100000001B3)  # FNV-1a's 64-bit prime, the base of the per-token polynomial

# ---------------------------------------------------------------------------------------------
# Tokens: lower-cased runs of letters and digits, also split where a lower-case ASCII letter is
# followed by an upper-case one. That split matters: LinkedIn 2018 text lost its line breaks, so
# "...the RoleData Scientists..." must shingle like "...the Role\nData Scientists..." in the same
# ad scraped from Indeed (it raised recall on the labelled pairs, docs/dedup.md); camel-case names
# ("JavaScript") split the same way in every text, so nothing is lost.
# Every text is first mapped to bytes in which separators are spaces (`word_bytes`); `tokens()`
# splits that, and `MinHasher` hashes it with numpy without making a Python object per token. Both
# apply the same rules, and a test checks that they agree.
_ASCII_BYTES = bytes(range(128))
# ASCII punctuation, "_" and controls to a space; letters, digits and bytes >= 0x80 (parts of
# non-ASCII letters and digits) kept, case unchanged (the split needs it).
_BYTE_TABLE = bytes(c if (c >= 128 or chr(c).isalnum()) else 32 for c in range(256))
_CAMEL_RE = re.compile(rb"([a-z])(?=[A-Z])")


def word_bytes(text: str, *, nfkc: bool = False, compiled: bool = True) -> bytes:
    """UTF-8 of NFKC ``text`` with non-ASCII letters case-folded and every character that is not a
    letter or digit replaced by a space. ASCII case is kept for the camel-case split. What
    fingerprints, ``tokens`` and MinHash read of a text.

    For NFKC-normalised ``a`` and ``b`` (what the cleaners return),
    ``word_bytes(a + "\n" + b) == word_bytes(a) + b" " + word_bytes(b)``, so the pipeline maps a
    posting's title and text once for :func:`fingerprint_words` and ``MinHasher.signatures_of_words``.

    Non-ASCII characters are mapped each on its own (case folding maps each character on its own,
    so this equals case-folding and then blanking every character that is not alphanumeric): in
    one compiled pass (``clean/_words.pyx``) when built, else per *distinct* character (a posting
    has a handful: curly quotes, bullets, dashes), found by deleting the ASCII bytes; that is
    several times faster than a regex, ``set(text)`` or ``casefold`` over the whole text.
    ``compiled=False`` takes the pure path (the tests compare the two).

    ``nfkc=True``: the caller guarantees ``text`` is already NFKC (``clean_text``/``clean_field``
    output always is), so the check, a pass over the text, is skipped; the result is the same.
    """
    if text.isascii():
        return text.encode("ascii").translate(_BYTE_TABLE)
    if not nfkc and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if compiled and _compiled_word_bytes is not None:
        return _compiled_word_bytes(text, _BYTE_TABLE, _WORD_OF_CHAR, _word_of_char)
    raw = text.encode("utf-8", "surrogatepass")
    for ch in set(raw.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")):
        word = _word_of_char(ch)
        if word != ch.encode("utf-8", "surrogatepass"):
            raw = raw.replace(ch.encode("utf-8", "surrogatepass"), word)
    return raw.translate(_BYTE_TABLE)


def _word_of_char(ch: str) -> bytes:
    """What ``word_bytes`` makes of one non-ASCII character: UTF-8 of its case folding, every
    character that is not a letter or digit a space (a lone surrogate too)."""
    return "".join(c if c.isalnum() else " " for c in ch.casefold()).encode("utf-8")


#: ``_word_of_char`` of each non-ASCII character met so far (the compiled pass's memory).
_WORD_OF_CHAR: dict[str, bytes] = {}


def tokens(text: str) -> list[bytes]:
    """Word tokens for shingling, as UTF-8 bytes: NFKC, case-folded runs of letters and digits;
    punctuation, "_" and a lower-to-upper-case step ("RoleData") separate words."""
    return _CAMEL_RE.sub(rb"\1 ", word_bytes(text)).lower().split()


def shingles(text: str, shingle: int = 5) -> set[tuple[bytes, ...]]:
    """The set of word ``shingle``-grams of ``text``; a text shorter than that is one shingle."""
    toks = tokens(text)
    if not toks:
        return set()
    if len(toks) < shingle:
        return {tuple(toks)}
    return {tuple(toks[i : i + shingle]) for i in range(len(toks) - shingle + 1)}


def exact_jaccard(text_a: str, text_b: str, shingle: int = 5) -> float:
    """Exact Jaccard similarity of the two texts' shingle sets (1.0 when both have none)."""
    a, b = shingles(text_a, shingle), shingles(text_b, shingle)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# ---------------------------------------------------------------------------------------------
# Exact duplicates


def _words(text: str | None, cleaned: bool) -> bytes:
    """``word_bytes`` of the cleaned ``text`` (``b""`` for none)."""
    if not text:
        return b""
    return word_bytes(text) if cleaned else word_bytes(clean_text(text), nfkc=True)


def fingerprint(title: str | None, text: str, *, cleaned: bool = False) -> str:
    """The exact-duplicate key: BLAKE2b-128 (hex) of title and text reduced to letters and digits.

    The same ad scraped twice, re-rendered from HTML, re-spaced or re-cased gets the same key; any
    change of a word gives another. A separator keeps ("ab", "c") apart from ("a", "bc").
    ``cleaned=True`` says both already went through ``clean_text``/``clean_field`` (the pipeline's
    case), which skips cleaning them a second time: the same key, measured ~6x faster.
    """
    return fingerprint_words(_words(title, cleaned), _words(text, cleaned))


def fingerprint_words(title_words: bytes, text_words: bytes) -> str:
    """``fingerprint(title, text, cleaned=True)`` from ``word_bytes`` of the cleaned title and text
    (``b""`` for a missing one): case and spaces removed, only letters and digits remain."""
    # one translate per part (ASCII lower case, spaces deleted), fed to the hash in pieces: the
    # same bytes as replace + lower + concatenation, 9.2 -> 6.9 us per posting
    if _lower_squeezed is not None:  # the same bytes in one compiled pass: 3.9 -> 1.3 us a text
        digest = blake2b(_lower_squeezed(title_words), digest_size=16)
        digest.update(b"\x00")
        digest.update(_lower_squeezed(text_words))
        return digest.hexdigest()
    digest = blake2b(title_words.translate(_ASCII_LOWER, b" "), digest_size=16)
    digest.update(b"\x00")
    digest.update(text_words.translate(_ASCII_LOWER, b" "))
    return digest.hexdigest()


_ASCII_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))


# ---------------------------------------------------------------------------------------------
# Near duplicates: the title guard

# Level words that make two otherwise identical ads different jobs ("Senior Data Scientist" and
# "Staff Data Scientist" from one template). Digits are left out on purpose: "Analyst-1" and
# "Analyst-2" are the same ad for two openings, and "Engineer 2-3" a re-titled copy.
_LEVELS = {
    "intern": "intern", "internship": "intern", "junior": "junior", "jr": "junior",
    "entry": "junior", "senior": "senior", "sr": "senior", "staff": "staff",
    "principal": "principal", "lead": "lead", "head": "head", "manager": "manager",
    "director": "director", "chief": "chief", "vp": "vp", "ii": "ii", "iii": "iii", "iv": "iv",
}  # fmt: skip
_TITLE_WORD_RE = re.compile(r"[a-z]+")


def title_levels(title: str | None) -> frozenset[str]:
    """The level words of a job title, normalised ("Sr." and "Senior" both give "senior")."""
    if not title:
        return frozenset()
    return frozenset(_LEVELS[w] for w in _TITLE_WORD_RE.findall(title.lower()) if w in _LEVELS)


def titles_compatible(title_a: str | None, title_b: str | None) -> bool:
    """False when both titles are known and name different levels; part of the near-duplicate
    rule because text similarity alone cannot tell a senior from a staff version of one template
    (docs/dedup.md has the measured effect). HN posts have no title and always pass."""
    if not title_a or not title_b:
        return True
    return title_levels(title_a) == title_levels(title_b)


# ---------------------------------------------------------------------------------------------
# MinHash


def _mix64(z: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser (Steele, Lea & Flood 2014): spreads every input bit over the word."""
    z = z ^ (z >> U64(30))
    z = z * _C1
    z = z ^ (z >> U64(27))
    z = z * _C2
    return z ^ (z >> U64(31))


_BYTE_BASE_INV = U64(pow(int(_BYTE_BASE), -1, 1 << 64))
_POWERS: dict[int, tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]] = {}


def _powers(n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """``B**i`` and ``B**-i`` (mod 2**64) for i < n, B = ``_BYTE_BASE``; kept for reuse, grown in
    powers of two so a process holds a few at most."""
    size = 1 << max(n - 1, 1).bit_length()
    if size not in _POWERS:
        fwd = np.full(size, _BYTE_BASE, dtype=U64)
        inv = np.full(size, _BYTE_BASE_INV, dtype=U64)
        fwd[0] = inv[0] = 1
        _POWERS[size] = (np.multiply.accumulate(fwd), np.multiply.accumulate(inv))
    return _POWERS[size]


def _token_hashes(buf: bytes) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """Hash every token of ``buf`` (``word_bytes`` output, ending with a space) as ``tokens()``
    splits it; return the 64-bit hashes and each token's start offset.

    A token's hash is the polynomial sum(byte_i * B**i) over its lower-cased bytes, taken from one
    prefix sum over the whole buffer, then mixed: no Python object per token, which is what makes
    batches fast.
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    word = arr != 32
    upper = (arr - np.uint8(65)) < 26  # uint8 arithmetic wraps, so this is 65 <= arr <= 90
    camel = ((arr[:-1] - np.uint8(97)) < 26) & upper[1:]  # a-z followed by A-Z
    start = word.copy()
    start[1:] &= ~word[:-1] | camel
    end = word.copy()
    end[:-1] &= ~word[1:] | camel
    tstart = np.flatnonzero(start)
    if tstart.size == 0:
        return np.empty(0, dtype=U64), tstart
    tend = np.flatnonzero(end) + 1
    lower = arr | (upper.view(np.uint8) << np.uint8(5))
    fwd, inv = _powers(arr.shape[0] + 1)
    prefix = np.zeros(arr.shape[0] + 1, dtype=U64)
    np.cumsum(lower * fwd[: arr.shape[0]], out=prefix[1:])
    poly = (prefix[tend] - prefix[tstart]) * inv[tstart]
    return _mix64(poly), tstart


class MinHasher:
    """MinHash signatures of word shingles, computed for a batch of texts at once.

    ``signatures`` returns an ``(n, num_perm)`` uint32 array; pass text already cleaned by
    ``clean_text`` (tokenising folds case and drops punctuation, but does not strip HTML).
    Deterministic across processes and platforms for the same (num_perm, shingle, seed); picklable
    (pickles as its three parameters). A text with no tokens gets all-0xFFFFFFFF, so two empty texts
    look identical: leave empty texts out of near-duplicate search.
    """

    __slots__ = ("_a", "_b", "_mult", "compiled", "num_perm", "seed", "shingle")

    #: text bytes tokenised per numpy pass, and shingles permuted per block (memory bounds)
    chunk_bytes = 1 << 20
    block = 8192

    def __init__(
        self, num_perm: int = 64, shingle: int = 5, seed: int = 1, *, compiled: bool = True
    ) -> None:
        if num_perm < 1 or shingle < 1:
            raise ValueError("num_perm and shingle must be positive")
        #: use the compiled minimum when it is built (``False``: numpy); the same signatures
        self.compiled = compiled
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        rng = np.random.default_rng(seed)  # PCG64: the same stream on every platform
        self._a = rng.integers(0, 1 << 63, size=num_perm, dtype=U64) * U64(2) + U64(1)
        self._b = rng.integers(0, 1 << 63, size=num_perm, dtype=U64)
        # one odd multiplier per shingle position, so ("a", "b") and ("b", "a") differ
        self._mult = rng.integers(0, 1 << 63, size=shingle, dtype=U64) * U64(2) + U64(1)

    def __reduce__(self) -> tuple[type[MinHasher], tuple[int, int, int]]:
        return (MinHasher, (self.num_perm, self.shingle, self.seed))

    def __repr__(self) -> str:
        return f"MinHasher(num_perm={self.num_perm}, shingle={self.shingle}, seed={self.seed})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MinHasher):
            return NotImplemented
        return (self.num_perm, self.shingle, self.seed) == (
            other.num_perm,
            other.shingle,
            other.seed,
        )

    def __hash__(self) -> int:
        return hash((self.num_perm, self.shingle, self.seed))

    def _shingle_hashes(
        self, tok: npt.NDArray[np.uint64], lengths: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
        """Hash every shingle of every document (documents' tokens are concatenated in ``tok``);
        return the hashes in document order and the number of shingles of each document."""
        k = self.shingle
        n_tok = tok.shape[0]
        per_doc = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
        if n_tok == 0:
            return np.empty(0, dtype=U64), per_doc
        ends = np.cumsum(lengths)
        starts = ends - lengths
        # Full windows: start positions i with i + k <= end of i's document.
        n_win = max(n_tok - k + 1, 0)
        acc = np.zeros(n_win, dtype=U64)
        for j in range(k):
            acc += tok[j : j + n_win] * self._mult[j]
        doc_of = np.repeat(np.arange(lengths.shape[0]), lengths)[:n_win]
        out = acc[np.arange(n_win) + k <= ends[doc_of]]
        short = np.flatnonzero((lengths > 0) & (lengths < k))
        if short.size:  # texts with fewer than k tokens: one shingle of all their tokens
            short_h = np.array(
                [np.sum(tok[starts[d] : ends[d]] * self._mult[: lengths[d]]) for d in short],
                dtype=U64,
            )
            full_slot = np.repeat(lengths >= k, per_doc)
            merged = np.empty(full_slot.shape[0], dtype=U64)
            merged[full_slot] = out
            merged[~full_slot] = short_h
            out = merged
        return _mix64(out), per_doc

    def _sign_chunk(self, parts: list[bytes], sig: npt.NDArray[np.uint32]) -> None:
        """Fill ``sig`` (one row per part) from the parts' word bytes."""
        if _tokens is not None and self.compiled:
            tok, lengths = _tokens(parts, int(_BYTE_BASE))
        else:
            buf = b" ".join(parts) + b" "
            tok, tstart = _token_hashes(buf)
            doc_end = np.cumsum([len(p) + 1 for p in parts])
            lengths = np.bincount(
                np.searchsorted(doc_end, tstart, side="right"), minlength=len(parts)
            ).astype(np.intp)
        sh, per_doc = self._shingle_hashes(tok, lengths)
        offsets = np.zeros(len(parts) + 1, dtype=np.intp)
        np.cumsum(per_doc, out=offsets[1:])
        if _sign is not None and self.compiled:
            _sign(sh, offsets, self._a, self._b, sig)
            return
        nonempty = np.flatnonzero(per_doc > 0)
        a, b = self._a[:, None], self._b[:, None]
        i, m = 0, nonempty.shape[0]
        while i < m:  # blocks of whole documents, about `block` shingles each
            j = int(np.searchsorted(offsets[nonempty + 1], offsets[nonempty[i]] + self.block))
            j = max(j, i + 1)
            docs = nonempty[i:j]
            lo, hi = offsets[docs[0]], offsets[docs[-1] + 1]
            perm = a * sh[None, lo:hi]  # (num_perm, shingles): contiguous segments per row
            perm += b
            mins = np.minimum.reduceat(perm, offsets[docs] - lo, axis=1)
            sig[docs] = (mins >> U64(32)).T.astype(np.uint32)
            i = j

    def signatures(self, texts: Sequence[str]) -> npt.NDArray[np.uint32]:
        """MinHash signatures, shape ``(len(texts), num_perm)``, dtype uint32."""
        return self._signatures(texts, word_bytes)

    def signatures_of_words(self, parts: Sequence[bytes]) -> npt.NDArray[np.uint32]:
        """``signatures`` from texts already mapped by ``word_bytes`` (same result)."""
        return self._signatures(parts, bytes)

    def _signatures(
        self, items: Sequence[Any], to_words: Callable[[Any], bytes]
    ) -> npt.NDArray[np.uint32]:
        n = len(items)
        sig = np.full((n, self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        i = 0
        while i < n:
            parts: list[bytes] = []
            size = 0
            while i + len(parts) < n and (size < self.chunk_bytes or not parts):
                parts.append(to_words(items[i + len(parts)]))
                size += len(parts[-1]) + 1
            self._sign_chunk(parts, sig[i : i + len(parts)])
            i += len(parts)
        return sig

    def band_keys(
        self, sigs: npt.NDArray[np.integer[Any]], bands: int, rows: int | None = None
    ) -> npt.NDArray[np.int64]:
        """One int64 key per (document, band): the band's ``rows`` values hashed together.

        Two documents are LSH candidates when any band has the same key, so a store finds them
        with a join on (band, key). ``rows`` defaults to ``num_perm // bands``.
        """
        if rows is None:
            rows = self.num_perm // bands
        if bands < 1 or rows < 1 or bands * rows > sigs.shape[1]:
            raise ValueError(f"{bands} bands x {rows} rows do not fit {sigs.shape[1]} hash values")
        n = sigs.shape[0]
        cells = sigs[:, : bands * rows].astype(U64).reshape(n, bands, rows)
        acc = np.broadcast_to((np.arange(bands, dtype=U64) + U64(1)) * U64(_GOLD), (n, bands))
        for r in range(rows):
            acc = _mix64(acc ^ cells[:, :, r])
        return np.ascontiguousarray(acc).view(np.int64)


def estimate_jaccard(sig_a: npt.ArrayLike, sig_b: npt.ArrayLike) -> float:
    """MinHash estimate of Jaccard similarity: the share of equal signature positions."""
    a, b = np.asarray(sig_a), np.asarray(sig_b)
    if a.shape != b.shape:
        raise ValueError(f"signatures differ in shape: {a.shape} vs {b.shape}")
    return float(np.count_nonzero(a == b)) / a.size


@lru_cache(maxsize=256)
def lsh_params(
    threshold: float,
    num_perm: int,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm minimising the weighted areas of false
    positives (below ``threshold``) and false negatives (above it) under the S-curve
    1 - (1 - s**rows)**bands. The same search and weights as datasketch's ``_optimal_param``
    (datasketch/lsh.py, MIT licence, Eric Zhu), checked against it in the tests."""
    from scipy.integrate import quad

    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be between 0 and 1")
    best, best_err = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = quad(lambda s, b=b, r=r: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0]
            fn = quad(lambda s, b=b, r=r: (1 - s ** float(r)) ** float(b), threshold, 1.0)[0]
            err = fp * false_positive_weight + fn * false_negative_weight
            if err < best_err:
                best, best_err = (b, r), err
    return best
