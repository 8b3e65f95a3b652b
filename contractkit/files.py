"""Writing a file so that a reader (or a crash) never sees half of it: a temporary file in the
same folder, flushed to disk, then renamed over the target."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path


def _temporary(target: Path) -> tuple[int, str]:
    """A new file beside `target` (tempfile's module costs a build several milliseconds)."""
    for attempt in range(100):
        name = str(target.parent / f".{target.name}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"{target}: cannot create a temporary file beside it")


def _remove_stale(target: Path) -> None:
    """Temporary files beside `target` left by a writer that was killed before it could clean up."""
    prefix = f".{target.name}."
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue                  # its writer is still at work
        except ProcessLookupError:
            pass
        except OSError:
            continue                  # alive under another user
        try:
            os.unlink(target.parent / name)
        except OSError:
            pass


@contextmanager
def atomic_write(target: Path, mode: str = "wb"):
    target = Path(target)
    _remove_stale(target)
    fd, tmp = _temporary(target)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
