"""The multi-pattern matcher: every taxonomy alias in a text, in one pass over its bytes.

Semantics (docs/matching.md has the long form):

1. The text is case-folded (``context.fold``: ASCII letters only, offsets kept).
2. *Boundary-aware leftmost-longest*: scanning left to right, at the leftmost position where some
   alias occurs with valid token boundaries, the longest such alias is taken; the scan resumes
   after it. Matches never overlap.
3. Case rule: a chosen ``case_sensitive`` alias must equal the original text exactly, else the
   match is dropped (no shorter alias is tried instead).
4. Context rule for ``needs_context`` aliases (``context.ContextJudge``), else dropped.

Two engines for steps 1-3, with identical results (tests/extract/test_hotloop.py runs both):

* **Compiled** (``_hotloop.pyx``, built by ``pip install``; used when importable): a trie walk
  anchored at each token boundary (tables from ``_scan_tables``). Every alias starts at a
  boundary, so the walk gives step 2 directly, and inside words the loop costs one table lookup
  per byte -- several times faster than the Aho-Corasick DFA, whose 1,500-pattern transition table
  does not fit the cache.
* **Pure Python** (fallback): ``ahocorasick_rs.BytesAhoCorasick`` in leftmost-longest mode over the
  UTF-8 bytes folded with ``bytes.lower``; Python looks only at the occurrences it reports, with
  table lookups for the boundary test. Aliases of one or two word characters (``R``, ``C``,
  ``Go``, ``C#``) would be reported at every ``r``/``c`` inside a word, so they go to a second
  automaton over the *original* bytes holding their exact spelling (or every ASCII case variant);
  the two sorted lists are merged leftmost-longest. A failed occurrence can hide a valid one only
  if its alias contains a non-word character ("spark sql" in "Spark SQLite" hides "spark"); when
  such a "risky" alias fails, the text is redone on the exact path (all overlapping occurrences,
  filtered, leftmost-longest in Python).

Both produce ``(start, end, alias index)`` triples; steps 4 and the ``Mention``s are shared and
work on flat per-alias lists (indexing a list is the cheapest lookup in the hot loop).
``ReferenceMatcher`` (a regex trie) implements the semantics directly; tests and the benchmark
check that all agree.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import ahocorasick_rs

from skillgauge.extract.context import AFTER_FORBIDDEN, ContextJudge, Nearby, fold
from skillgauge.models import Mention
from skillgauge.taxonomy.model import ContextRule, Taxonomy

_Scanner: type[_hotloop.Scanner] | None
try:  # the compiled scan is optional: without it the pure-Python path gives the same results
    from skillgauge.extract import _hotloop

    _Scanner = _hotloop.Scanner
except ImportError:  # pragma: no cover - depends on the build
    _Scanner = None

_Decider: type[_context.Decider] | None
try:  # the compiled context rules are optional too: ContextJudge gives the same answers
    from skillgauge.extract import _context

    _Decider = _context.Decider
except ImportError:  # pragma: no cover - depends on the build
    _Decider = None

#: Whether the compiled scan is available in this installation.
COMPILED = _Scanner is not None

#: Whether the compiled context rules are available in this installation.
COMPILED_CONTEXT = _Decider is not None

#: Aliases at most this long (folded) and starting with a word character go to the short pass.
SHORT_MAX = 2


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One alias as the matcher needs it (plain data: this is what pickling carries)."""

    term_id: str
    category: str
    text: str
    case_sensitive: bool
    needs_context: bool


def _byte_classes(extra: str) -> bytes:
    """Per byte value: 0 = may border a match, 1 = may not, 2 = a non-ASCII byte (decode to tell)."""
    out = bytearray(256)
    for i in range(128):
        ch = chr(i)
        out[i] = 1 if ch.isalnum() or ch == "_" or ch in extra else 0
    for i in range(128, 256):
        out[i] = 2
    return bytes(out)


