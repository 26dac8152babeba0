"""Conditions of a rule on a record's fields, as written in TOML.

    when = { tier = "VIP" }                       equal (text compared case-insensitively)
    when = { tier = ["VIP", "金卡"] }              any of
    when = { points = { ">=" = 500 } }            compare: >=, >, <=, <, ==, !=
    when = { type = { contains = ["退", "换"] } }  text contains any of
    when = { visited_on = { set = false } }       empty / not empty
    when = { new_season = true }                  yes/no columns
A field is a record attribute, or for customers an extra column by its header.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING

from followup_cli.text.messages import Msg, msg

if TYPE_CHECKING:
    from collections.abc import Callable

_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def field_value(record: object, name: str) -> object:
    if hasattr(record, name):
        return getattr(record, name)
    extra = getattr(record, "extra", None)
    if extra:
        return extra.get(name)
    return None


def _fold(text: str) -> str:
    """Text as a condition compares it: trimmed, lower case, full-width forms folded (ＶＩＰ is VIP)."""
    t = text.strip().lower()
    return t if t.isascii() else unicodedata.normalize("NFKC", t)


def _norm(value):
    if isinstance(value, str):
        return _fold(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _coerce_pair(a, b):
    """Compare like with like: numbers with numbers, dates with dates."""
    if isinstance(b, (int, float)) and isinstance(a, str):
        try:
            return float(a), b
        except ValueError:
            return None, b
    if isinstance(b, dt.date) and isinstance(a, dt.datetime):
        return a.date(), b
    return a, b


def satisfies(value: object, cond: object) -> bool:
    """Whether a field value meets a condition from the settings (a value, a list of values, or
    a table of operators such as {">=" = 500}, {"contains" = "VIP"}, {"not" = ...})."""
    if isinstance(cond, dict):
        for op, arg in cond.items():
            if op == "set":
                if (value not in (None, "")) != bool(arg):
                    return False
            elif op == "contains":
                words = arg if isinstance(arg, list) else [arg]
                text = "" if value is None else _fold(str(value))
                if not any(_fold(str(w)) in text for w in words):
                    return False
            elif op == "not":
                if satisfies(value, arg):
                    return False
            elif op in _OPS:
                if value is None:
                    return False
                a, b = _coerce_pair(value, arg)
                if a is None:
                    return False
                try:
                    if not _OPS[op](a, b):
                        return False
                except TypeError:
                    return False
            else:
                raise ValueError(f"unknown condition operator '{op}'")
        return True
    if isinstance(cond, list):
        return any(satisfies(value, c) for c in cond)
    if isinstance(cond, bool):
        return value is cond or value == cond
    return _norm(value) == _norm(cond)


OPERATORS = tuple(_OPS) + ("set", "contains", "not")


def validate(conditions: object) -> Msg | None:
    """A sentence saying what is wrong with a condition table, or None."""
    if not isinstance(conditions, dict):
        return msg(
            f'条件要写成表，例如 {{ tier = "VIP" }}，而不是 {conditions!r}',
            f'conditions are a table such as {{ tier = "VIP" }}, not {conditions!r}',
        )

    def check(name, cond):
        for c in cond if isinstance(cond, list) else [cond]:
            if isinstance(c, dict):
                for op, arg in c.items():
                    if op not in OPERATORS:
                        return msg(
                            f"“{name}”的条件：不认识的运算符“{op}”（可用 {'、'.join(OPERATORS)}）",
                            f"condition on '{name}': unknown operator '{op}' (use {', '.join(OPERATORS)})",
                        )
                    if op == "not":
                        problem = check(name, arg)
                        if problem:
                            return problem
        return None

    for name, cond in conditions.items():
        problem = check(name, cond)
        if problem:
            return problem
    return None


def _compile_one(name: str, cond):
    """A test of one field, with the common shapes (equal to text, one of several texts, a
    yes/no, a comparison with a number) decided once instead of on every record."""

    def get(record):
        try:
            return getattr(record, name)
        except AttributeError:
            extra = getattr(record, "extra", None)
            return extra.get(name) if extra else None

    if isinstance(cond, bool):
        return lambda record: get(record) is cond or get(record) == cond
    if isinstance(cond, str):
        want = _fold(cond)
        return lambda record: _norm(get(record)) == want
    if isinstance(cond, list) and all(isinstance(c, str) for c in cond):
        wanted = {_fold(c) for c in cond}

        def one_of(record):
            value = get(record)
            if not isinstance(value, str):
                return False
            v = value.strip().lower()
            return (v if v.isascii() else unicodedata.normalize("NFKC", v)) in wanted

        return one_of
    return lambda record: satisfies(get(record), cond)


def compile_conditions(conditions: dict) -> Callable[[object], bool]:
    """The conditions as one function record → bool, built once per rule."""
    tests = [_compile_one(name, cond) for name, cond in conditions.items()]
    if not tests:
        return lambda record: True
    if len(tests) == 1:
        return tests[0]
    return lambda record: all(t(record) for t in tests)
