"""Read job-posting files: tell the format, then stream records as :class:`~skillgauge.models.RawRow`.

Formats: CSV, TSV, JSON Lines, JSON (an array, or an object holding a list), Parquet and HTML with
schema.org JSON-LD; each optionally gzip- or zstd-compressed. Records are streamed in batches with
bounded memory (CSV/TSV, JSONL and JSON arrays are read piece by piece; Parquet by record batch); a
JSON *object* is read whole, because such files are small API responses.

Bad input never stops a read and never vanishes: a record that cannot be read becomes a RawRow with
``payload=None``, ``raw`` holding what was read (undecodable bytes shown as backslash escapes) and
``error`` saying why. A broken record costs only itself, except where the format makes the rest
unreadable (a JSON array broken in the middle: the rest becomes one error record).

JSON arrays are scanned with ``json.JSONDecoder.raw_decode`` over a sliding buffer rather than ijson:
it yields items one by one just the same, but knows where each item starts and ends, which is what
lets a broken item or a bad byte be quarantined and reported with its position.
"""

from __future__ import annotations

import base64
import codecs
import csv
import datetime as dt
import gzip
import json
import math
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, overload

from skillgauge import jsonio
from skillgauge.exceptions import SourceNotFound, UnknownFormat
from skillgauge.models import RawRow
from skillgauge.sources.jsonld import scan_job_postings

__all__ = [
    "FileFormat",
    "FileReader",
    "PendingLine",
    "ReadRow",
    "detect_format",
    "open_reader",
    "resolve_rows",
]

Kind = Literal["csv", "tsv", "json", "jsonl", "parquet", "html"]
Compression = Literal["gzip", "zstd"]

KINDS: tuple[str, ...] = ("csv", "tsv", "json", "jsonl", "parquet", "html")
_EXTENSIONS: dict[str, Kind] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".html": "html",
    ".htm": "html",
}
_COMPRESSIONS: dict[str, Compression] = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SUPPORTED = (
    "supported: .csv .tsv .tab .json .jsonl .ndjson .parquet .pq .html .htm, "
    "each optionally .gz/.zst (or use --format)"
)
RAW_CAP = 1_000_000  # characters of a broken remainder kept in an error record
_CHUNK = 1 << 20
_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True, slots=True)
class FileFormat:
    """What a file holds (``kind``) and how it is compressed (``None``, "gzip" or "zstd")."""

    kind: Kind
    compression: Compression | None = None


def _open_decompressed(raw: IO[bytes], compression: Compression | None) -> IO[bytes]:
    if compression == "gzip":
        unzipped: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        return unzipped
    if compression == "zstd":
        import zstandard

        reader: IO[bytes] = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return reader
    return raw


def _sniff_text(head: bytes) -> Kind | None:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"PAR1"):
        return "parquet"
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"<"):
        return "html"
    if text.startswith(b"{"):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) >= 2 and lines[1].lstrip().startswith(b"{"):
            try:
                json.loads(lines[0])
            except ValueError:
                return "json"
            return "jsonl"
        return "json"
    return None


