# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled pre-check of ``salary._candidates``: can either salary scan match anywhere in a text?

Why: most postings state no pay, yet each of the two scans tries its whole pattern at every capital
letter or digit (about a fifth of ingestion's per-posting CPU). This loop reads each character once
and answers, for each scan, a *necessary* condition of a match (``salary.py`` states them); when
it says no, that scan cannot match and is skipped. The conditions are looser than the patterns, never
stricter, so results are unchanged: tests/clean/test_salary_hints.py checks the scans with and
without the pre-check on generated and real texts. Without this module (not compiled), both scans
always run.

``\\d`` and ``\\s`` of Python's ``re`` on ``str`` are ``Py_UNICODE_ISDECIMAL`` and
``Py_UNICODE_ISSPACE``, used here.
"""

from libc.stdint cimport uint8_t, uint16_t, uint32_t

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch) nogil
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil

#: Bits of ``SalaryHints.__call__``'s answer.
CURRENCY_FIRST = 1
NUMBER_FIRST = 2


cdef struct Text:
    int kind
    void* data
    Py_ssize_t n


cdef inline long _at(const Text* t, Py_ssize_t i) noexcept nogil:
    """The code point at ``i``, or 0 past either end."""
    if i < 0 or i >= t.n:
        return 0
    return <long> PyUnicode_READ(t.kind, t.data, i)


cdef inline bint _plain(uint32_t c) noexcept nogil:
    """An ASCII character that is neither a digit nor "$": nothing a hint starts at."""
    return c < 0x80 and (c < 48 or c > 57) and c != 36


cdef inline Py_ssize_t _skip_plain(const Text* t, Py_ssize_t i) noexcept nogil:
    """The first index from ``i`` whose character is not ``_plain`` (``t.n`` if none): a loop per
    width of the string, so the common case reads code units without ``PyUnicode_READ``'s switch."""
    cdef const uint8_t* p1
    cdef const uint16_t* p2
    cdef const uint32_t* p4
    if t.kind == 1:
        p1 = <const uint8_t*> t.data
        while i < t.n and _plain(p1[i]):
            i += 1
    elif t.kind == 2:
        p2 = <const uint16_t*> t.data
        while i < t.n and _plain(p2[i]):
            i += 1
    else:
        p4 = <const uint32_t*> t.data
        while i < t.n and _plain(p4[i]):
            i += 1
    return i


cdef inline bint _ascii_letter(long c) noexcept nogil:
    return (65 <= c <= 90) or (97 <= c <= 122)


cdef inline bint _symbol(long c) noexcept nogil:
    """A currency symbol the currency-first scan starts with: $ € £ ₹ ¥ ₪."""
    return c == 0x24 or c == 0x20AC or c == 0xA3 or c == 0x20B9 or c == 0xA5 or c == 0x20AA


cdef inline bint _symbol_after(long c) noexcept nogil:
    """A currency symbol that may follow an amount: € £ ₹ ₪ $ (not ¥, as in the pattern)."""
    return c == 0x24 or c == 0x20AC or c == 0xA3 or c == 0x20B9 or c == 0x20AA


cdef inline bint _starts(const Text* t, Py_ssize_t j, const char* word) noexcept nogil:
    """``word`` (ASCII) is spelt at ``j``."""
    cdef Py_ssize_t k = 0
    while word[k] != 0:
        if _at(t, j + k) != word[k]:
            return False
        k += 1
    return True


cdef class SalaryHints:
    """``hints(text)``: ``CURRENCY_FIRST`` | ``NUMBER_FIRST`` for the scans that may match."""

    cdef bytes _codes  # 26**3 flags: is this triple of capitals a currency code?

    def __init__(self, codes):
        table = bytearray(26 * 26 * 26)
        for code in codes:
            if len(code) != 3 or not all("A" <= ch <= "Z" for ch in code):
                raise ValueError(f"currency codes are three capitals, not {code!r}")
            table[(ord(code[0]) - 65) * 676 + (ord(code[1]) - 65) * 26 + ord(code[2]) - 65] = 1
        self._codes = bytes(table)

    cdef inline bint _code_at(self, const Text* t, Py_ssize_t k) noexcept:
        """``text[k:k+3]`` is a currency code."""
        cdef long a = _at(t, k), b = _at(t, k + 1), c = _at(t, k + 2)
        if k < 0 or not (65 <= a <= 90 and 65 <= b <= 90 and 65 <= c <= 90):
            return False
        return (<const unsigned char*> self._codes)[(a - 65) * 676 + (b - 65) * 26 + c - 65] != 0

    cdef bint _amount_suffix_at(self, const Text* t, Py_ssize_t j) noexcept:
        """A multiplier or a currency may start at ``j`` (right after an amount's last digit,
        an optional "+" and an optional space): k, K, L, m, M, B (not followed by a letter),
        mm, MM, bn, million, billion, trillion, tn, lakh, lac, LPA, zł, € £ ₹ ₪ $ or a code."""
        cdef long c = _at(t, j)
        cdef long nxt = _at(t, j + 1)
        if _symbol_after(c):
            return True
        if c == 107 or c == 75 or c == 76 or c == 109 or c == 77 or c == 66:  # k K L m M B
            if not _ascii_letter(nxt):
                return True
        if (c == 109 and nxt == 109) or (c == 77 and nxt == 77) or (c == 98 and nxt == 110):
            if not _ascii_letter(_at(t, j + 2)):  # mm MM bn
                return True
        if (c == 109 or c == 77 or c == 98 or c == 66) and _starts(t, j + 1, b"illion"):
            return True
        if (c == 116 or c == 84) and _starts(t, j + 1, b"rillion"):  # t T
            return True
        if c == 116 and nxt == 110:  # tn
            return True
        if c == 108 and (_starts(t, j + 1, b"akh") or _starts(t, j + 1, b"ac")):  # l
            return True
        if c == 76 and _starts(t, j + 1, b"PA"):  # L
            return True
        if c == 122 and nxt == 0x142:  # zł
            return True
        return self._code_at(t, j)

    def __call__(self, str text):
        cdef Text t
        t.kind = PyUnicode_KIND(text)
        t.data = PyUnicode_DATA(text)
        t.n = len(text)
        cdef Py_ssize_t i = -1, j, k
        cdef long ch
        cdef bint cur = False, num = False
        while True:
            i = _skip_plain(&t, i + 1)  # the common case: ASCII, neither a digit nor "$"
            if i >= t.n:
                break
            ch = <long> PyUnicode_READ(t.kind, t.data, i)
            if not cur and _symbol(ch):
                cur = True
            elif Py_UNICODE_ISDECIMAL(<Py_UCS4> ch):
                if not num:
                    j = i + 1
                    if _at(&t, j) == 43:  # +
                        j += 1
                    if j < t.n and Py_UNICODE_ISSPACE(<Py_UCS4> _at(&t, j)):
                        j += 1
                    if j < t.n and self._amount_suffix_at(&t, j):
                        num = True
                if not cur:
                    # a code, then an optional space, "~" and space, then this digit
                    k = i - 1
                    if k >= 0 and Py_UNICODE_ISSPACE(<Py_UCS4> _at(&t, k)):
                        k -= 1
                    if _at(&t, k) == 126:  # ~
                        k -= 1
                    if k >= 0 and Py_UNICODE_ISSPACE(<Py_UCS4> _at(&t, k)):
                        k -= 1
                    if self._code_at(&t, k - 2):
                        cur = True
            if cur and num:
                break
        return (CURRENCY_FIRST if cur else 0) | (NUMBER_FIRST if num else 0)
