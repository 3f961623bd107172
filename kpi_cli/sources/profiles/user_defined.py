"""Profiles users write in YAML, for platforms without a built-in one (Marketo, Account
Engagement, SATORI, b→dash...).

They are looked up in the config's directory: every `*.profile.yaml` there and every `*.yaml` in
its `profiles/` folder. One file is one profile, with the same keys as a built-in one:

    name: satori
    title: SATORI lead export
    date: [獲得日時]
    dimensions: {channel: [流入元]}
    metrics: {leads: [リード数]}
    detect: [[顧客ID, 獲得日時]]

`count_rows_as: leads` counts each row as one lead; `cumulative: [followers]` reads running totals; `events: {customers: [成約日]}` reads one date
column per funnel stage (as HubSpot's profile does).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kpi_cli.errors import ConfigError
from kpi_cli.sources.canonical import DIMENSIONS, METRICS
from kpi_cli.sources.profile import Profile


class _ProfileFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = ""
    date: list[str] = Field(default_factory=list)
    dimensions: dict[str, list[str]] = Field(default_factory=dict)
    metrics: dict[str, list[str]] = Field(default_factory=dict)
    events: dict[str, list[str]] = Field(default_factory=dict)
    subtract: dict[str, list[str]] = Field(default_factory=dict)
    detect: list[list[str]] = Field(default_factory=list)
    cumulative: list[str] = Field(default_factory=list)
    count_rows_as: str | None = None
    summary_if_blank: list[str] = Field(default_factory=list)
    name_columns: list[str] = Field(default_factory=list)

    @field_validator("metrics", "events", "subtract")
    @classmethod
    def _canonical_metrics(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return _only(value, METRICS, "metric")

    @field_validator("dimensions")
    @classmethod
    def _canonical_dimensions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return _only(value, DIMENSIONS[1:], "dimension")


def _only(value: dict[str, list[str]], allowed: tuple[str, ...], kind: str) -> dict[str, list[str]]:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {kind} {', '.join(unknown)} (known: {', '.join(allowed)})")
    return value


def profile_files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(directory.glob("*.profile.yaml")) + sorted((directory / "profiles").glob("*.yaml"))


def load_profiles(directory: Path | None) -> list[Profile]:
    return [load_profile(path) for path in profile_files(directory)]


def load_profile(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = _ProfileFile.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read the profile ({type(error).__name__})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "profile"
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None
    return _profile(spec, path)


def _profile(spec: _ProfileFile, path: Path) -> Profile:
    return Profile(
        name=spec.name,
        title=spec.title or f"user-defined profile ({path.name})",
        date=tuple(spec.date),
        dimensions={k: tuple(v) for k, v in spec.dimensions.items()},
        metrics={k: tuple(v) for k, v in spec.metrics.items()},
        events={k: tuple(v) for k, v in spec.events.items()},
        subtract={k: tuple(v) for k, v in spec.subtract.items()},
        detect=tuple(tuple(s) for s in spec.detect),
        cumulative=tuple(spec.cumulative),
        count_rows_as=spec.count_rows_as,
        summary_if_blank=tuple(spec.summary_if_blank),
        name_columns=tuple(spec.name_columns),
    )
