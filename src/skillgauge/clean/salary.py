"""Salary text -> :class:`~skillgauge.models.Salary`.

Job data states pay as free text ("$53K-$91K (Glassdoor est.)", "€60,000 - €75,000 a year",
"$80/hr", "up to $150k"). Two entry points:

* :func:`parse_salary_text` reads a value that is *meant* to be a salary (a salary column, the
  compensation part of an HN first line);
* :func:`find_salary_in_text` looks for one inside free text (an HN first line, a title).

Both are conservative: a bare number is not a salary. An amount counts only with a currency
(symbol or ISO code), a ``k`` suffix, or a stated period ("/hr", "per year"). Wrong salaries are worse
than missing ones because they end up in per-role medians.

Periods: stated ones win. Otherwise amounts of 10,000 or more (after ``k``) are taken as yearly and
smaller ones are left without a period (a monthly or hourly figure cannot be told apart).
"""

from __future__ import annotations

import re

from skillgauge.models import Salary

__all__ = ["find_salary_in_text", "parse_salary_text"]

_SYMBOLS: dict[str, str] = {
    "us$": "USD",
    "ca$": "CAD",
    "c$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "s$": "SGD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "¥": "JPY",
    "₪": "ILS",
    "zł": "PLN",
}
_CODES = (
    "USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|INR|JPY|SGD|ILS|BRL|MXN|ZAR|HKD|CNY|RON|HUF"
)
_CURRENCY_RE = r"(?:US\$|CA\$|AU\$|NZ\$|C\$|A\$|S\$|\$|€|£|₹|¥|₪|\b(?:" + _CODES + r")\b)"
_NUMBER_RE = r"\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    r"(?P<cur1>"
    + _CURRENCY_RE
    + r")?\s*(?P<num>"
    + _NUMBER_RE
    + r")\s*(?P<mult>[kKmM](?![a-zA-Z]))?"
    r"\s*(?P<cur2>\b(?:" + _CODES + r")\b)?",
    re.IGNORECASE,
)
_PERIODS: tuple[tuple[str, str], ...] = (
    (r"(?:/|per|an?|each)\s*(?:hour|hr)s?\b|\bhourly\b|/h\b|\bph\b", "hour"),
    (r"(?:/|per|an?|each)\s*(?:day)\b|\bdaily\b|/d\b", "day"),
    (r"(?:/|per|an?|each)\s*(?:week|wk)\b|\bweekly\b", "week"),
    (r"(?:/|per|an?|each)\s*(?:month|mo|mth)\b|\bmonthly\b", "month"),
    (
        r"(?:/|per|an?|each)\s*(?:year|yr|annum)\b|\bannual(?:ly)?\b|\byearly\b|\bp\.?a\.?(?!\w)"
        r"|\bper\s+annum\b|\bsalary\b",
        "year",
    ),
)
_NOISE = re.compile(r"\((?:glassdoor|employer)\s+est\.?\)", re.IGNORECASE)
_DASHES = re.compile(r"\s*(?:[-‐‑‒–—―]|\bto\b)\s*", re.IGNORECASE)
_APPROX = re.compile(r"~|\bc(?:a|irca)?\.\s*(?=\d)|\bapprox(?:imately|\.)?\s*", re.IGNORECASE)
_UP_TO = re.compile(r"\b(?:up\s*to|max(?:imum)?|until|<)\s*$", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|min(?:imum)?|starting\s+at|at\s+least|>)\s*$", re.IGNORECASE)

# A salary-looking span in free text: a currency or k-suffixed amount, an optional range, a period.
_IN_TEXT = re.compile(
    r"(?:(?:up\s*to|from|starting\s+at)\s+)?"
    r"(?:(?:" + _NUMBER_RE + r")\s*[-–—]\s*" + _CURRENCY_RE + r"?\s*(?:" + _NUMBER_RE + r")\s*[kK]"
    r"(?![\w%])(?:\s*\b(?:" + _CODES + r")\b)?"
    r"|" + _CURRENCY_RE + r"\s*~?\s*(?:" + _NUMBER_RE + r")\s*[kK]?(?![\w%])"
    r"|(?:" + _NUMBER_RE + r")\s*[kK](?![\w%])(?:\s*" + _CURRENCY_RE + r")?"
    r"|(?:" + _NUMBER_RE + r")\s*(?:" + _CODES + r")\b)"
    r"(?:\s*(?:[-‐‑‒–—―]|\bto\b)\s*" + _CURRENCY_RE + r"?\s*~?\s*(?:" + _NUMBER_RE + r")\s*[kK]?"
    r"(?:\s*\b(?:" + _CODES + r")\b)?(?![\w%]))?"
    r"(?:\s*\+)?"
    r"(?:\s*(?:/|per\s+|an?\s+)\s*(?:hour|hr|year|yr|annum|month|mo|week|day)\b)?",
    re.IGNORECASE,
)


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    low = token.lower()
    if low in _SYMBOLS:
        return _SYMBOLS[low]
    return token.upper()


