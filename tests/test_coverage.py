"""bot/coverage.py on a real database (SQLite and PostgreSQL): every place of the list counts,
each in one state, milestones from the current report only, and the kept states follow every
change."""

from datetime import UTC, datetime

from bot import coverage
from bot.storage import reports as store
from bot.storage.broadcasts import set_active
from bot.storage.officers import delete_officer, get_officer
from tests.test_exports import PLACES, add_report, db, register  # noqa: F401

PERIOD = "2026-S2"
FULL = {"creada": "si", "instalada": True, "reglamento_interno": True, "plan_trabajo": True,
        "sesiones_semestre": 2, "metas_instrumentos": ["poi"]}  # fmt: skip
ALL = len(PLACES.regions()) + len(PLACES.provinces()) + len(PLACES.districts())


def states(db, period=PERIOD):  # noqa: F811
    with db.session() as s:
        return {(p.info.level, p.info.code): p for p in coverage.place_states(s, period)}


def test_every_place_counts_and_each_is_in_one_state(db):  # noqa: F811
    add_report(db, 1, "Ana", "distrital", "150103", {"creada": "no"},
               datetime(2026, 7, 10, tzinfo=UTC))  # fmt: skip
    # the correction, later: the current report, which reached every milestone
    add_report(db, 2, "Luis", "distrital", "150103", FULL, datetime(2026, 8, 1, tzinfo=UTC))
    register(db, 3, "Rosa", "regional", "05")
    register(db, 4, "Juan", "provincial", "0801")
    with db.session() as s:
        officer = get_officer(s, 4)
        store.start_draft(s, officer, PERIOD, "v1", datetime(2026, 9, 1, tzinfo=UTC),
                          {"creada": "si"})  # fmt: skip
    add_report(db, 5, "Eva", "distrital", "080101", FULL, datetime(2026, 2, 1, tzinfo=UTC),
               period="2026-S1")  # last semester only
    found = states(db)
    assert len(found) == ALL
    ate, ayacucho, cusco = found[("distrital", "150103")], found[("regional", "05")], \
        found[("provincial", "0801")]  # fmt: skip
    assert (ate.state, ate.officers) == (coverage.SENT_STATE, 2)
    assert ate.milestones == set(coverage.MILESTONE_KEYS) and ate.missing == ()
    assert ate.sent_at is not None
    assert ayacucho.state == coverage.REGISTERED and ayacucho.milestones == frozenset()
    assert cusco.state == coverage.DRAFT_STATE
    assert found[("distrital", "080101")].state == coverage.REGISTERED  # nothing this period
    assert found[("distrital", "080102")].state == coverage.UNREGISTERED
    cov = coverage.tally(PERIOD, found.values())
    assert cov.total.total == ALL
    assert sum(cov.total.states.values()) == ALL
    assert (cov.total.sent, cov.total.drafts, cov.total.with_officer) == (1, 1, 4)
    assert cov.levels["regional"].total == len(PLACES.regions())
    assert cov.groups["Cusco"].with_officer == 2 and cov.groups["Cusco"].sent == 0
    assert cov.total.milestones["plan"] == 1
    before = coverage.tally("2026-S1", states(db, "2026-S1").values())
    assert before.total.sent == 1 and before.groups["Cusco"].sent == 1
    inside = coverage.tally(PERIOD, [p for p in found.values() if p.info.region == "Cusco"],
                            coverage.by_province, [coverage.REGIONAL_GROUP])  # fmt: skip
    assert next(iter(inside.groups)) == coverage.REGIONAL_GROUP
    assert inside.groups["Cusco"].drafts == 1 and inside.groups["Cusco"].with_officer == 2


def test_the_kept_states_follow_every_change(db):  # noqa: F811
    register(db, 3, "Rosa", "regional", "05")
    assert states(db)[("regional", "05")].active_officers == 1
    with db.session() as s:
        set_active(s, 3, False)  # blocked the bot
    assert states(db)[("regional", "05")].active_officers == 0
    add_report(db, 3, "Rosa", "regional", "05", FULL, datetime(2026, 8, 1, tzinfo=UTC))
    assert states(db)[("regional", "05")].state == coverage.SENT_STATE
    with db.session() as s:
        delete_officer(s, 3)
    after = states(db)[("regional", "05")]
    assert after.officers == 0 and after.state == coverage.SENT_STATE  # the report stays


def test_spanish_order():
    names = ["Ucayali", "Áncash", "Amazonas", "Ñuñoa", "Nazca", "Apurímac"]
    assert sorted(names, key=coverage.spanish_key) == [
        "Amazonas", "Áncash", "Apurímac", "Nazca", "Ñuñoa", "Ucayali",
    ]
