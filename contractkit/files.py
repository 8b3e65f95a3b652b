"""Writing files so that a reader (or a crash) never sees half of one, and an error leaves nothing
behind: each file is written to a temporary file in its own folder, flushed to disk, then put in
place. A draft and its memo are put in place together (both or neither); a new target is created
exclusively, so two builds at once cannot both write it; an error of the file system is one line
naming the path (UserError, exit 2)."""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import UserError

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EEXIST: "it already exists; use --force to overwrite it",
}


def os_error(path, exc: OSError, doing: str = "cannot write it") -> UserError:
    """An error of the file system as the one line a user reads: the path and what went wrong."""
    reason = REASONS.get(exc.errno) or (exc.strerror or str(exc)).lower()
    return UserError(f"{path}: {doing}: {reason}; nothing was written")


def _temporary(target: Path) -> tuple[int, str]:
    """A new file beside `target` (tempfile's module costs a build several milliseconds)."""
    for attempt in range(100):
        name = str(target.parent / f".{target.name}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temporary file beside it", str(target))


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


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_temporary(target: Path, write: Callable[[BinaryIO], None]) -> str:
    """`write(fh)` into a new temporary file beside `target`, on disk when this returns."""
    _remove_stale(target)
    fd, tmp = _temporary(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _create_exclusively(tmp: str, target: Path) -> None:
    """Give `tmp` the name `target` only if nothing has that name (FileExistsError otherwise)."""
    try:
        os.link(tmp, target)        # atomic, and fails if the name is taken
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # a file system without hard links: reserve the name, then rename onto the reservation
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(tmp, target)
        return
    _unlink(tmp)


def write_together(outputs: list[tuple[Path, Callable[[BinaryIO], None]]], force: bool = False) -> None:
    """Write every `(target, write)` of `outputs`, or none: each `write(fh)` into a temporary file,
    then all are put in place. Without `force` a target is created exclusively (an existing one,
    even one another build just made, is refused); with it, a target is replaced, and put back if
    a later one fails. On any error every temporary file is removed."""
    temps: list[str] = []
    placed: list[tuple[Path, str | None]] = []       # (target, backup of what it replaced)
    current = None
    try:
        for target, write in outputs:
            current = target
            temps.append(_write_temporary(Path(target), write))
        for (target, _), tmp in zip(outputs, temps):
            current, target = target, Path(target)
            if not force:
                _create_exclusively(tmp, target)
                placed.append((target, None))
                continue
            backup = None
            if len(outputs) > 1 and os.path.lexists(target):
                backup = f"{target.parent}/.{target.name}.{os.getpid()}.old.tmp"
                _unlink(backup)
                os.link(target, backup)
            try:
                os.replace(tmp, target)
            except BaseException:
                if backup:
                    _unlink(backup)
                raise
            placed.append((target, backup))
    except BaseException as exc:
        for target, backup in reversed(placed):        # undo what was put in place
            if backup:
                try:
                    os.replace(backup, target)
                except OSError:
                    pass
            else:
                _unlink(target)
        for tmp in temps:
            _unlink(tmp)
        if isinstance(exc, OSError):
            if isinstance(exc, FileExistsError) and not force:
                raise UserError(f"{current} already exists; use --force to overwrite it") from None
            raise os_error(current, exc) from None
        raise
    for _, backup in placed:
        if backup:
            _unlink(backup)


@contextmanager
def atomic_write(target: Path, mode: str = "wb"):
    """A file object whose content replaces `target` when the block ends without an error."""
    target = Path(target)
    try:
        _remove_stale(target)
        fd, tmp = _temporary(target)
    except OSError as exc:
        raise os_error(target, exc) from None
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise os_error(target, exc) from None
        raise
