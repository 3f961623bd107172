"""Templates parsed once (kpi_cli/i18n/catalog.py `_compiled`) render what `string.Formatter` renders.

The reference is the general path the catalog always had: `_Formatter(lang).vformat(template, (),
params)`, the standard library parsing the template on every call and calling kpi's
`format_field` for each field. The compiled path must agree on every shipped template (with
values of every kind a finding carries) and on generated templates, including the fields it hands
back to the general path (attribute, index, positional, auto-numbered, conversions, nested specs)
and the errors a missing or positional field raises.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.i18n import Lang, Wording, catalog, render
from kpi_cli.i18n.values import Quantity, Term, Unit

KEY = "test.compiled"


def reference(template: str, params: dict[str, Any], lang: Lang) -> str:
    return catalog._Formatter(lang).vformat(template, (), dict(params))


def outcome(call: Any, *args: Any) -> tuple[str, Any]:
    try:
        return ("text", call(*args))
    except Exception as exc:  # the same failure, of the same type, counts as agreeing
        return ("error", type(exc))


def render_installed(template: str, params: dict[str, Any], lang: Lang) -> str:
    saved = dict(catalog._EXTRA)
    catalog._EXTRA[lang] = {KEY: template}
    try:
        return render(Wording(KEY, params), lang)
    finally:
        catalog._EXTRA.clear()
        catalog._EXTRA.update(saved)


# Values of every kind a finding's params hold: typed quantities in each unit, counts, rates, names
# from files (control and bidi characters that `one_line` removes), dates, catalog words, phrases
# inside phrases and lists of them.
VALUES: list[Any] = [
    Quantity(-0.5220775796555219, Unit.SIGNED),
    Quantity(0.0049, Unit.RATE),
    Quantity(0.125, Unit.RATE, digits=2),
    Quantity(0.335, Unit.PERCENT),
    Quantity(0.04617, Unit.P_VALUE),
    Quantity(None, Unit.NUMBER),
    Quantity(float("nan"), Unit.RATE),
    259656.6813186813,
    119434.0,
    12,
    0.0437,
    float("inf"),
    None,
    True,
    "Campaign\u202e 00037\n\tsecond line\x1b[2J",
    "2026-11",
    "広告費",
    dt.date(2026, 12, 31),
    Term("status.met"),
    Wording("drop.average", {"first": "2026-09", "last": "2026-11"}),
    [Wording("subject.kpi", {"label": "cost", "period": "2026-12"}), "x", 3],
    ["a", "b"],
    (1.5, 2),
]


def shipped_templates() -> Iterator[tuple[Lang, str, str]]:
    for lang in Lang:
        for key, entry in catalog._catalog(lang).items():
            forms = [v for k, v in entry.items() if k != "count"] if isinstance(entry, dict) else [entry]
            for form in forms:
                yield lang, key, str(form)


def test_every_shipped_template_takes_the_compiled_path() -> None:
    templates = list(shipped_templates())
    assert len(templates) > 1000  # both catalogs and their parts were read
    left = [(lang.value, key) for lang, key, template in templates if catalog._compiled(template) is None]
    assert left == []


@pytest.mark.parametrize("lang", list(Lang))
def test_every_shipped_template_renders_as_the_formatter_renders_it(lang: Lang) -> None:
    compared = 0
    for template_lang, _key, template in shipped_templates():
        if template_lang is not lang:
            continue
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        for shift in range(3):  # each field takes three different kinds of value
            params = {name: VALUES[(i * 7 + shift * 5) % len(VALUES)] for i, name in enumerate(sorted(names))}
            compiled = outcome(render_installed, template, params, lang)
            assert compiled == outcome(reference, template, params, lang), template
            compared += compiled[0] == "text"
    assert compared > 1400  # ~500 templates a language, three times, each rendered (not an error)


def test_the_fields_left_to_the_formatter_render_as_it_renders_them() -> None:
    class Thing:
        value = Quantity(0.5, Unit.PERCENT)

    params = {"a": Thing(), "b": [10, 20], "c": 0.25, "d": "x", "0": "zero", "٣": "three"}
    for template in [
        "{a.value}",  # an attribute
        "{b[1]}",  # an index
        "{c:{d}}",  # a spec holding a field
        "{d!r}",  # a conversion
        "{0}",  # positional: no positional args, an IndexError
        "{}",  # auto-numbered: the same
        "{٣}",  # all decimal digits (Arabic-Indic): positional too
        "{c:percent} and {e}",  # a missing name: KeyError
        "{{literal}} {d}",
        "{c:rate}",
        "unclosed {d",  # a ValueError from the parser itself
    ]:
        for lang in Lang:
            compiled = outcome(render_installed, template, params, lang)
            assert compiled == outcome(reference, template, params, lang), template
    assert catalog._compiled("{a.value}") is None
    assert catalog._compiled("{c:{d}}") is None
    assert catalog._compiled("{d!r}") is None
    assert catalog._compiled("{{literal}} {d}") is not None
    assert catalog._compiled("{a}{a:x{{y}") is None  # malformed: vformat's KeyError comes first


names = st.sampled_from(["a", "b", "label", "日本", "a.b", "a[0]", "0", "", "١", "a]b", "x-y"])
fields = st.builds(
    lambda name, conversion, spec: "{" + name + conversion + (":" + spec if spec is not None else "") + "}",
    names,
    st.sampled_from(["", "", "", "!r", "!s"]),
    st.one_of(st.none(), st.sampled_from(["", "percent", "rate", "signed", "p_value", "{b}", "x{{y"])),
)
literals = st.lists(st.sampled_from([*"ab {}\n%:!.日", "{{", "}}"]), max_size=6).map("".join)
templates = st.lists(st.one_of(literals, fields), max_size=6).map("".join)
param_values = st.sampled_from(VALUES)


@settings(max_examples=400, deadline=None)
@given(templates, st.dictionaries(st.sampled_from(["a", "b", "label", "日本", "a]b", "x-y"]), param_values))
def test_generated_templates_render_as_the_formatter_renders_them(
    template: str, params: dict[str, Any]
) -> None:
    for lang in Lang:
        assert outcome(render_installed, template, params, lang) == outcome(reference, template, params, lang)


def test_a_changed_extra_message_or_reloaded_catalog_is_seen() -> None:
    """The merged catalog is kept per pair of dicts, so a new pair is merged again, not missed."""
    assert render_installed("one {d}", {"d": "x"}, Lang.EN) == "one x"
    assert render_installed("two {d}", {"d": "x"}, Lang.EN) == "two x"
    catalog._catalog.cache_clear()
    try:
        assert KEY not in catalog.catalog_keys(Lang.EN)
        assert render(Wording("drop.average", {"first": "2026-09", "last": "2026-11"}), Lang.EN) == (
            "the 2026-09..2026-11 average"
        )
    finally:
        catalog._catalog.cache_clear()
