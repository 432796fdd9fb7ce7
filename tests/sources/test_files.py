"""Format detection and the streaming readers: every record comes out, good or quarantined."""

from __future__ import annotations

import gzip
import json
import pickle
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from skillgauge.exceptions import SourceNotFound, UnknownFormat
from skillgauge.models import RawRow
from skillgauge.sources.files import (
    RAW_CAP,
    FileFormat,
    PendingLine,
    detect_format,
    open_reader,
    resolve_rows,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "files"


def read_all(path: Path, fmt: FileFormat | None = None, batch_size: int = 5000) -> list[RawRow]:
    fmt = fmt or detect_format(path)
    with open_reader(path, fmt, batch_size=batch_size) as reader:
        rows = [row for batch in reader.iter_batches() for row in batch]
        assert reader.bytes_done() == reader.bytes_total
    return rows


@pytest.mark.parametrize(
    ("name", "kind", "compression"),
    [
        ("a.csv", "csv", None),
        ("a.TSV.gz", "tsv", "gzip"),
        ("a.tab", "tsv", None),
        ("a.json.zst", "json", "zstd"),
        ("a.ndjson.zstd", "jsonl", "zstd"),
        ("a.jsonl", "jsonl", None),
        ("a.pq", "parquet", None),
        ("a.htm", "html", None),
    ],
)
def test_detect_from_name(tmp_path: Path, name: str, kind: str, compression: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    assert detect_format(path) == FileFormat(kind, compression)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b'[{"a": 1}]', "json"),
        (b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        (b'{"jobs": [\n{"a": 1}\n]}', "json"),
        (b"  <html></html>", "html"),
        (b"PAR1....", "parquet"),
    ],
)
def test_detect_from_content(tmp_path: Path, content: bytes, kind: str) -> None:
    plain = tmp_path / "download"
    plain.write_bytes(content)
    assert detect_format(plain) == FileFormat(kind, None)  # type: ignore[arg-type]
    packed = tmp_path / "download2"
    packed.write_bytes(gzip.compress(content))
    assert detect_format(packed) == FileFormat(kind, "gzip")  # type: ignore[arg-type]


def test_detect_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound):
        detect_format(tmp_path / "missing.csv")
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    with pytest.raises(UnknownFormat, match=r"notes\.txt.*supported"):
        detect_format(odd)
    assert detect_format(odd, override="csv") == FileFormat("csv", None)
    with pytest.raises(UnknownFormat):
        detect_format(odd, override="xlsx")


def test_csv_fixture_every_record_accounted_for() -> None:
    rows = read_all(DATA / "postings.csv")
    assert [r.position for r in rows] == [0, 1, 2, 3, 4]
    first = rows[0].payload
    assert first is not None
    assert next(iter(first)) == "job_title"  # the BOM is stripped from the first header
    assert first["company_name"] == "Acme\n4.1"
    assert first["description"] == 'Build "pipelines" in Python'
    assert rows[1].payload is not None and rows[1].payload["company_name"] is None  # empty -> None
    assert rows[2].payload == dict.fromkeys(first)
    assert rows[4].payload is None
    assert rows[4].error == "CSV row has 2 fields, header has 5"
    assert rows[4].raw == "Short row,only two\n"


def test_csv_bad_bytes_quarantine_one_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b'title,text\nok,fine\nbad,caf\xe9\nalso ok,"multi\nline"\n')
    rows = read_all(path)
    assert len(rows) == 3
    assert rows[1].payload is None
    assert rows[1].error == "undecodable bytes (not UTF-8) at byte 26"
    assert rows[1].raw == "bad,caf\\xe9\n"
    assert rows[2].payload == {"title": "also ok", "text": "multi\nline"}


def test_csv_huge_field_and_tsv(tmp_path: Path) -> None:
    big = "x" * 300_000
    path = tmp_path / "big.tsv.gz"
    path.write_bytes(gzip.compress(f"title\tdescription\nA\t{big}\n".encode()))
    rows = read_all(path)
    assert rows[0].payload == {"title": "A", "description": big}


def test_csv_batches_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("title\n" + "".join(f"t{i}\n" for i in range(25)))
    with open_reader(path, detect_format(path), batch_size=10) as reader:
        sizes = [len(b) for b in reader.iter_batches()]
    assert sizes == [10, 10, 5]


def test_jsonl_fixture() -> None:
    rows = read_all(DATA / "postings.jsonl")
    assert [r.position for r in rows] == [0, 1, 2, 3, 4]
    assert rows[0].payload is not None and rows[0].payload["title"] == "SRE"
    assert rows[1].error is not None and rows[1].error.startswith("malformed JSON: ")
    assert rows[2].error == "not a JSON object"
    assert rows[3].error is not None and rows[3].error.startswith(
        "undecodable bytes (not UTF-8) at byte "
    )
    assert rows[3].raw is not None and "\\xff\\xfe" in rows[3].raw
    assert rows[4].payload is not None and rows[4].payload["id"] == 4


def test_jsonl_bad_byte_offset_is_in_the_file(tmp_path: Path) -> None:
    data = b'{"a": 1}\n{"b": "\xc3("}\n'
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    rows = read_all(path)
    bad_at = data.index(b"\xc3")
    assert rows[1].error == f"undecodable bytes (not UTF-8) at byte {bad_at}"


