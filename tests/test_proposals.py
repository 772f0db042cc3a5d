"""«Preguntas sin respuesta»: grouping, proposals, and writing an approved one into a COPY of
knowledge/ (never the repository's files), checked first and reloaded, on a real database."""

from __future__ import annotations

import difflib
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot import kb_edit
from bot import proposal_actions as core
from bot.answers import Answerer
from bot.config import Settings, TelegramSettings
from bot.knowledge import check_knowledge
from bot.question_actions import ask, rate
from bot.question_groups import Question, group_questions
from bot.services import build_services
from bot.storage.models import AnswerFeedback, AuditEntry, UnansweredQuestion
from bot.storage.staff import add_staff

ROOT = Path(__file__).resolve().parents[1]
ADMIN, REVIEWER = 9001, 9002
CEVICHE = "cuanto cuesta un ceviche en la municipalidad"


@pytest.fixture
def kdir(tmp_path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    return copy


@pytest.fixture
def s(db_url, tmp_path, kdir):
    settings = Settings(
        telegram=TelegramSettings(token="1:x"), database_url=db_url, admins=frozenset({ADMIN}),
        knowledge_dir=kdir, files_dir=tmp_path / "files", source="<tests>",
    )  # fmt: skip
    services = build_services(settings)
    with services.db.session() as session:
        add_staff(session, REVIEWER, "Rosa Revisora", ADMIN, services.now())
    yield services
    services.db.dispose()


def _stems():
    return Answerer(ROOT / "knowledge").matcher.stems


# --------------------------------------------------------------------------- grouping


def test_near_duplicates_are_one_group_named_after_the_most_asked():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [
        Question(1, "que es la idc", 5, now),
        Question(2, "q es la IDC?", 2, now + timedelta(hours=1)),
        Question(3, "que es la instancia distrital de concertacion", 1, now),
        Question(4, "quienes integran la idc", 3, now),
        Question(5, "cuanto cuesta el ceviche", 1, now),
        Question(6, "ceviche cuanto cuesta", 1, now - timedelta(days=1)),
    ]
    groups = group_questions(rows, _stems())
    assert [g.ids for g in groups] == [(1, 2, 3), (4,), (5, 6)]
    first = groups[0]
    assert (first.text, first.count) == ("que es la idc", 8)
    assert first.last_seen == now + timedelta(hours=1)


def test_questions_of_stopwords_only_stay_apart():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    groups = group_questions([Question(1, "y eso", 1, now), Question(2, "que es eso", 1, now)],
                             _stems())  # fmt: skip
    assert len(groups) == 2


# --------------------------------------------------------------------------- the YAML text


def _added_lines(before: str, after: str) -> list[str]:
    """What changed, as lines; fails if anything was removed or changed."""
    diff = list(difflib.ndiff(before.splitlines(True), after.splitlines(True)))
    assert not [d for d in diff if d.startswith(("- ", "? "))], "a line was changed or removed"
    return [d[2:] for d in diff if d.startswith("+ ")]


def test_a_new_question_is_one_line_in_place_and_every_other_byte_stays(kdir):
    faq = kdir / "faq"
    before = (faq / "instancias.yaml").read_text(encoding="utf-8")
    change = kb_edit.question_change(faq, "instancia-que-es", 'la "idc" que es, señorita')
    assert kb_edit.write(change, None) == []
    after = (faq / "instancias.yaml").read_text(encoding="utf-8")
    assert _added_lines(before, after) == ['      - "la \\"idc\\" que es, señorita"\n']
    # It sits at the end of that entry's list: the loader reads it there, and only there.
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    i = next(n for n, e in enumerate(new["entradas"]) if e["id"] == "instancia-que-es")
    assert new["entradas"][i]["preguntas"] == [
        *old["entradas"][i]["preguntas"], 'la "idc" que es, señorita'
    ]
    new["entradas"][i]["preguntas"].pop()
    assert new == old
    assert after.splitlines()[:7] == before.splitlines()[:7]  # the comment header is kept
    assert not [p for p in faq.iterdir() if p.name.startswith(".")], "a temporary file was left"


def test_flow_lists_and_single_quotes_are_written_their_own_way(tmp_path):
    text = (
        "# a comment\n"
        "categoria: {id: x, titulo: X}\n"
        "entradas:\n"
        "  - id: a\n"
        "    preguntas: ['uno', 'dos']  # kept\n"
        "  - id: b\n"
        "    preguntas:\n"
        "      - 'tres'\n"
        "      - 'cu''atro'\n"
        "    titulo: T\n"
    )
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    found = kb_edit.read(path)
    flow = kb_edit.with_question(text, found, "a", "cinco")
    assert "    preguntas: ['uno', 'dos', \"cinco\"]  # kept\n" in flow
    block = kb_edit.with_question(text, found, "b", "se'is")
    assert _added_lines(text, block) == ["      - 'se''is'\n"]
    assert yaml.safe_load(block)["entradas"][1]["preguntas"] == ["tres", "cu'atro", "se'is"]


def _new_entry(**changes) -> kb_edit.NewEntry:
    values = dict(
        id="ceviche-municipal", categoria="gestion", titulo="¿Cuánto cuesta un ceviche?",
        preguntas=(CEVICHE, *(f"precio del ceviche numero {n}" for n in range(7))),
        respuesta="<b>No es un tema de la Ley 30364.</b>\n\nConsulte en su municipalidad.\n",
        norma="Ley N° 30364", articulo="art. 1", numeracion="Ley", url=None,
        revisado=date(2026, 12, 1),
    )  # fmt: skip
    values.update(changes)
    return kb_edit.NewEntry(**values)


def test_a_new_entry_is_appended_as_a_readable_block(kdir):
    faq = kdir / "faq"
    before = (faq / "gestion.yaml").read_text(encoding="utf-8")
    assert kb_edit.write(kb_edit.entry_change(faq, _new_entry()), None) == []
    after = (faq / "gestion.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    block = after[len(before) :]
    assert block.startswith("\n  - id: ceviche-municipal\n    categoria: gestion\n")
    answer = "    respuesta: |\n      <b>No es un tema de la Ley 30364.</b>\n\n      Consulte"
    assert answer in block
    assert '      - {norma: "Ley N° 30364", articulo: "art. 1", numeracion: Ley}\n' in block
    kb, problems = check_knowledge(faq)
    assert problems == []
    assert kb.entries["ceviche-municipal"].preguntas[0] == CEVICHE


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_a_line_break_yaml_knows_cannot_smuggle_structure_into_the_file(kdir, brk):
    """U+2028, U+2029 and NEL are line breaks to YAML, not to str.split("\\n"): typed in an
    answer or a question they stay text, never a hidden key or a second entry."""
    faq = kdir / "faq"
    hidden = (f"Respuesta inocente.{brk}    linea_de_ayuda: true{brk}  - id: bot-oculta{brk}"
              "    respuesta: Llame al 999 999 999")  # fmt: skip
    entry = _new_entry(respuesta=hidden, titulo=f"Título{brk}    verificacion: verificado",
                       preguntas=(f"{CEVICHE}{brk}  - id: otra", *_new_entry().preguntas[1:]))
    kb_edit.write(kb_edit.entry_change(faq, entry), None)
    data = yaml.safe_load((faq / "gestion.yaml").read_text(encoding="utf-8"))
    entries = [e for e in (data["entradas"] if isinstance(data, dict) else data)]
    ids = [e["id"] for e in entries]
    assert "bot-oculta" not in ids and "otra" not in ids
    [written] = [e for e in entries if e["id"] == "ceviche-municipal"]
    assert "linea_de_ayuda" not in written and "verificacion" not in written
    assert "bot-oculta" in written["respuesta"]  # kept as the text it is
    assert written["titulo"].startswith("Título")


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (_new_entry(preguntas=(CEVICHE,)), "al menos 8"),
        (_new_entry(respuesta="<b>sin cerrar"), "HTML"),
        (_new_entry(id="instancia-que-es"), "se repite"),
        (_new_entry(preguntas=("que es la IDC", *_new_entry().preguntas[1:])),
         "ya está"),
        (_new_entry(articulo="art. 1", numeracion=None), "numeración"),
    ],
)  # fmt: skip
def test_a_change_the_check_refuses_writes_nothing_and_says_where(kdir, entry, said):
    faq = kdir / "faq"
    files = {p.name: p.read_bytes() for p in faq.iterdir()}
    problems = kb_edit.write(kb_edit.entry_change(faq, entry), None)
    assert problems and any(said in p.message for p in problems), problems
    assert all(p.file.startswith(str(kdir / "faq")) for p in problems)
    assert "concerta-kb-" not in " ".join(map(str, problems)), "names the temporary copy"
    assert {p.name: p.read_bytes() for p in faq.iterdir()} == files


