"""APIAUTH and COGNITO rules on the real-world corpus: no rule errors, sane locations."""

from __future__ import annotations

from slint.config import Config
from slint.engine import run


def test_api_cognito_rules_never_crash_on_corpus(corpus_dir):
    cfg = Config(select=["API", "COG", "INT"])
    result = run([str(corpus_dir)], cfg)
    assert result.checked > 400
    errors = [f for f in result.findings if f.rule == "INT001"]
    assert not errors, [f"{f.file}: {f.message}" for f in errors[:5]]
    api = [f for f in result.findings if f.rule.startswith(("API", "COG"))]
    assert api, "the corpus has open SAM APIs: API001 must find some"
    for f in api:
        assert f.resource and f.line >= 1 and f.path[0] in ("Resources", "Globals"), f


def test_api_cognito_rules_never_crash_on_any_fixture():
    from .conftest import FIXTURES
    cfg = Config(select=["API", "COG", "INT"])
    result = run([str(FIXTURES)], cfg)
    assert result.checked > 20
    errors = [f for f in result.findings if f.rule == "INT001"]
    assert not errors, [f"{f.file}: {f.message}" for f in errors[:5]]
