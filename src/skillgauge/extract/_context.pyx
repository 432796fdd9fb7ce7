# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled step 4 of the matcher: the context rules of ``context.ContextJudge`` over a text's
candidates, with the same answers.

Why: deciding ~30,000 ambiguous candidates per 40 MB of postings cost as much as the whole scan;
most of it was Python calls and the cue regex trying every position of two 60-character windows.
Here the near-category rule and the cue rule run over the string's own code points; only the reject
regexes (arbitrary ``re`` patterns) are still searched by ``re``, and only for candidates a cue or
a near term has confirmed, as ``ContextJudge.accepts`` does.

The cue rule is ``(?<!\\w)(?:cue|...)(?!\\w)`` with ``re.IGNORECASE`` searched between two offsets
(the look-behind sees the character before the first offset; the end offset is the string's end
for the look-ahead). For the ASCII cues kept here a text character matches a cue character when
its simple lower case (``Py_UNICODE_TOLOWER``, what ``re`` compares) is that character, or when
``re``'s case fixes say so (dotless ``ı`` for ``i``, long ``ſ`` for ``s``); a rule with a
non-ASCII cue keeps its regex. ``\\w`` is ``Py_UNICODE_ISALNUM`` or ``_``, as in ``re``.
tests/extract/test_context_compiled.py compares every decision with ``ContextJudge``.
"""

from types import MemberDescriptorType

from libc.stdlib cimport free, realloc

cdef extern from "Python.h":
    ctypedef struct PyObject
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    int T_OBJECT_EX
    void Py_INCREF(object o)
    object PyType_GenericNew(object t, object args, object kwds)
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil
    Py_UCS4 Py_UNICODE_TOLOWER(Py_UCS4 ch) nogil


cdef inline void _store(object obj, Py_ssize_t offset, object value) noexcept:
    """Store ``value`` in the (empty) object slot at ``offset`` of a new ``obj``."""
    Py_INCREF(value)
    (<PyObject**> ((<char*> <PyObject*> obj) + offset))[0] = <PyObject*> value


cdef inline bint _is_word(Py_UCS4 ch) noexcept nogil:
    if ch < 128:
        return (ch >= 97 and ch <= 122) or (ch >= 65 and ch <= 90) or (ch >= 48 and ch <= 57) or ch == 95
    return Py_UNICODE_ISALNUM(ch)


cdef inline bint _same(Py_UCS4 t, Py_UCS4 c) noexcept nogil:
    """Whether text character ``t`` matches the (lower-case ASCII) cue character ``c`` under
    ``re.IGNORECASE``."""
    cdef unsigned int u = t
    if u < 128:
        if u >= 65 and u <= 90:
            u += 32
        return u == c
    if Py_UNICODE_TOLOWER(t) == c:
        return True
    return (c == 105 and t == 0x131) or (c == 115 and t == 0x17F)


cdef class Decider:
    """The context rules of one matcher, per alias index (built by ``Matcher``).

    ``judge_of[alias]``: the rule's index, -1 when the alias needs no context, -2 when it needs
    one but its term has no rule (always dropped). ``cat_of[alias]``: its category's code.
    Per rule: ``window``, ``near`` (``n_categories`` flags), its cues (``cue_first[rule]`` up to
    ``cue_first[rule + 1]`` index ``cue_off``, the offsets of each cue's characters in
    ``cue_chars``), and Python objects: a fallback cue regex (``None`` unless a cue is not
    ASCII) and the rule's tests of the characters before and after a match
    (``ContextJudge.rejected_before`` and ``rejected_after``, or ``None`` without such regexes).
    """

    cdef const int[::1] _judge_of
    cdef const int[::1] _cat_of
    cdef const int[::1] _window
    cdef const unsigned char[::1] _near
    cdef int _ncat
    cdef const unsigned int[::1] _cue_chars
    cdef const int[::1] _cue_off
    cdef const int[::1] _cue_first
    cdef list _cue_regex
    cdef list _reject_before
    cdef list _reject_after
    cdef list _tid
    cdef object _mention
    cdef Py_ssize_t _slot[4]  # the byte offsets of the mention class's four slots, in order
    cdef Py_ssize_t* _starts
    cdef Py_ssize_t* _ends
    cdef int* _cats
    cdef Py_ssize_t _cap

    def __init__(
        self,
        judge_of,
        cat_of,
        window,
        bytes near,
        int n_categories,
        cue_chars,
        cue_off,
        cue_first,
        list cue_regex,
        list reject_before,
        list reject_after,
        list tid,
        mention=None,
    ):
        n_rules = len(window)
        if len(judge_of) != len(cat_of) or len(tid) != len(cat_of):
            raise ValueError("judge_of, cat_of and tid must have one entry per alias")
        if mention is not None and (
            getattr(mention, "__slots__", None) != ("term_id", "start", "end", "surface")
            or hasattr(mention, "__post_init__")
        ):
            raise ValueError("mention must be a class of exactly the four Mention slots")
        if len(near) != n_rules * n_categories or len(cue_first) != n_rules + 1:
            raise ValueError("inconsistent rule tables")
        if len(cue_regex) != n_rules or len(reject_before) != n_rules or len(reject_after) != n_rules:
            raise ValueError("one regex list per rule")
        if len(cue_off) != (cue_first[n_rules] if n_rules else 0) + 1:
            raise ValueError("inconsistent cue tables")
        for j in judge_of:
            if j >= n_rules or j < -2:
                raise ValueError("rule index out of range")
        for c in cat_of:
            if c < 0 or c >= n_categories:
                raise ValueError("category code out of range")
        self._judge_of = judge_of
        self._cat_of = cat_of
        self._window = window
        self._near = near
        self._ncat = n_categories
        self._cue_chars = cue_chars
        self._cue_off = cue_off
        self._cue_first = cue_first
        self._cue_regex = cue_regex
        self._reject_before = reject_before
        self._reject_after = reject_after
        self._tid = tid
        self._mention = mention
        if mention is not None:
            self._slot_offsets(mention)

    cdef int _slot_offsets(self, object cls) except -1:
        """Where each slot of ``cls`` lives in its objects, from the slots' member descriptors
        (the C API's ``PyMemberDef``): ``mentions`` stores into them directly."""
        cdef PyMemberDescrObject* descr
        for k, name in enumerate(("term_id", "start", "end", "surface")):
            member = cls.__dict__.get(name)
            if not isinstance(member, MemberDescriptorType):
                raise ValueError(f"mention class slot {name!r} is not a member descriptor")
            descr = <PyMemberDescrObject*> member
            if descr.d_member.type != T_OBJECT_EX or descr.d_member.offset <= 0:
                raise ValueError(f"mention class slot {name!r} is not an object slot")
            self._slot[k] = descr.d_member.offset
        return 0

    def __dealloc__(self):
        free(self._starts)
        free(self._ends)
        free(self._cats)

    cdef int _reserve(self, Py_ssize_t n) except -1:
        if n <= self._cap:
            return 0
        cdef Py_ssize_t cap = max(n, 2 * self._cap, 64)
        cdef Py_ssize_t* s = <Py_ssize_t*> realloc(self._starts, cap * sizeof(Py_ssize_t))
        if s == NULL:
            raise MemoryError()
        self._starts = s
        s = <Py_ssize_t*> realloc(self._ends, cap * sizeof(Py_ssize_t))
        if s == NULL:
            raise MemoryError()
        self._ends = s
        cdef int* c = <int*> realloc(self._cats, cap * sizeof(int))
        if c == NULL:
            raise MemoryError()
        self._cats = c
        self._cap = cap
        return 0

    cdef bint _near_term(self, int rule, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t m) noexcept:
        """Rule 3: a context-free mention of a near category overlaps ``[lo, hi)``."""
        cdef const unsigned char* near = &self._near[rule * self._ncat]
        cdef Py_ssize_t a = 0, b = m, k
        while a < b:  # the first mention ending after lo (ends are sorted: no overlaps)
            k = (a + b) >> 1
            if self._ends[k] <= lo:
                a = k + 1
            else:
                b = k
        while a < m and self._starts[a] < hi:
            if near[self._cats[a]]:
                return True
            a += 1
        return False

    cdef bint _cue_between(
        self, int rule, int kind, void* data, Py_ssize_t length, Py_ssize_t a, Py_ssize_t b
    ) noexcept:
        """Rule 2 in ``[a, b)``: what ``cue_regex.search(text, a, b)`` answers."""
        cdef int first = self._cue_first[rule], last = self._cue_first[rule + 1]
        cdef int c, k, size, off
        cdef Py_ssize_t p, q
        cdef const unsigned int* chars = &self._cue_chars[0] if self._cue_chars.shape[0] else NULL
        if first == last or chars == NULL:
            return False
        if b > length:
            b = length
        p = a
        while p < b:
            if p > 0 and _is_word(PyUnicode_READ(kind, data, p - 1)):
                p += 1
                continue
            for c in range(first, last):
                off = self._cue_off[c]
                size = self._cue_off[c + 1] - off
                if p + size > b:
                    continue
                k = 0
                while k < size and _same(PyUnicode_READ(kind, data, p + k), chars[off + k]):
                    k += 1
                if k < size:
                    continue
                q = p + size
                if q == b or not _is_word(PyUnicode_READ(kind, data, q)):
                    return True
            p += 1
        return False

    def decide(self, str text, list cands):
        """The candidates (``(start, end, alias)``, sorted, non-overlapping) that pass step 4."""
        cdef Py_ssize_t n = len(cands), m = 0, i, s, e, lo, hi
        cdef int index, rule
        cdef object cand
        self._reserve(n)
        cdef const int[::1] judge_of = self._judge_of
        cdef const int[::1] cat_of = self._cat_of
        for i in range(n):  # the context-free candidates: every one is an accepted mention
            cand = cands[i]
            index = cand[2]
            if judge_of[index] == -1:
                self._starts[m] = cand[0]
                self._ends[m] = cand[1]
                self._cats[m] = cat_of[index]
                m += 1
        if m == n:
            return cands
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text)
        cdef list out = []
        cdef object regex, rejects
        cdef bint ok
        for i in range(n):
            cand = cands[i]
            index = cand[2]
            rule = judge_of[index]
            if rule == -1:
                out.append(cand)
                continue
            if rule == -2:
                continue
            s = cand[0]
            e = cand[1]
            lo = s - self._window[rule]
            if lo < 0:
                lo = 0
            hi = e + self._window[rule]
            # cheapest first, as ContextJudge.accepts: a near term or a cue, then no reject
            ok = self._near_term(rule, lo, hi, m)
            if not ok:
                regex = self._cue_regex[rule]
                if regex is None:
                    ok = (self._cue_between(rule, kind, data, length, lo, s)
                          or self._cue_between(rule, kind, data, length, e, hi))
                else:
                    ok = regex.search(text, lo, s) is not None or regex.search(text, e, hi) is not None
            if not ok:
                continue
            rejects = self._reject_before[rule]
            if rejects is not None and rejects(text[lo:s]):
                continue
            rejects = self._reject_after[rule]
            if rejects is not None and rejects(text[e:hi]):
                continue
            out.append(cand)
        return out

    def mentions(self, str text, list cands, int n_ctx):
        """``Matcher.find`` after the scan: ``cands`` decided (when ``n_ctx`` of them need a rule)
        and made ``Mention`` objects.

        Why here: the objects are built with their slots stored directly (where the slots'
        member descriptors say they are; what ``object.__setattr__`` does past the frozen
        dataclass's guard, without looking each name up): 0.23 -> ~0.1 us per mention.
        """
        if self._mention is None:
            raise TypeError("this Decider was built without a mention class")
        if n_ctx:
            cands = self.decide(text, cands)
        cdef list out = []
        cdef list tid = self._tid
        cdef object cls = self._mention
        cdef object m, start, end
        cdef tuple cand
        cdef tuple no_args = ()
        for cand in cands:
            start = cand[0]
            end = cand[1]
            m = PyType_GenericNew(cls, no_args, None)
            _store(m, self._slot[0], tid[<Py_ssize_t> cand[2]])
            _store(m, self._slot[1], start)
            _store(m, self._slot[2], end)
            _store(m, self._slot[3], text[<Py_ssize_t> start:<Py_ssize_t> end])
            out.append(m)
        return out
