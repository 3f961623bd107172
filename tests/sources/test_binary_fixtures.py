"""The committed binary fixtures are what make_binary_fixtures.py writes (text ones byte for byte)."""

import codecs
import importlib.util

import pytest

from kpi_cli.sources.reader import decode


@pytest.fixture(scope="module")
def maker(fixtures):
    spec = importlib.util.spec_from_file_location(
        "make_binary_fixtures", fixtures / "make_binary_fixtures.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "attribute", "encoding", "bom"),
    [
        ("google_ads/campaign_report.csv", "GOOGLE_ADS", "utf-16-le", codecs.BOM_UTF16_LE),
        ("line/message_report.csv", "LINE", "cp932", b""),
        ("yahoo_ads/campaign_report.csv", "YAHOO_ADS", "cp932", b""),
        ("x/tweet_activity_metrics_acme_jp.csv", "X_JA", "utf-8", codecs.BOM_UTF8),
    ],
)
def test_committed_bytes_match_the_script(fixtures, maker, name, attribute, encoding, bom):
    expected = bom + getattr(maker, attribute).replace("\n", "\r\n").encode(encoding)
    assert (fixtures / name).read_bytes() == expected


def test_cp932_fixtures_are_not_valid_utf8(fixtures):
    assert decode(fixtures / "line/message_report.csv")[1] == "cp932"
    assert decode(fixtures / "yahoo_ads/campaign_report.csv")[1] == "cp932"
