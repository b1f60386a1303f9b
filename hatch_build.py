"""Hatchling build hook: compiles cleaner's optional C core (Cython) into the wheel.

``cleaner/text/_scan.pyx`` is the compiled twin of :func:`cleaner.text.scan.scan_python`
(the word scan behind the quality signals). Cython and setuptools come from the build
requirements in ``pyproject.toml``; gcc and the Python headers are all a machine needs.
An editable install (``make install``) puts the module beside its source, since that is
where the package is imported from; a regular wheel carries it. When it cannot be built
(no C compiler), the install goes on with a warning and the pure-Python scan runs,
giving the same records.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

EXTENSIONS = {"cleaner.text._scan": "cleaner/text/_scan.pyx"}
"""Compiled modules and their Cython sources, relative to the project root."""


def compile_extensions(root: Path, build_dir: Path) -> dict[str, Path]:
    """Each module of :data:`EXTENSIONS` compiled under ``build_dir``, by its path in the
    package (``cleaner/text/_scan.cpython-311-x86_64-linux-gnu.so``)."""
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    extensions = [
        Extension(name, [str(root / source)], extra_compile_args=["-O2"])
        for name, source in EXTENSIONS.items()
    ]
    modules = cythonize(extensions, build_dir=str(build_dir / "c"), quiet=True)
    command = Distribution({"ext_modules": modules}).get_command_obj("build_ext")
    command.build_lib = str(build_dir / "lib")
    command.build_temp = str(build_dir / "temp")
    command.ensure_finalized()
    command.run()
    built: dict[str, Path] = {}
    for name in EXTENSIONS:
        library = Path(command.get_ext_fullpath(name))
        built[library.relative_to(build_dir / "lib").as_posix()] = library
    return built


class CompiledCoreHook(BuildHookInterface):  # type: ignore[type-arg]
    """Builds :data:`EXTENSIONS` for wheels (regular and editable)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("CLEANER_NO_COMPILE"):
            return
        root = Path(self.root)
        build_dir = Path(tempfile.mkdtemp(prefix="cleaner-core-"))
        try:
            built = compile_extensions(root, build_dir)
        except Exception as exc:  # no compiler, no headers: the pure-Python scan serves
            self.app.display_warning(
                f"cleaner: the compiled core was not built ({type(exc).__name__}: {exc}); "
                "the pure-Python scan will run (same records, slower)"
            )
            shutil.rmtree(build_dir, ignore_errors=True)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for package_path, library in built.items():
            if version == "editable":
                shutil.copy2(library, root / package_path)
            else:
                kept = Path(self.directory) / "cleaner-core" / package_path
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(library, kept)
                build_data["force_include"][str(kept)] = package_path
        shutil.rmtree(build_dir, ignore_errors=True)
