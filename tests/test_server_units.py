"""The language server's pure parts: positions, diagnostics, hovers and the suppression edits
(applied to the text and checked again: the finding must be gone, with no suppression
finding in its place)."""

from __future__ import annotations

import textwrap

import pytest

from slint.engine import check_text
from slint.findings import Finding
from slint.server import actions, convert

TEMPLATE = textwrap.dedent("""\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: .
          FunctionUrlConfig:
            AuthType: NONE
    """)


def _apply(text: str, edit: dict) -> str:
    lines = text.split("\n")
    s, e = edit["range"]["start"], edit["range"]["end"]
    assert (s["line"], s["character"]) == (e["line"], e["character"]) and s["character"] == 0
    lines.insert(s["line"], edit["newText"].rstrip("\n"))
    return "\n".join(lines)


def _diag(text: str, code: str) -> dict:
    f = next(f for f in check_text(text, "t.yaml").findings if f.rule == code)
    return convert.diagnostic(f, convert.Lines(text))


def test_utf16_columns_count_surrogate_pairs():
    lines = convert.Lines("a: \U0001F600x\n")
    assert lines.utf16(1, 5) == {"line": 0, "character": 5}   # the emoji is two UTF-16 units
    assert lines.codepoint(0, 5) == (1, 5)


def test_diagnostic_shape():
    d = _diag(TEMPLATE, "API002")
    assert d["range"]["start"] == {"line": 9, "character": 18}  # the value `NONE`
    assert d["severity"] == 1 and d["source"] == "slint" and d["code"] == "API002"
    assert d["codeDescription"]["href"].endswith("API002.md")
    assert d["data"]["resource"] == "Fn"


def test_unused_suppression_is_tagged_unnecessary():
    f = Finding(rule="SUP002", name="unused-suppression", category="SYNTAX", severity="low",
                message="m", file="t.yaml", line=1, column=1, end_line=1, end_column=3,
                resource=None)
    assert convert.diagnostic(f, convert.Lines("ab\n"))["tags"] == [1]


@pytest.mark.parametrize("make", [actions.inline_suppression, actions.metadata_suppression])
def test_suppression_edits_suppress(make):
    d = _diag(TEMPLATE, "API002")
    act = make("file:///t.yaml", TEMPLATE, d)
    (edit,) = act["edit"]["changes"]["file:///t.yaml"]
    fixed = _apply(TEMPLATE, edit)
    codes = [f.rule for f in check_text(fixed, "t.yaml").findings]
    assert "API002" not in codes and not [c for c in codes if c.startswith("SUP")], (fixed, codes)


def test_metadata_edit_joins_an_existing_ignore_list():
    text = TEMPLATE.replace("    Type: AWS::Serverless::Function\n", textwrap.indent(textwrap.dedent("""\
        Type: AWS::Serverless::Function
        Metadata:
          slint:
            ignore:
              - rule: IAM001
                reason: reviewed
        """), "    "), 1)
    d = _diag(text, "API002")
    act = actions.metadata_suppression("file:///t.yaml", text, d)
    fixed = _apply(text, act["edit"]["changes"]["file:///t.yaml"][0])
    codes = [f.rule for f in check_text(fixed, "t.yaml").findings]
    assert "API002" not in codes
    assert codes == ["SUP002"]  # the IAM001 entry matches nothing, as before


def test_no_inline_comment_inside_a_block_scalar_or_json():
    d = {"range": {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 4}},
         "code": "IAM001", "source": "slint", "data": {}}
    assert actions.inline_suppression("file:///t.yaml", "a: |\n  x\n  y\n", d) is None
    assert actions.inline_suppression("file:///t.json", '{"a": 1}\n', d) is None


def test_hover_text_names_rule_and_fix():
    d = _diag(TEMPLATE, "API002")
    text = convert.hover_markdown([d], {"API002": "Flags function URLs."})
    assert text.startswith("**API002**") and "Flags function URLs." in text and "**Fix:**" in text
