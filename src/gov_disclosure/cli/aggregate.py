"""``gov-disclosure aggregate`` and ``gov-disclosure batch``: many reports at once."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import GovDisclosureError
from ..i18n import CONTRIBUTORS, CONTRIBUTORS_MORE, CONTRIBUTORS_SEP, localizer
from ..many._aggregate import TracedFinding, _aggregate, _traced_message
from ..many._batch import FILE_TIMEOUT, REPORT_SUFFIXES, _load, batch, report_paths
from ..many._output import BatchWriter, output_format
from ..many._run import distinct_roots
from ..model import AnnualReport
from ..parsers import _read_path
from ..rules import Severity
from ..rules._finding import NAMED, _contributors_note
from ..serialize import (
    MAX_DOCUMENT_FILE_BYTES,
    dumps_many,
    from_rows,
    loads_many,
    read_rows,
    write_rows,
)
from ._common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE, cli_message
from ._i18n import current, ngettext, os_error_text
from ._i18n import gettext as _


def register(sub: Any) -> None:
    """Add the ``aggregate`` and ``batch`` subcommands to *sub*."""
    a = sub.add_parser(
        "aggregate",
        help=_("add up several agencies' reports of one year (汇总) and check the sum"),
        description=_(
            "Add up reports of one year and edition, cell by cell (money exactly), check "
            "the sum and trace each broken identity to the reports that break it.  Inputs are JSON "
            "documents (one report, an array, or envelopes of parse --envelope), tidy rows (.csv, "
            ".parquet: the numbers only) or published reports (text, HTML, Word, PDF), parsed."
        ),
    )
    a.add_argument("inputs", nargs="+", type=Path, help=_("report files"))
    a.add_argument(
        "--agency", required=True, help=_("the agency of the sum, e.g. 某市人民政府（汇总）")
    )
    a.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("-"),
        help=_(
            "where to write the sum: .json, .csv or .parquet ('-', the default: JSON on stdout); "
            "any other extension is refused"
        ),
    )
    a.add_argument(
        "--allow-duplicates",
        action="store_true",
        help=_("accept the same agency and year twice"),
    )
    a.set_defaults(func=run_aggregate)
    b = sub.add_parser(
        "batch",
        help=_("parse and check every report in folders: one result row per file, and the cells"),
        description=_(
            "Parse and check every report file under the given folders ({suffixes}) in worker "
            "processes.  One row per file (findings, or the error of an "
            "unreadable file) goes to --out; the tidy cells go beside it as <stem>.cells<suffix>.  "
            "The format follows the extension (.parquet, .csv, .jsonl).  A run resumes: files "
            "already in --out with a readable row are skipped, files recorded as unreadable are "
            "read again.  The exit status describes the whole of --out after the run, old rows "
            "included: 2 if some file in it is unreadable, else 1 if some report in it has an error "
            "finding, else 0."
        ).format(suffixes=", ".join(sorted(REPORT_SUFFIXES))),
    )
    b.add_argument("roots", nargs="+", type=Path, help=_("folders (walked recursively) or files"))
    b.add_argument(
        "--out", type=Path, required=True, help=_("results file: .parquet, .csv or .jsonl")
    )
    b.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help=_("worker processes (default: every CPU)"),
    )
    b.add_argument(
        "--timeout",
        type=_seconds,
        default=FILE_TIMEOUT,
        metavar="SECONDS",
        help=_(
            "stop a file that takes longer and record it as unreadable (default: {seconds:g})"
        ).format(seconds=FILE_TIMEOUT),
    )
    b.add_argument(
        "--no-resume",
        dest="resume",
        action="store_false",
        help=_("overwrite --out instead of skipping the files it holds"),
    )
    b.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("show a progress line (default: only when stderr is a terminal)"),
    )
    b.set_defaults(func=run_batch)


def _positive(text: str) -> int:
    """An ``int`` option value of at least 1 (argparse reports the error with the option's name)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("expected a positive whole number, got {text!r}").format(text=text)
        )
    return value


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse reports the error with the option's name)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            _("expected a positive number of seconds, got {text!r}").format(text=text)
        )
    return value


def _read(path: Path, options: frozenset[str] = frozenset()) -> list[AnnualReport]:
    """The reports of one input file, or a library error naming the file (once)."""
    if path.is_dir():
        raise GovDisclosureError(
            _("{path}: is a folder; aggregate takes report files").format(path=path)
        )
    try:
        if path.suffix.lower() == ".json":
            return loads_many(_read_path(path, MAX_DOCUMENT_FILE_BYTES))
        if path.suffix.lower() in (".csv", ".parquet"):
            # Tidy rows (parse -o x.csv, convert): the reports they hold, numbers only.
            if not path.is_file():
                # Missing, unreadable, or not a regular file: said as parse says it.
                _read_path(path)
            return from_rows(read_rows(path))
        return [_load(path)[0]]
    except GovDisclosureError as e:
        raise GovDisclosureError(
            f"{path}: {cli_message(e, 'aggregate', options, file=str(path))}"
        ) from None
    except OSError as e:
        raise GovDisclosureError(f"{path}: {os_error_text(e)}") from None


#: The formats ``aggregate -o`` writes, by extension.
_SUM_FORMATS = (".json", ".csv", ".parquet")


