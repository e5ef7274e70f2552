"""
The docs' translation check (``scripts/docs_i18n.py``) and the committed Chinese catalogues.

``make docs`` runs the full check (messages extracted by Sphinx against the
catalogues); these tests pin down what it reports and hold the catalogues to
the project's rules without running Sphinx.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import gov_disclosure as gd

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "docs" / "locale" / "zh_CN" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def i18n() -> ModuleType:
    """The script, imported from its file (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("docs_i18n", ROOT / "scripts" / "docs_i18n.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_i18n"] = module
    spec.loader.exec_module(module)
    return module


def _catalogue(entries: dict[str, str], fuzzy: frozenset[str] = frozenset()) -> Catalog:
    c = Catalog(locale="zh_CN")
    for msgid, msgstr in entries.items():
        c.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    return c


class TestCompare:
    def test_a_complete_translation_passes(self, i18n: ModuleType) -> None:
        template = _catalogue({"Rules": ""})
        assert not i18n.compare(template, _catalogue({"Rules": "规则"}), "rules")

    def test_each_kind_of_problem_is_listed_by_page(self, i18n: ModuleType) -> None:
        """New, changed (fuzzy) and removed paragraphs each get a line naming the page."""
        template = _catalogue({"New.": "", "Changed.": "", "Kept.": ""})
        catalogue = _catalogue(
            {"Changed.": "旧译文。", "Kept.": "保留。", "Removed.": "删除。"},
            fuzzy=frozenset({"Changed."}),
        )
        report = i18n.compare(template, catalogue, "guides/cli")
        assert (report.untranslated, report.fuzzy, report.obsolete) == (
            ["New."],
            ["Changed."],
            ["Removed."],
        )
        lines = report.lines()
        assert len(lines) == 3
        assert all(line.startswith("guides/cli: ") for line in lines)

    def test_a_page_without_catalogue_is_reported(self, i18n: ModuleType) -> None:
        report = i18n.compare(_catalogue({"Title": ""}), None, "integrators")
        assert report.missing_catalogue
        assert "make docs-update-po" in report.lines()[0]

    def test_a_catalogue_without_page_is_obsolete(self, i18n: ModuleType) -> None:
        assert i18n.compare(None, _catalogue({"Gone": "没了"}), "old").obsolete == ["Gone"]

    def test_language_free_messages(self, i18n: ModuleType) -> None:
        """Numbers, code and Chinese labels need no translation; English words do."""
        assert i18n.language_free("``t3.granted.total``")
        assert i18n.language_free("本年新收政府信息公开申请数量")
        assert i18n.language_free("1.82× / 0.42 ms")
        assert not i18n.language_free("the total")
        assert not i18n.language_free("`t3` of each report")


def _committed() -> list[Path]:
    return sorted(CATALOGUES.rglob("*.po"))


def _official_labels() -> set[str]:
    """Every official Chinese label of a row or column, from the catalogue, with and without its number."""
    labels = set()
    for edition in ("2019", "2021"):
        for cell in gd.catalogue(edition).cells.values():
            for label in (*cell.row.path, *cell.column.path):
                labels.add(label.zh)
                labels.add(re.sub(r"^(\d+\.|（[一二三四五六七]）|[一二三四]、)", "", label.zh))
    return {label for label in labels if len(label) >= 4}


def test_there_is_a_catalogue_per_page() -> None:
    pages = {
        p.relative_to(ROOT / "docs").with_suffix("").as_posix()
        for p in (ROOT / "docs").rglob("*.md")
        if "_build" not in p.parts
    }
    catalogues = {p.relative_to(CATALOGUES).with_suffix("").as_posix() for p in _committed()}
    assert pages == catalogues


@pytest.mark.parametrize("path", _committed(), ids=lambda p: p.relative_to(CATALOGUES).as_posix())
def test_committed_catalogue_is_complete_and_keeps_the_labels(path: Path) -> None:
    """No empty or fuzzy entry, and an official label quoted in English is quoted as is in Chinese."""
    with path.open("rb") as f:
        catalogue = read_po(f, locale="zh_CN")
    labels = _official_labels()
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        if not message.string or message.fuzzy:
            problems.append(f"untranslated or fuzzy: {message.id!r}")
            continue
        for label in labels:
            if label in message.id and label not in message.string:
                problems.append(f"{label!r} is in {message.id!r} but not in {message.string!r}")
    assert not problems, "\n".join(problems)


def test_update_merges_a_changed_page(i18n: ModuleType, tmp_path: Path) -> None:
    """New paragraphs come empty, changed ones fuzzy with their old text, code as is, gone ones go."""
    from babel.messages.pofile import write_po

    pot_dir, docs = tmp_path / "pot", tmp_path / "docs"
    (pot_dir / "guides").mkdir(parents=True)
    po = i18n.catalogue_dir("zh_CN", docs) / "guides" / "cli.po"
    po.parent.mkdir(parents=True)
    with (pot_dir / "guides" / "cli.pot").open("wb") as f:
        write_po(
            f, _catalogue({"Check published reports.": "", "A new paragraph.": "", "`-q`": ""})
        )
    with po.open("wb") as f:
        write_po(
            f, _catalogue({"Check published report.": "校验已发布的报告。", "Gone.": "没了。"})
        )

    assert i18n.update(pot_dir, "zh_CN", docs) == ["guides/cli"]
    with po.open("rb") as f:
        merged = {m.id: (m.string, m.fuzzy) for m in read_po(f) if m.id}
    assert merged == {
        "Check published reports.": ("校验已发布的报告。", True),
        "A new paragraph.": ("", False),
        "`-q`": ("`-q`", False),
    }
    report = i18n.check(pot_dir, "zh_CN", docs)
    assert [(r.page, r.untranslated, r.fuzzy) for r in report] == [
        ("guides/cli", ["A new paragraph."], ["Check published reports."])
    ]
