"""Adzuna's job search API: many countries, needs an app id and key, descriptions are snippets.

``GET /v1/api/jobs/{country}/search/{page}?app_id=&app_key=&results_per_page=&what=&where=``; the
page number is part of the *path* (from 1) and ``count`` says how many jobs match. The id/key pair
(SKILLGAUGE_ADZUNA_APP_ID / SKILLGAUGE_ADZUNA_APP_KEY) can only travel as query parameters, so every
``Page.url`` is rebuilt here without them. ``since`` becomes ``max_days_old`` and ``sort_by=date``.

``description`` is only a snippet (about 500 characters, cut mid-sentence) of the advert, not the
full text: skills found in it undercount, which is why Adzuna rows are best compared only with
themselves. ``salary_is_predicted == "1"`` marks Adzuna's own *estimate*: it is kept in ``extra``
but never used as the posting's salary (a guessed salary would bias per-role medians).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_dict,
    as_text,
    decode_json_object,
    final_page,
    floor_date,
    int_option,
    newer,
    object_list,
)

__all__ = ["CURRENCIES", "AdzunaSource"]

API_ROOT = "https://api.adzuna.com/v1/api/jobs"
MAX_PER_PAGE = 50

#: The currency of each Adzuna country's salaries.
CURRENCIES = {
    "at": "EUR", "au": "AUD", "be": "EUR", "br": "BRL", "ca": "CAD", "ch": "CHF", "de": "EUR",
    "es": "EUR", "fr": "EUR", "gb": "GBP", "in": "INR", "it": "EUR", "mx": "MXN", "nl": "EUR",
    "nz": "NZD", "pl": "PLN", "sg": "SGD", "us": "USD", "za": "ZAR",
}  # fmt: skip


class AdzunaSource:
    """Adzuna (``api.adzuna.com``), one country per source instance."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="adzuna",
        title="Adzuna job search API",
        kind="public-api",
        needs=("SKILLGAUGE_ADZUNA_APP_ID", "SKILLGAUGE_ADZUNA_APP_KEY", "country (gb, us, ...)"),
        terms=(
            "Register at developer.adzuna.com for an app id and key; show 'Jobs by Adzuna' "
            "attribution and link each job through its redirect_url. The free tier is rate "
            "limited (about 25 calls a minute and a daily quota). Descriptions are snippets only."
        ),
        docs="https://developer.adzuna.com/docs/search",
    )

    def __init__(
        self,
        *,
        app_id: str | None = None,
        app_key: str | None = None,
        country: str = "gb",
        what: str | None = None,
        where: str | None = None,
        results_per_page: int | str = MAX_PER_PAGE,
        max_pages: int | str = 20,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        code = country.strip().lower()
        if code not in CURRENCIES:
            raise InputError(f"adzuna: unknown country {country!r}; one of {', '.join(CURRENCIES)}")
        self.country = code
        self._app_id = app_id
        self._app_key = app_key
        self.filters = {k: v for k, v in (("what", what), ("where", where)) if v}
        per_page = int_option(results_per_page, "results_per_page", "adzuna")
        self.results_per_page = max(1, min(per_page, MAX_PER_PAGE))
        self.max_pages = int_option(max_pages, "max_pages", "adzuna")
        self._today = today

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """Pages 1.. (in the path) until ``count`` is covered, a page is empty, or max_pages."""
        if not self._app_id or not self._app_key:
            raise TerminalSourceError(
                self.info.name,
                "needs an app id and key: set SKILLGAUGE_ADZUNA_APP_ID and SKILLGAUGE_ADZUNA_APP_KEY "
                "(free at developer.adzuna.com)",
            )
        public: dict[str, str | int] = {
            **self.filters,
            "results_per_page": self.results_per_page,
            "sort_by": "date",
        }
        floor = floor_date(since, cursor, text_only=True)
        if floor is not None:
            public["max_days_old"] = max((self._today() - floor).days, 0)
        newest = cursor
        pending: Page | None = None
        for page in range(1, self.max_pages + 1):
            url = f"{API_ROOT}/{quote(self.country)}/search/{page}"
            params = {"app_id": self._app_id, "app_key": self._app_key, **public}
            response = fetcher.get(url, source=self.info.name, params=params)
            data = decode_json_object(response.body, self.info.name)
            jobs = object_list(data, "results", self.info.name)
            dates = [d for job in jobs if (d := as_text(job.get("created")))]
            newest = newer(newest, dates)
            if pending is not None:
                yield pending
            pending = Page(url=f"{url}?{urlencode(public)}", body=response.body, board=board)
            count = data.get("count")
            if not jobs or not isinstance(count, int) or page * self.results_per_page >= count:
                break
        yield from final_page(pending, newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``results`` array."""
        return object_list(decode_json_object(body, self.info.name), "results", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job; predicted salaries go to ``extra``, never to ``salary``."""
        title = as_text(record.get("title"))
        description = as_text(record.get("description"))
        if title is None and description is None:
            return "no title and no description"
        lo, hi = (
            as_amount(record.get("salary_min"), finite=False),
            as_amount(record.get("salary_max"), finite=False),
        )
        predicted = str(record.get("salary_is_predicted", "")).strip() in {"1", "true", "True"}
        currency = CURRENCIES.get(self.country)
        salary = (
            Salary(min=lo, max=hi, currency=currency, period="year")
            if (lo or hi) and not predicted
            else None
        )
        location = as_dict(record.get("location"))
        area = location.get("area")
        raw_id = record.get("id")
        types = [t for k in ("contract_time", "contract_type") if (t := as_text(record.get(k)))]
        extra: dict[str, Any] = {
            "category": as_text(as_dict(record.get("category")).get("label")),
            "area": [a for a in area if isinstance(a, str)] if isinstance(area, list) else None,
            "description_is_snippet": True,
        }
        if predicted and (lo or hi):
            extra["predicted_salary"] = {"min": lo, "max": hi, "currency": currency}
        for key in ("latitude", "longitude"):
            if isinstance(record.get(key), int | float) and not isinstance(record.get(key), bool):
                extra[key] = record[key]
        return MappedPosting(
            title=title,
            description=description,
            company=as_text(as_dict(record.get("company")).get("display_name")),
            location=as_text(location.get("display_name")),
            date_posted=as_date(record.get("created"), text_only=True),
            salary=salary,
            url=as_text(record.get("redirect_url")),
            source_id=str(raw_id) if isinstance(raw_id, int | str) and raw_id != "" else None,
            employment_type=", ".join(types) or None,
            extra={k: v for k, v in extra.items() if v},
        )
