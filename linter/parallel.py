"""The runner: reading files, the result cache, worker processes.

``check_target`` is the one way a file is read and checked (``slint.engine.check_file`` and the
workers use it): read it bounded, skip what cannot be a template, load it, hand the document to
the pure per-document check (``slint.check``). ``check_targets`` does that for many files.

``check_targets`` returns one ``FileResult`` per target, in the order of the targets, whatever
the number of processes and whatever came from the cache; each file's findings are already
sorted, so the report is byte-for-byte the same for ``--jobs 1``, ``--jobs N``, cold and warm.

Processes pay off only with enough work: a run with fewer than ``MIN_FILES_PER_JOB`` files per
extra process, or less than ``MIN_BYTES`` to read, stays in this process. Workers are forked
(the parent has already imported slint and the rules) where the platform allows it, and get the
files largest first, in small batches, so that two cores finish together. A worker that dies
(it should not: the loader bounds everything) breaks the pool; its unfinished files are then
checked here, one by one.

A file found by walking a directory must be a regular file (a FIFO would block, a device never
ends); anything else is skipped with its reason. Any exception outside the rules (which the
engine already isolates) becomes an INT001 finding for that file, never a traceback.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
import traceback
from typing import Any, Callable

from .cache import content_hash
from .check import NOT_A_TEMPLATE, check_document
from .loader import LoadIssue, LoadResult, load_bytes
from .results import FileResult

MIN_FILES_PER_JOB = 8
MIN_BYTES = 256 * 1024
BATCH = 4

_STATE: dict[str, Any] = {}   # config, rules, by_code in this process (set before forking)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def read_target(path: str, explicit: bool, max_bytes: int) -> tuple[bytes | None, str | None]:
    """(bytes, None) or (None, why it cannot be read). Bounded: at most ``max_bytes + 1``.
    Never blocks: opened with O_NONBLOCK (a FIFO does not wait for a writer) and read only if
    the opened file is a regular file (a device never ends). A discovered non-regular file is
    "not a regular file" (skipped); a named one says what it is (an error)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if not explicit:
                return None, "not a regular file"
            from .outio import special_kind
            return None, f"not a regular file: {special_kind(path) or 'a directory'}"
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return fh.read(max_bytes + 1), None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    finally:
        if fd >= 0:
            os.close(fd)


_MARKERS = (b"AWSTemplateFormatVersion", b"Resources", b"Transform")


def lacks_template_keys(raw: bytes) -> bool:
    """True for UTF-8 bytes with none of the top-level keys ``is_template`` needs, nor the
    ``service`` and ``provider`` of a Serverless Framework service file (a fast skip before
    parsing; other encodings are left to the loader)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:4] == b"\x00\x00\xfe\xff":
        return False
    if any(m in raw for m in _MARKERS):
        return False
    return not (b"service" in raw and b"provider" in raw)  # a serverless.yml


def check_target(path: str, explicit: bool, config, rules, by_code=None, *,
                 display: str | None = None) -> tuple[FileResult, str | None]:
    """One file -> (FileResult, content hash or None when nothing was read). ``display``: the
    name findings are reported under (default: ``path``)."""
    display = display or path
    by_code = by_code if by_code is not None else {r.code: r for r in rules}
    from .model.serverless.detect import program_reason
    why = program_reason(path)
    if why:   # serverless.ts / .js: never executed, so never checkable
        return FileResult(display, "skipped", reason=why), None
    raw, why = read_target(path, explicit, config.max_file_bytes)
    if raw is None:
        if why == "not a regular file":
            return FileResult(display, "skipped", reason=why), None
        loaded = LoadResult(None, [LoadIssue(why or "cannot read file")])
        digest = None
    else:
        digest = content_hash(raw)
        loaded = None
        if not explicit and lacks_template_keys(raw):
            return FileResult(display, "skipped", reason=NOT_A_TEMPLATE), digest
    gc_was = gc.isenabled()
    gc.disable()  # a template is a million small acyclic objects: the cyclic GC only slows it
    try:
        if loaded is None:
            loaded = load_bytes(raw, path, max_bytes=config.max_file_bytes)
        fr = check_document(loaded.document, loaded.issues, display, config, rules, by_code,
                            explicit, source_path=path)
        # other files read (includes, nested stacks, samconfig, ${file()}) or looked for
        # (samconfig): the cached result is used only while each is as it was
        fr.fingerprints = [[p, input_hash(p)] for p in _watched(path, fr)]
        return fr, digest
    except Exception as exc:  # a bug outside the rules: report it on this file, go on
        return _internal_error(display, exc, by_code), digest
    finally:
        loaded = None
        if gc_was:
            gc.enable()


def _watched(path: str, fr: FileResult) -> list[str]:
    """The other files a result of ``path`` rests on: those it read (``depends``, ``watched``),
    and the samconfig files next to it, there or not (one appearing gives parameter values)."""
    if fr.status != "checked":
        return list(dict.fromkeys(fr.depends))
    from .model.parameters import SAMCONFIG_NAMES
    folder = os.path.dirname(os.path.abspath(path))
    return list(dict.fromkeys([*fr.depends, *fr.watched,
                               *(os.path.join(folder, n) for n in SAMCONFIG_NAMES)]))


def input_hash(path: str) -> str:
    """What a file a result depends on was: size, modification time and inode, from ``stat``
    (never read: it may be a refused, huge include); "" when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def fresh(fr: FileResult) -> bool:
    """A cached result whose other input files are unchanged."""
    return all(input_hash(p) == h for p, h in fr.fingerprints)


