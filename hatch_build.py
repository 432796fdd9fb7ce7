"""Hatchling build hook: compile the optional Cython scan of the matcher.

``src/skillgauge/extract/_hotloop.pyx`` is compiled in place (next to ``matcher.py``, so editable
installs find it too) and shipped in the wheel. It is optional: if it cannot be compiled, the
build warns and goes on, and ``skillgauge.extract.matcher`` uses its pure-Python path, which gives
identical results (only slower).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PYX = "src/skillgauge/extract/_hotloop.pyx"


class CythonBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Builds ``skillgauge.extract._hotloop`` for the wheel and editable targets."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        try:
            built = self._compile()
        except Exception as exc:  # optional extension: the pure-Python path takes over
            self.app.display_warning(f"skillgauge: _hotloop not compiled ({exc}); pure Python")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["artifacts"].append(built.relative_to(self.root).as_posix())

    def _compile(self) -> Path:
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        root = Path(self.root)
        cwd = Path.cwd()
        os.chdir(root)  # setuptools resolves package_dir against the working directory
        try:
            modules = cythonize(
                [Extension("skillgauge.extract._hotloop", [PYX])],
                compiler_directives={"language_level": "3"},
                build_dir="build/cython",
                quiet=True,
            )
            dist = Distribution({"ext_modules": modules, "package_dir": {"": "src"}})
            cmd = build_ext(dist)
            cmd.inplace = True
            cmd.build_temp = "build/temp"
            cmd.ensure_finalized()
            cmd.run()
            return root / cmd.get_ext_fullpath("skillgauge.extract._hotloop")
        finally:
            os.chdir(cwd)
