"""
Hatch build hook: compile the gettext catalogues (.po -> .mo) into the wheel.

The ``.mo`` files are build products (git-ignored), so a wheel built from a
fresh clone or from the sdist would lack them; this hook compiles every
``src/gov_disclosure/i18n/locale/<locale>/LC_MESSAGES/<domain>.po`` with
babel and adds the result to the wheel.  For an editable install it compiles
them next to their sources instead, where the installed package looks.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE_DIR = Path("src/gov_disclosure/i18n/locale")
#: The gettext domains: the labels and messages, and the command line's own texts.
DOMAINS = ("gov_disclosure", "gov_disclosure_cli")


def compile_catalogues(root: Path, out: Path) -> list[tuple[Path, str]]:
    """Compile every .po under *root*'s locale folder into *out*; return (file, wheel path) pairs."""
    done = []
    for domain in DOMAINS:
        for po in sorted((root / LOCALE_DIR).glob(f"*/LC_MESSAGES/{domain}.po")):
            locale = po.parent.parent.name
            with po.open("rb") as f:
                catalog = read_po(f, locale=locale, domain=domain)
            target = out / locale / "LC_MESSAGES" / f"{domain}.mo"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as f:
                write_mo(f, catalog)
            done.append((target, f"gov_disclosure/i18n/locale/{locale}/LC_MESSAGES/{domain}.mo"))
    if not done:
        raise RuntimeError(f"no gettext catalogues found under {root / LOCALE_DIR}")
    return done


class LocaleBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the .po catalogues and include the .mo files in the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        if version == "editable":
            compile_catalogues(root, root / LOCALE_DIR)
            return
        self._tmp = Path(tempfile.mkdtemp(prefix="gov-disclosure-mo-"))
        for path, target in compile_catalogues(root, self._tmp):
            build_data["force_include"][str(path)] = target

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
