"""LINE Official Account Manager reports (Shift_JIS/CP932 CSV with Japanese headers): the message
delivery report and the friends report.

The friends report writes running totals (total friends, blocks); `followers` is the day's change
in friends who have not blocked the account, and the first day of the file is not measured.
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
        "followers": ("総友だち数", "友だち数"),
    },
    subtract={"followers": ("ブロック数",)},
    cumulative=("followers",),
    detect=(("配信数", "開封数"), ("ターゲットリーチ", "ブロック数")),
)
