"""Writes the B2C SNS/influencer sample in each platform's own export layout. Run by hand; the
files are committed.

Hikari, a skincare brand, sells online. The trend-seeker segment is reached on Instagram and TikTok,
families on LINE; two influencers run whitelisted Meta ads; signups are newsletter subscribers in
Mailchimp; purchases and revenue come from GA4. The story, as of 2026-11-20:
- newsletter signups (the primary KPI) grow past their 900 a month target: the healthy KPI;
- Instagram follows sit near 430 a month against 600: stalled (and the KPI has no owner: lint);
- influencer link clicks fell by half in November when @miki_beauty's contract ended: a drop the
  team snoozed until the replacement starts;
- signups -> purchases conversion fell from 12 % to 7 % in November (a checkout change): the leak;
- the November "early access" newsletter pushed the unsubscribe rate past its ceiling;
- the LINE report was last exported on 2 November: stale data;
- ROAS missed its review date, and the pivot was recorded in `decisions:`.

Compared side by side (`kpi compare`, and the `compare` rule's findings in every review):
- @glow.yuna, an influencer who joined in October, gains followers by the thousand while her
  posts draw almost no likes or comments: bought or inactive followers;
- @sora.skin took over @miki_beauty's budget, but few of her link clicks buy (GA4's UTM
  campaign `inf_sora.skin`): her cost per purchase in November is far above the campaign's;
- the family segment's own Instagram account, hikari.family, engages at half the rate of the
  shared brand account hikari_skin.
These files come from a second random stream (`RNG_COMPARE`), so the files and numbers above did
not move when they were added; GA4's Paid Social purchases are split by UTM campaign without
changing any day's total.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent / "b2c"
START, END = date(2026, 6, 1), date(2026, 11, 20)
RNG = np.random.default_rng(2026_11_20)
RNG_COMPARE = np.random.default_rng(2026_11_13)  # issue 13's files; RNG's draws stay as they were

SIGNUPS = {6: 700, 7: 780, 8: 850, 9: 920, 10: 960, 11: 1000}
FOLLOWS = {6: 300, 7: 380, 8: 425, 9: 432, 10: 428, 11: 430}
PURCHASE_RATE = {6: 0.12, 7: 0.12, 8: 0.125, 9: 0.12, 10: 0.12, 11: 0.07}
ORDER_VALUE = 11_000
# Share of GA4's Paid Social purchases by UTM campaign (`inf_<handle>` for an influencer's link).
PAID_SPLIT = {
    "before": {"inf_miki_beauty": 0.4, "inf_sora.skin": 0.3, "retargeting": 0.3},
    "november": {"inf_sora.skin": 0.12, "retargeting": 0.88},
}
CAMPAIGNS = {  # monthly link clicks and spend; @miki_beauty ends on 31 October
    "Influencer: @miki_beauty": (9_000, 180_000, date(2026, 10, 31)),
    "Influencer: @sora.skin": (7_000, 150_000, END),
    "Retargeting": (4_000, 90_000, END),
}


def days(until: date = END) -> list[date]:
    return [START + timedelta(n) for n in range((until - START).days + 1)]


def per_day(monthly: float, d: date) -> float:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return monthly / (nxt - date(d.year, d.month, 1)).days


def comma(n: float) -> str:
    return f"{round(n):,}"


def write(
    path: Path, header: list[str], rows: list[list[object]], encoding: str = "utf-8", before: list[str] = ()
) -> None:  # type: ignore[assignment]
    with path.open("w", newline="", encoding=encoding) as f:
        for line in before:
            f.write(line + "\r\n")
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def instagram() -> None:
    header = [
        "Post ID",
        "Account ID",
        "Account username",
        "Account name",
        "Description",
        "Duration (sec)",
        "Publish time",
        "Permalink",
        "Post type",
        "Data comment",
        "Date",
        "Impressions",
        "Reach",
        "Likes",
        "Shares",
        "Follows",
        "Comments",
        "Saves",
        "Plays",
    ]
    rows = []
    for n, d in enumerate(days()):
        follows = RNG.poisson(per_day(FOLLOWS[d.month], d))
        reach = RNG.poisson(5200 + 12 * n)
        at = datetime(d.year, d.month, d.day, 19, 0)
        rows.append(
            [
                18000000000100000 + n,
                17840000000000001,
                "hikari_skin",
                "Hikari Skincare",
                f"Post {n + 1}",
                0,
                at.strftime("%m/%d/%Y %H:%M"),
                f"https://www.instagram.com/p/HK{n}/",
                "IG image",
                "",
                "Lifetime",
                comma(reach * 1.35),
                comma(reach),
                comma(reach * 0.06),
                RNG.poisson(9),
                follows,
                RNG.poisson(14),
                RNG.poisson(40),
                "",
            ]
        )
    write(HERE / "instagram_posts.csv", header, rows, encoding="utf-8-sig")


def tiktok() -> None:
    header = [
        "Video title",
        "Video link",
        "Post time",
        "Total likes",
        "Total comments",
        "Total shares",
        "Total views",
    ]
    rows = []
    for n, d in enumerate(days()[::2]):
        views = RNG.poisson(9000 + 40 * n)
        rows.append(
            [
                f"Routine #{n + 1}",
                f"https://www.tiktok.com/@hikari/video/74{n:017d}",
                f"{d.isoformat()} 18:00:00",
                comma(views * 0.07),
                RNG.poisson(30),
                RNG.poisson(12),
                comma(views),
            ]
        )
    write(HERE / "tiktok_content.csv", header, rows)


def meta_ads() -> None:
    header = [
        "Reporting starts",
        "Reporting ends",
        "Campaign name",
        "Campaign delivery",
        "Reach",
        "Impressions",
        "Frequency",
        "Link clicks",
        "Clicks (all)",
        "CTR (all)",
        "Amount spent (JPY)",
        "Cost per 1,000 People Reached (JPY)",
        "Leads",
    ]
    rows, totals = [], np.zeros(4)
    for d in days():
        for name, (clicks_month, spend_month, last) in CAMPAIGNS.items():
            if d > last:
                continue
            clicks = RNG.poisson(per_day(clicks_month, d))
            impressions = RNG.poisson(clicks * 75)
            reach = int(impressions / 1.6)
            spend = round(per_day(spend_month, d) * (0.9 + 0.2 * RNG.random()))
            totals += [reach, impressions, clicks, spend]
            rows.append(
                [
                    d.isoformat(),
                    d.isoformat(),
                    name,
                    "active",
                    comma(reach),
                    comma(impressions),
                    f"{impressions / max(reach, 1):.2f}",
                    comma(clicks),
                    comma(clicks * 1.4),
                    f"{clicks * 1.4 / max(impressions, 1):.2%}",
                    comma(spend),
                    f"{spend / max(reach, 1) * 1000:.2f}",
                    "",
                ]
            )
    summary = [
        START.isoformat(),
        END.isoformat(),
        "",
        "",
        comma(totals[0]),
        comma(totals[1]),
        "",
        comma(totals[2]),
        comma(totals[2] * 1.4),
        "",
        comma(totals[3]),
        "",
        "",
    ]
    write(HERE / "meta_ads_campaigns.csv", header, [summary, *rows], encoding="utf-8-sig")


def line() -> None:
    header = ["配信日", "タイトル", "配信数", "開封数", "開封率", "クリック数", "クリック率"]
    rows = []
    for d in days(date(2026, 11, 2))[::7]:
        delivered = 8000 + 25 * (d - START).days
        opens = RNG.binomial(delivered, 0.52)
        clicks = RNG.binomial(opens, 0.14)
        rows.append(
            [
                f"{d.year}年{d.month}月{d.day}日",
                f"{d.month}月のおすすめ",
                comma(delivered),
                comma(opens),
                f"{opens / delivered:.1%}",
                comma(clicks),
                f"{clicks / delivered:.1%}",
            ]
        )
    write(HERE / "line_message_report.csv", header, rows, encoding="cp932")


def mailchimp_campaigns() -> None:
    header = [
        "Title",
        "Subject",
        "List",
        "Send Date",
        "Send Weekday",
        "Total Recipients",
        "Successful Deliveries",
        "Soft Bounces",
        "Hard Bounces",
        "Total Bounces",
        "Times Forwarded",
        "Forwarded Opens",
        "Unique Opens",
        "Open Rate",
        "Total Opens",
        "Unique Clicks",
        "Click Rate",
        "Total Clicks",
        "Unsubscribes",
        "Abuse Complaints",
        "Times Liked on Facebook",
        "Folder Id",
        "Unique Id",
    ]
    rows = []
    for d in [x for x in days() if x.day in (6, 20)]:
        recipients = 3000 + 850 * ((d - START).days // 30) + (200 if d.day == 20 else 0)
        bounces = RNG.binomial(recipients, 0.01)
        delivered = recipients - bounces
        opens = RNG.binomial(delivered, 0.42)
        clicks = RNG.binomial(opens, 0.18)
        early_access = d == date(2026, 11, 20)
        unsubscribes = RNG.binomial(delivered, 0.009 if early_access else 0.0022)
        title = "Early access: winter set" if early_access else f"Hikari letter {d:%b %d}"
        sent = datetime(d.year, d.month, d.day, 9, 30).strftime("%b %d, %Y %I:%M %p").replace("AM", "am")
        rows.append(
            [
                title,
                "New for you",
                "Subscribers",
                sent,
                d.strftime("%A"),
                comma(recipients),
                comma(delivered),
                bounces // 2,
                bounces - bounces // 2,
                bounces,
                0,
                0,
                comma(opens),
                f"{opens / delivered:.2%}",
                comma(opens * 1.5),
                comma(clicks),
                f"{clicks / delivered:.2%}",
                comma(clicks * 1.4),
                unsubscribes,
                0,
                0,
                "",
                f"hk{d:%m%d}",
            ]
        )
    write(HERE / "mailchimp_campaigns.csv", header, rows)


def mailchimp_audience() -> list[datetime]:
    header = [
        "Email Address",
        "First Name",
        "Last Name",
        "MEMBER_RATING",
        "OPTIN_TIME",
        "OPTIN_IP",
        "CONFIRM_TIME",
        "CONFIRM_IP",
        "LATITUDE",
        "LONGITUDE",
        "GMTOFF",
        "DSTOFF",
        "TIMEZONE",
        "CC",
        "REGION",
        "LAST_CHANGED",
        "LEID",
        "EUID",
        "NOTES",
        "TAGS",
    ]
    rows, confirmed = [], []
    for d in days():
        for _ in range(RNG.poisson(per_day(SIGNUPS[d.month], d))):
            n = len(rows) + 1
            at = datetime(d.year, d.month, d.day, 8) + timedelta(minutes=int(RNG.integers(0, 900)))
            confirmed.append(at)
            rows.append(
                [
                    f"member{n:05d}@example.jp",
                    "",
                    "",
                    2,
                    f"{at:%Y-%m-%d %H:%M:%S}",
                    "",
                    f"{at + timedelta(minutes=3):%Y-%m-%d %H:%M:%S}",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "JP",
                    "",
                    f"{at:%Y-%m-%d %H:%M:%S}",
                    50000 + n,
                    f"e{n:07x}",
                    "",
                    "",
                ]
            )
    write(HERE / "mailchimp_subscribed_members.csv", header, rows)
    return confirmed


def ga4(confirmed: list[datetime]) -> None:
    """Purchases follow signups by a few days; Paid Social and Email share them."""
    purchases: dict[date, int] = {}
    for at in confirmed:
        if RNG.random() < PURCHASE_RATE[at.month]:
            day = min(at.date() + timedelta(int(RNG.integers(0, 4))), END)
            purchases[day] = purchases.get(day, 0) + 1
    header = [
        "Session primary channel group (Default channel group)",
        "Session campaign",
        "Date",
        "Sessions",
        "Engaged sessions",
        "Engagement rate",
        "Average engagement time per session",
        "Key events",
        "Total revenue",
    ]
    rows = []
    for d in days():
        total = purchases.get(d, 0)
        paid = RNG.binomial(total, 0.6)
        for channel, count in (("Paid Social", paid), ("Email", total - paid)):
            sessions = RNG.poisson(400 if channel == "Paid Social" else 150)
            engaged = RNG.binomial(sessions, 0.6)
            for campaign, part in by_campaign(channel, d, count, sessions, engaged):
                rows.append(
                    [
                        channel,
                        campaign,
                        f"{d:%Y%m%d}",
                        part[1],
                        part[2],
                        f"{part[2] / max(part[1], 1):.4f}",
                        "52.1",
                        f"{part[0]}.0",
                        part[0] * ORDER_VALUE,
                    ]
                )
    before = [
        "# ----------------------------------------",
        "# Traffic acquisition: Session primary channel group",
        "# Account: Hikari Skincare",
        "# Property: hikari.jp - GA4",
        "# ----------------------------------------",
        "#",
        f"# Start date: {START:%Y%m%d}",
        f"# End date: {END:%Y%m%d}",
        "",
    ]
    write(HERE / "ga4_traffic_acquisition.csv", header, rows, before=before)


def by_campaign(
    channel: str, d: date, count: int, sessions: int, engaged: int
) -> list[tuple[str, list[int]]]:
    """A day's (purchases, sessions, engaged sessions) split by UTM campaign; the sums are the day's."""
    if channel != "Paid Social":
        return [("newsletter", [count, sessions, engaged])]
    split = PAID_SPLIT["november" if d.month == 11 else "before"]
    names, shares = list(split), list(split.values())
    counts = RNG_COMPARE.multinomial(count, shares)
    visits = RNG_COMPARE.multinomial(sessions, shares)
    engaged_parts = RNG_COMPARE.multivariate_hypergeometric(visits, engaged)
    return [(name, [int(counts[i]), int(visits[i]), int(engaged_parts[i])]) for i, name in enumerate(names)]


POST_HEADER = [  # the Instagram post export's layout (as instagram_posts.csv), reach without views
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Reach",
    "Likes",
    "Shares",
    "Follows",
    "Comments",
    "Saves",
]
# handle: (first day, last day, reach per post, interactions per reach, follows per post)
INFLUENCERS = {
    "sora.skin": (START, END, 9_000, 0.055, 12),
    "miki_beauty": (START, date(2026, 10, 31), 11_000, 0.06, 14),
    "glow.yuna": (date(2026, 10, 1), END, 7_000, 0.004, 200),  # followers pour in, nobody engages
}


def post_row(
    n: int, account: tuple[int, str, str], d: date, reach: int, rate: float, follows: int
) -> list[object]:
    interactions = RNG_COMPARE.poisson(reach * rate)
    likes = round(interactions * 0.8)
    comments = round(interactions * 0.05)
    shares = round(interactions * 0.05)
    at = datetime(d.year, d.month, d.day, 20, 0)
    return [
        account[0] * 1000 + n,
        account[0],
        account[1],
        account[2],
        f"Post {n + 1}",
        0,
        at.strftime("%m/%d/%Y %H:%M"),
        f"https://www.instagram.com/p/{account[1][:2].upper()}{n}/",
        "IG image",
        "",
        "Lifetime",
        comma(reach),
        comma(likes),
        shares,
        follows,
        comments,
        interactions - likes - comments - shares,
    ]


def influencer_posts() -> None:
    """The partnered posts' insights each influencer shares with the brand, in one post export."""
    rows = []
    for number, (handle, (first, last, reach, rate, follows)) in enumerate(INFLUENCERS.items()):
        account = (17841000000000100 + number, handle, handle)
        for n, d in enumerate(d for d in days(last) if d >= first and (d - first).days % 3 == 0):
            reached = RNG_COMPARE.poisson(reach)
            rows.append(post_row(n, account, d, reached, rate, RNG_COMPARE.poisson(follows)))
    rows.sort(key=lambda row: datetime.strptime(str(row[6]), "%m/%d/%Y %H:%M"))
    write(HERE / "influencer_posts.csv", POST_HEADER, rows, encoding="utf-8-sig")


def instagram_family() -> None:
    """The family segment's own Instagram account: a post every other day, half the shared one's rate."""
    account = (17840000000000002, "hikari.family", "Hikari for Families")
    rows = [
        post_row(n, account, d, RNG_COMPARE.poisson(1_800), 0.035, RNG_COMPARE.poisson(4))
        for n, d in enumerate(days()[::2])
    ]
    write(HERE / "instagram_family_posts.csv", POST_HEADER, rows, encoding="utf-8-sig")


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    instagram()
    tiktok()
    meta_ads()
    line()
    mailchimp_campaigns()
    ga4(mailchimp_audience())
    influencer_posts()
    instagram_family()
