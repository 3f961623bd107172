"""Meta Ads Manager reports: the currency is part of the spend header (`Amount spent (JPY)`).

With "Include summary row" the report's first data row is the account total with no campaign
name; it is skipped, never summed.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile, ResultColumns

PROFILE = Profile(
    name="meta_ads",
    title="Meta Ads Manager report (Facebook / Instagram ads)",
    date=("day", "date", "reporting starts", "日", "日付", "レポート開始日"),
    date_end=("reporting ends", "レポート終了日"),
    range_starts=("reporting starts", "レポート開始日"),
    dimensions={"campaign": ("campaign name", "キャンペーン名")},
    metrics={
        "impressions": ("impressions", "インプレッション", "インプレッション数"),
        "reach": ("reach", "リーチ"),
        "clicks": ("clicks (all)", "クリック(すべて)"),
        "link_clicks": ("link clicks", "リンクのクリック"),
        "video_views": ("3-second video plays", "動画の3秒再生数"),
        "cost": ("amount spent ({cur})", "amount spent", "消化金額 ({cur})", "消化金額"),
        "leads": ("leads", "website leads", "リード", "ウェブサイトのリード"),
        "conversions": ("purchases", "website purchases", "購入", "ウェブサイトの購入"),
        "revenue": (
            "purchases conversion value",
            "website purchases conversion value",
            "購入のコンバージョン値",
        ),
    },
    detect=(
        ("amount spent ({cur})",),
        ("reporting starts", "reporting ends"),
        ("消化金額 ({cur})",),
        ("レポート開始日", "レポート終了日"),
    ),
    summary_if_blank=("campaign",),
    # An ad-set or ad report may have no campaign column; its summary row is blank in the name
    # of its own level.
    # `Results` means leads, purchases or link clicks depending on the row's indicator.
    results=ResultColumns(value=("results", "結果"), indicator=("result indicator", "結果インジケーター")),
    name_columns=("ad set name", "ad name", "広告セット名", "広告名"),
)
