#!/usr/bin/env python3
"""Language server latency and memory: `python bench/lsp_latency.py [--resources 300]`.

Starts `slint server` over stdio with a minimal JSON-RPC client (no editor), opens a generated
template of N resources and then:

- latency: ``--samples`` edits, one at a time; for each, the time from sending ``didChange`` to
  receiving the ``publishDiagnostics`` for that version (includes the server's debounce);
- memory: ``--edits`` edits typed fast (``--interval`` apart, as a user types: most are
  superseded before their check starts), waiting for the last one's diagnostics; the server's
  resident memory (VmRSS, VmHWM) after the first 100 edits and after all of them.

Prints p50 / p95 / max latency and the memory figures. Numbers are from this machine; see
docs/performance.md for the recorded ones.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import template  # noqa: E402


class Client:
    def __init__(self, cmd: list[str], env: dict):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=env)
        self.next_id = 0
        self.cv = threading.Condition()
        self.responses: dict[int, dict] = {}
        self.published: dict[str, tuple[int | None, float, int]] = {}  # uri -> (version, t, n)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        f = self.p.stdout
        while True:
            headers = {}
            while True:
                line = f.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.decode().partition(":")
                headers[k.lower()] = v.strip()
            body = json.loads(f.read(int(headers["content-length"])))
            with self.cv:
                if "id" in body and "method" not in body:
                    self.responses[body["id"]] = body
                elif body.get("method") == "textDocument/publishDiagnostics":
                    prm = body["params"]
                    self.published[prm["uri"]] = (prm.get("version"), time.perf_counter(),
                                                  len(prm["diagnostics"]))
                elif "id" in body:  # a request from the server (e.g. registerCapability)
                    self._send({"jsonrpc": "2.0", "id": body["id"], "result": None})
                self.cv.notify_all()

    def _send(self, msg: dict) -> None:
        data = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.p.stdin.flush()

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        with self.cv:
            self.cv.wait_for(lambda: rid in self.responses, timeout=120)
            return self.responses.pop(rid)

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_version(self, uri: str, version: int, timeout: float = 120) -> tuple[float, int]:
        with self.cv:
            ok = self.cv.wait_for(lambda: (self.published.get(uri) or (None,))[0] == version,
                                  timeout=timeout)
            if not ok:
                raise TimeoutError(f"no diagnostics for version {version}")
            _v, t, n = self.published[uri]
            return t, n


def rss(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            k, v = line.split(":")
            out[k] = int(v.split()[0]) / 1024
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", type=int, default=300)
    ap.add_argument("--samples", type=int, default=30)
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--interval", type=float, default=0.01)
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="slint-lsp-bench-"))
    text = template(a.resources)
    path = tmp / "template.yaml"
    path.write_text(text)
    uri = path.as_uri()
    env = {**os.environ, "SLINT_CACHE_DIR": str(tmp / "cache")}
    c = Client([sys.executable, "-m", "slint", "server"], env)
    c.request("initialize", {"processId": os.getpid(), "rootUri": tmp.as_uri(),
                             "capabilities": {}})
    c.notify("initialized", {})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                       "version": 1, "text": text}})
    c.wait_version(uri, 1)
    version = 1

    def edit(i: int) -> None:
        nonlocal version
        version += 1
        # a realistic keystroke: change the Description line's text
        new = text.replace("Description: slint benchmark", f"Description: edit {i} slint benchmark", 1)
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": new}]})

    lat = []
    for i in range(a.samples):
        t0 = time.perf_counter()
        edit(i)
        t1, n = c.wait_version(uri, version)
        lat.append(t1 - t0)
    lat.sort()
    p50 = statistics.median(lat)
    p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
    after = {}
    for i in range(a.edits):
        edit(i)
        time.sleep(a.interval)
        if i + 1 in (100, a.edits):
            c.wait_version(uri, version)
            after[i + 1] = rss(c.p.pid)
    c.request("shutdown", None)
    c.notify("exit", None)
    c.p.wait(timeout=30)
    print(f"template: {a.resources} resources, {len(text.splitlines())} lines, {n} diagnostics")
    print(f"didChange -> publishDiagnostics over {a.samples} edits (debounce included): "
          f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms")
    for k, v in after.items():
        print(f"server memory after {k} edits: RSS {v['VmRSS']:.0f} MB (peak {v['VmHWM']:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
