"""Run slint once per template for the cfn-lint plugin, and cache the findings.

cfn-lint calls every plugin rule's ``match`` on the same template; the first call runs all
selected slint rules on the file and the rest read the cache. The cache key is the file's real
path, size and modification time, so an editor that re-lints a saved file gets fresh results.
"""

from __future__ import annotations

import os
from collections import OrderedDict

_MAX_ENTRIES = 32
_cache: "OrderedDict[tuple, list]" = OrderedDict()


def _config_for(path: str):
    """The slint configuration that ``slint check PATH`` would use."""
    from slint.config import Config
    return Config()


def findings_for(filename: str | None) -> list:
    """slint findings for the template at ``filename`` ([] when there is no readable file:
    cfn-lint reading standard input gives its rules no file name)."""
    if not filename or filename == "-":
        return []
    try:
        st = os.stat(filename)
    except OSError:
        return []
    key = (os.path.realpath(filename), st.st_size, st.st_mtime_ns)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    from slint.engine import check_file, selected_rules
    config = _config_for(filename)
    result = check_file(filename, config, selected_rules(config), display=filename)
    _cache[key] = list(result.findings)
    while len(_cache) > _MAX_ENTRIES:
        _cache.popitem(last=False)
    return _cache[key]


def clear() -> None:
    _cache.clear()
