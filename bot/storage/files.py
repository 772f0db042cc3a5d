"""Files on disk that hold personal data (the database, officers' documents) are the bot's
user's only: 0600 files, 0700 folders, whatever the umask (deploy/concerta.service also sets
UMask=0077)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create the folder (and missing parents) readable by this user only."""
    path = Path(path)
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create the file if missing, and make it (new or old) readable by this user only."""
    path = Path(path)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    path.chmod(PRIVATE_FILE)
    return path


def remove(paths: Iterable[str | None]) -> int:
    """Delete these files and their folders left empty; the number of files removed."""
    removed = 0
    for name in paths:
        if not name:
            continue
        path = Path(name)
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.error("could not delete a document: %s", type(exc).__name__)
            continue
        try:
            path.parent.rmdir()  # only when empty
        except OSError:
            pass
    return removed
