"""The error tree drawn in exceptions.py's docstring matches the classes."""

from __future__ import annotations

import re

from skillgauge import exceptions


def test_docstring_tree_matches_classes() -> None:
    doc = exceptions.__doc__ or ""
    drawn: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        m = re.match(r"^(\s*(?:[│ ]*[├└]── )?)(\w+)", line)
        if (
            not m
            or not m.group(2)[0].isupper()
            or not m.group(2).endswith(("Error", "Found", "Format", "Role", "Dependency"))
        ):
            continue
        depth = len(m.group(1))
        name = m.group(2)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            drawn[name] = stack[-1][1]
        stack.append((depth, name))
    classes = {
        name: obj
        for name, obj in vars(exceptions).items()
        if isinstance(obj, type) and issubclass(obj, exceptions.SkillgaugeError)
    }
    assert set(drawn) | {"SkillgaugeError"} == set(classes)
    for name, parent in drawn.items():
        assert classes[name].__bases__[0].__name__ == parent, name


def test_leaves_are_also_builtins() -> None:
    assert issubclass(exceptions.SourceNotFound, FileNotFoundError)
    assert issubclass(exceptions.InputError, ValueError)
    assert issubclass(exceptions.MissingDependency, ImportError)
    assert "pip install 'skillgauge[spark]'" in str(exceptions.MissingDependency("spark", "Spark"))
