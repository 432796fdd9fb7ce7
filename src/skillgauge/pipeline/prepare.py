"""Per-batch work that needs no database: map, clean, classify, fingerprint, sign and extract.

This is the CPU-heavy middle of ingestion, written as a pure function of its inputs so it can run in
worker processes (one per core) while the main process reads files and writes the store. Each worker
builds its tools (taxonomy matcher, role book, MinHasher) once, in :func:`init_worker`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import orjson

from skillgauge.clean.dedupe import MinHasher, fingerprint_words, lsh_params, word_bytes
from skillgauge.clean.roles import RoleBook, load_roles
from skillgauge.clean.salary import find_salary_in_text
from skillgauge.clean.text import clean_field, clean_text
from skillgauge.extract.matcher import FoundColumns, Matcher
from skillgauge.models import MappedPosting
from skillgauge.sources.files import ReadRow, resolve_rows
from skillgauge.taxonomy.loader import Taxonomy
from skillgauge.taxonomy.vocab import taxonomy_in_use

#: Posting columns filled by :func:`prepare_batch`, in the order of the ``postings`` table.
POSTING_FIELDS = (
    "source_id",
    "url",
    "title",
    "company",
    "location",
    "remote",
    "date_posted",
    "date_raw",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_text",
    "salary_source",
    "employment_type",
    "seniority_hint",
    "role_hint",
    "text",
    "seniority",
    "dedup_window",
)


class RecordMapper(Protocol):
    """Turns one raw record into a posting or a rejection reason (files: ``FieldMapper``; live
    sources: the source's ``map``). Picklable: it travels to the worker processes."""

    def map(self, payload: dict[str, Any]) -> MappedPosting | str: ...


@dataclass(frozen=True)
class ToolSpec:
    """How to build the tools; small and picklable, sent to each worker once."""

    taxonomy: Path | None
    roles: Path | None
    minhash_perm: int
    dedup_threshold: float
    vocab: Path | None = None
    vocab_mode: str = "merge"


@dataclass
class Tools:
    taxonomy: Taxonomy
    matcher: Matcher
    roles: RoleBook
    minhasher: MinHasher
    bands: int
    rows_per_band: int


def build_tools(spec: ToolSpec) -> Tools:
    tax = taxonomy_in_use(spec.taxonomy, spec.vocab, spec.vocab_mode)
    bands, rows = lsh_params(spec.dedup_threshold, spec.minhash_perm)
    return Tools(
        taxonomy=tax,
        matcher=Matcher.from_taxonomy(tax),
        roles=load_roles(spec.roles),
        minhasher=MinHasher(num_perm=spec.minhash_perm),
        bands=bands,
        rows_per_band=rows,
    )


_TOOLS: Tools | None = None


def init_worker(spec: ToolSpec) -> None:
    """Process-pool initializer: build the tools once per worker process."""
    global _TOOLS
    _TOOLS = build_tools(spec)


def worker_tools() -> Tools:
    if _TOOLS is None:  # pragma: no cover - init_worker always runs first
        raise RuntimeError("worker used before init_worker")
    return _TOOLS


def set_tools(tools: Tools) -> None:
    """Use already-built tools in this process (the in-process path, no pool)."""
    global _TOOLS
    _TOOLS = tools


@dataclass
class MentionColumns:
    """Every mention of a batch, flat: ``row`` is the record's index in the batch.

    Why not ``list[list[Mention]]``: a batch holds ~150,000 mentions, and unpickling that many
    objects in the main process, then flattening them again for Arrow, was a good part of the
    main process's time, which is what bounds ingestion. Workers flatten once; the main process only
    filters arrays.
    """

    row: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    term_id: list[str] = field(default_factory=list)
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    surface: list[str] = field(default_factory=list)

    @classmethod
    def from_found(cls, found: FoundColumns) -> MentionColumns:
        return cls(
            np.asarray(found.row, np.int32),
            found.term_id,
            np.asarray(found.start, np.int32),
            np.asarray(found.end, np.int32),
            found.surface,
        )

    def term_sets(self, n: int) -> list[set[str]]:
        """The set of term ids of each of the batch's ``n`` records."""
        out: list[set[str]] = [set() for _ in range(n)]
        for r, t in zip(self.row.tolist(), self.term_id, strict=True):
            out[r].add(t)
        return out


@dataclass
class Prepared:
    """A batch, ready for de-duplication and writing. Lists are parallel, one entry per good record."""

    rejects: list[tuple[int, str, str]] = field(default_factory=list)  # position, reason, raw
    positions: list[int] = field(default_factory=list)
    raw_ids: list[str] = field(default_factory=list)
    payloads: list[str] = field(default_factory=list)
    columns: dict[str, list[Any]] = field(default_factory=lambda: {f: [] for f in POSTING_FIELDS})
    roles: list[tuple[str, ...]] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    signatures: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint32))
    band_keys: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    mentions: MentionColumns = field(default_factory=MentionColumns)

    @property
    def size(self) -> int:
        return len(self.positions)

    @classmethod
    def concat(cls, parts: Sequence[Prepared]) -> Prepared:
        """The parts one after another, as ``prepare_batch`` of their rows in one call gives them
        (each record is prepared on its own; positions are the source's, not the batch's)."""
        if len(parts) == 1:
            return parts[0]
        out = cls()
        offset = 0
        rows: list[np.ndarray] = []
        for part in parts:
            out.rejects += part.rejects
            out.positions += part.positions
            out.raw_ids += part.raw_ids
            out.payloads += part.payloads
            for name in POSTING_FIELDS:
                out.columns[name] += part.columns[name]
            out.roles += part.roles
            out.fingerprints += part.fingerprints
            out.mentions.term_id += part.mentions.term_id
            out.mentions.surface += part.mentions.surface
            rows.append(part.mentions.row + np.int32(offset))
            offset += part.size
        if parts:
            out.signatures = np.concatenate([p.signatures for p in parts])
            out.band_keys = np.concatenate([p.band_keys for p in parts])
            out.mentions.row = np.concatenate(rows).astype(np.int32, copy=False)
            out.mentions.start = np.concatenate([p.mentions.start for p in parts])
            out.mentions.end = np.concatenate([p.mentions.end for p in parts])
        return out


