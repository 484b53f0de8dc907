"""The Serverless Framework frontend: ``serverless.yml`` -> a SAM template Document.

``prepare(doc, display)`` recognises a service file by content and translates it (see
``translate.py``) so that the model, graph, views, rules, suppressions and formatters check it
unchanged, with findings on ``serverless.yml`` lines (or on the file a ``${file()}`` read).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .detect import is_serverless, program_reason, skip_reason

__all__ = ["Prepared", "prepare", "is_serverless", "program_reason", "skip_reason"]


@dataclass
class Prepared:
    document: object | None                      # the translated Document, or None when skipped
    skipped: str | None = None                   # why it is not checked
    notes: list = field(default_factory=list)    # (message, template path): problems found
    files_read: list = field(default_factory=list)


def prepare(doc, display: str | None = None, root: str | None = None) -> Prepared:
    """``doc`` (a loaded service file) -> Prepared. Call only when ``is_serverless(doc.data)``."""
    why = skip_reason(doc.data)
    if why is not None:
        return Prepared(None, why)
    from .translate import translate
    t = translate(doc, display, root)
    return Prepared(t.document, None, t.notes, t.files_read)
