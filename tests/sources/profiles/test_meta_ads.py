"""Meta Ads Manager: currency in the spend header, summary row without a campaign name."""


def test_campaign_report_in_jpy(inspect):
    report = inspect("meta_ads/acme-campaigns-Oct-1-2026-Oct-3-2026.csv")
    assert (report["platform"], report["rows"]) == ("meta_ads", 6)
    assert report["columns"]["cost"] == "Amount spent (JPY)"
    assert report["date_range"] == ["2026-10-01", "2026-10-03"]
    assert report["metrics"] == {
        "impressions": 157850,
        "reach": 96350,
        "clicks": 1735,
        "link_clicks": 1245,
        "cost": 177850,
        "leads": 37,
    }
    assert report["skipped"] == [{"line": 2, "reason": "summary row (no campaign)"}]


def test_any_currency_code_is_accepted(tmp_path):
    from kpi_cli.sources import read_export

    path = tmp_path / "m.csv"
    path.write_text('Day,Campaign name,Amount spent (USD),Impressions\n2026-10-01,A,"1,234.56",10\n')
    export = read_export(path)
    assert (export.platform, export.frame["cost"].tolist()) == ("meta_ads", [1234.56])


def test_japanese_ad_set_report_summary_row_is_not_counted(inspect):
    """Ad-set level, no campaign column, summary row first (blank `広告セット名`).

    Layout: header line as quoted (as the "actual Meta CSV header") in a public project's Meta
    import code found through the code search (repository name not given): `レポート開始日,
    レポート終了日,広告セット名,広告セットの配信,結果,結果インジケーター,結果の単価,"消化金額 (JPY)",
    インプレッション,リーチ,...`. GUESS: the figures and the summary row's blank result cells.
    """
    report = inspect("meta_ads/adsets_ja.csv")
    assert (report["platform"], report["rows"]) == ("meta_ads", 4)
    assert report["date_range"] == ["2026-10-01", "2026-10-02"]
    # By hand over the 4 ad-set rows: spend 18,000 + 12,000 + 17,000 + 14,000 = 61,000, the
    # summary row's figure; counting it too would give 122,000.
    metrics = report["metrics"]
    assert isinstance(metrics, dict)
    assert {k: metrics[k] for k in ("cost", "impressions", "reach", "clicks")} == {
        "cost": 61000,
        "impressions": 88000,
        "reach": 52000,
        "clicks": 1330,
    }
    assert report["skipped"] == [{"line": 2, "reason": "summary row (no 広告セット名)"}]


def test_results_are_read_through_each_rows_result_indicator(inspect):
    """`結果` is leads on `actions:lead` rows and purchases on `offsite_conversion.fb_pixel_purchase`."""
    report = inspect("meta_ads/adsets_ja.csv")
    metrics = report["metrics"]
    assert isinstance(metrics, dict)
    # By hand: leads 12 + 10 on the lead ad set; purchases 3 + 2 on the retargeting one.
    assert (metrics["leads"], metrics["conversions"]) == (22, 5)
    columns = report["columns"]
    assert isinstance(columns, dict)
    assert columns["leads"] == columns["conversions"] == "結果 (by 結果インジケーター)"
    assert report["unread"] == []


def _results_file(tmp_path, extra_header="", extra_cells=("", "", "")):
    """English headers `Results`, `Result indicator` as quoted (with `actions:link_click`) in a
    public project's Meta import test found through the code search (repository not given)."""
    path = tmp_path / "meta.csv"
    rows = [
        "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Results,Result indicator"
        + extra_header,
        "2026-10-01,2026-10-01,Traffic,10,40,actions:link_click" + extra_cells[0],
        "2026-10-01,2026-10-01,Leadgen,20,6,offsite_conversion.fb_pixel_lead" + extra_cells[1],
        "2026-10-01,2026-10-01,Views,30,900,actions:video_view" + extra_cells[2],
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_unknown_result_indicator_is_reported_not_guessed(tmp_path):
    from kpi_cli.sources import read_export

    export = read_export(_results_file(tmp_path))
    frame = export.frame
    assert frame["link_clicks"].sum() == 40 and frame["leads"].sum() == 6
    assert frame["cost"].sum() == 60  # the video-view row is data: its spend counts
    assert [(u.line, u.reason) for u in export.unread] == [
        (4, "'Results' 900 with indicator 'actions:video_view' not read: kpi does not know what it counts")
    ]


def test_results_are_not_added_to_a_metric_the_file_has_its_own_column_for(tmp_path):
    from kpi_cli.sources import read_export

    path = _results_file(tmp_path, ",Leads", (",", ",6", ","))
    export = read_export(path)
    assert export.frame["leads"].sum() == 6  # from `Leads`, not 6 + 6
    assert export.columns["leads"] == "Leads"
    assert [(u.line, u.reason) for u in export.unread] == [
        (3, "'Results' 6 (leads) not added: read from 'Leads'"),
        (4, "'Results' 900 with indicator 'actions:video_view' not read: kpi does not know what it counts"),
    ]
