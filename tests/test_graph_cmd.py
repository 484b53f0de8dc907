"""`slint graph`: nodes, typed edges and exposure paths in mermaid and dot; deterministic and
escaped; dot rendered by graphviz when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from slint.cli import app
from slint.commands import graph as G

from .conftest import FIXTURES, ROOT

SAM = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          InlineCode: "def handler(e, c): return {}"
          Policies:
            - Statement:
                - Effect: Allow
                  Action: "s3:*"
                  Resource: "*"
          Events:
            Get:
              Type: Api
              Properties: {Path: "/items/{id}", Method: get}
      Quiet:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          InlineCode: "x"
          Policies:
            - Statement:
                - Effect: Allow
                  Action: "dynamodb:*"
                  Resource: "*"
      Site:
        Type: AWS::S3::Bucket
        Properties:
          WebsiteConfiguration: {IndexDocument: index.html}
          PublicAccessBlockConfiguration: {BlockPublicPolicy: false, RestrictPublicBuckets: false}
      SitePolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Site
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: !Sub "${Site.Arn}/*"
      Assets:
        Type: AWS::S3::Bucket
      OAC:
        Type: AWS::CloudFront::OriginAccessControl
        Properties:
          OriginAccessControlConfig:
            Name: oac
            OriginAccessControlOriginType: s3
            SigningBehavior: always
            SigningProtocol: sigv4
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            Origins:
              - Id: assets
                DomainName: !GetAtt Assets.RegionalDomainName
                OriginAccessControlId: !GetAtt OAC.Id
                S3OriginConfig: {OriginAccessIdentity: ""}
            DefaultCacheBehavior:
              TargetOriginId: assets
              ViewerProtocolPolicy: redirect-to-https
              CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
    """)

