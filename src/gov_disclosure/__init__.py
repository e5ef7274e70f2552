"""
gov-disclosure: the 政府信息公开工作年度报告 (annual report on government information disclosure) as typed data.

Build, check, serialize, render and parse the national annual report format,
both editions (2019 and 2021).  Everything public is exported here.

Importing the package is cheap: each name is imported from its module the
first time it is used (a module ``__getattr__``, :pep:`562`), so ``import
gov_disclosure`` loads none of the converters, renderers, readers or the batch
engine, and a command or a worker pays only for what it uses.

To export a new name, write it in three lists of this file: ``_EXPORTS``
(``"name": "module"``, or ``"name": "module:attribute"`` for a renamed one),
``__all__``, and the imports of the ``TYPE_CHECKING`` block, which type
checkers and IDEs read.  ``tests/test_lazy_import.py`` fails, naming the name
and the list, when they disagree.
"""

from __future__ import annotations

import sys as _sys

from ._metadata import __version__

# Not ``typing.TYPE_CHECKING``: importing typing would be most of this file's cost.
TYPE_CHECKING = False

#: Every public name and where it lives: ``"module"`` (relative to this
#: package) or ``"module:attribute"`` when the exported name differs.
_EXPORTS: dict[str, str] = {
    # catalogue
    "Catalogue": "catalogue",
    "CellDef": "catalogue",
    "ColumnDef": "catalogue",
    "Edition": "catalogue",
    "Label": "catalogue",
    "PartDef": "catalogue",
    "RowDef": "catalogue",
    "SectionDef": "catalogue",
    "TableDef": "catalogue",
    "ValueKind": "catalogue",
    "catalogue": "catalogue",
    # cells
    "CellValue": "cells",
    "cells": "cells",
    "from_cells": "cells",
    # errors
    "CellsError": "errors",
    "GovDisclosureError": "errors",
    "InvalidTypeError": "errors",
    "InvalidValueError": "errors",
    "MissingExtraError": "errors",
    "ParseError": "errors",
    "ReportsError": "errors",
    "StructureError": "errors",
    "UnsupportedEditionError": "errors",
    # layout
    "CellKind": "layout",
    "Layout": "layout",
    "LayoutCell": "layout",
    "layout": "layout",
    # many
    "Aggregate": "many",
    "BatchCellRow": "many",
    "BatchResult": "many",
    "BatchRow": "many",
    "BatchWriter": "many",
    "CellChange": "many",
    "Chain": "many",
    "Comparison": "many",
    "Gap": "many",
    "Link": "many",
    "TracedFinding": "many",
    "aggregate": "many",
    "batch": "many",
    "batch_file": "many",
    "compare": "many",
    "continuity_chain": "many",
    "report_paths": "many",
    # model
    "AnnualReport": "model",
    "AppealCounts": "model",
    "Appeals": "model",
    "ApplicantCounts": "model",
    "Decisions": "model",
    "Denials": "model",
    "Documents2019": "model",
    "Documents2021": "model",
    "ExtraRow": "model",
    "FeeAmount": "model",
    "FeeItems2019": "model",
    "General": "model",
    "InformationFees": "model",
    "Items2019": "model",
    "NotProcessed": "model",
    "OtherHandling": "model",
    "OtherMatters": "model",
    "Proactive2019": "model",
    "Proactive2021": "model",
    "Problems": "model",
    "Procurement2019": "model",
    "Requests": "model",
    "Subsection": "model",
    "Unable": "model",
    # parsers
    "Ambiguity": "parsers",
    "Location": "parsers",
    "MAX_INPUT_BYTES": "parsers",
    "PARSE_FORMATS": "parsers:FORMATS",
    "ParseWarning": "parsers",
    "Parsed": "parsers",
    "WARNING_CODES": "parsers",
    "parse": "parsers",
    "sniff": "parsers",
    # renderers
    "DocxRenderer": "renderers",
    "FORMATS": "renderers",
    "HtmlRenderer": "renderers",
    "LOCALES": "renderers",
    "MarkdownRenderer": "renderers",
    "Renderer": "renderers",
    "TextRenderer": "renderers",
    "XlsxRenderer": "renderers",
    "render": "renderers",
    "renderer": "renderers",
    # renderers.html
    "HTML_STYLESHEET": "renderers.html:STYLESHEET",
    # rules
    "Contribution": "rules",
    "Finding": "rules",
    "RULES": "rules",
    "Rule": "rules",
    "Severity": "rules",
    "check": "rules",
    "continuity": "rules",
    "rule": "rules",
    # serialize
    "from_dict": "serialize",
    "from_json": "serialize",
    "from_rows": "serialize",
    "json_schema": "serialize",
    "ReportDocument": "serialize",
    "ReportDocument2019": "serialize",
    "ReportDocument2021": "serialize",
    "TidyRow": "serialize",
    "TidyRowRead": "serialize",
    "read_rows": "serialize",
    "to_dict": "serialize",
    "to_json": "serialize",
    "to_rows": "serialize",
    "write_rows": "serialize",
}

