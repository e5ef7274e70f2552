"""
The worked example of ``docs/integrators.md`` runs as written.

Each ``console`` block is a sequence of ``$ command`` lines, each followed by
its expected output (``...`` matches anything); the ``java`` block is saved
as ``CheckReports.java``.  The commands run in order, in one folder, with
``gov-disclosure`` and ``python`` standing for this checkout's library.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "integrators.md"
JARS = ("jackson-databind", "jackson-core", "jackson-annotations")


def blocks(text: str) -> list[tuple[str, str]]:
    """The fenced blocks of a Markdown page: (language, body)."""
    return re.findall(r"^```(\w+)\n(.*?)^```$", text, flags=re.M | re.S)


def commands(body: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a console block with their expected output."""
    out: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            assert out, f"output before any command: {line!r}"
            out[-1][1].append(line)
    return [(cmd, "\n".join(lines)) for cmd, lines in out]


def _jar(name: str) -> Path | None:
    found = sorted((Path.home() / ".m2" / "repository").glob(f"com/fasterxml/**/{name}-2.*.jar"))
    return found[-1] if found else None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the example report and ``gov-disclosure``/``python`` on the PATH."""
    if shutil.which("jq") is None:
        pytest.skip("the page's shell example uses jq")
    shutil.copy(ROOT / "examples" / "changchun_2021.txt", tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, run in (("python", ""), ("gov-disclosure", " -m gov_disclosure")):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}"{run} "$@"\n')
        script.chmod(0o755)
    return tmp_path


def run_page(folder: Path, *, java: bool) -> int:
    """Run the page's commands (the Java ones only if *java*); return how many ran."""
    env = {
        **os.environ,
        "PATH": f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
        "LC_ALL": "C.UTF-8",
    }
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    ran = 0
    for language, body in blocks(PAGE.read_text(encoding="utf-8")):
        if language == "java":
            (folder / "CheckReports.java").write_text(body, encoding="utf-8")
        if language != "console":
            continue
        for command, want in commands(body):
            if command.startswith("java ") and not java:
                continue
            done = subprocess.run(
                ["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True
            )
            got = done.stdout
            assert done.returncode == 0, f"$ {command}\n{done.stderr}"
            assert checker.check_output(want + "\n", got, flags), (
                f"$ {command}\nexpected:\n{want}\ngot:\n{got}\nstderr:\n{done.stderr}"
            )
            ran += 1
    return ran


def test_the_shell_example_runs_as_written(folder: Path) -> None:
    """Every shell command of the page prints what the page says."""
    assert run_page(folder, java=False) >= 10


def test_the_java_example_runs_as_written(folder: Path) -> None:
    """The Java program compiles, prints the findings and returns the check's status."""
    jars = {name: _jar(name) for name in JARS}
    if shutil.which("java") is None or None in jars.values():
        pytest.skip("needs java and the Jackson jars in ~/.m2")
    for name, jar in jars.items():
        assert jar is not None
        shutil.copy(jar, folder / f"{name}.jar")
    page = PAGE.read_text(encoding="utf-8")
    every = [c for lang, body in blocks(page) if lang == "console" for c, _ in commands(body)]
    assert any(c.startswith("java ") for c in every)
    assert run_page(folder, java=True) == len(every)


def test_commands_reads_commands_and_their_output() -> None:
    """The block reader pairs each command with the lines after it (guards the tests above)."""
    assert commands("$ a\n1\n2\n$ b\n") == [("a", "1\n2"), ("b", "")]
