"""``skillgauge taxonomy import onet|esco|esco-labels|apply``: candidates for review, and the
reviewed files.

Why a module of its own: the import is a maintainer's tool with its own inputs (the O*NET and ESCO
files, the ESCO 1.1.0 label list, the review logs) and outputs (a candidates YAML, a Markdown diff,
the packaged ``terms_imported.yaml`` and ``standard_ids.yaml``); cli.py only registers it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from skillgauge.exceptions import InputError

import_app = typer.Typer(
    help=(
        "Import candidate terms from O*NET / ESCO for review, and build the reviewed files.\n\n"
        "Example: skillgauge taxonomy import onet --out onet.yaml --diff onet.md"
    ),
    no_args_is_help=True,
)

DEFAULT_DATA = Path("../shared/data")
LABELS_LOG = "esco-labels-1.1.0.csv"
TAXONOMY_DIR = Path(__file__).resolve().parent / "taxonomy"

DataOpt = Annotated[
    Path,
    typer.Option(
        "--data",
        help="The shared data directory (holds onet_29_2/, esco_skills/, decorte_skill_extraction/).",
    ),
]
OutOpt = Annotated[Path, typer.Option("--out", help="Write the candidates YAML here.")]
DiffOpt = Annotated[Path, typer.Option("--diff", help="Write the Markdown review diff here.")]


def _posting_texts(data: Path) -> Iterator[str]:
    """Posting texts in ``data`` for the word profile (HN 2013-2018, LinkedIn 2018), if present."""
    hn = data / "hn_whoishiring_2013_2018" / "hn_hiring_mapped_2013_2018.jsonl.gz"
    if hn.is_file():
        with gzip.open(hn, "rt", encoding="utf-8") as fh:
            for line in fh:
                yield str(json.loads(line).get("full_html") or "")
    import pandas as pd

    for name in ("linkedin_data_scientist.csv.gz", "linkedin_data_analyst.csv.gz"):
        path = data / "linkedin_indeed_ca_2018" / name
        if path.is_file():
            frame = pd.read_csv(path, usecols=["description"])
            yield from frame["description"].dropna().astype(str)


@import_app.command("onet")
def import_onet(out: OutOpt, diff: DiffOpt, data: DataOpt = DEFAULT_DATA) -> None:
    """Candidates from O*NET 29.2 Technology Skills: new terms, enrichments, conflicts.

    Nothing enters the taxonomy: review the diff, record decisions in
    src/skillgauge/taxonomy/review/onet-29.2.csv, then run `skillgauge taxonomy import apply`.

    Example: skillgauge taxonomy import onet --data ../shared/data --out onet.yaml --diff onet.md
    """
    from skillgauge.taxonomy.imports.candidates import (
        build_candidates,
        candidates_yaml,
        diff_markdown,
    )
    from skillgauge.taxonomy.imports.names import WordProfile
    from skillgauge.taxonomy.imports.onet import read_onet
    from skillgauge.taxonomy.loader import load_taxonomy

    examples = read_onet(data)
    profile = WordProfile.from_texts(_posting_texts(data))
    cands = build_candidates(examples, load_taxonomy(), profile)
    out.write_text(candidates_yaml(cands), encoding="utf-8")
    diff.write_text(diff_markdown(cands), encoding="utf-8")
    kinds = {k: sum(c.kind == k for c in cands) for k in ("new", "enrich", "conflict")}
    typer.echo(
        f"{len(examples):,} O*NET examples -> {len(cands):,} candidates "
        f"({kinds['new']:,} new, {kinds['enrich']:,} enrich, {kinds['conflict']:,} conflicts); "
        f"wrote {out} and {diff}"
    )


@import_app.command("esco")
def import_esco(out: OutOpt, diff: DiffOpt, data: DataOpt = DEFAULT_DATA) -> None:
    """ESCO concepts whose preferred label is a term's esco_label or alias (their concept URIs).

    Reads DATA/esco_skills/skills_en.csv.gz, or a full ESCO download's skills_en.csv in
    DATA/esco_skills/ or DATA/. Record the URIs in taxonomy/review/esco.csv, then `import apply`.

    Example: skillgauge taxonomy import esco --data ../shared/data --out esco.yaml --diff esco.md
    """
    import yaml

    from skillgauge.taxonomy.imports.esco import esco_diff_markdown, match_concepts, read_esco
    from skillgauge.taxonomy.loader import load_taxonomy

    concepts = read_esco(data)
    matches = match_concepts(concepts, load_taxonomy())
    payload = {
        "source": "esco",
        "candidates": [
            {
                "kind": "enrich",
                "target": m.term_id,
                "esco_uri": m.concept.uri,
                "label": m.label,
                "by": m.by,
            }
            for m in matches
        ],
    }
    out.write_text(yaml.safe_dump(payload, sort_keys=False, allow_unicode=True), encoding="utf-8")
    diff.write_text(esco_diff_markdown(matches, len(concepts)), encoding="utf-8")
    typer.echo(
        f"{len(concepts):,} ESCO concepts -> {len(matches)} enrichments; wrote {out}, {diff}"
    )


@import_app.command("esco-labels")
def import_esco_labels(
    out: Annotated[
        Path, typer.Option("--out", help="Write the proposed review rows (review-log CSV) here.")
    ],
    diff: DiffOpt,
    data: DataOpt = DEFAULT_DATA,
) -> None:
    """ESCO 1.1.0 skill preferred labels that name an existing term (for its esco_label).

    Reads DATA/decorte_skill_extraction/skills_en_label.txt.gz. Review the rows (set decision
    enrich or reject, give the reason), save them as
    src/skillgauge/taxonomy/review/esco-labels-1.1.0.csv, then run `skillgauge taxonomy import apply`.

    Example: skillgauge taxonomy import esco-labels --data ../shared/data --out l.csv --diff l.md
    """
    from skillgauge.taxonomy.imports.esco_labels import (
        label_review_rows,
        labels_diff_markdown,
        match_labels,
        read_labels,
    )
    from skillgauge.taxonomy.imports.review import write_review
    from skillgauge.taxonomy.loader import load_taxonomy

    labels = read_labels(data)
    taxonomy = load_taxonomy()
    matching = match_labels(labels, taxonomy)
    out.write_text(write_review(label_review_rows(matching, taxonomy)), encoding="utf-8")
    diff.write_text(labels_diff_markdown(matching, len(labels)), encoding="utf-8")
    typer.echo(
        f"{len(labels):,} ESCO labels -> {len(matching.matches)} proposed, "
        f"{len(matching.refused)} refused; wrote {out}, {diff}"
    )


@import_app.command("apply")
def import_apply(
    data: DataOpt = DEFAULT_DATA,
    review_dir: Annotated[
        Path, typer.Option("--review-dir", help="Directory of the review logs (*.csv).")
    ] = TAXONOMY_DIR / "review",
    terms_out: Annotated[
        Path, typer.Option("--terms", help="Write the accepted new terms here.")
    ] = TAXONOMY_DIR / "terms_imported.yaml",
    ids_out: Annotated[
        Path, typer.Option("--ids", help="Write the standard ids of existing terms here.")
    ] = TAXONOMY_DIR / "standard_ids.yaml",
) -> None:
    """Build terms_imported.yaml and standard_ids.yaml from the review logs and the O*NET data.

    Review logs: onet-29.2.csv (required), esco.csv (ESCO URIs) and esco-labels-1.1.0.csv (ESCO
    labels, checked against DATA/decorte_skill_extraction/skills_en_label.txt.gz) when present.

    Example: skillgauge taxonomy import apply --data ../shared/data
    """
    from skillgauge.taxonomy.imports.esco_labels import read_labels
    from skillgauge.taxonomy.imports.onet import read_onet
    from skillgauge.taxonomy.imports.review import (
        apply_review,
        esco_ids,
        esco_label_ids,
        imported_yaml,
        merge_ids,
        read_review,
        standard_ids_yaml,
    )

    onet_log = review_dir / "onet-29.2.csv"
    if not onet_log.is_file():
        raise InputError(f"no O*NET review log at {onet_log}")
    rows = read_review(onet_log.read_text(encoding="utf-8"), source=str(onet_log))
    examples = {e.example: e for e in read_onet(data)}
    terms, ids = apply_review(rows, examples)
    esco_log = review_dir / "esco.csv"
    esco: dict[str, dict[str, object]] = {}
    if esco_log.is_file():
        esco = esco_ids(read_review(esco_log.read_text(encoding="utf-8"), source=str(esco_log)))
    labels_log = review_dir / LABELS_LOG
    labels: dict[str, dict[str, object]] = {}
    if labels_log.is_file():
        labels = esco_label_ids(
            read_review(labels_log.read_text(encoding="utf-8"), source=str(labels_log)),
            frozenset(read_labels(data)),
        )
    merged = merge_ids(ids, esco, labels)
    terms_out.write_text(imported_yaml(terms), encoding="utf-8")
    ids_out.write_text(standard_ids_yaml(merged), encoding="utf-8")
    typer.echo(
        f"{len(rows):,} decisions -> {len(terms):,} new terms in {terms_out}, "
        f"ids for {len(merged):,} existing terms ({len(labels)} with an ESCO label) in {ids_out}"
    )