def raw_id(source: str, payload_json: str) -> str:
    """Identity of a record as read: the same record from the same source is stored once."""
    h = blake2b(digest_size=16)
    h.update(source.encode())
    h.update(b"\0")
    h.update(payload_json.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def extraction_document(title: str | None, text: str) -> str:
    """The text terms are found in: the title, a newline, the cleaned description.

    Mention offsets in the store refer to this string.
    """
    return f"{title or ''}\n{text}"


def prepare_batch(rows: Sequence[ReadRow], mapper: RecordMapper, source: str) -> Prepared:
    """Parse (JSON Lines cut but not parsed by the reader), map, clean and analyse one batch of raw
    rows. Runs in a worker; uses that worker's tools."""
    tools = worker_tools()
    out = Prepared()
    cols = out.columns
    docs: list[str] = []
    words: list[bytes] = []
    for row in resolve_rows(rows):
        if row.payload is None:
            out.rejects.append((row.position, row.error or "unreadable record", row.raw or ""))
            continue
        try:
            payload_json = orjson.dumps(
                row.payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str
            ).decode()
        except (TypeError, orjson.JSONEncodeError):
            # e.g. a lone surrogate ("\udc80" written in a JSON string): not storable as UTF-8.
            raw = json.dumps(row.payload, ensure_ascii=True, default=str, sort_keys=True)
            out.rejects.append((row.position, "invalid Unicode (lone surrogate) in a field", raw))
            continue
        mapped = mapper.map(row.payload)
        if isinstance(mapped, str):
            out.rejects.append((row.position, mapped, payload_json))
            continue
        words.append(_add_posting(out, cols, mapped, tools))
        out.positions.append(row.position)
        out.payloads.append(payload_json)
        out.raw_ids.append(raw_id(source, payload_json))
        docs.append(extraction_document(cols["title"][-1], cols["text"][-1]))
    # what MinHash reads of f"{title}\n{text}", from the word bytes mapped for the fingerprints
    out.signatures = tools.minhasher.signatures_of_words(words)
    out.band_keys = (
        tools.minhasher.band_keys(out.signatures, tools.bands)
        if out.size
        else np.zeros((0, tools.bands), np.int64)
    )
    out.mentions = MentionColumns.from_found(tools.matcher.find_columns(docs))
    return out


def _add_posting(
    out: Prepared, cols: dict[str, list[Any]], m: MappedPosting, tools: Tools
) -> bytes:
    """Append one posting's columns; returns the word bytes of its title and text for MinHash."""
    title = clean_field(m.title) if m.title else None
    text = clean_text(m.description) if m.description else ""
    assignment = tools.roles.classify(title, m.role_hint)
    salary = m.salary
    salary_source = "field" if salary is not None else None
    if salary is None and text:
        salary = find_salary_in_text(text)  # a stated salary inside the description
        salary_source = "text" if salary is not None else None
    values: dict[str, Any] = {
        "source_id": m.source_id,
        "url": m.url,
        "title": title,
        "company": clean_field(m.company) if m.company else None,
        "location": clean_field(m.location) if m.location else None,
        "remote": m.remote,
        "date_posted": m.date_posted,
        "date_raw": m.date_raw,
        "salary_min": salary.min if salary else None,
        "salary_max": salary.max if salary else None,
        "salary_currency": salary.currency if salary else None,
        "salary_period": salary.period if salary else None,
        "salary_text": salary.text if salary else None,
        "salary_source": salary_source,
        "employment_type": m.employment_type,
        "seniority_hint": m.seniority_hint,
        "role_hint": m.role_hint,
        "text": text,
        "seniority": assignment.seniority,
        "dedup_window": dedup_window(m.date_posted),
    }
    for name in POSTING_FIELDS:
        cols[name].append(values[name])
    out.roles.append(assignment.roles)
    title_words = word_bytes(title, nfkc=True) if title else b""  # cleaned: NFKC already
    text_words = word_bytes(text, nfkc=True)
    out.fingerprints.append(fingerprint_words(title_words, text_words))
    return title_words + b" " + text_words


def dedup_window(date_posted: dt.date | None) -> str:
    """Duplicates collapse only within a calendar month (docs/dedup.md): a job reposted next month
    counts again in that month. Undated postings share one window."""
    return f"{date_posted.year:04d}-{date_posted.month:02d}" if date_posted else "undated"


def extract_batch(docs: list[tuple[str, str]]) -> FoundColumns:
    """Re-extraction: the mentions of (posting id, document) pairs as columns; ``row`` indexes
    ``docs``. Uses this process's tools."""
    return worker_tools().matcher.find_columns([d for _, d in docs])