def test_a_file_edited_meanwhile_is_not_overwritten(kdir):
    faq = kdir / "faq"
    change = kb_edit.question_change(faq, "instancia-que-es", "nueva forma de preguntar idc")
    path = faq / "instancias.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    problems = kb_edit.write(change, None)
    assert problems and "cambió" in problems[0].message
    assert path.read_text(encoding="utf-8").endswith("# edited by hand\n")


# --------------------------------------------------------------------------- the actions


def _unanswered(s, text: str, times: int = 1) -> None:
    for _ in range(times):
        assert ask(s, text).band == "unknown", s.answers.matcher.match(text)


def test_a_question_proposal_approved_is_written_reloaded_and_answered(s, kdir):
    _unanswered(s, CEVICHE, 3)
    _unanswered(s, "cuanto cuesta un cevichito en la municipalidad")
    _unanswered(s, "mi cel es 987 654 321, a que hora abre el mercado de huancayo")
    page = core.unanswered(s)
    assert page.open_questions == 3
    first = page.groups[0]
    assert first.group.text == CEVICHE and first.group.count == 3 + (len(first.group.ids) - 1)
    assert first.band == "unknown" and 1 <= len(first.guesses) <= core.GUESSES
    assert "987" not in " ".join(g.group.text for g in page.groups)  # scrubbed when logged

    target = "instancia-que-es"
    made = core.propose_question(s, ADMIN, list(first.group.ids), target, first.group.text)
    assert made.ok, made
    assert core.unanswered(s).open_questions == 3 - len(first.group.ids)
    again = core.propose_question(s, ADMIN, list(first.group.ids), target, "otra forma")
    assert not again.ok and f"#{made.proposal_id}" in again.message

    [waiting] = core.proposals(s)
    assert (waiting.kind, waiting.entry_id, waiting.question) == ("question", target, CEVICHE)
    assert waiting.questions[0].text == CEVICHE
    before = (kdir / "faq" / "instancias.yaml").read_text(encoding="utf-8")

    done = core.approve(s, REVIEWER, made.proposal_id)
    assert done.ok and done.problems == (), done
    assert "instancias.yaml" in done.message
    assert _added_lines(before, (kdir / "faq" / "instancias.yaml").read_text(encoding="utf-8")) \
        == [f'      - "{CEVICHE}"\n']  # fmt: skip
    # The bot answers it now: the reload went through Services.reload.
    asked = ask(s, CEVICHE)
    assert (asked.band, asked.entry_id) == ("answer", target)
    [decided] = core.proposals(s, "decided")
    assert decided.status == "approved"
    assert decided.proposed_by == f"Administración del bot (id {ADMIN})"
    assert decided.decided_by == "Rosa Revisora"
    assert core.approve(s, ADMIN, made.proposal_id).message.endswith("ya está aprobada.")
    with s.db.session() as session:
        audited = session.query(AuditEntry).order_by(AuditEntry.id)
        actions = [(a.actor_id, a.action) for a in audited]
        resolved = session.query(UnansweredQuestion).filter(
            UnansweredQuestion.resolved_at.is_not(None)
        ).count()
    assert (ADMIN, "kb_propose") in actions and (REVIEWER, "kb_approve") in actions
    assert resolved == len(first.group.ids)


