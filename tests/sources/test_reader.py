"""Encodings, delimiters, preambles, header rows and non-data lines, through `read_export`."""

import codecs
from pathlib import Path

import pytest

from kpi_cli.commands.inspect import describe
from kpi_cli.errors import DataError
from kpi_cli.sources import Skipped, read_export

CANONICAL = "date,impressions,clicks\n2026-10-01,100,10\n2026-10-02,200,20\n"
SEARCH_CONSOLE_JA = (
    "日付,クリック数,表示回数,CTR,掲載順位\n2026-10-01,10,100,10%,3.1\n2026-10-02,20,200,10%,2.9\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CANONICAL.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CANONICAL.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + CANONICAL.replace(",", "\t").encode("utf-16-le"), "utf-16"),
        (SEARCH_CONSOLE_JA.encode("cp932"), "cp932"),
    ],
)
def test_encodings_are_detected(tmp_path, data, encoding):
    export = read_export(write(tmp_path, "a.csv", data))
    assert (export.encoding, export.rows) == (encoding, 2)
    assert describe(export)["metrics"] == {"impressions": 300, "clicks": 30}


def test_shift_jis_headers_and_values(tmp_path):
    text = "日付,インプレッション数,クリック数,コスト\n2026/10/01,100,5,￥1,000\n2026/10/02,50,2,500\n"
    text = text.replace("￥1,000", '"￥1,000"')
    export = read_export(write(tmp_path, "sjis.csv", text.encode("cp932")), platform="yahoo_ads")
    assert export.encoding == "cp932"
    assert describe(export)["metrics"] == {"impressions": 150, "clicks": 7, "cost": 1500}


def test_forced_encoding(tmp_path):
    path = write(tmp_path, "latin.csv", "date,impressions,campaign\n2026-10-01,5,Café\n".encode("latin-1"))
    export = read_export(path, encoding="latin-1")
    assert export.frame["campaign"].tolist() == ["Café"]


def test_undecodable_file_names_the_encodings_tried(tmp_path):
    path = write(tmp_path, "bad.csv", b"date,impressions\n2026-10-01,\x82\xff\x80\n")
    with pytest.raises(
        DataError, match=r"bad\.csv: cannot decode the file \(tried utf-8-sig, utf-16, utf-8, cp932\)"
    ):
        read_export(path)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters(tmp_path, delimiter):
    export = read_export(write(tmp_path, "d.csv", CANONICAL.replace(",", delimiter).encode()))
    assert (export.delimiter, export.rows) == (delimiter, 2)


def test_semicolon_fixture(inspect):
    report = inspect("generic/semicolon.csv")
    assert (report["platform"], report["delimiter"], report["rows"]) == ("generic", ";", 3)
    assert report["metrics"] == {"impressions": 3100, "clicks": 155, "cost": 15300.5}


def test_excel_sep_hint_line_is_skipped(tmp_path):
    export = read_export(write(tmp_path, "s.csv", b"sep=;\n" + CANONICAL.replace(",", ";").encode()))
    assert (export.delimiter, export.rows) == (";", 2)
    assert export.skipped == [Skipped(1, "delimiter hint (sep=)")]


def test_title_date_range_and_comment_lines_before_the_header(tmp_path):
    text = 'Campaign report\n"October 1, 2026 - October 2, 2026"\n# exported by acme\n\n' + CANONICAL
    export = read_export(write(tmp_path, "p.csv", text.encode()))
    assert export.rows == 2
    assert export.skipped == [
        Skipped(1, "preamble before the header"),
        Skipped(2, "preamble before the header"),
        Skipped(3, "comment before the header"),
        Skipped(4, "blank line before the header"),
    ]


def test_summary_rows_top_middle_bottom_blank_and_comment_lines(inspect):
    report = inspect("reader/totals_blanks_comments.csv")
    assert report["rows"] == 3
    assert report["metrics"] == {"impressions": 350, "clicks": 35}
    assert report["skipped"] == [
        {"line": 4, "reason": "summary row"},
        {"line": 5, "reason": "blank line"},
        {"line": 6, "reason": "comment line"},
        {"line": 8, "reason": "summary row"},
    ]


def test_duplicate_column_names_map_the_first_and_keep_the_repeat_unmapped(fixtures):
    export = read_export(fixtures / "reader/totals_blanks_comments.csv")
    assert export.columns["impressions"] == "impressions"
    assert "impressions [2]" in [u.header for u in export.unmapped]


@pytest.mark.parametrize("total", ["Total", "Total: Account", "Grand total", "合計", "TOTALS"])
def test_summary_row_spellings(tmp_path, total):
    text = CANONICAL + f"{total},300,30\n"
    export = read_export(write(tmp_path, "t.csv", text.encode()))
    assert export.rows == 2
    assert export.skipped == [Skipped(4, "summary row")]


def test_no_data_line_means_zero_rows(inspect):
    report = inspect("meta_ads/no_data.csv")
    assert (report["platform"], report["rows"], report["date_range"]) == ("meta_ads", 0, None)
    assert report["metrics"] == {"impressions": None, "cost": None}
    assert report["skipped"] == [{"line": 2, "reason": "no data in the export"}]


