"""Generated rule docs: in sync with the rules, the same text as `slint explain`, and the
generator's drift check really detects drift."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from slint.cli import app
from slint.rules import all_rules

from .conftest import ROOT

RULES = all_rules()


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_docs_are_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, ("rule docs drifted from the rules' docstrings; run "
                                  "`python scripts/gen_docs.py` and commit the result:\n"
                                  + proc.stderr)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_prints_the_rule_page(rule):
    page = ROOT / "docs" / "rules" / f"{rule.code}.md"
    out = CliRunner().invoke(app, ["explain", rule.code])
    assert out.exit_code == 0, out.output
    assert out.output.rstrip("\n") == page.read_text(encoding="utf-8").rstrip("\n")
    assert out.output.startswith(f"# {rule.code} {rule.name}\n")
    assert "## What it does" in out.output and "## References" in out.output


def test_readme_table_lists_every_rule():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("<!-- rules:start -->"):text.index("<!-- rules:end -->")]
    rows = [ln for ln in table.splitlines() if ln.startswith("| [")]
    assert [re.match(r"\| \[([A-Z0-9]+)\]", ln).group(1) for ln in rows] == sorted(r.code for r in RULES)
    for r, row in zip(sorted(RULES, key=lambda r: r.code), rows):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert cells[0] == f"[{r.code}](docs/rules/{r.code}.md)"
        assert cells[1:4] == [f"`{r.name}`", r.category.value,
                              r.severity.value + ("" if r.enabled_by_default else " (opt-in)")]
        assert cells[4] and "\n" not in cells[4]


def test_summary_is_the_first_sentence():
    gen = _gen_docs()

    class Fake:
        name = "fake"
        __doc__ = """## What it does
        Flags things | with pipes. And then more
        text.

        ## Why is this bad?
        x
        """
    assert gen.summary(Fake) == "Flags things | with pipes."
    assert gen._cell(gen.summary(Fake)) == "Flags things \\| with pipes."

    class Listed:
        name = "listed"
        __doc__ = """## What it does
        Flags a thing that:
        - is odd;
        - is even.

        ## Why is this bad?
        x
        """
    assert gen.summary(Listed) == "Flags a thing that…"

    class Long:
        name = "long"
        __doc__ = "## What it does\n" + "word " * 30 + "`a long code span here` " * 10 + "end.\n"
    short = gen.summary(Long)
    assert len(short) <= gen.MAX_SUMMARY and short.endswith("…") and short.count("`") % 2 == 0


def test_check_mode_detects_drift_and_write_mode_fixes_it(tmp_path, monkeypatch, capsys):
    gen = _gen_docs()
    docs = tmp_path / "docs"
    (docs / "rules").mkdir(parents=True)
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- rules:start -->\nold table\n<!-- rules:end -->\n\nafter\n")
    cfn = docs / "cfn-lint.md"
    cfn.write_text("intro\n<!-- idmap:start -->\n<!-- idmap:end -->\nend\n")
    stale = docs / "rules" / "ZZZ999.md"
    stale.write_text("gone\n")
    keep = docs / "rules" / "notes.md"
    keep.write_text("not a rule page\n")
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "RULE_DOCS", docs / "rules")
    monkeypatch.setattr(gen, "README", readme)
    monkeypatch.setattr(gen, "CFNLINT_DOC", cfn)

    assert gen.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "README.md" in err and "ZZZ999.md" in err and f"{RULES[0].code}.md" in err
    assert readme.read_text().count("old table") == 1          # --check writes nothing

    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
    assert not stale.exists() and keep.exists()
    text = readme.read_text()
    assert "old table" not in text and text.endswith("<!-- rules:end -->\n\nafter\n")
    for r in RULES:
        assert (docs / "rules" / f"{r.code}.md").exists()
        assert f"[{r.code}](docs/rules/{r.code}.md)" in text
    assert "| [SYN001](rules/SYN001.md) | `E9001` |" in cfn.read_text()

    (docs / "rules" / f"{RULES[0].code}.md").write_text("edited by hand\n")
    assert gen.main(["--check"]) == 1


def test_generator_refuses_a_readme_without_markers(tmp_path, monkeypatch):
    gen = _gen_docs()
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "RULE_DOCS", tmp_path / "rules")
    monkeypatch.setattr(gen, "README", readme)
    monkeypatch.setattr(gen, "CFNLINT_DOC", tmp_path / "absent.md")
    with pytest.raises(SystemExit, match="rules:start"):
        gen.main(["--check"])
    shutil.rmtree(tmp_path / "rules", ignore_errors=True)
