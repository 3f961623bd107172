"""Issue 7, data side: each defect the hostile-input run found, reproduced and refused cleanly."""

from __future__ import annotations

import os
import time
from pathlib import Path

import openpyxl
import pytest

from kpi_cli.commands.inspect import describe
from kpi_cli.errors import DataError
from kpi_cli.sources import read_export
from kpi_cli.sources.workbook import MAX_CELLS
from tests.sources import xlsx_bombs


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- files by kind ---------------------------------------------------------------------------------


def test_a_directory_is_refused_by_kind(tmp_path):
    folder = tmp_path / "export.csv"
    folder.mkdir()
    with pytest.raises(DataError) as error:
        read_export(folder)
    assert str(error.value) == f"{folder}: is a directory, expected a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came: it must not be opened
    with pytest.raises(DataError) as error:
        read_export(fifo)
    assert str(error.value) == f"{fifo}: is a named pipe (FIFO), expected a file"


def test_a_device_is_refused_by_kind():
    with pytest.raises(DataError, match=r"^/dev/zero: is a character device, expected a file$"):
        read_export(Path("/dev/zero"))


# --- bounded workbooks -----------------------------------------------------------------------------


def test_a_cell_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = xlsx_bombs.cell_bomb(tmp_path / "bomb.xlsx", megabytes=1024)
    assert bomb.stat().st_size < 2 * 1024 * 1024  # about 1 MB on disk, 1 GB inflated
    started = time.perf_counter()
    with pytest.raises(DataError) as error:
        read_export(bomb)
    assert time.perf_counter() - started < 0.5
    # Declared size: 1 GiB of `A` plus the XML around it (the zip directory's number, never inflated).
    inflated = xlsx_bombs.zipfile_size(bomb, "xl/sharedStrings.xml")
    assert 1024**3 < inflated < 1024**3 + 1000
    assert str(error.value) == (
        f"{bomb}: workbook part 'xl/sharedStrings.xml' inflates to {inflated:,} bytes, "
        "more than the 104,857,600 allowed"
    )


def test_a_small_bomb_is_refused_by_its_compression_ratio(tmp_path):
    bomb = xlsx_bombs.cell_bomb(tmp_path / "bomb.xlsx", megabytes=5)  # 5 MB of `A`: ~1000:1
    with pytest.raises(
        DataError, match=r"is compressed [\d,]+:1, more than 100:1 \(a zip bomb, or not an export\)$"
    ):
        read_export(bomb)


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None])
def test_a_row_bomb_is_refused_from_its_extent(tmp_path, dimension):
    bomb = xlsx_bombs.row_bomb(tmp_path / "rows.xlsx", dimension)
    started = time.perf_counter()
    with pytest.raises(DataError) as error:
        read_export(bomb)
    assert time.perf_counter() - started < 0.5
    # 1,048,576 × 16,384 = 17,179,869,184 cells: from the dimension, or from the last cell's reference.
    assert str(error.value) == (
        f"{bomb}: sheet part 'xl/worksheets/sheet1.xml' spans 1,048,576 rows × 16,384 columns, "
        f"more than the {MAX_CELLS:,} cells read"
    )


def test_a_cell_longer_than_excel_allows_is_refused_with_its_place(tmp_path):
    # openpyxl will not write such a cell, so the parts are written by hand (40,000 `x`).
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    rows += '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>2</v></c></row>'
    path = xlsx_bombs.workbook(
        tmp_path / "long.xlsx",
        xlsx_bombs.member("xl/worksheets/sheet1.xml", xlsx_bombs.sheet_xml(rows, "A1:B2")),
        xlsx_bombs.member(
            "xl/sharedStrings.xml", xlsx_bombs.strings_xml("date", "impressions", "x" * 40_000)
        ),
    )
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}: sheet 'Sheet1' row 2 column 2: a cell of 40,000 characters, more than Excel's 32,767"
    )


def test_a_normal_workbook_still_reads(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["date", "impressions", "clicks"], ["2026-10-01", 100, 10], ["2026-10-02", 250.0, 5]):
        sheet.append(row)
    path = tmp_path / "ok.xlsx"
    book.save(path)
    assert describe(read_export(path))["metrics"] == {"impressions": 350, "clicks": 15}


# --- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e400", "9" * 400, "-1e400"])
def test_an_overflowing_number_is_refused_at_its_cell(tmp_path, value):
    path = write(
        tmp_path, "o.csv", f"date,impressions,clicks\n2026-10-01,5,1\n2026-10-02,3,{value}\n".encode()
    )
    with pytest.raises(DataError) as error:
        read_export(path)
    shown = repr(value if len(value) <= 40 else value[:39] + "…")
    assert str(error.value) == (
        f"{path}:3:3: column 'clicks': {shown} is out of range for a number (it overflows to infinity)"
    )