def _number(text: str) -> float:
    """'60,000' / '60.000' / '60 000' -> 60000; '17.50' -> 17.5 (a separator before 3 digits groups)."""
    if re.fullmatch(r"\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+", text):
        return float(re.sub(r"[,.\u202f\u00a0 ]", "", text))
    if re.fullmatch(r"\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+\.\d+", text):
        return float(re.sub(r"[,\u202f\u00a0 ]", "", text))
    return float(text)


def _period(text: str) -> str | None:
    for pattern, period in _PERIODS:
        if re.search(pattern, text, re.IGNORECASE):
            return period
    return None


def parse_salary_text(text: str) -> Salary | None:
    """Parse a value meant to be a salary; ``None`` when it states no usable amount.

    >>> parse_salary_text("$53K-$91K (Glassdoor est.)")
    Salary(min=53000.0, max=91000.0, currency='USD', period='year', text='$53K-$91K (Glassdoor est.)')
    """
    if not isinstance(text, str) or not text.strip():
        return None
    cleaned = _APPROX.sub("", _NOISE.sub(" ", text)).strip()
    amounts = []
    for m in _AMOUNT.finditer(cleaned):
        amounts.append(m)
        if len(amounts) == 2:
            break
    if not amounts:
        return None
    first = amounts[0]
    second = None
    if len(amounts) == 2:
        between = cleaned[first.end() : amounts[1].start()]
        if _DASHES.fullmatch(between) or between.strip() == "":
            second = amounts[1]
    parts = [first] if second is None else [first, second]
    values: list[float] = []
    mults: list[str | None] = [p.group("mult") for p in parts]
    currency = None
    for p in parts:
        currency = currency or _currency(p.group("cur1")) or _currency(p.group("cur2"))
    period = _period(cleaned)
    has_k = any(m and m.lower() == "k" for m in mults)
    if currency is None and not has_k and period is None:
        return None  # a bare number is not a salary
    for p, mult in zip(parts, mults, strict=True):
        try:
            value = _number(p.group("num").strip())
        except ValueError:
            return None
        if mult is None and second is not None and has_k:
            mult = "k"  # "$140-180k": the suffix covers both ends
        if mult and mult.lower() == "k":
            value *= 1_000
        elif mult and mult.lower() == "m":
            value *= 1_000_000
        values.append(value)
    if any(v <= 0 for v in values):
        return None
    lo: float | None
    hi: float | None
    if len(values) == 2:
        lo, hi = sorted(values)
    else:
        before = cleaned[: first.start()]
        after = cleaned[first.end() :]
        if _UP_TO.search(before):
            lo, hi = None, values[0]
        elif _FROM.search(before) or after.lstrip().startswith("+"):
            lo, hi = values[0], None
        else:
            lo = hi = values[0]
    top = max(v for v in (lo, hi) if v is not None)
    if period is None and top >= 10_000:
        period = "year"
    if period == "year" and (top > 2_000_000 or top < 1_000):
        return None  # funding rounds, team sizes, "5k stars": not a yearly salary
    return Salary(min=lo, max=hi, currency=currency, period=period, text=text)


def find_salary_in_text(text: str) -> Salary | None:
    """Find the first salary stated inside free text (e.g. an HN first line), or ``None``."""
    if not isinstance(text, str):
        return None
    for m in _IN_TEXT.finditer(text):
        span = m.group(0)
        tail = text[m.end() : m.end() + 3]
        if re.match(r"\s*%", tail):
            continue  # "0.5%-1%" equity
        found = parse_salary_text(span.strip())
        if found is not None:
            return Salary(found.min, found.max, found.currency, found.period, span.strip())
    return None
