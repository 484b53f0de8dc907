"""Test helpers: run slint on text or a file with chosen rules."""

from __future__ import annotations

import re

from slint.config import Config
from slint.engine import check_file, check_text, selected_rules

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9_, ]+)")


def run_text(text: str, select: list[str] | None = None, filename: str = "t.yaml", **cfg):
    config = Config(select=select or [], **cfg)
    return check_text(text, filename, config, selected_rules(config))


def run_path(path, select: list[str] | None = None, **cfg):
    config = Config(select=select or [], **cfg)
    return check_file(str(path), config, selected_rules(config))


def codes(result) -> list[str]:
    return sorted(f.rule for f in result.findings)


def expected_marks(text: str) -> set[tuple[str, int]]:
    out = set()
    for n, line in enumerate(text.splitlines(), start=1):
        m = EXPECT.search(line)
        if m:
            for code in m.group(1).replace(",", " ").split():
                out.add((code.strip(), n))
    return out