def test_header_with_a_comma_inside_quotes(fixtures):
    export = read_export(fixtures / "meta_ads/acme-campaigns-Oct-1-2026-Oct-3-2026.csv")
    assert "Cost per 1,000 People Reached (JPY)" in [u.header for u in export.unmapped]
    assert export.columns["cost"] == "Amount spent (JPY)"


def test_two_header_rows_fold_labels_into_repeated_names(fixtures):
    export = read_export(fixtures / "facebook_page/page_posts_legacy_insights.csv")
    assert export.columns["likes"] == "Lifetime Post Stories by action type - like"
    assert export.columns["link_clicks"] == "Lifetime Post consumers by type - link clicks"
    assert export.skipped == [Skipped(2, "second header row")]


def test_line_numbers_count_newlines_inside_quoted_cells(tmp_path):
    text = 'date,impressions,text\n2026-10-01,1,"two\nlines"\n2026-10-02,2,"three\nline\ncell"\n2026-10-03,x,ok\n'
    with pytest.raises(DataError, match=r"d\.csv:7:2: column 'impressions': cannot read 'x' as a number"):
        read_export(write(tmp_path, "d.csv", text.encode()))


def test_unparseable_value_names_file_line_column_and_value(tmp_path):
    path = write(tmp_path, "v.csv", b"# preamble\ndate,impressions\n2026-10-01,100\n2026-10-02,12%\n")
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == f"{path}:4:2: column 'impressions': cannot read '12%' as a number"


def test_unparseable_date_names_file_line_column_and_value(tmp_path):
    path = write(tmp_path, "v.csv", b"date,impressions\n2026-10-01,100\nsoon,5\n")
    with pytest.raises(DataError, match=r"v\.csv:3:1: column 'date': cannot read 'soon' as a date"):
        read_export(path)


def test_row_with_more_fields_than_the_header(tmp_path):
    path = write(tmp_path, "r.csv", b"date,impressions\n2026-10-01,100\n2026-10-02,5,6\n")
    with pytest.raises(DataError, match=r"r\.csv:3: 3 fields where the header has 2"):
        read_export(path)


def test_rows_without_a_date_are_skipped_not_summed(tmp_path):
    export = read_export(write(tmp_path, "n.csv", (CANONICAL + ",300,30\n").encode()))
    assert export.rows == 2
    # A row without a date is a data row (not a summary): reported with the figures left out.
    reason = "no date in 'date': not counted (a data row, not a summary; impressions 300, clicks 30)"
    assert export.skipped == [Skipped(4, reason)]


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        read_export(tmp_path / "nope.csv")


def test_empty_file_is_an_unknown_layout(tmp_path):
    with pytest.raises(DataError, match="unknown export layout"):
        read_export(write(tmp_path, "e.csv", b""))


def test_canonical_frame_contract(fixtures):
    frame = read_export(fixtures / "google_ads/campaign_report.csv").frame
    assert str(frame["date"].dtype).startswith("datetime64")
    assert (frame["date"] == frame["date"].dt.normalize()).all()
    assert frame["campaign"].dtype == "string"
    assert all(
        frame[m].dtype == "float64" for m in ("impressions", "clicks", "cost", "conversions", "revenue")
    )
    assert frame["impressions"].isna().sum() == 1  # ` --` is not measured, not zero


def test_first_row_with_more_fields_than_the_header_is_an_error_not_a_truncation(tmp_path):
    path = write(tmp_path, "r.csv", b"date,impressions\n2026-10-01,100,7\n2026-10-02,5\n")
    with pytest.raises(DataError, match=r"r\.csv:2: 3 fields where the header has 2"):
        read_export(path)


def test_empty_trailing_fields_are_not_columns(tmp_path):
    export = read_export(write(tmp_path, "t.csv", b"date\timpressions\n2026-10-01\t100\t\n2026-10-02\t5\t\n"))
    assert (export.rows, export.frame["impressions"].sum()) == (2, 105.0)


def test_dates_outside_any_campaign_are_unreadable(tmp_path):
    path = write(tmp_path, "y.csv", b"date,impressions\n2026-10-01,100\n1000-01-01,5\n")
    with pytest.raises(DataError, match=r"y\.csv:3:1: column 'date': cannot read '1000-01-01' as a date"):
        read_export(path)


@pytest.mark.parametrize(
    ("name", "hint"), [("old.xls", "save the file as .xlsx"), ("Export.zip", "unzip the export")]
)
def test_unsupported_containers_say_what_to_do(tmp_path, name, hint):
    with pytest.raises(DataError, match=hint):
        read_export(write(tmp_path, name, b"PK\x03\x04"))


@pytest.mark.parametrize(
    ("text", "rows", "blank_lines", "clicks"),
    [
        # pandas took the table's width from the blank line and stopped: "No columns to parse".
        ("date,clicks\n\n2026-10-01,5\n2026-10-02,7\n", 2, [2], {"clicks": 12}),
        ("date,clicks\r\n\r\n\r\n2026-10-01,5\r\n", 1, [2, 3], {"clicks": 5}),
        ("date,clicks\n\n", 0, [2], {"clicks": None}),
    ],
)
def test_blank_lines_right_under_the_header_are_skipped_and_reported(
    tmp_path, text, rows, blank_lines, clicks
):
    export = read_export(write(tmp_path, "a.csv", text.encode("utf-8")))
    assert export.rows == rows
    assert export.skipped == [Skipped(line, "blank line") for line in blank_lines]
    assert describe(export)["metrics"] == clicks
