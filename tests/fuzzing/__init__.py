"""Seeded structural fuzzing of slint (test tooling; not installed with the package).

``mutate`` turns real templates (the shared corpora and ``fixtures/``) into hostile variants,
``runner`` runs slint on them in bounded subprocesses and checks every output format. Used by
``tests/test_fuzz.py`` (a short fixed-seed run) and ``scripts/fuzz.py`` (long runs with
reproducers)."""
