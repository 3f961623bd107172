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