CFN = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          ManagedPolicyArns:
            - arn:aws:iam::aws:policy/AdministratorAccess
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: "def handler(e, c): return {}"}
      Url:
        Type: AWS::Lambda::Url
        Properties:
          TargetFunctionArn: !GetAtt Fn.Arn
          AuthType: NONE
      Other:
        Type: AWS::Lambda::Function
        DependsOn: Url
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: "x"}
    """)


def _draw(tmp_path, text: str, fmt: str, name: str = "template.yaml") -> str:
    src = tmp_path / name
    src.write_text(text)
    out = tmp_path / f"out.{fmt}"
    res = CliRunner().invoke(app, ["graph", str(src), "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_text()


def _draw_file(path) -> str:
    res = CliRunner().invoke(app, ["graph", str(path), "--format", "mermaid"])
    assert res.exit_code == 0, res.output
    return res.output


def _mm_edges(text: str) -> dict[tuple[str, str, str], tuple[str, int]]:
    """(src, label, dst) -> (arrow, index) of every mermaid link, in order."""
    out = {}
    links = re.findall(r'^    (\S+) (-->|-\.->|==>)\|"([^"]*)"\| (\S+)$', text, re.M)
    for i, (src, arrow, label, dst) in enumerate(links):
        out[(src, label, dst)] = (arrow, i)
    return out


def _link_styles(text: str) -> dict[int, str]:
    return {int(i): s for i, s in re.findall(r"^    linkStyle (\d+) (\S+)$", text, re.M)}


def test_mermaid_draws_resources_edges_and_exposure_paths(tmp_path):
    text = _draw(tmp_path, SAM, "mermaid")
    assert text.startswith("flowchart LR\n")
    # nodes: every resource (the implicit API too), shaped by kind, grouped in subgraphs
    assert '        r_Fn("Fn<br/><small>AWS::Serverless::Function</small>")' in text
    assert '        r_Site[("Site<br/><small>AWS::S3::Bucket</small>")]' in text
    assert 'r_ServerlessRestApi{{"ServerlessRestApi<br/><small>AWS::Serverless::Api #40;implicit#41;</small>"}}' in text
    assert 'subgraph g_storage["Storage"]' in text and 'subgraph g_cdn["CloudFront"]' in text
    # the route path's braces are escaped
    assert 'route_1(["GET /items/#123;id#125;<br/><small>REST route, no auth</small>"])' in text
    edges = _mm_edges(text)
    styles = _link_styles(text)
    red, blue = "stroke:#d93025,stroke-width:3px", "stroke:#1a73e8,stroke-width:3px"
    exposure = [("internet", "open", "route_1"), ("route_1", "invokes", "r_Fn"),
                ("r_Fn", "allows", "grant_1"), ("internet", "public read", "r_Site")]
    for key in exposure:
        arrow, i = edges[key]
        assert arrow == "==>" and styles[i] == red, key
    arrow, i = edges[("r_Cdn", "origin #40;oac#41;", "r_Assets")]
    assert arrow == "==>" and styles[i] == blue
    # typed graph edges, not highlighted
    for key in [("r_SitePolicy", "ref", "r_Site"), ("r_Cdn", "getatt", "r_OAC"),
                ("r_Fn", "implicit", "r_ServerlessRestApi")]:
        arrow, i = edges[key]
        assert arrow == "-->" and i not in styles, key
    assert edges[("internet", "CloudFront", "r_Cdn")][0] == "-.->"
    # the over-broad grant of the exposed function names slint's findings
    assert re.search(r'grant_1>"s3:\* on \*<br/><small>[^"]*IAM001[^"]*</small>"\]', text)
    # an over-broad grant off the exposure path is drawn but not highlighted
    g2 = re.search(r'(grant_\d+)>"dynamodb:\* on \*', text).group(1)
    arrow, i = edges[("r_Quiet", "allows", g2)]
    assert arrow == "-->" and i not in styles
    hot = set(re.findall(r"^    style (\S+) .*stroke:#d93025", text, re.M))
    assert hot == {"internet", "route_1", "r_Fn", "grant_1", "r_Site"}


def test_role_on_the_exposure_path_is_highlighted(tmp_path):
    text = _draw(tmp_path, CFN, "mermaid")
    edges, styles = _mm_edges(text), _link_styles(text)
    for key in [("internet", "open", "route_1"), ("route_1", "invokes", "r_Fn"),
                ("r_Fn", "getatt", "r_Role"), ("r_Role", "allows", "grant_1")]:
        assert edges[key][0] == "==>" and edges[key][1] in styles, key
    assert edges[("r_Other", "getatt", "r_Role")][0] == "-->"
    assert edges[("r_Other", "depends_on", "r_Url")][0] == "-.->"
    assert edges[("r_Url", "route", "route_1")][0] == "-.->"
    assert 'grant_1>"AdministratorAccess #40;AWS managed#41;' in text
    assert 'route_1(["ANY /<br/><small>FUNCTION_URL route, no auth</small>"])' in text


_DOT_STMT = re.compile(
    r'^(?:'
    r'(?:graph|node|edge) \[.*\];'
    r'|"(?:[^"\\]|\\.)*" \[(?:[a-z]+="(?:[^"\\]|\\.)*"(?:, )?)+\];'
    r'|"(?:[^"\\]|\\.)*" -> "(?:[^"\\]|\\.)*" \[(?:[a-z]+="(?:[^"\\]|\\.)*"(?:, )?)+\];'
    r'|subgraph "cluster_[a-z]+" \{'
    r'|label="[^"]*"; style="rounded"; color="#dadce0";'
    r'|\}'
    r'|// .*'
    r')$')


def test_dot_output_is_well_formed(tmp_path):
    text = _draw(tmp_path, SAM, "dot")
    lines = [ln.strip() for ln in text.splitlines()]
    assert lines[0].startswith("// slint graph") and lines[1] == "digraph slint {" and lines[-1] == "}"
    depth = 0
    for ln in lines[1:]:
        depth += ln.count("{") - ln.count("}") if not ln.startswith(('"', "label=")) else 0
        assert depth >= 0
    assert depth == 0
    for ln in lines[2:-1]:
        assert _DOT_STMT.match(ln), ln
    nodes = set(re.findall(r'^\s*"([^"]+)" \[label=', text, re.M))
    edges = re.findall(r'^\s*"([^"]+)" -> "([^"]+)" \[(.*)\];$', text, re.M)
    assert edges and all(s in nodes and d in nodes for s, d, _ in edges)
    attrs = {(s, d, re.search(r'label="([^"]*)"', a).group(1)): a for s, d, a in edges}
    assert 'color="#d93025"' in attrs[("internet", "route_1", "open")]
    assert 'color="#d93025"' in attrs[("internet", "r_Site", "public read")]
    assert 'color="#1a73e8"' in attrs[("r_Cdn", "r_Assets", "origin (oac)")]
    assert 'style="dashed"' in attrs[("r_ServerlessRestApi", "route_1", "route")]
    assert "color" not in attrs[("r_SitePolicy", "r_Site", "ref")]
    assert '"route_1" [label="GET /items/{id}\\nREST route, no auth", shape="oval"' in text
    assert 'subgraph "cluster_grant" {' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz `dot` not installed")
def test_graphviz_renders_the_dot_output(tmp_path):
    text = _draw(tmp_path, SAM, "dot")
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert svg.returncode == 0, svg.stderr
    for nid in ("internet", "route_1", "r_Fn", "grant_1", "r_Site", "r_Cdn", "r_Assets"):
        assert f"<title>{nid}</title>" in svg.stdout
    assert "<title>internet&#45;&gt;route_1</title>" in svg.stdout


def test_output_is_deterministic(tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir(), b.mkdir()
    # same template, resources in another order
    head, body = SAM.split("Resources:\n")
    blocks = re.split(r"(?m)^(?=  \S)", body)
    shuffled = head + "Resources:\n" + "".join(reversed([x for x in blocks if x]))
    for fmt in ("mermaid", "dot"):
        one = _draw(a, SAM, fmt).replace(str(a), "DIR")
        two = _draw(b, shuffled, fmt).replace(str(b), "DIR")
        assert one == two
        assert _draw(a, SAM, fmt).replace(str(a), "DIR") == one


def test_label_escaping():
    assert G._mm('a "b" <c> & d|e [f] {g} (h) #i') == \
        "a #34;b#34; #60;c#62; #38; d#124;e #91;f#93; #123;g#125; #40;h#41; #35;i"
    assert G._mm("two\nlines") == "two lines"
    assert G._dq('say "hi" \\ there\nnext') == '"say \\"hi\\" \\\\ there\\nnext"'
    pic = G.Picture(title='t"x')
    pic.node("r_A", label='A"1', detail="T<x>", group="compute")
    pic.node("r_B", label="B", group="nope")
    pic.edge("r_A", "r_B", 'la"bel')
    pic.edge("r_A", "missing", "dropped")
    mm = G.render_mermaid(pic)
    assert 'r_A("A#34;1<br/><small>T#60;x#62;</small>")' in mm
    assert 'r_A -->|"la#34;bel"| r_B' in mm and "missing" not in mm
    dot = G.render_dot(pic)
    assert '"r_A" -> "r_B" [label="la\\"bel"];' in dot


def test_errors(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources: {Fn: [unclosed\n")
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: not a template\n")
    good = tmp_path / "t.yaml"
    good.write_text(CFN)
    assert runner.invoke(app, ["graph", str(good), "--format", "png"]).exit_code == 2
    assert runner.invoke(app, ["graph", str(bad)]).exit_code == 2
    assert runner.invoke(app, ["graph", str(plain)]).exit_code == 2
    assert runner.invoke(app, ["graph", str(tmp_path / "missing.yaml")]).exit_code == 2
    res = runner.invoke(app, ["graph", str(good)])
    assert res.exit_code == 0 and res.output.startswith("flowchart LR\n")


def test_group_of():
    assert G.group_of("AWS::Serverless::Function") == "compute"
    assert G.group_of("AWS::Serverless::HttpApi") == "api"
    assert G.group_of("AWS::ApiGatewayV2::Route") == "api"
    assert G.group_of("AWS::Lambda::Url") == "api"
    assert G.group_of("AWS::S3::BucketPolicy") == "storage"
    assert G.group_of("AWS::IAM::ManagedPolicy") == "iam"
    assert G.group_of("AWS::CloudFront::Distribution") == "cdn"
    assert G.group_of("AWS::Cognito::UserPool") == "auth"
    assert G.group_of("AWS::SQS::Queue") == "messaging"
    assert G.group_of("Custom::Thing") == "other"


def test_every_corpus_template_draws_without_view_failures(corpus_dir):
    drawn = 0
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in (".yaml", ".yml", ".json"):
            continue
        pic, err = G.build(str(path))
        if pic is None:
            assert err, path
            continue
        assert pic.notes == [], (path.name, pic.notes)
        for render in (G.render_mermaid, G.render_dot):
            assert render(pic)
        drawn += 1
    assert drawn > 100


CORS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: .
      Events:
        Pre:
          Type: HttpApi
          Properties: {Method: OPTIONS, Path: /items}
  Other:
    Type: AWS::SNS::Topic
"""


