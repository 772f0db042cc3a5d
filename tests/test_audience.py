"""Audience filters over plain rows: facets combine with AND, values within a facet with OR."""

import pytest

from bot.audience import NOT_SENT, Audience, Recipient, count, describe, parse_words, select

REGIONS = ["Cusco", "Puno", "Madre de Dios", "Lima Metropolitana"]
DONE = {"creada": "si", "instalada": "si", "reglamento_interno": "si", "plan_trabajo": "si"}


def rows():
    return [
        Recipient(1, 101, "Cusco", "distrital", "sent", DONE),
        Recipient(2, 102, "Cusco", "provincial", "sent", {**DONE, "plan_trabajo": "no"}),
        Recipient(3, 103, "Puno", "distrital", "draft"),
        Recipient(4, 104, "Puno", "regional", "none"),
        Recipient(5, 105, "Madre de Dios", "distrital", "sent", {"creada": "en_tramite"}),
    ]


def ids(audience):
    return [r.officer_id for r in select(rows(), audience)]


def test_everyone_and_each_facet():
    assert Audience().is_everyone
    assert ids(Audience()) == [1, 2, 3, 4, 5]
    assert ids(Audience(regions=frozenset({"Puno"}))) == [3, 4]
    assert ids(Audience(levels=frozenset({"distrital"}))) == [1, 3, 5]
    assert ids(Audience(statuses=frozenset({"sent"}))) == [1, 2, 5]
    assert ids(NOT_SENT) == [3, 4]


def test_milestones_come_from_the_current_sent_report():
    # "sin ordenanza": creada is not "si", or nothing sent at all.
    assert ids(Audience(milestones=frozenset({"ordenanza"}))) == [3, 4, 5]
    assert ids(Audience(milestones=frozenset({"plan"}))) == [2, 3, 4, 5]
    assert ids(Audience(milestones=frozenset({"instalada"}))) == [3, 4, 5]


def test_facets_combine_with_and_values_with_or():
    a = Audience(regions=frozenset({"Cusco", "Madre de Dios"}), levels=frozenset({"distrital"}))
    assert ids(a) == [1, 5]
    a = a.toggle("milestones", "plan")
    assert ids(a) == [5]
    assert count(rows(), a.toggle("milestones", "plan")) == 2  # toggled off again


def test_json_round_trip_and_check():
    a = Audience(regions=frozenset({"Puno"}), statuses=frozenset({"none", "draft"}))
    assert Audience.from_json(a.to_json()) == a
    assert Audience.from_json(None) == Audience()
    assert a.check(REGIONS) is None
    assert "Narnia" in Audience(regions=frozenset({"Narnia"})).check(REGIONS)
    with pytest.raises(ValueError):
        a.toggle("colores", "rojo")


def test_select_gives_each_officer_once_in_id_order():
    doubled = [*reversed(rows()), rows()[0]]
    assert [r.officer_id for r in select(doubled, Audience())] == [1, 2, 3, 4, 5]


def test_typed_words():
    assert parse_words(["sin-reporte"], REGIONS) == NOT_SENT
    assert parse_words(["todos"], REGIONS) == Audience()
    a = parse_words(["madre-de-dios", "Distrital", "sin-ordenanza"], REGIONS)
    assert a == Audience(
        regions=frozenset({"Madre de Dios"}), levels=frozenset({"distrital"}),
        milestones=frozenset({"ordenanza"}),
    )  # fmt: skip
    with pytest.raises(ValueError, match="marte"):
        parse_words(["marte"], REGIONS)


def test_describe_names_every_filter():
    labels = {
        "todos": {"todos": "todos"},
        "facets": {"regions": "Región", "levels": "Nivel", "statuses": "Reporte",
                   "milestones": "Hito"},
        "statuses": {"draft": "en borrador", "none": "sin empezar"},
    }
    assert describe(Audience(), labels) == "todos"
    text = describe(
        Audience(regions=frozenset({"Puno", "Cusco"}), statuses=NOT_SENT.statuses), labels
    )
    assert text == "Región: Cusco o Puno · Reporte: en borrador o sin empezar"
