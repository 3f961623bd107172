"""Words live here, not in the rules: one message catalog per language, keyed by finding code.

A finding carries a `Wording` (catalog key + typed params); renderers call `render` with the
chosen `Lang` at the last moment, so text, JSON, Markdown and later outputs share one wording.
"""

from __future__ import annotations

from kpi_cli.i18n.catalog import Lang, Wording, catalog_keys, lang_from_env, render, term

__all__ = ["Lang", "Wording", "catalog_keys", "lang_from_env", "render", "term"]
