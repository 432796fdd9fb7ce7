"""Hacker News "Who is hiring?" posts: the first line and the thread month.

HN posts have no fields. By convention the first line (the text before the first ``<p>``) is
``Company | Location | Type | Comp | Role(s)``, in any order, and 2013-era posts often use
``Company - Location - ...``. :func:`parse_first_line` splits that line and decides what each part
is *by its content* (remote/onsite words, place names, "full-time"/"contract", currency or ``k``
amounts, role words such as engineer/developer/scientist) rather than by position, because posters
order the parts freely. What cannot be told stays ``None``: a wrong company or location is worse
than a missing one.

Remote: ``True`` when a part allows remote work ("REMOTE", "Onsite or Remote", "Hybrid/Remote");
``False`` when it says onsite, in-office, hybrid only, "no remote" or "local only"; else ``None``.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import re
from dataclasses import dataclass

__all__ = ["HNHeader", "parse_first_line", "thread_month"]


@dataclass(frozen=True, slots=True)
class HNHeader:
    """What the first line of an HN job post says. ``roles`` joins every role part with " | "."""

    company: str | None
    location: str | None
    remote: bool | None
    salary: str | None
    employment_type: str | None
    roles: str | None
    first_line: str


_MONTHS = {
    name: i
    for i, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_THREAD_RE = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")\s*,?\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)

_TAG_RE = re.compile(r"<[^>]*>")
_P_RE = re.compile(r"<p\b[^>]*>|</p>", re.IGNORECASE)
_URL_RE = re.compile(r"^(?:https?://\S+|(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?)$", re.I)
_PAREN_URL_RE = re.compile(r"\s*\((?:https?://|www\.)[^)]*\)\s*")

_REMOTE_RE = re.compile(
    r"\bremote(?:ly)?\b|\bwfh\b|\bwork from home\b|\banywhere\b|\bdistributed\b", re.I
)
_NOT_REMOTE_RE = re.compile(
    r"\bno\s+remote\b|\bnot\s+remote\b|\bremote\s+not\b|\blocal\s+only\b|\bonsite\s+only\b",
    re.I,
)
_ONSITE_RE = re.compile(
    r"\bon[- ]?site\b|\bin[- ]office\b|\bin[- ]person\b|\bhybrid\b|\blocal\s+only\b|\bno\s+remote\b",
    re.I,
)
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bfull[- ]?time\b|\bfte\b|\bpermanent\b", "full-time"),
    (r"\bpart[- ]?time\b", "part-time"),
    (r"\bcontract(?:or|ors|ing)?\b|\bfreelance\b|\bb2b\b|\bconsulting\b", "contract"),
    (r"\bintern(?:s|ship|ships)?\b|\bco-?op\b", "internship"),
)
_VISA_RE = re.compile(r"\bvisa\b|\bh-?1b\b|\brelocation\b|\bsponsorship\b", re.I)
_COMP_RE = re.compile(
    r"[$€£₹]\s*~?\s*\d|\b\d{2,3}(?:[.,]\d)?\s*[kK]\b|\b(?:USD|EUR|GBP|CAD|CHF)\s*\d|\d\s*(?:USD|EUR|GBP)\b"
    r"|\bequity\b|\bsalary\b|\bcompensation\b|\bDOE\b",
)
_STRONG_ROLE_RE = re.compile(
    r"\b(?:engineers?|engineering|developers?|devs?|programmers?|scientists?|designers?|managers?"
    r"|analysts?|architects?|devops|sres?|cto|vp|head\s+of|directors?|researchers?|administrators?"
    r"|admins?|specialists?|consultants?|recruiters?|marketers?|writers?|technicians?|testers?|swes?"
    r"|sdes?|instructors?|teachers?|founding|full[- ]?stack(?:s)?|front[- ]?end|back[- ]?end|ios|android"
    r"|members?\s+of\s+technical\s+staff|mts|pms?|leads?|positions|roles|hiring|cofounder|co-founder"
    r"|interns?|qa|ml|ai|data)\b",
    re.I,
)
_STATE_RE = re.compile(
    r",\s*(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]"
    r"|T[NX]|UT|V[TA]|W[AVIY]|BC|ON|QC|AB)\b"
)
_PLACES = (
    "usa|us|u\\.s\\.|uk|u\\.k\\.|eu|europe|european|emea|apac|latam|americas|asia|africa|worldwide|global"
    "|united states|united kingdom|england|scotland|wales|the netherlands|holland|canada|germany"
    "|france|netherlands|spain|portugal|italy|israel|india"
    "|australia|switzerland|austria|ireland|sweden|denmark|norway|finland|poland|japan|singapore"
    "|china|brazil|mexico|argentina|colombia|estonia|belgium|czech|romania|ukraine|greece|turkey"
    "|new zealand|south africa|nigeria|kenya|korea|taiwan|vietnam|philippines|indonesia|chile|uruguay"
    "|san francisco|sf|sfo|bay area|silicon valley|south bay|east bay|nyc|new york|ny|la|los angeles"
    "|seattle|boston|austin|chicago|denver|boulder|london|berlin|paris|amsterdam|toronto|vancouver"
    "|montreal|dublin|munich|zurich|zürich|stockholm|tel aviv|bangalore|bengaluru|sydney|melbourne"
    "|palo alto|mountain view|menlo park|sunnyvale|san jose|san mateo|redwood city|oakland|berkeley"
    "|santa monica|santa clara|san diego|washington|dc|d\\.c\\.|atlanta|portland|pittsburgh"
    "|philadelphia|miami|dallas|houston|phoenix|salt lake city|minneapolis|detroit|nashville"
    "|raleigh|durham|baltimore|cambridge|oxford|manchester|edinburgh|barcelona|madrid|lisbon|milan"
    "|rome|copenhagen|oslo|helsinki|warsaw|krakow|prague|vienna|budapest|bucharest|kyiv|kiev|hamburg"
    "|frankfurt|cologne|geneva|lausanne|brussels|rotterdam|utrecht|tokyo|hong kong|shanghai|beijing"
    "|seoul|mumbai|delhi|hyderabad|pune|chennai|ottawa|waterloo|calgary|brooklyn|manhattan|irvine"
    "|pasadena|sacramento|st\\.? louis|kansas city|columbus|cincinnati|cleveland|charlotte|tampa"
    "|orlando|richmond|arlington|ann arbor|madison|new jersey|nj|california|texas|florida|colorado"
    "|massachusetts|virginia|oregon|utah|illinois|georgia|ontario|quebec|bavaria|remote"
)
_PLACE_RE = re.compile(r"(?<![\w.])(?:" + _PLACES + r")(?![\w])", re.I)
_MAX_PART = 120
_AT_RE = re.compile(r"^(?P<role>[^@]+?)\s+@\s+(?P<company>[^(]+?)\s*(?:\((?P<where>[^)]*)\))?$")
_SEP_PIPE = re.compile(r"\s*\|\s*")
_SEP_DASH = re.compile(r"\s+[-–—]\s+|\s+::\s+|\s+•\s+|\s+·\s+")


def thread_month(title: str) -> dt.date | None:
    """The first day of the month a thread title names: "Ask HN: Who is hiring? (January 2026)"."""
    if not isinstance(title, str):
        return None
    m = _THREAD_RE.search(title)
    if m is None:
        return None
    return dt.date(int(m.group(2)), _MONTHS[m.group(1).lower()], 1)


def first_line_text(post_html: str) -> str:
    """The post's first line as plain text: before the first ``<p>``, tags removed, entities decoded."""
    head = _P_RE.split(post_html, maxsplit=1)[0] if post_html else ""
    text = _html.unescape(_TAG_RE.sub("", head))
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())
    return ""


