"""One bilingual mechanism: outside followup_cli/text/, no code chooses between a Chinese
and an English text by hand. Text is written with `msg(zh, en)` (shown with `.text(lang)`)
or kept as (zh, en) pairs read with `pick(pair, lang)` (docs/design.md).

The shapes caught (each reported as file:line):
- `"中文" if zh else "English"`: a conditional expression on the language (a name or
  attribute called zh/en/lang/..._lang, or a comparison with "zh"/"en") whose two branches
  are both text: string literals, f-strings, sums or joins of them, tuples of them, or a
  nested conditional of them. A choice between the codes "zh" and "en" themselves is not text.
- `f.zh if lang == "zh" else f.en`: the two branches are twins that differ only in zh↔en
  (names, attributes, keys such as "band_zh"/"band_en", or rule_zh/rule) or in the index
  0↔1 of a pair.
- Chinese text on one side of such a choice only (`f"周{d}" if zh else d`).
- `pair[0 if zh else 1]`, `labels["zh" if zh else "en"]`: half of a (zh, en) pair or of a
  dict keyed zh/en picked by hand.
- `if lang == "zh": return "..."` with one statement a side that returns, assigns to the
  same name, or makes the same call, with text differing by language (the else side may be
  the next `return`): the statement form of the same choice.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "followup_cli"
CATALOGUE = PACKAGE / "text"

_LANG_NAME = re.compile(r"^(zh|en|is_zh|lang|\w+_lang)$")
_TWIN = re.compile(r"(?<![a-z])(zh|en)(?![a-z])")
_SUFFIX = re.compile(r"_(zh|en)$")  # rule_zh is the twin of rule_en, and of plain rule
_CJK = re.compile("[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
LANG_CODES = {"zh", "en"}


def _names_language(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and _LANG_NAME.match(n.id):
            return True
        if isinstance(n, ast.Attribute) and _LANG_NAME.match(n.attr):
            return True
        if isinstance(n, ast.Constant) and n.value in LANG_CODES:
            return True
    return False


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value not in LANG_CODES
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # "、".join(...), "{}".format(...)
        return _is_text(node.func.value)
    if isinstance(node, (ast.Tuple, ast.List)):
        return bool(node.elts) and all(_is_text(e) for e in node.elts)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) and _is_text(node.orelse)
    return False


def _twin_word(word: str) -> str:
    return _TWIN.sub("@", _SUFFIX.sub("", word))


def _has_chinese(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and _CJK.search(n.value) for n in ast.walk(node)
    )


class _TwinKey(ast.NodeTransformer):
    """zh and en (as a word in a name, an attribute or a key) and a pair's index 0/1 made alike."""

    def visit_Name(self, node):
        return ast.Name(id=_twin_word(node.id), ctx=ast.Load())

    def visit_Attribute(self, node):
        return ast.Attribute(value=self.visit(node.value), attr=_twin_word(node.attr), ctx=ast.Load())

    def visit_Constant(self, node):
        return ast.Constant(value=_twin_word(node.value) if isinstance(node.value, str) else node.value)

    def visit_Subscript(self, node):
        index = node.slice
        if isinstance(index, ast.Constant) and index.value in (0, 1) and not isinstance(index.value, bool):
            index = ast.Constant(value="@")
        else:
            index = self.visit(index)
        return ast.Subscript(value=self.visit(node.value), slice=index, ctx=ast.Load())


def _twins(a: ast.AST, b: ast.AST) -> bool:
    if ast.dump(a) == ast.dump(b) or all(isinstance(n, ast.Constant) and n.value in LANG_CODES for n in (a, b)):
        return False
    return ast.dump(_TwinKey().visit(copy.deepcopy(a))) == ast.dump(_TwinKey().visit(copy.deepcopy(b)))


def _is_pair_index(node: ast.AST) -> bool:
    """`0 if zh else 1` (or 1/0): half of a (zh, en) pair chosen by hand."""
    return (
        isinstance(node, ast.IfExp)
        and _names_language(node.test)
        and {getattr(node.body, "value", None), getattr(node.orelse, "value", None)} == {0, 1}
    )


def _is_code_index(node: ast.AST) -> bool:
    """`"zh" if zh else "en"` as a key: one half of a dict keyed zh/en, chosen by hand."""
    return (
        isinstance(node, ast.IfExp)
        and _names_language(node.test)
        and {getattr(node.body, "value", None), getattr(node.orelse, "value", None)} == LANG_CODES
    )


def _text_choice(a: ast.AST, b: ast.AST) -> bool:
    if _is_text(a) and _is_text(b):
        return True
    # Chinese on one side only: 周一 for a Chinese reader, Mon otherwise
    return (_is_text(a) and _has_chinese(a)) or (_is_text(b) and _has_chinese(b)) or _twins(a, b)


def _produced(stmts: list[ast.stmt]):
    """What a one-statement branch does with which values: ("return", [value]), (targets,
    [value]) for an assignment, (the function, [args]) for a call such as note(...); else None."""
    if len(stmts) != 1:
        return None
    s = stmts[0]
    if isinstance(s, ast.Return) and s.value is not None:
        return ("return", [s.value])
    if isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and s.value is not None:
        targets = s.targets if isinstance(s, ast.Assign) else [s.target]
        return (tuple(ast.dump(t) for t in targets), [s.value])
    if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and not s.value.keywords:
        return ("call " + ast.dump(s.value.func), list(s.value.args))
    return None


