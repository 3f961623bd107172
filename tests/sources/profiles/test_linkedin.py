from kpi_cli.sources import read_export


def test_content_workbook_metrics_sheet(inspect):
    report = inspect("linkedin/acme_content_1759276800000.xlsx")
    assert (report["platform"], report["encoding"], report["rows"]) == ("linkedin", "xlsx", 5)
    assert report["columns"]["impressions"] == "Impressions (total)"
    assert report["date_range"] == ["2026-10-01", "2026-10-05"]
    assert report["metrics"] == {
        "impressions": 5300,
        "reach": 3080,
        "clicks": 147,
        "likes": 161,
        "comments": 23,
        "shares": 12,
    }
    assert report["skipped"] == [{"line": 1, "reason": "preamble before the header"}]


def test_workbook_with_real_dates_and_numbers(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "New followers"
    sheet.append(
        ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"]
    )
    sheet.append([datetime(2026, 10, 1), 1, 4, 0, 5])
    sheet.append([datetime(2026, 10, 2), 0, 3, 0, 3])
    book.save(tmp_path / "followers.xlsx")
    export = read_export(tmp_path / "followers.xlsx")
    assert (export.platform, export.frame["followers"].sum()) == ("linkedin", 8.0)
    assert export.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]