_BEFORE = _byte_classes("")
_AFTER = _byte_classes(AFTER_FORBIDDEN)


def _word_before(data: bytes, pos: int) -> bool:
    """Whether the (non-ASCII) character ending at byte ``pos`` is a letter or digit."""
    k = pos - 1
    while k > 0 and data[k] & 0xC0 == 0x80:
        k -= 1
    return data[k:pos].decode("utf-8", "surrogatepass").isalnum()


def _word_after(data: bytes, pos: int) -> bool:
    """Whether the (non-ASCII) character starting at byte ``pos`` is a letter or digit."""
    lead = data[pos]
    size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return data[pos : pos + size].decode("utf-8", "surrogatepass")[:1].isalnum()


def _case_variants(word: str) -> list[str]:
    """Every ASCII upper/lower spelling of a short alias (at most 4 for two letters)."""
    out = [""]
    for ch in word:
        forms = {ch.lower(), ch.upper()} if ch.isascii() else {ch}
        out = [prefix + f for prefix in out for f in sorted(forms)]
    return out


def _new_mention_factory() -> Callable[[str, int, int, str], Mention]:
    """The cheapest way to build a ``Mention``: the frozen dataclass ``__init__`` goes through
    ``object.__setattr__`` per field (measured 0.49 us); setting the slots directly takes 0.28 us.
    Used only while ``Mention`` is exactly four slots with no ``__post_init__``; else the class."""
    fields = ("term_id", "start", "end", "surface")
    if getattr(Mention, "__slots__", None) != fields or hasattr(Mention, "__post_init__"):
        return Mention  # pragma: no cover - guards a change to models.Mention
    new = object.__new__
    s_tid, s_start, s_end, s_surface = (getattr(Mention, f).__set__ for f in fields)

    def make(term_id: str, start: int, end: int, surface: str) -> Mention:
        m = new(Mention)
        s_tid(m, term_id)
        s_start(m, start)
        s_end(m, end)
        s_surface(m, surface)
        return m

    return make


_mention = _new_mention_factory()


class FoundColumns(NamedTuple):
    """Mentions of many texts as parallel lists (``Matcher.find_columns``)."""

    row: list[int]
    term_id: list[str]
    start: list[int]
    end: list[int]
    surface: list[str]


#: ``(start, end, alias index)``; index -1 = chosen by step 2, then dropped by the case rule.
Candidate = tuple[int, int, int]


#: State numbers of the compiled scan: inside a word (no alias may start at the next byte), and
#: at a token boundary (the trie root). Trie nodes follow.
SKIP, ROOT = 0, 1