def test_an_entry_proposal_is_checked_when_made_and_again_when_approved(s, kdir):
    _unanswered(s, CEVICHE, 2)
    ids = list(core.unanswered(s).groups[0].group.ids)
    form = core.EntryForm(
        id="ceviche-municipal", categoria="gestion", titulo="¿Cuánto cuesta un ceviche?",
        preguntas=(CEVICHE,), respuesta="<b>No es un tema de la Ley.</b>", norma="Ley N° 30364",
        articulo="art. 1", numeracion="Ley",
    )  # fmt: skip
    short = core.propose_entry(s, ADMIN, ids, form)
    assert not short.ok and any("al menos 8" in p for p in short.problems), short
    unsourced = core.propose_entry(s, ADMIN, ids, core.EntryForm(**{**form.__dict__, "norma": " "}))
    assert not unsourced.ok and "fuente" in unsourced.message
    full = core.EntryForm(**{**form.__dict__, "preguntas": _new_entry().preguntas})
    made = core.propose_entry(s, ADMIN, ids, full)
    assert made.ok, made

    # Meanwhile someone adds one of its questions to another entry by hand: the approval's
    # check refuses, nothing is written, the proposal waits with the problem beside it.
    faq = kdir / "faq"
    kb_edit.write(kb_edit.question_change(faq, "instancia-que-es", _new_entry().preguntas[3]),
                  None)  # fmt: skip
    before = {p.name: p.read_bytes() for p in faq.iterdir()}
    refused = core.approve(s, REVIEWER, made.proposal_id)
    assert not refused.ok and any("ya está" in p for p in refused.problems), refused
    assert {p.name: p.read_bytes() for p in faq.iterdir()} == before
    [waiting] = core.proposals(s)
    assert waiting.status == "pending" and waiting.problems == refused.problems
    assert "ceviche-municipal" not in s.answers.kb.entries

    core.reject(s, REVIEWER, made.proposal_id)
    assert core.unanswered(s).open_questions == 1  # back in the list
    assert core.proposals(s) == []


