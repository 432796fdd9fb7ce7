"""Mine postings for technology names the taxonomy lacks, ranked for a curator to accept or reject.

Why these signals (each is a column the curator sees, so a rank can be argued with):

* **shape**: technology names are written unlike prose: CamelCase (GraphQL, PostgreSQL), dotted
  (Next.js, ASP.NET, .NET), letters with digits or a plus (S3, EC2, Log4j, C++), acronyms, and
  capitalised n-grams (Unreal Engine). Lowercase ordinary words are never candidates.
* **capitalisation consistency**: the share of mid-sentence occurrences (any casing) written the
  candidate's way. A product name keeps its spelling; an ordinary word capitalised at a sentence
  start or in a heading ("Platform") is mostly lowercase elsewhere.
* **co-occurrence lift**: the share of occurrences with a known term within ``window`` characters,
  over the same share for every candidate-shaped token: technology names come in lists of other
  technology names ("Python, Django, PostgreSQL").
* **own-company share**: postings whose own company field contains the name (a company naming
  itself is not a skill); **header share**: occurrences in the first lines, where boards put company,
  place and role.
* **growth**: postings per 1,000 in the later half of the dated postings over the earlier half,
  with both counts; a name on the rise is worth a curator's look first.

Spans already matched by a term are masked before tokenising, and any form equal (case-folded) to an
alias of the taxonomy is dropped, so candidates are exactly what the vocabulary misses. Pure: the
caller streams :class:`~skillgauge.store.queries.CandidateDocument` s in.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from skillgauge.models import Mention
from skillgauge.store.queries import CandidateDocument
from skillgauge.taxonomy.model import Taxonomy

__all__ = ["Candidate", "CandidateMiner", "mine_candidates", "shape_of"]

TOKEN = re.compile(r"\.?[A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*(?:\+\+|#)?")
URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+")
CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]{2,}")
DOMAIN_END = re.compile(r"\.(?:com|org|net|edu|gov|co|uk|de|fr|html?|php|aspx?)$", re.IGNORECASE)
SENTENCE_END = frozenset(".!?:;|\n•*-–—(\"'[/>")
HEADER_MAX = 200  # a second line longer than this is prose, not a board's header line

#: English function words and the vocabulary of job ads themselves (roles, places, perks): a form
#: made of these is never a technology. Kept short and explicit; consistency does the rest.
_STOPWORD_TEXT = """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just me
    more most my no nor not now of off on once only or other our ours out over own same she should
    so some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours us via per etc new please apply join work working team teams role roles job jobs company
    our we're you'll we've senior junior lead principal staff head chief director manager engineer
    engineers engineering developer developers development software full stack frontend backend
    front end back remote onsite on-site hybrid office time full-time part-time contract intern
    internship interns visa salary equity benefits hiring location locations city san francisco new
    york london berlin boston seattle austin chicago los angeles bay area usa us uk eu europe
    canada ca ny sf nyc la dc tx wa ma ceo cto cfo coo vp hr pto phd bs ms ba mba inc llc ltd
    gmbh corp series seed startup founder founders cofounder co-founder email apply jobs careers
    website we are you is it about what see read more e.g i.e e.g. i.e. a.k.a vs"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class FindsMentions(Protocol):
    """What the miner needs of a matcher: every accepted mention with its span."""

    def find(self, text: str) -> list[Mention]: ...


@dataclass
class _Stats:
    """Running counts for one case-folded form."""

    surfaces: Counter[str] = field(default_factory=Counter)
    shape: str = ""
    count: int = 0
    docs: int = 0
    near: int = 0
    own: int = 0
    header: int = 0
    mid_same: Counter[str] = field(default_factory=Counter)  # mid-sentence, by surface
    months: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    last_doc: int = -1


@dataclass(frozen=True)
class Candidate:
    """One ranked surface form, with every number its score was computed from."""

    text: str
    shape: str
    count: int
    docs: int
    consistency: float
    near_known: float
    lift: float
    own_company: float
    header: float
    early: int
    late: int
    growth: float
    score: float
    examples: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "shape": self.shape,
            "count": self.count,
            "postings": self.docs,
            "consistency": round(self.consistency, 3),
            "near_known": round(self.near_known, 3),
            "lift": round(self.lift, 2),
            "own_company": round(self.own_company, 3),
            "header": round(self.header, 3),
            "postings_early": self.early,
            "postings_late": self.late,
            "growth": round(self.growth, 2),
            "score": round(self.score, 3),
            "examples": list(self.examples),
        }


SHAPE_PRIOR = {
    "camel": 1.0,
    "dotted": 1.0,
    "alnum": 0.9,
    "acronym": 0.6,
    "capitalised": 0.5,
    "ngram": 0.5,
    "domain": 0.2,
}


