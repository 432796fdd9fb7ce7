"""Résumé readers on files the tests write: a hand-built PDF, a python-docx document, Markdown and
text (bad bytes replaced), and every error path."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from skillgauge.advise.resume import read_resume
from skillgauge.exceptions import InputError, SourceNotFound


def _minimal_pdf(lines: list[str]) -> bytes:
    """A real one-page PDF (Helvetica text) with a correct cross-reference table."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(_minimal_pdf(["Jane Doe (data engineer)", "Skills: Python, SQL, Airflow"]))
    text = read_resume(path)
    assert "Jane Doe (data engineer)" in text
    assert "Python, SQL, Airflow" in text


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Experience: built pipelines in Apache Spark")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Kubernetes"
    table.rows[0].cells[1].text = "PostgreSQL"
    path = tmp_path / "cv.DOCX"  # the extension is case-insensitive
    document.save(str(path))
    text = read_resume(path)
    assert "Apache Spark" in text
    assert "Kubernetes" in text and "PostgreSQL" in text


def test_markdown_and_text(tmp_path: Path) -> None:
    md = tmp_path / "cv.md"
    md.write_text("# Jane\n\n- Python\n- Rust\n", encoding="utf-8")
    assert read_resume(md) == "# Jane\n\n- Python\n- Rust\n"
    txt = tmp_path / "cv.txt"
    txt.write_bytes(b"Go and \xff\xfe TypeScript, caf\xc3\xa9")
    text = read_resume(txt)
    assert text.startswith("Go and ")
    assert "\ufffd" in text  # undecodable bytes replaced, the rest kept
    assert text.endswith("TypeScript, café")


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "cv.odt"
    path.write_bytes(b"x")
    with pytest.raises(InputError, match=r"unsupported extension '\.odt'"):
        read_resume(path)
    with pytest.raises(InputError, match="none"):
        read_resume(tmp_path / "cv")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match="not found"):
        read_resume(tmp_path / "absent.pdf")


def test_corrupt_files_are_input_errors(tmp_path: Path) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"this is not a pdf at all")
    with pytest.raises(InputError, match=r"cannot read résumé 'broken\.pdf' as PDF"):
        read_resume(pdf)
    doc = tmp_path / "broken.docx"
    doc.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"cannot read résumé 'broken\.docx' as DOCX"):
        read_resume(doc)


def test_a_directory_is_not_a_resume(tmp_path: Path) -> None:
    folder = tmp_path / "cv.md"
    folder.mkdir()
    with pytest.raises(InputError, match="not a file"):
        read_resume(folder)
