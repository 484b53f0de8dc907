"""Resource graph: typed edges with their source paths."""

from __future__ import annotations

from slint.graph import Edge, ResourceGraph
from slint.loader import load_text
from slint.model.template import Template

TEXT = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Role: {Type: AWS::IAM::Role}
  Pol:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref Role, literal-name]
  Bucket: {Type: AWS::S3::Bucket}
  Fn:
    Type: AWS::Serverless::Function
    DependsOn: Pol
    Properties:
      Role: !GetAtt Role.Arn
      Environment:
        Variables:
          B: !Sub "${Bucket}"
      Events:
        Up:
          Type: S3
          Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}
        Get:
          Type: Api
          Properties: {Path: /, Method: get}
"""


def graph():
    return ResourceGraph(Template(load_text(TEXT).document))


def kinds(g, src, dst):
    return sorted(d["kind"] for _, t, d in g.g.out_edges(src, data=True) if t == dst)


def test_syntactic_edges_with_paths():
    g = graph()
    assert Edge.GETATT in kinds(g, "Fn", "Role")
    assert Edge.SUB in kinds(g, "Fn", "Bucket")
    assert Edge.DEPENDS_ON in kinds(g, "Fn", "Pol")
    (_, data), = [(d, x) for d, x in g.out_edges("Fn", Edge.GETATT)]
    assert data["path"] == ("Resources", "Fn", "Properties", "Role")


def test_semantic_edges():
    g = graph()
    assert kinds(g, "Pol", "Role") == [Edge.ATTACHED_POLICY, Edge.REF]
    assert Edge.EVENT_SOURCE in kinds(g, "Fn", "Bucket")
    assert kinds(g, "Fn", "ServerlessRestApi") == [Edge.IMPLICIT]
    assert g.referrers("Role") == ["Fn", "Pol"]
    assert g.referrers("Role", of_type=("AWS::IAM::Policy",)) == ["Pol"]


def test_cycles_are_found_not_followed_forever():
    t = Template(load_text("Resources:\n  A: {Type: X::Y::Z, DependsOn: B}\n"
                           "  B: {Type: X::Y::Z, DependsOn: A}\n").document)
    g = ResourceGraph(t)
    assert sorted(map(sorted, g.dependency_cycles())) == [["A", "B"]]
