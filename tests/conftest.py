import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
def _shared() -> pathlib.Path:
    """``shared/`` beside this checkout, or beside a folder above it (a git worktree may sit
    deeper than the main checkout)."""
    for d in ROOT.parents:
        if (d / "shared" / "corpus").is_dir():
            return d / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
CORPUS = SHARED / "corpus" / "serverless-patterns"


@pytest.fixture(scope="session")
def corpus_dir():
    if not CORPUS.is_dir():
        pytest.skip(f"real-world corpus not present at {CORPUS}")
    return CORPUS
