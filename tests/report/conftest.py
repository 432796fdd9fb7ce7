"""Hand-built reports with known numbers, shared by the report tests as fixtures.

The tests get the builders through fixtures rather than by importing this file (pytest's import
modes differ on whether a test directory is importable). ``make_report`` builds the shares table
the way the store queries do (count/n, 95% Wilson interval, low-n flag against the manifest's
minimum), from a plain {role: (label, n, {term: count})} mapping.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from skillgauge.report.model import Manifest, RoleReport

#: term id -> (label, category)
TERMS: dict[str, tuple[str, str]] = {
    "python": ("Python", "language"),
    "sql": ("SQL", "language"),
    "pytorch": ("PyTorch", "ml-framework"),
    "tensorflow": ("TensorFlow", "ml-framework"),
    "spark": ("Apache Spark", "data"),
    "aws": ("Amazon Web Services (AWS)", "cloud"),
    "docker": ("Docker", "devops"),
    "r": ("R", "language"),
}

#: role id -> (label, n, {term: count}); numbers chosen so the first role's order is known:
#: python 410 > pytorch 300 > tensorflow 250 > sql 200 = aws 200 (tie: label) > docker 120 > spark 90 > r 15
ROLES: dict[str, tuple[str, int, dict[str, int]]] = {
    "ml_engineer": (
        "Machine learning engineer",
        660,
        {
            "python": 410,
            "pytorch": 300,
            "tensorflow": 250,
            "sql": 200,
            "aws": 200,
            "docker": 120,
            "spark": 90,
            "r": 15,
        },
    ),
    "data_scientist": (
        "Data scientist",
        1200,
        {
            "python": 900,
            "pytorch": 120,
            "tensorflow": 180,
            "sql": 700,
            "aws": 150,
            "docker": 40,
            "spark": 200,
            "r": 500,
        },
    ),
    "data_engineer": (
        "Data engineer",
        25,
        {
            "python": 18,
            "pytorch": 0,
            "tensorflow": 1,
            "sql": 22,
            "aws": 12,
            "docker": 6,
            "spark": 15,
            "r": 0,
        },
    ),
}


def shares_frame(
    roles: Mapping[str, tuple[str, int, Mapping[str, int]]],
    terms: Mapping[str, tuple[str, str]],
    min_n: int = 30,
) -> pd.DataFrame:
    """The shares table as the store queries build it, one row per (role, term)."""
    rows = []
    for role, (role_label, n, counts) in roles.items():
        for term, (label, category) in terms.items():
            count = counts.get(term, 0)
            if n:
                lo, hi = proportion_confint(count, n, alpha=0.05, method="wilson")
            else:  # no postings: no share and no interval
                lo = hi = math.nan
            rows.append(
                {
                    "role": role,
                    "role_label": role_label,
                    "term_id": term,
                    "label": label,
                    "category": category,
                    "count": count,
                    "n": n,
                    "share": count / n if n else math.nan,
                    "ci_low": float(lo),
                    "ci_high": float(hi),
                    "low_n": n < min_n,
                }
            )
    return pd.DataFrame(rows)


def make_manifest(**changes: object) -> Manifest:
    """A plausible manifest; keyword arguments replace fields."""
    fields: dict[str, object] = {
        "corpus_postings": 12345,
        "postings_by_role": {"ml_engineer": 660, "data_scientist": 1200, "data_engineer": 25},
        "raw_read": 15000,
        "rejected": 155,
        "duplicates": 2500,
        "date_min": dt.date(2013, 1, 1),
        "date_max": dt.date(2018, 12, 31),
        "sources": [("hn_whoishiring", 9000), ("linkedin_indeed_ca", 3345)],
        "dedup_rule": "exact text hash, then MinHash Jaccard >= 0.9 on 5-shingles",
        "taxonomy_version": "2026.1",
        "taxonomy_hash": "sha256:0123abcd",
        "roles_version": "2026.1",
        "interval_method": "Wilson score interval, 95%",
        "min_n": 30,
        "created_at": dt.datetime(2026, 11, 24, 12, 30, tzinfo=dt.UTC),
        "command": "skillgauge report --role ml_engineer --vs data_scientist --vs data_engineer",
        "skillgauge_version": "0.1.0",
        "database": "skillgauge.duckdb",
    }
    fields.update(changes)
    return Manifest(**fields)  # type: ignore[arg-type]


def make_report(
    roles: Mapping[str, tuple[str, int, Mapping[str, int]]] = ROLES,
    terms: Mapping[str, tuple[str, str]] = TERMS,
    top: int = 20,
    title: str = "Most in-demand technologies: machine learning engineers",
    manifest: Manifest | None = None,
) -> RoleReport:
    """A RoleReport over ``roles`` x ``terms`` with Wilson intervals computed by statsmodels."""
    return RoleReport(
        roles=tuple(roles),
        shares=shares_frame(roles, terms),
        manifest=manifest or make_manifest(),
        top=top,
        title=title,
    )


@pytest.fixture
def report() -> RoleReport:
    """The three-role, eight-term report of ``ROLES`` and ``TERMS``."""
    return make_report()


@pytest.fixture(name="make_report")
def make_report_fixture() -> Callable[..., RoleReport]:
    """``make_report`` for tests that need other roles, terms, title or manifest."""
    return make_report


@pytest.fixture(name="make_manifest")
def make_manifest_fixture() -> Callable[..., Manifest]:
    """``make_manifest``: a plausible manifest, keyword arguments replace fields."""
    return make_manifest


@pytest.fixture(name="shares_frame")
def shares_frame_fixture() -> Callable[..., pd.DataFrame]:
    """``shares_frame``: the shares table of a {role: (label, n, counts)} mapping."""
    return shares_frame


@pytest.fixture
def roles_data() -> dict[str, tuple[str, int, dict[str, int]]]:
    """``ROLES``: role id -> (label, n, {term: count})."""
    return ROLES


@pytest.fixture
def terms_data() -> dict[str, tuple[str, str]]:
    """``TERMS``: term id -> (label, category)."""
    return TERMS
