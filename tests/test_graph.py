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


# ---------------------------------------------------------------- every edge kind, built once

def build(text: str) -> ResourceGraph:
    return ResourceGraph(Template(load_text(text).document))


def edges(g, kind):
    """(src, dst) of every edge of ``kind``, sorted."""
    return sorted((u, v) for u, v, d in g.g.edges(data=True) if d["kind"] == kind)


CFN_IAM = """\
Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {RoleName: app-role,
         ManagedPolicyArns: ["arn:aws:iam::123456789012:policy/app-mp",
                             !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/app-mp",
                             "arn:aws:iam::aws:policy/ReadOnlyAccess"]}}
  Other: {Type: AWS::IAM::Role, Properties: {RoleName: other-role}}
  User: {Type: AWS::IAM::User, Properties: {UserName: bob, Groups: [devs]}}
  Group: {Type: AWS::IAM::Group, Properties: {GroupName: devs}}
  Mp: {Type: AWS::IAM::ManagedPolicy, Properties: {ManagedPolicyName: app-mp}}
  Pol:
    Type: AWS::IAM::Policy
    Properties: {PolicyName: p, Roles: [app-role, !Ref Other], Users: [bob], Groups: [!Ref Group]}
  Inline: {Type: AWS::IAM::RolePolicy, Properties: {RoleName: other-role, PolicyName: x}}
  Add: {Type: AWS::IAM::UserToGroupAddition, Properties: {GroupName: devs, Users: [!Ref User]}}
  ByGetAtt: {Type: AWS::Lambda::Function, Properties: {Role: !GetAtt Role.Arn}}
  ByArn: {Type: AWS::Lambda::Function, Properties: {Role: "arn:aws:iam::123456789012:role/app-role"}}
  BySub:
    Type: AWS::Lambda::Function
    Properties: {Role: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/other-role"}
  Sm: {Type: AWS::StepFunctions::StateMachine, Properties: {RoleArn: !GetAtt Other.Arn}}
"""


def test_cfn_iam_edges():
    g = build(CFN_IAM)
    assert edges(g, Edge.RUNS_AS) == [("ByArn", "Role"), ("ByGetAtt", "Role"),
                                      ("BySub", "Other"), ("Sm", "Other")]
    assert [d["via"] for _, d in g.in_edges("Role", Edge.RUNS_AS)] == ["ref", "arn"]
    assert edges(g, Edge.ATTACHED_POLICY) == [
        ("Inline", "Other"),
        ("Mp", "Role"), ("Mp", "Role"),                       # both ManagedPolicyArns forms
        ("Pol", "Group"), ("Pol", "Other"), ("Pol", "Role"), ("Pol", "User")]
    vias = [(s, d["via"]) for s, d in g.in_edges("Role", Edge.ATTACHED_POLICY)]
    assert vias == [("Mp", "ManagedPolicyArns"), ("Mp", "ManagedPolicyArns"), ("Pol", "name")]
    (_, d), = [e for e in g.in_edges("Role", Edge.ATTACHED_POLICY) if e[0] == "Pol"]
    assert d["path"] == ("Resources", "Pol", "Properties", "Roles", 0)
    assert edges(g, Edge.MEMBER_OF) == [("User", "Group"), ("User", "Group")]


def test_sam_function_roles_policies_urls_and_events():
    g = build("""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Mp: {Type: AWS::IAM::ManagedPolicy, Properties: {ManagedPolicyName: mp}}
  Queue: {Type: AWS::SQS::Queue}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [!Ref Mp, AWSLambdaBasicExecutionRole]
      FunctionUrlConfig: {AuthType: NONE}
      Events:
        Q: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}
        Get: {Type: Api, Properties: {Path: /, Method: get}}
  Other:
    Type: AWS::Serverless::Function
    Properties: {Role: !GetAtt FnRole.Arn}
""")
    assert g.g.nodes["FnRole"] == {"kind": "resource", "type": "AWS::IAM::Role", "implicit": True,
                                   "generated_by": "Fn"}
    assert g.g.nodes["FnUrl"]["type"] == "AWS::Lambda::Url"
    assert "OtherRole" not in g.g   # a function with a Role gets no generated one
    assert edges(g, Edge.RUNS_AS) == [("Fn", "FnRole"), ("Other", "FnRole")]
    assert [d["via"] for _, d in g.in_edges("FnRole", Edge.RUNS_AS)] == ["generated", "ref"]
    assert edges(g, Edge.ATTACHED_POLICY) == [("Mp", "Fn")]
    assert (("Fn", "Queue") in edges(g, Edge.EVENT_SOURCE)
            and ("Fn", "ServerlessRestApi") in edges(g, Edge.IMPLICIT))
    assert g.sources("Fn", Edge.INVOKES) == ["ServerlessRestApi", "FnUrl"]  # events first
    (_, d), = [e for e in g.in_edges("Fn", Edge.INVOKES) if e[0] == "ServerlessRestApi"]
    assert d["event"] == "Get" and d["path"] == ("Resources", "Fn", "Properties", "Events", "Get")


