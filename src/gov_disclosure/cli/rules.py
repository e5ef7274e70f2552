"""``gov-disclosure rules``: list the rules the checks apply."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..i18n import LOCALES, localizer
from ..rules import RULES
from ._common import EXIT_CLEAN
from ._i18n import current, pad
from ._i18n import gettext as _


def register(sub: Any) -> None:
    """Add the ``rules`` subcommand to *sub*."""
    p = sub.add_parser("rules", help=_("list every rule that check applies"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=_("output format"))
    p.add_argument(
        "--locale",
        choices=LOCALES,
        default=None,
        help=_("language of the descriptions (default: the system's)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """List the rules in the chosen format."""
    if args.format == "json":
        doc = [
            {
                "id": r.id,
                "severity": r.severity.value,
                "basis": r.basis,
                "scope": r.scope,
                "editions": sorted(e.value for e in r.editions),
                "formula": r.formula,
                "description": {
                    name: r.description.en if name == "en" else localizer(name).label(r.description)
                    for name in LOCALES
                },
            }
            for r in RULES
        ]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_CLEAN
    loc = localizer(args.locale or current())
    for r in RULES:
        # English is the catalogue's own; the Chinese locales come from the gettext catalogue.
        text = r.description.en if loc.name == "en" else loc.label(r.description)
        # The severity in the words check prints (错误/警告), padded by display width.
        print(f"{r.id:32} {pad(_(r.severity.value), 8)} {r.basis:3} {text}")
    return EXIT_CLEAN
