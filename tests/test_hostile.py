"""Hostile input (issue 2, "Bad input"): every file gives findings, a clear SYNTAX finding with its
line, or a skip; never a traceback, never code execution; each run bounded in time and memory.

Each case runs ``slint check FILE --format json`` in its own subprocess with ``RLIMIT_AS`` = 1 GiB
and a timeout; all cases start together (one fixture) so the whole module costs about as much
as its slowest case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

MEMORY_LIMIT = 1 << 30      # 1 GiB of address space per run
TIME_LIMIT = 10.0           # seconds of CPU per run (the bound)
WALL_LIMIT = 60.0           # generous wall clock: CI machines are shared

SAM = "Transform: AWS::Serverless-2016-10-31\n"
CFN = 'AWSTemplateFormatVersion: "2010-09-09"\n'
BUCKET = CFN + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return CFN + "\n".join(lines) + "\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *i\n"


def _deep_block_map(depth: int) -> str:
    # one space more per level keeps the file small enough (depth 10 000: 50 MB would be too
    # big with two spaces, so compact sequences "- - - x" are used for deeper block cases)
    return CFN + "Resources:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(depth)) + " " * (depth + 1) + "x: 1\n"


# name -> (file name, content (str or bytes), expectation)
# expectations: "syntax" (a SYN001 finding with a line; status error), "checked", "skipped",
# "findings:CODE" (checked and reports CODE), "any" (no crash is the point)
CASES: dict[str, tuple[str, object, str]] = {
    "billion_laughs": ("bomb.yaml", _bomb(), "syntax"),
    "recursive_alias": ("recursive.yaml", CFN + "Resources: &r\n  B: *r\n  C: &c [*c]\n", "any"),
    "merge_key_chain": ("merge.yaml", CFN + "x: &x {a: 1}\n" + "".join(
        f"x{i}: &x{i}\n  <<: *x{i - 1 if i else ''}\n  k{i}: {i}\n".replace("*x-1", "*x")
        for i in range(200)) + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      <<: *x199\n", "any"),
    "flow_10k": ("flow10k.yaml", CFN + "Resources: " + "[" * 10_000 + "]" * 10_000 + "\n", "syntax"),
    "flow_100k": ("flow100k.yaml", CFN + "Resources: " + "[" * 100_000 + "]" * 100_000 + "\n", "syntax"),
    "flow_map_100k": ("flowmap.yaml", CFN + "Resources: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n", "syntax"),
    "block_seq_10k": ("block10k.yaml", CFN + "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: " + "- " * 10_000 + "x\n", "syntax"),
    "block_seq_100k": ("block100k.yaml", CFN + "Resources:\n  A: " + "- " * 100_000 + "x\n", "syntax"),
    "flow_after_simple_pairs": ("pairs.yaml", CFN + "Resources: [" + "[x], " * 9000 + "[" * 100_000 + "]" * 100_000 + "]\n", "syntax"),
    "flow_quoted_closers": ("quoted.yaml", CFN + "Resources: " + '["]", ' * 60_000 + "1" + "]" * 60_000 + "\n", "syntax"),
    "flow_commented_closers": ("commented.yaml", CFN + "Resources: " + "[ # ]\n" * 60_000 + "]" * 60_000 + "\n", "syntax"),
    "flow_maps_with_pairs": ("mappairs.yaml", CFN + "Resources: " + "{k: [a], b: " * 60_000 + "1" + "}" * 60_000 + "\n", "syntax"),
    "block_map_2k": ("blockmap.yaml", _deep_block_map(2_000), "syntax"),
    "just_under_depth_limit": ("deep_ok.yaml", BUCKET + "    Properties:\n      Tags: " + "[" * 250 + "]" * 250 + "\n", "any"),
    "deep_intrinsics": ("deep_fn.yaml", BUCKET + "    Properties:\n      BucketName: " + "!Join ['', [" * 120 + "x" + "]]" * 120 + "\n", "any"),
    "if_explosion": ("ifs.yaml", CFN + "Conditions:\n  C: !Equals [a, b]\n  D: !Equals [a, c]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join ['', [" + ", ".join(["!If [C, a, b]", "!If [D, c, d]"] * 20) + "]]\n      Tags:\n        - Key: k\n          Value: !Sub ['" + "".join(f"${{v{i}}}" for i in range(30)) + "', {" + ", ".join(f"v{i}: !If [C, x, y]" for i in range(30)) + "}]\n", "any"),
    "cyclic_conditions": ("condcycle.yaml", CFN + "Conditions:\n  A: !Condition B\n  B: !And [!Condition A, !Condition C]\n  C: !Not [!Condition A]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: A\n    Properties:\n      BucketName: !If [A, x, !If [B, y, z]]\n", "any"),
    "huge_scalar": ("huge.yaml", BUCKET + "    Properties:\n      BucketName: \"" + "x" * 15_000_000 + "\"\n", "checked"),
    "flat_list_3m": ("flat.yaml", BUCKET + "    Properties:\n      Tags: [" + ",".join(["1"] * 3_000_000) + "]\n", "syntax"),
    "block_list_1_5m": ("blocklist.yaml", BUCKET + "    Properties:\n      Tags:\n" + "        - 1\n" * 1_500_000, "syntax"),
    "flow_map_nulls_2m": ("nulls.yaml", BUCKET + "    Properties: {" + ",".join(["a"] * 600_000) + "}\n", "syntax"),
    "many_keys_line": ("wide.yaml", BUCKET + "    Properties: {" + ", ".join(f"K{i}: {i}" for i in range(200_000)) + "}\n", "checked"),
    "invalid_utf8": ("bad_utf8.yaml", (BUCKET + "    Properties:\n      BucketName: \"").encode() + b"\xff\xfe\xfa" + b"\"\n", "syntax"),
    "utf16_bom": ("utf16.yaml", "\ufeff".encode("utf-16-le") if False else (BUCKET).encode("utf-16"), "checked"),
    "binary": ("blob.yaml", bytes(range(256)) * 64, "syntax"),
    "nul_after_8k": ("nul.yaml", (BUCKET + "# " + "x" * 9000 + "\n").encode() + b"\x00\x01\n", "syntax"),
    "top_level_list": ("list.yaml", "- a\n- b\n", "skipped"),
    "top_level_scalar": ("scalar.yaml", "just a string\n", "skipped"),
    "empty": ("empty.yaml", "", "skipped"),
    "two_documents": ("two.yaml", BUCKET + "---\n" + BUCKET, "syntax"),
    "resources_null": ("null.yaml", CFN + "Resources:\n", "findings:SYN003"),
    "resources_list": ("reslist.yaml", CFN + "Resources:\n  - a\n", "findings:SYN003"),
    "resource_without_type": ("notype.yaml", CFN + "Resources:\n  B:\n    Properties: {}\n  C: 5\n", "findings:SYN003"),
    "type_not_a_string": ("typenum.yaml", CFN + "Resources:\n  B:\n    Type: [AWS::S3::Bucket]\n  C:\n    Type: AWS::S3::Bucket\n", "findings:SYN003"),
    "properties_a_list": ("proplist.yaml", CFN + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: [a, b]\n  P:\n    Type: AWS::IAM::Policy\n    Properties: [1]\n", "any"),
    "cyclic_depends_on": ("cycle.yaml", CFN + "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: [C, A, A]\n    Properties:\n      TopicName: !GetAtt A.Arn\n  C:\n    Type: AWS::SQS::Queue\n    DependsOn: C\n    Properties:\n      QueueName: !Sub '${B}-${A.Arn}-${C}'\n", "any"),
    "broken_sam": ("sam.yaml", SAM + """Globals: just a string
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Policies: 42
      Events: [not, a, map]
  Fn2:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [{S3ReadPolicy: 5}, {DynamoDBCrudPolicy: {}}, {NoSuchTemplate: {}}, [x], 7, {Statement: 5}, {Statement: [5, {Effect: Allow}]}]
      Role: [1]
      FunctionUrlConfig: [1]
      Events:
        E1: str
        E2: {Type: Api, Properties: [1]}
        E3: {Type: Api, Properties: {Path: 5, Method: [get], Auth: [x], RestApiId: {Ref: [x]}}}
        E4: {Type: HttpApi, Properties: {Auth: "str", ApiId: !GetAtt [a]}}
        E5: {Type: 5}
        E6: {Type: S3, Properties: {Bucket: [x]}}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Auth: [a, list]
      DefinitionBody: 5
  Api2:
    Type: AWS::Serverless::Api
    Properties:
      Auth: {DefaultAuthorizer: [x], Authorizers: [1], ResourcePolicy: 5}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth: {Authorizers: {A: 5, B: {JwtConfiguration: [1]}}, DefaultAuthorizer: B}
