"""aws-sam-translator as a test oracle (never used at run time).

``translate(data)`` runs the real SAM transform on a template dict, offline: local code paths are
replaced by S3 URIs (as `sam package` would), managed policy names resolve through slint's own
generated copy of SAM's managed-policy map, and the region is fixed.
"""

from __future__ import annotations

import copy
import os


class _PolicyLoader:
    def load(self):
        from slint.iamdb import sam_managed_policies
        return dict(sam_managed_policies("aws"))


def translate(data: dict) -> dict | None:
    """The transformed CloudFormation template, or None when SAM rejects the template."""
    import logging

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    logging.getLogger("samtranslator").setLevel(logging.CRITICAL)
    from samtranslator.translator.transform import transform

    data = copy.deepcopy(data)
    for res in (data.get("Resources") or {}).values():
        props = res.get("Properties") if isinstance(res, dict) else None
        if isinstance(props, dict):
            for key in ("CodeUri", "ContentUri", "DefinitionUri"):
                if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                    props[key] = "s3://bucket/key"
    glob = data.get("Globals")
    if isinstance(glob, dict) and isinstance(glob.get("Function"), dict):
        if isinstance(glob["Function"].get("CodeUri"), str):
            glob["Function"]["CodeUri"] = "s3://bucket/key"
    try:
        return transform(data, {}, _PolicyLoader())
    except Exception:  # SAM's own validation errors: the oracle has no answer
        return None
