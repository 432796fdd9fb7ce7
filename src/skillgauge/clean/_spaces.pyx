# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled whitespace tail of ``text.normalize_text``, in one pass over the code points.

Why: that tail was seven ``str.replace``/``in`` passes over each posting (tabs, double spaces,
spaces around newlines, triple newlines, the strip), ~12 us per posting on the non-ASCII texts most
postings are (each pass over a 2-byte-per-character string). The rule it implements, equal to those
passes for every string (tests/clean/test_spaces.py): each maximal run of spaces, tabs and newlines
becomes one space when it holds no newline, else one or two newlines (two when it holds two or
more), and the runs at both ends go.
"""

from libc.stdlib cimport free, malloc

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    void PyUnicode_WRITE(int kind, void* data, Py_ssize_t index, Py_UCS4 value) nogil
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)


cdef inline bint _space(Py_UCS4 ch) noexcept nogil:
    return ch == 32 or ch == 9 or ch == 10


def collapse_whitespace(str text):
    """``text`` with its whitespace runs collapsed and its ends stripped (module docstring)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    if n == 0:
        return text
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef void* out = malloc(n * kind)
    if out == NULL:
        raise MemoryError()
    cdef Py_ssize_t i = 0, o = 0
    cdef int newlines
    cdef Py_UCS4 ch
    try:
        with nogil:
            while i < n and _space(PyUnicode_READ(kind, data, i)):
                i += 1
            while i < n:
                ch = PyUnicode_READ(kind, data, i)
                if not _space(ch):
                    PyUnicode_WRITE(kind, out, o, ch)
                    o += 1
                    i += 1
                    continue
                newlines = 0
                while i < n:
                    ch = PyUnicode_READ(kind, data, i)
                    if not _space(ch):
                        break
                    newlines += ch == 10
                    i += 1
                if i == n:
                    break  # the run at the end goes
                if newlines == 0:
                    PyUnicode_WRITE(kind, out, o, 32)
                    o += 1
                else:
                    PyUnicode_WRITE(kind, out, o, 10)
                    o += 1
                    if newlines > 1:
                        PyUnicode_WRITE(kind, out, o, 10)
                        o += 1
        return PyUnicode_FromKindAndData(kind, out, o)
    finally:
        free(out)
