# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled passes of ``text.py``: the whitespace tail of ``normalize_text``, in one pass over the
code points, the scan its head starts with (``control_scan``) and the line-break markers
``html_to_text`` puts into markup (``mark_breaks``), each documented where it is defined. Each loop is
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
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil
    Py_ssize_t PyUnicode_FindChar(object s, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end, int direction) except -2
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object o)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_ssize_t PyUnicode_CopyCharacters(object to, Py_ssize_t to_start, object fr, Py_ssize_t from_start, Py_ssize_t how_many) except -1
    void PyUnicode_WRITE(int kind, void* data, Py_ssize_t index, Py_UCS4 value) nogil

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


cdef inline uint32_t _fold(uint32_t ch) noexcept nogil:
    """The ASCII letter or digit ``ch`` matches in a case-insensitive ``re`` pattern spelt in
    lower case (0 for none): ASCII case, and the four other characters ``re`` folds onto ASCII
    letters: İ and ı (i), ſ (s), K, the Kelvin sign (k)."""
    if 97 <= ch <= 122 or 48 <= ch <= 57:
        return ch
    if 65 <= ch <= 90:
        return ch + 32
    if ch == 0x130 or ch == 0x131:
        return 105
    if ch == 0x17F:
        return 115
    if ch == 0x212A:
        return 107
    return 0


# What goes before a "<": nothing, a line break (a block element), a bullet (a list item), a space
# (a table cell).
cdef enum:
    _NONE = 0
    _BLOCK = 1
    _ITEM = 2
    _CELL = 3


cdef int _mark_at(int kind, void* data, Py_ssize_t n, Py_ssize_t i, frozenset blocks) except -1:
    """What ``text.html_to_text``'s three marker regexes put before the "<" at ``i``: the tag name
    (after an optional "/") must be the whole run of word characters there, as ``\\b`` demands."""
    cdef Py_ssize_t j = i + 1, length = 0
    cdef bint slash = False
    cdef uint32_t ch, folded
    cdef char name[11]
    if j < n and PyUnicode_READ(kind, data, j) == 47:  # "/"
        slash = True
        j += 1
    while j < n:
        ch = PyUnicode_READ(kind, data, j)
        if not (Py_UNICODE_ISALNUM(ch) or ch == 95):  # the end of the word ("\b")
            break
        folded = _fold(ch)
        if folded == 0 or length == 10:  # "_", another letter, or longer than every name
            return _NONE
        name[length] = <char>folded
        length += 1
        j += 1
    if length == 0:
        return _NONE
    word = name[:length].decode("ascii")
    if word == "li":
        return _NONE if slash else _ITEM
    if word == "td" or word == "th":
        return _CELL
    return _BLOCK if word in blocks else _NONE


def mark_breaks(str markup, frozenset blocks):
    """``markup`` with "\\n" before each block element's tag (``blocks``: their names, lower
    case), "\\n- " before each ``<li``, " " before each table cell's tag: what
    ``text._mark_breaks_re``'s three regex substitutions give, in one pass that looks only at the
    "<" characters."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(markup)
    cdef int kind = PyUnicode_KIND(markup)
    cdef void* data = PyUnicode_DATA(markup)
    cdef Py_ssize_t i = 0, extra = 0, start, o
    marks = []  # (position, what)
    cdef int what
    while True:
        i = PyUnicode_FindChar(markup, 60, i, n, 1)  # "<"
        if i < 0:
            break
        what = _mark_at(kind, data, n, i, blocks)
        if what != _NONE:
            marks.append((i, what))
            extra += 3 if what == _ITEM else 1
        i += 1
    if not marks:
        return markup
    out = PyUnicode_New(n + extra, PyUnicode_MAX_CHAR_VALUE(markup))
    cdef int out_kind = PyUnicode_KIND(out)
    cdef void* out_data = PyUnicode_DATA(out)
    start = o = 0
    for i, what in marks:
        PyUnicode_CopyCharacters(out, o, markup, start, i - start)
        o += i - start
        if what == _BLOCK:
            PyUnicode_WRITE(out_kind, out_data, o, 10)
            o += 1
        elif what == _CELL:
            PyUnicode_WRITE(out_kind, out_data, o, 32)
            o += 1
        else:
            PyUnicode_WRITE(out_kind, out_data, o, 10)
            PyUnicode_WRITE(out_kind, out_data, o + 1, 45)
            PyUnicode_WRITE(out_kind, out_data, o + 2, 32)
            o += 3
        start = i
    PyUnicode_CopyCharacters(out, o, markup, start, n - start)
    return out
