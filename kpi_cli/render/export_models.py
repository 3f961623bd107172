"""The JSON of `kpi inspect` (kpi-inspect/1) and `kpi platforms` (kpi-platforms/1) as typed models.

They were untyped dicts built in the commands, so a renamed key or a number turned string reached
scripts unnoticed. The models are the contract: the commands fill them, the text renderers read
them, and `document()` is what `--format json` prints (schema first, then `lang`, then the fields).
No pandas here: `kpi platforms` must start without it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from kpi_cli.i18n import Lang

INSPECT_SCHEMA = "kpi-inspect/1"
PLATFORMS_SCHEMA = "kpi-platforms/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(_Model):
    """A line of the file left out (`skipped`) or a figure of a data row not read (`unread`)."""

    line: int
    reason: str


class UnmappedColumn(_Model):
    header: str
    sum: int | float | None  # null unless every filled cell is a number


class InspectReport(_Model):
    file: str
    platform: str
    encoding: str
    delimiter: str
    rows: int  # data rows of the file (summary, blank and preamble lines excluded)
    events: int  # canonical rows kpi counts from them
    columns: dict[str, str]  # canonical metric -> header in the file
    metrics: dict[str, int | float | None]  # the sum of each canonical metric, null if unmeasured
    date_range: list[str] | None
    skipped: list[Line]
    unmapped: list[UnmappedColumn]
    unread: list[Line]
    warnings: list[str]

    def document(self, lang: Lang = Lang.EN) -> dict[str, Any]:
        return {"schema": INSPECT_SCHEMA, "lang": lang.value, **self.model_dump(mode="json")}


class Platform(_Model):
    name: str
    title: str  # the profile's own title (English for the built-in ones)
    title_shown: str  # the title in the chosen language (built-in profiles are translated)
    maps: dict[str, list[str]]  # canonical metric -> the headers that map to it
    detect: str  # how the profile is detected, in the chosen language
    signatures: list[list[str]]  # the header sets that detect it (any one of them)


class PlatformList(_Model):
    platforms: list[Platform]

    def document(self, lang: Lang = Lang.EN) -> dict[str, Any]:
        return {"schema": PLATFORMS_SCHEMA, "lang": lang.value, **self.model_dump(mode="json")}
