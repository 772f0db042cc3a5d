"""The examples reading (bot/answer_examples.py): what officers wrote, read for each entry."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pytest

from bot import answer_examples, cli, filecache
from bot.answer_examples import EXAMPLES_FILE, NO_EXAMPLES, Examples, ExamplesError, count
from bot.matching import Matcher, load_language
from tests.test_matching import LANGUAGE_YAML, FakeEntry, FakeKB

ROOT = Path(__file__).resolve().parents[1]


def test_a_stem_only_one_question_uses_is_not_kept() -> None:
    """A name or a street met once tells nothing of an entry, and is not stored."""
    questions = [
        ("a", "ordenanza de creacion Quispe"),
        ("a", "ordenanza modelo"),
        ("b", "acta de instalacion"),
        ("b", "acta firmada modelo"),
    ]
    got = count(questions, str.split, ["set-x"])
    assert got.sources == ("set-x",)
    assert got.entries == {
        "a": {"de": 1, "modelo": 1, "ordenanza": 2},
        "b": {"acta": 2, "de": 1, "modelo": 1},
    }


def test_written_examples_read_back_the_same(tmp_path: Path) -> None:
    examples = Examples(("s1", "s2"), {"a": {"acta": 2, "ñandu": 1}, "b": {"ordenanza": 3}})
    path = tmp_path / "examples.json"
    answer_examples.write(examples, path)
    assert answer_examples.load(path) == examples
    assert examples.documents(["b", "c", "a"]) == [
        ["ordenanza"] * 3,
        [],
        ["acta", "acta", "ñandu"],
    ]


def test_the_packaged_examples_name_their_sets_and_only_known_entries() -> None:
    """Written by benchmarks/fit_ranking.py --write from the spent sets: each is named, so that
    benchmarks/faq.py can say a set is no longer fresh."""
    from bot.knowledge import load_knowledge

    examples = answer_examples.load(EXAMPLES_FILE)
    spent = sorted(p.stem for p in (ROOT / "benchmarks" / "sets").glob("independiente-*.yaml"))
    assert list(examples.sources) == spent
    kb = load_knowledge(ROOT / "knowledge" / "faq")
    assert set(examples.entries) <= set(kb.entries)
    assert len(examples.entries) == len(kb.entries)


@pytest.mark.parametrize(
    "content", ["{not json", '{"sources": []}', '{"sources": [], "entries": {"a": {"x": "y"}}}']
)
def test_a_broken_examples_file_names_the_file_and_the_fix(tmp_path: Path, content: str) -> None:
    path = tmp_path / "answer_examples.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExamplesError) as caught:
        answer_examples.load(path)
    message = str(caught.value)
    assert str(path) in message and "benchmarks/fit_ranking.py --write" in message


def test_a_broken_examples_file_stops_the_command_with_the_fix_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "answer_examples.json"
    broken.write_text("{broken", encoding="utf-8")
    real_load = answer_examples.load
    monkeypatch.setattr(answer_examples, "load", lambda path=broken: real_load(broken))
    monkeypatch.setattr(filecache, "_built", OrderedDict())  # built again, not reused
    assert cli.main(["ask", "que es la instancia"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert err.startswith("data error: ") and str(broken) in err
    assert "fit_ranking.py --write" in err and "Traceback" not in err


def _matcher(tmp_path: Path, examples: Examples) -> Matcher:
    path = tmp_path / "lenguaje.yaml"
    path.write_text(LANGUAGE_YAML, encoding="utf-8")
    entries = [
        FakeEntry("instalacion", "Instalación de la instancia", ("como se instala la instancia",)),
        FakeEntry("plan", "Plan de trabajo de la instancia", ("como se hace el plan de trabajo",)),
        FakeEntry("acta", "Acta de la sesión", ("el acta de la sesion de union de las mesas",)),
    ]
    return Matcher.build(FakeKB({e.id: e for e in entries}), load_language(path), examples)


def test_officers_words_lead_the_examples_reading_to_their_entry(tmp_path: Path) -> None:
    """'juramentacion' is in no entry of the knowledge base; officers who asked how to install
    the instancia wrote it, and the examples reading takes it there."""
    question = "cuando es la juramentacion de los miembros"
    officers = count(
        [
            ("instalacion", "el alcalde quiere hacer la juramentacion de los miembros"),
            ("instalacion", "como se hace la juramentacion y la primera sesion"),
            ("plan", "quien aprueba el plan anual"),
            ("plan", "el plan anual de actividades"),
        ],
        _matcher(tmp_path, NO_EXAMPLES).example_tokens,
    )
    for examples, first in ((NO_EXAMPLES, []), (officers, ["instalacion"])):
        matcher = _matcher(tmp_path, examples)
        reading = matcher.bm25_examples.ranked(((question, 1.0),), 3)
        assert [matcher.ids[e] for e in reading.entries][:1] == first


def test_the_packaged_examples_know_words_the_entries_do_not() -> None:
    """A question of our own, in words officers used and the knowledge base does not: the
    examples reading puts the entry first where the entries' own words do not."""
    question = "el alcalde quiere hacer la juramentacion de los miembros"
    expected = "instancia-instalacion"
    from bot.knowledge import load_knowledge

    kb = load_knowledge(ROOT / "knowledge" / "faq")
    language = load_language(ROOT / "knowledge" / "lenguaje.yaml")
    with_examples = Matcher.build(kb, language)
    own_words = Matcher.build(kb, language, NO_EXAMPLES)
    firsts = []
    for matcher in (with_examples, own_words):
        reading = matcher.bm25_examples.ranked(((matcher._normalized(question), 1.0),), 1)
        firsts.append(matcher.ids[reading.entries[0]])
    assert firsts[0] == expected != firsts[1]


def test_where_the_writer_works_is_not_an_example(tmp_path: Path) -> None:
    """A place name the knowledge base does not use is left out of what is stored; the
    knowledge base's own words stay, even when a place is named so ("Unión", "Huancayo")."""
    matcher = _matcher(tmp_path, NO_EXAMPLES)
    tokens = matcher.example_tokens("hola, en Sapallanga el acta de la sesion de union, Huancayo")
    assert tokens == matcher.bm25_examples.tokens("acta sesion union")
