"""The extension points: a third party registers an input format or an output format, and takes it back."""

from __future__ import annotations

from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import parsers, renderers


def _read_semicolons(data: bytes | str) -> list[parsers.Row]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return [
        parsers.Row(
            tuple(line.split(";")), tuple(parsers.Location(line=n) for _ in line.split(";"))
        )
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


@pytest.fixture
def report() -> gd.AnnualReport:
    return gd.AnnualReport(agency="某局", year=2021)


@pytest.fixture
def semicolons() -> object:
    parsers.register("semi", _read_semicolons, suffixes=(".semi",))
    yield
    parsers.unregister("semi")


class TestReaders:
    @pytest.mark.usefixtures("semicolons")
    def test_suffix_picks_the_reader(self, tmp_path: Path, report: gd.AnnualReport) -> None:
        """A file with a registered suffix is read by that reader, not sniffed as text."""
        path = tmp_path / "r.semi"
        path.write_text(gd.render(report, "text").replace("\t", ";"), encoding="utf-8")
        assert parsers.parse(path).report == report
        assert str(path) in list(gd.report_paths(tmp_path))

    def test_a_zip_format_of_a_reader_keeps_its_suffix(
        self, tmp_path: Path, report: gd.AnnualReport
    ) -> None:
        """A registered reader of a zip-based format (OFD) reads its files; the Word reader took them over."""
        import io
        import zipfile

        def read_zipped(data: bytes | str) -> list[parsers.Row]:
            assert isinstance(data, bytes)
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return _read_semicolons(z.read("Doc_0/Content.txt"))

        parsers.register("ofd", read_zipped, suffixes=(".ofd",))
        try:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("Doc_0/Content.txt", gd.render(report, "text").replace("\t", ";"))
            path = tmp_path / "r.ofd"
            path.write_bytes(buf.getvalue())
            assert parsers.parse(path).report == report
        finally:
            parsers.unregister("ofd")

    def test_unregister_restores_builtin_order(self) -> None:
        """Replacing a built-in format and taking it back leaves the sniff order as it was."""
        before = parsers.formats()
        parsers.register("pdf", _read_semicolons, replace=True)
        parsers.unregister("pdf")
        assert parsers.formats() == before
        assert parsers.sniff(b"%PDF-1.7\n<div>") == "pdf"

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"suffixes": ".semi"}, "suffixes"),
            ({"suffixes": ("semi",)}, "suffixes"),
            ({"sniff": "yes"}, "not callable"),
        ],
    )
    def test_bad_registration(self, kwargs: dict[str, object], message: str) -> None:
        """A registration that could never work is refused at once, naming what is wrong."""
        with pytest.raises(gd.ParseError, match=message):
            parsers.register("bad", _read_semicolons, **kwargs)  # type: ignore[arg-type]
        assert "bad" not in parsers.formats()

    def test_failing_reader_is_a_parse_error(self) -> None:
        """A third-party reader's own exception comes out as a ParseError naming the format."""

        def broken(data: bytes | str) -> list[parsers.Row]:
            raise ZeroDivisionError("oops")

        parsers.register("broken", broken)
        try:
            with pytest.raises(gd.ParseError, match="'broken' reader failed: ZeroDivisionError"):
                parsers.parse("x", format="broken")
        finally:
            parsers.unregister("broken")

    def test_taken_format(self) -> None:
        """A built-in format is replaced only on purpose."""
        with pytest.raises(gd.ParseError, match="replace=True"):
            parsers.register("html", _read_semicolons)


class TestRenderers:
    def test_register_with_option(self, report: gd.AnnualReport) -> None:
        """A registered renderer takes its own options; a misspelt one is a clear error."""

        class Keys(renderers.Renderer):
            def __init__(self, *, locale: str = "zh_Hans_CN", sep: str = "=") -> None:
                super().__init__(locale=locale)
                self.sep = sep

            def __call__(self, report: gd.AnnualReport) -> str:
                return "\n".join(f"{k}{self.sep}{v}" for k, v in gd.cells(report).items())

        renderers.register("keys", Keys)
        try:
            out = renderers.render(report, "keys", sep=":")
            assert out.splitlines()[0] == "t2.regulations.issued:0"
            with pytest.raises(gd.GovDisclosureError, match="bad option"):
                renderers.render(report, "keys", sepp=":")
        finally:
            renderers.unregister("keys")
        assert "keys" not in renderers.formats()

    def test_renderer_bug_is_not_a_bad_option(self, report: gd.AnnualReport) -> None:
        """A TypeError inside a renderer is its own bug, not reported as a bad option."""

        class Buggy(renderers.Renderer):
            def __call__(self, report: gd.AnnualReport) -> str:
                return len(report)  # type: ignore[arg-type,return-value]

        renderers.register("buggy", Buggy)
        try:
            with pytest.raises(TypeError):
                renderers.render(report, "buggy")
        finally:
            renderers.unregister("buggy")

    def test_not_a_renderer(self) -> None:
        """Only a Renderer subclass can be registered."""
        with pytest.raises(gd.GovDisclosureError, match="not a subclass"):
            renderers.register("x", str)  # type: ignore[arg-type]
