"""Writing a file the user asked for (``-o``): whole or not at all, and one clear error for each way it fails.

A briefing or an area configuration is written to a temporary file beside the target and
renamed over it, so a reader never sees half a file and a failed write leaves the old one.
Everything the disk or the path can do wrong (a folder given as the file, a folder that
does not exist, a read-only drive, no permission, a full disk, a name too long) is an
:class:`~cwb_metrics.errors.OutputFileError` naming the file and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

from cwb_metrics.errors import OutputFileError

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "it is on a read-only drive",
    errno.EACCES: "you do not have permission to write there",
    errno.EPERM: "you do not have permission to write there",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "part of its path is a file, not a folder",
    errno.ENAMETOOLONG: "its name is too long",
}


def _refused(path: Path, reason: str, option: str) -> OutputFileError:
    return OutputFileError(
        f"Cannot write {path}: {reason}. Nothing was written; choose another file with {option}.", path=str(path)
    )


def check_output_path(path: str | os.PathLike[str], *, option: str = "-o", make_folder: bool = False) -> Path:
    """Check, before any work, that ``path`` can name a file to write; return it.

    Parameters
    ----------
    path : path-like
        The file asked for.
    option : str
        The option that named it, for the message (``-o``).
    make_folder : bool
        Create a missing folder (and its parents) instead of refusing.

    Raises
    ------
    OutputFileError
        When ``path`` is a folder, its folder is missing (unless ``make_folder``) or is a
        file, or the folder cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise _refused(path, f"it is a folder, not a file: add a file name, e.g. {path / 'briefing.pdf'}", option)
    if path.exists() and not path.is_file():
        raise _refused(path, "it is not a regular file (a device or a pipe)", option)
    folder = path.absolute().parent
    if not folder.exists() and make_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _refused(path, f"its folder {folder} cannot be made ({_reason(error)})", option) from None
    if not folder.exists():
        raise _refused(path, f"the folder {folder} does not exist", option)
    if not folder.is_dir():
        raise _refused(path, f"{folder} is a file, not a folder", option)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refused(path, f"the folder {folder} cannot be written (read-only, or no permission)", option)
    return path


def _reason(error: OSError) -> str:
    return _REASONS.get(error.errno or -1) or (error.strerror or str(error))


def write_output(path: str | os.PathLike[str], payload: bytes, *, option: str = "-o") -> int:
    """Write ``payload`` to ``path`` atomically, following the user's umask; return the bytes written.

    Raises
    ------
    OutputFileError
        Naming the file and why it cannot be written; nothing is left behind.
    """
    path = check_output_path(path, option=option)
    temporary = path.absolute().parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise _refused(path, _reason(error), option) from None
    return len(payload)
