"""The Python API: one object per database, returning pandas DataFrames.

    import skillgauge as sg
    db = sg.open("skillgauge.duckdb")
    db.ingest(["postings.csv"])
    db.shares(role="machine-learning-engineer", top=20)

The CLI, and later the REST API, call these same methods; they hold no SQL (that lives in
:mod:`skillgauge.store.queries`) and no statistics (:mod:`skillgauge.analyze`).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from skillgauge import __version__
from skillgauge.advise.gap import Gap
from skillgauge.advise.path import LearningPath
from skillgauge.analyze.intervals import WILSON_95
from skillgauge.analyze.shares import shares as compute_shares
from skillgauge.analyze.shares import top_terms
from skillgauge.exceptions import InputError, UnknownRole
from skillgauge.pipeline import CollectResult, IngestResult, collect, ingest, reextract, tools_for
from skillgauge.pipeline.file_ingest import ProgressFn, check_paths
from skillgauge.pipeline.prepare import Tools
from skillgauge.pipeline.source_collect import CollectProgress
from skillgauge.report.model import Manifest, RoleReport
from skillgauge.settings import Settings, load_settings
from skillgauge.sources import registry
from skillgauge.sources.base import Fetcher
from skillgauge.store import queries
from skillgauge.store.db import Store

ALL = queries.ALL_ROLES

DEDUP_RULE = (
    "unique postings: a record already stored from the same source is skipped; within a calendar "
    "month (or among undated postings), an exact duplicate (same normalised title and text) or a near "
    "duplicate (MinHash LSH, estimated Jaccard of 5-word shingles >= {threshold}, titles of the same "
    "level) of an earlier posting is counted once, the first one kept"
)


class Database:
    """An open skillgauge database (DuckDB file) with the settings used to work on it."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        settings: Settings | None = None,
        read_only: bool = False,
    ) -> None:
        self.settings = settings or load_settings()
        if path is not None:
            self.settings = self.settings.model_copy(update={"db": Path(path)})
        self.store = Store(
            self.settings.db, read_only=read_only, memory_limit=self.settings.memory_limit
        )
        self._frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @cached_property
    def tools(self) -> Tools:
        """Taxonomy, matcher, role book and MinHasher, built once from the settings."""
        return tools_for(self.settings)

    # -- writing ------------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path | str],
        *,
        mapping: Mapping[str, str] | None = None,
        source: str | None = None,
        as_of: dt.date | None = None,
        command: str = "",
        progress: ProgressFn | None = None,
    ) -> IngestResult:
        """Read files into the store as one recorded run (see :func:`skillgauge.pipeline.file_ingest`)."""
        check_paths([Path(p) for p in paths])  # a missing file fails before any tool is built
        self._frames = None
        return ingest(
            self.store,
            [Path(p) for p in paths],
            self.settings,
            overrides=mapping,
            source=source,
            as_of=as_of,
            command=command,
            progress=progress,
            tools=self.tools,
        )

    def collect(
        self,
        source: str,
        *,
        boards: Sequence[str] = (),
        since: dt.date | None = None,
        options: Mapping[str, str] | None = None,
        fetcher: Fetcher | None = None,
        command: str = "",
        progress: CollectProgress | None = None,
    ) -> CollectResult:
        """Collect from a live source (see ``skillgauge sources``) into the store as one run.

        ``fetcher`` defaults to the polite HTTP client (retries, rate limit, cache, robots.txt);
        tests pass one on an ``httpx.MockTransport``.
        """
        src = registry.create(source, options)
        self._frames = None
        wanted: list[str | None] = list(boards) or [None]
        if fetcher is None:
            from skillgauge.sources.http import HttpClient

            secrets = registry.secret_values(registry.resolve_options(source, options))
            with HttpClient(
                cache_dir=self.settings.http_cache, rate=self.settings.http_rate, secrets=secrets
            ) as client:
                return collect(
                    self.store,
                    src,
                    self.settings,
                    client,
                    boards=wanted,
                    since=since,
                    command=command,
                    progress=progress,
                    tools=self.tools,
                )
        return collect(
            self.store,
            src,
            self.settings,
            fetcher,
            boards=wanted,
            since=since,
            command=command,
            progress=progress,
            tools=self.tools,
        )

    def reextract(self, *, force: bool = False, command: str = "") -> tuple[int, int]:
        """Extract again with the current taxonomy; returns (run id, postings re-extracted)."""
        self._frames = None
        return reextract(self.store, self.settings, force=force, command=command, tools=self.tools)

    # -- reading ------------------------------------------------------------------------------------

    def role_ids(self) -> tuple[str, ...]:
        return self.tools.roles.ids

    def check_role(self, role: str) -> str:
        """The role id if known (or ``all``); otherwise UnknownRole naming the closest ids."""
        ids = self.role_ids()
        if role == ALL or role in ids:
            return role
        close = difflib.get_close_matches(role, ids, n=3, cutoff=0.4)
        hint = (
            f"; did you mean {', '.join(close)}?" if close else f"; known roles: {', '.join(ids)}"
        )
        raise UnknownRole(f"unknown role '{role}'{hint}")

    def role_label(self, role: str) -> str:
        return "All postings" if role == ALL else self.tools.roles.label(role)

    def shares(
        self,
        role: str | None = None,
        *,
        roles: Sequence[str] | None = None,
        top: int | None = None,
        min_n: int | None = None,
    ) -> pd.DataFrame:
        """Share of unique postings mentioning each term, per role, with count, n, 95% Wilson
        interval and a low-n flag. ``role=None`` means every posting. With ``top``, the top terms of
        the first role, in that order, for every role."""
        wanted = [self.check_role(r) for r in (roles or [role or ALL])]
        df = compute_shares(
            self.store.con,
            self.tools.taxonomy,
            wanted,
            role_labels={r: self.role_label(r) for r in wanted},
            min_n=min_n or self.settings.min_n,
        )
        if top is not None:
            keep = top_terms(df, wanted[0], top)
            df = df[df["term_id"].isin(keep)].copy()
            df["_o"] = df["term_id"].map({t: i for i, t in enumerate(keep)})
            df["_r"] = df["role"].map({r: i for i, r in enumerate(wanted)})
            df = df.sort_values(["_r", "_o"]).drop(columns=["_o", "_r"]).reset_index(drop=True)
        return df

    def manifest(self, roles: Sequence[str], command: str) -> Manifest:
        facts = queries.corpus_facts(self.store.con)
        tax = self.tools.taxonomy
        return Manifest(
            corpus_postings=facts.postings,
            postings_by_role=queries.role_sizes(self.store.con, list(roles)),
            raw_read=facts.raw_read,
            rejected=facts.rejected,
            duplicates=facts.duplicates,
            date_min=facts.date_min,
            date_max=facts.date_max,
            sources=facts.sources,
            dedup_rule=DEDUP_RULE.format(threshold=self.settings.dedup_threshold),
            taxonomy_version=f"{tax.version} ({tax.name})" if hasattr(tax, "name") else tax.version,
            taxonomy_hash=tax.content_hash,
            roles_version=self.tools.roles.version,
            interval_method=WILSON_95,
            min_n=self.settings.min_n,
            created_at=dt.datetime.now(dt.UTC),
            command=command,
            skillgauge_version=__version__,
            database=str(self.settings.db),
        )

    def report(
        self, role: str, compare: Sequence[str] = (), *, top: int = 20, command: str = ""
    ) -> RoleReport:
        """The role-vs-role skills report: the first role's top terms, shared by every role."""
        roles = [self.check_role(r) for r in [role, *compare]]
        roles = list(dict.fromkeys(roles))
        df = self.shares(roles=roles, top=top)
        title = "In-demand technologies: " + " vs ".join(self.role_label(r) for r in roles)
        return RoleReport(
            roles=tuple(roles),
            shares=df,
            manifest=self.manifest(roles, command),
            top=top,
            title=title,
        )

    # -- analyses (docs/statistics.md): frames from the store, pure functions in analyze/ ----------

    def frames(self, source: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(meta, roles, terms) frames of the unique postings, optionally of one source only.

        Read once per Database and reused by every analysis (the API serves many from one
        read-only Database); anything this object writes clears them.
        """
        if self._frames is None:
            con = self.store.con
            self._frames = (
                queries.posting_meta(con),
                queries.posting_roles_frame(con),
                queries.posting_terms(con),
            )
        meta, roles, terms = self._frames
        if source is not None:
            keep = set(meta.loc[meta["source"] == source, "posting_id"].astype(object))
            if not keep:
                known = ", ".join(sorted(set(meta["source"].astype(object))))
                raise InputError(f"no postings from source '{source}'; sources: {known}")
            meta = meta[meta["posting_id"].astype(object).isin(keep)]
            roles = roles[roles["posting_id"].astype(object).isin(keep)]
            terms = terms[terms["posting_id"].astype(object).isin(keep)]
        return meta, roles, terms

    def term_labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.tools.taxonomy.terms}

    def compare(
        self,
        role_a: str,
        role_b: str = "rest",
        *,
        terms: Sequence[str] | None = None,
        overlap: str = "exclude",
        source: str | None = None,
        alpha: float = 0.05,
    ) -> pd.DataFrame:
        """Per term, the difference in share between two roles (or a role and all others) with a
        95% Newcombe interval, a two-proportion z-test and Benjamini-Hochberg q-values."""
        from skillgauge.analyze.compare import compare_roles

        role_a = self.check_role(role_a)
        role_b = role_b if role_b == "rest" else self.check_role(role_b)
        meta, roles, term_frame = self.frames(source)
        return compare_roles(
            roles,
            term_frame,
            role_a,
            role_b,
            terms=terms,
            overlap=overlap,  # type: ignore[arg-type]
            meta=meta,
            labels=self.term_labels(),
            alpha=alpha,
        )

    def balance(self, role: str = ALL, *, min_n: int | None = None) -> pd.DataFrame:
        """Per term: the seed article's share-per-site-then-averaged beside the pooled share."""
        from skillgauge.analyze.balance import site_averaged_vs_pooled

        meta, roles, term_frame = self.frames()
        return site_averaged_vs_pooled(
            roles,
            term_frame,
            meta,
            self.check_role(role),
            min_n=min_n or self.settings.min_n,
            labels=self.term_labels(),
        )

    def trends(
        self,
        terms: Sequence[str],
        *,
        role: str | None = None,
        freq: str = "month",
        source: str | None = None,
    ) -> pd.DataFrame:
        """Share per period of postings mentioning each term, with 95% Wilson intervals."""
        from skillgauge.analyze.trends import trend_shares

        meta, roles, term_frame = self.frames(source)
        return trend_shares(
            roles,
            term_frame,
            meta,
            role=self.check_role(role) if role else None,
            terms=list(terms),
            freq=freq,  # type: ignore[arg-type]
        )

    def trend_tests(
        self,
        *,
        role: str | None = None,
        freq: str = "month",
        source: str | None = None,
        terms: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Per term: a test for trend (binomial GLM on time), emerging/fading after BH control."""
        from skillgauge.analyze.trends import trend_tests

        meta, roles, term_frame = self.frames(source)
        return trend_tests(
            roles,
            term_frame,
            meta,
            role=self.check_role(role) if role else None,
            terms=list(terms) if terms else None,
            freq=freq,  # type: ignore[arg-type]
        )

    def _role_ids(
        self, role: str | None, source: str | None
    ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
        meta, roles, term_frame = self.frames(source)
        if role and role != ALL:
            ids = list(
                roles.loc[roles["role"] == self.check_role(role), "posting_id"].astype(object)
            )
        else:
            ids = list(meta["posting_id"].astype(object))
        if not ids:
            raise InputError(f"no postings for role '{role}'")
        return meta, term_frame, ids

    def cooccurrence(
        self, *, role: str | None = None, source: str | None = None, min_count: int = 5
    ) -> pd.DataFrame:
        """Term pairs with count, support, lift, NPMI and Jaccard over the selected postings."""
        from skillgauge.analyze.cooccurrence import cooccurrence

        meta, term_frame, ids = self._role_ids(role, source)
        return cooccurrence(term_frame, posting_ids=ids, min_count=min_count, meta=meta)

    def also_asked(
        self, term: str, *, role: str | None = None, source: str | None = None, top: int = 15
    ) -> pd.DataFrame:
        """ "Postings that ask for TERM also ask for ...": P(other | term) with Wilson CI and lift."""
        from skillgauge.analyze.cooccurrence import also_asked

        if term not in self.tools.taxonomy.by_id:
            raise InputError(f"unknown term '{term}' (see: skillgauge taxonomy export)")
        meta, term_frame, ids = self._role_ids(role, source)
        return also_asked(term_frame, term, posting_ids=ids, top=top, meta=meta)

    def skill_clusters(
        self, *, role: str | None = None, source: str | None = None, min_weight: float = 0.1
    ) -> pd.DataFrame:
        """Communities of terms asked together (Louvain on the NPMI co-occurrence graph)."""
        from skillgauge.analyze.cooccurrence import skill_clusters

        return skill_clusters(self.cooccurrence(role=role, source=source), min_weight=min_weight)

    def salary(
        self,
        *,
        role: str | None = None,
        terms: Sequence[str] | None = None,
        currency: str = "USD",
    ) -> pd.DataFrame:
        """Per term: median stated annual salary with and without it, bootstrap 95% interval."""
        from skillgauge.analyze.salary import salary_by_term

        meta, roles, term_frame = self.frames()
        return salary_by_term(
            meta,
            roles,
            term_frame,
            role=self.check_role(role) if role else None,
            currency=currency,
            min_n=self.settings.min_n,
            terms=list(terms) if terms else None,
        )

    def salary_regression(
        self, terms: Sequence[str], *, role: str | None = None, currency: str = "USD"
    ) -> pd.DataFrame:
        """OLS of log annual salary on terms, controlling for role, seniority, remote, location."""
        from skillgauge.analyze.salary import salary_regression

        meta, roles, term_frame = self.frames()
        return salary_regression(
            meta,
            roles,
            term_frame,
            terms=list(terms),
            currency=currency,
            role=self.check_role(role) if role else None,
        )

    def salary_coverage(self, role: str | None = None) -> pd.DataFrame:
        """Share of postings that state a salary, per source, with Wilson intervals."""
        from skillgauge.analyze.salary import salary_coverage

        meta, roles, _ = self.frames()
        return salary_coverage(meta, self.check_role(role) if role else None, roles)

    # -- advice (docs/advise.md) ---------------------------------------------------------------------

    def path(self, role: str, *, top: int = 25) -> LearningPath:
        """An ordered learning path for a role: stages by demand, prerequisites first, each step
        with its reason."""
        from skillgauge.advise import learning_path

        _, roles, term_frame = self.frames()
        role = self.check_role(role)
        return learning_path(
            roles,
            term_frame,
            self.tools.taxonomy,
            role,
            top=top,
            min_n=self.settings.min_n,
            role_label=self.role_label(role),
            known_roles=self.role_ids(),
        )

    def gap(
        self, role: str, *, skills: str = "", resume: Path | None = None, top: int = 10
    ) -> tuple[Gap, list[str], list[str]]:
        """What a person has and should learn next for a role. Skills come from ``skills`` (text
        such as "python, sql, pandas") and/or a résumé file read locally and never stored.
        Returns (gap, recognised term ids, unrecognised pieces of ``skills``)."""
        from skillgauge.advise import gap_analysis, read_resume, resolve_skills

        ids, unknown = resolve_skills(skills, self.tools.matcher, self.tools.taxonomy)
        if resume is not None:
            ids += sorted(self.tools.matcher.term_ids(read_resume(resume)))
        ids = list(dict.fromkeys(ids))
        _, roles, term_frame = self.frames()
        role = self.check_role(role)
        gap = gap_analysis(
            roles,
            term_frame,
            self.tools.taxonomy,
            role,
            ids,
            top=top,
            min_n=self.settings.min_n,
            role_labels={r: self.role_label(r) for r in self.role_ids()},
            known_roles=self.role_ids(),
        )
        return gap, ids, unknown

    def roles(self) -> pd.DataFrame:
        """Unique postings per role."""
        return queries.role_counts(self.store.con)

    def runs(self, limit: int = 50) -> pd.DataFrame:
        return queries.runs(self.store.con, limit)

    def rejected(self, run_id: int | None = None, limit: int = 100) -> pd.DataFrame:
        return queries.rejected(self.store.con, run_id, limit)

    def postings(self, role: str | None = None, limit: int = 100) -> pd.DataFrame:
        return queries.postings_frame(
            self.store.con, self.check_role(role) if role else None, limit
        )

    def table_counts(self) -> dict[str, int]:
        return queries.table_counts(self.store.con)


def open(path: Path | str | None = None, *, read_only: bool = False, **settings: Any) -> Database:
    """Open (creating if needed) a skillgauge database; settings may be overridden by keyword."""
    return Database(path, settings=load_settings(**settings), read_only=read_only)