""", "any"),
    "broken_sam_globals": ("samglobals.yaml", SAM + "Globals:\n  Function: [1]\n  Api: 5\n  HttpApi: {Auth: [x]}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        A: {Type: Api, Properties: {Path: /, Method: get}}\n        H: {Type: HttpApi}\n", "any"),
    "broken_intrinsics": ("fn.yaml", CFN + """Parameters: [1]
Conditions: {C: !Equals [1]}
Mappings: {M: 5}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub [1]
      Tags: !If [1, 2]
      WebsiteConfiguration: !Select [a, b]
      AccessControl: !FindInMap [M, [x], {y: 1}]
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref [B]
      PolicyDocument:
        Statement:
          - Effect: !If [C, Allow, Deny]
            Principal: !GetAtt 5
            Action: !Split [1]
            Resource: !Join [5]
          - Effect: Allow
            Principal: {AWS: !Sub "${"}
            Action: !Sub "${B.}"
            Resource: !Sub "${!Literal}${AWS::NoValue}"
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Base64 x
      Policies: !Ref AWS::NoValue
      ManagedPolicyArns: [!If [C, !Ref AWS::NoValue, "arn:aws:iam::aws:policy/AdministratorAccess"]]
""", "any"),
    "python_object_apply": ("py.yaml", None, "syntax"),          # content built per run (marker path)
    "python_name": ("pyname.yaml", CFN + "Resources: !!python/name:os.system\n", "syntax"),
    "unknown_local_tag": ("tag.yaml", BUCKET + "    Properties: !Custom {a: 1}\n", "syntax"),
    "file_50mb": ("big.yaml", None, "syntax"),                   # written sparsely per run
    "json_deep": ("deep.json", '{"Resources": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}", "syntax"),
    "json_deep_array": ("deeparr.json", '{"Resources": ' + "[" * 100_000 + "]" * 100_000 + "}", "syntax"),
    "json_broken": ("broken.json", '{"Resources": {"B": {"Type": "AWS::S3::Bucket",}}', "syntax"),
    "duplicate_keys_flood": ("dups.yaml", BUCKET + "    Properties:\n" + "      K: 1\n" * 20_000, "findings:SYN002"),
    "many_tiny_resources": ("many.yaml", CFN + "Resources:\n" + "".join(
        f"  R{i}:\n    Type: AWS::SNS::Topic\n    DependsOn: R{i + 1}\n" for i in range(30_000)), "checked"),
}

DIR_CASES = ("dir_with_fifo_and_unreadable", "symlink_loops")


def _limits():  # pragma: no cover - runs in the child
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (int(TIME_LIMIT) + 1, int(TIME_LIMIT) + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _write(tmp: Path, name: str) -> tuple[list[str], Path]:
    fname, content, _expect = CASES[name] if name in CASES else (None, None, None)
    d = tmp / name
    d.mkdir()
    if name == "python_object_apply":
        marker = tmp / "PWNED"
        content = (CFN + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
                   f"      BucketName: !!python/object/apply:os.system ['touch {marker}']\n"
                   f"x: !!python/object/new:subprocess.call [['touch', '{marker}']]\n")
    if name == "file_50mb":
        p = d / fname
        with open(p, "wb") as fh:
            fh.write(BUCKET.encode())
            fh.seek(50 * 1024 * 1024)
            fh.write(b"\n")
        return [str(p)], d
    if name == "dir_with_fifo_and_unreadable":
        os.mkfifo(d / "pipe.yaml")
        (d / "locked.yaml").write_text(BUCKET)
        os.chmod(d / "locked.yaml", 0)
        (d / "ok.yaml").write_text(BUCKET)
        (d / "fifo.json").unlink(missing_ok=True)
        os.mkfifo(d / "fifo.json")
        return [str(d)], d
    if name == "symlink_loops":
        (d / "self.yaml").symlink_to(d / "self.yaml")
        (d / "a.yaml").symlink_to(d / "b.yaml")
        (d / "b.yaml").symlink_to(d / "a.yaml")
        (d / "dangling.yaml").symlink_to(d / "nowhere.yaml")
        (d / "sub").mkdir()
        (d / "sub" / "up").symlink_to(d, target_is_directory=True)
        (d / "sub" / "ok.yaml").write_text(BUCKET)
        return [str(d)], d
    p = d / fname
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return [str(p)], d


def _run(tmp: Path, name: str) -> dict:
    paths, cwd = _write(tmp, name)
    cmd = [sys.executable, "-m", "slint", "check", *paths, "--format", "json", "--no-cache"]
    t0 = time.perf_counter()
    out_f, err_f = cwd.parent / f"{name}.out", cwd.parent / f"{name}.err"
    with open(out_f, "wb") as out, open(err_f, "wb") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, preexec_fn=_limits)
    while True:  # os.wait4 (not Popen.wait) to get the child's own CPU time and peak memory
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > WALL_LIMIT:
            p.kill()
            os.wait4(p.pid, 0)
            return {"timeout": True, "wall": time.perf_counter() - t0, "cpu": 0.0}
        time.sleep(0.01)
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"timeout": False, "rc": p.returncode, "out": out_f.read_text("utf-8", "replace"),
            "err": err_f.read_text("utf-8", "replace"), "wall": time.perf_counter() - t0,
            "cpu": ru.ru_utime + ru.ru_stime, "mb": ru.ru_maxrss / 1024}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    if sys.platform != "linux":
        pytest.skip("resource limits and FIFOs: Linux only")
    tmp = tmp_path_factory.mktemp("hostile")
    names = list(CASES) + list(DIR_CASES)
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2))) as ex:
        futs = {n: ex.submit(_run, tmp, n) for n in names}
        out = {n: f.result() for n, f in futs.items()}
    out["__tmp__"] = tmp
    return out


def _check_common(r: dict) -> dict:
    assert not r["timeout"], f"still running after {WALL_LIMIT} s"
    assert "Traceback" not in r["err"], r["err"][-3000:]
    assert r["rc"] in (0, 1, 2), f"exit {r['rc']} (negative: killed by a signal); stderr: {r['err'][-2000:]}"
    try:
        doc = json.loads(r["out"])
    except ValueError:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"--format json did not print JSON: {r['out'][:500]!r} / {r['err'][-1000:]}")
    assert doc["version"] == 1
    rules = [f["rule"] for f in doc["findings"]]
    assert "INT001" not in rules, [f["message"] for f in doc["findings"] if f["rule"] == "INT001"]
    return doc


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file(results, name):
    doc = _check_common(results[name])
    expect = CASES[name][2]
    statuses = [f["status"] for f in doc["files"]]
    rules = [f["rule"] for f in doc["findings"]]
    if expect == "syntax":
        syn = [f for f in doc["findings"] if f["rule"] == "SYN001"]
        assert syn, doc
        assert all(f["line"] >= 1 and f["message"] for f in syn)
        assert statuses in (["error"], ["checked"]), statuses
    elif expect == "checked":
        assert statuses == ["checked"], doc["files"]
    elif expect == "skipped":
        assert statuses == ["skipped"], doc["files"]
    elif expect.startswith("findings:"):
        assert expect.split(":")[1] in rules, doc
    else:
        assert len(statuses) == 1 and statuses[0] in ("checked", "error", "skipped")


def test_python_tags_never_run_code(results):
    doc = _check_common(results["python_object_apply"])
    assert not (results["__tmp__"] / "PWNED").exists()
    msgs = " ".join(f["message"] for f in doc["findings"])
    assert "python/object/apply" in msgs


def test_deep_nesting_points_at_its_line(results):
    doc = _check_common(results["block_map_2k"])
    f = next(f for f in doc["findings"] if f["rule"] == "SYN001")
    assert "nesting" in f["message"] and f["line"] > 300
    doc = _check_common(results["billion_laughs"])
    assert "alias" in doc["findings"][0]["message"]


def test_node_limit_is_reported_before_composing(results):
    for name in ("flat_list_3m", "block_list_1_5m", "flow_map_nulls_2m"):
        doc = _check_common(results[name])
        f = doc["findings"][0]
        assert "nodes, over the limit" in f["message"] and f["line"] >= 5
        assert results[name]["mb"] < 700, results[name]["mb"]  # counted, never composed


def test_size_limit_is_reported(results):
    doc = _check_common(results["file_50mb"])
    assert "over the limit" in doc["findings"][0]["message"]


def test_directory_with_fifo_and_unreadable_file(results):
    doc = _check_common(results["dir_with_fifo_and_unreadable"])
    by_name = {Path(f["file"]).name: f for f in doc["files"]}
    assert by_name["pipe.yaml"]["status"] == "skipped"
    assert by_name["fifo.json"]["status"] == "skipped"
    assert by_name["ok.yaml"]["status"] == "checked"
    # as root the file is still readable; otherwise it is an error with its reason
    assert by_name["locked.yaml"]["status"] in ("checked", "error")


def test_symlink_loops(results):
    doc = _check_common(results["symlink_loops"])
    by_name = {Path(f["file"]).name: f["status"] for f in doc["files"]}
    assert by_name["ok.yaml"] == "checked"
    for loop in ("self.yaml", "a.yaml", "b.yaml", "dangling.yaml"):
        assert by_name.get(loop, "skipped") in ("skipped", "error")


def test_every_case_within_bounds(results):
    """CPU time, not wall clock: the cases run side by side on a shared machine."""
    runs = {n: r for n, r in results.items() if isinstance(r, dict)}
    slow = {n: round(r["cpu"], 1) for n, r in runs.items() if r["cpu"] > TIME_LIMIT}
    big = {n: round(r["mb"]) for n, r in runs.items() if r.get("mb", 0) > MEMORY_LIMIT / 2**20}
    assert not slow and not big
