"""The cfn-lint process of ``slint check --with-cfn-lint`` (``python -m slint.cfnlint_worker``).

Run by ``cfnlint_bridge`` in its own process group with an address-space limit, so that a
template that makes cfn-lint run for minutes or eat gigabytes costs one bounded, killable
process, never slint's. Protocol: one JSON object on stdin, ``{"files": [...], "config":
PATH}``; one JSON line per event on stdout:

- ``{"ready": true}`` once cfn-lint is imported and its rules are loaded (once for all files);
- ``{"start": i}`` before file ``i``, then ``{"done": i, "matches": [...]}``, or
  ``{"done": i, "crash": "Type: message"}`` when cfn-lint raised on it;
- ``{"memory": i}`` when file ``i`` hit the memory cap (the process then exits);
- ``{"error": "..."}`` when cfn-lint cannot be used at all (not installed, bad config).

``PATH`` is the only cfn-lint configuration read: the user's ``--cfn-lint-config`` file, or
``os.devnull`` (an empty configuration). cfn-lint never looks for ``.cfnlintrc`` in the working
directory or the home directory, so a scanned repository cannot make it import its own rules.
"""

from __future__ import annotations

MISSING = ("--with-cfn-lint needs cfn-lint, an optional extra: install slint with it "
           "(python -m pip install 'slint-serverless[cfn-lint]', or python -m pip install "
           "cfn-lint next to slint)")

import json
import sys


def _say(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def _match(m) -> dict:
    rule = m.rule
    return {"id": str(rule.id), "shortdesc": str(getattr(rule, "shortdesc", "") or ""),
            "description": str(getattr(rule, "description", "") or ""),
            "source_url": str(getattr(rule, "source_url", "") or ""),
            "slint": bool(getattr(rule, "slint_code", None)),
            "linenumber": m.linenumber, "columnnumber": m.columnnumber,
            "linenumberend": m.linenumberend, "columnnumberend": m.columnnumberend,
            "message": str(m.message), "filename": m.filename,
            "path": [p if isinstance(p, (str, int)) else str(p)
                     for p in (getattr(m, "path", None) or [])]}


def _linter(config_file: str):
    """A function file -> matches, with cfn-lint's rules loaded once."""
    import logging

    import cfnlint.api
    log = logging.getLogger("cfnlint")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    try:  # rules loaded once, each template linted on its own
        from cfnlint.config import ConfigMixIn
        from cfnlint.rules.errors import ParseError
        from cfnlint.runner import Runner, run_template_by_file_path
        config = ConfigMixIn(config_file=config_file)  # templates: given one by one
        runner = Runner(config)
        ignore_bad = bool(config.ignore_bad_template) or not ParseError().is_enabled(
            include_experimental=False, ignore_rules=config.ignore_checks,
            include_rules=config.include_checks, mandatory_rules=config.mandatory_checks)

        def lint(file: str) -> list:
            return list(run_template_by_file_path(file, config, runner.rules, ignore_bad))
        return lint
    except (ImportError, AttributeError, TypeError):  # another cfn-lint version: its public API
        pass

    def lint_public(file: str) -> list:
        return cfnlint.api.lint_by_config({"templates": [file], "config_file": config_file})
    return lint_public


def main() -> int:
    req = json.loads(sys.stdin.read())
    files, config_file = req["files"], req["config"]
    try:
        lint = _linter(config_file)
    except MemoryError:
        _say({"error": "cfn-lint could not start under the memory cap"})
        return 1
    except ImportError as exc:
        _say({"error": f"{MISSING} ({exc})"})
        return 1
    except (Exception, SystemExit) as exc:
        _say({"error": f"cfn-lint could not start: {type(exc).__name__}: {exc}"})
        return 1
    _say({"ready": True})
    for i, file in enumerate(files):
        _say({"start": i})
        try:
            matches = [_match(m) for m in lint(file)]
        except MemoryError:
            _say({"memory": i})
            return 1
        except (Exception, SystemExit) as exc:
            _say({"done": i, "crash": f"{type(exc).__name__}: {exc}"})
            continue
        _say({"done": i, "matches": matches})
    return 0


if __name__ == "__main__":
    sys.exit(main())
