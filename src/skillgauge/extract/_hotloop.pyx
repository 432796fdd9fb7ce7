# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled scan of the matcher: steps 1-3 of docs/matching.md in one pass over the bytes.

Why not the Aho-Corasick automaton here: every alias must start at a token boundary, so a trie walk
*anchored* at each boundary gives "leftmost valid position, longest valid alias" directly (no
risky/exact fallback), and inside words -- most of the text -- the loop does one table lookup per
byte instead of a DFA transition through a multi-megabyte table. The tables come from
``matcher._scan_tables`` (pure Python); ``Matcher`` uses the pure-Python automaton path when this
module is not compiled, with identical results (tests/extract/test_hotloop.py runs both).

A text of 256 bytes or more is cut at a byte no walk can cross (``_split_point``) and its halves
are scanned by two cursors in turn: the loop is bound by the latency of each table load, and two
independent chains of loads overlap (measured 1.25x on the scan of 40 MB of postings).
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


cdef struct Tables:
    const unsigned char* d
    const unsigned char* cls
    const unsigned char* flags
    const unsigned char* bcls
    const unsigned char* acls
    const unsigned char* raw
    const unsigned char* csf
    const unsigned char* ctxf
    const int* trans
    const int* term
    const int* depth
    const int* raw_off
    int ncls
    int n_ctx
    bint ascii


cdef struct Cursor:
    Py_ssize_t i, n, best_end, last_b, last_c
    int so, best


cdef inline void _start(Cursor* c, Py_ssize_t i, Py_ssize_t n, int ncls) noexcept nogil:
    c.i = i
    c.n = n
    c.so = ROOT * ncls
    c.best = -1
    c.best_end = 0
    c.last_b = 0
    c.last_c = 0


cdef enum:
    SPLIT_MIN = 256  # texts shorter than this (in bytes) are scanned by one cursor


cdef inline Py_ssize_t _split_point(
    const unsigned char* d, Py_ssize_t n, const unsigned char* safe
) noexcept nogil:
    """A byte near the middle where the scan of ``d[:p]`` and of ``d[p:]`` from the root give
    what one scan of ``d`` gives, or -1: an ASCII byte in no alias that is neither a word
    character nor forbidden after one (a comma, a semicolon, a line break...). No walk crosses
    it, one ending there is valid, and the scan is at the root right after it."""
    if n < SPLIT_MIN:
        return -1
    cdef Py_ssize_t p = n >> 1
    while p < n:
        if safe[d[p]]:
            return p
        p += 1
    p = n >> 1
    while p > 0:
        p -= 1
        if safe[d[p]]:
            return p
    return -1


cdef int _slow(Tables* t, Cursor* c, list out) except -1:
    """One special step of cursor ``c`` (the table said no plain move, or the end is reached):
    steps 1-3 of docs/matching.md for it. Returns 1 when the cursor is done."""
    cdef const unsigned char* d = t.d
    cdef int ncls = t.ncls
    cdef Py_ssize_t i = c.i, n = c.n, f, adv, start, size, cs_, ce_
    cdef int st, nxt, after_fail, length, best = c.best
    cdef unsigned char b
    cdef bint word
    if i < n:
        nxt = t.trans[c.so + t.cls[d[i]]]
        st = c.so // ncls
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
                c.so = after_fail * ncls
                c.i = i + size
                return 0
            if t.term[st] >= 0 and not word:
                best = t.term[st]
                c.best_end = i
            f = i
            adv = size
        else:
            if t.term[st] >= 0 and t.acls[b] == 0:  # the alias just read is valid
                best = t.term[st]
                c.best_end = i
            if nxt <= -2:  # and the walk may go on to a longer one
                c.best = best
                c.so = -2 - nxt
                c.i = i + 1
                return 0
            f = i
            adv = 1
            after_fail = SKIP if t.bcls[b] == 1 else ROOT
    else:
        st = c.so // ncls
        if st <= ROOT:
            return 1
        if t.term[st] >= 0:
            best = t.term[st]
            c.best_end = n
        f = n
        adv = 0
        after_fail = ROOT
    # the walk from the last boundary ends at byte f
    if best >= 0:
        length = t.raw_off[best + 1] - t.raw_off[best]
        start = c.best_end - length
        # chosen by step 2; the case rule may still drop it (it hides what it overlaps)
        if not t.csf[best] or memcmp(d + start, t.raw + t.raw_off[best], length) == 0:
            if t.ascii:
                out.append((start, c.best_end, best))
            else:
                cs_ = c.last_c + _chars(d, c.last_b, start)
                ce_ = cs_ + _chars(d, start, c.best_end)
                out.append((cs_, ce_, best))
                c.last_b = c.best_end
                c.last_c = ce_
            t.n_ctx += t.ctxf[best]
        c.i = c.best_end
        st = SKIP if t.bcls[d[c.best_end - 1]] == 1 else ROOT
        best = -1
    elif t.flags[st]:  # a valid start may lie inside the walk: redo from the next byte
        start = f - t.depth[st]
        c.i = start + 1
        st = SKIP if t.bcls[d[start]] == 1 else ROOT
    else:
        c.i = f + adv
        st = after_fail
    c.best = best
    c.so = st * ncls
    return 0


