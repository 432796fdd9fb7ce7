"""Map a record's columns onto skillgauge's fields, typed but not yet cleaned.

Every source names its columns differently ("Job Title", ``jobtitle``, ``position``). Columns are matched
by *normalised* name (lowercase, non-alphanumerics dropped) against ordered lists of common spellings;
the first spelling present wins, so ``description`` beats ``text``. ``--map field=column`` overrides
win over everything. Two *profiles* handle files whose fields are not columns: ``hackernews`` (fields
live in the post's first line, the date is the thread's month) and ``glassdoor`` (``-1`` codes missing
values; the salary is text in "Salary Estimate").

Dates, strictly (a wrong date silently moves a posting to another month of a trend):

* ISO dates and datetimes (offsets allowed), ``YYYY-MM`` (first of the month), epoch seconds or
  milliseconds (numbers or numeric strings; > 10^11 is milliseconds);
* written forms parsed by python-dateutil *without* fuzzy matching: "July 22, 2018", "22 Jul 2018";
* slashed numeric dates: ``YYYY/MM/DD``, and ``a/b/YYYY`` is day-first when ``a > 12``, month-first
  (US) when ``b > 12``; when both are <= 12 it is ambiguous and read month-first, the US convention of
  the scraped boards we read (LinkedIn, Indeed, Glassdoor, Dice are US sites);
* relative forms ("5 hours ago", "30+ days ago", "Reposted 2 weeks ago", "today", "Just posted") and
  Indeed's "save job" (shown instead of an age) are not errors: ``date_posted`` is ``None`` unless the
  mapper was given ``as_of``, and ``date_raw`` keeps the text;
* anything else rejects the record: ``unparseable date '<value>' in column '<col>'``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from skillgauge.clean.salary import find_salary_in_text, parse_salary_text
from skillgauge.exceptions import MappingError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.hn import parse_first_line, thread_month

__all__ = [
    "FIELDS",
    "FieldMapper",
    "detect_profile",
    "is_missing",
    "normalise_column",
    "parse_date",
]

#: Canonical field -> accepted column spellings, in order of preference (already normalised).
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "jobtitle", "position", "positiontitle"),
    "description": (
        "description",
        "jobdescription",
        "descriptionhtml",
        "descriptionplain",
        "content",
        "fullhtml",
        "body",
        "text",
    ),
    "company": (
        "company",
        "companyname",
        "employer",
        "organization",
        "hiringorganization",
    ),
    "location": ("location", "joblocation", "candidaterequiredlocation", "locationname"),
    "remote": ("remote", "isremote"),
    "date_posted": (
        "dateposted",
        "posteddate",
        "postedat",
        "publishedat",
        "publicationdate",
        "firstpublished",
        "createdat",
        "date",
        "timeposted",
        "month",
        "time",
    ),
    "salary": ("salary", "salaryestimate", "salaryrange", "compensation"),
    "salary_min": ("salarymin", "minsalary", "salaryfrom"),
    "salary_max": ("salarymax", "maxsalary", "salaryto"),
    "salary_currency": ("salarycurrency", "currency"),
    "salary_period": ("salaryperiod", "payperiod", "salaryunit"),
    "url": ("url", "joburl", "link", "linkedinurl", "absoluteurl", "applyurl", "hostedurl"),
    "source_id": ("id", "jobid", "uuid"),
    "employment_type": ("employmenttype", "contracttype", "jobtype", "employmentstatus"),
    "seniority_hint": ("seniority", "experiencelevel", "senioritylevel", "joblevel"),
}
_ALIASES = {
    "id": "source_id",
    "seniority": "seniority_hint",
    "date": "date_posted",
    "text": "description",
}

_MISSING = {"-1", "nan", "null", "n/a", "none", ""}
# str.lower never shortens a string, so a stripped value longer than every code is no code: this
# skips lower-casing whole descriptions (a few KB each, twice per record) just to compare them.
_MISSING_MAX = max(map(len, _MISSING))
_RELATIVE_RE = re.compile(
    r"^(?:re-?posted\s+|posted\s+|active\s+)?(?:(?P<n>\d+|an?|one)\+?\s*"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?)"
    r"\s+ago|(?P<word>today|yesterday|just\s+posted|just\s+now|new|save\s+job))\.?$",
    re.IGNORECASE,
)
_GLASSDOOR_RATING = re.compile(r"\s*\n\s*\d(?:\.\d)?\s*$")
_PERIOD_WORDS = {
    "hour": "hour",
    "hourly": "hour",
    "hr": "hour",
    "day": "day",
    "daily": "day",
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "yr": "year",
}


def normalise_column(name: str) -> str:
    """Lowercase, non-alphanumerics dropped: "Job Title" -> "jobtitle"."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def is_missing(value: Any) -> bool:
    """The codes that mean "no value" in our sources: None, NaN, "", "-1" (Glassdoor), "null", "N/A"."""
    if value is None:
        return True
    if isinstance(value, str):  # the common case first
        value = value.strip()
        return len(value) <= _MISSING_MAX and value.lower() in _MISSING
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, int) and not isinstance(value, bool) and value == -1:
        return True
    return isinstance(value, list | dict) and not value


