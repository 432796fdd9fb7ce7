"""Name rules of the O*NET import: labels, acronyms, vendor prefixes and ordinary-word refusals."""

from __future__ import annotations

import pytest

from skillgauge.taxonomy.imports.names import (
    WordProfile,
    clean_example,
    derive,
    is_generic,
    norm_key,
    slug,
    split_trailing_acronym,
    split_vendor,
)

#: A profile as postings would give it: "word" and "access" mostly lower case, "Tableau" never.
PROFILE = WordProfile.from_texts(
    [
        "a word of advice: access to data, word by word, access granted",
        "the word is out; we value access and a good word",
        "Tableau and Tableau Server; Photoshop for mockups; Photoshop again",
        "web services and web services again, web services, web services, web services",
    ]
)


@pytest.mark.parametrize(
    ("name", "body", "acronym"),
    [
        ("Amazon Web Services AWS", "Amazon Web Services", "AWS"),
        ("Oracle JavaServer Pages JSP", "Oracle JavaServer Pages", "JSP"),
        ("Extensible markup language XML", "Extensible markup language", "XML"),
        ("Hypertext markup language HTML", "Hypertext markup language", "HTML"),
        ("Amazon Elastic Compute Cloud EC2", "Amazon Elastic Compute Cloud", "EC2"),
        ("Structured query language SQL", "Structured query language", "SQL"),
        ("Apple Final Cut Pro", "Apple Final Cut Pro", None),
        ("Autodesk AutoCAD Civil 3D", "Autodesk AutoCAD Civil 3D", None),
        ("SAS", "SAS", None),
    ],
)
def test_trailing_acronym(name: str, body: str, acronym: str | None) -> None:
    assert split_trailing_acronym(name) == (body, acronym)


def test_clean_example_drops_software_and_marks() -> None:
    assert clean_example("Alteryx software") == "Alteryx"
    assert clean_example("Microsoft®  Excel") == "Microsoft Excel"
    assert clean_example("software") == "software"  # nothing left: keep the original


def test_vendor_split_prefers_the_longest_vendor() -> None:
    assert split_vendor("Hewlett Packard Enterprise OneView") == (
        "Hewlett Packard Enterprise",
        "OneView",
    )
    assert split_vendor("Oracle PeopleSoft") == ("Oracle", "PeopleSoft")
    assert split_vendor("Kubernetes") == (None, "Kubernetes")
    assert split_vendor("Oracle") == (None, "Oracle")


def test_norm_key_and_slug() -> None:
    assert norm_key("SAP Business Objects") == norm_key("SAP BusinessObjects")
    assert norm_key("C++") != norm_key("C#")
    assert slug("Oracle PeopleSoft") == "oracle-peoplesoft"
    assert slug("C++ Builder") == "c++-builder"
    assert slug("Raiser's Edge & Co") == "raiser-s-edge-and-co"


def test_generic_descriptions() -> None:
    assert is_generic("Web browser")
    assert is_generic("Computer aided design CAD")
    assert not is_generic("Microsoft Excel")
    assert not is_generic("Tableau")


def test_profile_tells_ordinary_words_from_products() -> None:
    assert PROFILE.is_ordinary_word("word")
    assert PROFILE.is_ordinary_word("Access")
    assert not PROFILE.is_ordinary_word("Tableau")
    assert PROFILE.is_ordinary("Web Services")  # the pair is mostly written in lower case
    assert not PROFILE.is_ordinary("Power BI")
    assert PROFILE.is_ordinary_word("teams")  # built-in list, even unseen


def test_derive_refuses_ordinary_bare_names_but_keeps_ms_forms() -> None:
    word = derive("Microsoft Word", PROFILE)
    assert word.label == "Microsoft Word"
    assert "Word" not in word.aliases
    assert "MS Word" in word.aliases
    assert any("ordinary word" in n for n in word.notes)


def test_derive_prefers_the_product_name_as_label() -> None:
    acad = derive("Autodesk AutoCAD", PROFILE)
    assert acad.label == "AutoCAD"
    assert acad.aliases == ("AutoCAD", "Autodesk AutoCAD")


def test_derive_acronym_becomes_label_of_a_described_standard() -> None:
    html = derive("Hypertext markup language HTML", PROFILE)
    assert html.label == "HTML"
    assert html.aliases == ("HTML", "Hypertext markup language")
    assert not html.generic


def test_derive_never_turns_a_category_acronym_into_an_alias() -> None:
    erp = derive("SAP ERP", PROFILE)
    assert erp.aliases == ("SAP ERP",)
    assert any("software category" in n for n in erp.notes)
    crm = derive("Customer relationship management CRM software", PROFILE)
    assert crm.label == "CRM"  # a described category: the reviewer rejects it (see review log)
    lms = derive("Learning management system LMS", PROFILE)
    assert lms.generic is False and lms.label == "LMS"  # flagged for the reviewer to reject
    two = derive("Hewlett-Packard HP", PROFILE)
    assert "HP" not in two.aliases
