def test_message_report_in_cp932_with_japanese_dates(inspect):
    report = inspect("line/message_report.csv")
    assert (report["platform"], report["encoding"], report["rows"]) == ("line", "cp932", 4)
    assert report["columns"]["delivered"] == "配信数"
    assert report["date_range"] == ["2026-10-03", "2026-10-24"]
    assert report["metrics"] == {"clicks": 3400, "delivered": 50230, "opens": 26150}


def test_friends_report_running_totals_become_daily_net_followers(tmp_path):
    from kpi_cli.sources import read_export

    path = tmp_path / "friends.csv"
    text = "日付,総友だち数,ターゲットリーチ,ブロック数\n20260927,100,80,20\n20260928,103,82,21\n"
    text += "20260930,109,86,24\n20260929,110,88,22\n"
    path.write_bytes(text.encode("cp932"))
    export = read_export(path)
    assert export.platform == "line"
    by_day = dict(zip(export.frame["date"].dt.strftime("%m-%d"), export.frame["followers"], strict=True))
    assert by_day["09-28"] == 2.0 and by_day["09-29"] == 6.0 and by_day["09-30"] == -3.0
    assert export.frame["followers"].isna().tolist() == [True, False, False, False]
    assert export.frame["followers"].sum() == 5.0