def test_lambda_invokers_and_event_source_mapping():
    g = build("""\
Resources:
  Fn: {Type: AWS::Lambda::Function, Properties: {FunctionName: worker}}
  Stream: {Type: AWS::Kinesis::Stream, Properties: {Name: clicks}}
  ByRef: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction}}
  ByName: {Type: AWS::Lambda::Permission, Properties: {FunctionName: worker}}
  ByArn:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker"}
  Url: {Type: AWS::Lambda::Url, Properties: {TargetFunctionArn: !GetAtt Fn.Arn, AuthType: NONE}}
  Esm:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Fn, EventSourceArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"}
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      Integration:
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"
""")
    assert g.sources("Fn", Edge.INVOKES) == ["ByRef", "ByName", "ByArn", "Url", "Esm", "Method"]
    assert [d["via"] for _, d in list(g.in_edges("Fn", Edge.INVOKES))[:3]] == ["ref", "name", "arn"]
    assert edges(g, Edge.EVENT_SOURCE) == [("Fn", "Stream")]
    assert next(g.out_edges("Fn", Edge.EVENT_SOURCE))[1]["mapping"] == "Esm"


def test_bucket_policy_and_cloudfront_origins():
    g = build("""\
Resources:
  B: {Type: AWS::S3::Bucket, Properties: {BucketName: my-assets}}
  Site: {Type: AWS::S3::Bucket, Properties: {BucketName: my-site}}
  ByRef: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Ref B}}
  ByName: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: my-site}}
  Nowhere: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: elsewhere}}
  Oac: {Type: AWS::CloudFront::OriginAccessControl}
  Oai: {Type: AWS::CloudFront::CloudFrontOriginAccessIdentity}
  D:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: a, DomainName: !GetAtt B.RegionalDomainName, OriginAccessControlId: !GetAtt Oac.Id, S3OriginConfig: {}}
          - {Id: b, DomainName: !Sub "${B}.s3.amazonaws.com", S3OriginConfig: {OriginAccessIdentity: !Sub "origin-access-identity/cloudfront/${Oai}"}}
          - {Id: c, DomainName: my-site.s3-website-eu-west-1.amazonaws.com, CustomOriginConfig: {}}
          - {Id: d, DomainName: api.example.com, CustomOriginConfig: {}}
""")
    assert edges(g, Edge.APPLIES_TO) == [("ByName", "Site"), ("ByRef", "B")]
    got = [(dst, d["origin"], d["endpoint"], d["website"], d["mechanism"], d["oac"], d["oai"])
           for dst, d in g.out_edges("D", Edge.ORIGIN)]
    assert got == [("B", 0, "rest", False, "oac", "Oac", None),
                   ("B", 1, "rest", False, "oai", None, "Oai"),
                   ("Site", 2, "website", True, "none", None, None)]
    assert next(g.out_edges("D", Edge.ORIGIN))[1]["path"] == (
        "Resources", "D", "Properties", "DistributionConfig", "Origins", 0, "DomainName")


