"""Hatchling build hook: compile the optional Cython parts.

* ``src/skillgauge/extract/_hotloop.pyx``: the matcher's scan;
* ``src/skillgauge/extract/_context.pyx``: the matcher's context rules;
* ``src/skillgauge/clean/_salary_hints.pyx``: the pre-check that lets most postings skip the salary
  scans;
* ``src/skillgauge/clean/_spaces.pyx``: the whitespace collapse that ends text normalisation;
* ``src/skillgauge/clean/_minhash.pyx``: the MinHash minimum over each posting's shingles;
* ``src/skillgauge/clean/_words.pyx``: the word bytes and fingerprint squeeze de-duplication reads.

Each is compiled in place (next to the module that uses it, so editable installs find it too) and
shipped in the wheel. All are optional: if they cannot be compiled, the build warns and goes on,
and their users take a pure-Python path with identical results (only slower).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

EXTENSIONS = {
    "skillgauge.extract._hotloop": "src/skillgauge/extract/_hotloop.pyx",
    "skillgauge.extract._context": "src/skillgauge/extract/_context.pyx",
    "skillgauge.clean._salary_hints": "src/skillgauge/clean/_salary_hints.pyx",
    "skillgauge.clean._spaces": "src/skillgauge/clean/_spaces.pyx",
    "skillgauge.clean._minhash": "src/skillgauge/clean/_minhash.pyx",
    "skillgauge.clean._words": "src/skillgauge/clean/_words.pyx",
}


class CythonBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Builds the ``EXTENSIONS`` for the wheel and editable targets."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        for name, pyx in EXTENSIONS.items():
            try:
                built = self._compile(name, pyx)
            except Exception as exc:  # optional extension: the pure-Python path takes over
                self.app.display_warning(f"skillgauge: {name} not compiled ({exc}); pure Python")
                continue
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            build_data["artifacts"].append(built.relative_to(self.root).as_posix())

    def _compile(self, name: str, pyx: str) -> Path:
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        root = Path(self.root)
        cwd = Path.cwd()
        os.chdir(root)  # setuptools resolves package_dir against the working directory
        try:
            modules = cythonize(
                [Extension(name, [pyx])],
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
            return root / cmd.get_ext_fullpath(name)
        finally:
            os.chdir(cwd)
