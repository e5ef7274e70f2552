"""
Compiling the code the library generates from the model, once per machine rather than once per process.

The fast paths (the JSON builders and writer, the compiled checks) are Python
source generated from the catalogue and the model, then compiled.  Generating
the source is quick; compiling it is most of what a fresh process pays for
its first report (tens of milliseconds).  :func:`compile_cached` keeps each
compiled code object next to the package's bytecode, as Python keeps ``.pyc``
files: in ``__pycache__`` (or under ``sys.pycache_prefix``), written only when
``sys.dont_write_bytecode`` is off, and silently skipped where the folder
cannot be written.  The file holds the source with the code, and is used only
when its source is exactly the one generated now: a change of the model, the
catalogue or this library simply generates another file.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Callable
from types import CodeType

__all__ = ["compile_cached", "object_namer"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _path(source: str, filename: str) -> str:
    key = zlib.crc32(f"{filename}\n{source}".encode())
    name = f"generated-{key:08x}.{sys.implementation.cache_tag}.marshal"
    if sys.pycache_prefix:
        folder = os.path.join(sys.pycache_prefix, _PACKAGE.lstrip(os.sep), "__pycache__")
    else:
        folder = os.path.join(_PACKAGE, "__pycache__")
    return os.path.join(folder, name)


def compile_cached(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, read from the cache when it holds this very source."""
    path = _path(source, filename)
    try:
        with open(path, "rb") as f:
            cached_source, cached_filename, code = marshal.load(f)
        if cached_source == source and cached_filename == filename and type(code) is CodeType:
            return code
    except (OSError, EOFError, ValueError, TypeError):
        pass  # no cache yet, or a damaged or foreign file: compile
    code = compile(source, filename, "exec")
    if not sys.dont_write_bytecode:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                marshal.dump((source, filename, code), f)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new
        except OSError:
            pass  # a read-only installation: compile each time, as before
    return code


def object_namer(setup: list[str], root: str = "r") -> Callable[[tuple[str, ...]], str]:
    """
    A function naming the object at an attribute path of *root* in generated code.

    Each intermediate object is read once into a local (``o1 = r.requests``),
    its assignment appended to *setup* the first time it is asked for, so the
    generated function reads every object once however many cells it tests.
    """
    names: dict[tuple[str, ...], str] = {(): root}

    def obj(path: tuple[str, ...]) -> str:
        if path not in names:
            parent = obj(path[:-1])
            names[path] = f"o{len(names)}"
            setup.append(f"    {names[path]} = {parent}.{path[-1]}")
        return names[path]

    return obj