#: The same names, spelled out for the tools that read ``__all__`` statically.
__all__ = [
    "FORMATS",
    "HTML_STYLESHEET",
    "LOCALES",
    "MAX_INPUT_BYTES",
    "PARSE_FORMATS",
    "RULES",
    "WARNING_CODES",
    "Aggregate",
    "Ambiguity",
    "AnnualReport",
    "AppealCounts",
    "Appeals",
    "ApplicantCounts",
    "BatchCellRow",
    "BatchResult",
    "BatchRow",
    "BatchWriter",
    "Catalogue",
    "CellChange",
    "CellDef",
    "CellKind",
    "CellValue",
    "CellsError",
    "Chain",
    "ColumnDef",
    "Comparison",
    "Contribution",
    "Decisions",
    "Denials",
    "Documents2019",
    "Documents2021",
    "DocxRenderer",
    "Edition",
    "ExtraRow",
    "FeeAmount",
    "FeeItems2019",
    "Finding",
    "Gap",
    "General",
    "GovDisclosureError",
    "HtmlRenderer",
    "InformationFees",
    "InvalidTypeError",
    "InvalidValueError",
    "Items2019",
    "Label",
    "Layout",
    "LayoutCell",
    "Link",
    "Location",
    "MarkdownRenderer",
    "MissingExtraError",
    "NotProcessed",
    "OtherHandling",
    "OtherMatters",
    "ParseError",
    "ParseWarning",
    "Parsed",
    "PartDef",
    "Proactive2019",
    "Proactive2021",
    "Problems",
    "Procurement2019",
    "Renderer",
    "ReportDocument",
    "ReportDocument2019",
    "ReportDocument2021",
    "ReportsError",
    "Requests",
    "RowDef",
    "Rule",
    "SectionDef",
    "Severity",
    "StructureError",
    "Subsection",
    "TableDef",
    "TextRenderer",
    "TidyRow",
    "TidyRowRead",
    "TracedFinding",
    "Unable",
    "UnsupportedEditionError",
    "ValueKind",
    "XlsxRenderer",
    "__version__",
    "aggregate",
    "batch",
    "batch_file",
    "catalogue",
    "cells",
    "check",
    "compare",
    "continuity",
    "continuity_chain",
    "from_cells",
    "from_dict",
    "from_json",
    "from_rows",
    "json_schema",
    "layout",
    "parse",
    "read_rows",
    "render",
    "renderer",
    "report_paths",
    "rule",
    "sniff",
    "to_dict",
    "to_json",
    "to_rows",
    "write_rows",
]

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time, __getattr__ below
    from typing import Any

    from .catalogue import (
        Catalogue,
        CellDef,
        ColumnDef,
        Edition,
        Label,
        PartDef,
        RowDef,
        SectionDef,
        TableDef,
        ValueKind,
        catalogue,
    )
    from .cells import CellValue, cells, from_cells
    from .errors import (
        CellsError,
        GovDisclosureError,
        InvalidTypeError,
        InvalidValueError,
        MissingExtraError,
        ParseError,
        ReportsError,
        StructureError,
        UnsupportedEditionError,
    )
    from .layout import CellKind, Layout, LayoutCell, layout
    from .many import (
        Aggregate,
        BatchCellRow,
        BatchResult,
        BatchRow,
        BatchWriter,
        CellChange,
        Chain,
        Comparison,
        Gap,
        Link,
        TracedFinding,
        aggregate,
        batch,
        batch_file,
        compare,
        continuity_chain,
        report_paths,
    )
    from .model import (
        AnnualReport,
        AppealCounts,
        Appeals,
        ApplicantCounts,
        Decisions,
        Denials,
        Documents2019,
        Documents2021,
        ExtraRow,
        FeeAmount,
        FeeItems2019,
        General,
        InformationFees,
        Items2019,
        NotProcessed,
        OtherHandling,
        OtherMatters,
        Proactive2019,
        Proactive2021,
        Problems,
        Procurement2019,
        Requests,
        Subsection,
        Unable,
    )
    from .parsers import FORMATS as PARSE_FORMATS
    from .parsers import (
        MAX_INPUT_BYTES,
        WARNING_CODES,
        Ambiguity,
        Location,
        Parsed,
        ParseWarning,
        parse,
        sniff,
    )
    from .renderers import (
        FORMATS,
        LOCALES,
        DocxRenderer,
        HtmlRenderer,
        MarkdownRenderer,
        Renderer,
        TextRenderer,
        XlsxRenderer,
        render,
        renderer,
    )
    from .renderers.html import STYLESHEET as HTML_STYLESHEET
    from .rules import RULES, Contribution, Finding, Rule, Severity, check, continuity, rule
    from .serialize import (
        ReportDocument,
        ReportDocument2019,
        ReportDocument2021,
        TidyRow,
        TidyRowRead,
        from_dict,
        from_json,
        from_rows,
        json_schema,
        read_rows,
        to_dict,
        to_json,
        to_rows,
        write_rows,
    )


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (:pep:`562`), then keep it."""
    try:
        where = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module, _, attribute = where.partition(":")
    value = getattr(__import__(f"{__name__}.{module}", fromlist=["_"]), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(type(_sys)):  # type: ignore[misc]  # types.ModuleType, without importing types
    """
    This package's module type: a submodule does not hide the function of its name.

    Importing ``gov_disclosure.catalogue`` (``cells``, ``layout``) binds the
    submodule as an attribute of the package; ``gd.catalogue`` stays the
    exported function, as it was when this file imported it eagerly.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, type(_sys)) and name in _EXPORTS:
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