def _employment_type(part: str) -> str | None:
    found = [label for pattern, label in _TYPE_WORDS if re.search(pattern, part, re.I)]
    return ", ".join(dict.fromkeys(found)) or None


def _remote_flag(part: str) -> bool | None:
    if _NOT_REMOTE_RE.search(part):
        return False
    if _REMOTE_RE.search(part):
        return True
    if _ONSITE_RE.search(part):
        return False
    return None


def _residue(part: str) -> str:
    """What is left of a part after remote/onsite/type words and punctuation: a place, if anything."""
    rest = _REMOTE_RE.sub(" ", part)
    rest = _ONSITE_RE.sub(" ", rest)
    rest = re.sub(
        r"\b(?:only|ok|okay|friendly|possible|preferred|first|or|and|also|optional)\b",
        " ",
        rest,
        flags=re.I,
    )
    for pattern, _ in _TYPE_WORDS:
        rest = re.sub(pattern, " ", rest, flags=re.I)
    return re.sub(r"[\W_]+", " ", rest).strip()


def _is_place(part: str) -> bool:
    return bool(_STATE_RE.search(part) or _PLACE_RE.search(part))


def _looks_like_place_name(part: str) -> bool:
    """A short capitalised phrase with no digits: "Palo Alto", "Trondheim" (a fallback guess)."""
    words = part.replace(",", " ").split()
    return (
        0 < len(words) <= 4
        and not any(ch.isdigit() for ch in part)
        and all(w[:1].isupper() or w.lower() in {"&", "or", "and", "de"} for w in words)
    )