def _scan_tables(
    patterns: Sequence[bytes],
) -> tuple[bytes, int, array[int], array[int], array[int], bytes]:
    """The compiled scan's automaton over the folded alias bytes (pattern index = alias index).

    A trie whose failure transitions only go to ``SKIP`` (the failing byte is a word character:
    no alias may start before the next boundary) or ``ROOT``, so the scan is one table lookup per
    byte, branching only on rare *special* transitions (negative): a non-ASCII byte (decoded to
    tell a letter), a byte that makes the alias just read boundary-valid (recorded as the best
    match; ``-2 - child`` when the walk may go on), and a failure from a node whose path holds a
    non-word byte (a valid start may lie inside the walk: rewind) when ``_hotloop.direct_rewinds``
    cannot tell its outcome in advance. Patterns must be ASCII.

    Returns ``(cls, ncls, trans, term, depth, flags)``: ``cls[b]`` the column of byte ``b``,
    ``trans[state * ncls + column]``, per state the alias ending there (-1 if none), its depth
    and whether its path holds a non-word byte. Duplicate patterns: the last one wins, as in
    ``ReferenceMatcher``.
    """
    if any(not p.isascii() or not p for p in patterns):
        raise ValueError("the compiled scan needs non-empty ASCII aliases")
    alphabet = sorted({b for p in patterns for b in p})
    column = {b: i for i, b in enumerate(alphabet)}
    # columns for the bytes in no alias, grouped by what the boundary rules say of them
    word_col, plain_col, plushash_col, nonascii_col = range(len(alphabet), len(alphabet) + 4)
    ncls = len(alphabet) + 4
    cls = bytearray(256)
    for b in range(256):
        folded = bytes([b]).lower()[0]
        if folded in column:
            cls[b] = column[folded]
        elif b >= 0x80:
            cls[b] = nonascii_col
        elif _BEFORE[b] == 1:
            cls[b] = word_col
        elif _AFTER[b] == 1:
            cls[b] = plushash_col
        else:
            cls[b] = plain_col
    col_byte = {c: b for b, c in column.items()}
    col_byte.update({word_col: ord("a") + 128, plain_col: ord(" "), plushash_col: ord("+")})

    def is_word(col: int) -> bool:
        b = col_byte[col]
        return b == ord("a") + 128 or _BEFORE[b] == 1

    def after_ok(col: int) -> bool:
        b = col_byte[col]
        return b != ord("a") + 128 and _AFTER[b] == 0

    # trie: node 1 is the root
    children: list[dict[int, int]] = [{}, {}]
    term = [-1, -1]
    depth = [0, 0]
    flags = [0, 0]
    for index, pattern in enumerate(patterns):
        state = ROOT
        for b in pattern:
            nxt = children[state].get(b)
            if nxt is None:
                nxt = len(children)
                children[state][b] = nxt
                children.append({})
                term.append(-1)
                depth.append(depth[state] + 1)
                flags.append(1 if flags[state] or _BEFORE[b] != 1 else 0)
            state = nxt
        term[state] = index
    # breadth-first numbering: the shallow nodes, where nearly every walk ends, share cache lines
    order = [SKIP, ROOT]
    k = 1
    while k < len(order):
        kids = children[order[k]]
        order.extend(kids[b] for b in sorted(kids))
        k += 1
    number = {old: new for new, old in enumerate(order)}
    # Each row is a template (what a byte in no child does, by the node's kind) with its
    # children written over it: list copies instead of a Python test per cell (~25x faster to build).
    word = [col != nonascii_col and is_word(col) for col in range(ncls)]
    after = [col != nonascii_col and after_ok(col) for col in range(ncls)]
    restart = [SKIP if word[col] else ROOT for col in range(ncls)]
    restart[nonascii_col] = -1
    rewind = [-1] * ncls  # a valid start may lie inside the walk
    after_restart = [-1 if after[col] else restart[col] for col in range(ncls)]
    after_rewind = [-1] * ncls
    cells: list[int] = list(restart)  # SKIP
    cells[nonascii_col] = -1
    parent = [SKIP] * len(order)  # per node (new numbers): its parent and the column leading to it
    edge = [0] * len(order)
    for old in order[1:]:
        ends = old != ROOT and term[old] >= 0
        if old == ROOT:
            row = list(restart)
        elif ends:
            row = list(after_rewind if flags[old] else after_restart)
        else:
            row = list(rewind if flags[old] else restart)
        for b, kid in children[old].items():
            col = column[b]
            child = number[kid]
            row[col] = -2 - child if ends and after[col] else child
            parent[child] = number[old]
            edge[child] = col
        cells.extend(row)
    trans = array("i", cells)
    new_term = array("i", [term[old] for old in order])
    new_flags = bytes(flags[old] for old in order)
    if _Scanner is not None:  # the tables serve only the compiled scan
        _hotloop.direct_rewinds(
            trans,
            ncls,
            array("i", parent),
            array("i", edge),
            new_term,
            new_flags,
            bytes(word),
            bytes(after),
            nonascii_col,
        )
    return (
        bytes(cls),
        ncls,
        trans,
        new_term,
        array("i", [depth[old] for old in order]),
        new_flags,
    )


