# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled passes of ``text.normalize_text``: its whitespace tail, in one pass over the code
points, and the scan its head starts with (``control_scan``, documented there). Each loop is
compiled once per width of ``str`` (1, 2 or 4 bytes a character), so it reads code units directly
instead of through ``PyUnicode_READ``'s switch: about 3 times faster on postings.

Why the tail: it was seven ``str.replace``/``in`` passes over each posting (tabs, double spaces,
spaces around newlines, triple newlines, the strip), ~12 us per posting on the non-ASCII texts most
postings are (each pass over a 2-byte-per-character string). The rule it implements, equal to those
passes for every string (tests/clean/test_spaces.py): each maximal run of spaces, tabs and newlines
becomes one space when it holds no newline, else one or two newlines (two when it holds two or
more), and the runs at both ends go.
"""

from libc.stdint cimport uint8_t, uint16_t, uint32_t
from libc.stdlib cimport calloc, free, malloc

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)

ctypedef fused code_unit:  # the three widths of a str's code points
    uint8_t
    uint16_t
    uint32_t


cdef inline bint _space(uint32_t ch) noexcept nogil:
    return ch == 32 or ch == 9 or ch == 10


cdef Py_ssize_t _collapse(const code_unit* src, code_unit* out, Py_ssize_t n) noexcept nogil:
    """Write the collapsed ``src`` to ``out``; returns its length."""
    cdef Py_ssize_t i = 0, o = 0
    cdef int newlines
    cdef uint32_t ch
    while i < n and _space(src[i]):
        i += 1
    while i < n:
        ch = src[i]
        if not _space(ch):
            out[o] = src[i]
            o += 1
            i += 1
            continue
        newlines = 0
        while i < n:
            ch = src[i]
            if not _space(ch):
                break
            newlines += ch == 10
            i += 1
        if i == n:
            break  # the run at the end goes
        if newlines == 0:
            out[o] = 32
            o += 1
        else:
            out[o] = 10
            o += 1
            if newlines > 1:
                out[o] = 10
                o += 1
    return o


def collapse_whitespace(str text):
    """``text`` with its whitespace runs collapsed and its ends stripped (module docstring)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), o
    if n == 0:
        return text
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef void* out = malloc(n * kind)
    if out == NULL:
        raise MemoryError()
    try:
        with nogil:
            if kind == 1:
                o = _collapse(<const uint8_t*>data, <uint8_t*>out, n)
            elif kind == 2:
                o = _collapse(<const uint16_t*>data, <uint16_t*>out, n)
            else:
                o = _collapse(<const uint32_t*>data, <uint32_t*>out, n)
        return PyUnicode_FromKindAndData(kind, out, o)
    finally:
        free(out)


cdef struct Scan:
    bint controls  # an ASCII control other than tab, newline and carriage return
    bint cr  # a carriage return
    Py_ssize_t count  # distinct characters of the BMP found, in ``found``
    uint32_t* found
    unsigned char* seen  # 65,536 bits, made at the first non-ASCII character
    bint astral  # a character beyond the BMP (the caller collects those)


cdef int _scan(const code_unit* src, Py_ssize_t n, Scan* r) except -1 nogil:
    cdef Py_ssize_t i
    cdef uint32_t ch
    for i in range(n):
        ch = src[i]
        if ch < 128:
            if ch < 32 or ch == 127:
                if ch == 13:
                    r.cr = True
                elif ch != 9 and ch != 10:
                    r.controls = True
            continue
        if ch >= 65536:
            r.astral = True
            continue
        if r.found == NULL:
            r.found = <uint32_t*>malloc((n - i) * sizeof(uint32_t))
            r.seen = <unsigned char*>calloc(8192, 1)
            if r.found == NULL or r.seen == NULL:
                with gil:
                    raise MemoryError()
        if r.seen[ch >> 3] & (1 << (ch & 7)):
            continue
        r.seen[ch >> 3] |= 1 << (ch & 7)
        r.found[r.count] = ch
        r.count += 1
    return 0


def control_scan(str text):
    """``(has_ascii_controls, has_carriage_return, distinct)`` for the head of
    ``text.normalize_text``: whether ``text`` holds an ASCII control other than tab, newline and
    carriage return, whether it holds a carriage return, and its distinct non-ASCII characters,
    each once (those of the Basic Multilingual Plane in order of first appearance, then the others
    in code point order), as a str.

    Why: that head made two ``str.replace`` passes for line endings and encoded each text to UTF-8
    with two more byte copies to learn the rest (~7 us on a posting); most texts need no change at
    all, and the few distinct non-ASCII characters (curly quotes, bullets, dashes) are all the rest
    of it looks at. One pass; a bitmap of the BMP remembers the characters seen, so a text in
    Cyrillic or Chinese costs no more per character than one in English.
    """
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Scan r
    r.controls = r.cr = r.astral = False
    r.count = 0
    r.found = NULL
    r.seen = NULL
    try:
        if kind == 1:
            _scan(<const uint8_t*>data, n, &r)
        elif kind == 2:
            _scan(<const uint16_t*>data, n, &r)
        else:
            _scan(<const uint32_t*>data, n, &r)
        distinct = PyUnicode_FromKindAndData(4, r.found, r.count) if r.count else ""
        if r.astral:
            distinct += "".join(sorted({c for c in text if ord(c) >= 65536}))
        return r.controls, r.cr, distinct
    finally:
        free(r.found)
        free(r.seen)
