"""
Sphinx helpers of the gov-disclosure docs: tables generated from the library's own data.

``{rules-table}`` lists :data:`gov_disclosure.RULES`; ``{cells-table}`` lists
the cell keys and official labels of one edition from the catalogue;
``{architecture}`` draws the package's layers from the import-linter contract
in ``pyproject.toml`` and the imports the code really makes.  The docs
therefore never restate a rule, a label or the architecture by hand.

Translation (see ``docs/contributing.md``): the generated tables and the API
reference (the docstrings, which stay English) are kept out of the gettext
catalogues, so the catalogues hold only the prose written for the site.  The
language switcher's links are set here, per page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

import gov_disclosure as gd


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("`", "\\`")


def _untranslatable(node: nodes.Node) -> None:
    """Keep *node*'s text out of the translation catalogues."""
    for text in node.findall(nodes.TextElement):
        text["translatable"] = False


#: Headers of the generated tables, per language (the tables are not in the catalogues).
_HEADERS = {
    "key": "键",
    "row": "行",
    "column": "列",
    "kind": "类型",
    "id": "编号",
    "severity": "级别",
    "spec": "规范",
    "editions": "版本",
    "formula": "公式",
    "description": "说明（英文）",
}


class _TableDirective(SphinxDirective):
    def _render(
        self, header: list[str], rows: list[list[str]], widths: str = "auto"
    ) -> list[nodes.Node]:
        if self.config.language.startswith("zh"):
            header = [_HEADERS.get(h, h) for h in header]
        lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
        for row in [header, *rows]:
            first = True
            for cell in row:
                lines.append(("   * - " if first else "     - ") + (cell or " "))
                first = False
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="gd_docs"), self.content_offset, container)
        _untranslatable(container)
        return list(container.children)


class RulesTable(_TableDirective):
    """Every rule of :data:`gov_disclosure.RULES`."""

    option_spec: ClassVar[dict[str, Any]] = {"scope": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        scope = self.options.get("scope")
        rows = []
        for r in gd.RULES:
            if scope and r.scope != scope:
                continue
            editions = ", ".join(sorted(e.value for e in r.editions))
            rows.append(
                [
                    f"``{r.id}``",
                    r.severity.value,
                    r.basis,
                    editions,
                    f"``{_esc(r.formula)}``" if "`" not in r.formula else _esc(r.formula),
                    _esc(r.description.en),
                    _esc(r.description.zh),
                ]
            )
        return self._render(
            ["id", "severity", "spec", "editions", "formula", "description", "说明"], rows
        )


class CellsTable(_TableDirective):
    """The cell keys of one edition with their official labels."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        cat = gd.catalogue(self.arguments[0])
        rows = []
        for key, cell in cat.cells.items():
            row = " ".join(label.zh for label in cell.row.path)
            col = " ".join(label.zh for label in cell.column.path)
            rows.append([f"``{key}``", _esc(row), _esc(col), cell.kind.value])
        return self._render(["key", "row", "column", "kind"], rows)


_ROOT = Path(__file__).resolve().parents[2]


def _layers() -> list[list[str]]:
    """The layers of the contract ``layers`` of pyproject.toml, top first, siblings split."""
    from importlinter.api import read_configuration

    config = read_configuration(str(_ROOT / "pyproject.toml"))
    contract = next(c for c in config["contracts_options"] if c["id"] == "layers")
    return [[m.strip() for m in layer.split("|")] for layer in contract["layers"]]


def _imports(names: list[str]) -> dict[str, set[str]]:
    """For each top-level module or package, the others it imports (directly, in any of its modules)."""
    import grimp

    graph = grimp.build_graph("gov_disclosure", cache_dir=None)
    out: dict[str, set[str]] = {n: set() for n in names}
    for name in names:
        full = f"gov_disclosure.{name}"
        modules = {full} | (graph.find_descendants(full) if full in graph.modules else set())
        for module in modules:
            for imported in graph.find_modules_directly_imported_by(module):
                parts = imported.split(".")
                if len(parts) > 1 and parts[1] in out and parts[1] != name:
                    out[name].add(parts[1])
    return out


def _lines(name: str) -> int:
    base = _ROOT / "src" / "gov_disclosure"
    files = [base / f"{name}.py"] if (base / f"{name}.py").exists() else (base / name).rglob("*.py")
    return sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)


def _svg(layers: list[list[str]], imports: dict[str, set[str]]) -> str:
    """Stacked boxes, one row per layer (top layer first), with each box's size and fan-out."""
    width, row_h, gap = 760, 46, 14
    height = len(layers) * (row_h + gap) + gap
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="The layers of gov_disclosure" class="gd-architecture">',
        "<style>rect{fill:#eef3fb;stroke:#3b5b92;stroke-width:1.2}"
        "text{font:13px sans-serif;fill:#1b2b45}.n{font-weight:bold;font-family:monospace}"
        ".s{font-size:11px;fill:#4b5b75}</style>",
    ]
    for i, layer in enumerate(layers):
        y = gap + i * (row_h + gap)
        box_w = (width - gap * (len(layer) + 1)) / len(layer)
        for j, name in enumerate(layer):
            x = gap + j * (box_w + gap)
            below = sorted(imports.get(name, ()))
            out.append(f'<rect x="{x:.0f}" y="{y}" width="{box_w:.0f}" height="{row_h}" rx="6"/>')
            out.append(f'<text class="n" x="{x + 10:.0f}" y="{y + 19}">{name}</text>')
            detail = (
                f"{_lines(name)} lines; imports: {', '.join(below) or 'nothing of the library'}"
            )
            out.append(f'<text class="s" x="{x + 10:.0f}" y="{y + 36}">{detail}</text>')
    out.append("</svg>")
    return "".join(out)


