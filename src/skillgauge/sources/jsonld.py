"""schema.org ``JobPosting`` records inside HTML pages (JSON-LD ``<script>`` blocks).

Many career pages embed their postings as JSON-LD for search engines. The structure varies: one
object, a list, an ``@graph``, a posting nested under ``mainEntity``; ``@type`` as a string or a list.
We walk all of it and flatten each posting into a payload whose keys the field mapper already knows
(``title``, ``description``, ``company``, ``location``, ``date_posted``, ``salary_min`` ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["extract_job_postings", "scan_job_postings"]

_SCRIPT_RE = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/ld\+json[^>]*>(?P<body>.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)


def _is_job_posting(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(
        isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting"
        for k in names
    )


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 50:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        if _is_job_posting(node):
            yield node
            return
        for value in node.values():
            if isinstance(value, dict | list):
                yield from _walk(value, depth + 1)


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _place(value: Any) -> str | None:
    """A Place / PostalAddress (or a list of them) as "locality, region, country"."""
    if isinstance(value, list):
        places = [p for p in (_place(v) for v in value) if p]
        return " / ".join(dict.fromkeys(places)) or None
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    address = value.get("address", value)
    if isinstance(address, str):
        return address.strip() or None
    if not isinstance(address, dict):
        return _name(value)
    parts = [
        _name(address.get(key)) for key in ("addressLocality", "addressRegion", "addressCountry")
    ]
    joined = ", ".join(p for p in parts if p)
    return joined or _name(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("value", value.get("name"))
    if isinstance(value, list):
        items = [_scalar(v) for v in value]
        return ", ".join(str(i) for i in items if i is not None) or None
    return value


def _flatten(posting: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": _scalar(posting.get("title")),
        "description": _scalar(posting.get("description")),
        "company": _name(posting.get("hiringOrganization")),
        "location": _place(posting.get("jobLocation")),
        "date_posted": _scalar(posting.get("datePosted")),
        "valid_through": _scalar(posting.get("validThrough")),
        "employment_type": _scalar(posting.get("employmentType")),
        "id": _scalar(posting.get("identifier")),
        "url": _scalar(posting.get("url")),
    }
    location_type = posting.get("jobLocationType")
    if isinstance(location_type, str) and location_type.upper() == "TELECOMMUTE":
        out["remote"] = True
    salary = posting.get("baseSalary")
    if isinstance(salary, dict):
        value = salary.get("value")
        out["salary_currency"] = salary.get("currency")
        if isinstance(value, dict):
            out["salary_min"] = value.get("minValue", value.get("value"))
            out["salary_max"] = value.get("maxValue", value.get("value"))
            out["salary_period"] = value.get("unitText")
        elif isinstance(value, int | float | str):
            out["salary_min"] = out["salary_max"] = value
            out["salary_period"] = salary.get("unitText")
    elif isinstance(salary, int | float | str):
        out["salary"] = salary
    return {k: v for k, v in out.items() if v is not None}


def scan_job_postings(html: str) -> tuple[list[dict[str, Any]], list[str]]:
    """All JobPostings in a page, flattened, plus one error per JSON-LD block that is not JSON."""
    postings: list[dict[str, Any]] = []
    errors: list[str] = []
    for match in _SCRIPT_RE.finditer(html):
        body = match.group("body").strip()
        body = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$", "", body).strip()
        if not body:
            continue
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, RecursionError) as exc:
            errors.append(f"malformed JSON-LD: {exc}")
            continue
        postings.extend(_flatten(p) for p in _walk(data))
    return postings, errors


def extract_job_postings(html: str) -> list[dict[str, Any]]:
    """The schema.org JobPostings of an HTML page as flat payload dicts (malformed blocks skipped)."""
    return scan_job_postings(html)[0]
