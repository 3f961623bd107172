from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kpi_cli.config.models import Checkin
from kpi_cli.errors import DataError
from kpi_cli.history import load_checkins, record_checkin


def test_checkins_round_trip(tmp_path: Path) -> None:
    path = tmp_path / ".kpi" / "history.sqlite"
    assert load_checkins(path) == [] and not path.exists()  # reading creates nothing
    first = Checkin(
        kpi="leads", date=date(2026, 11, 5), confidence="at_risk", comment="webinar", owner="Tanaka"
    )
    second = Checkin(kpi="cpa", date=date(2026, 11, 6), confidence="on_track")
    record_checkin(path, first)
    record_checkin(path, second)
    assert load_checkins(path) == [first, second]


def test_unusable_database_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(DataError, match=r"history.sqlite: cannot use the history database"):
        load_checkins(path)
    assert sqlite3.sqlite_version  # the stdlib module is what we rely on
