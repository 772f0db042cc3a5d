"""One bot per database: the lock a second process finds taken, on SQLite and PostgreSQL."""

import pytest

from bot.storage.db import AlreadyRunning, Database


def test_the_second_claim_on_a_database_is_refused_until_the_first_lets_go(db_url):
    first, second = Database(db_url), Database(db_url)
    try:
        first.claim_single_instance()
        with pytest.raises(AlreadyRunning):
            second.claim_single_instance()
        first.dispose()  # the process stopped (or died: the kernel or the server lets go too)
        second.claim_single_instance()
    finally:
        first.dispose()
        second.dispose()
