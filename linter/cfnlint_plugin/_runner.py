"""Run slint once per template for the cfn-lint plugin, and cache the findings.

cfn-lint calls every plugin rule's ``match`` on the same template; the first call runs all
selected slint rules on the file and the rest read the cache. The cache key is the file's real
path, size and modification time (and those of the slint config file that applies), so an editor
that re-lints a saved file gets fresh results.
"""

from __future__ import annotations

import os
from collections import OrderedDict

_MAX_ENTRIES = 32
_cache: "OrderedDict[tuple, list]" = OrderedDict()


def _config_file(path: str) -> str | None:
    """The slint config file that ``slint check PATH`` would use (None: defaults)."""
    try:
        from slint.config import find_config
    except ImportError:  # pragma: no cover - older core without config files
        return None
    return find_config([path])


def _stamp(path: str | None) -> tuple:
    if not path:
        return ()
    try:
        st = os.stat(path)
    except OSError:
        return (path,)
    return (os.path.realpath(path), st.st_size, st.st_mtime_ns)


def _internal(filename: str, message: str) -> list:
    from slint.findings import Finding
    return [Finding(rule="INT001", name="rule-error", category="INTERNAL", severity="high",
                    message=message, file=filename, line=1, column=1, end_line=1, end_column=1,
                    resource=None)]


def findings_for(filename: str | None) -> list:
    """slint findings for the template at ``filename`` ([] when there is no readable file:
    cfn-lint reading standard input gives its rules no file name)."""
    if not filename or filename == "-":
        return []
    try:
        st = os.stat(filename)
    except OSError:
        return []
    cfg_file = _config_file(filename)
    key = (os.path.realpath(filename), st.st_size, st.st_mtime_ns, _stamp(cfg_file))
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    from slint.config import Config
    from slint.engine import check_file, selected_rules
    try:
        if cfg_file:
            from slint.config import load_config
            config = load_config(cfg_file)
        else:
            config = Config()
    except ValueError as exc:   # ConfigError: one finding, not one crash per cfn-lint rule
        found = _internal(filename, f"slint could not use its configuration: {exc}")
    else:
        try:
            result = check_file(filename, config, selected_rules(config), display=filename)
            found = list(result.findings)
        except Exception as exc:  # noqa: BLE001 - reported once, as INT001, not by every rule
            found = _internal(filename, f"slint failed on this template: "
                                        f"{type(exc).__name__}: {exc}")
    _cache[key] = found
    while len(_cache) > _MAX_ENTRIES:
        _cache.popitem(last=False)
    return found


def clear() -> None:
    _cache.clear()
