"""The one exception a user can act on: something outside the content is wrong."""

from __future__ import annotations

__all__ = ["SitegenError"]


class SitegenError(Exception):
    """Something a user can fix outside the content: a missing folder, an unreadable file, a refused target."""
