"""Who owns a resource as the user wrote it: shared by the views and ``Context.owner_of``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model.template import Resource


def owner_of(resource: "Resource") -> str:
    """The logical id a user wrote for ``resource``: an implicit SAM API belongs to the (first)
    function whose event declared it."""
    if resource.implicit and resource.declared_by:
        return resource.declared_by[0][0]
    return resource.logical_id
