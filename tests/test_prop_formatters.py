"""Property tests of the formatters on findings built with arbitrary strings in message,
resource and file: every format renders; JSON and SARIF carry the strings exactly; JUnit is
well-formed XML; text and GitHub output keep one line per finding."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, strategies as st

from slint.engine import FileResult, RunResult
from slint.findings import Finding
from slint.formatters import FORMATS, render
from tests.props import props

# hypothesis' text() never draws lone surrogates: join characters ourselves
ANY = st.lists(st.characters() | st.sampled_from(["\ud800", "\udfff", "\udc80"]),
               max_size=40).map("".join)
NO_SURROGATE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
PRINTABLE = st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), max_size=40)
SEVERITIES = ["critical", "high", "medium", "low", "info"]
META = {"IAM001": {"name": "wildcard-action", "category": "IAM", "severity": "high",
                   "short": "s", "full": "f", "help": "h", "help_uri": "https://x", "fix": "x"}}


@st.composite
def results(draw, text):
    file = draw(text.filter(bool))
    n = draw(st.integers(1, 4))
    findings = []
    for i in range(n):
        line = draw(st.integers(1, 10_000))
        findings.append(Finding(
            rule="IAM001", name="wildcard-action", category="IAM",
            severity=draw(st.sampled_from(SEVERITIES)), message=draw(text), file=file, line=line,
            column=i + 1, end_line=line, end_column=i + 9, resource=draw(st.none() | text),
            path=["Resources", draw(text), i], fix=draw(st.none() | text)))
    findings.sort(key=Finding.sort_key)
    return RunResult([FileResult(file, "checked", list(findings), resources=1)], findings)


def _render_all(result) -> dict:
    return {fmt: render(fmt, result, rules_meta=META if fmt == "sarif" else None) for fmt in FORMATS}


def _check_json_and_sarif(result, outs) -> None:
    doc = json.loads(outs["json"])
    got = [(f["message"], f["resource"], f["file"]) for f in doc["findings"]]
    assert got == [(f.message, f.resource, f.file) for f in result.findings]
    sarif = json.loads(outs["sarif"])
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert len(texts) == len(result.findings)
    assert all(f.message in t for f, t in zip(result.findings, texts))


def _check_lines(result, outs) -> None:
    n = len(result.findings)
    text = outs["text"].splitlines()          # every Unicode line break counts
    assert len(text) == n + 2 and text[n] == "", outs["text"]
    gh = outs["github"].splitlines()
    assert len(gh) == n + 1 and all(line.startswith("::") for line in gh[:n]), outs["github"]


def _check_junit(result, outs) -> list:
    root = ET.fromstring(outs["junit"].encode("utf-8"))
    return [c for c in root.iter("testcase") if c.find("failure") is not None]


# ------------------------------------------------------------------ hold on main


@props(150)
@given(results(PRINTABLE))
def test_printable_strings_in_every_format(result):
    outs = _render_all(result)
    _check_json_and_sarif(result, outs)
    _check_lines(result, outs)
    cases = _check_junit(result, outs)
    assert [c.find("failure").get("message") for c in cases] == [f.message for f in result.findings]


@props(150)
@given(results(NO_SURROGATE))
def test_json_and_sarif_carry_any_string_exactly(result):
    _check_json_and_sarif(result, _render_all(result))


# ------------------------------------------------------------------ escaping (hardening item 3, 5)


@props(100)
@given(results(ANY))
def test_any_string_renders_as_utf8_in_every_format(result):
    for fmt, out in _render_all(result).items():
        assert out.encode("utf-8")


@props(150)
@given(results(NO_SURROGATE))
def test_text_and_github_keep_one_line_per_finding(result):
    _check_lines(result, _render_all(result))


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@props(150)
@given(results(NO_SURROGATE))
def test_text_and_github_have_no_control_characters(result):
    outs = _render_all(result)
    assert not CONTROL.search(outs["text"]) and not CONTROL.search(outs["github"])


@props(150)
@given(results(NO_SURROGATE))
def test_junit_is_well_formed_for_any_string(result):
    assert len(_check_junit(result, _render_all(result))) == len(result.findings)
