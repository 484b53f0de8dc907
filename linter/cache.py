"""Result cache: an unchanged file is not checked again.

An entry is one file's ``FileResult`` (findings, status, facts for project-level rules), stored
under a key made of:

- the file's content hash (BLAKE2b of its bytes) and the name it is reported under;
- a *namespace*: slint's version, a fingerprint of slint's own code and data files (size and
  mtime of every module, so that an editable install that changes a rule never reads stale
  results), the configuration (every ``Config`` field) and the selected rules with their options
  and severities.

Location: ``--cache-dir DIR``, else ``$SLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/slint`` (default
``~/.cache/slint``). The default is outside the checked repository on purpose: nothing to
``.gitignore``, and a repository cannot ship cache entries of its own. Entries are JSON (never
pickle), so a cache directory that someone else can write cannot make slint run code; an entry
that does not decode is treated as a miss.

Layout: ``DIR/v1/<namespace>/<0-f>.json``, 16 packs of entries per namespace (by the key's
first hex digit), each read when first needed and rewritten atomically (temp file + rename) by a
run that added entries to it; at most ``MAX_ENTRIES`` entries in all, the least recently written
dropped first. Two concurrent runs may drop each other's new entries
(costing only a re-check). Old namespaces are left behind: ``rm -rf`` the directory to reclaim
space.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from typing import Any

from . import __version__
from .findings import Finding

FORMAT = "v1"


def default_dir() -> str:
    env = os.environ.get("SLINT_CACHE_DIR")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "slint")


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _code_fingerprint() -> str:
    """Size and mtime of every file of the installed ``slint`` and ``slint.rules`` packages."""
    import slint
    import slint.rules
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    roots = sorted({os.path.dirname(os.path.abspath(slint.__file__)),
                    os.path.dirname(os.path.abspath(slint.rules.__file__))})
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".json", ".toml", ".yaml")):
                    p = os.path.join(dirpath, name)
                    try:
                        st = os.stat(p)
                    except OSError:
                        continue
                    h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _stable(v: Any) -> str:
    """``repr`` that does not depend on set iteration order (hash randomisation)."""
    if isinstance(v, (set, frozenset)):
        return "{" + ",".join(sorted(_stable(x) for x in v)) + "}"
    if isinstance(v, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(_stable(x) for x in v) + "]"
    return repr(v)


def namespace(config: Any, rules: list) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(FORMAT.encode())
    h.update(_code_fingerprint().encode())
    h.update(repr(sorted((f.name, _stable(getattr(config, f.name))) for f in fields(config))).encode())
    for r in sorted(rules, key=lambda r: r.code):
        h.update(repr((r.code, type(r).__module__, type(r).__qualname__,
                       sorted((k, _stable(v)) for k, v in r.opts.items()),
                       getattr(r.effective_severity, "value", r.effective_severity))).encode())
    return h.hexdigest()


# ---------------------------------------------------------------- encoding (JSON, tagged)
class Unencodable(Exception):
    pass


def _enc(x: Any) -> Any:
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, list):
        return [_enc(v) for v in x]
    if isinstance(x, tuple):
        return {"__t": [_enc(v) for v in x]}
    if isinstance(x, dict):
        if all(type(k) is str for k in x) and not any(k.startswith("__") for k in x):
            return {k: _enc(v) for k, v in x.items()}
        return {"__d": [[_enc(k), _enc(v)] for k, v in x.items()]}
    if isinstance(x, (set, frozenset)):
        items = sorted((_enc(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
        return {"__f" if isinstance(x, frozenset) else "__s": items}
    if isinstance(x, Finding):
        return {"__F": {f.name: _enc(getattr(x, f.name)) for f in fields(Finding)}}
    raise Unencodable(type(x).__name__)


def _dec(x: Any) -> Any:
    if isinstance(x, list):
        return [_dec(v) for v in x]
    if isinstance(x, dict):
        if len(x) == 1:
            (k, v), = x.items()
            if k == "__t":
                return tuple(_dec(i) for i in v)
            if k == "__d":
                return {_hashable(_dec(a)): _dec(b) for a, b in v}
            if k == "__s":
                return {_hashable(_dec(i)) for i in v}
            if k == "__f":
                return frozenset(_hashable(_dec(i)) for i in v)
            if k == "__F":
                return Finding(**{n: _dec(val) for n, val in v.items()})
        return {k: _dec(v) for k, v in x.items()}
    return x


def _hashable(x: Any) -> Any:
    if isinstance(x, list):  # pragma: no cover - only a corrupt entry gets here
        raise ValueError("unhashable key in cache entry")
    return x


def encode_result(fr: Any) -> str:
    """JSON text of a ``FileResult``; raises ``Unencodable`` for facts JSON cannot hold."""
    from .engine import FileResult
    return json.dumps({f.name: _enc(getattr(fr, f.name)) for f in fields(FileResult)},
                      separators=(",", ":"))


def decode_result(text: str) -> Any:
    from .engine import FileResult
    d = json.loads(text)
    return FileResult(**{k: _dec(v) for k, v in d.items()})


# ---------------------------------------------------------------- the store
MAX_ENTRIES = 20_000


class Cache:
    """Entries in 16 JSON packs per namespace (by the key's first hex digit): a pack is read at
    the first lookup that needs it and rewritten once at the end of a run that added entries to
    it (``flush``). Packs, not one file per template: creating hundreds of small files costs more
    than checking the templates on some file systems; several packs, not one: a run that checks
    one file reads a sixteenth of the cache."""

    SHARDS = "0123456789abcdef"

    def __init__(self, directory: str, config: Any, rules: list):
        self.dir = os.path.join(directory, FORMAT, namespace(config, rules))
        self.hits = 0
        self.misses = 0
        self.writable = True
        self._packs: dict[str, dict[str, list]] = {}   # shard -> key -> [stamp, payload]
        self._stamps: dict[str, int] = {}
        self._new: dict[str, Any] = {}
        self._used: set[str] = set()

    @staticmethod
    def key(display: str, explicit: bool, digest: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        h.update(f"{display}\0{int(explicit)}\0{digest}".encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def pack_path(self, shard: str) -> str:
        return os.path.join(self.dir, shard + ".json")

    def _load(self, shard: str) -> dict[str, list]:
        pack = self._packs.get(shard)
        if pack is None:
            pack = self._packs[shard] = {}
            self._stamps[shard] = 0
            try:
                with open(self.pack_path(shard), encoding="utf-8") as fh:
                    data = json.load(fh)
                if isinstance(data, dict) and data.get("format") == FORMAT \
                        and isinstance(data.get("entries"), dict):
                    self._stamps[shard] = int(data.get("stamp", 0))
                    pack.update((k, v) for k, v in data["entries"].items()
                                if isinstance(v, list) and len(v) == 2)
            except (OSError, ValueError, TypeError, RecursionError):
                pass  # no pack yet, or an unreadable one: start empty
        return pack

    def get(self, key: str) -> Any | None:
        entry = self._load(key[:1]).get(key)
        if entry is not None:
            try:
                from .engine import FileResult
                fr = FileResult(**{k: _dec(v) for k, v in entry[1].items()})
            except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
                fr = None
            if fr is not None:
                self.hits += 1
                self._used.add(key)
                return fr
        self.misses += 1
        return None

    def put(self, key: str, fr: Any) -> None:
        from .engine import FileResult
        try:
            payload = {f.name: _enc(getattr(fr, f.name)) for f in fields(FileResult)}
            json.dumps(payload)  # fail here, not in flush, on what JSON cannot hold
        except (Unencodable, ValueError, TypeError, RecursionError):
            return  # facts that JSON cannot hold: this file is simply not cached
        self._new[key] = payload

    def flush(self) -> None:
        """Rewrite the packs this run added entries to (atomically: temp file + rename)."""
        if not self._new or not self.writable:
            return
        limit = max(1, MAX_ENTRIES // len(self.SHARDS))
        for shard in sorted({k[:1] for k in self._new}):
            entries = self._load(shard)
            stamp = self._stamps[shard] + 1
            for k in self._used:
                if k[:1] == shard and k in entries:
                    entries[k][0] = stamp
            for k, payload in self._new.items():
                if k[:1] == shard:
                    entries[k] = [stamp, payload]
            if len(entries) > limit:  # least recently written first out
                keep = sorted(entries, key=lambda k: entries[k][0], reverse=True)[:limit]
                entries = self._packs[shard] = {k: entries[k] for k in keep}
            self._stamps[shard] = stamp
            self._write(self.pack_path(shard), json.dumps(
                {"format": FORMAT, "stamp": stamp, "entries": entries}, separators=(",", ":")))
            if not self.writable:
                break
        self._new, self._used = {}, set()

    def _write(self, path: str, text: str) -> None:
        import tempfile
        tmp = None
        try:
            os.makedirs(self.dir, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            self.writable = False  # read-only or full disk: carry on without writing
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def open_cache(directory: str | None, config: Any, rules: list) -> Cache | None:
    """The cache for this run (``directory`` None: ``default_dir()``), or None when the directory
    cannot be used."""
    try:
        return Cache(directory or default_dir(), config, rules)
    except OSError:  # pragma: no cover - e.g. no home directory
        return None
