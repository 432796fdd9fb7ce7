"""RoleReport: the term order every output uses, and the checks that keep a wrong table out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from skillgauge.exceptions import InputError
from skillgauge.report.model import SHARE_COLUMNS, Manifest, RoleReport

Roles = dict[str, tuple[str, int, dict[str, int]]]
Terms = dict[str, tuple[str, str]]


def test_ordered_terms_by_first_role_share_ties_by_label(report: RoleReport) -> None:
    # sql and aws both 200/660: "Amazon Web Services (AWS)" sorts before "SQL".
    assert report.ordered_terms() == [
        "python",
        "pytorch",
        "tensorflow",
        "aws",
        "sql",
        "docker",
        "spark",
        "r",
    ]


def test_ordered_terms_follow_the_first_role_not_the_others(
    make_report: Callable[..., RoleReport], roles_data: Roles
) -> None:
    roles = {k: roles_data[k] for k in ("data_scientist", "ml_engineer")}
    assert make_report(roles=roles).ordered_terms()[:3] == ["python", "sql", "r"]


def test_top_cuts_the_list_and_rows_follow_it(make_report: Callable[..., RoleReport]) -> None:
    report = make_report(top=3)
    assert report.ordered_terms() == ["python", "pytorch", "tensorflow"]
    rows = report.rows()
    assert [r.term_id for r in rows] == ["python", "pytorch", "tensorflow"]
    assert [c.role for c in rows[0].cells] == list(report.roles)
    python_ds = rows[0].cells[1]
    assert (python_ds.count, python_ds.n, python_ds.share) == (900, 1200, 0.75)


def test_role_infos_carry_label_n_and_low_n(report: RoleReport) -> None:
    infos = report.role_infos()
    assert [(i.role, i.n, i.low_n) for i in infos] == [
        ("ml_engineer", 660, False),
        ("data_scientist", 1200, False),
        ("data_engineer", 25, True),
    ]
    assert infos[0].label == "Machine learning engineer"


def test_shares_are_copied_so_later_edits_do_not_leak_in(
    shares_frame: Callable[..., pd.DataFrame],
    make_manifest: Callable[..., Manifest],
    roles_data: Roles,
    terms_data: Terms,
) -> None:
    df = shares_frame(roles_data, terms_data)
    report = RoleReport(tuple(roles_data), df, make_manifest(), 5, "t")
    df.loc[:, "share"] = 0.0
    assert report.rows()[0].cells[0].share == pytest.approx(410 / 660)


def test_rows_of_roles_not_in_the_report_are_ignored(
    shares_frame: Callable[..., pd.DataFrame],
    make_manifest: Callable[..., Manifest],
    roles_data: Roles,
    terms_data: Terms,
) -> None:
    df = shares_frame(roles_data, terms_data)
    report = RoleReport(("ml_engineer",), df, make_manifest(), 20, "t")
    assert set(report.selected_shares()["role"]) == {"ml_engineer"}


def test_a_role_with_no_postings_ranks_as_zero(
    make_report: Callable[..., RoleReport], terms_data: Terms
) -> None:
    roles: Roles = {"empty": ("Empty role", 0, {}), "ds": ("Data scientist", 10, {"sql": 3})}
    df_report = make_report(roles=roles, terms=terms_data)
    rows = df_report.rows()
    assert not rows[0].cells[0].defined
    assert df_report.ordered_terms()[0] == "aws"  # all NaN -> 0, then by label


def _edit(df: pd.DataFrame, edit: str | None) -> pd.DataFrame:
    if edit == "drop_column":
        return df.drop(columns=["ci_low"])
    if edit == "drop_row":
        return df[~((df["role"] == "data_scientist") & (df["term_id"] == "r"))]
    if edit == "duplicate_row":
        return pd.concat([df, df.iloc[[0]]])
    if edit == "count_above_n":
        df.loc[0, "count"] = 10_000
    elif edit == "two_n":
        df.loc[0, "n"] = 661
    return df


@pytest.mark.parametrize(
    ("roles", "edit", "message"),
    [
        ((), None, "at least one role"),
        (("ml_engineer", "ml_engineer"), None, "repeated"),
        (("ml_engineer", "nobody"), None, "no shares rows for role"),
        (("ml_engineer", "a", "b", "c", "d", "e"), None, "at most 5"),
        (("ml_engineer",), "drop_column", "lacks columns"),
        (("ml_engineer", "data_scientist"), "drop_row", "include zero counts"),
        (("ml_engineer",), "duplicate_row", "more than one row"),
        (("ml_engineer",), "count_above_n", "above n"),
        (("ml_engineer",), "two_n", "more than one n"),
    ],
)
def test_bad_tables_are_refused(
    roles: tuple[str, ...],
    edit: str | None,
    message: str,
    shares_frame: Callable[..., pd.DataFrame],
    make_manifest: Callable[..., Manifest],
    roles_data: Roles,
    terms_data: Terms,
) -> None:
    df = _edit(shares_frame(roles_data, terms_data), edit)
    with pytest.raises(InputError, match=message):
        RoleReport(roles, df, make_manifest(), 10, "t")


def test_top_must_be_positive(make_report: Callable[..., RoleReport]) -> None:
    with pytest.raises(InputError, match="top >= 1"):
        make_report(top=0)


def test_manifest_as_dict_is_json_ready_with_iso_dates_in_utc(
    make_manifest: Callable[..., Manifest],
) -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    m = make_manifest(created_at=dt.datetime(2026, 1, 2, 14, 0, tzinfo=plus_two), date_min=None)
    d: dict[str, Any] = m.as_dict()
    json.dumps(d)  # plain types only
    assert d["created_at"] == "2026-01-02T12:00:00+00:00"
    assert d["date_min"] is None
    assert d["date_max"] == "2018-12-31"
    assert d["sources"] == [
        {"name": "hn_whoishiring", "postings": 9000},
        {"name": "linkedin_indeed_ca", "postings": 3345},
    ]
    assert m.period() == "? to 2018-12-31"


def test_share_columns_are_the_documented_ones() -> None:
    assert SHARE_COLUMNS == (
        "role",
        "role_label",
        "term_id",
        "label",
        "category",
        "count",
        "n",
        "share",
        "ci_low",
        "ci_high",
        "low_n",
    )
