"""Crash-safe output files: a file or a folder of files appears whole, or not at all.

Everything is written to a temporary sibling of the target (same folder, so the final :func:`os.replace` is a rename
on one file system, atomic on POSIX) and renamed into place only when writing succeeded. An error or Ctrl-C leaves
the target as it was (absent, or the previous file) and removes the temporary file or folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from seeder.errors import ConfigError, Interrupted


def _temporary_sibling(path: Path) -> Path:
    # Hidden, and unique per process and call, so parallel runs writing the same target never share it.
    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _cannot_write(path: Path, err: OSError) -> ConfigError:
    if isinstance(err, FileExistsError) and err.filename is not None and not Path(err.filename).is_dir():
        # mkdir(parents=True) met a file where a folder of the path should be
        return ConfigError(f"cannot write {path}: {err.filename} is a file, not a folder")
    return ConfigError(f"cannot write {path}: {err.strerror or err}")


@contextlib.contextmanager
def _temporary_sibling_of(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary path next to ``target`` (its folders created); remove whatever is left there at the end.

    Ctrl-C becomes :class:`Interrupted` and an OSError a :class:`ConfigError`, both naming ``target``.
    """
    tmp = _temporary_sibling(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; nothing was written to {target}") from None
    except OSError as err:
        raise _cannot_write(target, err) from None
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def write_file_atomically(path: Path, write: Callable[[TextIO], object]) -> None:
    """Run ``write`` on a new UTF-8 text file next to ``path`` (``\\n`` line ends) and rename it to ``path`` after.

    Missing parent folders are created. An existing ``path`` is replaced only when ``write`` returned normally.

    Raises:
        Interrupted: on KeyboardInterrupt ("interrupted; nothing was written to PATH"); ``path`` is unchanged.
        ConfigError: the file or a parent folder cannot be created or written (the message names the path).
        Whatever ``write`` raises (e.g. a GenerationError), after removing the temporary file.
    """
    with _temporary_sibling_of(path) as tmp:
        with open(tmp, "x", encoding="utf-8", newline="\n") as f:
            write(f)
        os.replace(tmp, path)


def write_folder_atomically(directory: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Run ``write`` on a new temporary folder next to ``directory``, then move each file it wrote into ``directory``.

    ``write`` gets the temporary folder and returns the files it wrote there. ``directory`` is created if missing;
    files already in it that ``write`` does not produce are kept.

    Returns:
        The files' final paths in ``directory``, in the order ``write`` returned them.

    Raises:
        Interrupted: on KeyboardInterrupt; ``directory`` is untouched. ConfigError: a folder or file cannot be
        written. Whatever ``write`` raises, after removing the temporary folder.
    """
    with _temporary_sibling_of(directory) as tmp:
        written = write(tmp)
        directory.mkdir(exist_ok=True)
        for f in written:
            os.replace(f, directory / f.name)
        return [directory / f.name for f in written]


def write_tree_atomically(directory: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """As :func:`write_folder_atomically` for writers that put files in subfolders (``table/part-00000.parquet``):
    each subfolder ``write`` fills replaces the subfolder of the same name in ``directory`` whole (so no part file
    of an earlier, longer run is left behind); other entries of ``directory`` are kept.

    Returns:
        The files' final paths, in the order ``write`` returned them.

    Raises:
        As :func:`write_folder_atomically`.
    """
    with _temporary_sibling_of(directory) as tmp:
        written = write(tmp)
        directory.mkdir(exist_ok=True)
        tops: list[str] = []
        for f in written:
            top = f.relative_to(tmp).parts[0]
            if top not in tops:
                tops.append(top)
        for top in tops:
            target = directory / top
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            os.replace(tmp / top, target)
        return [directory / f.relative_to(tmp) for f in written]