def detect_format(path: Path, override: str | None = None) -> FileFormat:
    """Tell a file's format from its name, else from its first bytes.

    ``override`` ("csv", "jsonl.gz", ...) names the kind (and optionally the compression) outright.
    Raises :class:`SourceNotFound` for a missing path, :class:`UnknownFormat` when nothing tells.
    """
    path = Path(path)
    if not path.exists():
        raise SourceNotFound(f"{path}: no such file")
    if path.is_dir():
        raise UnknownFormat(f"{path}: is a directory, not a file ({_SUPPORTED})")
    with path.open("rb") as fh:
        magic = fh.read(4)
    sniffed_compression: Compression | None = None
    if magic.startswith(_GZIP_MAGIC):
        sniffed_compression = "gzip"
    elif magic.startswith(_ZSTD_MAGIC):
        sniffed_compression = "zstd"
    if override:
        parts = override.lower().lstrip(".").split(".")
        kind_text = {"ndjson": "jsonl", "tab": "tsv", "pq": "parquet", "htm": "html"}.get(
            parts[0], parts[0]
        )
        if kind_text not in KINDS:
            raise UnknownFormat(f"{path}: unknown format '{override}' ({_SUPPORTED})")
        comp = _COMPRESSIONS.get("." + parts[1]) if len(parts) > 1 else sniffed_compression
        return FileFormat(kind_text, comp)  # type: ignore[arg-type]
    suffixes = [s.lower() for s in path.suffixes]
    compression: Compression | None = None
    if suffixes and suffixes[-1] in _COMPRESSIONS:
        compression = _COMPRESSIONS[suffixes.pop()]
    if suffixes and suffixes[-1] in _EXTENSIONS:
        return FileFormat(_EXTENSIONS[suffixes[-1]], compression or sniffed_compression)
    compression = compression or sniffed_compression
    try:
        with path.open("rb") as raw, _open_decompressed(raw, compression) as fh:
            head = fh.read(64 * 1024)
    except (OSError, EOFError, ValueError) as exc:
        raise UnknownFormat(f"{path}: cannot read it ({exc}); {_SUPPORTED}") from exc
    kind = _sniff_text(head)
    if kind is None:
        raise UnknownFormat(f"{path}: format cannot be told from its name or content; {_SUPPORTED}")
    return FileFormat(kind, compression)


def _show(data: bytes) -> str:
    """Bytes as text, undecodable bytes as backslash escapes."""
    return data.decode("utf-8", errors="backslashreplace")


def _shown(text: str) -> str:
    """Text decoded with surrogateescape, shown with the bad bytes as backslash escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _bad_byte_offset(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def to_jsonable(value: Any) -> Any:
    """Arrow/Parquet values as JSON-ready ones: dates as ISO text, decimals as numbers, bytes as text."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return "base64:" + base64.b64encode(data).decode("ascii")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if all(isinstance(v, tuple) and len(v) == 2 for v in value) and value:
            return {str(k): to_jsonable(v) for k, v in value}  # Arrow map type
        return [to_jsonable(v) for v in value]
    return str(value)


@dataclass(frozen=True, slots=True)
class PendingLine:
    """A JSON Lines record cut from the file but not yet parsed: what ``iter_batches(defer=True)``
    yields, so that parsing happens wherever :func:`resolve_rows` runs.

    Why: in the ingest pipeline the main process reads and the worker processes prepare. Parsing
    every line in the main process, then pickling the dicts across, kept the main process (which
    bounds ingestion) busy with work a worker can do; a line of bytes pickles as one object. The
    position and byte offset travel with the line, so a bad line is quarantined with the same
    position and reason as when the reader parses it.
    """

    position: int
    data: bytes
    start: int

    def __reduce__(self) -> tuple[type[PendingLine], tuple[int, bytes, int]]:
        return (PendingLine, (self.position, self.data, self.start))

    def resolve(self) -> RawRow:
        """The record as the reader would have yielded it (payload, or error and raw text)."""
        return FileReader._json_record(self.position, self.data, self.start)


#: What a batch of ``FileReader.iter_batches`` holds.
ReadRow = RawRow | PendingLine


def resolve_rows(rows: Sequence[ReadRow]) -> list[RawRow]:
    """Parse the deferred lines of a batch (records already parsed are kept as they are)."""
    return [r.resolve() if isinstance(r, PendingLine) else r for r in rows]


