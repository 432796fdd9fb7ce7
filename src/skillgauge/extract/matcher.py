"""The multi-pattern matcher: every taxonomy alias in a text, in one pass of an Aho-Corasick automaton.

Semantics (docs/matching.md has the long form):

1. The text is case-folded (``context.fold``: ASCII letters only, offsets kept).
2. *Boundary-aware leftmost-longest*: scanning left to right, at the leftmost position where some
   alias occurs with valid token boundaries, the longest such alias is taken; the scan resumes
   after it. Matches never overlap.
3. Case rule: a chosen ``case_sensitive`` alias must equal the original text exactly, else the
   match is dropped (no shorter alias is tried instead).
4. Context rule for ``needs_context`` aliases (``context.ContextJudge``), else dropped.

How it is made fast (figures in docs/matching.md):

* ``ahocorasick_rs.BytesAhoCorasick`` in leftmost-longest mode over the UTF-8 bytes, folded with
  ``bytes.lower`` (ASCII only, memory speed), does step 2 for nearly every text in one pass; Python
  only looks at the occurrences it reports, with table lookups for the boundary test.
* Aliases of one or two word characters (``R``, ``C``, ``Go``, ``C#``) would be reported at every
  ``r``/``c`` inside a word and flood that loop. They go to a second automaton over the *original*
  bytes holding their exact spelling (or every ASCII case variant of a case-insensitive one), so
  only capital ``R``/``C`` are reported; the two sorted lists are merged leftmost-longest.
* Leftmost-longest reports an occurrence before the boundary test. A failed occurrence can hide a
  valid one only if its alias contains a non-word character ("spark sql" in "Spark SQLite" hides
  "spark"). When such a "risky" alias fails, the text is redone on the exact path: all overlapping
  occurrences, filtered, then the leftmost-longest choice in Python. ``ReferenceMatcher`` (a regex
  trie) implements the semantics directly; tests and the benchmark check both agree.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from skillgauge.extract.context import AFTER_FORBIDDEN, ContextJudge, Nearby, fold
from skillgauge.models import Mention
from skillgauge.taxonomy.model import ContextRule, Taxonomy

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


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


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


Candidate = tuple[int, int, "AliasEntry | None"]


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
    """Finds taxonomy terms in texts. Pure (no I/O) and picklable; build once, use many times."""

    def __init__(
        self, entries: Sequence[AliasEntry], contexts: dict[str, ContextRule] | None = None
    ) -> None:
        self._entries = tuple(entries)
        self._contexts = dict(contexts or {})
        self._build()

    @classmethod
    def from_taxonomy(cls, tax: Taxonomy) -> Matcher:
        """A matcher for every alias of every term of ``tax``."""
        entries = [
            AliasEntry(t.id, str(t.category), a.text, a.case_sensitive, a.needs_context)
            for t in tax.terms
            for a in t.aliases
        ]
        contexts = {t.id: t.context for t in tax.terms if t.context is not None}
        return cls(entries, contexts)

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        """Split the aliases between the two automata and compile them."""
        self._judges = {tid: ContextJudge(rule) for tid, rule in self._contexts.items()}
        long_patterns: list[bytes] = []
        long_entries: list[AliasEntry] = []
        short_patterns: list[bytes] = []
        short_entries: list[AliasEntry] = []
        for entry in self._entries:
            raw = entry.text.encode("utf-8", "surrogatepass")
            folded = raw.lower()
            if len(raw) <= SHORT_MAX and _BEFORE[raw[0]] == 1 and all(_AFTER[c] == 1 for c in raw):
                # R, C, Go, C#: searched in the original bytes, exact case (or every ASCII case
                # variant of a case-insensitive one), so no "r" inside a word is ever reported.
                variants = [entry.text] if entry.case_sensitive else _case_variants(entry.text)
                for v in variants:
                    short_patterns.append(v.encode())
                    short_entries.append(entry)
            else:
                long_patterns.append(folded)
                long_entries.append(entry)
        self._long_entries = long_entries
        self._long_patterns = long_patterns
        # Per pattern index, plain lists (indexing a list is the cheapest lookup in the hot loop).
        self._l_raw = [e.text.encode("utf-8", "surrogatepass") for e in long_entries]
        self._l_cs = [e.case_sensitive for e in long_entries]
        self._l_risky = _risky_flags(long_patterns)
        ll = ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST
        # DFA: more memory (a few MB for ~1,500 aliases), measured ~1.5x faster than the NFAs.
        dfa = ahocorasick_rs.Implementation.DFA
        self._ac = (
            ahocorasick_rs.BytesAhoCorasick(long_patterns, matchkind=ll, implementation=dfa)
            if long_patterns
            else None
        )
        self._ac_all: Any = None  # the overlapping automaton of the exact path, built on first use
        self._short_entries = short_entries
        self._ac_short = (
            ahocorasick_rs.BytesAhoCorasick(short_patterns, matchkind=ll)
            if short_patterns
            else None
        )

    def __getstate__(self) -> dict[str, Any]:
        return {"entries": self._entries, "contexts": self._contexts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._entries = tuple(state["entries"])
        self._contexts = dict(state["contexts"])
        self._build()

    @property
    def entries(self) -> tuple[AliasEntry, ...]:
        """Every alias the matcher looks for."""
        return self._entries

    @property
    def contexts(self) -> dict[str, ContextRule]:
        """Term id -> its context rule."""
        return dict(self._contexts)

    # -- matching ------------------------------------------------------------------------------

    def candidates(self, text: str) -> list[tuple[int, int, AliasEntry]]:
        """Steps 1-3: non-overlapping ``(start, end, alias)`` in character offsets, sorted."""
        data = text.encode("utf-8", "surrogatepass")
        chosen = self._chosen(data)
        if not chosen:
            return []
        if len(data) == len(text):  # ASCII: byte offsets are character offsets
            return [c for c in chosen if c[2] is not None]  # type: ignore[misc]
        # UTF-8: convert the (sorted) byte offsets to characters, decoding each gap once.
        out: list[tuple[int, int, AliasEntry]] = []
        last_b = last_c = 0
        for s, e, entry in chosen:
            if entry is None:
                continue
            cs = last_c + len(data[last_b:s].decode("utf-8", "surrogatepass"))
            ce = cs + len(data[s:e].decode("utf-8", "surrogatepass"))
            out.append((cs, ce, entry))
            last_b, last_c = e, ce
        return out

    def _chosen(self, data: bytes) -> list[Candidate]:
        """Step 2's choice in byte offsets; an alias dropped by the case rule stays as ``None``.

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
        l_cs = self._l_cs
        l_raw = self._l_raw
        l_risky = self._l_risky
        l_entries = self._long_entries
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
            if l_cs[p] and data[s:e] != l_raw[p]:
                out.append((s, e, None))
            else:
                out.append((s, e, l_entries[p]))
        return out

    def _short_pass(self, data: bytes) -> list[Candidate]:
        """The one- and two-character aliases, matched with their case over the original bytes."""
        ac = self._ac_short
        if ac is None:
            return []
        n = len(data)
        before_cls = _BEFORE
        after_cls = _AFTER
        entries = self._short_entries
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
            out.append((s, e, entries[p]))
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
            if self._l_cs[p] and data[s:e] != self._l_raw[p]:
                out.append((s, e, None))
            else:
                out.append((s, e, self._long_entries[p]))
        return out

    def _nearby(self, cands: list[tuple[int, int, AliasEntry]]) -> Nearby:
        free = [c for c in cands if not c[2].needs_context]
        return Nearby([c[0] for c in free], [c[1] for c in free], [c[2].category for c in free])

    def _decide(
        self, text: str, cands: list[tuple[int, int, AliasEntry]]
    ) -> list[tuple[int, int, AliasEntry]]:
        """Step 4: the candidates that survive the context rules."""
        for cand in cands:  # a plain loop: measured faster than any() over a generator here
            if cand[2].needs_context:
                break
        else:
            return cands
        nearby = self._nearby(cands)
        judges = self._judges
        out: list[tuple[int, int, AliasEntry]] = []
        for cand in cands:
            entry = cand[2]
            if entry.needs_context:
                judge = judges.get(entry.term_id)
                if judge is None or not judge.accepts(text, cand[0], cand[1], nearby):
                    continue
            out.append(cand)
        return out

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, sorted by start (offsets are into ``text``)."""
        if not text:
            return []
        cands = self.candidates(text)
        if not cands:
            return []
        return [Mention(e.term_id, s, t, text[s:t]) for s, t, e in self._decide(text, cands)]

    def term_ids(self, text: str) -> set[str]:
        """The set of term ids found in ``text`` (posting level).

        Faster than ``find``: no ``Mention`` objects, and an ambiguous alias of a term already
        found (by any alias) is not judged again.
        """
        if not text:
            return set()
        cands = self.candidates(text)
        found = {c[2].term_id for c in cands if not c[2].needs_context}
        pending = [c for c in cands if c[2].needs_context and c[2].term_id not in found]
        if not pending:
            return found
        nearby = self._nearby(cands)
        judges = self._judges
        for s, e, entry in pending:
            tid = entry.term_id
            if tid in found:
                continue
            judge = judges.get(tid)
            if judge is not None and judge.accepts(text, s, e, nearby):
                found.add(tid)
        return found

    def find_many(self, texts: Sequence[str]) -> list[list[Mention]]:
        """``find`` over many texts (one list per text, in order)."""
        find = self.find
        return [find(t) for t in texts]


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
