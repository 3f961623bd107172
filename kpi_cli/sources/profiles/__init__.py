"""The built-in platform profiles by name, plus the user's YAML profiles (see user_defined.py)."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.sources.profile import Profile
from kpi_cli.sources.profiles import (
    facebook_page,
    ga4,
    generic,
    google_ads,
    hubspot,
    instagram,
    klaviyo,
    line,
    linkedin,
    mailchimp,
    meta_ads,
    meta_insights,
    search_console,
    tiktok,
    x,
    yahoo_ads,
    youtube,
)
from kpi_cli.sources.profiles.user_defined import load_profiles

BUILTIN: tuple[Profile, ...] = (
    x.PROFILE,
    meta_ads.PROFILE,
    facebook_page.PROFILE,
    instagram.PROFILE,
    meta_insights.PROFILE,
    youtube.PROFILE,
    tiktok.PROFILE,
    linkedin.PROFILE,
    google_ads.PROFILE,
    ga4.PROFILE,
    search_console.PROFILE,
    mailchimp.CAMPAIGNS,
    mailchimp.AUDIENCE,
    klaviyo.PROFILE,
    hubspot.PROFILE,
    line.PROFILE,
    yahoo_ads.PROFILE,
    generic.PROFILE,
)


def available(profiles_dir: Path | None = None) -> list[Profile]:
    """User profiles first: on equal detection scores the user's own description wins."""
    return [*load_profiles(profiles_dir), *BUILTIN]


def by_name(profiles: list[Profile]) -> dict[str, Profile]:
    return {profile.name: profile for profile in reversed(profiles)}
