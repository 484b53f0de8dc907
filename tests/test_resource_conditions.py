"""A resource's own `Condition:` joins the scenario of every value read through it
(hardening issue item 17): a grant holds only when its bucket and policy exist, an origin only
when its distribution does, and an `Fn::If` branch of a principal only in its own scenario."""

from __future__ import annotations

from pathlib import Path

from slint.config import Config
from slint.engine import check_text

CDN = (Path(__file__).parent / "data" / "cdn_condition.yaml").read_text()


def _findings(text: str):
    return [(f.rule, f.line, f.scenario) for f in check_text(text, "t.yaml", Config()).findings]


def test_public_branch_without_the_distribution_is_s3p001_not_cfr001():
    # Principal: !If [UseCloudFront, {AWS: <OAI>}, "*"]; the distribution and the OAI exist only
    # when UseCloudFront: no scenario has both the public principal and the distribution
    assert _findings(CDN) == [("S3P001", 25, [["UseCloudFront", False]])]


def test_public_principal_in_every_scenario_with_a_conditional_distribution():
    text = CDN.replace('Principal: !If [UseCloudFront, {AWS: !Sub "arn:aws:iam::cloudfront:user/'
                       'CloudFront Origin Access Identity ${OAI}"}, "*"]', 'Principal: "*"')
    got = _findings(text)
    # with CloudFront on, the distribution fronts a bucket anyone can also read (CFR001); with it
    # off, the bucket is simply public (S3P001)
    assert sorted((r, s) for r, _l, s in got) == [
        ("CFR001", [["UseCloudFront", True]]), ("S3P001", [["UseCloudFront", False]])]


def test_grant_of_a_conditional_policy_holds_only_with_it():
    text = CDN.replace("  SitePolicy:\n    Type: AWS::S3::BucketPolicy\n",
                       "  SitePolicy:\n    Type: AWS::S3::BucketPolicy\n    Condition: UseCloudFront\n")
    # the policy exists only with CloudFront on, and then its principal is the OAI: nothing public
    assert _findings(text) == []
