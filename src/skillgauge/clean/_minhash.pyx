# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled MinHash minimum: the inner loop of ``dedupe.MinHasher``, the same arithmetic as numpy's.

Why: for each posting, ``min(a[p] * shingle + b[p])`` (uint64, wrapping) over its shingles for 64
permutations was a fifth of the per-posting work. numpy computed it through a (64 x shingles)
temporary and a ``minimum.reduceat``. A plain C loop is no faster than numpy on a portable build;
with GCC on x86-64 the loop is compiled three times (x86-64-v4 with AVX-512's 64-bit multiply,
x86-64-v3, and the baseline) and the CPU picks one at load time (``target_clones``), which
measured 0.36 -> 0.24 s for 20,000 postings. Signatures are bit-for-bit those of the numpy path
(tests/clean/test_minhash_compiled.py); other compilers and CPUs get the plain loop.

``token_hashes`` does the tokenising and per-token hashing of ``dedupe._token_hashes`` in one pass
per text instead of a dozen numpy passes over the batch (a prefix sum of 64-bit values per byte):
14 -> 4 us per posting of ~1.8 KB, with the same hashes.
"""

import numpy as np

from libc.stdint cimport uint32_t, uint64_t
from libc.stdlib cimport free, malloc

cdef extern from *:
    """
    #include <stdint.h>
    #if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
    #define SG_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
    #else
    #define SG_CLONES
    #endif
    SG_CLONES
    static void sg_minhash_min(const uint64_t* sh, Py_ssize_t lo, Py_ssize_t hi,
                               const uint64_t* a, const uint64_t* b, uint64_t* low,
                               Py_ssize_t n_perm) {
        for (Py_ssize_t p = 0; p < n_perm; p++) low[p] = UINT64_MAX;
        for (Py_ssize_t s = lo; s < hi; s++) {
            const uint64_t h = sh[s];
            for (Py_ssize_t p = 0; p < n_perm; p++) {
                const uint64_t v = a[p] * h + b[p];
                low[p] = v < low[p] ? v : low[p];
            }
        }
    }
    """
    void sg_minhash_min(
        const uint64_t* sh, Py_ssize_t lo, Py_ssize_t hi, const uint64_t* a, const uint64_t* b,
        uint64_t* low, Py_ssize_t n_perm
    ) nogil


def sign(
    const uint64_t[::1] shingles,
    const Py_ssize_t[::1] offsets,
    const uint64_t[::1] a,
    const uint64_t[::1] b,
    uint32_t[:, ::1] sig,
):
    """For each document ``d`` whose shingles are ``shingles[offsets[d]:offsets[d + 1]]``, set
    ``sig[d, p]`` to the top 32 bits of ``min(a[p] * s + b[p])`` (mod 2**64) over its shingles.
    Documents without shingles keep their row."""
    cdef Py_ssize_t n_docs = offsets.shape[0] - 1
    cdef Py_ssize_t n_perm = a.shape[0]
    cdef Py_ssize_t d, p
    if n_perm == 0 or b.shape[0] != n_perm or sig.shape[1] != n_perm or sig.shape[0] < n_docs:
        raise ValueError("inconsistent shapes")
    for d in range(n_docs):
        if offsets[d] < 0 or offsets[d + 1] < offsets[d] or offsets[d + 1] > shingles.shape[0]:
            raise ValueError("offsets out of range")
    cdef uint64_t* low = <uint64_t*> malloc(n_perm * sizeof(uint64_t))
    if low == NULL:
        raise MemoryError()
    cdef const uint64_t* sh = &shingles[0] if shingles.shape[0] else NULL
    try:
        with nogil:
            for d in range(n_docs):
                if offsets[d + 1] == offsets[d]:
                    continue
                sg_minhash_min(sh, offsets[d], offsets[d + 1], &a[0], &b[0], low, n_perm)
                for p in range(n_perm):
                    sig[d, p] = <uint32_t> (low[p] >> 32)
    finally:
        free(low)


cdef inline uint64_t _mix64(uint64_t z) noexcept nogil:
    """splitmix64's finaliser, as ``dedupe._mix64``."""
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL
    return z ^ (z >> 31)


def token_hashes(list parts, uint64_t base):
    """``(hashes, counts)``: the mixed polynomial hash (``sum(byte_i * base**i)`` over the token's
    ASCII-lower-cased bytes, mod 2**64) of every token of every part, in order, and the number of
    tokens of each part; what ``dedupe._token_hashes`` and its per-document counts give for
    ``b" ".join(parts) + b" "``.

    A part is ``word_bytes`` output: a token is a run of bytes other than the space, also cut
    between an ASCII lower-case letter and the upper-case letter after it ("RoleData")."""
    cdef Py_ssize_t n_parts = len(parts), total = 0, k = 0, i, n, d, count
    cdef bytes part
    for part in parts:
        total += len(part)
    hashes = np.empty(total, dtype=np.uint64)
    counts = np.zeros(n_parts, dtype=np.intp)
    cdef uint64_t[::1] out = hashes
    cdef Py_ssize_t[::1] per_part = counts
    cdef const unsigned char* data
    cdef unsigned char c, prev
    cdef uint64_t h, power
    for d in range(n_parts):
        part = parts[d]
        data = part
        n = len(part)
        count = 0
        i = 0
        with nogil:
            while i < n:
                c = data[i]
                if c == 32:
                    i += 1
                    continue
                h = 0
                power = 1
                while True:
                    h += (c | 32 if 65 <= c <= 90 else c) * power
                    power *= base
                    prev = c
                    i += 1
                    if i == n:
                        break
                    c = data[i]
                    if c == 32 or (97 <= prev <= 122 and 65 <= c <= 90):
                        break
                out[k] = _mix64(h)
                k += 1
                count += 1
        per_part[d] = count
    return hashes[:k], counts
