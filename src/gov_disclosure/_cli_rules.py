"""``gov-disclosure rules``: list the rules the checks apply."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .cli import EXIT_CLEAN
from .rules import RULES


def register(sub: Any) -> None:
    """Add the ``rules`` subcommand to *sub*."""
    p = sub.add_parser("rules", help="list every rule that check applies")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--locale", choices=("en", "zh_Hans_CN"), default="en")
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
                "description": {"zh_Hans_CN": r.description.zh, "en": r.description.en},
            }
            for r in RULES
        ]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_CLEAN
    for r in RULES:
        text = r.description.zh if args.locale == "zh_Hans_CN" else r.description.en
        print(f"{r.id:32} {r.severity.value:8} {r.basis:3} {text}")
    return EXIT_CLEAN
