"""
``make test-all``: the tests on every Python 3.10-3.13 found on this machine.

``make test-minimums`` (``nox -s minimums``): the tests with every runtime
dependency and extra at the minimum ``pyproject.toml`` states.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


def _expose_pyenv_versions() -> None:
    # pyenv's shims run only the versions pyenv has selected (usually one), so
    # ``python3.12`` fails although 3.12 is installed and nox would skip it
    # silently.  Select every installed 3.10-3.13 for this process and its
    # children, unless the user chose versions already.
    pyenv = shutil.which("pyenv")
    if pyenv is None or os.environ.get("PYENV_VERSION"):
        return
    listed = subprocess.run(
        [pyenv, "versions", "--bare"], capture_output=True, text=True, check=False
    ).stdout.split()
    wanted = [v for v in listed if re.fullmatch(r"3\.1[0-3]\.\d+", v)]
    if wanted:
        os.environ["PYENV_VERSION"] = ":".join(wanted)


def _extras() -> str:
    # The same extras as ``make install`` (the Makefile's install line is the
    # one place they are listed), so every Python runs the same tests.
    makefile = Path(__file__).with_name("Makefile").read_text(encoding="utf-8")
    match = re.search(r'-e "\.\[([^\]]*)\]"', makefile)
    return match.group(1) if match else "hypothesis"


_expose_pyenv_versions()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Install the package with its test dependencies and run pytest."""
    # ``--group`` needs pip 25.1; the pip bundled with Python 3.10-3.12 is older.
    session.install("--quiet", "--upgrade", "pip>=25.1")
    session.install("--quiet", "-e", f".[{_extras()}]", "--group", "test", "--group", "docs")
    session.run("pytest", "-p", "no:cacheprovider", *session.posargs)


def _minimum_constraints() -> list[str]:
    # scripts/ is not a package: load the one generator the tests also check.
    path = Path(__file__).with_name("scripts") / "minimum_constraints.py"
    spec = importlib.util.spec_from_file_location("minimum_constraints", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pyproject = module.load(Path(__file__).with_name("pyproject.toml"))
    constraints: list[str] = module.constraints(pyproject)
    return constraints


@nox.session(python=PYTHONS[0])
def minimums(session: nox.Session) -> None:
    """Install every runtime dependency and extra at its stated minimum (``==``) and run pytest."""
    session.install("--quiet", "--upgrade", "pip>=25.1")
    pins = _minimum_constraints()
    constraints = Path(session.create_tmp()) / "minimums.txt"
    constraints.write_text("".join(f"{pin}\n" for pin in pins), encoding="utf-8")
    # The test and docs tools (the docs hold doctests) float; the package's own requirements are pinned.
    session.install(
        "-c", str(constraints), "-e", f".[{_extras()}]", "--group", "test", "--group", "docs"
    )
    # Proof in the log: each pinned distribution is installed at exactly its minimum.
    session.run("python", "scripts/minimum_constraints.py", "--verify", str(constraints))
    session.run("pytest", "-p", "no:cacheprovider", *session.posargs)
