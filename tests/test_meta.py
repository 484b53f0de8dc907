"""Meta-tests: the registry, fixtures, docs and packaging stay complete and consistent."""

from __future__ import annotations

import inspect
import re
from slint._toml import tomllib

import pytest

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.rules import all_rules

from .conftest import FIXTURES, ROOT
from .helpers import run_text

RULES = all_rules()
SECTIONS = ["What it does", "Why is this bad?", "Example", "Use instead", "Known limitations",
            "References"]
# rules whose examples cannot be a template (the engine's own failure)
NO_EXAMPLE = {"INT001", "INT002", "INT003"}


def test_codes_unique_and_wellformed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for r in RULES:
        assert issubclass(r, Rule)
        assert re.fullmatch(r"[A-Z][A-Z0-9]{1,4}[0-9]{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert isinstance(r.category, Category) and isinstance(r.severity, Severity)
        assert r.message, r.code


def test_severity_not_encoded_in_code():
    for r in RULES:
        assert not r.code.startswith(("E", "W")) or r.code.startswith(("EC",)), r.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docs_complete(rule):
    doc = inspect.cleandoc(rule.__doc__ or "")
    heads = re.findall(r"^## (.+)$", doc, re.M)
    assert heads == SECTIONS, f"{rule.code}: sections {heads}"
    for sec in SECTIONS:
        body = _section(doc, sec)
        assert body.strip(), f"{rule.code}: empty section {sec!r}"


def _section(doc: str, name: str) -> str:
    m = re.search(r"^## " + re.escape(name) + r"\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    return m.group(1) if m else ""


def _code_block(text: str) -> str | None:
    m = re.search(r"```(?:yaml|json)\n(.*?)```", text, re.S)
    return m.group(1) if m else None


@pytest.mark.parametrize("rule", [r for r in RULES if r.code not in NO_EXAMPLE], ids=lambda r: r.code)
def test_docs_examples(rule):
    doc = inspect.cleandoc(rule.__doc__ or "")
    bad = _code_block(_section(doc, "Example"))
    good = _code_block(_section(doc, "Use instead"))
    assert bad and good, f"{rule.code}: Example and Use instead need a ```yaml block"
    # every block runs: the template one first, then e.g. a `serverless.yml` variant
    bads = _code_blocks(_section(doc, "Example"))
    goods = _code_blocks(_section(doc, "Use instead"))
    assert len(bads) == len(goods), f"{rule.code}: each Example block needs its Use instead"
    for bad, good in zip(bads, goods):
        res = run_text(bad, select=[rule.code])
        assert res.status != "skipped", f"{rule.code}: an Example is not checked: {res.reason}"
        got_bad = [f for f in res.findings if f.rule == rule.code]
        assert got_bad, f"{rule.code}: its Example is not flagged:\n{bad}"
        got_good = [f for f in run_text(good, select=[rule.code]).findings if f.rule == rule.code]
        assert not got_good, f"{rule.code}: its Use instead is flagged: {[f.message for f in got_good]}"


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```(?:yaml|json)\n(.*?)```", text, re.S)


def test_serverless_examples_are_documented():
    """Rules that apply to `serverless.yml` show it (the Serverless Framework frontend)."""
    sls = [r.code for r in RULES if "service:" in inspect.cleandoc(r.__doc__ or "")]
    assert {"IAM001", "IAM005", "IAM010", "API001", "API002", "BKT001", "S3P001"} <= set(sls), sls


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_fixtures(rule):
    if rule.code in NO_EXAMPLE:
        return
    d = FIXTURES / rule.code
    assert d.is_dir(), f"no fixtures/{rule.code}/"
    names = [p.name for p in d.iterdir()]
    assert any(n.startswith("flagged") for n in names), rule.code
    assert any(n.startswith("clean") for n in names), rule.code


def test_no_orphan_fixtures():
    codes = {r.code for r in RULES}
    for d in FIXTURES.iterdir():
        if d.is_dir() and not d.name.startswith("_"):
            assert d.name in codes, f"fixtures/{d.name} belongs to no rule"
            for f in d.iterdir():
                if f.name.endswith(".snap.json"):
                    src = f.with_name(f.name[: -len(".snap.json")])
                    assert src.exists(), f"orphan snapshot {f}"


def test_packages_listed_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(conf["tool"]["setuptools"]["packages"])
    found = set()
    for base, pkg in ((ROOT / "linter", "slint"), (ROOT / "rules", "slint.rules")):
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base).parts
            found.add(".".join((pkg, *rel)))
    assert found <= listed, f"packages missing from pyproject: {sorted(found - listed)}"


def test_registry_table_matches_the_rule_classes():
    """``slint.rules.REGISTRY`` (what the engine reads to select rules without importing them)
    says exactly what the classes say, and lists every rule class in ``rules/``."""
    import importlib
    import pkgutil

    import slint.rules as pkg
    from slint.rules import REGISTRY

    assert [e.code for e in REGISTRY] == sorted(e.code for e in REGISTRY)
    for e in REGISTRY:
        cls = e.load()
        assert (cls.code, cls.name, cls.category.value, cls.severity.value,
                cls.enabled_by_default) == (e.code, e.name, e.category, e.severity,
                                            e.enabled_by_default), e.code
        assert cls.__module__ == f"slint.rules.{e.module}" and cls.__name__ == e.cls
    found = set()
    for info in pkgutil.walk_packages(pkg.__path__, "slint.rules."):
        mod = importlib.import_module(info.name)
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule \
                    and obj.__module__ == mod.__name__ and obj.code:
                found.add((obj.code, obj.__module__, obj.__name__))
    assert found == {(e.code, f"slint.rules.{e.module}", e.cls) for e in REGISTRY}


def test_family_rules_lists_are_lazy_and_complete():
    from slint.rules import iam
    assert [r.code for r in iam.RULES] == sorted(e.code for e in __import__(
        "slint.rules", fromlist=["REGISTRY"]).REGISTRY if e.module.startswith("iam."))
