"""Catalog parts: `en.yaml` plus `en.<part>.yaml` files, merged, a key defined twice refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.i18n import Lang, catalog


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(catalog.resources, "files", lambda _package: tmp_path)
    catalog._catalog.cache_clear()
    yield tmp_path
    catalog._catalog.cache_clear()


def test_parts_are_merged_and_other_languages_ignored(folder: Path) -> None:
    (folder / "en.yaml").write_text("a: one\n", encoding="utf-8")
    (folder / "en.history.yaml").write_text("b: two\n", encoding="utf-8")
    (folder / "ja.history.yaml").write_text("c: 三\n", encoding="utf-8")
    assert catalog._catalog(Lang.EN) == {"a": "one", "b": "two"}


def test_a_key_in_two_files_is_refused(folder: Path) -> None:
    (folder / "en.yaml").write_text("a: one\n", encoding="utf-8")
    (folder / "en.compare.yaml").write_text("a: again\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"en\.compare\.yaml repeats catalog keys: a"):
        catalog._catalog(Lang.EN)


def test_the_fast_parser_reads_every_shipped_catalog_as_the_python_one_does() -> None:
    """libyaml (when present) parses the catalogs for speed; it must yield the very same entries."""
    from importlib import resources

    import yaml

    shipped = [e for e in resources.files("kpi_cli.i18n").iterdir() if e.name.endswith(".yaml")]
    assert len(shipped) >= 4
    for entry in shipped:
        text = entry.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=catalog._UniqueKeys) == yaml.safe_load(text), entry.name
