"""The parse cache of large YAML texts: same data as parsing, keyed by content, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skillgauge.taxonomy import loader


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SKILLGAUGE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(loader, "CACHE_MIN_CHARS", 10)
    return tmp_path / "yaml"


TEXT = "version: '1.0'\nterms:\n  - id: python\n    aliases: [Python, py]\n    weight: 1.5\n"


def test_second_load_reads_the_cache_and_gives_the_same_data(cache: Path) -> None:
    first = loader._safe_load(TEXT)
    files = list(cache.glob("*.json"))
    assert len(files) == 1
    second = loader._safe_load(TEXT)
    assert first == second == yaml.safe_load(TEXT)
    second["version"] = "changed"  # callers may mutate what they get
    assert loader._safe_load(TEXT)["version"] == "1.0"


def test_an_edited_text_is_a_new_key(cache: Path) -> None:
    loader._safe_load(TEXT)
    assert loader._safe_load(TEXT.replace("py]", "py3]"))["terms"][0]["aliases"] == [
        "Python",
        "py3",
    ]
    assert len(list(cache.glob("*.json"))) == 2


def test_a_corrupt_cache_file_falls_back_to_parsing(cache: Path) -> None:
    loader._safe_load(TEXT)
    (path,) = cache.glob("*.json")
    path.write_bytes(b"{not json")
    assert loader._safe_load(TEXT) == yaml.safe_load(TEXT)


def test_data_json_cannot_represent_is_never_cached(cache: Path) -> None:
    text = "reviewed: 2026-11-20\nterms: []\n"
    data = loader._safe_load(text)
    assert str(data["reviewed"]) == "2026-11-20"
    assert not list(cache.glob("*.json"))
    assert loader._safe_load(text) == data


def test_small_texts_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLGAUGE_CACHE_DIR", str(tmp_path))
    loader._safe_load(TEXT)
    assert not (tmp_path / "yaml").exists()
