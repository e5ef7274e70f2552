"""
The docs' translation catalogues: regenerate, update, check.

The site is written in English and translated into Simplified Chinese through
Sphinx's gettext workflow.  The committed catalogues are
``docs/locale/zh_CN/LC_MESSAGES/<page>.po``, one per page.

    python scripts/docs_i18n.py check    # exit 1 with a list if a translation is missing or stale
    python scripts/docs_i18n.py update   # bring the catalogues up to date with the pages
    python scripts/docs_i18n.py search docs/_build/html/zh_CN 结转   # the index finds the words

``check`` extracts the messages of the pages as they are now (``sphinx-build -b
gettext`` into a temporary folder) and compares them with the catalogues: a
message without a translation (new or changed paragraph), a fuzzy one (an old
translation kept as a hint by ``update``, to be reviewed), a catalogue entry
no page has any more, a page without catalogue or a catalogue without page
are each listed, page by page.  ``update`` merges the new messages into the
catalogues (changed paragraphs get their old translation marked fuzzy), then
the translator fills the empty and fuzzy entries and ``check`` passes again.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LOCALES = ("zh_CN",)


def catalogue_dir(locale: str, docs: Path = DOCS) -> Path:
    return docs / "locale" / locale / "LC_MESSAGES"


def extract(out: Path, docs: Path = DOCS) -> Path:
    """Run Sphinx's gettext builder: one ``.pot`` per page under *out*."""
    cmd = [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "gettext", "-D", "language=en"]
    cmd += [str(docs), str(out)]
    subprocess.run(cmd, check=True)
    return out


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def language_free(msgid: str) -> bool:
    """
    Whether *msgid* has no words to translate: numbers, code, keys, Chinese labels.

    >>> language_free("``t3.granted.total``"), language_free("本年新收政府信息公开申请数量")
    (True, True)
    >>> language_free("0.42 ms"), language_free("the total of ``t3``")
    (True, False)
    >>> language_free("http://www.example.gov.cn/a/b.html")
    True
    """
    text = re.sub(r"(`+).+?\1", "", msgid)  # inline code and roles' targets
    text = re.sub(r"https?://\S+", "", text)  # addresses
    text = re.sub(r"\b(ms|µs|us|s|MB|KB|GB|x)\b", "", text)  # units of the measurements
    return re.search(r"[A-Za-z]{2,}", text) is None


def _short(msgid: str, width: int = 90) -> str:
    text = " ".join(msgid.split())
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class PageReport:
    """What is wrong with the translation of one page."""

    page: str
    missing_catalogue: bool = False
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing_catalogue or self.untranslated or self.fuzzy or self.obsolete)

    def lines(self) -> list[str]:
        if self.missing_catalogue:
            return [f"{self.page}: no catalogue (run `make docs-update-po`, then translate it)"]
        out = []
        for kind, ids in (
            ("untranslated", self.untranslated),
            ("fuzzy (translation of an older text: review it)", self.fuzzy),
            ("obsolete (no longer on the page: run `make docs-update-po`)", self.obsolete),
        ):
            out.extend(f"{self.page}: {kind}: {_short(m)!r}" for m in ids)
        return out


def compare(template: Catalog | None, catalogue: Catalog | None, page: str) -> PageReport:
    """Compare the messages a page has now (*template*) with its translations (*catalogue*)."""
    report = PageReport(page)
    if catalogue is None:
        report.missing_catalogue = template is not None and any(m.id for m in template)
        return report
    wanted = {m.id for m in template if m.id} if template is not None else set()
    for message in catalogue:
        if not message.id:
            continue
        if message.id not in wanted:
            report.obsolete.append(str(message.id))
    for msgid in sorted(wanted, key=str):
        message = catalogue.get(msgid)
        if message is None or not message.string:
            report.untranslated.append(str(msgid))
        elif message.fuzzy:
            report.fuzzy.append(str(msgid))
    return report


