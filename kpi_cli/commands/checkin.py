"""`kpi checkin`: the owner records how confident they are, kept in the history database."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.options import as_of_date
from kpi_cli.config import load_config
from kpi_cli.config.models import Checkin
from kpi_cli.errors import UsageError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.history import default_path, record_checkin

CONFIDENCE = ("on_track", "at_risk", "off_track")


def run(
    config: Path,
    kpi: str,
    confidence: str,
    comment: str | None,
    owner: str | None,
    day: str | None,
    history: Path | None,
) -> ExitCode:
    loaded = load_config(config)
    ids = [k.id for k in loaded.config.kpis]
    if kpi not in ids:
        raise UsageError(f"--kpi: '{kpi}' is not a KPI of {config} ({', '.join(ids)})")
    if confidence not in CONFIDENCE:
        raise UsageError(f"--confidence: '{confidence}' is not one of {', '.join(CONFIDENCE)}")
    checkin = Checkin.model_validate(
        {
            "kpi": kpi,
            "date": as_of_date(day, "--date"),
            "confidence": confidence,
            "comment": comment,
            "owner": owner,
        }
    )
    target = history or default_path(config)
    record_checkin(target, checkin)
    print(f"recorded: {kpi} {confidence} on {checkin.date} in {target}")
    return ExitCode.OK
