"""``openapi/api_diff.py``: the classifier of two public API reports, rule by rule."""

from __future__ import annotations

import doctest

import pytest

from tests.openapi import load_script

api_diff = load_script("api_diff")

BASE = """\
module p.models
class p.models.M(attrs)
field p.models.M.name: str = <required> wire "name"
field p.models.M.note: str | Unset = UNSET wire "note"
enum p.models.E(StrEnum)
member p.models.E.A = "a"
function p.api.op.sync(*, client: Client, limit: int | Unset = 10 wire "limit") -> Page | None
"""


def classified(old: str, new: str) -> list[tuple[str, str, str | None, str]]:
    return [(c.kind, c.path, c.wire, c.what) for c in api_diff.classify(old, new)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # breaking
        (
            'field p.models.M.note: str | Unset = UNSET wire "note"',
            "",
            ("breaking", "p.models.M.note", "note", "field removed"),
        ),
        ('member p.models.E.A = "a"', "", ("breaking", "p.models.E.A", "a", "enum member removed")),
        (
            'field p.models.M.name: str = <required> wire "name"',
            'field p.models.M.name: int = <required> wire "name"',
            ("breaking", "p.models.M.name", "name", "field type `str` -> `int`"),
        ),
        (
            'field p.models.M.note: str | Unset = UNSET wire "note"',
            'field p.models.M.note: str = <required> wire "note"',
            ("breaking", "p.models.M.note", "note", "field becomes required (was `= UNSET`)"),
        ),
        (
            "",
            'field p.models.M.extra: str = <required> wire "x"',
            ("breaking", "p.models.M.extra", "x", "new required field (a required constructor argument)"),
        ),
        (
            'function p.api.op.sync(*, client: Client, limit: int | Unset = 10 wire "limit") -> Page | None',
            'function p.api.op.sync(*, client: Client, limit: int wire "limit") -> Page | None',
            ("breaking", "p.api.op.sync(limit)", "limit", "parameter becomes required (was `= 10`)"),
        ),
        (
            'function p.api.op.sync(*, client: Client, limit: int | Unset = 10 wire "limit") -> Page | None',
            'function p.api.op.sync(*, client: Client, limit: int | Unset = 10 wire "limit") -> Other | None',
            ("breaking", "p.api.op.sync", None, "return type `Page | None` -> `Other | None`"),
        ),
        # additive
        (
            "",
            'field p.models.M.more: str | Unset = UNSET wire "more"',
            ("additive", "p.models.M.more", "more", "new field"),
        ),
        ("", 'member p.models.E.B = "b"', ("additive", "p.models.E.B", "b", "new enum member")),
        (
            'field p.models.M.name: str = <required> wire "name"',
            'field p.models.M.name: str | None = <required> wire "name"',
            ("additive", "p.models.M.name", "name", "field type `str` -> `str | None`"),
        ),
        (
            'function p.api.op.sync(*, client: Client, limit: int | Unset = 10 wire "limit") -> Page | None',
            'function p.api.op.sync(*, client: Client, limit: int | Unset = 10 wire "limit", q: str | Unset = UNSET wire "q") -> Page | None',
            ("additive", "p.api.op.sync(q)", "q", "new optional parameter"),
        ),
        # neutral
        (
            'field p.models.M.name: str = <required> wire "name"',
            'field p.models.M.name: str = <required> wire "Name"',
            ("neutral", "p.models.M.name", "Name", "wire name `name` -> `Name`"),
        ),
    ],
)
def test_each_rule(old: str, new: str, expected: tuple[str, str, str | None, str]) -> None:
    before = BASE if not old else BASE
    after = BASE.replace(old + "\n", new + "\n" if new else "") if old else BASE + new + "\n"
    assert classified(before, after) == [expected]


def test_a_removed_class_is_one_item_and_its_fields_are_not_repeated() -> None:
    after = "\n".join(
        line for line in BASE.splitlines() if "p.models.M" not in line.split(" ")[1][:10] or "models.M" not in line
    )
    changes = classified(BASE, after)
    assert ("breaking", "p.models.M", None, "class removed") in changes
    assert not any(path.startswith("p.models.M.") for _, path, _, _ in changes)


def test_ordering_and_unchanged_reports_are_neutral() -> None:
    shuffled = "\n".join(reversed(BASE.splitlines())) + "\n"
    assert classified(BASE, shuffled) == []
    assert api_diff.verdict(api_diff.classify(BASE, shuffled)) == "neutral"
    assert "No change to the public API report." in api_diff.markdown([])


def test_markdown_groups_by_kind_then_package() -> None:
    text = api_diff.markdown(api_diff.classify(BASE, BASE.replace('member p.models.E.A = "a"\n', "")))
    assert text.splitlines()[:6] == [
        "## Python API changes: breaking",
        "",
        "### Breaking (1)",
        "",
        "#### p",
        "",
    ]
    assert "- `p.models.E.A` (wire `a`): enum member removed" in text


def test_module_examples_hold() -> None:
    assert doctest.testmod(api_diff).failed == 0
