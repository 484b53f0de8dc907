"""Folder scans stay inside the folder: no read through a symlink that leaves it, no crash on
a very deep tree (item 4 of the hardening issue)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from slint.engine import MAX_DEPTH, discover, discover_report, run

TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"


def test_file_symlink_out_of_the_scanned_folder_is_skipped_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(TEMPLATE.replace("T:", "Secret:"))
    scan = tmp_path / "repo"
    (scan / "sub").mkdir(parents=True)
    (scan / "ok.yaml").write_text(TEMPLATE)
    os.symlink(outside / "secret.yaml", scan / "link.yaml")
    os.symlink("/etc/passwd", scan / "passwd.yaml")
    os.symlink("/proc/self/environ", scan / "environ.json")
    (scan / "tpl.txt").write_text(TEMPLATE)   # not a template extension: found through the link
    os.symlink(scan / "tpl.txt", scan / "sub" / "inside.yaml")  # inside: read
    os.symlink(outside, scan / "outdir")                          # folder: not followed
    os.symlink(scan, scan / "sub" / "loop")                       # loop: not followed
    found, skipped = discover_report([str(scan)])
    assert [p for p, _ in found] == [str(scan / "ok.yaml"), str(scan / "sub" / "inside.yaml")]
    assert sorted(skipped) == [(str(scan / n), "symlink to a file outside the scanned folder")
                               for n in ("environ.json", "link.yaml", "passwd.yaml")]
    r = subprocess.run([sys.executable, "-m", "slint", "check", "repo", "-f", "json",
                        "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    doc = json.loads(r.stdout)
    files = {f["file"]: f for f in doc["files"]}
    assert files["repo/link.yaml"] == {"file": "repo/link.yaml", "status": "skipped",
                                       "findings": 0, "resources": 0,
                                       "reason": "symlink to a file outside the scanned folder"}
    assert files["repo/sub/inside.yaml"]["status"] == "checked"
    assert "Secret" not in r.stdout and "root:" not in r.stdout
    assert "slint: skipped repo/link.yaml: symlink to a file outside the scanned folder" in r.stderr


def test_symlink_named_on_the_command_line_is_read(tmp_path):
    (tmp_path / "real.yaml").write_text(TEMPLATE)
    os.symlink(tmp_path / "real.yaml", tmp_path / "sub.yaml")
    assert discover([str(tmp_path / "sub.yaml")]) == [(str(tmp_path / "sub.yaml"), True)]
    res = run([str(tmp_path / "sub.yaml")], jobs=1)
    assert [f.status for f in res.files] == ["checked"]


def test_very_deep_tree_does_not_crash(tmp_path):
    path = str(tmp_path)
    dirs = []
    for i in range(1100):
        path = os.path.join(path, "d")
        os.mkdir(path)
        dirs.append(path)
        if i == 10:
            with open(os.path.join(path, "shallow.yaml"), "w") as fh:
                fh.write(TEMPLATE)
    with open(os.path.join(path, "deep.yaml"), "w") as fh:
        fh.write(TEMPLATE)
    try:
        found, skipped = discover_report([str(tmp_path)])
        assert [os.path.basename(p) for p, _ in found] == ["shallow.yaml"]
        deep = str(tmp_path) + "/d" * (MAX_DEPTH + 1)
        assert skipped == [(deep, f"folder nested more than {MAX_DEPTH} levels deep: not scanned")]
    finally:
        # removed here, bottom up: pytest's recursive clean-up of old temp dirs overflows the
        # Python stack on 1 100 levels ("Exception ignored in atexit callback")
        os.remove(os.path.join(path, "deep.yaml"))
        os.remove(os.path.join(dirs[10], "shallow.yaml"))
        for d in reversed(dirs):
            os.rmdir(d)


def test_walk_order_is_unchanged(tmp_path):
    for rel in ("b/x.yaml", "a/z.yaml", "a/c/y.json", "top.yml", ".hidden/h.yaml",
                "node_modules/n.yaml", "a/readme.md"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(TEMPLATE)
    assert [os.path.relpath(p, tmp_path) for p, _ in discover([str(tmp_path)])] == [
        "top.yml", "a/z.yaml", "a/c/y.json", "b/x.yaml"]
