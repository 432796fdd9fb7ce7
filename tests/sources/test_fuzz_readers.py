"""Fuzzing the readers: generated files of every format, clean or corrupted.

For each input: no exception escapes; where the number of records put in is countable (the file was
not corrupted), exactly that many RawRows come out; and every RawRow either maps to a MappedPosting or
carries a reason (``payload=None`` with ``error``, or the mapper's rejection string).

``slow`` runs 10,000 examples per format; the fast versions run 200.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgauge.models import MappedPosting
from skillgauge.sources.files import detect_format, open_reader
from skillgauge.sources.mapping import FieldMapper

KEYS = ["title", "description", "company", "location", "date_posted", "salary", "remote", "id", "x"]
DATES = st.sampled_from(
    ["2024-05-01", "5 days ago", "July 22, 2018", "22/07/2018", "soon", "1717200000", "-1", ""]
)
TEXT = st.text(max_size=30)
SCALAR = st.one_of(
    st.none(),
    TEXT,
    DATES,
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
    st.booleans(),
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(TEXT, SCALAR, max_size=2))
RECORD = st.dictionaries(st.one_of(st.sampled_from(KEYS), TEXT), VALUE, max_size=6)
ITEM = st.one_of(RECORD, RECORD, RECORD, SCALAR)  # mostly objects, sometimes a wrong type
CORRUPTION = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=4)),  # insert bytes
    st.tuples(st.integers(0, 10_000), st.just(b"\xff\xfe\xc3")),  # invalid UTF-8
    st.integers(0, 10_000),  # truncate
)


def _corrupt(data: bytes, how: Any) -> bytes:
    if how is None:
        return data
    if isinstance(how, int):
        return data[: how % (len(data) + 1)]
    at, junk = how
    at %= len(data) + 1
    return data[:at] + junk + data[at:]


def _check(data: bytes, suffix: str, expected: int | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        fmt = detect_format(path)
        with open_reader(path, fmt, batch_size=3) as reader:
            rows = [row for batch in reader.iter_batches() for row in batch]
            assert 0 <= reader.bytes_done() <= reader.bytes_total
    if expected is not None:
        assert len(rows) == expected
    columns = list(dict.fromkeys(k for r in rows if r.payload for k in r.payload))
    mapper = FieldMapper.for_columns(columns)
    for row in rows:
        if row.payload is None:
            assert isinstance(row.error, str) and row.error
            assert isinstance(row.raw, str)
            continue
        json.dumps(row.payload)
        result = mapper.map(row.payload)
        assert isinstance(result, MappedPosting) or (isinstance(result, str) and result)


def _csv_bytes(header: list[str], rows: list[list[str | None]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)  # "\r\n": quotes any field with \r or \n
    writer.writerow(header)
    writer.writerows([[("" if v is None else v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def csv_case(draw: st.DrawFn, delimiter: str = ",") -> tuple[bytes, int | None]:
    header = draw(st.lists(st.one_of(st.sampled_from(KEYS), TEXT), min_size=1, max_size=5))
    width = len(header)
    cell = st.one_of(st.none(), TEXT, DATES)
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=5))
    if width == 1:  # a lone empty cell is written as a blank line's look-alike; keep it countable
        rows = [r if r[0] else ['""'] for r in rows]
    how = draw(CORRUPTION)
    data = _csv_bytes(header, rows, delimiter)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return _corrupt(data, how), (len(rows) if how is None else None)


def tsv_case() -> st.SearchStrategy[tuple[bytes, int | None]]:
    return csv_case(delimiter="\t")


@st.composite
def jsonl_case(draw: st.DrawFn) -> tuple[bytes, int | None]:
    items = draw(st.lists(ITEM, max_size=6))
    data = "".join(json.dumps(i, ensure_ascii=draw(st.booleans())) + "\n" for i in items).encode(
        "utf-8", "surrogatepass"
    )
    how = draw(CORRUPTION)
    return _corrupt(data, how), (len(items) if how is None else None)


@st.composite
def json_array_case(draw: st.DrawFn) -> tuple[bytes, int | None]:
    items = draw(st.lists(ITEM, max_size=6))
    indent = draw(st.sampled_from([None, 2]))
    data = json.dumps(items, indent=indent, ensure_ascii=draw(st.booleans())).encode()
    how = draw(CORRUPTION)
    return _corrupt(data, how), (len(items) if how is None else None)


@st.composite
def json_object_case(draw: st.DrawFn) -> tuple[bytes, int | None]:
    items = draw(st.lists(ITEM, max_size=6))
    key = draw(st.sampled_from(["jobs", "data", "results"]))
    doc = {"meta": {"total": len(items)}, key: items}
    data = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode()
    how = draw(CORRUPTION)
    countable = how is None and (not items or any(isinstance(i, dict) for i in items))
    return _corrupt(data, how), (len(items) if countable else None)


COLUMN_TYPES: dict[str, tuple[pa.DataType, st.SearchStrategy[Any]]] = {
    "text": (pa.string(), TEXT),
    "int": (pa.int64(), st.integers(-(2**60), 2**60)),
    "float": (pa.float64(), st.floats()),
    "bool": (pa.bool_(), st.booleans()),
    "date": (pa.date32(), st.dates()),
    "ts": (pa.timestamp("us"), st.datetimes(min_value=dt.datetime(1970, 1, 1))),
    "bytes": (pa.binary(), st.binary(max_size=8)),
    "dec": (pa.decimal128(12, 2), st.decimals(min_value=-(10**8), max_value=10**8, places=2)),
}


@st.composite
def parquet_case(draw: st.DrawFn) -> tuple[bytes, int | None]:
    names = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))
    kinds = [draw(st.sampled_from(sorted(COLUMN_TYPES))) for _ in names]
    n = draw(st.integers(0, 6))
    arrays = []
    for kind in kinds:
        pa_type, values = COLUMN_TYPES[kind]
        column = draw(st.lists(st.one_of(st.none(), values), min_size=n, max_size=n))
        if kind == "dec":
            column = [None if v is None or not v.is_finite() else Decimal(v) for v in column]
        arrays.append(pa.array(column, type=pa_type))
    out = io.BytesIO()
    pq.write_table(pa.table(dict(zip(names, arrays, strict=True))), out, row_group_size=2)
    data = out.getvalue()
    how = draw(st.one_of(st.none(), st.none(), st.none(), CORRUPTION))
    return _corrupt(data, how), (n if how is None else None)


@st.composite
def html_case(draw: st.DrawFn) -> tuple[bytes, int | None]:
    postings = draw(st.lists(RECORD, max_size=4))
    blocks = []
    for p in postings:
        node = {"@context": "https://schema.org", "@type": "JobPosting", **p}
        if draw(st.booleans()):
            node = {"@graph": [{"@type": "Organization"}, node]}
        blocks.append(json.dumps(node).replace("</", "<\\/"))
    broken = draw(st.booleans())
    if broken:
        blocks.append(draw(TEXT).replace("</", "<\\/") + "{")
    body = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    data = f"<html><head>{body}</head><body>{draw(TEXT)}</body></html>".encode(
        "utf-8", "surrogatepass"
    )
    how = draw(st.one_of(st.none(), CORRUPTION))
    expected = len(postings) + int(broken) if (postings or broken) else 1
    return _corrupt(data, how), (expected if how is None else None)


CASES: dict[str, tuple[Callable[[], st.SearchStrategy[tuple[bytes, int | None]]], str]] = {
    "csv": (csv_case, ".csv"),
    "tsv": (tsv_case, ".tsv"),
    "jsonl": (jsonl_case, ".jsonl"),
    "json_array": (json_array_case, ".json"),
    "json_object": (json_object_case, ".json"),
    "parquet": (parquet_case, ".parquet"),
    "html": (html_case, ".html"),
}


def _run(name: str, examples: int, compress: bool = False) -> None:
    strategy_fn, suffix = CASES[name]

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(case=strategy_fn())
    def run(case: tuple[bytes, int | None]) -> None:
        data, expected = case
        ext = suffix
        if compress:
            data, ext = gzip.compress(data, mtime=0), ext + ".gz"
        _check(data, ext, expected)

    run()


@pytest.mark.parametrize("name", sorted(CASES))
def test_fuzz_fast(name: str) -> None:
    _run(name, 200)


@pytest.mark.parametrize("name", ["csv", "jsonl"])
def test_fuzz_fast_gzip(name: str) -> None:
    _run(name, 200, compress=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_fuzz_slow(name: str) -> None:
    _run(name, 10_000)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["csv", "jsonl"])
def test_fuzz_slow_gzip(name: str) -> None:
    _run(name, 10_000, compress=True)