cdef inline int _step(Tables* t, Cursor* c, list out) except -1:
    """One step of cursor ``c``, plain or special. Returns 1 when the cursor is done."""
    cdef int nxt
    if c.i < c.n:
        nxt = t.trans[c.so + t.cls[t.d[c.i]]]
        if nxt >= 0:
            c.so = nxt
            c.i += 1
            return 0
    return _slow(t, c, out)


cdef int _run(Tables* t, Cursor* c, list out) except -1:
    """Scan with one cursor to its end."""
    cdef const unsigned char* d = t.d
    cdef const unsigned char* cls = t.cls
    cdef const int* trans = t.trans
    cdef Py_ssize_t i, n = c.n
    cdef int so, nxt
    while True:
        i = c.i
        so = c.so
        while i < n:
            nxt = trans[so + cls[d[i]]]
            if nxt < 0:
                break
            so = nxt
            i += 1
        c.i = i
        c.so = so
        if _slow(t, c, out):
            return 0


cdef int _run_pair(Tables* t, Cursor* a, Cursor* b, list out_a, list out_b) except -1:
    """Scan with two cursors, a plain step of each per turn, to both ends."""
    cdef const unsigned char* d = t.d
    cdef const unsigned char* cls = t.cls
    cdef const int* trans = t.trans
    cdef Py_ssize_t ia, ib, k, lim
    cdef int sa, sb, na, nb
    while True:
        ia = a.i
        ib = b.i
        sa = a.so
        sb = b.so
        lim = a.n - ia
        if b.n - ib < lim:
            lim = b.n - ib
        k = 0
        while k < lim:
            na = trans[sa + cls[d[ia]]]
            nb = trans[sb + cls[d[ib]]]
            if (na | nb) < 0:
                break
            sa = na
            sb = nb
            ia += 1
            ib += 1
            k += 1
        a.i = ia
        a.so = sa
        b.i = ib
        b.so = sb
        # one exact step of each (a plain one or a special one), then the pair again
        if _step(t, a, out_a):
            return _run(t, b, out_b)
        if _step(t, b, out_b):
            return _run(t, a, out_a)



def direct_rewinds(
    int[::1] trans,
    int ncls,
    const int[::1] parent,
    const int[::1] edge,
    const int[::1] term,
    const unsigned char[::1] flags,
    const unsigned char[::1] word,
    const unsigned char[::1] after,
    int nonascii_col,
):
    """Turn the scan's rewinds into plain transitions where their outcome is known in advance
    (in place, over ``matcher._scan_tables``' table: state numbers, breadth-first).

    A walk that fails in a node whose path holds a non-word byte rewinds: the scan goes back to
    the walk's second byte (in ``SKIP`` or at the root, by the first byte) and reads the path
    again. When nothing can have been recorded on the way (no valid alias ended on the path)
    and that re-reading is all plain transitions, it ends in a state known from the path alone,
    and the failing transition can go straight to where reading the failing byte from there
    leads. ``resume[node]``: the state the re-reading of the node's path after its first byte
    reaches (-1 once a special transition is met). Nodes come breadth first, so the row of a
    shallower node is final when a deeper one reads it. On real postings this turns 30,669 of
    46,552 special steps per 1.8 MB into plain ones.
    """
    cdef Py_ssize_t size = term.shape[0], node, p, col, base, rbase
    if trans.shape[0] != size * ncls or parent.shape[0] != size or edge.shape[0] != size:
        raise ValueError("inconsistent automaton tables")
    if flags.shape[0] != size or word.shape[0] != ncls or after.shape[0] != ncls:
        raise ValueError("inconsistent automaton tables")
    cdef int[::1] resume = array("i", [-1]) * size
    cdef unsigned char[::1] recorded = bytearray(size)  # a valid alias ended on the path
    cdef int r, nxt
    cdef bint ends
    for node in range(ROOT + 1, size):
        p = parent[node]
        col = edge[node]
        if p == ROOT:
            resume[node] = SKIP if word[col] else ROOT
        else:
            r = resume[p]
            nxt = trans[r * ncls + col] if r >= 0 else -1
            resume[node] = nxt if nxt >= 0 else -1
            recorded[node] = recorded[p] or (term[p] >= 0 and after[col])
        r = resume[node]
        if not flags[node] or recorded[node] or r < 0:
            continue
        ends = term[node] >= 0
        base = node * ncls
        rbase = r * ncls
        for col in range(ncls):
            # not a non-ASCII byte (decoded in the special step); after a node where an alias
            # ends, not a byte that makes it valid (it must be emitted)
            if trans[base + col] != -1 or col == nonascii_col or (ends and after[col]):
                continue
            nxt = trans[rbase + col]
            if nxt >= 0:
                trans[base + col] = nxt


