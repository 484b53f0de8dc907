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
pickle, ``slint.codec``), so a cache directory that someone else can write cannot make slint run
code; and anything in it that is not exactly what slint writes (a pack that does not parse, has
the wrong shapes, is too large, or is not a regular file: a FIFO, a device, a directory) is a
miss, dropped and overwritten by the next write, never an error or a hang.

Layout: ``DIR/v2/<namespace>/<0-f>.json``, 16 packs of entries per namespace (by the key's
first hex digit), each read when first needed and rewritten atomically (temp file + rename) by a
run that added entries to it; at most ``MAX_ENTRIES`` entries in all, the least recently written
dropped first, and at most ``MAX_PACK_BYTES`` per pack. A pack is replaced atomically (a temp
file in the same directory, then ``os.replace``): a reader sees the old pack or the new one,
never half of one, so two runs sharing a cache directory never corrupt it. A run flushes under
an exclusive ``flock`` on the namespace directory and merges its entries into the pack as it is
on disk then, so two runs at once keep each other's new entries (without ``fcntl``, or when the
lock cannot be had within ``LOCK_WAIT``, the last writer's pack wins: a re-check, never a wrong
result). Old namespaces are left behind: ``rm -rf`` the directory to reclaim
space.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

from . import __version__
from .codec import (CodecError, Unencodable, decode_payload, decode_result,  # noqa: F401
                    encode_payload, encode_result)
from .results import FileResult

FORMAT = "v3"       # v2: FileResult.pending, strict decoding; v3: suppressed findings, subjects


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


# ---------------------------------------------------------------- the store
MAX_ENTRIES = 20_000
MAX_PACK_BYTES = 64 * 1024 * 1024
_MAX_STAMP = 2 ** 53
_HEX = frozenset("0123456789abcdef")


def read_bounded(path: str, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else None.
    Opened non-blocking (a FIFO planted there does not hang the open) and checked with
    ``fstat`` on the open descriptor (no race between the check and the read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:   # grew while we read it
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _is_stamp(v: Any) -> bool:
    return type(v) is int and 0 <= v < _MAX_STAMP


def _parse_pack(raw: bytes, shard: str) -> tuple[int, dict[str, list]] | None:
    """(stamp, key -> [stamp, payload]) of a pack slint wrote, or None for anything else.
    Entries of the wrong shape are dropped; a payload is decoded (strictly) only on ``get``."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):   # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not _is_stamp(data.get("stamp")) or not isinstance(data.get("entries"), dict):
        return None
    stamp = data["stamp"]
    entries = {k: v for k, v in data["entries"].items()
               if len(k) == 40 and k[:1] == shard and _HEX.issuperset(k)
               and isinstance(v, list) and len(v) == 2 and _is_stamp(v[0]) and v[0] <= stamp
               and isinstance(v[1], dict)}
    return stamp, entries


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
        self._dropped: set[str] = set()   # entries found broken: left out of the next write

    @staticmethod
    def key(display: str, explicit: bool, digest: str) -> str:
        """The entry of one file: its content *and the name it is reported under* (two
        identical files must not share findings, which carry the file name)."""
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
            raw = read_bounded(self.pack_path(shard), MAX_PACK_BYTES)
            parsed = _parse_pack(raw, shard) if raw is not None else None
            if parsed is not None:   # else no pack yet, or one slint did not write: start empty
                self._stamps[shard], entries = parsed
                pack.update(entries)
        return pack

    def get(self, key: str) -> FileResult | None:
        pack = self._load(key[:1])
        entry = pack.get(key)
        if entry is not None:
            try:
                fr = decode_payload(entry[1])
            except CodecError:
                del pack[key]   # not what slint writes: a miss, and gone at the next write
                self._dropped.add(key)
                fr = None
            if fr is not None:
                self.hits += 1
                self._used.add(key)
                return fr
        self.misses += 1
        return None

    def put(self, key: str, fr: FileResult) -> None:
        try:
            payload = encode_payload(fr)
            json.dumps(payload)  # fail here, not in flush, on what JSON cannot hold
        except (Unencodable, ValueError, TypeError, RecursionError):
            return  # facts that JSON cannot hold: this file is simply not cached
        self._new[key] = payload

    def flush(self) -> None:
        """Rewrite the packs this run added entries to (atomically: temp file + rename), each
        merged with what another run wrote to it meanwhile, under the namespace's lock."""
        if not self._new or not self.writable:
            return
        try:
            os.makedirs(self.dir, exist_ok=True)
        except OSError:
            self.writable = False
            return
        with _dir_lock(self.dir):
            self._flush()

    def _flush(self) -> None:
        limit = max(1, MAX_ENTRIES // len(self.SHARDS))
        for shard in sorted({k[:1] for k in self._new}):
            entries = self._load(shard)
            # the pack as it is now: another run may have written it since it was read here
            raw = read_bounded(self.pack_path(shard), MAX_PACK_BYTES)
            parsed = _parse_pack(raw, shard) if raw is not None else None
            if parsed is not None:
                disk_stamp, entries = parsed
                self._stamps[shard] = max(self._stamps[shard], disk_stamp)
                for k in self._dropped:
                    entries.pop(k, None)
            stamp = self._stamps[shard] + 1
            for k in self._used:
                if k[:1] == shard and k in entries:
                    entries[k][0] = stamp
            for k, payload in self._new.items():
                if k[:1] == shard:
                    entries[k] = [stamp, payload]
            text, kept = _pack_text(stamp, entries, limit, MAX_PACK_BYTES)
            self._packs[shard] = kept
            self._stamps[shard] = stamp
            self._write(self.pack_path(shard), text)
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
            os.replace(tmp, path)   # atomic: readers see the old pack or this one
            tmp = None
        except OSError:
            self.writable = False  # read-only or full disk: carry on without writing
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


LOCK_WAIT = 5.0   # seconds a flush waits for another run's; then it writes without the lock


@contextmanager
def _dir_lock(directory: str):
    """An exclusive ``flock`` on the namespace directory while packs are merged and replaced,
    so that two runs flushing at once keep both their entries. Best effort: without ``fcntl``
    (Windows), when the directory cannot be opened or locked, or after ``LOCK_WAIT`` seconds,
    the flush goes ahead unlocked: packs stay whole (atomic replace), entries may be lost."""
    try:
        import fcntl
    except ImportError:   # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    locked = False
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            except OSError:
                break
        yield
    finally:
        if locked:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _pack_text(stamp: int, entries: dict[str, list], limit: int,
               max_bytes: int) -> tuple[str, dict[str, list]]:
    """The pack's JSON text with the most recently written entries that fit both bounds
    (``limit`` entries, ``max_bytes`` bytes), and those entries."""
    head = '{"format":%s,"stamp":%d,"entries":{' % (json.dumps(FORMAT), stamp)
    size = len(head) + 2
    parts, kept = [], {}
    for k in sorted(entries, key=lambda k: (-entries[k][0], k)):   # newest first
        if len(kept) >= limit:
            break
        part = json.dumps(k) + ":" + json.dumps(entries[k], separators=(",", ":"))
        n = len(part.encode("utf-8")) + 1
        if size + n > max_bytes:
            continue
        size += n
        parts.append(part)
        kept[k] = entries[k]
    return head + ",".join(parts) + "}}", kept


def open_cache(directory: str | None, config: Any, rules: list) -> Cache | None:
    """The cache for this run (``directory`` None: ``default_dir()``), or None when the directory
    cannot be used."""
    try:
        return Cache(directory or default_dir(), config, rules)
    except OSError:  # pragma: no cover - e.g. no home directory
        return None