def _risky_flags(patterns: Sequence[bytes]) -> list[bool]:
    """Per pattern: can a failed occurrence of it hide a valid occurrence of another pattern?

    Only an alias starting at a token boundary *inside* the failed one can be hidden: at its start
    (a shorter alias that is a prefix) or right after one of its non-word characters (an alias
    starting with the rest, or a prefix of the rest). ".net" failing in "example.net" hides nothing
    unless some alias starts with "net"; "spark sql" failing in "Spark SQLite" hides "spark".
    """
    ordered = sorted(set(patterns))
    present = set(ordered)

    def starts_with(prefix: bytes) -> bool:
        i = bisect_left(ordered, prefix)
        return i < len(ordered) and ordered[i].startswith(prefix)

    flags = []
    for p in patterns:
        risky = False
        for k in range(len(p)):
            if k and _BEFORE[p[k - 1]] == 1:
                continue  # not a boundary inside the alias
            rest = p[k:]
            ends = range(1, len(rest) + (1 if k else 0))
            # a shorter alias inside can only be valid if the alias goes on with a non-word char
            inside = any(
                rest[:j] in present and (j == len(rest) or _AFTER[rest[j]] != 1) for j in ends
            )
            risky = inside or (k > 0 and starts_with(rest))
            if risky:
                break
        flags.append(risky)
    return flags


