"""Click's usage errors, worded by kpi's catalogs: click says them in English only.

The three a user meets (an unknown option, a value not among the choices, a missing option) are
rebuilt from what the exception holds; any other keeps click's English, on one line.
"""

from __future__ import annotations

import re

from kpi_cli.i18n.catalog import Lang, Wording, render
from kpi_cli.untrusted import one_line

_INVALID_VALUE = re.compile(r"^Invalid value for '(--[\w-]+)'(?: / '-\w')?: (?:Value error, )?")
_NOT_ONE_OF = re.compile(r"^(?:--[\w-]+: )?'(?P<value>[^']*)' is not one of (?P<choices>'.*')\.?$")


def usage_problem(exc: Exception, lang: Lang) -> str:
    kind = type(exc).__name__  # click is vendored by typer (typer._click): matched by name
    option = _option(exc)
    if kind == "NoSuchOption":
        name = str(getattr(exc, "option_name", ""))
        close = [str(p) for p in getattr(exc, "possibilities", None) or []]
        key = "error.usage.no_such_option.close" if close else "error.usage.no_such_option"
        return render(Wording(key, {"option": name, "close": close}), lang)
    if kind == "MissingParameter" and option:
        return render(Wording("error.usage.missing", {"option": option}), lang)
    # "Invalid value for '--format': Value error, ..." said the way kpi's own checks say it.
    message = _INVALID_VALUE.sub(r"\1: ", one_line(_message(exc)))
    chosen = _NOT_ONE_OF.search(message)
    if kind == "BadParameter" and option and chosen:
        choices = re.findall(r"'([^']*)'", chosen["choices"])
        params = {"option": option, "value": one_line(chosen["value"], 40), "choices": choices}
        return render(Wording("error.usage.choice", params), lang)
    if kind == "BadParameter" and option and "valid integer" in message:
        return render(Wording("error.usage.integer", {"option": option}), lang)
    return message


def _option(exc: Exception) -> str:
    param = getattr(exc, "param", None)
    names = [n for n in getattr(param, "opts", []) if n.startswith("--")]
    return names[0] if names else ""


def _message(exc: Exception) -> str:
    format_message = getattr(exc, "format_message", None)
    return str(format_message() if callable(format_message) else exc)
