"""Read a résumé into plain text, so the extractor can find the technologies in it.

Privacy by construction: this is a pure read of a local file. Nothing is stored, cached, logged or
sent anywhere; the text lives only in the caller's memory.

Formats: PDF (pypdf: the text layer of every page; a scanned PDF without one gives no text),
DOCX (python-docx: paragraphs, then table cells, which résumés often use for skill grids), and
Markdown or plain text (UTF-8; undecodable bytes are replaced rather than failing the whole file).
"""

from __future__ import annotations

from pathlib import Path

from skillgauge.exceptions import InputError, SourceNotFound

#: Extensions read as plain UTF-8 text.
TEXT_SUFFIXES: frozenset[str] = frozenset({".txt", ".text", ".md", ".markdown"})

#: Every supported extension.
SUPPORTED: tuple[str, ...] = (".pdf", ".docx", *sorted(TEXT_SUFFIXES))


def read_resume(path: Path) -> str:
    """The text of the résumé at ``path`` (``.pdf``, ``.docx``, ``.md``, ``.txt``).

    ``SourceNotFound`` (an ``InputError``) when the file is missing; ``InputError`` for an
    unsupported extension or a file that cannot be read, with the reason.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"cannot read résumé {path.name!r}: unsupported extension {suffix or '(none)'!r} "
            f"(supported: {', '.join(SUPPORTED)})"
        )
    if not path.exists():
        raise SourceNotFound(f"résumé not found: {path}")
    if not path.is_file():
        raise InputError(f"cannot read résumé {path}: not a file")
    try:
        if suffix == ".pdf":
            return _read_pdf(path)
        if suffix == ".docx":
            return _read_docx(path)
        return path.read_bytes().decode("utf-8", errors="replace")
    except InputError:
        raise
    except Exception as exc:  # every library failure becomes one clear line for the user
        raise InputError(
            f"cannot read résumé {path.name!r} as {suffix[1:].upper()}: {type(exc).__name__}: {exc}"
        ) from exc


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError(f"cannot read résumé {path.name!r}: the PDF is password-protected")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _read_docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