class Matcher:
    """Finds taxonomy terms in texts. Pure (no I/O) and picklable; build once, use many times.

    ``compiled``: ``None`` uses the compiled scan when it is available, ``False`` forces the
    pure-Python path, ``True`` requires the compiled scan (``ImportError`` without it).
    """

    def __init__(
        self,
        entries: Sequence[AliasEntry],
        contexts: dict[str, ContextRule] | None = None,
        *,
        compiled: bool | None = None,
    ) -> None:
        self._entries = tuple(entries)
        self._contexts = dict(contexts or {})
        self._want_compiled = compiled
        self._build()

    @classmethod
    def from_taxonomy(cls, tax: Taxonomy, *, compiled: bool | None = None) -> Matcher:
        """A matcher for every alias of every term of ``tax``."""
        entries = [
            AliasEntry(t.id, str(t.category), a.text, a.case_sensitive, a.needs_context)
            for t in tax.terms
            for a in t.aliases
        ]
        contexts = {t.id: t.context for t in tax.terms if t.context is not None}
        return cls(entries, contexts, compiled=compiled)

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        """Per-alias flat lists, then the compiled scanner or the two automata."""
        if self._want_compiled and _Scanner is None:
            raise ImportError("skillgauge.extract._hotloop is not compiled in this installation")
        entries = self._entries
        judges = {tid: ContextJudge(rule) for tid, rule in self._contexts.items()}
        self._judges = judges
        # Per alias index: what steps 3-4 and the Mentions need.
        self._tid = [e.term_id for e in entries]
        self._cat = [e.category for e in entries]
        self._ctx = [e.needs_context for e in entries]
        self._judge = [judges.get(e.term_id) if e.needs_context else None for e in entries]
        self._raw = [e.text.encode("utf-8", "surrogatepass") for e in entries]
        self._cs = [e.case_sensitive for e in entries]
        self._scanner: Any = None
        self._decider: Any = None
        self._compiled_find: Any = None
        if _Decider is not None and self._want_compiled is not False and entries:
            self._decider = _build_decider(entries, judges)
        self._ac: Any = None
        self._ac_short: Any = None
        self._ac_all: Any = None  # the overlapping automaton of the exact path, built on first use
        if not entries:
            return
        ascii_only = all(r.isascii() for r in self._raw)
        if self._want_compiled and not ascii_only:
            raise ValueError("the compiled scan needs ASCII aliases")
        if _Scanner is not None and self._want_compiled is not False and ascii_only:
            self._build_compiled()
        else:
            self._build_automata()
        if self._scanner is not None and self._decider is not None and _mention is not Mention:
            self._compiled_find = self._decider.mentions

    def _build_compiled(self) -> None:
        assert _Scanner is not None
        cls, ncls, trans, term, depth, flags = _scan_tables([r.lower() for r in self._raw])
        offsets = [0]
        for r in self._raw:
            offsets.append(offsets[-1] + len(r))
        self._scanner = _Scanner(
            cls,
            ncls,
            trans,
            term,
            depth,
            flags,
            b"".join(self._raw),
            array("i", offsets),
            bytes(self._cs),
            bytes(self._ctx),
            _BEFORE,
            _AFTER,
        )

    def _build_automata(self) -> None:
        """Split the aliases between the two automata and compile them."""
        long_patterns: list[bytes] = []
        long_index: list[int] = []
        short_patterns: list[bytes] = []
        short_index: list[int] = []
        for index, entry in enumerate(self._entries):
            raw = self._raw[index]
            if len(raw) <= SHORT_MAX and _BEFORE[raw[0]] == 1 and all(_AFTER[c] == 1 for c in raw):
                # R, C, Go, C#: searched in the original bytes, exact case (or every ASCII case
                # variant of a case-insensitive one), so no "r" inside a word is ever reported.
                variants = [entry.text] if entry.case_sensitive else _case_variants(entry.text)
                for v in variants:
                    short_patterns.append(v.encode())
                    short_index.append(index)
            else:
                long_patterns.append(raw.lower())
                long_index.append(index)
        self._long_index = long_index
        self._long_patterns = long_patterns
        self._l_risky = _risky_flags(long_patterns)
        ll = ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST
        # DFA: more memory (a few MB for ~1,500 aliases), measured ~1.5x faster than the NFAs.
        dfa = ahocorasick_rs.Implementation.DFA
        if long_patterns:
            self._ac = ahocorasick_rs.BytesAhoCorasick(
                long_patterns, matchkind=ll, implementation=dfa
            )
        self._short_index = short_index
        if short_patterns:
            self._ac_short = ahocorasick_rs.BytesAhoCorasick(short_patterns, matchkind=ll)

    def __getstate__(self) -> dict[str, Any]:
        return {"entries": self._entries, "contexts": self._contexts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._entries = tuple(state["entries"])
        self._contexts = dict(state["contexts"])
        self._want_compiled = None  # the receiving process uses what it has
        self._build()

    @property
    def entries(self) -> tuple[AliasEntry, ...]:
        """Every alias the matcher looks for."""
        return self._entries

    @property
    def contexts(self) -> dict[str, ContextRule]:
        """Term id -> its context rule."""
        return dict(self._contexts)

    @property
    def compiled(self) -> bool:
        """Whether this matcher uses the compiled scan."""
        return self._scanner is not None

    # -- steps 1-3 -----------------------------------------------------------------------------

    def _scan(self, text: str) -> tuple[list[Candidate], int]:
        """Steps 1-3: ``([(start, end, alias index)], n)`` in character offsets, sorted, with
        ``n`` the number of candidates that need a context rule."""
        scanner = self._scanner
        if scanner is not None:
            result: tuple[list[Candidate], int] = scanner.scan(text)
            return result
        if self._ac is None and self._ac_short is None:
            return [], 0
        data = text.encode("utf-8", "surrogatepass")
        chosen = self._chosen(data)
        ctx = self._ctx
        out: list[Candidate] = []
        if len(data) == len(text):  # ASCII: byte offsets are character offsets
            out = [c for c in chosen if c[2] >= 0]
        else:
            # UTF-8: convert the (sorted) byte offsets to characters, decoding each gap once.
            last_b = last_c = 0
            for s, e, index in chosen:
                if index < 0:
                    continue
                cs = last_c + len(data[last_b:s].decode("utf-8", "surrogatepass"))
                ce = cs + len(data[s:e].decode("utf-8", "surrogatepass"))
                out.append((cs, ce, index))
                last_b, last_c = e, ce
        return out, sum(1 for c in out if ctx[c[2]])

    def candidates(self, text: str) -> list[tuple[int, int, AliasEntry]]:
        """Steps 1-3: non-overlapping ``(start, end, alias)`` in character offsets, sorted."""
        entries = self._entries
        return [(s, e, entries[i]) for s, e, i in self._scan(text)[0]]

    def _chosen(self, data: bytes) -> list[Candidate]:
        """Step 2's choice in byte offsets; an alias dropped by the case rule has index -1.

        A dropped match keeps its place until both passes are merged: chosen in step 2 and then
        dropped, it still hides the shorter aliases it overlaps.
        """
        main = self._main_pass(data)
        if main is None:
            main = self._exact_pass(data)
        short = self._short_pass(data)
        if not short:
            return main
        if not main:
            return short
        # Merge two sorted, internally non-overlapping lists; on overlap the leftmost (then the
        # longest) wins, which is step 2 over their union.
        merged = sorted(main + short, key=lambda c: (c[0], -c[1]))
        out: list[Candidate] = []
        last_end = -1
        for cand in merged:
            if cand[0] >= last_end:
                out.append(cand)
                last_end = cand[1]
        return out

    def _main_pass(self, data: bytes) -> list[Candidate] | None:
        """Leftmost-longest automaton pass over the folded bytes; ``None``: redo on the exact path.

        Hot loop, deliberately inlined: byte-class table lookups instead of calls; non-ASCII
        neighbours (class 2) are decoded only when met.
        """
        ac = self._ac
        if ac is None:
            return []
        low = data.lower()
        n = len(low)
        before_cls = _BEFORE
        after_cls = _AFTER
        cs = self._cs
        raw = self._raw
        l_risky = self._l_risky
        l_index = self._long_index
        out: list[Candidate] = []
        for p, s, e in ac.find_matches_as_indexes(low):
            if s:
                k = before_cls[low[s - 1]]
                if k and (k == 1 or _word_before(data, s)):
                    if l_risky[p]:
                        return None  # a failed multi-token alias may hide a valid match
                    continue
            if e < n:
                k = after_cls[low[e]]
                if k and (k == 1 or _word_after(data, e)):
                    if l_risky[p]:
                        return None
                    continue
            # boundary-valid: chosen by step 2, whatever the case rule says next
            index = l_index[p]
            if cs[index] and data[s:e] != raw[index]:
                index = -1
            out.append((s, e, index))
        return out

    def _short_pass(self, data: bytes) -> list[Candidate]:
        """The one- and two-character aliases, matched with their case over the original bytes."""
        ac = self._ac_short
        if ac is None:
            return []
        n = len(data)
        before_cls = _BEFORE
        after_cls = _AFTER
        s_index = self._short_index
        out: list[Candidate] = []
        for p, s, e in ac.find_matches_as_indexes(data):
            if s:
                k = before_cls[data[s - 1]]
                if k and (k == 1 or _word_before(data, s)):
                    continue
            if e < n:
                k = after_cls[data[e]]
                if k and (k == 1 or _word_after(data, e)):
                    continue
            out.append((s, e, s_index[p]))
        return out

    def _exact_pass(self, data: bytes) -> list[Candidate]:
        """Step 2 done the slow, obviously-right way: all occurrences, filter, greedy choice."""
        if self._ac_all is None:
            self._ac_all = ahocorasick_rs.BytesAhoCorasick(
                self._long_patterns, matchkind=ahocorasick_rs.MATCHKIND_STANDARD
            )
        low = data.lower()
        n = len(low)
        valid: list[tuple[int, int, int]] = []
        for p, s, e in self._ac_all.find_matches_as_indexes(low, overlapping=True):
            if s:
                k = _BEFORE[low[s - 1]]
                if k and (k == 1 or _word_before(data, s)):
                    continue
            if e < n:
                k = _AFTER[low[e]]
                if k and (k == 1 or _word_after(data, e)):
                    continue
            valid.append((s, e, p))
        valid.sort(key=lambda c: (c[0], -c[1]))
        out: list[Candidate] = []
        last_end = -1
        for s, e, p in valid:
            if s < last_end:
                continue
            last_end = e
            index = self._long_index[p]
            if self._cs[index] and data[s:e] != self._raw[index]:
                index = -1
            out.append((s, e, index))
        return out

    # -- step 4 and the results ----------------------------------------------------------------

    def _nearby(self, cands: list[Candidate]) -> Nearby:
        """The context-free candidates (all of them are accepted mentions)."""
        ctx = self._ctx
        cat = self._cat
        free = [c for c in cands if not ctx[c[2]]]
        return Nearby([c[0] for c in free], [c[1] for c in free], [cat[c[2]] for c in free])

    def _decide(self, text: str, cands: list[Candidate]) -> list[Candidate]:
        """Step 4: the candidates that survive the context rules (some need one)."""
        decider = self._decider
        if decider is not None:
            kept: list[Candidate] = decider.decide(text, cands)
            return kept
        nearby = self._nearby(cands)
        judge = self._judge
        ctx = self._ctx
        out: list[Candidate] = []
        for cand in cands:
            index = cand[2]
            if ctx[index]:
                j = judge[index]
                if j is None or not j.accepts(text, cand[0], cand[1], nearby):
                    continue
            out.append(cand)
        return out

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, sorted by start (offsets are into ``text``)."""
        if not text:
            return []
        compiled = self._compiled_find
        if compiled is not None:  # scan, rules and Mentions in compiled code
            found: list[Mention] = compiled(text, *self._scanner.scan(text))
            return found
        cands, n_ctx = self._scan(text)
        if n_ctx:
            cands = self._decide(text, cands)
        tid = self._tid
        mk = _mention
        return [mk(tid[i], s, e, text[s:e]) for s, e, i in cands]

    def term_ids(self, text: str) -> set[str]:
        """The set of term ids found in ``text`` (posting level).

        Faster than ``find``: no ``Mention`` objects. The compiled context rules decide every
        candidate; without them, an ambiguous alias of a term already found by any alias is not
        judged again.
        """
        if not text:
            return set()
        cands, n_ctx = self._scan(text)
        tid = self._tid
        if not n_ctx:
            return {tid[c[2]] for c in cands}
        if self._decider is not None:
            return {tid[c[2]] for c in self._decider.decide(text, cands)}
        ctx = self._ctx
        found = {tid[c[2]] for c in cands if not ctx[c[2]]}
        pending = [c for c in cands if ctx[c[2]] and tid[c[2]] not in found]
        if not pending:
            return found
        nearby = self._nearby(cands)
        judge = self._judge
        for s, e, index in pending:
            t = tid[index]
            if t in found:
                continue
            j = judge[index]
            if j is not None and j.accepts(text, s, e, nearby):
                found.add(t)
        return found

    def find_many(self, texts: Sequence[str]) -> list[list[Mention]]:
        """``find`` over many texts (one list per text, in order)."""
        find = self.find
        return [find(t) for t in texts]

    def find_columns(self, texts: Sequence[str]) -> FoundColumns:
        """``find`` over many texts, flat: what ``find_many`` finds, as parallel columns (text
        index, term id, start, end, surface) and no ``Mention`` objects.

        Why: the pipeline's workers only flatten the mentions again to ship them (one object per
        mention, about 150,000 per batch, built and then taken apart).
        """
        rows: list[int] = []
        terms: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        surfaces: list[str] = []
        tid = self._tid
        scan = self._scan
        decide = self._decide
        for i, text in enumerate(texts):
            if not text:
                continue
            cands, n_ctx = scan(text)
            if n_ctx:
                cands = decide(text, cands)
            if not cands:
                continue
            rows.extend([i] * len(cands))
            for s, e, index in cands:
                terms.append(tid[index])
                starts.append(s)
                ends.append(e)
                surfaces.append(text[s:e])
        return FoundColumns(rows, terms, starts, ends, surfaces)


def _build_decider(entries: Sequence[AliasEntry], judges: dict[str, ContextJudge]) -> Any:
    """The compiled context rules (``_context.Decider``) for ``entries``: ``judges`` as tables.

    A rule whose cues are all ASCII has them as code points (lower case, as ``ContextJudge``
    compiles them); a rule with another cue keeps its cue regex.
    """
    assert _Decider is not None
    categories = sorted(
        {e.category for e in entries} | {c for j in judges.values() for c in j.near_categories}
    )
    code = {c: i for i, c in enumerate(categories)}
    rules = list(judges)
    rule_index = {tid: i for i, tid in enumerate(rules)}
    judge_of = array(
        "i",
        [(rule_index.get(e.term_id, -2) if e.needs_context else -1) for e in entries],
    )
    near = bytearray(len(rules) * len(categories))
    cue_chars = array("I")
    cue_off = array("i", [0])
    cue_first = array("i", [0])
    cue_regex: list[re.Pattern[str] | None] = []
    for r, tid in enumerate(rules):
        judge = judges[tid]
        for c in judge.near_categories:
            near[r * len(categories) + code[c]] = 1
        cues = sorted({c.lower() for c in judge.rule.cues})
        if all(c.isascii() for c in cues):
            for cue in cues:
                cue_chars.extend(ord(ch) for ch in cue)
                cue_off.append(len(cue_chars))
            cue_regex.append(None)
        else:
            cue_regex.append(judge.cue_pattern)
        cue_first.append(len(cue_off) - 1)
    return _Decider(
        judge_of,
        array("i", [code[e.category] for e in entries]),
        array("i", [judges[tid].window for tid in rules]),
        bytes(near),
        len(categories),
        cue_chars,
        cue_off,
        cue_first,
        cue_regex,
        [judges[tid].rejected_before if judges[tid].has_reject_before else None for tid in rules],
        [judges[tid].rejected_after if judges[tid].reject_after else None for tid in rules],
        [e.term_id for e in entries],
        Mention if _mention is not Mention else None,
    )


def trie_regex(words: Sequence[str]) -> str:
    """A regex alternation of ``words`` factored as a trie (``java|javascript`` -> ``java(?:script)?``).

    At each node the longer continuations are tried first, so with look-arounds after it the regex
    engine backtracks to the longest word that satisfies them.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        terminal = "" in node
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and not terminal:
            return branches[0]
        alternation = "(?:" + "|".join(branches) + ")"
        return alternation + "?" if terminal else alternation

    return emit(root)


