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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kpi_cli.errors import ConfigError, location
from kpi_cli.files import check_regular_file
from kpi_cli.sources.canonical import DIMENSIONS, METRICS
from kpi_cli.sources.profile import Profile
from kpi_cli.untrusted import one_line

# A profile is a dozen lines; the bound keeps a profile path pointing at a huge or endless file
# (a FIFO, /dev/zero) from being read at all. Nesting and aliases are bounded by the config's
# YAML parser (config/yaml_positions.py), so a "billion laughs" profile is refused as a config is.
MAX_PROFILE_BYTES = 64 * 1024


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
        # The names come from the file: cleaned and cut, never echoed as written.
        names = ", ".join(one_line(name, 40) for name in unknown[:6])
        more = f" and {len(unknown) - 6} more" if len(unknown) > 6 else ""
        raise ValueError(f"unknown {kind} {names}{more} (known: {', '.join(allowed)})")
    return value


def profile_files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(directory.glob("*.profile.yaml")) + sorted((directory / "profiles").glob("*.yaml"))


def load_profiles(directory: Path | None) -> list[Profile]:
    return [load_profile(path) for path in profile_files(directory)]


def load_profile(path: Path) -> Profile:
    # Here, not at the top: the config package loads the rule registry, and `kpi platforms`
    # without user profiles must not pay for it.
    from kpi_cli.config import yaml_positions

    data, positions = yaml_positions.parse(_read(path), path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of profile keys (name, date, metrics, ...)")
    try:
        spec = _ProfileFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        where = location(path, yaml_positions.line_of(positions, loc))
        key = ".".join(one_line(part, 40) for part in loc) or "profile"
        if first["type"] == "extra_forbidden":
            known = ", ".join(_ProfileFile.model_fields)
            raise ConfigError(f"{where}: {key}: unknown key (known: {known})") from None
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{where}: {key}: {one_line(message, 600)}") from None
    return _profile(spec, path)


def _read(path: Path) -> str:
    """The file as text, refused by kind and size before it is opened (as the config file is)."""
    check_regular_file(path, ConfigError, "profile file", MAX_PROFILE_BYTES)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read the profile ({one_line(error.strerror or error, 80)})"
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{location(path, line)}: the profile is not UTF-8 text (byte {error.start})"
        ) from None


def _text(value: Any) -> str:
    return one_line(value, 120)


def _profile(spec: _ProfileFile, path: Path) -> Profile:
    return Profile(
        name=spec.name,
        # Shown by `kpi platforms` and `inspect`: one clean line, whatever the file holds.
        title=_text(spec.title) or f"user-defined profile ({one_line(path.name, 80)})",
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