cdef class Scanner:
    """The automaton tables and alias data (built by ``matcher._scan_tables``); ``scan`` runs it."""

    cdef bytes _cls, _flags, _before, _after, _raw, _cs, _ctx, _safe
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
        cdef bytearray into_trie = bytearray(ncls)  # per column: some transition leads into it
        for k in range(t.shape[0]):
            v = t[k]
            if v >= 2 or v <= -2:
                into_trie[k % ncls] = 1
            if v >= 0:
                t[k] = v * ncls
            elif v <= -2:
                t[k] = -2 - (-2 - v) * ncls
        self._toff = t
        # The bytes a text may be split at (``_split_point``): ASCII, neither a word character
        # nor forbidden after one, and in no alias (no transition on it leads into the trie).
        cdef bytearray safe = bytearray(256)
        for k in range(128):
            safe[k] = before[k] == 0 and after[k] == 0 and not into_trie[cls[k]]
        self._safe = bytes(safe)
        self._raw = raw
        self._raw_off = raw_off
        self._cs = cs
        self._ctx = ctx
        self._before = before
        self._after = after

    def split_point(self, str text):
        """The byte offset (in UTF-8) where ``scan`` splits ``text`` into two halves, or -1."""
        cdef bytes encoded = text.encode("utf-8", "surrogatepass")
        return _split_point(<const unsigned char*> encoded, len(encoded), self._safe)

    def scan(self, str text):
        """``(candidates, n_context)``: non-overlapping ``(start, end, alias)`` in character
        offsets that pass the boundary and case rules, and how many need a context rule."""
        cdef bytes encoded = None
        cdef Tables t
        cdef bint ascii = PyUnicode_IS_ASCII(text)
        cdef Py_ssize_t n
        if ascii:
            t.d = <const unsigned char*> PyUnicode_DATA(text)
            n = PyUnicode_GET_LENGTH(text)
        else:
            encoded = text.encode("utf-8", "surrogatepass")
            t.d = <const unsigned char*> encoded
            n = len(encoded)
        t.ascii = ascii
        t.cls = self._cls
        t.flags = self._flags
        t.bcls = self._before
        t.acls = self._after
        t.raw = self._raw
        t.csf = self._cs
        t.ctxf = self._ctx
        t.trans = &self._toff[0]
        t.term = &self._term[0]
        t.depth = &self._depth[0]
        t.raw_off = &self._raw_off[0]
        t.ncls = self._ncls
        t.n_ctx = 0
        cdef list out = []
        cdef Cursor a
        _start(&a, 0, n, t.ncls)
        cdef Py_ssize_t p = _split_point(t.d, n, self._safe)
        if p < 0:
            _run(&t, &a, out)
            return out, t.n_ctx
        # Two cursors over the two halves, advanced in turn: their table loads do not depend on
        # each other, so the CPU overlaps them (the scan is bound by the latency of those loads).
        cdef list out_b = []
        cdef Cursor b
        a.n = p
        _start(&b, p, n, t.ncls)
        if not ascii:
            b.last_b = p
            b.last_c = _chars(t.d, 0, p)
        _run_pair(&t, &a, &b, out, out_b)
        out.extend(out_b)
        return out, t.n_ctx
