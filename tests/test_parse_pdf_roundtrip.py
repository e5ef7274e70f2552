"""
The PDF reader on PDFs made from our own DOCX by LibreOffice: every cell comes back.

Rendering to PDF is not a feature; these PDFs are a second, independent
producer (after the real corpus PDF, exported from Word): LibreOffice lays out
our DOCX with its own fonts, line breaks, ruling paths and ligatures, and the
reader must rebuild every table from that geometry.  Each conversion starts
LibreOffice (about two seconds), so the property tests draw few examples.

Skipped, with the reason, where LibreOffice or a CJK font is not installed
(``.ci/run`` installs both where it can).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.strategies import reports

_LOCALES = ("zh_Hans_CN", "zh_Hant_TW", "en")
_EDITIONS = tuple(gd.Edition)
_SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


pytestmark = [
    pytest.mark.skipif(
        _SOFFICE is None,
        reason="LibreOffice (soffice) is not on PATH: the DOCX-to-PDF round trip needs it "
        "(Debian: apt-get install libreoffice-writer-nogui fonts-noto-cjk)",
    ),
    pytest.mark.skipif(
        _SOFFICE is not None and not _has_cjk_font(),
        reason="no CJK font (fc-list :lang=zh is empty): LibreOffice would print the Chinese "
        "labels as missing glyphs (Debian: apt-get install fonts-noto-cjk)",
    ),
]


class _Office:
    """Converts DOCX documents to PDF with one headless LibreOffice run per batch."""

    def __init__(self, exe: str, home: Path) -> None:
        self.exe = exe
        self.home = home
        # A profile of our own: a user's running LibreOffice is not disturbed
        # (and would otherwise swallow the conversion).
        self.profile = (home / "profile").as_uri()

    def to_pdf(self, documents: Sequence[bytes], target: str = "pdf") -> list[bytes]:
        with tempfile.TemporaryDirectory(dir=self.home) as work:
            folder = Path(work)
            names = []
            for i, doc in enumerate(documents):
                name = folder / f"r{i}.docx"
                name.write_bytes(doc)
                names.append(str(name))
            done = subprocess.run(
                [
                    self.exe,
                    f"-env:UserInstallation={self.profile}",
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(folder),
                    *names,
                ],
                capture_output=True,
                text=True,
                timeout=60 + 30 * len(documents),
                check=False,
            )
            out = [folder / f"r{i}.pdf" for i in range(len(documents))]
            missing = [p.name for p in out if not p.is_file()]
            assert not missing, f"LibreOffice made no {missing}: {done.stdout}{done.stderr}"
            return [p.read_bytes() for p in out]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> _Office:
    assert _SOFFICE is not None
    return _Office(_SOFFICE, tmp_path_factory.mktemp("office"))


def _docx(report: gd.AnnualReport, locale: str) -> bytes:
    out = gd.render(report, "docx", locale=locale)
    assert isinstance(out, bytes)
    return out


def _assert_round_trip(report: gd.AnnualReport, pdf: bytes, what: str, locale: str) -> None:
    """
    Every cell, the title and every narrative come back, with no warning about the tables.

    One warning is allowed in English: LibreOffice breaks an English label
    too long for its narrow cell inside a word ("Outc" over "omes" over
    "this year"), which no geometry tells from a line wrapped between words;
    the label is then not found and its item number ("3.") is reported as a
    stray value.  The cells still come back, which is asserted.
    """
    parsed = gd.parse(pdf)
    assert parsed.format == "pdf"
    assert (parsed.report.agency, parsed.report.year, parsed.report.edition) == (
        report.agency,
        report.year,
        report.edition,
    ), what
    want, got = gd.cells(report), gd.cells(parsed.report)
    wrong = {
        k: (want.get(k), got.get(k)) for k in want.keys() | got.keys() if want.get(k) != got.get(k)
    }
    assert wrong == {}, f"{what}: cells (rendered, read): {wrong}"
    assert _cjk_spaces_dropped(gd.to_dict(parsed.report)) == _cjk_spaces_dropped(
        gd.to_dict(report)
    ), what
    assert parsed.ambiguities == (), what
    table_warnings = {"blank_cell", "missing_row", "missing_table", "row_too_short"}
    if locale != "en":
        table_warnings.add("stray_values")
    assert not table_warnings & parsed.codes(), f"{what}: {parsed.warnings}"


_WIDE = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(f"(?<=[{_WIDE}])\\s+(?=[{_WIDE}])")


def _cjk_spaces_dropped(value: object) -> object:
    """
    *value* (a report's dict) with the spaces between two CJK characters removed from its text.

    The one thing a PDF cannot give back: a PDF prints no spaces, only gaps,
    and a gap between two Chinese characters is what justified or distributed
    Chinese text is made of; the reader reads none as a space (see
    ``_lines`` in the PDF layout).  Every other space must come back.
    """
    if isinstance(value, str):
        return _CJK_SPACE.sub("", value)
    if isinstance(value, dict):
        return {k: _cjk_spaces_dropped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cjk_spaces_dropped(v) for v in value]
    return value


def _distinct(report: gd.AnnualReport) -> gd.AnnualReport:
    """*report* with every cell a different large number: a cell read in another's place shows."""
    values: dict[str, gd.CellValue] = {}
    for i, (key, value) in enumerate(sorted(gd.cells(report).items())):
        if isinstance(value, Decimal):
            values[key] = Decimal(1000 + i) + Decimal("0.25")
        elif isinstance(value, int):
            values[key] = 1_000_000_000 + 1_000_003 * i
        else:
            values[key] = value
    return gd.from_cells(values, agency=report.agency, year=report.year, edition=report.edition)


def _corner_cases() -> list[tuple[str, gd.AnnualReport]]:
    cases = []
    for edition in _EDITIONS:
        year = 2020 if edition is gd.Edition.V2019 else 2024
        blank = gd.AnnualReport(agency="某县科技和工业信息化局", year=year, edition=edition)
        long_text = "本机关" + "依法依规做好政府信息公开工作，" * 12 + "成效明显。"
        wrapped = gd.AnnualReport(
            agency="某省某市某县人民政府办公室（县政务服务和大数据管理局）",
            year=year,
            edition=edition,
            preamble=(long_text,),
        )
        cases += [
            (f"{edition.value} all zeros", blank),
            (f"{edition.value} every cell a different 10-digit number", _distinct(blank)),
            (f"{edition.value} long agency and a paragraph over many lines", wrapped),
        ]
    return cases


def test_corner_cases(office: _Office) -> None:
    """Fixed corner cases, both editions, every locale, converted in one LibreOffice run."""
    cases = [(f"{what}, {locale}", r, locale) for what, r in _corner_cases() for locale in _LOCALES]
    pdfs = office.to_pdf([_docx(r, locale) for _, r, locale in cases])
    for (what, report, locale), pdf in zip(cases, pdfs, strict=True):
        _assert_round_trip(report, pdf, what, locale)


@pytest.mark.parametrize("locale", _LOCALES)
@pytest.mark.parametrize("edition", _EDITIONS, ids=lambda e: e.value)
# No shrinking: each step is a LibreOffice run; the failing report is printed whole.
@settings(
    max_examples=3,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_property_reports(
    office: _Office, edition: gd.Edition, locale: str, data: st.DataObject
) -> None:
    """Valid reports of either edition, rendered to DOCX in each locale and printed to PDF, read back whole."""
    report = data.draw(reports(edition=edition))
    (pdf,) = office.to_pdf([_docx(report, locale)])
    _assert_round_trip(report, pdf, f"{edition.value}, {locale}", locale)


def _export(**options: tuple[str, str]) -> str:
    """A --convert-to target: LibreOffice's PDF export with filter *options* (name: (type, value))."""
    spec = {name: {"type": kind, "value": value} for name, (kind, value) in options.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(spec)


def test_encrypted_by_libreoffice(office: _Office) -> None:
    """
    LibreOffice's encrypted exports: an open password is refused saying so, an owner password only reads whole.

    The same checks as the hand-made fixtures of ``test_parse_pdf_hostile``,
    on the encryption another producer writes (RC4/AES of a real PDF writer).
    """
    report = gd.AnnualReport(agency="某县科技和工业信息化局", year=2024)
    docx = _docx(report, "zh_Hans_CN")
    (owner,) = office.to_pdf(
        [docx],
        _export(
            RestrictPermissions=("boolean", "true"),
            PermissionPassword=("string", "owner"),
            Printing=("long", "0"),
            Changes=("long", "0"),
        ),
    )
    (user,) = office.to_pdf(
        [docx],
        _export(EncryptFile=("boolean", "true"), DocumentOpenPassword=("string", "secret")),
    )
    if b"/Encrypt" not in owner or b"/Encrypt" not in user:
        pytest.skip("this LibreOffice ignores PDF export options given on the command line")
    _assert_round_trip(report, owner, "owner password only", "zh_Hans_CN")
    with pytest.raises(gd.ParseError, match="encrypted and needs a password"):
        gd.parse(user)
