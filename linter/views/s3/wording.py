"""How rules word a bucket grant."""

from __future__ import annotations

from typing import Iterable

from .model import LIST, READ, WRITE, Exposure, PolicyStatement


def access_words(access: Iterable[str], obj: str = "its objects") -> str:
    """``read, list and write its objects``."""
    words = [a for a in (READ, LIST, WRITE) if a in access]
    if len(words) > 1:
        words = [", ".join(words[:-1]) + " and " + words[-1]]
    return f"{words[0]} {obj}" if words else ""


def _label(s: PolicyStatement) -> str:
    if s.sid not in (None, ""):
        return f"statement `{s.sid}`"
    stmt = s.path[-1] if s.path and isinstance(s.path[-1], int) else None
    return f"statement {stmt + 1}" if stmt is not None else "its statement"


def grant_notes(g: Exposure) -> str:
    """`` (what is unknown; what is left to defaults)`` or an empty string."""
    parts = list(g.unknowns) + list(g.notes)
    return f" ({'; '.join(parts)})" if parts else ""


def describe_grant(g: Exposure) -> str:
    """Where a grant comes from, in a clause: ``AccessControl `PublicRead` grants AllUsers READ on
    the bucket``, ``statement 0 of `SitePolicy` allows anyone s3:GetObject``."""
    if g.kind == "acl":
        acl = g.actions[0].split(": ", 1)[1] if g.actions else "?"
        return f"AccessControl `{acl}`" + (f" {g.actions[1]}" if len(g.actions) > 1 else "")
    if g.kind == "website":
        return ("WebsiteConfiguration turns on website hosting, but nothing in the template "
                "grants public read, so the website endpoint answers 403 Access Denied")
    return f"{g.label or 'a statement'} of `{g.source}` allows {g.who} {', '.join(g.actions)}"
