"""Every compiled part listed in ``hatch_build.EXTENSIONS`` is built and importable wherever a C
compiler is present.

Why: the build hook treats the Cython parts as optional, so a part that stops compiling only warns,
and its users silently take the pure-Python path (same results, slower); in a developer's tree the
previous build of it even stays in place. Only a test notices that, and CI has a compiler.
"""

from __future__ import annotations

import ast
import importlib
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _extensions() -> dict[str, str]:
    """``hatch_build.EXTENSIONS``, read from the file (hatchling is a build dependency only)."""
    tree = ast.parse((REPO / "hatch_build.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "EXTENSIONS" for t in node.targets
        ):
            value: dict[str, str] = ast.literal_eval(node.value)
            return value
    raise AssertionError("hatch_build.py defines no EXTENSIONS")


@pytest.mark.parametrize("name", sorted(_extensions()))
def test_compiled_part_is_built_from_its_current_source(name: str) -> None:
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler here: the pure-Python paths are used")
    module = importlib.import_module(name)
    built = Path(str(module.__file__))
    assert built.suffix == ".so" or built.suffix == ".pyd", built
    source = REPO / _extensions()[name]
    assert built.stat().st_mtime >= source.stat().st_mtime, (
        f"{built.name} is older than {source.name}: its last build failed (see the build's warnings)"
    )
