"""The names `--format` accepts, kept light so that `kpi --help` needs no pandas (renderers: formats.py)."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    JUNIT = "junit"  # CI test reporters (GitLab, Jenkins, GitHub test-report actions)
    GITHUB = "github"  # GitHub Actions workflow commands (annotations)
