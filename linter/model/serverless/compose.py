"""``serverless-compose.yml``: the services it lists (``services.<name>.path``)."""

from __future__ import annotations

import os

from ...loader import load_file
from .variables import project_root

NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")


def service_files(compose_path: str) -> list[str]:
    """The service files a compose file names, in its order; paths leading outside the
    compose file's project root, or to no service file, are left out."""
    loaded = load_file(compose_path, max_bytes=1024 * 1024)
    data = loaded.document.data if loaded.document is not None else None
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return []
    base = os.path.dirname(compose_path)
    root = os.path.realpath(project_root(base or "."))
    out = []
    for body in services.values():
        rel = body.get("path") if isinstance(body, dict) else None
        if not isinstance(rel, str) or os.path.isabs(rel):
            continue
        folder = os.path.join(base, rel)
        real = os.path.realpath(folder)
        if not (real == root or real.startswith(root + os.sep)):
            continue
        for name in NAMES:
            cand = os.path.join(folder, name)
            if os.path.isfile(cand):
                out.append(os.path.normpath(cand))
                break
    return out