class Architecture(SphinxDirective):
    """The package's layers as a picture, from the contract and the code's own imports."""

    def run(self) -> list[nodes.Node]:
        layers = _layers()
        imports = _imports([n for layer in layers for n in layer])
        return [nodes.raw("", _svg(layers, imports), format="html")]


class KeepDocstringsEnglish(SphinxTransform):
    """
    Mark the API reference, the CHANGELOG and generated figures untranslatable.

    Docstrings stay English; the changelog is written in English as changes
    land; the blocks of measured figures are rewritten by a script with each
    benchmark run (``scripts/performance_doc.py``).
    """

    default_priority = 10  # before Sphinx's Locale transform (20) applies the catalogues

    def apply(self, **kwargs: Any) -> None:
        for desc in self.document.findall(addnodes.desc):
            _untranslatable(desc)
        for text in self.document.findall(nodes.TextElement):
            source = text.source or ""
            if "docstring of " in source or source.endswith("CHANGELOG.md"):
                text["translatable"] = False
        # Blocks a script rewrites from measurements (performance.md's figures):
        # between <!-- BEGIN generated:... --> and <!-- END generated:... -->.
        for start in list(self.document.findall(nodes.raw)):
            if "BEGIN generated:" not in start.astext() or start.parent is None:
                continue
            siblings = start.parent.children
            for node in siblings[siblings.index(start) + 1 :]:
                if isinstance(node, nodes.raw) and "END generated:" in node.astext():
                    break
                _untranslatable(node)


#: The published languages: Sphinx's name, Read the Docs' language segment, label.
LANGUAGES = (("zh_CN", "zh-cn", "简体中文"), ("en", "en", "English"))
#: Where Read the Docs serves the site (a project per language, the same version).
RTD_HOST = "https://gov-disclosure.readthedocs.io"


def _normalise_language(app: Sphinx, config: Any) -> None:
    """Read ``zh-cn``/``zh_cn`` (as a publisher may pass it) as Sphinx's ``zh_CN``."""
    language = (config.language or "en").replace("-", "_")
    for code, _, _ in LANGUAGES:
        if language.lower() == code.lower():
            language = code
    config.language = language


def _search_terms() -> list[str]:
    """
    The format's short official labels (自然人, 不予公开, 行政复议...), for the Chinese search.

    jieba knows general vocabulary; these make each label one search term as
    well (a query for a part, such as 公开, still finds it).  Numbering and
    notes in brackets are left out; long labels are phrases, not terms.
    """
    import re

    terms = set()
    for edition in ("2019", "2021"):
        for cell in gd.catalogue(edition).cells.values():
            for label in (*cell.row.path, *cell.column.path):
                text = re.sub(r"^(\d+\.|（[一二三四五六七八九]）|[一二三四五六]、)", "", label.zh)
                text = re.sub(r"（.*?）", "", text)
                if 2 <= len(text) <= 8 and re.fullmatch(r"[\u4e00-\u9fff]+", text):
                    terms.add(text)
    return sorted(terms)


def _search_dictionary(app: Sphinx, config: Any) -> None:
    """
    Give Sphinx's Chinese search the format's terms as jieba's user dictionary.

    Without one, Sphinx loads jieba's whole default dictionary a second time as
    a user dictionary (seconds of every Chinese build).
    """
    if not config.language.startswith("zh") or "dict" in config.html_search_options:
        return
    path = Path(app.doctreedir) / "gd-search-terms.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{term} 100\n" for term in _search_terms()), encoding="utf-8")
    config.html_search_options = {**config.html_search_options, "dict": str(path)}


def _page_languages(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The switcher's links: to the same page of each language's build."""
    rtd_version = os.environ.get("READTHEDOCS_VERSION")
    links = []
    for code, rtd_code, label in LANGUAGES:
        if rtd_version:  # on Read the Docs: each language is a project of its own
            base = f"{RTD_HOST}/{rtd_code}/{rtd_version}/"
        else:  # make docs: docs/_build/html/<code>/, side by side
            base = "../" * (pagename.count("/") + 1) + f"{code}/"
        links.append((code, label, base, code == app.config.language))
    context["gd_languages"] = links


def setup(app: Sphinx) -> dict[str, Any]:
    try:  # the Chinese search index's word segmenter logs its start-up at DEBUG level
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # the English build does not need it
        pass
    app.add_transform(KeepDocstringsEnglish)
    app.connect("config-inited", _normalise_language)
    app.connect("config-inited", _search_dictionary, priority=600)
    app.connect("html-page-context", _page_languages)
    app.add_directive("rules-table", RulesTable)
    app.add_directive("cells-table", CellsTable)
    app.add_directive("architecture", Architecture)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