def test_authorizer_edges_cfn_and_sam():
    g = build("""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool: {Type: AWS::Cognito::UserPool}
  AuthFn: {Type: AWS::Lambda::Function}
  Rest: {Type: AWS::ApiGateway::RestApi}
  CogAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties: {RestApiId: !Ref Rest, Type: COGNITO_USER_POOLS, ProviderARNs: [!GetAtt Pool.Arn]}
  FnAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Rest
      Type: TOKEN
      AuthorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations"
  Http: {Type: AWS::ApiGatewayV2::Api}
  Jwt:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Http
      JwtConfiguration: {Issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}"}
  SamApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth:
        Authorizers:
          Cog: {UserPoolArn: !GetAtt Pool.Arn}
          Tok: {FunctionArn: !GetAtt AuthFn.Arn}
""")
    assert edges(g, Edge.AUTHORIZES) == [("AuthFn", "SamApi"), ("CogAuth", "Rest"),
                                         ("FnAuth", "Rest"), ("Jwt", "Http"), ("Pool", "SamApi")]
    assert g.sources("Pool", Edge.USER_POOL) == ["CogAuth", "Jwt", "SamApi"]
    assert g.sources("AuthFn", Edge.AUTHORIZER_FUNCTION) == ["FnAuth", "SamApi"]
    assert [d["authorizer"] for _, d in g.out_edges("SamApi", Edge.USER_POOL)] == ["Cog"]
    assert next(g.out_edges("SamApi", Edge.AUTHORIZER_FUNCTION))[1]["path"] == (
        "Resources", "SamApi", "Properties", "Auth", "Authorizers", "Tok", "FunctionArn")


# ---------------------------------------------------------------- indexes

def test_name_and_arn_indexes():
    g = build(CFN_IAM + """\
  Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub "assets-${Env}"}}
  Fn: {Type: AWS::Lambda::Function, Properties: {FunctionName: worker, Role: !GetAtt Role.Arn}}
  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: alerts}}
  Queue: {Type: AWS::SQS::Queue, Properties: {QueueName: jobs}}
""")
    assert g.by_name("role", "app-role") == "Role"
    assert g.by_name("AWS::IAM::Role", "other-role") == "Other"
    assert g.by_name("managed_policy", "app-mp") == "Mp"
    assert g.by_name("function", "worker") == "Fn"
    assert g.by_name("role", "nobody") is None and g.by_name("nonsense", "app-role") is None
    # an evaluated name (a parameter's default) is found, but not as a literal
    assert g.by_name("bucket", "assets-dev") == "Bucket"
    assert g.by_name("bucket", "assets-dev", literal_only=True) is None
    assert g.by_arn("arn:aws:iam::123456789012:role/app-role") == "Role"
    assert g.by_arn("arn:aws:iam::123456789012:role/service-role/app-role") == "Role"
    assert g.by_arn("arn:aws:iam::{AWS::AccountId}:role/other-role") == "Other"
    assert g.by_arn("arn:aws:iam::1:policy/app-mp") == "Mp"
    assert g.by_arn("arn:aws:iam::aws:policy/app-mp") is None      # an AWS managed policy
    assert g.by_arn("arn:aws:iam::1:user/bob") == "User"
    assert g.by_arn("arn:aws:lambda:eu-west-1:1:function:worker:live") == "Fn"
    assert g.by_arn("arn:aws:sns:{AWS::Region}:{AWS::AccountId}:alerts") == "Topic"
    assert g.by_arn("arn:aws:sqs:eu-west-1:1:jobs") == "Queue"
    assert g.by_arn("arn:aws:s3:::assets-dev/*", literal_only=False) == "Bucket"
    assert g.by_arn("arn:aws:iam::{AWS::AccountId}:role/{Ref:Name}") is None
    assert g.by_arn("not an arn") is None


# ---------------------------------------------------------------- scenarios

def test_edges_carry_the_resource_condition_and_fn_if_scenarios():
    g = build("""\
Parameters:
  Env: {Type: String}
  Size: {Type: String}
Conditions:
  Prod: !Equals [!Ref Env, prod]
  Big: !Equals [!Ref Size, big]
Resources:
  A: {Type: AWS::IAM::Role, Properties: {RoleName: a}}
  B: {Type: AWS::IAM::Role, Properties: {RoleName: b}}
  Fn:
    Type: AWS::Lambda::Function
    Condition: Prod
    Properties:
      Role: !If [Big, !GetAtt A.Arn, "arn:aws:iam::1:role/b"]
      Environment: {Variables: {X: !If [Big, !Ref A, !Ref AWS::NoValue]}}
""")
    runs = {dst: d["scenario"] for dst, d in g.out_edges("Fn", Edge.RUNS_AS)}
    assert runs == {"A": frozenset({("Prod", True), ("Big", True)}),
                    "B": frozenset({("Prod", True), ("Big", False)})}
    refs = [(d["kind"], d["path"], d["scenario"]) for dst, d in g.out_edges("Fn") if dst == "A"
            and d["kind"] in Edge.SYNTACTIC]
    assert refs == [("getatt", ("Resources", "Fn", "Properties", "Role", "Fn::If", 1),
                     frozenset({("Prod", True), ("Big", True)})),
                    ("ref", ("Resources", "Fn", "Properties", "Environment", "Variables", "X",
                             "Fn::If", 1), frozenset({("Prod", True), ("Big", True)}))]
    plain = build("Resources:\n  A: {Type: AWS::SNS::Topic}\n  B: {Type: X::Y, DependsOn: A}\n")
    assert [d["scenario"] for _, d in plain.out_edges("B")] == [frozenset()]


