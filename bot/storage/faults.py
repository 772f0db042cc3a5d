"""Which database errors last: a read-only database or a full disk is not fixed by waiting a
few seconds, so the update is not tried again (its visible steps would repeat) and the officer
is told it could not be saved. A locked database or a dropped connection passes quickly."""

from __future__ import annotations

import time

from sqlalchemy.exc import DBAPIError

SQLITE_LASTING = (
    "readonly", "read-only", "disk is full", "disk i/o error", "unable to open",
    "no such table", "database disk image is malformed",
)
PG_LASTING = ("53", "25006", "42P01")  # insufficient resources (disk full), read-only, no table

_failing_since: float | None = None


def lasting(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state:
        return state.startswith(PG_LASTING)
    message = str(orig).lower()
    return any(part in message for part in SQLITE_LASTING)


def write_failed() -> None:
    """A lasting fault was met: /healthz says so until a write succeeds again."""
    global _failing_since
    if _failing_since is None:
        _failing_since = time.monotonic()


def write_succeeded() -> None:
    global _failing_since
    _failing_since = None


def writes_failing() -> bool:
    return _failing_since is not None
