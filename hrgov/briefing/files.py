"""Writing a document: the output path checked first, the file replaced atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hrgov.errors import InvalidInput


def check_output(out_path, suffix: str | tuple[str, ...], option: str = "-o") -> Path:
    """The output path, if its folder exists and its name ends with ``suffix`` (one of);
    ``option`` names it in error messages."""
    path = Path(out_path)
    suffixes = (suffix,) if isinstance(suffix, str) else suffix
    if path.suffix.lower() not in suffixes:
        raise InvalidInput(f"{option} {path} must end with {' or '.join(suffixes)}")
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"{option} {path}: the folder {folder} does not exist (create it "
                           "first)")
    if path.is_dir():
        raise InvalidInput(f"{option} {path} is a folder; give a file name")
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place: a reader
    never sees half a document, and a failure leaves nothing behind."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
