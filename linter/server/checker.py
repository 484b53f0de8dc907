"""What the language server asks of slint, without any LSP: check one document's text with the
configuration the CLI would find for its path, and keep the facts that workspace-wide rules
(duplicate bucket names across templates) need, so that their findings refresh on save.

Thread-safety: the server calls ``check`` from one worker thread at a time; ``lock`` guards the
shared state against the event loop's reads.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from ..findings import Finding


@dataclass
class Checked:
    path: str
    status: str                       # checked | skipped | error
    findings: list[Finding] = field(default_factory=list)
    reason: str | None = None


class Checker:
    def __init__(self, roots: list[str] | None = None, *, use_cache: bool = True):
        self.roots = [os.path.abspath(r) for r in roots or []]
        self.use_cache = use_cache
        self.lock = threading.RLock()
        self._configs: dict[str, tuple] = {}      # config file -> (mtime, Config, rules)
        self._disk: dict[str, object] = {}        # path -> FileResult of the file on disk
        self._open: dict[str, object] = {}        # path -> FileResult of the editor's text
        self.config_errors: dict[str, str] = {}   # config file -> why it cannot be used

    # ------------------------------------------------------------------ configuration
    def config_for(self, path: str):
        """(Config, rules) for a document, as ``slint check PATH`` would find them; a broken
        config file falls back to the defaults (and is remembered in ``config_errors``)."""
        from ..config import Config, find_config, load_config
        from ..engine import selected_rules
        found = find_config([path], cwd=os.path.dirname(path))
        key = found or ""
        try:
            mtime = os.stat(found).st_mtime_ns if found else 0
        except OSError:
            mtime = 0
        with self.lock:
            hit = self._configs.get(key)
            if hit is not None and hit[0] == mtime:
                return hit[1], hit[2]
        cfg = Config()
        if found:
            try:
                cfg = load_config(found)
                self.config_errors.pop(found, None)
            except (ValueError, OSError) as exc:
                self.config_errors[found] = str(exc)
        rules = selected_rules(cfg)
        with self.lock:
            self._configs[key] = (mtime, cfg, rules)
        return cfg, rules

    # ------------------------------------------------------------------ checking
    def check(self, path: str, text: str) -> Checked:
        """Check the editor's text of ``path``; its facts replace the file's on-disk facts for
        workspace-wide rules until the document is closed."""
        from ..engine import check_text
        cfg, rules = self.config_for(path)
        fr = check_text(text, path, cfg, rules)
        with self.lock:
            self._open[path] = fr
        return Checked(path, fr.status, list(fr.findings), fr.reason)

    def close(self, path: str) -> None:
        with self.lock:
            self._open.pop(path, None)

    def scan_workspace(self) -> int:
        """Check every template under the workspace roots from disk (with the result cache), for
        the facts of workspace-wide rules. Returns the number of files seen."""
        from ..cache import open_cache
        from ..engine import run
        n = 0
        for root in self.roots:
            if not os.path.isdir(root):
                continue
            cfg, rules = self.config_for(os.path.join(root, "x.yaml"))
            cache = open_cache(None, cfg, rules) if self.use_cache else None
            result = run([root], cfg, rules=rules, jobs=1, cache=cache)
            with self.lock:
                for fr in result.files:
                    self._disk[os.path.abspath(fr.file)] = fr
            n += len(result.files)
        return n

    def saved(self, path: str) -> None:
        """The editor wrote ``path``: what is on disk is what the editor has."""
        with self.lock:
            if path in self._open:
                self._disk[path] = self._open[path]

    def project_findings(self) -> dict[str, list[Finding]]:
        """Findings of workspace-wide rules, by file, over the open documents' text and every
        other template's disk content."""
        from ..engine import finish
        with self.lock:
            merged = dict(self._disk)
            merged.update(self._open)
            results = [merged[k] for k in sorted(merged)]
        if not results:
            return {}
        cfg, rules = self.config_for(results[0].file)
        project_rules = [r for r in rules if r.has_project_check()]
        if not project_rules:
            return {}
        # only the project-level findings: finish() adds them after the per-file ones
        per_file = {id(f) for r in results for f in r.findings}
        out: dict[str, list[Finding]] = {}
        for f in finish(results, project_rules, cfg).findings:
            if id(f) not in per_file:
                out.setdefault(os.path.abspath(f.file), []).append(f)
        return out
