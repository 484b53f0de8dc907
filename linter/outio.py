"""Writing a report: to standard output or to a file, never with a traceback.

- The text is encoded here, with ``errors="backslashreplace"``: whatever the locale
  (``PYTHONIOENCODING=utf-8:strict``, ``LC_ALL=C``) a character the stream cannot encode is shown
  as an escape instead of killing the report.
- Standard output closed (``>&-``), full (``>/dev/full``) or failing: ``error: ...`` on stderr,
  exit status 2. A closed pipe (``slint check . | head -1``) ends quietly with 141, the status
  of a command killed by SIGPIPE, as other command-line tools do.
"""

from __future__ import annotations

import os
import sys

EXIT_PIPE = 141


def _err(msg: str) -> int:
    try:
        sys.stderr.write(f"error: {msg}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr is gone too: nothing to tell
        pass
    return 2


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so that the interpreter's last flush at exit does not print
    "Exception ignored ... BrokenPipeError" (the recipe of the Python docs, signal module)."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def stdout_isatty() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def _fileno(stream) -> int | None:
    try:
        return stream.fileno()
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        return None


def emit(text: str) -> int | None:
    """Write ``text`` to standard output. None when it was written, else the exit status
    (after the error was told on stderr)."""
    out = sys.stdout
    if out is None:
        return _err("cannot write the report: standard output is closed")
    enc = getattr(out, "encoding", None) or "utf-8"
    try:
        data = text.encode(enc, "backslashreplace")
    except LookupError:  # pragma: no cover - an encoding Python does not know
        enc, data = "utf-8", text.encode("utf-8", "backslashreplace")
    try:
        buf = getattr(out, "buffer", None)
        fd = _fileno(out)
        if fd is not None:  # straight to the file descriptor: a short write is retried, and
            out.flush()     # a closed pipe raises (BufferedWriter can drop the rest silently)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        elif buf is not None:
            out.flush()
            buf.write(data)
            buf.flush()
        else:  # a text-only stream (some test runners): it has accepted str all along
            out.write(data.decode(enc, "replace"))
            out.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except (OSError, ValueError) as exc:  # ValueError: I/O operation on closed file
        _silence_stdout()
        why = getattr(exc, "strerror", None) or str(exc)
        return _err(f"cannot write the report to standard output: {why}")
    return None


def write_file(path: str, text: str) -> int | None:
    """Write ``text`` to ``path`` (UTF-8). None on success, else 2 (after the error)."""
    try:
        with open(path, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except OSError as exc:
        return _err(f"cannot write {path}: {exc.strerror or exc}")
    return None


def file_id(path: str) -> tuple[int, int] | None:
    """(st_dev, st_ino) of what ``path`` names (links followed), or None if it does not exist."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def overwrite_conflict(outputs: list[tuple[str, str]], inputs) -> str | None:
    """The error message if one of ``outputs`` ((option, path) pairs) is a file this run reads
    (the same path or the same inode: a hard or symbolic link to it), else None."""
    wanted = {}
    for option, path in outputs:
        fid = file_id(path)
        if fid is not None:
            wanted.setdefault(fid, (option, path))
    if not wanted:
        return None
    for src in inputs:
        fid = file_id(src)
        if fid in wanted:
            option, path = wanted[fid]
            same = "" if os.path.abspath(src) == os.path.abspath(path) else f" (it is {src})"
            return (f"{option} {path} would overwrite a file that this run reads{same}; "
                    "write the report elsewhere")
    return None


def special_kind(path: str) -> str | None:
    """What a named path is when it is neither a regular file nor a directory (``a FIFO``,
    ``a socket``, ``a character device``, ``a block device``), from ``os.stat`` without opening
    it (opening a FIFO for reading blocks until a writer comes); None otherwise."""
    import stat
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"