def _text(value: Any) -> str | None:
    """A field as text; lists are joined, objects are read for a name."""
    if value is None:
        return None
    if isinstance(value, str):  # is_missing's test for a string, then the same stripped value
        text: str = value.strip()
        if not text or (len(text) <= _MISSING_MAX and text.lower() in _MISSING):
            return None
        return text
    if is_missing(value):
        return None
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "text", "value", "label", "location"):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, list):
        parts = [t for t in (_text(v) for v in value) if t]
        return ", ".join(parts) or None
    return str(value)


def _epoch(number: float) -> dt.date:
    seconds = number / 1000 if abs(number) >= 1e11 else number
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()


def parse_date(value: Any, as_of: dt.date | None = None) -> tuple[dt.date | None, bool]:
    """Parse a posting date. Returns ``(date, is_relative)``; raises ``ValueError`` when unparseable.

    ``is_relative`` is true for "5 hours ago" and the like (the date is ``None`` without ``as_of``).
    """
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, bool):
        raise ValueError("a boolean is not a date")
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if not math.isfinite(number) or not (1e8 <= abs(number) < 1e14):
            raise ValueError("number out of epoch range")
        return _epoch(number), False
    if not isinstance(value, str):
        raise ValueError("not a date")
    return _parse_date_text(value, as_of)


@lru_cache(maxsize=4096)
def _parse_date_text(value: str, as_of: dt.date | None) -> tuple[dt.date | None, bool]:
    """``parse_date`` of a string. Cached: a file's records share few distinct date strings (often
    one per day or month), and each parse tries several patterns (errors are not cached)."""
    text = " ".join(value.split())
    if re.fullmatch(r"\d{9,10}(?:\.\d+)?|\d{12,13}", text):
        return _epoch(float(text)), False
    rel = _RELATIVE_RE.match(text)
    if rel:
        return _resolve_relative(rel, as_of), True
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return dt.date(int(m.group(1)), int(m.group(2)), 1), False
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date(), False
    except ValueError:
        pass
    if m := re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text):
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), False
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if a > 12 else (b, a)
        return dt.date(year, month, day), False
    if not re.search(r"[A-Za-z]{3}", text) or not re.search(r"\d", text):
        raise ValueError("not a date")
    parsed = date_parser.parse(text, fuzzy=False, default=dt.datetime(1900, 1, 1))
    if parsed.year == 1900:
        raise ValueError("no year")
    return parsed.date(), False


def _resolve_relative(m: re.Match[str], as_of: dt.date | None) -> dt.date | None:
    if as_of is None:
        return None
    word = (m.group("word") or "").lower()
    if word:
        if word == "yesterday":
            return as_of - dt.timedelta(days=1)
        return None if word == "save job" else as_of
    n_text = m.group("n").lower()
    n = 1 if n_text in {"a", "an", "one"} else int(n_text)
    unit = m.group("unit").lower()
    if unit.startswith(("s", "mi", "h")) and not unit.startswith("mo"):
        return as_of
    if unit.startswith("d"):
        return as_of - dt.timedelta(days=n)
    if unit.startswith("w"):
        return as_of - dt.timedelta(weeks=n)
    if unit.startswith("mo"):
        return as_of - relativedelta(months=n)
    return as_of - relativedelta(years=n)


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"true", "yes", "y", "1", "remote", "t", "fully remote", "telecommute"}:
            return True
        if low in {"false", "no", "n", "0", "f", "onsite", "on-site", "office"}:
            return False
    return None