def test_preflight_is_not_an_open_route_and_views(tmp_path):
    from slint.commands.graph import build, exposure_only, focus
    t = tmp_path / "t.yaml"
    t.write_text(CORS)
    pic, err = build(str(t))
    assert err is None
    assert not [n for n in pic.nodes.values() if n.group == "route"]  # OPTIONS: not drawn open
    assert "internet" not in pic.nodes
    full, _ = build(str(ROOT / "examples" / "app.yaml"))
    exp = exposure_only(full)
    # `Assets` has a PublicRead ACL that S3's defaults refuse (the stack fails): not exposed
    assert {n.label for n in exp.nodes.values()} == {
        "Internet", "POST /upload", "ItemsFunction", "s3:* on *"}
    assert all(e.style == "exposed" for e in exp.edges.values())
    near = focus(full, "Assets", 1)
    assert {n.label for n in near.nodes.values()} == {"Assets", "Internet"}
    assert len(focus(full, "Assets", 2).nodes) > len(near.nodes)
    assert focus(full, "Nope") is None


def test_graph_focus_options_on_the_command_line():
    r = subprocess.run([sys.executable, "-m", "slint", "graph", "examples/app.yaml", "--focus",
                        "Assets", "--depth", "0"], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "r_Assets" in r.stdout and "internet" not in r.stdout
    r = subprocess.run([sys.executable, "-m", "slint", "graph", "examples/app.yaml", "--focus",
                        "Nope"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "no resource 'Nope'" in r.stderr


def test_buckets_drawn_as_s3p001_grades_them():
    """Only a grant that exposes something is an exposure edge: website hosting that nothing
    grants read for, and an ACL S3's defaults refuse (the stack fails), are dotted, unhighlighted."""
    text = _draw_file(FIXTURES / "S3P001" / "flagged_website.yaml")
    edges, styles = _mm_edges(text), _link_styles(text)
    arrow, i = edges[("internet", "website, no public read", "r_Site")]
    assert arrow == "-.->" and i not in styles
    assert not re.search(r"^    style r_Site .*d93025", text, re.M)
    text = _draw_file(FIXTURES / "S3P001" / "flagged_acl.yaml")
    edges, styles = _mm_edges(text), _link_styles(text)
    assert edges[("internet", "public, fails to deploy", "r_WritableBucket")][0] == "-.->"
    arrow, i = edges[("internet", "public list", "r_ListableBucket")]
    assert arrow == "==>" and styles[i] == "stroke:#d93025,stroke-width:3px"
