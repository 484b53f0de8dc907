"""Recognising Serverless Framework service files, by content and by name.

A ``serverless.yml`` (or ``.yaml`` / ``.json``) is a mapping with top-level ``service`` and
``provider``. Only ``provider.name: aws`` compiles to CloudFormation; other providers are skipped
with a reason. ``serverless.ts`` / ``.js`` are programs: slint never executes them, so they are
reported as not checkable.
"""

from __future__ import annotations

import os
from typing import Any

PROGRAM_NAMES = ("serverless.ts", "serverless.js", "serverless.cjs", "serverless.mjs")
COMPOSE_NAMES = ("serverless-compose.yml", "serverless-compose.yaml", "serverless-compose.json")


def is_serverless(data: Any) -> bool:
    """A Serverless Framework service file: ``service`` and ``provider`` at the top."""
    return isinstance(data, dict) and "service" in data and "provider" in data \
        and "Resources" not in data and "AWSTemplateFormatVersion" not in data


def provider_name(data: dict) -> Any:
    prov = data.get("provider")
    if isinstance(prov, str):  # very old `provider: aws`
        return prov
    if isinstance(prov, dict):
        return prov.get("name")
    return None


def skip_reason(data: dict) -> str | None:
    """Why a service file is not checked (another provider), or None when it is AWS."""
    name = provider_name(data)
    if name == "aws":
        return None
    if name is None:
        return "Serverless Framework service without `provider.name`: not checked"
    if isinstance(name, str) and "${" in name:
        return (f"Serverless Framework service whose provider is a variable ({name}): "
                "not checked")
    return (f"Serverless Framework service for provider `{name}`: only `aws` compiles to "
            "CloudFormation, not checked")


def program_reason(path: str) -> str | None:
    """A ``serverless.ts``/``.js`` service: never executed, so not checkable."""
    base = os.path.basename(path).lower()
    if base in PROGRAM_NAMES:
        return (f"{os.path.basename(path)} is a program: slint never executes it, so it cannot "
                "be checked (write the service as serverless.yml, or check the template that "
                "`serverless package` writes)")
    return None


def is_compose_name(path: str) -> bool:
    return os.path.basename(path).lower() in COMPOSE_NAMES
