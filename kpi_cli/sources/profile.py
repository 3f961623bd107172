"""A platform profile: which headers of an export mean which canonical metric or dimension.

Profiles are data. A header alias matches case-insensitively after Unicode NFKC folding (so the
full-width `（）` of Japanese exports equal `()`), with runs of spaces collapsed; `{cur}` in an
alias stands for any three-letter currency code (`Amount spent ({cur})` matches
`Amount spent (JPY)`). For each canonical name the first alias present wins, so aliases are
listed from the most to the least specific (`Impressions (total)` before `Impressions (organic)`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpi_cli.sources.titled import TitledValues

_CURRENCY = re.escape("{cur}")


def normalise(header: str) -> str:
    """The form headers are compared in: NFKC, case-folded, spaces collapsed, BOM and quotes gone."""
    folded = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip().strip('"').casefold()
    return " ".join(folded.split())


@dataclass(frozen=True)
class Alias:
    """One way a platform has written a column header."""

    text: str

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        escaped = re.escape(normalise(self.text)).replace(_CURRENCY, "[a-z]{3}")
        return re.compile(escaped)

    def matches(self, header: str) -> bool:
        return self.pattern.fullmatch(header) is not None


class HeaderSet:
    """Many aliases matched at once: a set lookup, plus a regex for the few with `{cur}`."""

    def __init__(self, aliases: Iterable[Alias]) -> None:
        texts = {normalise(alias.text) for alias in aliases}
        self.exact = frozenset(t for t in texts if "{cur}" not in t)
        self.patterns = [Alias(t).pattern for t in sorted(texts - self.exact)]

    def __contains__(self, header: str) -> bool:
        return header in self.exact or any(p.fullmatch(header) for p in self.patterns)


def first_match(aliases: Sequence[str], headers: Sequence[str]) -> int | None:
    """Position of the header matched by the earliest alias; headers are already normalised."""
    for alias in aliases:
        compiled = Alias(alias)
        for position, header in enumerate(headers):
            if compiled.matches(header):
                return position
    return None


@dataclass(frozen=True)
class ResultColumns:
    """The headers of the figure and of its indicator, in every language the profile knows."""

    value: tuple[str, ...]
    indicator: tuple[str, ...]
    # Read only with the source's `events:` map (GA4: which event names count as what).
    needs_map: bool = False

    def positions(self, headers: list[str]) -> tuple[int, int] | None:
        normalised = [normalise(h) for h in headers]
        value, indicator = first_match(self.value, normalised), first_match(self.indicator, normalised)
        return None if value is None or indicator is None else (value, indicator)


@dataclass(frozen=True)
class Profile:
    """How one platform's export maps into the canonical frame (see canonical.py).

    `detect` lists signatures: sets of headers that together identify the platform. `events` is for
    exports with one row per person and one date column per funnel stage (HubSpot): each date is
    one event of the stage's metric on that day. `subtract` turns gross into net
    (`New follows` - `Unfollows`). `cumulative` names metrics written as running totals (LINE's
    friend count): each row gets the change since the previous date, the first date none.
    `count_rows_as` makes each row one event of a metric (an
    audience export: one row per subscriber). `summary_if_blank` names dimensions that are blank
    only on the platform's summary row; `name_columns` names the headers that name a row at each
    report level (campaign, ad set, ad): a row blank in every one of them the file has is the
    summary row, whatever the level of the report. `results` names a figure column whose meaning
    is in an indicator column on the same row (Meta's `Results`, see results.py).
    """

    name: str
    title: str
    date: tuple[str, ...] = ()
    metrics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dimensions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    detect: tuple[tuple[str, ...], ...] = ()
    events: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    subtract: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cumulative: tuple[str, ...] = ()
    count_rows_as: str | None = None
    summary_if_blank: tuple[str, ...] = ()
    name_columns: tuple[str, ...] = ()
    results: ResultColumns | None = None
    # The platform's download file names (globs): a file named so but read by another profile
    # gets a warning naming this one.
    file_names: tuple[str, ...] = ()
    # Where a row is a total over a date range: the column with the range's last day (the first
    # is `date`). The frame then has a `date_end` column (see canonical.py).
    date_end: tuple[str, ...] = ()
    # The `date` headers that start such a range: with a `Day` column the rows are days, and the
    # report's end date says nothing about a row.
    range_starts: tuple[str, ...] = ()
    # Dates written without a year (TikTok's overview: `October 1`): the year comes from the
    # source's `year:` or a 20xx in the file name, else the read stops saying so (yearless.py).
    yearless_dates: bool = False
    # One figure column whose metric is named by the title line above the header (Meta Business
    # Suite's per-metric downloads, see titled.py).
    titled: TitledValues | None = None
    weight: int = 100

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Every canonical name this profile can fill, with the headers it reads it from."""
        mapped = {"date": self.date} if self.date else {}
        ends = {"date_end": self.date_end} if self.date_end else {}
        return {**mapped, **ends, **self.dimensions, **self.metrics, **self.events}

    def known(self) -> list[Alias]:
        """Every header this profile names, to find the header row under a preamble."""
        groups = [*self.aliases().values(), *self.subtract.values(), *self.detect]
        if self.results:
            groups += [self.results.value, self.results.indicator]
        return [Alias(text) for texts in groups for text in texts]

    def detection_score(self, headers: Sequence[str]) -> int:
        """0 unless a whole signature is present; longer signatures and more mapped columns win."""
        full = [len(s) for s in self.detect if all(first_match((h,), headers) is not None for h in s)]
        if not full:
            return 0
        return self.weight * max(full) + self.closeness(headers)

    def closeness(self, headers: Sequence[str]) -> int:
        """How many of the file's headers this profile knows (to suggest profiles for an unknown file)."""
        return sum(first_match(aliases, headers) is not None for aliases in self.aliases().values())

    def near_miss(self, headers: Sequence[str], plain: frozenset[str] = frozenset()) -> str | None:
        """A signature at least half present but incomplete: `has A, B; lacks C`.

        Headers in `plain` (the canonical names every layout may use) are no evidence on their own:
        a file of `date, clicks, impressions` is not a near Search Console export.
        """
        best: tuple[float, str] | None = None
        for signature in self.detect:
            found = [h for h in signature if first_match((h,), headers) is not None]
            share = len(found) / len(signature)
            telling = [h for h in found if normalise(h) not in plain]
            if len(signature) > 1 and share >= 0.5 and telling and len(found) < len(signature):
                lacks = [h for h in signature if h not in found]
                text = f"has {', '.join(found)}; lacks {', '.join(lacks)}"
                if best is None or share > best[0]:
                    best = (share, text)
        return best[1] if best else None

    def describe_detection(self) -> str:
        signatures = [" + ".join(signature) for signature in self.detect]
        return "headers " + "; or ".join(signatures) if signatures else "only when named with `platform:`"


def headers_known_by(profiles: Iterable[Profile]) -> list[Alias]:
    return [alias for profile in profiles for alias in profile.known()]
