"""LINE Official Account Manager reports (Shift_JIS/CP932 CSV with Japanese headers): the message
delivery report and the friends report (`followers` = friends added minus blocks).
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="line",
    title="LINE公式アカウント message and friends reports",
    date=("配信日", "配信日時", "日付", "date"),
    dimensions={"campaign": ("タイトル", "メッセージタイトル", "配信名")},
    metrics={
        "delivered": ("配信数", "配信メッセージ数"),
        "opens": ("開封数", "開封ユーザー数"),
        "clicks": ("クリック数", "urlクリック数", "クリックユーザー数"),
        "followers": ("友だち追加数", "友だち追加"),
    },
    subtract={"followers": ("ブロック数", "ブロック")},
    detect=(("配信数", "開封数"), ("友だち追加数", "ブロック数")),
)
