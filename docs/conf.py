"""
Sphinx configuration of the gov-disclosure docs (built with -n -W in make test).

The site is written in English (the source language) and translated into
Simplified Chinese with gettext catalogues (``docs/locale/zh_CN``); Chinese is
the default language.  ``-D language=en`` (or Read the Docs' project language,
``READTHEDOCS_LANGUAGE``) builds the English site.  See ``contributing.md``.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "gov-disclosure"
author = "gov-disclosure developers"
copyright = "2026, gov-disclosure developers"
release = _version("gov-disclosure")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "gd_docs",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "gov-disclosure"
html_static_path = ["_static"]

# --- languages ----------------------------------------------------------------
# Sphinx applies ``-D language=...`` after this file runs, so whatever depends on
# the language is set by the gd_docs extension (the switcher's links) or by
# Sphinx itself (the search language follows ``language``: zh_CN -> zh).
# (gd_docs also reads zh-cn or zh_cn as zh_CN, whichever way the language comes.)
language = os.environ.get("READTHEDOCS_LANGUAGE", "zh_CN")
locale_dirs = ["locale/"]
gettext_compact = False  # one catalogue per page: docs/locale/zh_CN/LC_MESSAGES/<page>.po
gettext_location = False  # no line numbers in the catalogues: smaller diffs
gettext_uuid = False
# Chinese search (Sphinx's "zh" index) segments words with jieba, a docs
# dependency, so a query for 结转 finds pages that only say 上年结转.
templates_path = ["_templates"]
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "languages.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
# No intersphinx: the docs build must work offline, so references to the
# standard library and to attrs are left as plain text (see nitpick_ignore_regex).
nitpicky = True
nitpick_ignore_regex = [
    # Type names that appear in signatures but are not documented objects.
    (r"py:class", r"(attrs\.|attr\.|_?typing\.|collections\.abc\.|decimal\.|Decimal|enum\.).*"),
    (r"py:class", r"(str|int|bool|float|bytes|object|type|Any|None|dict|list|tuple|frozenset|set)"),
    (r"py:class", r"gov_disclosure\._.*"),
    (r"py:.*", r"gov_disclosure\.(model|rules|cells|errors|i18n)\..*"),
    (r"py:class", r"(Path|os\.PathLike|Mapping|Iterable|Iterator|Sequence|Callable)"),
    (r"py:class", r"(CellValue|Other)"),
    (r"py:class", r"hypothesis\..*"),
]