def run_aggregate(args: argparse.Namespace) -> int:
    """Read every input, add them up, write the sum, print the traced findings."""
    out: Path = args.output
    if str(out) != "-" and out.suffix.lower() not in _SUM_FORMATS:
        raise GovDisclosureError(
            _(
                "--output {out}: unknown format {suffix}; use {formats}, or '-' for JSON on stdout"
            ).format(
                out=out, suffix=out.suffix or _("(no extension)"), formats=", ".join(_SUM_FORMATS)
            )
        )
    reports: list[AnnualReport] = []
    names: list[str] = []  # each report by its file (and position in a file of several)
    for path in args.inputs:
        # No option of aggregate feeds the parser (--agency names the sum, not
        # an input): a parser hint to give one would mislead, so none is offered.
        got = _read(path)
        reports += got
        names += [str(path)] if len(got) == 1 else [f"{path}[{k}]" for k in range(len(got))]
    total = _aggregate(
        reports, names.__getitem__, agency=args.agency, allow_duplicates=args.allow_duplicates
    )
    if str(out) == "-":
        sys.stdout.write(dumps_many([total.report]).decode() + "\n")
    elif out.suffix.lower() in (".csv", ".parquet"):
        write_rows([total.report], out)
    else:
        out.write_bytes(dumps_many([total.report]))
    traced = total.trace()
    for t in traced:
        # Each contributor named by its file (not by its position), in every language.
        message = (
            _traced_message(t, names.__getitem__)
            if current() == "en"
            else _traced_text(t, names.__getitem__)
        )
        severity = _(t.finding.severity.value)
        print(
            _("{severity}: {message}").format(severity=severity, message=message), file=sys.stderr
        )
    for key in sorted(total.unstated):
        print(
            _("note: {key} is stated by some reports only and was left out").format(key=key),
            file=sys.stderr,
        )
    return (
        EXIT_FINDINGS if any(t.finding.severity is Severity.ERROR for t in traced) else EXIT_CLEAN
    )


def _traced_text(t: TracedFinding, names: Callable[[int], str]) -> str:
    """A traced finding in this run's language (not English), its contributors named by *names*."""
    loc = localizer(current())
    text = t.finding.text(current())
    if not t.contributions:
        return text  # from the sum itself: no report to name
    by_position = _contributors_note(t.finding, loc)
    if by_position and text.endswith(by_position):
        text = text[: -len(by_position)]
    who = loc.gettext(CONTRIBUTORS_SEP).join(
        _("{name} {agency}: expected {expected}, got {actual}").format(
            name=names(c.index),
            agency=c.agency,
            expected=c.finding.expected,
            actual=c.finding.actual,
        )
        for c in t.contributions[:NAMED]
    )
    more = len(t.contributions) - NAMED
    if more > 0:
        who += loc.gettext(CONTRIBUTORS_MORE).format(n=more)
    return text + loc.gettext(CONTRIBUTORS).format(who=who)


def run_batch(args: argparse.Namespace) -> int:
    """Process every file under the roots into --out; summarise on stderr; exit by the whole output."""
    missing = [root for root in args.roots if not os.path.exists(root)]
    if missing:
        # Said before anything is written: a typo is not an unreadable report.
        raise GovDisclosureError(
            _("no such file or folder: {paths}").format(paths=", ".join(map(str, missing)))
        )
    output_format(Path(args.out))  # said before the folders are read
    # The paths are walked as the run goes (a folder of 100,000 files is never
    # listed whole); only each root's first file is looked at now.
    found: list[Iterator[str | os.PathLike[str]]] = []
    empty = []
    # A root that another root's walk reads already is dropped: its files once, not twice.
    roots, dropped = distinct_roots(args.roots, REPORT_SUFFIXES)
    for root, cover in dropped:
        print(
            _("note: {root} is read as part of {cover}; not read again").format(
                root=root, cover=cover
            ),
            file=sys.stderr,
        )
    for root in roots:
        walk = iter(report_paths(root))
        first = next(walk, None)
        if first is None:
            empty.append(str(root))
        else:
            found.append(itertools.chain((first,), walk))
    paths = itertools.chain.from_iterable(found)
    if empty:
        # A folder with nothing to read is most likely a wrong folder: said, and nothing written.
        raise GovDisclosureError(
            _("no report files ({suffixes}) in {folders}").format(
                suffixes=", ".join(sorted(REPORT_SUFFIXES)), folders=", ".join(empty)
            )
        )
    n = bad = with_errors = walked = 0

    def counted(names: Iterator[str | os.PathLike[str]]) -> Iterator[str | os.PathLike[str]]:
        nonlocal walked
        for name in names:
            walked += 1
            yield name

    with BatchWriter(args.out, resume=args.resume) as writer:
        for result in batch(
            counted(paths),
            jobs=args.jobs,
            skip=writer.done,
            progress=args.progress,
            timeout=args.timeout,
        ):
            writer.write(result)
            n += 1
            bad += not result.ok
            with_errors += bool(result.n_errors)
    # The inputs of this run that the output had done already (not its rows from other runs).
    skipped = walked - n
    read = ngettext("{n} file read", "{n} files read", n).format(n=n)
    holds = ngettext("{out} holds {files} file", "{out} holds {files} files", writer.files)
    print(
        _(
            "{read}, {skipped} skipped (already done in {out}), {bad} unreadable, "
            "{with_errors} with errors; {holds}: "
            "{unreadable} unreadable, {out_with_errors} with errors; cells in {cells}"
        ).format(
            read=read,
            skipped=skipped,
            out=args.out,
            bad=bad,
            with_errors=with_errors,
            holds=holds.format(out=args.out, files=writer.files),
            unreadable=writer.unreadable,
            out_with_errors=writer.with_errors,
            cells=writer.cells_out,
        ),
        file=sys.stderr,
    )
    if writer.unreadable:
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if writer.with_errors else EXIT_CLEAN
