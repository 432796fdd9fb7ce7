# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled word bytes and fingerprint squeeze of ``dedupe.word_bytes``/``fingerprint_words``.

Why: most postings hold a few non-ASCII characters (curly quotes, bullets, dashes), so the pure path
of ``word_bytes`` takes five passes over each text (encode, find the non-ASCII characters, decode
them, one replace per distinct one, the byte table), ~8 us per posting, and the fingerprint's
lower-case-and-delete-spaces ``translate`` another ~4 us. Here each is one pass.

``word_bytes(text, table, cache, word_of)``: each code point below 128 becomes ``table[cp]`` (one
byte); any other becomes ``word_of(chr(cp))``, UTF-8 of its case folding with every character that
is not a letter or digit made a space, remembered in ``cache`` (a dict the caller keeps). That is
what the pure path's one replace per distinct character gives, in any order: no character's mapping
contains a non-ASCII character whose own mapping changes it (checked over all of Unicode, see
tests/clean/test_words.py), and UTF-8 is self-synchronising, so a replace only ever matches whole
characters. The caller passes NFKC text; lone surrogates map like the pure path's
``surrogatepass`` bytes, to a space.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdlib cimport free, malloc, realloc
from libc.stdint cimport uint8_t, uint16_t, uint32_t
from libc.string cimport memcpy

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)

ctypedef fused code_unit:  # the three widths of a str's code points
    uint8_t
    uint16_t
    uint32_t


cdef class _Out:
    """A growing byte buffer."""
    cdef unsigned char* buf
    cdef Py_ssize_t cap, size

    def __cinit__(self, Py_ssize_t cap):
        self.buf = <unsigned char*>malloc(cap)
        if self.buf == NULL:
            raise MemoryError()
        self.cap = cap
        self.size = 0

    def __dealloc__(self):
        free(self.buf)

    cdef int reserve(self, Py_ssize_t more) except -1:
        cdef unsigned char* grown
        if self.size + more > self.cap:
            grown = <unsigned char*>realloc(self.buf, 2 * self.cap + more)
            if grown == NULL:
                raise MemoryError()
            self.buf = grown
            self.cap = 2 * self.cap + more
        return 0


cdef int _map(
    const code_unit* src, Py_ssize_t n, const unsigned char* tab, _Out out, dict cache, object word_of
) except -1:
    cdef Py_ssize_t i, size
    cdef uint32_t ch
    cdef bytes mapped
    cdef unsigned char* buf = out.buf
    cdef Py_ssize_t o = out.size
    for i in range(n):
        ch = src[i]
        if ch < 128:
            buf[o] = tab[ch]
            o += 1
            continue
        key = chr(ch)
        mapped = cache.get(key)
        if mapped is None:
            mapped = word_of(key)
            cache[key] = mapped
        size = PyBytes_GET_SIZE(mapped)
        out.size = o
        out.reserve(size + n - i)  # this character's bytes and at least one for each after it
        buf = out.buf
        memcpy(buf + o, PyBytes_AS_STRING(mapped), size)
        o += size
    out.size = o
    return 0


def word_bytes(str text, bytes table, dict cache, object word_of):
    """The word bytes of NFKC ``text`` (module docstring); ``table`` maps the 128 ASCII bytes."""
    if PyBytes_GET_SIZE(table) < 128:
        raise ValueError("table must map the 128 ASCII bytes")
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef const unsigned char* tab = <const unsigned char*>PyBytes_AS_STRING(table)
    cdef _Out out = _Out(n + 64)
    if kind == 1:
        _map(<const uint8_t*>data, n, tab, out, cache, word_of)
    elif kind == 2:
        _map(<const uint16_t*>data, n, tab, out, cache, word_of)
    else:
        _map(<const uint32_t*>data, n, tab, out, cache, word_of)
    return PyBytes_FromStringAndSize(<char*>out.buf, out.size)


cdef unsigned char _LOWER[256]
for _c in range(256):
    _LOWER[_c] = _c + 32 if 65 <= _c <= 90 else _c


def lower_squeezed(bytes words):
    """``words`` with ASCII upper case lowered and spaces deleted: ``words.translate(lower, b" ")``
    in one pass, without a branch per byte (spaces come every few bytes, unpredictably)."""
    cdef Py_ssize_t n = PyBytes_GET_SIZE(words), i, o = 0
    cdef const unsigned char* src = <const unsigned char*>PyBytes_AS_STRING(words)
    cdef unsigned char* out = <unsigned char*>malloc(n + 1)
    cdef unsigned char c
    if out == NULL:
        raise MemoryError()
    try:
        with nogil:
            for i in range(n):
                c = src[i]
                out[o] = _LOWER[c]
                o += c != 32
        return PyBytes_FromStringAndSize(<char*>out, o)
    finally:
        free(out)
