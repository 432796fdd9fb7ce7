"""Read O*NET's "Technology Skills" file and fold its rows into one record per technology example.

Why fold: the file has one row per (occupation, example), 32,627 rows for 8,768 examples. A term
cares about the example: which UNSPSC commodity O*NET files it under, whether any occupation flags
it Hot Technology or In Demand, and in how many occupations it occurs (a cheap measure of how
widely it is used, which orders the review).
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skillgauge.exceptions import DataFileError, SourceNotFound

SOURCE = "onet-29.2"
LICENCE = "CC-BY-4.0"
FILE = "onet_29_2/Technology_Skills.txt.gz"
COLUMNS = (
    "O*NET-SOC Code",
    "Example",
    "Commodity Code",
    "Commodity Title",
    "Hot Technology",
    "In Demand",
)


@dataclass(frozen=True, slots=True)
class OnetRow:
    """One (occupation, technology example) row."""

    soc: str
    example: str
    commodity_code: str
    commodity_title: str
    hot: bool
    in_demand: bool


@dataclass(frozen=True, slots=True)
class OnetExample:
    """One technology example over all occupations listing it."""

    example: str
    commodity_code: str
    commodity_title: str
    hot: bool
    in_demand: bool
    occupations: int
    hot_occupations: int


def parse_rows(lines: Iterable[str], *, source: str = FILE) -> list[OnetRow]:
    """Rows of the tab-separated file (header first). A missing column is a ``DataFileError``."""
    reader = csv.reader(lines, delimiter="\t")
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header[: len(COLUMNS)]) != COLUMNS:
        raise DataFileError(f"{source}: expected the columns {', '.join(COLUMNS)}; got {header}")
    rows: list[OnetRow] = []
    for number, cells in enumerate(reader, start=2):
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) < len(COLUMNS):
            raise DataFileError(f"{source}: line {number}: {len(cells)} columns, expected 6")
        soc, example, code, title, hot, demand = (c.strip() for c in cells[: len(COLUMNS)])
        rows.append(OnetRow(soc, example, code, title, hot == "Y", demand == "Y"))
    return rows


def fold_examples(rows: Iterable[OnetRow]) -> list[OnetExample]:
    """One record per example; its commodity is the one most rows give (ties: the first seen).

    Sorted by priority: Hot/In Demand first, then by number of occupations, then by name.
    """
    socs: dict[str, set[str]] = defaultdict(set)
    hot_socs: dict[str, set[str]] = defaultdict(set)
    demand: dict[str, bool] = defaultdict(bool)
    commodities: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for row in rows:
        socs[row.example].add(row.soc)
        if row.hot:
            hot_socs[row.example].add(row.soc)
        demand[row.example] |= row.in_demand
        commodities[row.example][(row.commodity_code, row.commodity_title)] += 1
    out = []
    for example, where in socs.items():
        (code, title), _ = commodities[example].most_common(1)[0]
        out.append(
            OnetExample(
                example=example,
                commodity_code=code,
                commodity_title=title,
                hot=bool(hot_socs[example]),
                in_demand=demand[example],
                occupations=len(where),
                hot_occupations=len(hot_socs[example]),
            )
        )
    out.sort(key=lambda e: (-(e.hot or e.in_demand), -e.occupations, e.example.casefold()))
    return out


def read_onet(data_dir: Path) -> list[OnetExample]:
    """The folded examples of ``<data_dir>/onet_29_2/Technology_Skills.txt.gz`` (or the plain file)."""
    path = data_dir / FILE
    if not path.is_file():
        plain = path.with_suffix("")
        if not plain.is_file():
            raise SourceNotFound(f"O*NET technology file not found: {path}")
        path = plain
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return fold_examples(parse_rows(fh, source=str(path)))
