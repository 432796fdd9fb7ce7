"""Salary text -> :class:`~skillgauge.models.Salary`.

Job data states pay as free text ("$53K-$91K (Glassdoor est.)", "€60,000 - €75,000 a year",
"$80/hr", "up to $150k", "CHF 120'000 - 140'000", "60.000-80.000 € brutto/Jahr"). Two entry points:

* :func:`parse_salary_text` reads a value that is *meant* to be a salary (a salary column, the
  compensation part of an HN first line);
* :func:`find_salary_in_text` looks for one inside free text - a title, an HN first line or a whole
  posting body. It runs on every posting at ingest, so it is built to be precise and fast: two
  compiled scans whose first character is a fixed set (the regex engine skips everything else in
  C), and per-candidate checks on a small window around the match.

Both are conservative, because a wrong salary ends up in per-role medians and a missing one does not.
An amount counts only with a currency (symbol or ISO code) or a ``k``/``L`` suffix. In free text it
must also be *salary-like*: a stated period ("/hr", "per year", "p.a.", "/Jahr"), or a ``k`` amount
with a currency or a range, or a salary word nearby (salary, compensation, pay, base, OTE, rate,
range, Gehalt, ...), or a header-like position (after ``|``, ``:``, ``(``, a bullet).

Never a salary:

* ``401k`` / ``401(k)`` (a US retirement plan);
* millions and billions ("$20 billion", "$70 million", "$21M Series B") - funding, revenue, markets;
  except in INR/JPY/KRW/HUF/IDR, where a yearly salary in millions is normal ("1 - 3 Million INR");
* an amount next to a funding or money-not-salary word (raised, seed, series, valuation, revenue,
  bonus, stipend, budget, reimbursement, ...) or followed by a count noun ("15k downloads", "5k stars")
  or by ``%`` (equity);
* a plain amount below 10,000 with no ``k``, no period and no salary word ("$1", "$2.7", "$1000").

Ambiguous ranges: a range (or a "+" amount) whose numbers are all below 1,000 with no ``k`` and no
stated period ("$130-$250+ depending on experience", "$100-150+ Equity") is most likely thousands a
year, but may be an hourly or a daily rate; it is read as ``None`` rather than guessed.

Periods: a period stated right after the amount wins ("$92-97 per hour", "USD 120k/year", "€60k p.a."),
then one stated just before it ("Hourly: $92 - $97", "annual base salary ... $X"). Otherwise amounts of
10,000 or more (after ``k``) are taken as yearly and smaller ones are left without a period (a monthly
or hourly figure cannot be told apart).

Ranges: "-", "--", en/em dashes, "~", "to", "bis", and "and"/"und" after "between"/"zwischen"
("between $160,000 and $180,000"). A ``k`` on one end covers the other ("$140-180k").
Number formats: "60,000", "60.000", "60 000", "120'000", "181,440.00"; "CA$" right after a US state
("San Mateo, CA$80/hour") is a dollar sign, not CAD.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from skillgauge.models import Salary

__all__ = ["find_salary_in_text", "parse_salary_text"]

_CODES = (
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "NZD",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "INR",
    "JPY",
    "SGD",
    "ILS",
    "NIS",
    "BRL",
    "MXN",
    "ZAR",
    "HKD",
    "CNY",
    "RON",
    "HUF",
)
_SYMBOLS: dict[str, str] = {
    "us$": "USD",
    "usd$": "USD",
    "ca$": "CAD",
    "c$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "s$": "SGD",
    "r$": "BRL",
    "hk$": "HKD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "¥": "JPY",
    "₪": "ILS",
    "zł": "PLN",
    "nis": "ILS",
}
# Currencies whose yearly salaries run into the millions.
_BIG_UNIT = frozenset({"INR", "JPY", "HUF", "KRW", "IDR"})
_LETTER_TOKENS = sorted(
    [*_CODES, "USD$", "US$", "CA$", "AU$", "NZ$", "HK$", "C$", "A$", "S$", "R$"],
    key=len,
    reverse=True,
)
_CODE_ALT = "|".join(_CODES)
# A currency written before an amount. The scan starts with a character class (so the regex engine
# skips other characters in C), a cheap look-ahead for a digit drops most capitals at once, and a
# letter token must not continue a word ("CSS 3", "ASAP 2").
_CUR_FIRST = (
    r"(?P<c1>[$€£₹¥₪A-Z](?=[A-Z$]{0,3}\s?~?\s?\d)(?:(?<=[$€£₹¥₪])|(?<![A-Za-z].)(?:"
    + "|".join(f"(?<={t[0]}){re.escape(t[1:])}" for t in _LETTER_TOKENS)
    + r")(?![A-Za-z])))"
)
_CUR_ANY = r"(?:[$€£₹¥₪]|(?:USD|US|CA|AU|NZ|HK|C|A|S|R)\$|(?:" + _CODE_ALT + r")(?![A-Za-z]))"
# A number: "60,000" / "60.000" / "60 000" / "120'000" / "181,440.00" / "17.5" / "2500".
_NUM_REST = (
    r"(?:\d{0,2}(?:[,.'’\u202f\u00a0 ]\d{3}(?!\d))+(?:\.\d{1,2}(?!\d))?|\d*(?:\.\d+)?)(?![\d%])"
)
_MULT = (
    r"(?:[kK]|mm|MM|m|M|bn|B|L)(?![A-Za-z])"
    r"|(?:[Mm]illion|[Bb]illion|[Tt]rillion|tn|lakhs?|lacs?|LPA)\b"
)
_CUR_AFTER = r"[€£₹₪$]|zł|(?:" + _CODE_ALT + r")(?![A-Za-z])"
_UNIT = r"/\s?(?:hr|hour|h|yr|year|month|mo|week|day)\b"
_SEP = r"\s*(?P<sep>-{1,2}|[‐‑‒–—―~]|\s(?:to|and|und|bis|through)\s)\s*"
_SECOND = (
    r"(?:\s?(?P<u1>" + _UNIT + r"))?"
    r"(?:" + _SEP + r"(?P<c3>" + _CUR_ANY + r")?\s?~?\s?(?P<n2>\d" + _NUM_REST + r")"
    r"(?:\s?(?P<m2>" + _MULT + r"))?(?:\+?\s?(?P<c4>" + _CUR_AFTER + r"))?)?"
    r"(?P<plus>\+)?"
)
# Scan A: a currency first ("$120k", "USD 90,000 - 110,000", "CHF 120'000 - 140'000").
_SCAN_CUR = re.compile(
    _CUR_FIRST
    + r"\s?~?\s?(?P<n1>\d"
    + _NUM_REST
    + r")(?:\s?(?P<m1>"
    + _MULT
    + r"))?(?:\s?(?P<c2>"
    + _CUR_AFTER
    + r"))?"
    + _SECOND
)
# Scan B: a number first, with a k/L suffix or a currency after ("90-120k", "60.000 € brutto").
_SCAN_NUM = re.compile(
    r"(?P<n1>\d(?<![\w.,'’$€£₹¥₪/#~-]\d)"
    + _NUM_REST
    + r")(?:\s?(?P<m1>[kK](?![A-Za-z])|L(?![A-Za-z])|lakhs?\b|LPA\b|[Mm]illion\b))?"
    r"(?:\s?(?P<c2>" + _CUR_AFTER + r"))?" + _SECOND + r"(?(m1)|(?(c2)|(?(m2)|(?(c4)|(?!)))))"
)
# Which scans can match at all (bit 1: Scan A, bit 2: Scan B), answered by one compiled pass over the
# text (``_salary_hints.pyx``) from necessary conditions of a match:
# - Scan A: a currency symbol ($ € £ ₹ ¥ ₪; every letter token with "$" holds one), or a currency
#   code followed by an optional space, "~" and space, then a digit;
# - Scan B closes only with a multiplier or a currency after a number, and every number in it ends
#   with a digit: so a digit, an optional "+" and space, then a multiplier (k K L m M B mm MM bn,
#   not followed by a letter; million, billion, trillion, tn, lakh, lac, LPA), € £ ₹ ₪ $, zł or a code.
# Most postings fail both, and each scan tries its pattern at every capital letter or digit.
_hints: Callable[[str], int]
try:
    from skillgauge.clean._salary_hints import SalaryHints

    _hints = SalaryHints(_CODES)
except ImportError:  # pragma: no cover - not compiled: both scans always run (same results)

    def _hints(text: str) -> int:
        return 3


_MULTIPLIERS: dict[str, float] = {"k": 1e3, "l": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5}
_MULTIPLIERS |= {"lacs": 1e5, "lpa": 1e5}
_HUGE = frozenset({"m", "mm", "million", "b", "bn", "billion", "trillion", "tn"})

_I = re.IGNORECASE
_NOISE = re.compile(r"\((?:glassdoor|employer)\s+est\.?\)", _I)
_PERIOD_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"/\s?(?:hr|hour|h|std)\b|\bper\s+(?:hour|hr)|\ban\s+(?:hour|hr)\b|\bhourly\b|\bp/?h\b"
            r"|\bpro\s+stunde",
            _I,
        ),
        "hour",
    ),
    (re.compile(r"/\s?(?:day|d|tag)\b|\bper\s+day\b|\ba\s+day\b|\bdaily\b", _I), "day"),
    (re.compile(r"/\s?(?:week|wk)\b|\bper\s+week\b|\ba\s+week\b|\bweekly\b", _I), "week"),
    (
        re.compile(
            r"/\s?(?:month|mo|mth|monat)\b|\bper\s+month\b|\ba\s+month\b|\bmonthly\b"
            r"|\bmonatlich|\bpro\s+monat",
            _I,
        ),
        "month",
    ),
    (
        re.compile(
            r"/\s?(?:year|yr|y|annum|jahr)\b|\bper\s+(?:year|annum|yr)\b|\ba\s+year\b"
            r"|\bannual(?:ly)?\b|\byearly\b|\bp\.\s?a\.?|\bpa\b|\bjährlich|\bpro\s+jahr|\bbrutto/jahr",
            _I,
        ),
        "year",
    ),
)
_PERIOD_BEFORE = re.compile(
    r"(?P<hour>hourly|per\s+hour|stundenlohn)|(?P<month>monthly|per\s+month|monat(?:lich|sgehalt))"
    r"|(?P<year>annual(?:ly)?|yearly|per\s+(?:year|annum)|jahresgehalt)",
    _I,
)
# The closest of these words before an amount decides: salary context or money that is not pay.
_CONTEXT_BEFORE = re.compile(
    r"(?P<pay>salar|compensation|\bcomp\b|\bpay\b|\bpaid\b|\bbase\b|\bOTE\b|\bwages?\b|\brates?\b"
    r"|\brange\b|\bincome|gehalt|\blohn|brutto|netto|\bgross\b|\bearn|remunerat|\bctc\b|\bpackage"
    r"|\bDOE\b|\bTC\b|\boffer)"
    r"|(?P<neg>rais(?:e|ed|es|ing)\b|\bfund(?:ing|ed|raise)|\bseries\b|\bseed\b|valu(?:ation|ed)"
    r"|revenue|\bARR\b|\bGMV\b|backed|invest|capital|assets|\bAUM\b|\bworth"
    r"|market\s+(?:cap|size|value)|bootcamp"
    r"|\bprices?\b|\bcosts?\b|\bspen[dt]|\bsav(?:e|es|ed|ing)\b|budget|bonus|stipend|allowance"
    r"|reimburs|\bgrants?\b|\bprizes?\b|\bfees?\b|credits?|discount|donat|\bloans?\b|\bsales\b"
    r"|\bgift|\bawards?\b|payments|process(?:es|ed|ing)?\b|\bsync|transactions|\bdeals?\b|\brent"
    r"|\bmeals?\b|\bgo(?:es)?\s+for|\bhouses?\b|\bhomes?\b|\bticket|\bbounty|\bdeposit|\bcontract\s+value)",
    _I,
)
_NEG_AFTER = re.compile(
    r"\s*(?:(?:yearly|annual|monthly)\s+)?(?:in\s+|of\s+|worth\s+of\s+)?"
    r"(?:seed|series|round|fund|rais|valuation|market|revenue|ARR"
    r"|GMV|bonus|signing|sign-on|relocation|stipend|budget|allowance|credit|grant|prize|users?\b"
    r"|customers?|downloads?|stars?\b|members?\b|requests?|followers?|subscribers?|visitors?"
    r"|installs?|events?\b|records?\b|lines?\b|rows?\b|people|employees|companies|businesses"
    r"|merchants|developers|engineers|students|patients|transactions|payments|sales|investment"
    r"|ventures?|VC\b|in\s+(?:funding|revenue|sales|payments|assets)|company|industry|AUM|assets"
    r"|monthly\s+active|MAU|DAU|QPS|RPS|TPS|per\s+(?:second|sec|minute|min|request|user|seat)\b"
    r"|/\s?(?:s|sec|second|min|seat|user)\b|education|learning|training|home\s+office|equipment"
    r"|gym|wellness|conference|referral|match)",
    _I,
)
# After a bare k amount (no currency) only these words may follow directly.
_BARE_K_NEXT = re.compile(
    r"\s*(?:[^\w\s]|$|(?:base|salary|per|a|an|annual(?:ly)?|yearly|p\.?a|plus|depending|doe"
    r"|gross|total|ote|range|and|or|with|tc|comp|to|\+)\b)",
    _I,
)
_BETWEEN = re.compile(r"\b(?:between|zwischen)\b[^|\n]{0,40}$", _I)
_UP_TO = re.compile(r"(?:\bup\s*to|\bupto|\bmax(?:imum)?\.?|\buntil|<|\bbis\s+zu)\s*:?\s*$", _I)
_FROM = re.compile(
    r"(?:\bfrom|\bmin(?:imum)?\.?|\bstarting\s+(?:at|from)|\bat\s+least|>|\bab)\s*:?\s*$", _I
)
_HEADER_BEFORE = re.compile(r"(?:^|[|:;(•·*\[/—–\n-])\s*$")
_US_STATE_GLUE = re.compile(r",\s*$")
_GROUPED = re.compile(r"\d{1,3}(?:[,.'’\u202f\u00a0 ]\d{3})+(?:\.\d{1,2})?")
_GROUP_SEP = re.compile(r"[,.'’\u202f\u00a0 ]")
_MIN_PER_PERIOD = {"day": 20.0, "week": 50.0, "month": 100.0}
_WINDOW_BEFORE = 80
_WINDOW_AFTER = 40


_PAY_AFTER = re.compile(r"\s*(?:base|salary|per|/|a\s+year|annual)", _I)
_SALARY_AFTER = re.compile(r"\s*(?:\+\s*)?(?:base|salary|OTE|gross|brutto)\b", _I)
_YEAR_AFTER = re.compile(r"\s*(?:\+\s*)?(?:/|per|a\s+year|annual|p\.?a)", _I)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last match is the closest
        pass
    return found


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    low = token.lower()
    return _SYMBOLS.get(low, token.upper())


def _number(text: str) -> float:
    """'60,000' / '60.000' / '60 000' / "120'000" -> 60000; '17.50' -> 17.5; '1,234.50' -> 1234.5."""
    if _GROUPED.fullmatch(text):
        head, dot, tail = text.rpartition(".")
        if dot and len(tail) <= 2 and _GROUPED.fullmatch(head):
            return float(_GROUP_SEP.sub("", head) + "." + tail)
        return float(_GROUP_SEP.sub("", text))
    return float(text)


def _cut_before(text: str) -> str:
    """The part of a window before an amount that belongs to the same field/line."""
    for stop in ("|", "\n", "•"):
        i = text.rfind(stop)
        if i >= 0:
            text = text[i + 1 :]
    return text


def _cut_after(text: str) -> str:
    for stop in ("|", "\n", "•", ";"):
        i = text.find(stop)
        if i >= 0:
            text = text[:i]
    return text


def _period_in(text: str) -> str | None:
    for pattern, period in _PERIOD_RES:
        if pattern.search(text):
            return period
    return None


def _period_after(after: str, units: str) -> str | None:
    found = _period_in(units) if units else None
    if found is None and after:
        # only the words right after the amount: "per hour", "USD / year", "€ brutto/Jahr", "p.a."
        found = _period_in(after[:28])
    return found


def _evaluate(text: str, m: re.Match[str], meant: bool) -> Salary | None:
    """Judge one scanned candidate; ``meant`` when the whole text is a salary field."""
    start, end = m.span()
    n1, n2 = m.group("n1"), m.group("n2")
    m1, m2 = (m.group("m1") or "").lower(), (m.group("m2") or "").lower()
    c1, c2, c3, c4 = m.group("c1") if "c1" in m.re.groupindex else None, *m.group("c2", "c3", "c4")
    sep = (m.group("sep") or "").strip().lower()
    before = text[max(0, start - _WINDOW_BEFORE) : start]
    if n2 is not None and sep in ("and", "und") and not _BETWEEN.search(before):
        return None  # "$65k and $70k" only counts as a range after "between"
    after_raw = text[end : end + _WINDOW_AFTER]
    if after_raw.lstrip().startswith("%"):
        return None  # equity
    codes = [c for c in (c2, c4) if c and c[0].isalpha()]
    currency = _currency(codes[0] if codes else c1 or c2 or c3 or c4)  # "$70-80K CAD" is CAD
    if c1 and c1.upper() == "CA$" and _US_STATE_GLUE.search(text[max(0, start - 3) : start]):
        currency = "USD"  # "San Mateo, CA$80/hour": a US state glued to a dollar sign
    if "401" in (n1, n2) and ("k" in (m1, m2) or text[end : end + 3].startswith("(k")):
        return None  # a US retirement plan
    huge = m1 in _HUGE or m2 in _HUGE
    if huge and currency not in _BIG_UNIT:
        return None  # funding, revenue, market sizes
    try:
        v1 = _number(n1)
        v2 = _number(n2) if n2 is not None else None
    except ValueError:
        return None
    mult1 = 1e6 if m1 in _HUGE else _MULTIPLIERS.get(m1, 1.0)
    mult2 = 1e6 if m2 in _HUGE else _MULTIPLIERS.get(m2, 1.0)
    has_k = mult1 > 1 or mult2 > 1
    if v2 is not None:
        if m1 == "" and mult2 > 1 and v1 < 1000 and v1 <= v2:
            mult1 = mult2  # "$140-180k": the suffix covers both ends
        elif m2 == "" and mult1 > 1 and v2 < 1000:
            mult2 = mult1
        v2 *= mult2
    v1 *= mult1
    if v1 <= 0 or (v2 is not None and v2 <= 0):
        return None
    if currency is None and {m1, m2} & {"lpa", "l", "lakh", "lakhs", "lac", "lacs"}:
        currency = "INR"
    if currency is None and not has_k:
        return None  # a bare number is not a salary
    after = _cut_after(after_raw)
    units = m.group("u1") or ""
    period = _period_after(after, units)
    near = _cut_before(before)
    if period is None:
        pb = _last(_PERIOD_BEFORE, near[-40:])
        if pb is not None:
            period = pb.lastgroup
    ctx = _last(_CONTEXT_BEFORE, near[-60:])
    negative = ctx is not None and ctx.lastgroup == "neg"
    if negative and not meant and _PAY_AFTER.match(after) is None:
        return None
    if _NEG_AFTER.match(after_raw.lstrip("+ ")) and not meant:
        return None
    salary_word = meant or (ctx is not None and ctx.lastgroup == "pay")
    if not salary_word and _SALARY_AFTER.match(after):
        salary_word = True
    header = _HEADER_BEFORE.search(near) is not None
    values = [v for v in (v1, v2) if v is not None]
    top = max(values)
    if currency is None:
        # "90-120k", "140k+": bare k amounts need a range, a salary word or a header position,
        # and must not be followed by a noun ("15k downloads")
        if not (salary_word or header or period) or not _BARE_K_NEXT.match(after_raw):
            return None
        if v2 is None and not (salary_word or header):
            return None
    if period is None:
        if top >= 10_000:
            period = "year"
        elif not has_k:
            if top < 1000 and not meant:
                return None  # "$130-$250+": thousands a year or an hourly rate? ambiguous
            if not salary_word:
                return None  # "$1000 bonus", "$2.7": money, not pay
        elif not (salary_word or header or meant):
            return None
    elif not (has_k or currency):
        return None
    lone = not meant and not has_k and period == "year" and v2 is None and not salary_word
    if lone and not header and not _YEAR_AFTER.match(after):
        return None  # "$1,000,000 for the year" - a lone full amount needs salary context
    limit = 100_000_000 if currency in _BIG_UNIT else 2_000_000
    if period == "year" and (top > limit or top < 1_000):
        return None  # funding rounds, team sizes, "5k stars": not a yearly salary
    if period == "hour" and not 3 <= top <= 1_000:
        return None  # "$2.7 an hour" is a price, "$5,000 an hour" a fee
    if top < _MIN_PER_PERIOD.get(period or "", 0):
        return None  # "$2.7 a day": a price
    lo: float | None
    hi: float | None
    if v2 is not None:
        lo, hi = sorted((v1, v2))
    elif _UP_TO.search(near):
        lo, hi = None, v1
    elif _FROM.search(near) or m.group("plus"):
        lo, hi = v1, None
    else:
        lo = hi = v1
    span = text[start:end].strip()
    return Salary(min=lo, max=hi, currency=currency, period=period, text=span)


def _candidates(text: str) -> list[re.Match[str]]:
    hints = _hints(text)
    found = list(_SCAN_CUR.finditer(text)) if hints & 1 else []
    numeric = list(_SCAN_NUM.finditer(text)) if hints & 2 else []
    if numeric:
        taken = [(m.start(), m.end()) for m in found]
        found += [
            m for m in numeric if not any(s <= m.start() < e or s < m.end() <= e for s, e in taken)
        ]
        found.sort(key=lambda m: m.start())
    return found


def parse_salary_text(text: str) -> Salary | None:
    """Parse a value meant to be a salary; ``None`` when it states no usable amount.

    >>> parse_salary_text("$53K-$91K (Glassdoor est.)")
    Salary(min=53000.0, max=91000.0, currency='USD', period='year', text='$53K-$91K (Glassdoor est.)')
    """
    if not isinstance(text, str) or not text.strip():
        return None
    cleaned = _NOISE.sub(" ", text)
    for m in _candidates(cleaned):
        found = _evaluate(cleaned, m, meant=True)
        if found is not None:
            return Salary(found.min, found.max, found.currency, found.period, text)
    return None


def find_salary_in_text(text: str) -> Salary | None:
    """Find the first salary stated inside free text (a title, an HN first line, a posting body).

    ``text`` of the result is the matched span ("$92 - $97"); the period may come from the words
    around it ("Hourly: $92 - $97" -> hour).
    """
    if not isinstance(text, str) or not text:
        return None
    for m in _candidates(text):
        found = _evaluate(text, m, meant=False)
        if found is not None:
            return found
    return None