def _branches_differ_in_text(a, b) -> bool:
    """The same statement on both sides, differing only in text chosen by language."""
    if a is None or b is None or a[0] != b[0] or len(a[1]) != len(b[1]):
        return False
    differ = [(x, y) for x, y in zip(a[1], b[1]) if ast.dump(x) != ast.dump(y)]
    return bool(differ) and all(_text_choice(x, y) for x, y in differ)


def _blocks(tree: ast.AST):
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def inline_choices(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, code) of every hand-made choice of text by language in `tree`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp) and _names_language(node.test) and _text_choice(node.body, node.orelse):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Subscript) and (_is_pair_index(node.slice) or _is_code_index(node.slice)):
            found.append((node.lineno, ast.unparse(node)))
    for block in _blocks(tree):
        for i, node in enumerate(block):
            if not (isinstance(node, ast.If) and _names_language(node.test)):
                continue
            body = _produced(node.body)
            # `if lang == "zh": return A` followed by `return B` is an if/else too
            if node.orelse:
                orelse = _produced(node.orelse)
            else:
                orelse = _produced(block[i + 1 : i + 2])
                orelse = orelse if orelse and orelse[0] == "return" else None
            if _branches_differ_in_text(body, orelse):
                found.append((node.lineno, "if " + ast.unparse(node.test)))
    return sorted(found)


def offences(root: Path, catalogue: Path) -> list[str]:
    """'followup_cli/x/y.py:LINE: code' for each choice outside the catalogue."""
    out = []
    for path in sorted(root.rglob("*.py")):
        if catalogue == path.parent or catalogue in path.parents:
            continue
        for line, code in inline_choices(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            out.append(f"{path.relative_to(root.parent).as_posix()}:{line}: {code[:120]}")
    return out


def test_no_inline_language_choice_outside_the_catalogue():
    found = offences(PACKAGE, CATALOGUE)
    assert not found, (
        "choose Chinese or English text with msg(zh, en) or a label table in followup_cli/text/ "
        "(pick(pair, lang)), not inline:\n" + "\n".join(found)
    )


CAUGHT = [
    'x = "是" if zh else "yes"',
    'x = f"共 {n} 条" if lang == "zh" else f"{n} rows"',
    'x = ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")',
    'x = ("是", "否") if lang == "zh" else ("yes", "no")',
    'x = "、".join(a) if zh else ", ".join(a)',
    'x = ("注意：" + zh) if out_lang == "zh" else ("note: " + en)',
    'x = f.zh if lang == "zh" else f.en',
    'x = task.rule.script_zh if lang == "zh" else task.rule.script_en',
    'x = r["band_zh"] if zh else r["band_en"]',
    'x = pair[0] if lang == "zh" else pair[1]',
    'x = "band_zh" if lang == "zh" else "band_en"',
    'x = SHEET_TITLE["zh"] if self.lang == "zh" else SHEET_TITLE["en"]',
    "x = zh_h if zh else en_h",
    'def f(lang):\n    if lang == "zh":\n        return "本店"\n    else:\n        return "our shop"',
    'def f(lang):\n    if lang == "en":\n        return f"lunar {m}/{d}"\n    return f"农历{m}"',
    'if sheet_lang == "zh":\n    t = f"{n} 条"\nelse:\n    t = f"{n} rows"',
    'if archive.lang == "zh":\n    note(f"已写入 {out}", quiet)\nelse:\n    note(f"wrote {out}", quiet)',
    "x = HOW[key][0 if zh else 1]",
    'x = labels[k][1 if lang == "en" else 0]',
    'x = ROLES[role]["zh" if zh else "en"]',
    'x = f"周{w}" if lang == "zh" else w',
    'x = f.rule_zh if lang == "zh" else f.rule',
]
LEFT_ALONE = [
    'x = "zh" if zh else "en"',  # a language code, not text
    "x = 0 if zh else 1",  # an index, until it picks half of a pair
    "x = row[0 if first else 1]",
    'x = pick(("是", "yes"), lang)',
    'x = msg("是", "yes").text(lang)',
    'x = "a4" if lang == "zh" else paper',
    'x = "；" if strict else "; "',  # not a language test
    'x = row["a"] if lang == "zh" else row["b"]',  # not twins
    "x = f.zh if f else name",
    'x = "a4" if lang == "zh" else default_paper()',
    "x = ROLES[role][lang]",
    'def f(lang):\n    if lang == "zh":\n        return "a4"\n    for v in X:\n        pass\n    return paper()',
    'def f(lang):\n    if lang == "zh":\n        return "a4"\n    return paper()',
    'if lang == "zh":\n    x = "是"\ny = "yes"',  # the next statement is no else
    'if lang == "zh":\n    note(a, quiet)\nelse:\n    note(b, quiet)',
]


@pytest.mark.parametrize("source", CAUGHT)
def test_the_shapes_are_caught(source):
    assert inline_choices(ast.parse(source)), source


@pytest.mark.parametrize("source", LEFT_ALONE)
def test_other_choices_are_left_alone(source):
    assert not inline_choices(ast.parse(source)), source


def test_an_offence_is_named_by_file_and_line(tmp_path):
    pkg = tmp_path / "followup_cli"
    (pkg / "outputs").mkdir(parents=True)
    (pkg / "text").mkdir()
    (pkg / "outputs" / "x.py").write_text('a = 1\nb = "是" if lang == "zh" else "yes"\n', encoding="utf-8")
    (pkg / "text" / "y.py").write_text('b = "是" if lang == "zh" else "yes"\n', encoding="utf-8")
    assert offences(pkg, pkg / "text") == ["followup_cli/outputs/x.py:2: '是' if lang == 'zh' else 'yes'"]
