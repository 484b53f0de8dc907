"""Loader: positions, short tags, YAML 1.1 surprises, duplicate keys, limits."""

from __future__ import annotations

from slint.loader import load_bytes, load_text


def test_positions_are_one_based_for_keys_and_values():
    r = load_text("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n")
    src = r.document.source
    assert src.key(("Resources", "Bucket", "Type")).line == 3
    assert src.key(("Resources", "Bucket", "Type")).column == 5
    v = src.value(("Resources", "Bucket", "Type"))
    assert (v.line, v.column, v.end_column) == (3, 11, 26)


def test_short_tags_become_long_forms():
    text = (
        "A: !Ref X\n"
        "B: !GetAtt Fn.Arn\n"
        "C: !GetAtt Pool.ProviderURL.Extra\n"
        "D: !Sub '${AWS::StackName}-x'\n"
        "E: !If [Cond, !Ref A, !Ref AWS::NoValue]\n"
        "F: !Join ['', [a, !Ref B]]\n"
        "G: !Select [0, !GetAZs '']\n"
        "H: !Equals [a, b]\n"
        "I: !Condition C\n"
    )
    d = load_text(text).document.data
    assert d["A"] == {"Ref": "X"}
    assert d["B"] == {"Fn::GetAtt": ["Fn", "Arn"]}
    assert d["C"] == {"Fn::GetAtt": ["Pool", "ProviderURL.Extra"]}  # split on the first dot
    assert d["D"] == {"Fn::Sub": "${AWS::StackName}-x"}
    assert d["E"] == {"Fn::If": ["Cond", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]}
    assert d["F"] == {"Fn::Join": ["", ["a", {"Ref": "B"}]]}
    assert d["G"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert d["H"] == {"Fn::Equals": ["a", "b"]}
    assert d["I"] == {"Condition": "C"}


def test_rule_functions_short_tags_are_read():
    # the Rules section's own functions (cfn-lint's fixture good/conditions/and.yaml): before,
    # `!Contains` was an unsupported tag (SYN001) on a valid template
    text = ("Rules:\n  R:\n    Assertions:\n"
            "      - Assert: !And [!Contains [!Ref Users, ''], !EachMemberIn [!RefAll X, [a]]]\n"
            "      - Assert: !EachMemberEquals [!ValueOfAll [T, Tags], v]\n"
            "      - Assert: !Equals [!ValueOf [P, Attr], v]\n")
    r = load_text(text)
    assert r.issues == []
    a = r.document.data["Rules"]["R"]["Assertions"]
    assert a[0]["Assert"] == {"Fn::And": [{"Fn::Contains": [{"Ref": "Users"}, ""]},
                                          {"Fn::EachMemberIn": [{"Fn::RefAll": "X"}, ["a"]]}]}
    assert a[1]["Assert"] == {"Fn::EachMemberEquals": [{"Fn::ValueOfAll": ["T", "Tags"]}, "v"]}
    assert a[2]["Assert"] == {"Fn::Equals": [{"Fn::ValueOf": ["P", "Attr"]}, "v"]}


def test_short_tag_positions_point_at_the_tagged_value():
    r = load_text("Role:\n  Arn: !GetAtt R.Arn\n")
    span = r.document.source.value(("Role", "Arn", "Fn::GetAtt"))
    assert (span.line, span.column) == (2, 8)


def test_yaml11_dates_stay_strings_and_bools_are_bools():
    d = load_text("Version: 2012-10-17\nA: yes\nB: 'yes'\nC: 010\nD: 1.5\nE: ~\n").document.data
    assert d == {"Version": "2012-10-17", "A": True, "B": "yes", "C": "010", "D": 1.5, "E": None}


def test_duplicate_keys_are_reported_with_both_lines():
    r = load_text("A: 1\nB: 2\nA: 3\n")
    assert r.document.data["A"] == 3
    (issue,) = r.issues
    assert issue.kind == "warning" and issue.line == 3 and "line 1" in issue.message


def test_unknown_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"A: !!python/object/apply:os.system ['touch {marker}']\n"
    r = load_text(text)
    assert not marker.exists()
    assert r.document.data == {"A": None}
    assert r.issues and "unsupported YAML tag" in r.issues[0].message


def test_syntax_error_has_its_line():
    r = load_text("A: 1\nB: [1, 2\nC: 3\n")
    assert not r.ok and r.issues[0].line >= 2 and "YAML syntax error" in r.issues[0].message


def test_json_keeps_positions_and_reports_errors():
    r = load_text('{\n  "Resources": {\n    "B": {"Type": "AWS::S3::Bucket"}\n  }\n}\n', "t.json")
    assert r.document.format == "json"
    assert r.document.source.key(("Resources", "B", "Type")).line == 3
    bad = load_text('{\n  "A": 1,\n}\n', "t.json")
    # the trailing comma itself (line 2), worded the same on every Python
    assert not bad.ok and (bad.issues[0].line, bad.issues[0].column) == (2, 9)
    assert "trailing comma" in bad.issues[0].message


def test_deep_nesting_is_bounded_without_crashing():
    for n in (10_000, 100_000):
        r = load_text("[" * n + "]" * n)
        assert not r.ok and "nesting" in r.issues[0].message
    block = "a:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(2000))
    assert not load_text(block).ok


def test_alias_bomb_is_refused_fast():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i-1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    r = load_text("\n".join(lines) + "\n")
    assert not r.ok and "alias" in r.issues[0].message


def test_small_aliases_are_expanded():
    d = load_text("a: &x {b: 1}\nc: *x\n").document.data
    assert d == {"a": {"b": 1}, "c": {"b": 1}}


def test_encodings_and_binary():
    assert not load_bytes(b"A: \xff\xfe\x00\x01").ok
    bad = load_bytes(b"A: 1\nB: \xc3\x28\n")
    assert not bad.ok and bad.issues[0].line == 2
    utf16 = "A: 1\n".encode("utf-16")
    assert load_bytes(utf16).document.data == {"A": 1}
    assert load_bytes(b"\xef\xbb\xbfA: 1\n").document.data == {"A": 1}


def test_size_limit():
    r = load_bytes(b"A: 1\n" * 100, max_bytes=100)
    assert not r.ok and "over the limit" in r.issues[0].message
