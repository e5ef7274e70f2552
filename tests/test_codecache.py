"""The on-disk cache of generated code: used only for the very same source, never trusted blindly."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

import pytest

from gov_disclosure import _codecache
from gov_disclosure._codecache import compile_cached


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path


def _run(code: object) -> object:
    ns: dict[str, object] = {}
    exec(code, ns)  # type: ignore[call-overload]
    return ns["x"]


def test_written_then_read(cache: Path) -> None:
    source = "x = 6 * 7\n"
    assert _run(compile_cached(source, "<t>")) == 42
    files = list(cache.rglob("generated-*.marshal"))
    assert len(files) == 1
    # The second call reads the file: a code object planted there (same source) is what comes back.
    planted = compile("x = 'from the cache'\n", "<t>", "exec")
    files[0].write_bytes(marshal.dumps((source, "<t>", planted)))
    assert _run(compile_cached(source, "<t>")) == "from the cache"


def test_other_source_or_damage_recompiles(cache: Path) -> None:
    source = "x = 1\n"
    compile_cached(source, "<t>")
    path = Path(_codecache._path(source, "<t>"))
    # A file whose stored source differs (a crc collision, an edit) is not used.
    path.write_bytes(marshal.dumps(("x = 2\n", "<t>", compile("x = 2\n", "<t>", "exec"))))
    assert _run(compile_cached(source, "<t>")) == 1
    path.write_bytes(b"\x00damaged")
    assert _run(compile_cached(source, "<t>")) == 1


def test_nothing_written_without_bytecode(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _run(compile_cached("x = 3\n", "<t>")) == 3
    assert list(cache.rglob("generated-*")) == []