# ---------------------------------------------------------------- immutability, determinism

def test_graph_is_immutable_once_built():
    import pytest

    from slint.graph import GraphFrozen
    g = graph()
    with pytest.raises(GraphFrozen):
        g.add("Fn", "Role", Edge.INVOKES)
    with pytest.raises(GraphFrozen):
        g.g.add_edge("Fn", "Role", kind="x")
    with pytest.raises(GraphFrozen):
        g.g.add_node("New")
    with pytest.raises(GraphFrozen):
        g.g.remove_node("Fn")       # networkx methods that mutate are refused too
    assert "New" not in g.g and g.sources("Fn", Edge.INVOKES) == ["ServerlessRestApi"]


def test_two_builds_give_identical_node_and_edge_lists():
    import glob
    import os
    root = os.path.join(os.path.dirname(__file__), "..", "fixtures")
    files = sorted(glob.glob(os.path.join(root, "*", "*.yaml")))[:120]
    assert files
    for f in files:
        doc = load_text(open(f, encoding="utf-8").read()).document
        if doc is None:
            continue
        a, b = (ResourceGraph(Template(doc)) for _ in range(2))
        assert list(a.g.nodes(data=True)) == list(b.g.nodes(data=True)), f
        assert list(a.g.edges(data=True)) == list(b.g.edges(data=True)), f


def test_origin_edges_agree_with_the_bucket_view_on_the_fixtures():
    import glob
    import os

    from slint.context import Context
    root = os.path.join(os.path.dirname(__file__), "..", "fixtures")
    seen = 0
    for f in sorted(glob.glob(os.path.join(root, "*", "*.yaml"))):
        text = open(f, encoding="utf-8").read()
        if "CloudFront::Distribution" not in text:
            continue
        doc = load_text(text).document
        if doc is None:
            continue
        ctx = Context(doc, Template(doc))
        view = sorted((o.distribution, o.bucket, o.index, o.endpoint, o.mechanism)
                      for o in ctx.buckets.s3_origins() if o.bucket)
        built = sorted((u, v, d["origin"], d["endpoint"], d["mechanism"])
                       for u, v, d in ctx.graph.g.edges(data=True) if d["kind"] == Edge.ORIGIN)
        assert built == view, f
        seen += len(view)
    assert seen > 10


def test_sam_websocket_routes_and_authorizer():
    g = build("""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn: {Type: AWS::Serverless::Function}
  AuthFn: {Type: AWS::Serverless::Function}
  Ws:
    Type: AWS::Serverless::WebSocketApi
    Properties:
      Auth: {AuthType: CUSTOM, AuthArn: !GetAtt AuthFn.Arn}
      Routes:
        $connect: {FunctionArn: !GetAtt Fn.Arn}
""")
    assert [(d, e["route"]) for d, e in g.out_edges("Ws", Edge.INVOKES)] == [("Fn", "$connect")]
    assert g.targets("Ws", Edge.AUTHORIZER_FUNCTION) == ["AuthFn"]
    assert g.targets("AuthFn", Edge.AUTHORIZES) == ["Ws"]


def test_route_view_finds_no_edge_the_builder_lacks_on_the_fixtures():
    """The route view used to add its edges to the graph; it now only lists those the builder
    did not make (``unbuilt_edges``), and on the fixtures there are none."""
    import glob
    import os

    from slint.context import Context
    root = os.path.join(os.path.dirname(__file__), "..", "fixtures")
    checked = 0
    for f in sorted(glob.glob(os.path.join(root, "API*", "*.yaml"))):
        doc = load_text(open(f, encoding="utf-8").read()).document
        if doc is None:
            continue
        ctx = Context(doc, Template(doc))
        assert ctx.routes.unbuilt_edges == [], f
        checked += 1
    assert checked > 10
