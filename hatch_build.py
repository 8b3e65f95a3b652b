"""Wheel-build hook: ship the clause library compiled, so that the first build after
`pip install .` reads it instead of validating and compiling every file (seconds).

The shipped library is keyed by what its compiled form depends on (the package version, the data
and engine files' contents, Python's bytecode magic number, Jinja's version); contractkit compiles
the library itself when the key does not match. An editable install ships nothing: its data may
change, and the user's cache, keyed by the files' stats, follows the edits."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ShippedLibraryHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root).resolve()
        self._tmp = Path(tempfile.mkdtemp(prefix="contractkit-shipped-"))
        library = _import_library(root)
        target = library.write_shipped_library(root, self._tmp / library.SHIPPED_DIR)
        build_data["force_include"][str(target)] = f"contractkit/_data/{library.SHIPPED_DIR}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if getattr(self, "_tmp", None) is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _import_library(root: Path):
    """contractkit.library from the tree being built (never another installed copy)."""
    sys.path.insert(0, str(root))
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = True       # leave no __pycache__ in the source tree
    try:
        import contractkit.library as library
    finally:
        sys.dont_write_bytecode = dont_write
        sys.path.remove(str(root))
    if Path(library.__file__).resolve().parent != root / "contractkit":
        raise RuntimeError(f"the build imported contractkit from {library.__file__}, not from {root}")
    return library
