"""The minimum-versions session's constraints (``nox -s minimums``) match ``pyproject.toml``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

packaging = pytest.importorskip("packaging.requirements")
from packaging.requirements import Requirement  # noqa: E402
from packaging.utils import canonicalize_name  # noqa: E402
from packaging.version import Version  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    path = ROOT / "scripts" / "minimum_constraints.py"
    spec = importlib.util.spec_from_file_location("minimum_constraints", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _runtime_requirements() -> list[Requirement]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        found += [Requirement(r) for r in extra]
    return found


def test_every_requirement_pinned_at_its_minimum() -> None:
    """Each runtime and extra requirement is pinned to the lowest version its specifier admits."""
    script = _script()
    lines = script.constraints(script.load(ROOT / "pyproject.toml"))
    pins = {}
    for line in lines:
        pinned = Requirement(line)
        (spec,) = pinned.specifier
        assert spec.operator == "=="
        pins[canonicalize_name(pinned.name)] = (Version(spec.version), pinned.marker)
    requirements = _runtime_requirements()
    assert set(pins) == {canonicalize_name(r.name) for r in requirements}
    for r in requirements:
        version, marker = pins[canonicalize_name(r.name)]
        (spec,) = r.specifier  # a minimum and nothing else: the session could not prove more
        assert spec.operator == ">="
        assert version == Version(spec.version)
        assert r.specifier.contains(version)
        assert str(marker) == str(r.marker)


def test_verify_refuses_another_version() -> None:
    """The session's check fails when an installed version is not the pin."""
    script = _script()
    from importlib import metadata

    installed = metadata.version("attrs")
    assert script.verify([f"attrs=={installed}"]) == []
    assert script.verify(["attrs==0.1"]) == [f"attrs==0.1 (installed: {installed})"]
