"""Hostile data files (issue 7): every one ends in exit 0 with clean output or exit 2 with one line.

Each case is a file written into tmp_path and run through `kpi inspect FILE` (text and JSON), some
also through `kpi check -c` on a small generic config. Most run in-process (50 ms each, so the
corpus stays cheap in CI); the cases that stress time or memory run in a child process under the
harness's limits. Where the issue says what must happen, the exact message is checked.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from tests.hostile.harness import ENV, Result, assert_contract, run_kpi
from tests.sources import xlsx_bombs

HEADER = "date,campaign,impressions,clicks\n"
ROW = "2026-10-01,summer,100,10\n"
GOOD = HEADER + ROW + "2026-10-02,summer,200,20\n"
ESC_CELLS = [
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\u202eevil",
    "\x9b31m",
]


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    data: Callable[[Path], bytes | None]  # None: the builder wrote the file itself
    error: str | None = None  # the message after `kpi: error: FILE`, None when any outcome is fine
    ok: bool = False  # must read (exit 0)
    child: bool = False  # run in a child process under the time and memory limits


def text(body: str, encoding: str = "utf-8") -> Callable[[Path], bytes]:
    return lambda _: body.encode(encoding)


def raw(body: bytes) -> Callable[[Path], bytes]:
    return lambda _: body


def built(build: Callable[[Path], Path]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        build(path)

    return write


def mixed_encodings() -> bytes:
    lines = [f"2026-10-{d:02d},夏のキャンペーン{d},{d},1" for d in range(1, 8)]
    return HEADER.encode() + b"\n".join(
        line.encode("cp932" if i == 4 else "utf-8") for i, line in enumerate(lines)
    )


CASES = [
    # structure
    Case("empty", ".csv", raw(b"")),
    Case("bom_only", ".csv", raw(codecs.BOM_UTF8)),
    Case("utf16_bom_only", ".csv", raw(codecs.BOM_UTF16_LE)),
    Case("header_only", ".csv", text(HEADER), ok=True),
    Case("header_no_newline", ".csv", text(HEADER.strip()), ok=True),
    Case("only_newlines", ".csv", raw(b"\n" * 1000)),
    Case("only_commas", ".csv", raw(b",,,,\n,,,,\n")),
    Case("one_column", ".csv", text("date\n2026-10-01\n")),
    Case("good_csv", ".csv", text(GOOD), ok=True),
    Case("good_tsv", ".tsv", text(GOOD.replace(",", "\t")), ok=True),
    Case("good_semicolon", ".csv", text(GOOD.replace(",", ";")), ok=True),
    Case("sep_hint", ".csv", text("sep=;\n" + GOOD.replace(",", ";")), ok=True),
    Case("crlf", ".csv", text(GOOD.replace("\n", "\r\n")), ok=True),
    Case("cr_only", ".csv", text(GOOD.replace("\n", "\r")), ok=True),
    Case("mixed_line_ends", ".csv", text(HEADER + ROW.replace("\n", "\r\n") + "2026-10-02,summer,200,20\r")),
    Case(
        "too_many_fields",
        ".csv",
        text(HEADER + ROW + "2026-10-02,a,1,2,3,4\n"),
        error=":3: 6 fields where the header has 4",
    ),
    Case("short_row", ".csv", text(HEADER + "2026-10-01,a\n"), ok=True),
    Case(
        "unterminated_quote",
        ".csv",
        text(HEADER + ROW * 5 + '2026-10-02,"open,1,2\n' + ROW * 3),
        error=":7: a quoted field opens on this line and is never closed",
    ),
    Case("quote_in_header", ".csv", text('"date,impressions\n2026-10-01,5\n')),
    Case("stray_quotes", ".csv", text(HEADER + '2026-10-01,su"mm"er,100,10\n'), ok=True),
    Case("duplicate_headers", ".csv", text("date,clicks,clicks\n2026-10-01,1,2\n"), ok=True),
    Case("blank_header_names", ".csv", text("date,,impressions,\n2026-10-01,,5,\n"), ok=True),
    Case("preamble_100_lines", ".csv", text("# note\n" * 100 + GOOD)),
    Case("summary_rows", ".csv", text(GOOD + "Total,,300,30\n合計,,300,30\n"), ok=True),
    # encodings
    Case(
        "cp932", ".csv", text("日付,キャンペーン,インプレッション数,クリック数\n2026/10/01,夏,1,1\n", "cp932")
    ),
    Case(
        "utf16le_bom", ".csv", raw(codecs.BOM_UTF16_LE + GOOD.replace(",", "\t").encode("utf-16-le")), ok=True
    ),
    Case("utf16_odd_bytes", ".csv", raw(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le") + b"\x00")),
    Case(
        "mixed_encodings",
        ".csv",
        lambda _: mixed_encodings(),
        error=":6: this line is not UTF-8 but other lines are",
    ),
    Case("latin1_accents", ".csv", text(HEADER + "2026-10-01,Café,1,1\n", "latin-1")),
    Case(
        "undecodable",
        ".csv",
        raw(HEADER.encode() + b"2026-10-01,\x82\xff\x80,1,1\n"),
        error=": cannot decode the file",
    ),
    Case("binary_junk", ".csv", raw(bytes(range(256)) * 40)),
    Case("nul_bytes", ".csv", raw(GOOD.encode().replace(b",", b"\x00"))),
    Case("nul_in_cell", ".csv", raw(HEADER.encode() + b"2026-10-01,su\x00mmer,1,1\n")),
    Case("png_named_csv", ".csv", raw(b"\x89PNG\r\n\x1a\n" + bytes(200))),
    Case("zip_named_csv", ".csv", raw(b"PK\x03\x04" + bytes(100))),
    Case("gzip_named_csv", ".csv", raw(b"\x1f\x8b\x08\x00" + bytes(100))),
    # numbers
    Case(
        "overflow_exponent",
        ".csv",
        text(HEADER + "2026-10-01,a,1e400,1\n"),
        error=":2:3: column 'impressions': '1e400' is out of range",
    ),
    Case(
        "overflow_digits",
        ".csv",
        text(HEADER + f"2026-10-01,a,{'9' * 400},1\n"),
        error=":2:3: column 'impressions': '999",
    ),
    Case(
        "inf_literal",
        ".csv",
        text(HEADER + "2026-10-01,a,inf,1\n"),
        error=":2:3: column 'impressions': 'inf' is out of range",
    ),
    Case("nan_literal", ".csv", text(HEADER + "2026-10-01,a,NaN,1\n"), ok=True),
    Case(
        "negative_count",
        ".csv",
        text(HEADER + "2026-10-01,a,-5,1\n"),
        error=":2:3: column 'impressions': '-5' is negative",
    ),
    Case("negative_cost", ".csv", text("date,cost\n2026-10-01,-50\n"), ok=True),
    Case(
        "percent_count",
        ".csv",
        text(HEADER + "2026-10-01,a,12%,1\n"),
        error=":2:3: column 'impressions': cannot read '12%' as a number",
    ),
    Case("abbreviated", ".csv", text(HEADER + "2026-10-01,a,1.2K,1\n"), ok=True),
    Case("yen", ".csv", text('date,cost\n2026-10-01,"¥1,234"\n'), ok=True),
    Case(
        "bad_date",
        ".csv",
        text(HEADER + "2026-02-30,a,1,1\n"),
        error=":2:1: column 'date': cannot read '2026-02-30' as a date",
    ),
    Case("year_zero", ".csv", text(HEADER + "0000-01-01,a,1,1\n")),
    # escapes, bidi, markup, formulas
    *[
        Case(f"escape_cell_{i}", ".csv", text(HEADER + f"2026-10-01,{cell},1,1\n"), ok=True)
        for i, cell in enumerate(ESC_CELLS)
    ],
    *[
        Case(f"escape_header_{i}", ".csv", text(f"date,{cell},impressions\n2026-10-01,1,1\n"), ok=True)
        for i, cell in enumerate(ESC_CELLS)
    ],
    Case(
        "escape_in_bad_value",
        ".csv",
        text(HEADER + "2026-10-01,a,\x1b[2J9,1\n"),
        error=":2:3: column 'impressions': cannot read '[2J9'",
    ),
    Case("escape_unknown_layout", ".csv", text("\x1b]0;owned\x07,\u202efoo\nx,y\n")),
    Case("markup_cell", ".csv", text(HEADER + "2026-10-01,[bold red]boom[/],1,1\n"), ok=True),
    Case(
        "markup_header", ".csv", text("date,[link=http://x]c[/link],impressions\n2026-10-01,1,1\n"), ok=True
    ),
    Case("formula_cell", ".csv", text(HEADER + "2026-10-01,=cmd|' /C calc'!A0,1,1\n"), ok=True),
    Case(
        "formula_number",
        ".csv",
        text(HEADER + "2026-10-01,a,=1+1,1\n"),
        error=":2:3: column 'impressions': cannot read '=1+1' as a number",
    ),
    Case("environ_like", ".csv", text("\0".join(f"SECRET_{i}=hunter{i}" for i in range(40)) + "\0")),
    # files by kind, and workbooks
    Case(
        "xls_suffix", ".xls", raw(b"\xd0\xcf\x11\xe0" + bytes(100)), error=": old .xls workbooks are not read"
    ),
    Case("junk_xlsx", ".xlsx", raw(b"not a zip"), error=": not a readable .xlsx workbook"),
    Case("empty_xlsx", ".xlsx", raw(b"")),
    Case("truncated_zip_xlsx", ".xlsx", raw(b"PK\x03\x04" + bytes(60))),
    # resources: the bombs and the longest line in a child process under the time and memory limits
    Case(
        "cell_bomb",
        ".xlsx",
        built(xlsx_bombs.cell_bomb),
        error=": workbook part 'xl/sharedStrings.xml' inflates to",
        child=True,
    ),
    Case(
        "row_bomb",
        ".xlsx",
        built(xlsx_bombs.row_bomb),
        error=": sheet part 'xl/worksheets/sheet1.xml' spans 1,048,576 rows",
    ),
    Case(
        "row_bomb_no_dimension",
        ".xlsx",
        built(lambda p: xlsx_bombs.row_bomb(p, None)),
        error=": sheet part",
        child=True,
    ),
    Case(
        "columns_100k",
        ".csv",
        text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n"),
        error=":1: the header has 100,000 columns, more than the 2,048 read",
    ),
    Case("line_1mb", ".csv", text(HEADER + "2026-10-01," + "x" * 1_000_000 + ",1,1\n"), ok=True, child=True),
    Case(
        "value_1mb",
        ".csv",
        text(HEADER + "2026-10-01,a," + "9" * 1_000_000 + ",1\n"),
        error=":2:3: column 'impressions': '999",
    ),
    Case("header_1mb", ".csv", text("date," + "h" * 1_000_000 + "\n2026-10-01,1\n")),
]


def run_in_process(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return Result(result.exit_code, result.stdout, result.stderr, args)


def write_case(case: Case, folder: Path) -> Path:
    path = folder / f"{case.name}{case.suffix}"
    data = case.data(path)
    if data is not None:
        path.write_bytes(data)
    return path


def check(case: Case, path: Path, result: Result, json_output: bool) -> None:
    assert_contract(result, json_output=json_output)
    if case.ok:
        assert result.code == 0, result.describe()
    if case.error is not None:
        assert result.code == 2 and result.stderr.startswith(f"kpi: error: {path}{case.error}"), (
            result.describe()
        )
    assert len(result.stderr) < 600, result.describe()  # never the file, only an excerpt
    for secret in ("hunter7", "\u202e"):
        assert secret not in result.stdout + result.stderr, result.describe()


def test_the_corpus_has_enough_cases():
    assert len(CASES) >= 60 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if not c.child], ids=lambda c: c.name)
def test_inspect_in_process(case: Case, tmp_path: Path) -> None:
    path = write_case(case, tmp_path)
    for json_output in (False, True):
        started = time.perf_counter()
        args = ("inspect", str(path), *(("--format", "json") if json_output else ()))
        result = run_in_process(*args)
        assert time.perf_counter() - started < 5, result.describe()
        check(case, path, result, json_output)


def test_resource_cases_in_child_processes(tmp_path: Path) -> None:
    cases = [c for c in CASES if c.child]
    paths = [write_case(c, tmp_path) for c in cases]
    with ThreadPoolExecutor(max_workers=4) as pool:  # each child waits on its own process
        results = list(pool.map(lambda p: run_kpi("inspect", str(p), "--format", "json"), paths))
    for case, path, result in zip(cases, paths, results, strict=True):
        check(case, path, result, json_output=True)


CONFIG = (
    "version: 1\nname: hostile\nsources: [{{name: data, path: {file}, platform: generic}}]\n"
    "kgi: {{name: Clicks, metric: clicks, target: 10, start: 2026-10-01, deadline: 2026-12-31}}\n"
    "kpis: [{{id: imp, metric: impressions, target: 5, primary: true, owner: a, review_by: 2026-12-31}}]\n"
)
CHECKED = [
    "good_csv",
    "cr_only",
    "mixed_encodings",
    "unterminated_quote",
    "overflow_digits",
    "negative_count",
    "escape_cell_0",
    "escape_header_3",
    "markup_cell",
    "formula_cell",
    "environ_like",
    "nul_bytes",
]


@pytest.mark.parametrize("name", CHECKED)
def test_check_with_a_hostile_source(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    path = write_case(case, tmp_path)
    config = tmp_path / "kpi.yaml"
    config.write_text(CONFIG.format(file=path.name), encoding="utf-8")
    result = run_in_process("check", "-c", str(config), "--as-of", "2026-10-31", "--fail-on", "never")
    assert_contract(result)
    if case.ok and "clicks" in path.read_text(encoding="utf-8", errors="replace"):
        assert result.code == 0, result.describe()
    if case.error is not None:
        assert result.code == 2 and case.error.split(": ", 1)[-1][:20] in result.stderr, result.describe()
    assert "\u202e" not in result.stdout + result.stderr
