"""`--lang`: what the reader asked for, else what their locale says."""

from __future__ import annotations

import os

from kpi_cli.i18n import Lang, lang_from_env


def chosen_lang(flag: Lang | None) -> Lang:
    return flag if flag is not None else lang_from_env(os.environ)
