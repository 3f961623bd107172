"""Writes the B2B SaaS lead-generation sample (generic CSVs). Run by hand; the CSVs are committed.

The story, as of 2026-11-20 (November 2/3 elapsed):
- signups (leads, the primary KPI) sit near 430 a month since August against a target of 600:
  stalled, and November runs off pace; the SMB account carries most of the shortfall;
- inquiries run above their 120 a month target: the healthy KPI, no finding;
- appointments -> deals conversion fell from about 60 % to about 35 % in November: the leak;
- CPA missed its 300,000 target and its review date (30 Sep) passed without a decision.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent / "saas"
START, END = date(2026, 6, 1), date(2026, 11, 20)
RNG = np.random.default_rng(20261120)

# Monthly leads per segment: enterprise grows a little, SMB flat after July.
LEADS = {"enterprise": [150, 160, 170, 172, 168, 170], "smb": [330, 300, 262, 268, 262, 265]}
DEAL_RATE = {6: 0.60, 7: 0.60, 8: 0.62, 9: 0.60, 10: 0.61, 11: 0.35}
DEAL_VALUE = {"enterprise": 1_200_000, "smb": 450_000}
COST = {"enterprise": 2_000_000, "smb": 1_800_000}


def days() -> list[date]:
    return [START + timedelta(n) for n in range((END - START).days + 1)]


def month_days(d: date) -> int:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return (nxt - date(d.year, d.month, 1)).days


def daily(monthly: float, d: date) -> int:
    """A daily count around monthly/days, with Poisson noise and a weekday rhythm."""
    weekday = 1.15 if d.weekday() < 5 else 0.62
    return int(RNG.poisson(monthly / month_days(d) * weekday))


def crm_rows() -> list[dict[str, object]]:
    rows = []
    for d in days():
        for segment, monthly in LEADS.items():
            leads = daily(monthly[d.month - 6], d)
            inquiries = int(RNG.binomial(leads, 0.31))
            appointments = int(RNG.binomial(inquiries, 0.5))
            deals = int(RNG.binomial(appointments, DEAL_RATE[d.month]))
            won = int(RNG.binomial(deals, 0.42))
            rows.append(
                {
                    "Day": d.isoformat(),
                    "segment": segment,
                    "leads": leads,
                    "inquiries": inquiries,
                    "appointments": appointments,
                    "opportunities": deals,
                    "customers": won,
                    "revenue": won * DEAL_VALUE[segment],
                }
            )
    return rows


def sns_rows(segment: str) -> list[dict[str, object]]:
    rows = []
    for d in days():
        leads_month = LEADS[segment][d.month - 6]
        clicks = daily(leads_month / 0.11, d)
        impressions = daily(leads_month / 0.11 / 0.012, d)
        cost = round(COST[segment] / month_days(d) * (0.9 + 0.2 * RNG.random()))
        rows.append({"date": d.isoformat(), "impressions": impressions, "clicks": clicks, "cost": cost})
    return rows


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    write(HERE / "crm_daily.csv", crm_rows())
    for segment in LEADS:
        write(HERE / f"sns_{segment}.csv", sns_rows(segment))
