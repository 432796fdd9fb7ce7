"""Docs that stay true: every command and setting documented, every --help has an example, and the
README's test command is exactly what CI runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main
from typer.core import TyperGroup

from skillgauge.cli import app
from skillgauge.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, Any]:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    found: dict[str, Any] = {}
    for name, cmd in root.commands.items():
        if isinstance(cmd, TyperGroup):
            for sub, subcmd in cmd.commands.items():
                found[f"{name} {sub}"] = subcmd
        else:
            found[name] = cmd
    return found


def test_every_command_has_an_example_in_its_help() -> None:
    for name, cmd in _commands().items():
        assert "Example:" in (cmd.help or ""), f"'skillgauge {name} --help' has no example"


def test_every_command_and_setting_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in _commands():
        assert f"skillgauge {name}" in doc, f"docs/cli.md does not document 'skillgauge {name}'"
    for field in Settings.model_fields:
        assert f"SKILLGAUGE_{field.upper()}" in doc, f"docs/cli.md misses setting {field}"


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in ci.splitlines() if ln.startswith("python3 -m venv"))
    assert line.strip() in readme
    assert "../shared/data" in ci