class FileReader:
    """Streams a file's records in batches. Use as a context manager (or call :meth:`close`)."""

    def __init__(self, path: Path, fmt: FileFormat, batch_size: int = 5000) -> None:
        self.path = Path(path)
        self.format = fmt
        self.batch_size = max(1, batch_size)
        self.bytes_total = self.path.stat().st_size
        self._raw: IO[bytes] = self.path.open("rb")
        self._closed = False
        self._finished = False

    def bytes_done(self) -> int:
        """Bytes of the file on disk (compressed) consumed so far."""
        if self._closed or self._finished:
            return self.bytes_total
        try:
            return min(self._raw.tell(), self.bytes_total)
        except (OSError, ValueError):
            return self.bytes_total

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._raw.close()

    def __enter__(self) -> FileReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @overload
    def iter_batches(self, *, defer: Literal[False] = False) -> Iterator[list[RawRow]]: ...

    @overload
    def iter_batches(self, *, defer: bool) -> Iterator[list[ReadRow]]: ...

    def iter_batches(
        self, *, defer: bool = False
    ) -> Iterator[list[ReadRow]] | Iterator[list[RawRow]]:
        """Lists of up to ``batch_size`` records, in file order.

        ``defer=True``: JSON Lines records come as :class:`PendingLine` (cut, not parsed; see
        :func:`resolve_rows`); other formats are unaffected. Without it every item is a ``RawRow``.
        """
        batch: list[ReadRow] = []
        for row in self._rows(defer):
            batch.append(row)
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch
        self._finished = True

    def _stream(self) -> IO[bytes]:
        self._raw.seek(0)
        return _open_decompressed(self._raw, self.format.compression)

    def _rows(self, defer: bool = False) -> Iterator[ReadRow]:
        kind = self.format.kind
        if kind in ("csv", "tsv"):
            yield from self._guard(self._csv_rows("\t" if kind == "tsv" else ","))
        elif kind == "jsonl":
            yield from self._guard(self._jsonl_rows(defer))
        elif kind == "json":
            yield from self._guard(self._json_rows())
        elif kind == "parquet":
            yield from self._guard(self._parquet_rows())
        else:
            yield from self._guard(self._html_rows())

    def _guard(self, rows: Iterator[ReadRow]) -> Iterator[ReadRow]:
        """A stream that dies (truncated gzip, corrupt zstd) ends with one error record, not a crash."""
        position = 0
        try:
            for row in rows:
                position = row.position + 1
                yield row
        except Exception as exc:  # gzip/zstd/pyarrow each raise their own errors on a broken stream
            yield RawRow(
                position, None, raw="", error=f"file cannot be read past this point: {exc}"
            )

    # -- CSV / TSV -----------------------------------------------------------------------------

    def _csv_rows(self, delimiter: str) -> Iterator[RawRow]:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        stream = self._stream()
        consumed: list[str] = []
        offsets: list[int] = []
        state = {"offset": 0, "first": True}

        def lines() -> Iterator[str]:
            for line in stream:
                if state["first"]:
                    state["first"] = False
                    if line.startswith(codecs.BOM_UTF8):
                        line = line[len(codecs.BOM_UTF8) :]
                        state["offset"] = len(codecs.BOM_UTF8)
                text = line.decode("utf-8", "surrogateescape")
                consumed.append(text)
                offsets.append(int(state["offset"]))
                state["offset"] = int(state["offset"]) + len(line)
                yield text

        reader = csv.reader(lines(), delimiter=delimiter, strict=False)
        header: list[str] | None = None
        position = 0
        while True:
            consumed.clear()
            offsets.clear()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if header is None:
                    yield RawRow(0, None, raw=_shown("".join(consumed)), error=f"bad header: {exc}")
                    return
                yield RawRow(
                    position, None, raw=_shown("".join(consumed)), error=f"CSV error: {exc}"
                )
                position += 1
                continue
            if header is None:
                if not fields:
                    continue
                header = _unique([_shown(f).strip() for f in fields])
                continue
            if not fields or (fields == [""] and len(header) > 1):
                continue  # a blank line is not a record
            raw_text = "".join(consumed)
            bad = _SURROGATE.search(raw_text)
            if bad is not None:
                line_index = 0
                pos = bad.start()
                for i, text in enumerate(consumed):
                    if pos < len(text):
                        line_index = i
                        break
                    pos -= len(text)
                offset = offsets[line_index] + len(
                    consumed[line_index][:pos].encode("utf-8", "surrogateescape")
                )
                yield RawRow(
                    position,
                    None,
                    raw=_shown(raw_text),
                    error=f"undecodable bytes (not UTF-8) at byte {offset}",
                )
            elif len(fields) != len(header):
                yield RawRow(
                    position,
                    None,
                    raw=raw_text,
                    error=f"CSV row has {len(fields)} fields, header has {len(header)}",
                )
            else:
                payload = {h: (v if v != "" else None) for h, v in zip(header, fields, strict=True)}
                yield RawRow(position, payload)
            position += 1

    # -- JSON Lines ----------------------------------------------------------------------------

    def _jsonl_rows(self, defer: bool = False) -> Iterator[ReadRow]:
        stream = self._stream()
        offset = 0
        position = 0
        first = True
        for line in stream:
            start = offset
            offset += len(line)
            if first:
                first = False
                if line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8) :]
                    start += len(codecs.BOM_UTF8)
            if not line.strip():
                continue
            data = line.rstrip(b"\r\n")
            yield (
                PendingLine(position, data, start)
                if defer
                else self._json_record(position, data, start)
            )
            position += 1

    @staticmethod
    def _json_record(position: int, data: bytes, start: int) -> RawRow:
        try:
            value = jsonio.loads_bytes(data)
        except UnicodeDecodeError as exc:
            return RawRow(
                position,
                None,
                raw=_show(data),
                error=f"undecodable bytes (not UTF-8) at byte {start + exc.start}",
            )
        except ValueError as exc:  # JSONDecodeError, or an integer beyond the digit limit
            text = data.decode("utf-8")  # UTF-8: loads_bytes decodes it before it raises these
            return RawRow(position, None, raw=text, error=f"malformed JSON: {exc}")
        except RecursionError:
            text = data.decode("utf-8")
            return RawRow(position, None, raw=text, error="malformed JSON: nested too deeply")
        if not isinstance(value, dict):
            return RawRow(position, None, raw=data.decode("utf-8"), error="not a JSON object")
        return RawRow(position, value)

    # -- JSON ----------------------------------------------------------------------------------

    def _json_rows(self) -> Iterator[RawRow]:
        stream = self._stream()
        head = stream.read(_CHUNK)
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        stripped = head.lstrip()
        if not stripped:
            return
        if stripped.startswith(b"["):
            yield from _ArrayScanner(stream, head).rows()
            return
        data = head + stream.read()
        yield from _object_rows(data)

    # -- Parquet -------------------------------------------------------------------------------

    def _parquet_rows(self) -> Iterator[RawRow]:
        if self.format.compression is None:
            self._raw.seek(0)
            yield from self._parquet_from(self._raw)
            return
        with tempfile.TemporaryFile() as spool:  # Parquet needs a seekable file: unpack to disk
            with self._stream() as stream:
                while chunk := stream.read(_CHUNK):
                    spool.write(chunk)
            spool.seek(0)
            yield from self._parquet_from(spool)

    def _parquet_from(self, source: IO[bytes]) -> Iterator[RawRow]:
        import pyarrow.parquet as pq

        position = 0
        try:
            parquet = pq.ParquetFile(source)
            for batch in parquet.iter_batches(batch_size=self.batch_size):
                for record in batch.to_pylist():
                    yield RawRow(position, {str(k): to_jsonable(v) for k, v in record.items()})
                    position += 1
        except Exception as exc:  # pyarrow raises its own error tree (ArrowInvalid, OSError ...)
            yield RawRow(position, None, raw="", error=f"unreadable Parquet: {exc}")

    # -- HTML ----------------------------------------------------------------------------------

    def _html_rows(self) -> Iterator[RawRow]:
        data = self._stream().read()
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
        postings, errors = scan_job_postings(text)
        position = 0
        for posting in postings:
            yield RawRow(position, posting)
            position += 1
        for error in errors:
            yield RawRow(position, None, raw=_cap(text), error=error)
            position += 1
        if not postings and not errors:
            yield RawRow(
                0,
                None,
                raw=_cap(text),
                error="no schema.org JobPosting (JSON-LD) found in the HTML",
            )


