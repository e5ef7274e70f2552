"""
What belongs to one batch run, not to the process: paths compared as one, roots that overlap, writers told to flush.

A run compares paths as absolute paths with symbolic links resolved, so that
a resumed run recognises the files it already did however they are named.
Links can change between two runs of one process (a folder ``current``
pointed at a new release), so what is cached lives for one run only
(:func:`_normaliser`), never for the process.

While a run waits for a slow file, the open writers are told (:func:`_idle`)
so that the rows they hold are written on time: a killed run loses only the
rows of its last seconds, and the line it was writing is cut off when the
next run starts (:func:`_drop_partial_line`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import weakref
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

__all__: list[str] = []

#: Turns a path into the one string a batch output records for it.
Normaliser = Callable[[str | os.PathLike[str]], str]


def _resolve(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # a symlink loop: keep the unresolved absolute path
        return os.path.abspath(path)


def _normaliser() -> Normaliser:
    """
    A fresh :func:`_normalise_path` that resolves each folder once: one per run.

    The folder is resolved once per folder (cached) and the file's own name
    checked for a link: one system call per file instead of one per folder
    of its path, which a run over 100,000 files in the main process feels.
    The cache belongs to the function returned, so a folder link changed
    after the run is seen by the next run (:func:`gov_disclosure.batch` and
    :class:`gov_disclosure.BatchWriter` each make one).
    """

    @functools.lru_cache(maxsize=4096)
    def folder(cwd: str, head: str) -> str:
        return _resolve(os.path.join(cwd, head))

    def normalise(path: str | os.PathLike[str]) -> str:
        name = os.fspath(path)
        head, tail = os.path.split(name)
        if tail in ("", ".", "..") or os.path.islink(name):
            return _resolve(name)
        return os.path.join(folder(os.getcwd(), head), tail)

    return normalise


def _normalise_path(path: str | os.PathLike[str]) -> str:
    """
    The absolute form of *path*, symbolic links resolved (``Path(path).resolve()``): a batch output's ``path``.

    Two spellings of one file (``reports/a.json``, ``./reports/a.json``,
    ``/home/me/reports/a.json``) give one string, so a resumed run
    recognises the files already done however they were named.  Nothing is
    cached: a run normalises many paths through a :func:`_normaliser` of its own.

    >>> import os
    >>> _normalise_path("a.json") == _normalise_path(os.path.join(os.getcwd(), ".", "a.json"))
    True
    """
    return _normaliser()(path)


def _covering(child: Path, parent: Path) -> bool:
    """Whether walking the folder *parent* reaches *child* (inside it, through no hidden folder)."""
    if child == parent:
        return True
    try:
        rest = child.relative_to(parent)
    except ValueError:
        return False
    return not any(part.startswith(".") for part in rest.parts)


def distinct_roots(
    roots: Sequence[Path], suffixes: Collection[str]
) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """
    The roots of a run without those another root's walk reads already, and those dropped.

    A root that is the same folder as an earlier one, or a folder or file
    inside another folder root (its files would be read, and written, twice)
    is dropped; returns the roots kept, in order, and ``(dropped, covering
    root)`` pairs.  Compared once per root, resolved (a folder fully; a file
    by its folder, as the walk names it); a file with a suffix the walk does
    not pick up, or under a hidden folder, is kept.  A folder link inside a
    root is not followed by the walk, so a root through it is kept.
    """
    seen: list[tuple[Path, Path, bool]] = []  # (root, resolved, is a folder)
    for root in roots:
        folder = root.is_dir()
        where = Path(_resolve(os.fspath(root))) if folder else Path(_normalise_path(root))
        seen.append((root, where, folder))
    kept: list[Path] = []
    dropped: list[tuple[Path, Path]] = []
    for i, (root, where, folder) in enumerate(seen):
        walked = folder or (where.suffix.lower() in suffixes and not where.name.startswith("."))
        cover = next(
            (
                other
                for j, (other, there, other_folder) in enumerate(seen)
                # The same root twice: the first one stays.
                if (where == there and j < i)
                or (walked and other_folder and where != there and _covering(where, there))
            ),
            None,
        )
        if cover is None:
            kept.append(root)
        else:
            dropped.append((root, cover))
    return kept, dropped


#: Seconds between two calls of :func:`_idle` while a run waits for a slow file.
_IDLE_EVERY = 0.5
#: What to tell that a run is waiting (a :class:`BatchWriter`: flush rows when due); held weakly.
_WAITING: weakref.WeakSet[Any] = weakref.WeakSet()


def _idle() -> None:
    """Let each open writer flush its rows when due, while a slow file is read."""
    try:
        writers = list(_WAITING)
    except RuntimeError:  # a writer opened or closed meanwhile in another thread: next time
        return
    for writer in writers:
        writer._idle()


def _ticking() -> Callable[[], None]:
    """Call :func:`_idle` from a thread until the function returned is called (files read in this process)."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(_IDLE_EVERY):
            # A flush that fails (a full disk) keeps its rows: the writer's next
            # flush in the main thread raises the error there, where it is seen.
            with contextlib.suppress(Exception):
                _idle()

    thread = threading.Thread(target=tick, name="gov-disclosure-idle", daemon=True)
    thread.start()

    def end() -> None:
        stop.set()
        thread.join()  # gone before a later run chooses how to start its workers

    return end


def _drop_partial_line(path: Path) -> None:
    """Cut a file after its last newline (a line half-written by a killed run)."""
    size = path.stat().st_size
    if not size:
        return
    with path.open("rb+") as fh:
        fh.seek(max(0, size - 1))
        if fh.read(1) == b"\n":
            return
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            block = fh.read(step)
            i = block.rfind(b"\n")
            if i >= 0:
                fh.truncate(pos + i + 1)
                return
        fh.truncate(0)