class ReferenceMatcher:
    """The same semantics as ``Matcher``, written the direct way: one regex trie with look-arounds.

    It is the benchmark's baseline and the tests' oracle: the regex engine's backtracking gives
    "leftmost position with a boundary-valid alias, longest such alias" by construction.
    """

    def __init__(self, matcher: Matcher) -> None:
        self._by_fold = {fold(e.text): e for e in matcher.entries}
        self._judges = {tid: ContextJudge(r) for tid, r in matcher.contexts.items()}
        self._re = re.compile(r"(?<!\w)" + trie_regex(list(self._by_fold)) + r"(?![\w+#])")

    def find(self, text: str) -> list[Mention]:
        low = fold(text)
        cands: list[tuple[int, int, AliasEntry]] = []
        for m in self._re.finditer(low):
            s, e = m.span()
            entry = self._by_fold[m.group()]
            if entry.case_sensitive and text[s:e] != entry.text:
                continue
            cands.append((s, e, entry))
        free = [c for c in cands if not c[2].needs_context]
        nearby = Nearby([c[0] for c in free], [c[1] for c in free], [c[2].category for c in free])
        out = []
        for s, e, entry in cands:
            if entry.needs_context:
                judge = self._judges.get(entry.term_id)
                if judge is None or not judge.accepts(text, s, e, nearby):
                    continue
            out.append(Mention(entry.term_id, s, e, text[s:e]))
        return out
