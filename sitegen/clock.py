"""The date a build is made on: the one place sitegen asks what day it is."""

from __future__ import annotations

import datetime as dt
import os

__all__ = ["build_date"]


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
