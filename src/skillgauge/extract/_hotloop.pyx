# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled scan of the matcher: steps 1-3 of docs/matching.md in one pass over the bytes.

Why not the Aho-Corasick automaton here: every alias must start at a token boundary, so a trie walk
*anchored* at each boundary gives "leftmost valid position, longest valid alias" directly (no
risky/exact fallback), and inside words -- most of the text -- the loop does one table lookup per
byte instead of a DFA transition through a multi-megabyte table. The tables come from
``matcher._Trie`` (pure Python); ``Matcher`` uses the pure-Python automaton path when this module
is not compiled, with identical results (tests/extract/test_hotloop.py runs both).
"""

from array import array

from cpython.unicode cimport PyUnicode_GET_LENGTH
from libc.string cimport memcmp

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object o)
    void* PyUnicode_DATA(object o)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil


cdef inline Py_UCS4 _decode_at(const unsigned char* d, Py_ssize_t k) noexcept nogil:
    """The code point of the (valid, surrogatepass) UTF-8 sequence starting at ``d[k]``."""
    cdef unsigned char lead = d[k]
    if lead < 0xE0:
        return ((lead & 0x1F) << 6) | (d[k + 1] & 0x3F)
    if lead < 0xF0:
        return ((lead & 0x0F) << 12) | ((d[k + 1] & 0x3F) << 6) | (d[k + 2] & 0x3F)
    return (((lead & 0x07) << 18) | ((d[k + 1] & 0x3F) << 12) | ((d[k + 2] & 0x3F) << 6)
            | (d[k + 3] & 0x3F))


cdef inline Py_ssize_t _chars(const unsigned char* d, Py_ssize_t lo, Py_ssize_t hi) noexcept nogil:
    """Characters in ``d[lo:hi]`` (UTF-8: the bytes that are not continuation bytes)."""
    cdef Py_ssize_t n = 0
    while lo < hi:
        n += (d[lo] & 0xC0) != 0x80
        lo += 1
    return n


cdef enum:
    SKIP = 0
    ROOT = 1


cdef class Scanner:
    """The automaton tables and alias data (built by ``matcher._scan_tables``); ``scan`` runs it."""

    cdef bytes _cls, _flags, _before, _after, _raw, _cs, _ctx
    cdef int[::1] _toff
    cdef const int[::1] _term
    cdef const int[::1] _depth
    cdef const int[::1] _raw_off
    cdef int _ncls

    def __init__(
        self,
        bytes cls,
        int ncls,
        trans,
        term,
        depth,
        bytes flags,
        bytes raw,
        raw_off,
        bytes cs,
        bytes ctx,
        bytes before,
        bytes after,
    ):
        if len(cls) != 256 or len(before) != 256 or len(after) != 256:
            raise ValueError("byte tables must have 256 entries")
        self._cls = cls
        self._ncls = ncls
        self._term = term
        self._depth = depth
        self._flags = flags
        if len(trans) != len(term) * ncls or len(depth) != len(term) or len(flags) != len(term):
            raise ValueError("inconsistent automaton tables")
        # The scan walks row offsets (state * ncls), not states: one multiplication less on the
        # loop's critical path, the load of the next state (measured ~1.2x on the whole scan).
        toff = array("i", trans)
        cdef int[::1] t = toff
        cdef Py_ssize_t k
        cdef int v
        for k in range(t.shape[0]):
            v = t[k]
            if v >= 0:
                t[k] = v * ncls
            elif v <= -2:
                t[k] = -2 - (-2 - v) * ncls
        self._toff = t
        self._raw = raw
        self._raw_off = raw_off
        self._cs = cs
        self._ctx = ctx
        self._before = before
        self._after = after

    def scan(self, str text):
        """``(candidates, n_context)``: non-overlapping ``(start, end, alias)`` in character
        offsets that pass the boundary and case rules, and how many need a context rule."""
        cdef bytes encoded = None
        cdef const unsigned char* d
        cdef Py_ssize_t n
        cdef bint ascii = PyUnicode_IS_ASCII(text)
        if ascii:
            d = <const unsigned char*> PyUnicode_DATA(text)
            n = PyUnicode_GET_LENGTH(text)
        else:
            encoded = text.encode("utf-8", "surrogatepass")
            d = <const unsigned char*> encoded
            n = len(encoded)
        cdef const unsigned char* cls = self._cls
        cdef const unsigned char* flags = self._flags
        cdef const unsigned char* bcls = self._before
        cdef const unsigned char* acls = self._after
        cdef const unsigned char* raw = self._raw
        cdef const unsigned char* csf = self._cs
        cdef const unsigned char* ctxf = self._ctx
        cdef const int* trans = &self._toff[0]
        cdef const int* term = &self._term[0]
        cdef const int* depth = &self._depth[0]
        cdef const int* raw_off = &self._raw_off[0]
        cdef int ncls = self._ncls
        cdef list out = []
        cdef Py_ssize_t i = 0, f, adv, start, size, last_b = 0, last_c = 0, cs_, ce_
        cdef Py_ssize_t best_end = 0
        cdef int st = ROOT, so = ROOT * ncls, nxt, best = -1, after_fail, length
        cdef int n_ctx = 0
        cdef unsigned char b
        cdef bint word
        while True:
            if i < n:
                nxt = trans[so + cls[d[i]]]
                if nxt >= 0:  # the common case: no branch taken but this one
                    so = nxt
                    i += 1
                    continue
                st = so // ncls
                b = d[i]
                if b >= 0x80:  # a non-ASCII character: decode it to tell a letter
                    if b < 0xE0:
                        size = 2
                    elif b < 0xF0:
                        size = 3
                    else:
                        size = 4
                    word = Py_UNICODE_ISALNUM(_decode_at(d, i))
                    after_fail = SKIP if word else ROOT
                    if st <= ROOT:
                        so = after_fail * ncls
                        i += size
                        continue
                    if term[st] >= 0 and not word:
                        best = term[st]
                        best_end = i
                    f = i
                    adv = size
                else:
                    if term[st] >= 0 and acls[b] == 0:  # the alias just read is valid
                        best = term[st]
                        best_end = i
                    if nxt <= -2:  # and the walk may go on to a longer one
                        so = -2 - nxt
                        i += 1
                        continue
                    f = i
                    adv = 1
                    after_fail = SKIP if bcls[b] == 1 else ROOT
            else:
                st = so // ncls
                if st <= ROOT:
                    break
                if term[st] >= 0:
                    best = term[st]
                    best_end = n
                f = n
                adv = 0
                after_fail = ROOT
            # the walk from the last boundary ends at byte f
            if best >= 0:
                length = raw_off[best + 1] - raw_off[best]
                start = best_end - length
                # chosen by step 2; the case rule may still drop it (it hides what it overlaps)
                if not csf[best] or memcmp(d + start, raw + raw_off[best], length) == 0:
                    if ascii:
                        out.append((start, best_end, best))
                    else:
                        cs_ = last_c + _chars(d, last_b, start)
                        ce_ = cs_ + _chars(d, start, best_end)
                        out.append((cs_, ce_, best))
                        last_b = best_end
                        last_c = ce_
                    n_ctx += ctxf[best]
                i = best_end
                st = SKIP if bcls[d[best_end - 1]] == 1 else ROOT
                best = -1
            elif flags[st]:  # a valid start may lie inside the walk: redo from the next byte
                start = f - depth[st]
                i = start + 1
                st = SKIP if bcls[d[start]] == 1 else ROOT
            else:
                i = f + adv
                st = after_fail
            so = st * ncls
        return out, n_ctx