def test_a_negative_count_is_refused_at_its_cell(tmp_path):
    path = write(tmp_path, "n.csv", b"date,impressions,clicks\n2026-10-01,5,1\n2026-10-02,3,-2\n")
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}:3:3: column 'clicks': '-2' is negative, and clicks is a count "
        "(only cost, followers, revenue may be negative)"
    )


def test_net_followers_and_refunded_money_may_be_negative(tmp_path):
    # A day with more unfollows than follows, and a refund larger than the day's spend (README).
    text = "date,followers,cost,revenue\n2026-10-01,-3,-120.5,-40\n2026-10-02,5,200,100\n"
    export = read_export(write(tmp_path, "s.csv", text.encode()))
    assert describe(export)["metrics"] == {"followers": 2, "cost": 79.5, "revenue": 60}


# --- encodings -------------------------------------------------------------------------------------

ROWS = "date,campaign,impressions\n" + "".join(
    f"2026-10-{d:02d},夏のキャンペーン{d},{d}\n" for d in range(1, 10)
)


def test_one_cp932_line_in_a_utf8_file_is_refused_naming_it(tmp_path):
    lines = ROWS.encode("utf-8").split(b"\n")
    lines[5] = "2026-10-05,夏のキャンペーン5,5".encode("cp932")  # physical line 6
    path = write(tmp_path, "m.csv", b"\n".join(lines))
    with pytest.raises(DataError) as error:
        read_export(path)
    message = str(error.value)
    assert message.startswith(f"{path}:6: this line is not UTF-8 but other lines are (mixed encodings): ")
    assert message.endswith("; save the file in one encoding") and len(message) < len(str(path)) + 160


def test_a_cp932_line_before_utf8_japanese_is_refused_too(tmp_path):
    data = b"date,campaign,impressions\n2026-10-01,abc,1\n"
    data += "2026-10-02,夏のキャンペーン,2\n".encode("cp932") + "2026-10-03,夏のキャンペーン,3\n".encode()
    with pytest.raises(DataError, match=r"m\.csv:3: this line is not UTF-8 but other lines are"):
        read_export(write(tmp_path, "m.csv", data))


def test_a_whole_cp932_file_still_reads(tmp_path):
    export = read_export(write(tmp_path, "s.csv", ROWS.encode("cp932")))
    assert export.encoding == "cp932"
    assert export.frame["campaign"].tolist()[0] == "夏のキャンペーン1"


# --- line endings and quotes -----------------------------------------------------------------------


def test_cr_only_line_endings_are_read(tmp_path):
    path = write(tmp_path, "mac.csv", b"date,impressions,clicks\r2026-10-01,100,10\r2026-10-02,200,20\r")
    export = read_export(path)
    assert describe(export)["metrics"] == {"impressions": 300, "clicks": 30}
    assert export.frame["date"].dt.day.tolist() == [1, 2]


def test_cr_only_line_numbers_in_errors(tmp_path):
    path = write(tmp_path, "mac.csv", b"date,impressions\r2026-10-01,100\r2026-10-02,x\r")
    with pytest.raises(DataError, match=r"mac\.csv:3:2: column 'impressions': cannot read 'x' as a number"):
        read_export(path)


def test_an_unterminated_quote_is_reported_where_it_opens(tmp_path):
    # 346 rows after the header (lines 2-347), two of them spanning two lines inside quotes, so the
    # parser's row count (345) and the physical line (349) differ; the quote opens on line 349.
    rows = [f"2026-10-01,{i},c{i}\n" for i in range(346)]
    rows[10] = '2026-10-01,10,"two\nlines"\n'
    rows[20] = '2026-10-01,20,"also\ntwo"\n'
    body = "date,impressions,campaign\n" + "".join(rows) + '2026-10-02,5,"open\n2026-10-03,6,x\n'
    path = write(tmp_path, "q.csv", body.encode())
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == f"{path}:350: a quoted field opens on this line and is never closed"


# --- nothing echoed --------------------------------------------------------------------------------


def test_an_unknown_layout_lists_a_few_headers_not_the_file(tmp_path):
    secrets = [f"SECRET_{i}=hunter{i}" for i in range(30)]
    path = write(tmp_path, "environ.csv", ("\t".join(secrets) + "\n" + "\t".join(secrets) + "\n").encode())
    with pytest.raises(DataError) as error:
        read_export(path)
    message = str(error.value)
    assert "SECRET_5=hunter5 and 24 more" in message and "SECRET_6" not in message


def test_a_long_cell_is_excerpted_in_the_error(tmp_path):
    path = write(tmp_path, "l.csv", b"date,impressions\n2026-10-01," + b"x" * 1_000_000 + b"\n")
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == f"{path}:2:2: column 'impressions': cannot read '{'x' * 39}…' as a number"
