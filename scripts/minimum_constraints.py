"""
The pip constraints that pin every runtime dependency and extra to its stated minimum.

``nox -s minimums`` installs the package with every extra under these
constraints and runs the tests, so each ``>=`` bound in ``pyproject.toml`` is
one that works (pip has no lowest-version resolution of its own).  Each
requirement must state its minimum as ``>=X``; the constraint is ``name==X``
(extras dropped: pip refuses them in a constraints file).

    python scripts/minimum_constraints.py [pyproject.toml] > constraints.txt
    python scripts/minimum_constraints.py --verify constraints.txt

``--verify`` checks that each pinned distribution is installed at exactly its pin.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

#: ``name[extra,...]>=X`` with nothing else (no upper bound), and perhaps a marker.
_REQUIREMENT = re.compile(
    r"\A(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*>=\s*(?P<minimum>[0-9][0-9.]*)"
    r"\s*(?:;\s*(?P<marker>.+))?\Z"
)


def requirements(pyproject: dict[str, object]) -> list[str]:
    """Every runtime requirement of *pyproject*: the dependencies, then each extra's."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    found: list[str] = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        found += extra
    return found


def constraints(pyproject: dict[str, object]) -> list[str]:
    """``name==minimum`` (and its marker) for every requirement of *pyproject*, sorted by name, each once."""
    pins: dict[str, str] = {}
    markers: dict[str, str] = {}
    for requirement in requirements(pyproject):
        m = _REQUIREMENT.match(requirement.strip())
        if m is None:
            raise SystemExit(f"{requirement!r}: state the minimum as name>=X and nothing else")
        name = re.sub(r"[-_.]+", "-", m.group("name")).lower()
        if pins.setdefault(name, m.group("minimum")) != m.group("minimum"):
            raise SystemExit(f"{name}: two different minimums ({pins[name]}, {m['minimum']})")
        if m.group("marker"):
            markers[name] = m.group("marker").replace("'", '"')
    return [
        f"{name}=={minimum}" + (f"; {markers[name]}" if name in markers else "")
        for name, minimum in sorted(pins.items())
    ]


def load(path: Path) -> dict[str, object]:
    """The parsed *path* (a ``pyproject.toml``)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover -- Python 3.10
        import tomli as tomllib
    with path.open("rb") as f:
        return tomllib.load(f)


def _release(version: str) -> tuple[int, ...]:
    numbers = [int(part) for part in version.split(".")]
    while numbers and numbers[-1] == 0:  # 23.1 is 23.1.0 (PEP 440 pads with zeros)
        numbers.pop()
    return tuple(numbers)


def verify(lines: list[str]) -> list[str]:
    """The pins of *lines* (``name==X``) that the running Python does not have installed exactly."""
    wrong = []
    for line in lines:
        pin, _, marker = line.partition(";")
        name, _, pinned = pin.strip().partition("==")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            if marker:  # a dependency of some Pythons only (tomli: before 3.11)
                print(f"{name}: not installed ({marker.strip()})")
                continue
            raise
        print(f"{name}: pinned {pinned}, installed {installed}")
        if _release(installed) != _release(pinned):
            wrong.append(f"{name}=={pinned} (installed: {installed})")
    return wrong


def main(argv: list[str]) -> None:
    if argv[:1] == ["--verify"]:
        wrong = verify(Path(argv[1]).read_text(encoding="utf-8").splitlines())
        if wrong:
            raise SystemExit("not at the minimum: " + ", ".join(wrong))
        return
    pyproject = load(Path(argv[0] if argv else "pyproject.toml"))
    sys.stdout.write("".join(line + "\n" for line in constraints(pyproject)))


if __name__ == "__main__":
    main(sys.argv[1:])