def test_a_broken_reload_keeps_the_previous_version_serving(s, kdir):
    _unanswered(s, CEVICHE)
    made = core.propose_question(s, ADMIN, [], "instancia-que-es", CEVICHE)
    assert made.ok
    messages = kdir / "mensajes.yaml"
    messages.write_text(messages.read_text(encoding="utf-8") + "\nroto: [\n", encoding="utf-8")
    done = core.approve(s, REVIEWER, made.proposal_id)
    assert done.ok and done.problems and "mensajes.yaml" in done.problems[0]
    assert ask(s, CEVICHE).band == "unknown"  # the previous knowledge base still serves


def test_rated_down_answers_show_their_reasons_when_stored(s):
    rate(s, "instancia-que-es", False)
    rate(s, "instancia-que-es", True)
    [row] = core.unanswered(s).rated
    assert (row.entry_id, row.down, row.up) == ("instancia-que-es", 1, 1)
    assert row.titulo == s.answers.kb.entries["instancia-que-es"].titulo


@pytest.mark.skipif(
    not hasattr(AnswerFeedback, "reason"),
    reason="answer_feedback.reason comes with migration 0012 (issue 15's 👎 reasons)",
)
def test_rated_down_reasons_are_counted_and_worded_as_sin_respuesta_does(s):
    with s.db.session() as session:
        for reason in ("no_respondio", "no_respondio", "muy_largo", None):
            session.add(AnswerFeedback(entry_id="instancia-que-es", useful=False, at=s.now(),
                                       reason=reason))  # fmt: skip
    [row] = core.unanswered(s).rated
    words = s.messages.section(core.REASON_LABELS)
    assert row.down == 4
    assert row.reasons == ((words["no_respondio"], 2), (words["muy_largo"], 1))