def _pages(pot_dir: Path, po_dir: Path) -> list[str]:
    pots = {p.relative_to(pot_dir).with_suffix("").as_posix() for p in pot_dir.rglob("*.pot")}
    pos = {p.relative_to(po_dir).with_suffix("").as_posix() for p in po_dir.rglob("*.po")}
    return sorted(pots | pos)


def check(pot_dir: Path, locale: str, docs: Path = DOCS) -> list[PageReport]:
    po_dir = catalogue_dir(locale, docs)
    reports = []
    for page in _pages(pot_dir, po_dir):
        pot, po = pot_dir / f"{page}.pot", po_dir / f"{page}.po"
        report = compare(
            _read(pot) if pot.exists() else None,
            _read(po, locale) if po.exists() else None,
            page,
        )
        if report:
            reports.append(report)
    return reports


def update(pot_dir: Path, locale: str, docs: Path = DOCS) -> list[str]:
    """Merge the extracted messages into the catalogues; return the pages changed."""
    po_dir = catalogue_dir(locale, docs)
    changed = []
    for page in _pages(pot_dir, po_dir):
        pot, po = pot_dir / f"{page}.pot", po_dir / f"{page}.po"
        if not pot.exists():
            po.unlink()
            changed.append(f"{page} (removed: the page is gone)")
            continue
        template = _read(pot)
        before = set()
        if po.exists():
            catalogue = _read(po, locale)
            before = {(m.id, m.string, m.fuzzy) for m in catalogue if m.id}
            catalogue.update(template, no_fuzzy_matching=False)
            catalogue.obsolete.clear()
        else:
            catalogue = Catalog(locale=locale, project="gov-disclosure docs")
            catalogue.update(template)
        for message in catalogue:
            if message.id and language_free(str(message.id)):
                message.string = message.id  # nothing to translate: the same text
                message.flags.discard("fuzzy")
        if po.exists() and before == {(m.id, m.string, m.fuzzy) for m in catalogue if m.id}:
            continue
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as f:
            write_po(f, catalogue, width=0, omit_header=False, no_location=True)
        changed.append(page)
    return changed


def search_terms(html: Path) -> dict[str, object]:
    """The terms of a built site's search index (``searchindex.js``)."""
    import json

    text = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    terms: dict[str, object] = index["terms"]
    return terms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("command", choices=["check", "update", "search"])
    parser.add_argument("--pot", type=Path, help="use these .pot files instead of extracting")
    parser.add_argument("site", nargs="?", type=Path, help="search: a built site")
    parser.add_argument("words", nargs="*", help="search: words the index must have")
    args = parser.parse_args(argv)
    if args.command == "search":
        terms = search_terms(args.site)
        missing = [w for w in args.words if w not in terms]
        if missing:
            print(f"docs: the search index of {args.site} lacks {missing}", file=sys.stderr)
            print("Is jieba installed (the docs dependency group)?", file=sys.stderr)
            return 1
        return 0
    with tempfile.TemporaryDirectory(prefix="gd-docs-pot-") as tmp:
        pot_dir = args.pot or extract(Path(tmp))
        status = 0
        for locale in LOCALES:
            if args.command == "update":
                for page in update(pot_dir, locale):
                    print(f"updated {catalogue_dir(locale).relative_to(ROOT)}/{page}.po")
                continue
            reports = check(pot_dir, locale)
            if reports:
                status = 1
                count = sum(len(r.lines()) for r in reports)
                print(
                    f"docs: {count} problems in the {locale} translation of {len(reports)} pages:",
                    file=sys.stderr,
                )
                for report in reports:
                    for line in report.lines():
                        print(f"  {line}", file=sys.stderr)
                print(
                    "Run `make docs-update-po`, translate the empty and fuzzy entries "
                    f"in docs/locale/{locale}/LC_MESSAGES/, and run `make docs` again "
                    "(docs/contributing.md).",
                    file=sys.stderr,
                )
        return status


if __name__ == "__main__":
    sys.exit(main())