def _internal_error(path: str, exc: BaseException, by_code) -> FileResult:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f"{os.path.basename(tb[-1].filename)}:{tb[-1].lineno}" if tb else "?"
    msg = f"slint failed on this file: {type(exc).__name__}: {exc} at {where}"
    fr = FileResult(path, "error", reason=msg)
    rule = by_code.get("INT001")
    if rule is not None:
        fr.findings.append(rule.report_at(path, 1, 1, resource=None, message=msg))
    return fr


# ---------------------------------------------------------------- workers
def _init_worker(state: dict | None) -> None:
    if state is not None:  # spawn: the parent's state arrives pickled
        _STATE.update(state)
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    import gc
    gc.freeze()  # forked: leave the parent's objects alone (no copy-on-write by the GC)


def _work(batch: list[tuple[int, str, bool]]) -> list[tuple[int, Any, str | None]]:
    cfg, rules, by_code = _STATE["config"], _STATE["rules"], _STATE["by_code"]
    out = []
    for i, path, explicit in batch:
        fr, digest = check_target(path, explicit, cfg, rules, by_code)
        out.append((i, fr, digest))
    return out


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def check_targets(targets: list[tuple[str, bool]], config, rules, *, jobs: int | None = 1,
                  cache=None, progress: Callable[[int, int, str], None] | None = None) -> list:
    try:
        return _check_targets(targets, config, rules, jobs, cache, progress)
    finally:
        if cache is not None:
            cache.flush()


def _check_targets(targets, config, rules, jobs, cache, progress) -> list:
    by_code = {r.code: r for r in rules}
    results: list = [None] * len(targets)
    keys: list = [None] * len(targets)
    todo: list[int] = []
    if cache is not None:
        for i, (path, explicit) in enumerate(targets):
            raw, _why = read_target(path, explicit, config.max_file_bytes)
            if raw is None:
                todo.append(i)  # unreadable / not a regular file: cheap, never cached
                continue
            key = cache.key(path, explicit, content_hash(raw))
            hit = cache.get(key)
            if hit is not None and not fresh(hit):
                hit = None   # an included file, nested stack or samconfig changed
            if hit is not None:
                results[i] = hit
            else:
                todo.append(i)
    else:
        todo = list(range(len(targets)))
    done = len(targets) - len(todo)
    total = len(targets)
    if progress and done:
        progress(done, total, targets[todo[0]][0] if todo else targets[-1][0])

    def store(i: int, fr, digest: str | None) -> None:
        nonlocal done
        results[i] = fr
        if cache is not None and digest is not None:
            path, explicit = targets[i]
            cache.put(cache.key(path, explicit, digest), fr)
        done += 1
        if progress:
            progress(done, total, targets[i][0])

    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    sizes = {i: _size(targets[i][0]) for i in todo} if jobs > 1 and len(todo) > 1 else {}
    workers = min(jobs, len(todo) // MIN_FILES_PER_JOB) if sizes else 1
    if workers > 1 and sum(sizes.values()) < MIN_BYTES:
        workers = 1
    if workers <= 1:
        for i in todo:
            store(i, *check_target(targets[i][0], targets[i][1], config, rules, by_code))
        return results

    order = sorted(todo, key=lambda i: (-sizes[i], i))      # largest first
    # one typical file here first: what rules load on first use (the IAM action database,
    # policy templates) is then loaded once and shared by the forked workers
    warm = order.pop(len(order) // 2)
    store(warm, *check_target(targets[warm][0], targets[warm][1], config, rules, by_code))
    batches = [[(i, targets[i][0], targets[i][1]) for i in order[k:k + BATCH]]
               for k in range(0, len(order), BATCH)]
    pending = _run_pool(batches, workers, config, rules, by_code, store)
    for i in pending:  # a worker died: finish here
        store(i, *check_target(targets[i][0], targets[i][1], config, rules, by_code))
    return results


def _run_pool(batches, workers, config, rules, by_code, store) -> list[int]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    methods = mp.get_all_start_methods()
    use_fork = "fork" in methods and sys.platform != "darwin"
    ctx = mp.get_context("fork" if use_fork else "spawn")
    state = {"config": config, "rules": rules, "by_code": by_code}
    _STATE.update(state)
    unfinished = {b[0][0]: [i for i, _p, _e in b] for b in batches}
    ex = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(None if use_fork else state,))
    try:
        futures = {ex.submit(_work, b): b[0][0] for b in batches}
        for fut in as_completed(futures):
            try:
                out = fut.result()
            except BrokenProcessPool:
                continue
            for i, fr, digest in out:
                store(i, fr, digest)
            unfinished.pop(futures[fut], None)
    except BrokenProcessPool:  # pragma: no cover - raised on submit to a broken pool
        pass
    except BaseException:  # Ctrl-C: stop the workers now, not after the batches queued
        for proc in list((getattr(ex, "_processes", None) or {}).values()):
            proc.terminate()
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _STATE.clear()
    ex.shutdown(wait=True)
    return sorted(i for ids in unfinished.values() for i in ids)