def shape_of(token: str) -> str | None:
    """The shape class of one token, or ``None`` for an ordinary (lowercase alphabetic) word."""
    core = token.lstrip(".")
    if "." in token:
        # All-lowercase dotted names are mostly web addresses (acme.io); JS libraries keep ".js".
        return "domain" if token.islower() and not token.endswith(".js") else "dotted"
    if any(c.isdigit() for c in core) or core.endswith(("+", "#")):
        return "alnum"
    if CAMEL.search(core):
        return "camel"
    if core.isupper() and len(core) >= 2:
        return "acronym"
    if core[:1].isupper():
        return "capitalised"
    return None


class CandidateMiner:
    """Accumulates statistics over documents (``add``), then ranks (``ranked``).

    ``known`` is every alias of the taxonomy, case-folded; ``matcher`` masks matched spans.
    """

    def __init__(
        self,
        matcher: FindsMentions,
        known: Iterable[str],
        *,
        window: int = 50,
        max_ngram: int = 3,
    ) -> None:
        self.matcher = matcher
        self.known = frozenset(k.lower() for k in known)
        self.window = window
        self.max_ngram = max_ngram
        self.stats: dict[str, _Stats] = {}
        self.lower_mid: Counter[str] = Counter()  # mid-sentence lowercase occurrences per key
        self.months: Counter[str] = Counter()  # dated postings per month
        self.docs = 0
        self.occurrences = 0
        self.occurrences_near = 0
        self._touched: set[str] = set()

    @classmethod
    def for_taxonomy(cls, tax: Taxonomy, matcher: FindsMentions, **kw: Any) -> CandidateMiner:
        return cls(matcher, (a.text for t in tax.terms for a in t.aliases), **kw)

    def add(self, doc: CandidateDocument) -> None:
        """Count one posting's candidate occurrences."""
        index = self.docs
        self.docs += 1
        text = doc.text
        month = doc.date_posted.strftime("%Y-%m") if doc.date_posted else None
        if month:
            self.months[month] += 1
        mentions = sorted((m.start, m.end) for m in self.matcher.find(text))
        masked = _mask(text, mentions)
        starts = [s for s, _ in mentions]
        ends_max = _running_max([e for _, e in mentions])
        company = (doc.company or "").lower()
        header_end = _header_end(text)
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(masked)]
        self._touched.clear()
        for i, (start, end, tok) in enumerate(tokens):
            mid = not _sentence_initial(masked, start)
            shape = shape_of(tok)
            key = tok.lower()
            if shape is None:
                if mid:
                    self.lower_mid[key] += 1
                continue
            if self._rejected(tok, key):
                continue
            near = _near(starts, ends_max, start, end, self.window)
            self.occurrences += 1
            self.occurrences_near += near
            self._record(key, tok, shape, index, start, end, near, mid, text, company, header_end)
            self._record_ngrams(
                tokens, i, masked, index, text, company, header_end, starts, ends_max
            )
        if month:
            for key in self._touched:
                self.stats[key].months[month] += 1

    def _rejected(self, tok: str, key: str) -> bool:
        core = key.lstrip(".")
        return (
            len(core) < 2
            or (key.startswith(".") and len(core) <= 3 and tok.islower())  # a bare TLD
            or key in self.known
            or core in self.known
            or key in STOPWORDS
            or core.isdigit()
            or bool(DOMAIN_END.search(key))
        )

    def _record(
        self,
        key: str,
        surface: str,
        shape: str,
        index: int,
        start: int,
        end: int,
        near: bool,
        mid: bool,
        text: str,
        company: str,
        header_end: int,
    ) -> None:
        st = self.stats.get(key)
        if st is None:
            st = self.stats[key] = _Stats(shape=shape)
        st.surfaces[surface] += 1
        st.count += 1
        st.near += near
        st.header += start < header_end
        if mid:
            st.mid_same[surface] += 1
        if st.last_doc != index:
            st.last_doc = index
            self._touched.add(key)
            st.docs += 1
            st.own += bool(company) and key.lstrip(".") in company
            if len(st.examples) < 2:
                snippet = _snippet(text, start, end)
                if snippet not in st.examples:  # reposts of one ad repeat the same sentence
                    st.examples.append(snippet)

    def _record_ngrams(
        self,
        tokens: Sequence[tuple[int, int, str]],
        i: int,
        masked: str,
        index: int,
        text: str,
        company: str,
        header_end: int,
        starts: list[int],
        ends_max: list[int],
    ) -> None:
        """Capitalised n-grams starting at token ``i``: consecutive shaped tokens separated by one
        space each; the first and last may not be stopwords."""
        start = tokens[i][0]
        if tokens[i][2].lower() in STOPWORDS:
            return
        for j in range(i + 1, min(i + self.max_ngram, len(tokens))):
            prev_end, (s, e, tok) = tokens[j - 1][1], tokens[j]
            if masked[prev_end:s] != " " or shape_of(tok) is None:
                return
            if tok.lower() in STOPWORDS:
                continue
            surface = masked[start:e]
            key = surface.lower()
            if key in self.known:
                continue
            near = _near(starts, ends_max, start, e, self.window)
            mid = not _sentence_initial(masked, start)
            self._record(
                key, surface, "ngram", index, start, e, near, mid, text, company, header_end
            )

    def ranked(self, *, min_docs: int = 3, top: int | None = 50) -> list[Candidate]:
        """Candidates in at least ``min_docs`` postings, best score first."""
        base = self.occurrences_near / self.occurrences if self.occurrences else 0.0
        early_months, late_months = _split_months(self.months)
        n_early = sum(self.months[m] for m in early_months) or 1
        n_late = sum(self.months[m] for m in late_months) or 1
        out: list[Candidate] = []
        for key, st in self.stats.items():
            if st.docs < min_docs:
                continue
            surface, _ = st.surfaces.most_common(1)[0]
            mid_total = sum(st.mid_same.values()) + self.lower_mid.get(key, 0)
            consistency = st.mid_same[surface] / mid_total if mid_total else 0.5
            near_share = st.near / st.count
            lift = near_share / base if base else 1.0
            early = sum(st.months[m] for m in early_months)
            late = sum(st.months[m] for m in late_months)
            growth = ((late + 0.5) / n_late) / ((early + 0.5) / n_early)
            own = st.own / st.docs
            header = st.header / st.count
            score = (
                math.log1p(st.docs)
                * SHAPE_PRIOR[st.shape]
                * consistency**2
                * math.sqrt(min(max(lift, 0.25), 4.0))
                * (1.0 - own)
                * (1.0 - 0.7 * header)
                * min(max(growth, 0.5), 2.0) ** 0.25
            )
            out.append(
                Candidate(
                    text=surface,
                    shape=st.shape,
                    count=st.count,
                    docs=st.docs,
                    consistency=consistency,
                    near_known=near_share,
                    lift=lift,
                    own_company=own,
                    header=header,
                    early=early,
                    late=late,
                    growth=growth,
                    score=score,
                    examples=tuple(st.examples),
                )
            )
        out.sort(key=lambda c: (-c.score, -c.docs, c.text))
        return _drop_contained(out, top)


