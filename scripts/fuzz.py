"""
A mutation fuzzer for every reader and the JSON loaders (issue #15): ``make fuzz FUZZ_SECONDS=600``.

Seeds are the public corpus (``tests/corpus``: text, Markdown, HTML, PDF and
the JSON documents) plus a Word file and the renderings of one of its
reports.  Each input is a seed with a few random mutations (byte flips,
truncation, shuffled, repeated and dropped lines, random Unicode, huge
numbers, deep markup, damaged zip entries), given to ``gov_disclosure.parse``
(or ``from_json``).  An input passes when it gives a result or one of the
library's errors (:class:`gov_disclosure.GovDisclosureError`) within
``--slow`` seconds of CPU time; any other exception is a *crash*, a longer
run is *slow*, and both are saved to ``--save`` (as they are found) for a
regression test.  The exit status is 1 when any was found.

Time is the process's CPU time (``time.process_time``), not the wall clock,
so a campaign run at low priority beside other work (``nice``) judges an
input by its own cost; the hang bound is CPU time too (``ITIMER_PROF``).
``--progress`` prints the running counts every so many seconds, so a long
campaign can be watched and its figures kept if it is stopped.

Pure Python and deterministic for a ``--seed``; no dependency beyond the
library's own extras.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import signal
import sys
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import gov_disclosure as gd

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


@dataclass
class Stats:
    """What a campaign found: outcome counts, the slowest input, and the failures kept."""

    runs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0
    slowest_seed: str = ""
    failures: list[tuple[str, str, bytes | str]] = field(default_factory=list)

    def line(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (
            f"{self.runs} inputs: {counts}; slowest {self.slowest:.3f} s of CPU "
            f"(a mutation of {self.slowest_seed})"
        )


#: The parser the seeds are made with (bound at import: the harness's own
#: tests replace ``gd.parse`` to see a crash reported).
_PARSE = gd.parse


def seeds(corpus: Path = CORPUS) -> list[tuple[str, str, bytes | str]]:
    """The seeds: ``(name, kind, content)``, kind ``"parse"`` or ``"json"``."""
    out: list[tuple[str, str, bytes | str]] = []
    for f in sorted(corpus.rglob("*")):
        if not f.is_file():
            continue
        kind = "json" if f.suffix == ".json" else "parse"
        out.append((f.name, kind, f.read_bytes()))
    report = gd.AnnualReport(agency="某局", year=2021)
    for fmt in ("text", "markdown", "html", "docx", "xlsx"):
        rendered = gd.render(report, fmt)
        out.append((f"rendered.{fmt}", "parse", rendered))
    # A real report's numbers and text in the binary formats (workbook, Word) too.
    real = sorted(corpus.glob("*.txt"))
    if real:
        parsed = _PARSE(real[0]).report
        for fmt in ("docx", "xlsx"):
            out.append((f"{real[0].stem}.rendered.{fmt}", "parse", gd.render(parsed, fmt)))
    return out


class _Hang(BaseException):
    """The input ran past the hang bound (a BaseException: no except Exception catches it)."""


@contextlib.contextmanager
def _bound(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer"):  # pragma: no cover -- Windows: no hang bound
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise _Hang

    old = signal.signal(signal.SIGPROF, ring)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


# --- mutations -----------------------------------------------------------------


def _as_text(data: bytes | str) -> str:
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def _flip(rng: random.Random, data: bytes | str) -> bytes | str:
    b = bytearray(data.encode("utf-8") if isinstance(data, str) else data)
    for _ in range(rng.randint(1, 16)):
        if b:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def _truncate(rng: random.Random, data: bytes | str) -> bytes | str:
    return data[: rng.randrange(len(data) + 1)]


def _lines(rng: random.Random, data: bytes | str) -> bytes | str:
    lines = _as_text(data).splitlines()
    if not lines:
        return data
    how = rng.randrange(3)
    if how == 0:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif how == 1:
        i = rng.randrange(len(lines))
        lines[i:i] = [lines[i]] * rng.randint(1, 50)
    else:
        del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def _unicode(rng: random.Random, data: bytes | str) -> bytes | str:
    text = _as_text(data)
    pos = rng.randrange(len(text) + 1)
    junk = "".join(
        chr(
            rng.choice(
                (
                    rng.randrange(0x20, 0x7F),
                    rng.randrange(0x3000, 0xA000),
                    rng.randrange(0x80, 0x110000),
                )
            )
        )
        for _ in range(rng.randint(1, 20))
    )
    junk = junk.encode("utf-8", "replace").decode("utf-8", "replace")
    return text[:pos] + junk + text[pos:]


def _numbers(rng: random.Random, data: bytes | str) -> bytes | str:
    text = _as_text(data)
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not digits:
        return text
    i = rng.choice(digits)
    run = rng.choice("09") * rng.choice((20, 60, 400, 5000))
    return text[:i] + run + text[i:]


def _runs(rng: random.Random, data: bytes | str) -> bytes | str:
    text = _as_text(data)
    pos = rng.randrange(len(text) + 1)
    unit = rng.choice(
        ["-", "一", "|", "\t", "1\n", "、", " ", "（", "<font>", "<td>", "<table><tr><td>"]
    )
    return text[:pos] + unit * rng.choice((100, 2000, 20000)) + text[pos:]


def _zip(rng: random.Random, data: bytes | str) -> bytes | str:
    if not isinstance(data, bytes) or data[:4] != b"PK\x03\x04":
        return _flip(rng, data)
    # The seed may be a mutated zip already: any error of reading it, and it is flipped instead.
    with contextlib.suppress(Exception):
        source = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        method = rng.choice(
            (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
        )
        with zipfile.ZipFile(buf, "w", method) as z:
            for name in source.namelist():
                part = source.read(name)
                if name == "word/document.xml" and rng.random() < 0.5:
                    part = _as_text(_runs(rng, part)).encode("utf-8")
                z.writestr(name, part)
        return _flip(rng, buf.getvalue()) if rng.random() < 0.5 else buf.getvalue()
    return _flip(rng, data)


_MUTATIONS: tuple[Callable[[random.Random, bytes | str], bytes | str], ...] = (
    _flip,
    _truncate,
    _lines,
    _unicode,
    _numbers,
    _runs,
    _zip,
)


def mutate(rng: random.Random, data: bytes | str) -> bytes | str:
    """One to three random mutations of *data*."""
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(_MUTATIONS)(rng, data)
    return data


# --- the campaign --------------------------------------------------------------


def _one(kind: str, data: bytes | str) -> str:
    if kind == "json":
        gd.from_json(data)
        return "loaded"
    gd.parse(data)
    return "parsed"


def run(
    seconds: float,
    *,
    seed: int = 0,
    slow: float = 2.0,
    hang: float = 30.0,
    corpus: Path = CORPUS,
    limit: int | None = None,
    progress: float | None = None,
    save: Path | None = None,
) -> Stats:
    """
    Fuzz for *seconds* (or *limit* inputs): every input gives a result or a library error within *slow* seconds.

    Returns the :class:`Stats`; crashes and slow inputs are in ``failures``
    (name of the seed, what happened, the input), and written to *save* as
    they are found when it is given.  With *progress*, the running counts go
    to stderr every *progress* seconds.  *slow* and *hang* are CPU seconds.
    """
    rng = random.Random(seed)
    pool = seeds(corpus)
    stats = Stats()
    end = time.monotonic() + seconds
    report_at = time.monotonic() + progress if progress else float("inf")
    saved = 0
    while time.monotonic() < end and (limit is None or stats.runs < limit):
        name, kind, content = rng.choice(pool)
        data = mutate(rng, content)
        start = time.process_time()
        try:
            with _bound(hang):
                outcome = _one(kind, data)
        except gd.GovDisclosureError as e:
            outcome = f"refused ({kind}: {type(e).__name__})"
            if kind == "parse" and not isinstance(e, gd.ParseError):
                # parse() promises a ParseError: another library error is kept to look at.
                stats.failures.append((name, f"not a ParseError: {e!r}", data))
        except _Hang:
            outcome = "hang"
        except Exception:  # a crash: anything but the library's errors
            outcome = "crash"
            stats.failures.append((name, traceback.format_exc(limit=-3), data))
        took = time.process_time() - start
        stats.runs += 1
        if took > stats.slowest:
            stats.slowest, stats.slowest_seed = took, name
        if took > slow and outcome != "crash":
            stats.failures.append((name, f"slow: {took:.2f} s ({outcome})", data))
            outcome = "slow"
        stats.outcomes[outcome] += 1
        if save is not None and len(stats.failures) > saved:
            _save(stats.failures[saved:], save, first=saved)
            saved = len(stats.failures)
        if time.monotonic() >= report_at:
            print(stats.line(), file=sys.stderr, flush=True)
            report_at = time.monotonic() + (progress or 0.0)
    return stats


def _save(failures: list[tuple[str, str, bytes | str]], folder: Path, first: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, what, data) in enumerate(failures, start=first):
        stem = folder / f"{i:04}-{name}"
        Path(f"{stem}.input").write_bytes(
            data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        )
        Path(f"{stem}.txt").write_text(what, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--seconds", type=float, default=60.0, help="how long to run (default 60)")
    p.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "big"))
    p.add_argument(
        "--slow", type=float, default=2.0, help="CPU seconds an input may take (default 2)"
    )
    p.add_argument(
        "--progress", type=float, default=None, help="print the counts every so many seconds"
    )
    p.add_argument("--save", type=Path, default=Path("build/fuzz"), help="where failures go")
    args = p.parse_args(argv)
    print(f"fuzzing for {args.seconds:g} s, seed {args.seed}", file=sys.stderr)
    stats = run(
        args.seconds, seed=args.seed, slow=args.slow, progress=args.progress, save=args.save
    )
    print(stats.line())
    if stats.failures:
        print(f"{len(stats.failures)} failure(s) saved in {args.save}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