def _amount(value: Any) -> float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = (
            float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
        )
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _clean_company(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return _GLASSDOOR_RATING.sub("", text).strip() or None


def detect_profile(
    columns: Sequence[str], first_payload: Mapping[str, Any] | None = None
) -> str | None:
    """Name the profile a file needs ("hackernews", "glassdoor"), or ``None`` for plain columns."""
    names = {normalise_column(c) for c in columns}
    if first_payload is not None:
        names |= {normalise_column(c) for c in first_payload}
    if {"fullhtml", "month", "url"} <= names or {"text", "threadtitle", "time"} <= names:
        return "hackernews"
    if {"jobtitle", "salaryestimate"} <= names:
        return "glassdoor"
    return None


PROFILES = ("hackernews", "glassdoor", "generic")


@dataclass(frozen=True)
class FieldMapper:
    """Which column feeds which field; :meth:`map` turns a payload into a :class:`MappedPosting`."""

    columns: dict[str, str]
    profile: str | None = None
    as_of: dt.date | None = None
    extra_columns: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def for_columns(
        cls,
        columns: Sequence[str],
        overrides: Mapping[str, str] | None = None,
        profile: str | None = None,
        *,
        as_of: dt.date | None = None,
    ) -> FieldMapper:
        """Build a mapper. ``profile=None`` detects one from the column names; "generic" disables it.

        Raises :class:`MappingError` for an override naming an unknown field or a missing column.
        """
        if profile is None:
            profile = detect_profile(columns)
        elif profile not in PROFILES:
            raise MappingError(f"unknown profile '{profile}'; known: {', '.join(PROFILES)}")
        if profile == "generic":
            profile = None
        by_norm: dict[str, str] = {}
        for col in columns:
            by_norm.setdefault(normalise_column(col), col)
        chosen: dict[str, str] = {}
        for name, spellings in FIELDS.items():
            for spelling in spellings:
                if spelling in by_norm and by_norm[spelling] not in chosen.values():
                    chosen[name] = by_norm[spelling]
                    break
        for raw_field, column in (overrides or {}).items():
            name = _ALIASES.get(raw_field, raw_field)
            if name not in FIELDS:
                raise MappingError(
                    f"--map: unknown field '{raw_field}'; fields are: {', '.join(FIELDS)}"
                )
            if column not in columns:
                raise MappingError(
                    f"--map {raw_field}={column}: no column '{column}' in the file; "
                    f"columns are: {', '.join(map(str, columns))}"
                )
            chosen = {k: v for k, v in chosen.items() if v != column or k == name}
            chosen[name] = column
        used = set(chosen.values())
        extra = tuple(c for c in columns if c not in used)
        return cls(columns=chosen, profile=profile, as_of=as_of, extra_columns=extra)

    def describe(self) -> dict[str, str]:
        """Field -> the column (or rule) that feeds it, for the CLI to print."""
        out = dict(self.columns)
        if self.profile == "hackernews":
            out.update(
                {
                    "title": "first line of the post (role part)",
                    "company": "first line of the post",
                    "location": "first line of the post",
                    "remote": "first line of the post",
                    "salary": "first line of the post",
                    "employment_type": "first line of the post",
                    "date_posted": "the thread's month (month / thread_title; time for direct posts)",
                    "url": "https://news.ycombinator.com/item?id=<id>",
                }
            )
        return out

    def map(self, payload: dict[str, Any]) -> MappedPosting | str:
        """Map one payload; a ``str`` return is the rejection reason."""
        if self.profile == "hackernews":
            return self._map_hn(payload)
        return self._map_generic(payload)

    def _get(self, payload: Mapping[str, Any], name: str) -> Any:
        column = self.columns.get(name)
        if column is None:
            return None
        value = payload.get(column)
        return None if value is None or is_missing(value) else value

    def _extra(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        used = set(self.columns.values())
        return {k: v for k, v in payload.items() if k not in used and not is_missing(v)}

    def _date(self, payload: Mapping[str, Any]) -> tuple[dt.date | None, str | None] | str:
        value = self._get(payload, "date_posted")
        if value is None:
            return None, None
        try:
            date, relative = parse_date(value, self.as_of)
        except (ValueError, OverflowError, OSError):
            return f"unparseable date '{value}' in column '{self.columns['date_posted']}'"
        raw = str(value)
        if not relative and date is not None and raw == date.isoformat():
            return date, None
        return date, raw

    def _salary(self, payload: Mapping[str, Any]) -> Salary | None:
        lo = _amount(self._get(payload, "salary_min"))
        hi = _amount(self._get(payload, "salary_max"))
        currency = _text(self._get(payload, "salary_currency"))
        period_text = _text(self._get(payload, "salary_period"))
        period = _PERIOD_WORDS.get(period_text.lower().strip()) if period_text else None
        text_value = self._get(payload, "salary")
        if lo is None and hi is None and text_value is not None:
            if isinstance(text_value, int | float | Decimal) and not isinstance(text_value, bool):
                amount = _amount(text_value)
                if amount is None:
                    return None
                lo = hi = amount
            else:
                # Ashby: {"compensationTierSummary": "$X - $Y", ...}
                if isinstance(text_value, dict):
                    summaries = [v for k, v in text_value.items() if "summary" in k.lower()]
                    text_value = next((v for v in summaries if isinstance(v, str)), None)
                if not isinstance(text_value, str):
                    return None
                parsed = parse_salary_text(text_value)
                if parsed is None:
                    return None
                return Salary(
                    parsed.min,
                    parsed.max,
                    parsed.currency or (currency.upper() if currency else None),
                    parsed.period or period,
                    parsed.text,
                )
        if lo is None and hi is None:
            return None
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return Salary(lo, hi, currency.upper() if currency else None, period, None)

    def _map_generic(self, payload: dict[str, Any]) -> MappedPosting | str:
        title = _text(self._get(payload, "title"))
        description = _text(self._get(payload, "description"))
        if title is None and description is None:
            return "no title and no text"
        date = self._date(payload)
        if isinstance(date, str):
            return date
        return MappedPosting(
            title=title,
            description=description,
            company=_clean_company(self._get(payload, "company")),
            location=_text(self._get(payload, "location")),
            remote=_bool(self._get(payload, "remote")),
            date_posted=date[0],
            date_raw=date[1],
            salary=self._salary(payload),
            url=_text(self._get(payload, "url")),
            source_id=_text(self._get(payload, "source_id")),
            employment_type=_text(self._get(payload, "employment_type")),
            seniority_hint=_text(self._get(payload, "seniority_hint")),
            extra=self._extra(payload),
        )

    def _map_hn(self, payload: dict[str, Any]) -> MappedPosting | str:
        html = _text(payload.get("full_html")) or _text(payload.get("text"))
        if html is None:
            return "no title and no text"
        header = parse_first_line(html)
        date: dt.date | None = None
        date_raw: str | None = None
        month = payload.get("month")
        title_text = payload.get("thread_title")
        if not is_missing(month):
            date_raw = str(month)
            if m := re.fullmatch(r"(\d{4})-(\d{1,2})", date_raw.strip()):
                date = dt.date(int(m.group(1)), int(m.group(2)), 1)
            else:
                return f"unparseable date '{month}' in column 'month'"
        elif not is_missing(title_text):
            date_raw = str(title_text)
            date = thread_month(date_raw)
            if date is None:
                return f"unparseable date '{title_text}' in column 'thread_title'"
        elif not is_missing(payload.get("time")):
            date_raw = str(payload["time"])
            try:
                day, _ = parse_date(payload["time"])
            except (ValueError, OverflowError, OSError):
                return f"unparseable date '{payload['time']}' in column 'time'"
            date = day.replace(day=1) if day else None
        item_id = _text(payload.get("id"))
        salary = parse_salary_text(header.salary) if header.salary else None
        salary = salary or find_salary_in_text(header.first_line)
        roles = header.roles
        used = {"full_html", "text", "month", "thread_title", "time", "id", "url"}
        extra = {k: v for k, v in payload.items() if k not in used and not is_missing(v)}
        return MappedPosting(
            title=roles.split(" | ")[0] if roles else None,
            description=html,
            company=header.company,
            location=header.location,
            remote=header.remote,
            date_posted=date,
            date_raw=date_raw,
            salary=salary,
            url=f"https://news.ycombinator.com/item?id={item_id}" if item_id else None,
            source_id=item_id,
            employment_type=header.employment_type,
            role_hint=roles,
            extra=extra,
        )
