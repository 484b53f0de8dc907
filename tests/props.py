"""Shared hypothesis settings for the property tests (``tests/test_prop_*.py``).

CI profile (default): a fixed number of examples, derandomized (the same examples every run, so
a red build is always reproducible), no example database written into the checkout, no
deadline (the machine is shared). ``SLINT_HYPOTHESIS=explore`` runs 20x more examples with fresh
randomness, for a local bug hunt."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

EXPLORE = os.environ.get("SLINT_HYPOTHESIS") == "explore"


def props(examples: int = 100, *, pending: bool = False):
    """``pending``: for a test marked xfail until a fix lands: no shrinking in CI (a failing
    example would otherwise cost seconds of shrinking on every run)."""
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if not pending or EXPLORE:
        phases.append(Phase.shrink)
    return settings(max_examples=examples * (20 if EXPLORE else 1), deadline=None, database=None,
                    derandomize=not EXPLORE, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
