"""``skillgauge taxonomy diff | candidates | accept``: the curator's tools for changing the vocabulary.

Kept apart from :mod:`skillgauge.cli` (which registers them on its ``taxonomy`` group with
:func:`register`) because they form one workflow: mine candidates from the stored postings, review
them in a YAML file, accept some into a vocabulary file, then ``diff`` the old and new taxonomies to
see how the shares would move before re-extracting. Logic lives in
:mod:`skillgauge.taxonomy.diff`, :mod:`skillgauge.taxonomy.candidates` and
:mod:`skillgauge.analyze.taxonomy_shift`; these commands only load, call and print.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.table import Table

from skillgauge.exceptions import DataFileError, InputError, SourceNotFound
from skillgauge.settings import Settings
from skillgauge.taxonomy.model import Category, Taxonomy

__all__ = ["accept_candidates", "register", "resolve_taxonomy", "review_document", "slug"]

out = Console(width=None if sys.stdout.isatty() else 160)
_settings: Callable[[], Settings] = Settings


def register(app: typer.Typer, settings: Callable[[], Settings]) -> None:
    """Add ``diff``, ``candidates`` and ``accept`` to ``app`` (the ``taxonomy`` group);
    ``settings`` gives the settings of the invocation (global options applied)."""
    global _settings
    _settings = settings
    app.command("diff")(taxonomy_diff)
    app.command("candidates")(taxonomy_candidates)
    app.command("accept")(taxonomy_accept)


def resolve_taxonomy(spec: str, settings: Settings) -> Taxonomy:
    """``builtin`` (the packaged vocabulary), ``current`` (what this invocation uses: --taxonomy,
    --vocab), ``builtin+FILE`` (the packaged one with FILE merged in) or a taxonomy FILE."""
    from skillgauge.taxonomy.loader import load_taxonomy
    from skillgauge.taxonomy.vocab import load_vocabulary, taxonomy_in_use

    if spec == "builtin":
        return load_taxonomy()
    if spec == "current":
        return taxonomy_in_use(settings.taxonomy, settings.vocab, settings.vocab_mode)
    if spec.startswith("builtin+"):
        return taxonomy_in_use(None, Path(spec.removeprefix("builtin+")), "merge")
    path = Path(spec)
    if path.suffix.lower() == ".csv":
        return load_vocabulary(path)
    return load_taxonomy(path)


def _settings_with_db(db: Path | None) -> Settings:
    s = _settings()
    return s.model_copy(update={"db": db}) if db is not None else s


def _pct(share: float, low: float, high: float) -> str:
    return f"{share:.1%} [{low:.1%}–{high:.1%}]"


def taxonomy_diff(
    a: Annotated[str, typer.Argument(help="Taxonomy A: builtin, current, builtin+FILE or FILE.")],
    b: Annotated[str, typer.Argument(help="Taxonomy B: builtin, current, builtin+FILE or FILE.")],
    db: Annotated[
        Path | None, typer.Option("--db", help="The store to measure on (default: --db/settings).")
    ] = None,
    role: Annotated[
        list[str] | None, typer.Option("--role", help="Role(s) to measure (default: all).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows of share movement.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What changed between two taxonomies (terms added/removed, aliases, categories, context
    rules) and, when a store exists, how each term's share would move: the stored unique postings are
    extracted again with A and with B in memory (nothing is written).

    Example: skillgauge taxonomy diff builtin builtin+my-terms.csv --role data-engineer --top 10
    """
    from skillgauge.analyze.intervals import WILSON_95
    from skillgauge.analyze.taxonomy_shift import count_shift, shift_frame
    from skillgauge.extract.matcher import Matcher
    from skillgauge.store import queries
    from skillgauge.taxonomy.diff import diff_taxonomies

    s = _settings_with_db(db)
    tax_a, tax_b = resolve_taxonomy(a, s), resolve_taxonomy(b, s)
    diff = diff_taxonomies(tax_a, tax_b)
    payload: dict[str, Any] = {"diff": diff.to_dict(), "shift": None}
    if not as_json:
        for line in diff.lines():
            out.print(line, highlight=False, markup=False)
    if not s.db.exists():
        if not as_json:
            out.print(f"(no store at {s.db}: share movement not measured)", highlight=False)
        else:
            sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    if diff.identical:
        if as_json:
            sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    from skillgauge.database import Database

    with Database(settings=s, read_only=True) as database:
        roles = [database.check_role(r) for r in (role or [queries.ALL_ROLES])]
        docs = _flatten(queries.iter_role_documents(database.store.con, roles))
        counts = count_shift(docs, Matcher.from_taxonomy(tax_a), Matcher.from_taxonomy(tax_b))
    labels = {t.id: t.label for t in (*tax_a.terms, *tax_b.terms)}
    frame = shift_frame(counts, labels)
    shown = frame.groupby("role", sort=False).head(top)
    if as_json:
        payload["shift"] = {
            "interval": WILSON_95,
            "roles": {r: counts.n[r] for r in roles},
            "postings": counts.postings,
            "postings_changed": counts.postings_changed,
            "rows": json.loads(shown.to_json(orient="records")),
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    out.print(
        f"re-extracted {counts.postings:,} unique postings with A and B: {counts.postings_changed:,} "
        f"change their set of terms; {len(frame):,} (role, term) shares move",
        highlight=False,
    )
    table = Table(
        "role", "term", "n", "share A [95%]", "share B [95%]", "Δ (points)",
        title=f"share movement, largest first ({WILSON_95})",
    )  # fmt: skip
    for rec in shown.to_dict("records"):
        table.add_row(
            str(rec["role"]),
            str(rec["label"]),
            f"{int(rec['n']):,}",
            f"{int(rec['count_a']):,} = " + _pct(rec["share_a"], rec["low_a"], rec["high_a"]),
            f"{int(rec['count_b']):,} = " + _pct(rec["share_b"], rec["low_b"], rec["high_b"]),
            f"{float(rec['delta']) * 100:+.1f}",
        )
    out.print(table)


def _flatten(
    batches: Iterator[list[tuple[str, tuple[str, ...]]]],
) -> Iterator[tuple[str, tuple[str, ...]]]:
    for batch in batches:
        yield from batch


def taxonomy_candidates(
    db: Annotated[
        Path | None, typer.Option("--db", help="The store to mine (default: --db/settings).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many candidates.")] = 50,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Ignore forms in fewer postings than this.")
    ] = 5,
    output: Annotated[
        Path | None, typer.Option("--out", help="Write a review YAML for a curator.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank surface forms in the stored postings that look like technologies but match no term
    (CamelCase, dotted, digits, acronyms, capitalised n-grams), scored by postings, capitalisation
    consistency, co-occurrence with known terms, growth, and not being the advertiser's own name.

    Example: skillgauge taxonomy candidates --top 50 --out review.yaml
    """
    from skillgauge.database import Database
    from skillgauge.store import queries
    from skillgauge.taxonomy.candidates import CandidateMiner

    s = _settings_with_db(db)
    if not s.db.exists():
        raise InputError(f"no database at {s.db}: ingest something first")
    with Database(settings=s, read_only=True) as database:
        tax = database.tools.taxonomy
        miner = CandidateMiner.for_taxonomy(tax, database.tools.matcher)
        for batch in queries.iter_candidate_documents(database.store.con):
            for doc in batch:
                miner.add(doc)
    ranked = miner.ranked(min_docs=min_count, top=top)
    if output is not None:
        review = review_document(ranked, tax)
        output.write_text(yaml.safe_dump(review, sort_keys=False, allow_unicode=True), "utf-8")
    if as_json:
        sys.stdout.write(json.dumps([c.to_dict() for c in ranked], indent=2) + "\n")
        return
    table = Table(
        "#", "candidate", "shape", "postings", "consistency", "lift", "early → late", "examples",
        title=f"{len(ranked)} candidates from {miner.docs:,} unique postings "
        f"(taxonomy {tax.version})",
    )  # fmt: skip
    for i, c in enumerate(ranked, start=1):
        table.add_row(
            str(i),
            c.text,
            c.shape,
            f"{c.docs:,}",
            f"{c.consistency:.2f}",
            f"{c.lift:.1f}",
            f"{c.early:,} → {c.late:,}",
            "\n".join(c.examples),
        )
    out.print(table)
    if output is not None:
        out.print(
            f"wrote {output}: set decision to accept or reject (and category), then "
            f"skillgauge taxonomy accept {output} --into my-terms.yaml",
            highlight=False,
        )


def slug(text: str) -> str:
    """A term id from a surface form: ``Next.js`` -> ``next.js``, ``Unreal Engine`` ->
    ``unreal-engine``, ``.NET`` -> ``net``."""
    s = re.sub(r"[^a-z0-9.+#-]+", "-", text.lower()).strip("-.")
    return s or "term"


def review_document(ranked: list[Any], tax: Taxonomy) -> dict[str, Any]:
    """The review file ``candidates --out`` writes: one entry per candidate, decision pending."""
    return {
        "taxonomy": {"version": tax.version, "content_hash": tax.content_hash},
        "instructions": "set decision to accept or reject; for accepted ones check id, label, "
        "category (one of: " + ", ".join(c.value for c in Category) + ") and aliases",
        "candidates": [
            {
                "text": c.text,
                "decision": "pending",
                "id": slug(c.text),
                "label": c.text,
                "category": Category.OTHER_TOOL.value,
                "aliases": [c.text],
                "postings": c.docs,
                "score": round(c.score, 3),
                "examples": list(c.examples),
            }
            for c in ranked
        ],
    }


def accept_candidates(
    review: dict[str, Any], into: dict[str, Any] | None, *, source: str
) -> tuple[dict[str, Any], list[str]]:
    """The vocabulary file ``into`` (parsed YAML; ``None`` for a new one) with the review's accepted
    candidates appended as terms and its version's minor part bumped. Returns (new file, ids added).
    Validation of the result is the caller's (it needs the file name for the error)."""
    entries = review.get("candidates")
    if not isinstance(entries, list):
        raise DataFileError(f"{source}: expected a 'candidates' list (from taxonomy candidates)")
    doc = dict(into) if into else {"version": "0.0.0", "name": "my-terms", "terms": []}
    terms = list(doc.get("terms") or [])
    have = {t.get("id") for t in terms if isinstance(t, dict)}
    added: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise DataFileError(f"{source}: every candidate must be a mapping")
        decision = entry.get("decision", "pending")
        if decision not in ("pending", "accept", "reject"):
            raise DataFileError(
                f"{source}: candidate {entry.get('text')!r}: decision must be pending, accept or "
                f"reject, not {decision!r}"
            )
        if decision != "accept":
            continue
        term_id = str(entry.get("id") or slug(str(entry.get("text", ""))))
        if term_id in have:
            continue
        terms.append(
            {
                "id": term_id,
                "label": entry.get("label") or entry.get("text"),
                "category": entry.get("category"),
                "aliases": list(entry.get("aliases") or [entry.get("text")]),
            }
        )
        have.add(term_id)
        added.append(term_id)
    doc["terms"] = terms
    if added:
        doc["version"] = _bump_minor(str(doc.get("version", "0.0.0")))
    return doc, added


def _bump_minor(version: str) -> str:
    """``1.4.2`` -> ``1.5.0`` (new terms are a minor change); anything else gets ``+1`` appended."""
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.\d+)?", version.strip())
    if not m:
        return f"{version}+1"
    return f"{m.group(1)}.{int(m.group(2)) + 1}.0"


def taxonomy_accept(
    review: Annotated[Path, typer.Argument(help="A review YAML written by taxonomy candidates.")],
    into: Annotated[
        Path, typer.Option("--into", help="Vocabulary YAML to append accepted terms to.")
    ],
) -> None:
    """Append the accepted candidates of a review file as terms to a vocabulary YAML (created if
    missing), bump its version, and validate it (alone and merged with the taxonomy in use) before
    writing. Use it with --vocab, or copy its terms into terms.yaml for the next release.

    Example: skillgauge taxonomy accept review.yaml --into my-terms.yaml
    """
    from skillgauge.taxonomy.loader import load_taxonomy, parse_taxonomy_text
    from skillgauge.taxonomy.vocab import check_collisions

    if not review.is_file():
        raise SourceNotFound(f"review file not found: {review}")
    if into.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"--into must be a YAML file (.yaml), not {into.name}")
    review_doc = _read_yaml(review)
    existing = _read_yaml(into) if into.exists() else None
    new_doc, added = accept_candidates(review_doc, existing, source=str(review))
    text = yaml.safe_dump(new_doc, sort_keys=False, allow_unicode=True)
    user = parse_taxonomy_text(text, source=str(into))
    s = _settings()
    check_collisions(load_taxonomy(s.taxonomy), user, source=str(into))
    if not added:
        out.print(f"nothing to add: no new accepted candidate in {review}", highlight=False)
        return
    tmp = into.with_name(into.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(into)
    out.print(
        f"added {len(added)} term(s) to {into} (version {user.version}): {', '.join(added)}",
        highlight=False,
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping at the top")
    return data