def mine_candidates(
    docs: Iterable[CandidateDocument],
    tax: Taxonomy,
    matcher: FindsMentions,
    *,
    min_docs: int = 3,
    top: int | None = 50,
    window: int = 50,
) -> list[Candidate]:
    """Rank the surface forms of ``docs`` that no term of ``tax`` covers (see the module doc)."""
    miner = CandidateMiner.for_taxonomy(tax, matcher, window=window)
    for doc in docs:
        miner.add(doc)
    return miner.ranked(min_docs=min_docs, top=top)


def _drop_contained(ranked: list[Candidate], top: int | None) -> list[Candidate]:
    """One entry per name: a form whose words are inside another's (or contain them), with at
    least 80% of its postings, is the same name seen twice ("Unreal" / "Unreal Engine"). The longer
    form is kept, at the better rank of the two. Stops once ``top`` are kept."""
    kept: list[Candidate] = []
    for cand in ranked:
        if top is not None and len(kept) >= top:
            break
        words = cand.text.lower().split(" ")
        related = [
            i
            for i, other in enumerate(kept)
            if _contains(words, other.text.lower().split(" "))
            and min(cand.docs, other.docs) >= 0.8 * max(cand.docs, other.docs)
        ]
        if not related:
            kept.append(cand)
        elif all(len(words) > len(kept[i].text.split(" ")) for i in related):
            kept[related[0]] = cand
            for i in reversed(related[1:]):
                del kept[i]
    return kept


def _contains(a: list[str], b: list[str]) -> bool:
    """Is one word sequence a contiguous part of the other?"""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Matched spans, URLs and e-mail addresses replaced by spaces (offsets kept)."""
    chars = list(URLISH.sub(lambda m: " " * len(m.group()), text))
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _running_max(values: list[int]) -> list[int]:
    out: list[int] = []
    best = -1
    for v in values:
        best = max(best, v)
        out.append(best)
    return out


def _near(starts: list[int], ends_max: list[int], start: int, end: int, window: int) -> bool:
    """Is a known mention within ``window`` characters of [start, end)? Mentions are sorted by
    start; ``ends_max`` is the running maximum of their ends."""
    hi = bisect.bisect_left(starts, end + window)
    return hi > 0 and ends_max[hi - 1] > start - window


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in SENTENCE_END


def _header_end(text: str) -> int:
    first = text.find("\n")
    if first < 0:
        return min(len(text), HEADER_MAX)
    second = text.find("\n", first + 1)
    second = len(text) if second < 0 else second
    return second if second - first <= HEADER_MAX else first


def _split_months(months: Counter[str]) -> tuple[list[str], list[str]]:
    """Months before / from the one in which half of the dated postings have been seen."""
    ordered = sorted(months)
    total = sum(months.values())
    seen = 0
    for i, m in enumerate(ordered):
        seen += months[m]
        if seen * 2 >= total:
            return ordered[: i + 1], ordered[i + 1 :]
    return ordered, []


def _snippet(text: str, start: int, end: int, width: int = 45) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    body = " ".join(text[left:right].split())
    return ("…" if left else "") + body + ("…" if right < len(text) else "")
