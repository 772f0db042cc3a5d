"""Which semesters can be reported on a given day."""

from datetime import date

from bot.periods import GRACE_DAYS, open_periods, previous_period


def test_the_semester_before_wraps_the_year():
    assert previous_period("2027-S1") == "2026-S2"
    assert previous_period("2026-S2") == "2026-S1"


def test_without_a_closing_date_the_semester_before_stays_open_for_the_grace_days():
    assert open_periods(date(2026, 7, 1), {}) == ("2026-S2", "2026-S1")
    assert open_periods(date(2026, 7, 1 + GRACE_DAYS - 32), {}) == ("2026-S2", "2026-S1")
    assert open_periods(date(2026, 9, 15), {}) == ("2026-S2",)
    assert open_periods(date(2027, 1, 20), {}) == ("2027-S1", "2026-S2")


def test_a_closing_date_decides_when_staff_set_one():
    closing = {"2026-S1": date(2026, 10, 31)}
    assert open_periods(date(2026, 10, 31), closing) == ("2026-S2", "2026-S1")
    assert open_periods(date(2026, 11, 1), closing) == ("2026-S2",)
    assert open_periods(date(2026, 7, 2), {"2026-S1": date(2026, 7, 1)}) == ("2026-S2",)