def _cap(text: str) -> str:
    if len(text) <= RAW_CAP:
        return text
    return text[:RAW_CAP] + f"... [cut at {RAW_CAP:,} characters of {len(text):,}]"


def _unique(names: list[str]) -> list[str]:
    """Header names made unique the way pandas does: "a", "a.1", "a.2"."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        if name in seen:
            seen[name] += 1
            candidate = f"{name}.{seen[name]}"
            while candidate in seen:
                seen[name] += 1
                candidate = f"{name}.{seen[name]}"
            seen[candidate] = 0
            out.append(candidate)
        else:
            seen[name] = 0
            out.append(name)
    return out


_LIST_KEYS = (
    "jobs",
    "data",
    "results",
    "items",
    "postings",
    "hits",
    "records",
    "positions",
    "offers",
)


def _object_lists(node: Any, depth: int = 0) -> Iterator[list[Any]]:
    if depth > 6 or not isinstance(node, dict):
        return
    for value in node.values():
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            yield value
        elif isinstance(value, dict):
            yield from _object_lists(value, depth + 1)


def _pick_list(obj: dict[str, Any]) -> list[Any] | None:
    """The list of records in an API response: under a usual key, else the longest list of objects."""
    for key in _LIST_KEYS:
        value = obj.get(key)
        if isinstance(value, list) and (not value or any(isinstance(v, dict) for v in value)):
            return value
    lists = list(_object_lists(obj))
    return max(lists, key=len) if lists else None


def _has_surrogates(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_surrogates(k) or _has_surrogates(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogates(v) for v in value)
    return False


def _object_rows(data: bytes) -> Iterator[RawRow]:
    """A JSON document that is not an array: read whole and pick its list of records."""
    text = data.decode("utf-8", "surrogateescape")
    bad_offset = _bad_byte_offset(data) if _SURROGATE.search(text) else None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield RawRow(0, None, raw=_cap(_shown(text)), error=f"malformed JSON: {exc}")
        return
    if not isinstance(value, dict):
        yield RawRow(0, None, raw=_cap(_shown(text)), error="not a JSON object")
        return
    records = _pick_list(value)
    if records is None:
        records = [value]  # a single posting (e.g. one job's detail response)
    for position, item in enumerate(records):
        if not isinstance(item, dict):
            yield RawRow(position, None, raw=json.dumps(item)[:RAW_CAP], error="not a JSON object")
        elif _has_surrogates(item):
            shown = _shown(json.dumps(item, ensure_ascii=False))
            yield RawRow(
                position,
                None,
                raw=_cap(shown),
                error=f"undecodable bytes (not UTF-8) in this record; first at byte {bad_offset}",
            )
        else:
            yield RawRow(position, item)


class _ArrayScanner:
    """Items of a top-level JSON array, one by one, from a byte stream, with bounded memory."""

    _decoder = json.JSONDecoder()
    _WS = re.compile(r"[ \t\r\n]*")

    def __init__(self, stream: IO[bytes], head: bytes) -> None:
        self.stream = stream
        self.incremental = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self.buf = self.incremental.decode(head)
        self.base = 0  # byte offset (in the decompressed stream) of buf[0]
        self.eof = False
        self.chunk = _CHUNK

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.stream.read(self.chunk)
        if not data:
            self.eof = True
            self.buf += self.incremental.decode(b"", final=True)
            return False
        self.buf += self.incremental.decode(data)
        return True

    def _skip_ws(self, idx: int) -> int:
        while True:
            end = self._WS.match(self.buf, idx)
            idx = end.end() if end else idx
            if idx < len(self.buf) or not self._more():
                return idx

    def _trim(self, idx: int) -> int:
        if idx > _CHUNK:
            self.base += len(self.buf[:idx].encode("utf-8", "surrogateescape"))
            self.buf = self.buf[idx:]
            return 0
        return idx

    def _byte_at(self, idx: int) -> int:
        return self.base + len(self.buf[:idx].encode("utf-8", "surrogateescape"))

    def _rest(self, idx: int, reason: str, position: int) -> RawRow:
        while len(self.buf) - idx <= RAW_CAP and self._more():
            pass
        rest = self.buf[idx:]
        more = not self.eof
        shown = _shown(rest[:RAW_CAP])
        note = ""
        if len(rest) > RAW_CAP or more:
            note = f" (raw cut at {RAW_CAP:,} characters; the rest of the file was not read)"
        return RawRow(position, None, raw=shown, error=f"malformed JSON: {reason}{note}")

    def rows(self) -> Iterator[RawRow]:
        idx = self._skip_ws(0) + 1  # past "["
        position = 0
        idx = self._skip_ws(idx)
        if idx < len(self.buf) and self.buf[idx] == "]":
            return
        while True:
            idx = self._trim(self._skip_ws(idx))
            if idx >= len(self.buf):
                yield self._rest(idx, "the array is not closed (file ends early)", position)
                return
            try:
                value, end = self._decode(idx)
            except json.JSONDecodeError as exc:
                yield self._rest(idx, f"{exc.msg} in item {position}", position)
                return
            except ValueError as exc:  # e.g. an integer longer than Python's digit limit
                yield self._rest(idx, f"{exc} in item {position}", position)
                return
            except RecursionError:
                yield self._rest(idx, f"item {position} is nested too deeply", position)
                return
            item_text = self.buf[idx:end]
            if _SURROGATE.search(item_text):
                bad = _SURROGATE.search(item_text)
                offset = self._byte_at(idx + (bad.start() if bad else 0))
                yield RawRow(
                    position,
                    None,
                    raw=_cap(_shown(item_text)),
                    error=f"undecodable bytes (not UTF-8) at byte {offset}",
                )
            elif not isinstance(value, dict):
                yield RawRow(position, None, raw=_cap(item_text), error="not a JSON object")
            else:
                yield RawRow(position, value)
            position += 1
            idx = self._skip_ws(end)
            if idx < len(self.buf) and self.buf[idx] == ",":
                idx += 1
                continue
            if idx < len(self.buf) and self.buf[idx] == "]":
                tail_idx = self._skip_ws(idx + 1)
                if tail_idx < len(self.buf):
                    yield self._rest(tail_idx, "extra data after the array", position)
                return
            if idx >= len(self.buf):
                yield self._rest(idx, "the array is not closed (file ends early)", position)
                return
            yield self._rest(idx, f"expected ',' or ']' after item {position - 1}", position)
            return

    def _decode(self, idx: int) -> tuple[Any, int]:
        while True:
            try:
                return self._decoder.raw_decode(self.buf, idx)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.buf) - 64 or exc.msg.startswith("Unterminated")
                if not (near_end and self._more()):
                    raise
                self.chunk = min(self.chunk * 2, 64 * _CHUNK)


def open_reader(path: Path, fmt: FileFormat, *, batch_size: int = 5000) -> FileReader:
    """Open ``path`` for streaming reads in format ``fmt`` (see :func:`detect_format`)."""
    path = Path(path)
    if not path.exists():
        raise SourceNotFound(f"{path}: no such file")
    return FileReader(path, fmt, batch_size=batch_size)


__all__ += ["RAW_CAP", "to_jsonable"]
