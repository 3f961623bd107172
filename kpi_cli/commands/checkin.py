"""`kpi checkin`: the owner records how confident they are, kept in the history database."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, check_choice
from kpi_cli.config import load_config
from kpi_cli.config.models import Checkin
from kpi_cli.errors import UsageError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.history import default_path, record_checkin
from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.i18n.values import Term

CONFIDENCE = ("on_track", "at_risk", "off_track")


def run(
    config: Path,
    kpi: str,
    confidence: str,
    comment: str | None,
    owner: str | None,
    day: str | None,
    history: Path | None,
    lang: Lang | None = None,
) -> ExitCode:
    loaded = load_config(config)
    ids = [k.id for k in loaded.config.kpis]
    if kpi not in ids:
        raise UsageError.said("error.usage.checkin_kpi", kpi=kpi, config=str(config), choices=ids)
    check_choice("--confidence", confidence, CONFIDENCE)
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
    said = {"kpi": kpi, "confidence": Term(f"status.{confidence}"), "day": checkin.date, "path": str(target)}
    print(render(Wording("checkin.recorded", said), chosen_lang(lang)))
    return ExitCode.OK