@pytest.mark.parametrize("name", ["postings.jsonl", "bom_and_blank.jsonl"])
def test_deferred_jsonl_lines_resolve_to_what_the_reader_yields(name: str, tmp_path: Path) -> None:
    """``iter_batches(defer=True)`` hands JSON Lines over unparsed (the pipeline's workers parse
    them); parsed anywhere, after pickling, they are the same records, errors and positions."""
    path = DATA / name
    if not path.exists():  # a BOM, blank lines, CRLF and a bad byte, written here
        path = tmp_path / name
        path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n\n  \n{"b": "\xc3("}\n[1]\n{"c": 2')
    direct = read_all(path, batch_size=2)
    with open_reader(path, detect_format(path), batch_size=2) as reader:
        batches = list(reader.iter_batches(defer=True))
    assert all(isinstance(r, PendingLine) for b in batches for r in b)
    assert [len(b) for b in batches] == [min(2, len(direct) - i) for i in range(0, len(direct), 2)]
    shipped = pickle.loads(pickle.dumps(batches))
    assert [r for b in shipped for r in resolve_rows(b)] == direct


def test_deferred_reading_leaves_other_formats_parsed() -> None:
    with open_reader(DATA / "api_response.json", detect_format(DATA / "api_response.json")) as r:
        rows = [row for b in r.iter_batches(defer=True) for row in b]
    assert rows == read_all(DATA / "api_response.json")
    assert all(isinstance(row, RawRow) for row in rows)


def test_json_object_with_list() -> None:
    rows = read_all(DATA / "api_response.json")
    assert len(rows) == 3
    assert rows[0].payload is not None and rows[0].payload["id"] == 10
    assert rows[1].payload is None and rows[1].error == "not a JSON object"
    assert rows[2].payload is not None and rows[2].payload["title"] == "Platform Engineer"


def test_json_object_longest_list_and_single_object(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"tags": [{"t": 1}], "payload": {"entries": [{"a": 1}, {"a": 2}]}}))
    assert [r.payload for r in read_all(path)] == [{"a": 1}, {"a": 2}]
    path.write_text(json.dumps({"title": "Only job", "content": "x"}))
    assert [r.payload for r in read_all(path)] == [{"title": "Only job", "content": "x"}]


def test_json_array_streams_and_keeps_legal_notice(tmp_path: Path) -> None:
    items = [{"legal": "notice"}] + [{"id": i, "title": f"job {i}"} for i in range(3000)]
    path = tmp_path / "remoteok.json.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(json.dumps(items).encode()))
    rows = read_all(path, batch_size=1000)
    assert [r.payload for r in rows] == items


def test_json_array_broken_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": 1}, {"id": 2}, {"id": 3, oops}, {"id": 4}]')
    rows = read_all(path)
    assert [r.payload for r in rows[:2]] == [{"id": 1}, {"id": 2}]
    assert len(rows) == 3
    assert rows[2].payload is None
    assert rows[2].raw == '{"id": 3, oops}, {"id": 4}]'
    assert rows[2].error is not None and rows[2].error.startswith("malformed JSON: ")


def test_json_array_rest_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": 1}, {"id": ' + "9" * (RAW_CAP * 3) + "x}]")
    rows = read_all(path)
    assert len(rows) == 2
    assert rows[1].raw is not None and len(rows[1].raw) == RAW_CAP
    assert rows[1].error is not None and "cut at 1,000,000" in rows[1].error


def test_json_array_bad_bytes_quarantine_one_item(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'[{"a": "ok"}, {"a": "\xff"}, {"a": "ok2"}]')
    rows = read_all(path)
    assert [r.payload for r in rows] == [{"a": "ok"}, None, {"a": "ok2"}]
    assert rows[1].error == "undecodable bytes (not UTF-8) at byte 21"


def test_truncated_gzip_ends_with_an_error_record(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b'{"i": %d}\n' % i for i in range(20000)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    rows = read_all(path)
    assert rows[-1].payload is None and rows[-1].error is not None
    assert all(r.payload is not None for r in rows[:-1]) and len(rows) > 100


def test_parquet_values_become_json(tmp_path: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    table = pa.table(
        {
            "title": ["A", None],
            "posted": [dt.date(2024, 5, 1), None],
            "seen": [dt.datetime(2024, 5, 1, 12, 30), dt.datetime(2024, 5, 2)],
            "pay": pa.array([Decimal("120000.50"), None], pa.decimal128(10, 2)),
            "blob": [b"hi", b"\xff"],
        }
    )
    path = tmp_path / "x.parquet"
    pq.write_table(table, path, row_group_size=1)
    rows = read_all(path)
    assert rows[0].payload == {
        "title": "A",
        "posted": "2024-05-01",
        "seen": "2024-05-01T12:30:00",
        "pay": 120000.5,
        "blob": "hi",
    }
    assert rows[1].payload is not None and rows[1].payload["blob"] == "base64:/w=="
    json.dumps([r.payload for r in rows])


def test_corrupt_parquet_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    rows = read_all(path)
    assert len(rows) == 1 and rows[0].error is not None and "Parquet" in rows[0].error


def test_html_one_record_per_posting() -> None:
    rows = read_all(DATA / "graph_jsonld.html")
    assert [r.payload["title"] for r in rows if r.payload] == ["Data Engineer", "Nested Analyst"]
    assert rows[-1].error is not None and rows[-1].error.startswith("malformed JSON-LD")


def test_html_without_postings_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body>nothing here</body></html>")
    rows = read_all(path)
    assert len(rows) == 1 and rows[0].payload is None and "JobPosting" in (rows[0].error or "")


def test_open_reader_missing(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound):
        open_reader(tmp_path / "gone.csv", FileFormat("csv"))