def parse_first_line(post_html: str) -> HNHeader:
    """Split an HN post's first line into company, location, remote, salary, type and roles."""
    line = first_line_text(post_html)
    if "|" in line:
        parts = [p for p in _SEP_PIPE.split(line) if p.strip()]
    elif _SEP_DASH.search(line):
        parts = [p for p in _SEP_DASH.split(line) if p.strip()]
    elif (at := _AT_RE.match(line)) and _STRONG_ROLE_RE.search(at.group("role")):
        where = at.group("where") or ""
        return HNHeader(
            company=at.group("company").strip(),
            location=where if where and _is_place(where) else None,
            remote=_remote_flag(where) if where else None,
            salary=None,
            employment_type=_employment_type(where) if where else None,
            roles=at.group("role").strip(),
            first_line=line,
        )
    elif len(line) <= 80:
        parts = [line] if line else []
    else:
        parts = []  # a sentence, not a header: nothing can be told reliably
    long_at = next((i for i, p in enumerate(parts) if len(p) > _MAX_PART), len(parts))
    parts = parts[:long_at]  # a run-on part is prose: the header ended before it
    company: str | None = None
    locations: list[str] = []
    roles: list[str] = []
    types: list[str] = []
    salary: str | None = None
    remote: bool | None = None
    unclassified: list[tuple[int, str]] = []
    for i, raw_part in enumerate(parts):
        part = raw_part.strip().strip(",;:").strip()
        if not part:
            continue
        bare = _PAREN_URL_RE.sub(" ", part).strip()
        if _URL_RE.match(bare) and i > 0:
            continue
        flag = _remote_flag(part)
        if flag is not None and remote is not True:
            remote = flag
        kind = _employment_type(part)
        if (
            _COMP_RE.search(part)
            and salary is None
            and not _STRONG_ROLE_RE.search(_strip_comp(part))
        ):
            salary = part
            if kind:
                types.append(kind)
            continue
        residue = _residue(part)
        if i == 0 and not kind and flag is None and not (_STATE_RE.search(part)):
            # The first part is the company unless it clearly is something else.
            if _STRONG_ROLE_RE.search(bare) and _role_only(bare):
                roles.append(bare)
            elif _is_exact_place(bare):
                locations.append(bare)
            elif len(bare) <= 60 and not bare.endswith(("?", "!", ".")):
                company = bare or None
            continue
        if _VISA_RE.search(part) and not _STATE_RE.search(part):
            continue
        if kind and not residue:
            types.append(kind)
            continue
        if kind and not _is_place(residue) and len(residue.split()) <= 8:
            types.append(kind)
            roles.append(part)
            continue
        if _is_place(part) or (
            flag is not None and residue and (_is_place(residue) or _looks_like_place_name(residue))
        ):
            if kind:
                types.append(kind)
            if residue or flag is None:
                locations.append(part)
            continue
        if kind:
            types.append(kind)
            continue
        if flag is not None or _VISA_RE.search(part):
            continue
        if _STRONG_ROLE_RE.search(part):
            roles.append(part)
            continue
        unclassified.append((i, part))
    if not locations:
        for _, part in unclassified:
            if _looks_like_place_name(part):
                locations.append(part)
                break
    return HNHeader(
        company=company,
        location=" / ".join(locations) or None,
        remote=remote,
        salary=salary,
        employment_type=", ".join(dict.fromkeys(types)) or None,
        roles=" | ".join(roles) or None,
        first_line=line,
    )


def _strip_comp(part: str) -> str:
    return re.sub(
        r"\b(?:equity|salary|compensation|DOE|per|year|hour|annum)\b", " ", part, flags=re.I
    )


def _role_only(part: str) -> bool:
    """A first part made of role words ("Senior Developer"), not a company name that has one."""
    return bool(
        re.search(
            r"\b(?:engineers?|developers?|scientists?|designers?|programmers?|analysts?"
            r"|architects?|managers?|devops|cto|swe|sre)\b",
            part,
            re.I,
        )
    )


def _is_exact_place(part: str) -> bool:
    """A first part that is only a place ("London, England", "NYC"), never a company name."""
    if _STATE_RE.search(part):
        return True
    pieces = [p.strip() for p in re.split(r"[,/&()]|\bor\b", part) if p.strip()]
    return bool(pieces) and all(_PLACE_RE.fullmatch(p) for p in pieces)
