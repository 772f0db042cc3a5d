"""The status self-report as user actions: start, answer, skip, back, edit, submit, and the rest.

Each public function is one action of one officer: it opens and commits its own short
transaction and returns an `Outcome` (what to say, which buttons, the conversation's next state).
The report row is the only state that matters, so a lost signal or a restart resumes at the same
question. Every action records its update id (bot/storage/replay.py): a replayed update changes
nothing and shows nothing twice.

Multiple-choice ticks before "Listo" are not answers yet; the caller keeps them (`ticks`, a dict
of question id to ticked values) and gets the new dict back in `Outcome.extra["ticks"]`.
"""

from __future__ import annotations

import glob
import re
from dataclasses import replace
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import Any

from bot import metrics
from bot.periods import parse_period, period_label
from bot.registration import place_line
from bot.replies import Button, Outcome, Say
from bot.services import Services
from bot.storage import files, reviews
from bot.storage import reports as store
from bot.storage.officers import get_officer
from bot.storage.replay import first_time, prune
from bot.survey import Question, Survey, check_answer, display, parse_answer, past_survey
from bot.textnorm import QUESTION_WORDS, normalize

ANSWERING, SUMMARY, OFFER, PERIOD = "answering", "summary", "offer", "period"
MAX_TYPED = 3000
DRAFT_LIFETIME = timedelta(days=30)

Ticks = dict[str, list[str]]
# How a question may begin besides QUESTION_WORDS ("que", "cual" are too common to be stopwords
# of questions in general, but a sentence starting so and matching an entry is one).
_ASKING = QUESTION_WORDS | {"que", "q", "cual", "cuales", "para", "por"}


class _NoDraft(Exception):
    """The draft vanished (expired, sent elsewhere, data deleted): the conversation ends."""


# --- what the officer sees -------------------------------------------------------------------


def _plain(html: str) -> str:
    """A question's text without its tags, to list it in the summary."""
    return re.sub(r"<[^>]+>", "", html)


def _survey(svc: Services, draft) -> Survey:
    """The survey this draft's instancia answers: the questions and options of its level."""
    return svc.survey.for_level(draft.instancia.place.level).for_period(draft.period)


def with_period(text: str, period: str, svc: Services) -> str:
    """A question's text with "{periodo}" said in full ("primer semestre de 2026")."""
    return text.replace("{periodo}", period_label(period, svc.messages))


def _current(svc: Services, draft) -> Question | None:
    """The question to ask: the one set by /atras or "Editar", else the next unanswered."""
    answers = store.answers_of(draft)
    today = svc.today()
    if draft.cursor:
        q = _survey(svc, draft).question(draft.cursor)
        if q is not None and _survey(svc, draft).is_relevant(q, answers, today=today):
            return q
    return _survey(svc, draft).next_question(answers, today=today)


def tick_rows(q: Question, ticked: list[str]) -> tuple[tuple[Button, ...], ...]:
    """One row per option of a multiple-choice question, ☑️ for the ticked ones."""
    return tuple(
        (Button(("☑️ " if o.valor in ticked else "⬜ ") + o.etiqueta, ("t", q.id, o.valor)),)
        for o in q.opciones
    )


def _ask(svc: Services, draft, q: Question, ticks: Ticks) -> Say:
    m = svc.messages
    answers = store.answers_of(draft)
    survey = _survey(svc, draft)
    position, total = survey.progress(q, answers, today=svc.today())
    text = with_period(q.texto, draft.period, svc)
    lines = [m("reporte_progreso", n=position, total=total), ""]
    if q.parent:
        lines += _repetition_head(svc, draft, survey, q, answers)
    lines.append(text)
    if q.por_que:
        lines.append(m("reporte_por_que", texto=escape(q.por_que)))
    if q.tipo in ("entero", "fecha", "texto") and q.ejemplo:
        lines.append(m("reporte_ejemplo", ejemplo=escape(q.ejemplo)))
    if q.tipo == "archivo":
        lines.append(m("reporte_archivo"))
    if survey.answered(q, answers):
        shown = display(q, survey.value_of(q, answers))
        lines.append(m("reporte_respuesta_actual", valor=escape(shown)))
    rows: list[tuple[Button, ...]] = []
    if q.tipo == "si_no":
        rows.append((Button(m("si"), ("a", q.id, "si")), Button(m("no"), ("a", q.id, "no"))))
    elif q.tipo == "opcion":
        rows += [(Button(o.etiqueta, ("a", q.id, o.valor)),) for o in q.opciones]
    elif q.tipo == "multiple":
        if q.id not in ticks:
            ticks[q.id] = list(answers.get(q.id) or [])
        rows += tick_rows(q, ticks[q.id])
        rows.append((Button(m("reporte_listo"), ("d", q.id)),))
    extra = []
    if q.tipo == "fecha":
        rows.append((Button(m("reporte_sin_dia"), ("m", q.id)),))
    if not q.requerido:
        extra.append(Button(m("reporte_omitir"), ("s", q.id)))
    if q.ayuda and q.ayuda in svc.answers.kb.entries:
        extra.append(Button(m("reporte_ayuda"), ("h", q.id)))
    if q.parent and draft.cursor == q.id and survey.answered(q, answers):
        extra.append(Button(m("reporte_sin_cambio"), ("nx", q.id)))
    if extra:
        rows.append(tuple(extra))
    return Say("\n".join(lines), tuple(rows))


def _repetition_head(svc: Services, draft, survey: Survey, q: Question, answers) -> list[str]:
    """"Sesión 2 de 3" over a grupo's question; on the first one, a word when more were
    declared than are listed."""
    m = svc.messages
    group = survey.question(q.parent)
    listed, declared = survey.repetitions(group, answers, today=svc.today())
    lines = [m("reporte_repeticion", rotulo=escape(group.group.rotulo.format(n=q.n)),
               total=listed)]
    if q.n == 1 and q.sub == group.group.questions[0].id:
        lines[:0] = [with_period(group.texto, draft.period, svc), ""]
        if declared > listed:
            lines.append(m("reporte_repeticion_tope", declaradas=declared, listadas=listed))
    return lines


def _answer_lines(shown: str) -> str:
    """An answer as HTML under its question; a grupo's repetitions one per line."""
    return escape(shown).replace("\n", "\n    → ")


def _summary(svc: Services, draft) -> Say:
    m = svc.messages
    items = _survey(svc, draft).summary(store.answers_of(draft), today=svc.today())
    lines = [m("reporte_resumen", periodo=period_label(draft.period, svc.messages)), ""]
    buttons = []
    for n, (q, shown) in enumerate(items, start=1):
        text = with_period(_plain(q.texto), draft.period, svc)
        lines.append(f"<b>{n}.</b> {text}\n    → {_answer_lines(shown)}")
        buttons.append(Button(f"✏️ {n}", ("e", q.id)))
    rows = [tuple(buttons[i : i + 5]) for i in range(0, len(buttons), 5)]
    rows.append((Button(m("reporte_enviar"), ("send",)),))
    return Say("\n".join(lines), tuple(rows))


def _next(
    svc: Services, draft, ticks: Ticks, before: tuple[Say, ...] = (), **kw: Any
) -> Outcome:
    """Ask the current question, or show the summary when everything is answered."""
    q = _current(svc, draft)
    if q is None:
        return Outcome((*before, _summary(svc, draft)), SUMMARY, extra={"ticks": ticks}, **kw)
    say = _ask(svc, draft, q, ticks)
    return Outcome((*before, say), ANSWERING, extra={"ticks": ticks}, **kw)


def _officer_and_draft(svc: Services, session, user_id: int):
    officer = get_officer(session, user_id)
    if officer is None:
        raise _NoDraft
    draft = store.current_draft(session, officer.id, svc.open_periods())
    if draft is None:
        raise _NoDraft
    return officer, draft


def _no_draft(svc: Services, stale: bool) -> Outcome:
    return Outcome((Say(svc.messages("reporte_sin_borrador")),), None, stale=stale)


def _quiet(svc: Services, session, user_id: int, ticks: Ticks) -> Outcome:
    """A replayed update: the state it left, and nothing said again."""
    try:
        _, draft = _officer_and_draft(svc, session, user_id)
    except _NoDraft:
        return Outcome((), None)
    state = ANSWERING if _current(svc, draft) is not None else SUMMARY
    return Outcome((), state, extra={"ticks": ticks})


def _in_draft(step: str, *, button: bool = False):
    """Run an action inside one transaction with the officer's draft; replays and a vanished
    draft are handled once, here."""

    def wrap(action):
        def run(svc: Services, user_id: int, *args: Any, update_id: int | None = None,
                ticks: Ticks | None = None, **kw: Any) -> Outcome:
            ticks = dict(ticks or {})
            with svc.db.session() as session:
                if not first_time(session, update_id, step, svc.now()):
                    return _quiet(svc, session, user_id, ticks)
                try:
                    officer, draft = _officer_and_draft(svc, session, user_id)
                except _NoDraft:
                    return _no_draft(svc, stale=button)
                return action(svc, session, officer, draft, ticks, *args, **kw)

        run.__doc__ = action.__doc__
        run.__name__ = action.__name__
        return run

    return wrap


# --- entry -----------------------------------------------------------------------------------


def _until(svc: Services, period: str) -> str:
    """Until when the period's report can be sent, when staff set it (config: closing_dates)."""
    closing = svc.settings.closing_dates.get(period)
    if closing is None:
        return ""
    key = "reporte_hasta" if closing >= svc.today() else "reporte_plazo_vencido"
    return "\n\n" + svc.messages(key, fecha=closing.strftime("%d/%m/%Y"))


def start(
    svc: Services, user_id: int, period: str | None = None, *, update_id: int | None = None,
    ticks: Ticks | None = None,
) -> Outcome:
    """/reporte: resume a draft, ask which semester when the one before is still open and
    unreported, offer to correct a sent report, or start a new one. `period`: the semester the
    officer chose from those buttons."""
    m = svc.messages
    ticks = dict(ticks or {})
    open_now = svc.open_periods()
    with svc.db.session() as session:
        if not first_time(session, update_id, "rep.start", svc.now()):
            return _quiet(svc, session, user_id, ticks)
        officer = get_officer(session, user_id)
        if officer is None:
            return Outcome((Say(m("reporte_no_registrado")),), None)
        sent_of = {p: store.latest_sent(session, officer.instancia_id, p) for p in open_now}
        draft = store.current_draft(session, officer.id, open_now)
        if draft is not None:
            observation = reviews.open_observation(session, sent_of[draft.period])
            resume = Say(m("reporte_reanudar", periodo=period_label(draft.period, m))
                         + _until(svc, draft.period))  # fmt: skip
            return _next(svc, draft, ticks, (*_observation_note(svc, observation), resume))
        if period is None:
            observed = [p for p in open_now if reviews.open_observation(session, sent_of[p])]
            if observed:  # MIMP's observation waits for a correction: that semester first
                period = observed[0]
            elif any(sent_of[p] is None for p in open_now[1:]):
                return Outcome((_which_period(svc, open_now),), PERIOD, extra={"ticks": ticks})
            else:
                period = open_now[0]
        elif period not in open_now:  # a forged or outdated button: the question stands
            return Outcome((), PERIOD, stale=True)
        sent = sent_of[period]
        observation = reviews.open_observation(session, sent)
        if sent is None:
            place = officer.instancia.place
            draft = store.start_draft(session, officer, period, svc.survey.version, svc.now())
            hello = Say(m(
                "reporte_inicio",
                periodo=period_label(period, svc.messages),
                instancia=escape(m(f"instancia_{place.level}", lugar=place.name)),
                lugar=escape(place_line(place, m)),
                total=len(_survey(svc, draft).questions),
            ) + _until(svc, period))
            return _next(svc, draft, {}, (hello,))
        who = m("reporte_usted") if sent.officer_id == officer.id else m("reporte_otro")
        if observation is not None:
            text = m("reporte_observado", periodo=period_label(period, svc.messages),
                     fecha=svc.local_date(observation.at),
                     comentario=escape(observation.comment)) + _until(svc, period)
        else:
            text = m("reporte_ya_enviado", periodo=period_label(period, svc.messages),
                     fecha=svc.local_date(sent.sent_at), quien=who)
        offer = Say(
            text,
            ((Button(m("reporte_corregir"), ("fix", str(sent.id))),
              Button(m("reporte_dejar"), ("leave",))),),
        )
        return Outcome((offer,), OFFER, extra={"ticks": ticks})


def _which_period(svc: Services, periods: tuple[str, ...], key: str = "reporte_que_periodo") -> Say:
    """The semester is asked, not assumed: a January–June report filed in July is for
    January–June. Each button names its months."""
    m = svc.messages
    labels = (
        m("reporte_periodo_boton", periodo=period_label(p, m),
          meses=m(f"reporte_meses_s{parse_period(p)[1]}"))
        for p in reversed(periods)
    )
    rows = tuple(
        (Button(label[:1].upper() + label[1:], ("per", p)),)
        for label, p in zip(labels, reversed(periods), strict=True)
    )
    return Say(m(key) + _until(svc, periods[-1]), rows)


def offer_period_reminder(svc: Services) -> Outcome:
    """Anything but a semester button while the semester is asked."""
    return Outcome((_which_period(svc, svc.open_periods(), "reporte_elija_periodo"),), PERIOD)
def _observation_note(svc: Services, observation) -> tuple[Say, ...]:
    """The staff's observation being corrected, shown above the draft while it is open."""
    if observation is None:
        return ()
    return (Say(svc.messages("reporte_observacion_pendiente",
                             comentario=escape(observation.comment))),)


def correct(
    svc: Services, user_id: int, report_id: str, *, update_id: int | None = None
) -> Outcome:
    """"Corregir": a new draft with the sent answers, straight to the summary."""
    with svc.db.session() as session:
        if not first_time(session, update_id, "rep.fix", svc.now()):
            return _quiet(svc, session, user_id, {})
        officer = get_officer(session, user_id)
        sent = store.get_report(session, int(report_id)) if report_id.isdigit() else None
        if (
            officer is None
            or sent is None
            or sent.status != store.SENT
            or sent.instancia_id != officer.instancia_id
            or sent.period not in svc.open_periods()
            or store.current_draft(session, officer.id, svc.open_periods()) is not None
        ):
            return Outcome((), None, stale=True)
        survey = svc.survey.for_level(officer.instancia.place.level).for_period(sent.period)
        answers = survey.prune(store.answers_of(sent), today=svc.today())
        draft = store.start_draft(
            session, officer, sent.period, svc.survey.version, svc.now(), answers
        )
        note = _observation_note(svc, reviews.open_observation(session, sent))
        return _next(svc, draft, {}, note, echo=svc.messages("reporte_corregir"))


def leave(svc: Services) -> Outcome:
    """"Dejar así": nothing changes."""
    return Outcome((Say(svc.messages("reporte_sin_cambios")),), None,
                   echo=svc.messages("reporte_dejar"))


# --- answering -------------------------------------------------------------------------------


def looks_like_question(svc: Services, q: Question, text: str) -> bool:
    """A question typed in the middle of the form, not an answer: it ends with "?" (or opens
    with "¿"), or it begins like a question and the knowledge base answers it confidently.
    The second test is skipped where any prose is a fair answer (a free-text question with
    no `formato`): «Cómo elaborar el plan de trabajo» is a topic there, not a question."""
    stripped = text.strip()
    if stripped.endswith("?") or stripped.startswith("¿"):
        return True
    if q.tipo == "texto" and q.formato is None:
        return False
    words = normalize(stripped).split()
    if not words or words[0] not in _ASKING:
        return False
    return svc.answers.matcher.match(stripped).band == "answer"


def _offer_to_answer(svc: Services, draft, ticks: Ticks, q: Question, text: str) -> Outcome:
    m = svc.messages
    say = Say(
        m("reporte_parece_pregunta", texto=escape(text[:200])),
        ((Button(m("reporte_responder_pregunta"), ("qa", q.id)),),
         (Button(m("reporte_guardar_respuesta"), ("qk", q.id)),)),
    )
    return Outcome((say,), ANSWERING, extra={"ticks": ticks, "pending": text})


def _confirm_change(svc: Services, draft, ticks: Ticks, q: Question, raw: Any,
                    hiding: list[Question]) -> Outcome:
    m = svc.messages
    names = "; ".join(with_period(_plain(h.texto), draft.period, svc) for h in hiding[:3])
    say = Say(
        m("reporte_confirmar_cambio", n=len(hiding), preguntas=escape(names)),
        ((Button(m("reporte_cambiar_si"), ("cc", q.id)),),
         (Button(m("reporte_cambiar_no"), ("cn", q.id)),)),
    )
    return Outcome((say,), ANSWERING, extra={"ticks": ticks, "pending": raw})


def _accept(svc: Services, session, draft, ticks: Ticks, q: Question, raw: Any,
            *, button: bool, question_ok: bool = False, confirmed: bool = False) -> Outcome:
    """What accepting an answer means, in one place: the answer must be for the question being
    asked; a typed question is not an answer (the officer chooses: have it answered, or keep
    it, `question_ok`); it is parsed and checked; a change that sets earlier answers aside
    is confirmed first (`confirmed`); a valid answer is saved, answers it makes irrelevant
    are kept aside (they come back if it is changed back) and the next question follows."""
    today = svc.today()
    current = _current(svc, draft)
    if current is None or current.id != q.id:
        return _next(svc, draft, ticks, stale=button)
    if (not button and not question_ok and isinstance(raw, str)
            and looks_like_question(svc, q, raw)):
        return _offer_to_answer(svc, draft, ticks, q, raw)
    parsed = parse_answer(q, raw, today=today)
    error = parsed.error
    if error is None:
        survey = _survey(svc, draft)
        error = check_answer(survey, q, parsed.value, store.answers_of(draft), today=today)
    if error:
        error = with_period(error, draft.period, svc)
        return Outcome((Say(f"⚠️ {escape(error)}"), _ask(svc, draft, q, ticks)), ANSWERING,
                       extra={"ticks": ticks})
    survey = _survey(svc, draft)
    answers = store.answers_of(draft)
    if not confirmed and q.id in answers and answers[q.id] != parsed.value:
        before = {h.id for h in survey.hidden(answers, today=today)}
        after = survey.hidden({**answers, q.id: parsed.value}, today=today)
        hiding = [h for h in after if h.id not in before]
        if hiding:
            return _confirm_change(svc, draft, ticks, q, raw, hiding)
    now = svc.now()
    download = None
    if q.tipo == "archivo" and parsed.value is not None:
        store.add_document(session, draft, q.id, parsed.value, None, now)
        download = {"report_id": draft.id, "question_id": q.id, "meta": parsed.value,
                    "path": document_path(svc, draft.id, q.id, parsed.value.get("name"))}
    store.save_answer(session, draft, *survey.stored(q, parsed.value, answers), now)
    kept = survey.prune(store.answers_of(draft), today=today, keep_hidden=True)
    store.keep_only(session, draft, kept, now)
    # Editing a grupo from the summary (or after /atras) walks on through the grupo.
    walk = survey.next_in_group(q, kept, today=today) if draft.cursor == q.id else None
    store.set_cursor(draft, walk.id if walk else None, now)
    ticks.pop(q.id, None)
    outcome = _next(svc, draft, ticks)
    if download:
        outcome.extra["download"] = download
    return outcome


@_in_draft("rep.typed")
def typed(svc, session, officer, draft, ticks, text: str) -> Outcome:
    """A typed answer (or a typed choice, e.g. "sí")."""
    m = svc.messages
    q = _current(svc, draft)
    if q is None:
        return _next(svc, draft, ticks, (Say(m("reporte_en_resumen")),))
    if len(text) > MAX_TYPED:
        return Outcome((Say(m("texto_muy_largo", largo=len(text))), _ask(svc, draft, q, ticks)),
                       ANSWERING, extra={"ticks": ticks})
    if q.tipo == "archivo":
        return _next(svc, draft, ticks, (Say(m("reporte_archivo_esperado")),))
    return _accept(svc, session, draft, ticks, q, text, button=False)


@_in_draft("rep.ask", button=True)
def answer_question(svc, session, officer, draft, ticks, qid: str, text: str | None) -> Outcome:
    """«Responder mi pregunta»: the entry that answers the typed question, then the same step."""
    current = _current(svc, draft)
    if current is None or current.id != qid or not text:
        return _next(svc, draft, ticks, stale=True)
    match = svc.answers.matcher.match(text)
    if match.band == "answer" and match.entry_id in svc.answers.kb.entries:
        outcome = _next(svc, draft, ticks, entry_id=match.entry_id)
        outcome.extra["pending"] = None
        return outcome
    outcome = _next(svc, draft, ticks, (Say(svc.messages("reporte_pregunta_sin_respuesta")),))
    outcome.extra["pending"] = None
    return outcome


@_in_draft("rep.keep", button=True)
def keep_typed(svc, session, officer, draft, ticks, qid: str, text: str | None) -> Outcome:
    """«Guardarlo como respuesta»: the typed text is the answer after all (still validated)."""
    q = _survey(svc, draft).question(qid)
    if q is None or not text:
        return _next(svc, draft, ticks, stale=True)
    outcome = _accept(svc, session, draft, ticks, q, text, button=True, question_ok=True)
    outcome.extra["pending"] = None
    return outcome


@_in_draft("rep.change", button=True)
def change(svc, session, officer, draft, ticks, qid: str, raw: Any, confirm: bool) -> Outcome:
    """«Sí, cambiar» (`confirm`) or «No, dejarla como estaba» after a change would set answers
    aside: the new answer is saved, or the report stays as it was."""
    q = _survey(svc, draft).question(qid)
    current = _current(svc, draft)
    if q is None or current is None or current.id != qid or raw is None:
        return _next(svc, draft, ticks, stale=True)
    if confirm:
        outcome = _accept(svc, session, draft, ticks, q, raw, button=True, question_ok=True,
                          confirmed=True)
    else:
        store.set_cursor(draft, None, svc.now())
        ticks.pop(q.id, None)
        outcome = _next(svc, draft, ticks, echo=svc.messages("reporte_cambiar_no"))
    outcome.extra["pending"] = None
    return outcome


@_in_draft("rep.pressed", button=True)
def pressed(svc, session, officer, draft, ticks, qid: str, value: str) -> Outcome:
    """A choice button."""
    q = _survey(svc, draft).question(qid)
    if q is None:
        return _next(svc, draft, ticks, stale=True)
    return _accept(svc, session, draft, ticks, q, value, button=True)


@_in_draft("rep.document")
def document(svc, session, officer, draft, ticks, meta: dict) -> Outcome:
    """A PDF or a photo: the answer to an "archivo" question; anywhere else it is explained."""
    q = _current(svc, draft)
    if q is None or q.tipo != "archivo":
        return _next(svc, draft, ticks, (Say(svc.messages("inesperado_archivo")),))
    return _accept(svc, session, draft, ticks, q, meta, button=False)


def document_path(svc: Services, report_id: int, qid: str, name: str | None) -> str:
    """Where our copy of a report's document goes: named after its question as well, so two
    questions answered with files of the same name («acta.pdf») never overwrite each other."""
    safe = _document_prefix(qid) + re.sub(r"[^\w.\-]+", "_", name or "documento")[:120]
    return str(Path(svc.settings.files_dir) / str(report_id) / safe)


def _document_prefix(qid: str) -> str:
    return re.sub(r"[^\w\-]+", "_", qid)[:40] + "-"


def document_saved(svc: Services, report_id: int, qid: str, path: str | None) -> None:
    """Our own copy of an attached document was downloaded (after the answer was committed).
    The copy of a file it replaced goes: no officer's document is kept that no answer holds
    (Ley 29733)."""
    if path is None:
        return
    with svc.db.session() as session:
        for doc in store.documents_of(session, report_id):
            if doc.question_id == qid:
                doc.path = path
    kept = Path(path)
    replaced = kept.parent.glob(glob.escape(_document_prefix(qid)) + "*")
    files.remove(str(p) for p in replaced if p != kept)


@_in_draft("rep.toggle", button=True)
def toggle(svc, session, officer, draft, ticks, qid: str, value: str) -> Outcome:
    """Tick or untick one option of a multiple-choice question; the buttons update in place
    (`extra["rows"]`: the option rows; no message is sent)."""
    q = _survey(svc, draft).question(qid)
    current = _current(svc, draft)
    if q is None or current is None or current.id != q.id or q.tipo != "multiple":
        return _next(svc, draft, ticks, stale=True)
    if value not in {o.valor for o in q.opciones}:
        return Outcome((), ANSWERING, stale=True, extra={"ticks": ticks})
    ticked = q.tick(ticks.get(q.id, list(store.answers_of(draft).get(q.id) or [])), value)
    ticks[q.id] = ticked
    return Outcome((), ANSWERING, extra={"ticks": ticks, "rows": tick_rows(q, ticked)})


@_in_draft("rep.done", button=True)
def multi_done(svc, session, officer, draft, ticks, qid: str) -> Outcome:
    """"Listo" on a multiple-choice question: the ticks become the answer."""
    q = _survey(svc, draft).question(qid)
    if q is None or q.tipo != "multiple":
        return _next(svc, draft, ticks, stale=True)
    order = [o.valor for o in q.opciones]
    chosen = sorted(set(ticks.get(q.id, [])) & set(order), key=order.index)
    outcome = _accept(svc, session, draft, ticks, q, chosen, button=True)
    if not outcome.stale:
        outcome = replace(outcome, echo=", ".join(display(q, [v]) for v in chosen) or None)
    return outcome


@_in_draft("rep.skip", button=True)
def skip(svc, session, officer, draft, ticks, qid: str) -> Outcome:
    """"Omitir" on an optional question: stored as skipped (None)."""
    q = _survey(svc, draft).question(qid)
    if q is None or q.requerido:
        return _next(svc, draft, ticks, stale=True)
    current = _current(svc, draft)
    if current is None or current.id != q.id:
        return _next(svc, draft, ticks, stale=True)
    store.save_answer(session, draft, *_survey(svc, draft).stored(q, None, store.answers_of(draft)),
                      svc.now())
    store.set_cursor(draft, None, svc.now())
    return _next(svc, draft, ticks, echo=svc.messages("reporte_omitir"))


@_in_draft("rep.explain", button=True)
def explain(svc, session, officer, draft, ticks, qid: str) -> Outcome:
    """"¿Qué significa?": the knowledge-base entry, then the same question again."""
    q = _survey(svc, draft).question(qid)
    entry = q.ayuda if q is not None and q.ayuda in svc.answers.kb.entries else None
    return _next(svc, draft, ticks, entry_id=entry)


@_in_draft("rep.month", button=True)
def month_only(svc, session, officer, draft, ticks, qid: str) -> Outcome:
    """«No recuerdo el día exacto»: say that month and year will do, and ask the same date."""
    current = _current(svc, draft)
    if current is None or current.id != qid:
        return _next(svc, draft, ticks, stale=True)
    return _next(svc, draft, ticks, (Say(svc.messages("reporte_mes_y_anio")),))


@_in_draft("rep.unchanged", button=True)
def unchanged(svc, session, officer, draft, ticks, qid: str) -> Outcome:
    """«Sin cambios» on a grupo's question while walking it again: keep the answer, go on to
    the grupo's next question (or back to the summary after its last)."""
    current = _current(svc, draft)
    survey = _survey(svc, draft)
    if current is None or current.id != qid or current.parent is None:
        return _next(svc, draft, ticks, stale=True)
    walk = survey.next_in_group(current, store.answers_of(draft), today=svc.today())
    store.set_cursor(draft, walk.id if walk else None, svc.now())
    return _next(svc, draft, ticks, echo=svc.messages("reporte_sin_cambio"))


@_in_draft("rep.back")
def back(svc, session, officer, draft, ticks) -> Outcome:
    """/atras: the previous answered question, showing its current answer."""
    q = _current(svc, draft)
    prev = _survey(svc, draft).previous_question(
        q.id if q else None, store.answers_of(draft), today=svc.today()
    )
    if prev is None:
        return _next(svc, draft, ticks, (Say(svc.messages("reporte_primera")),))
    store.set_cursor(draft, prev.id, svc.now())
    ticks.pop(prev.id, None)
    return Outcome((_ask(svc, draft, prev, ticks),), ANSWERING, extra={"ticks": ticks})


@_in_draft("rep.edit", button=True)
def edit(svc, session, officer, draft, ticks, qid: str) -> Outcome:
    """"✏️ n" on the summary: ask that question again."""
    q = _survey(svc, draft).question(qid)
    answers = store.answers_of(draft)
    if q is not None and q.group is not None:  # a grupo: its first step, then the rest
        q = _survey(svc, draft).first_step(q, answers, today=svc.today())
    if q is None or not _survey(svc, draft).is_relevant(q, answers, today=svc.today()):
        return _next(svc, draft, ticks, stale=True)
    store.set_cursor(draft, q.id, svc.now())
    ticks.pop(q.id, None)
    return Outcome((_ask(svc, draft, q, ticks),), ANSWERING, extra={"ticks": ticks, "close": True})


@_in_draft("rep.submit", button=True)
def submit(svc, session, officer, draft, ticks) -> Outcome:
    """"Enviar": the report becomes the instancia's current one for the period."""
    m = svc.messages
    answers = store.answers_of(draft)
    if not _survey(svc, draft).is_complete(answers, today=svc.today()):
        return _next(svc, draft, ticks, stale=True)
    # Answers set aside by a change stay with the draft, not with the report sent.
    store.keep_only(session, draft, _survey(svc, draft).prune(answers, today=svc.today()),
                    svc.now())
    # Finished under today's questions: a draft begun before a new version was read with it.
    draft.survey_version = svc.survey.version
    store.send(draft, svc.now())
    corrected = reviews.record_correction(session, draft, svc.now())
    metrics.inc("concerta_reports_sent_total")
    items = _survey(svc, draft).summary(answers, today=svc.today())
    short = "\n".join(
        f"• {with_period(_plain(q.texto), draft.period, svc)} → {_answer_lines(shown)}"
        for q, shown in items
    )  # every answer, whole: the receipt is what the officer keeps
    done = Say(m(
        "reporte_enviado",
        fecha=svc.local_date(svc.now()),
        periodo=period_label(draft.period, svc.messages),
        lugar=escape(officer.instancia.place.name),
        resumen=short,
    ))
    after = (Say(m("reporte_correccion_recibida")),) if corrected else ()
    return Outcome((done, *after), None, echo=m("reporte_enviar"), extra={"ticks": {}})


@_in_draft("rep.reask")
def reask(svc, session, officer, draft, ticks, notice: str | None = None,
          stale: bool = False) -> Outcome:
    """Say something (a notice about odd input, HTML), then ask the current step again."""
    before = (Say(notice),) if notice else ()
    return _next(svc, draft, ticks, before, stale=stale)


def cancel(svc: Services, user_id: int | None = None) -> Outcome:
    """/cancelar: the draft stays; say how to resume. A correction that changed nothing is
    not a draft: it goes, so the bot never calls it "su borrador"."""
    m = svc.messages
    if user_id is None:
        return Outcome((Say(m("reporte_cancelado")),), None)
    with svc.db.session() as session:
        officer = get_officer(session, user_id)
        draft = store.current_draft(session, officer.id, svc.open_periods()) if officer else None
        if draft is not None:
            sent = store.latest_sent(session, officer.instancia_id, draft.period)
            kept = _survey(svc, draft).prune(store.answers_of(draft), today=svc.today())
            if sent is not None and kept == store.answers_of(sent):
                store.discard_draft(session, draft)
                return Outcome((Say(m("reporte_sin_cambios")),), None)
    return Outcome((Say(m("reporte_cancelado")),), None)


def my_report(svc: Services, user_id: int, report_id: str | None = None) -> Outcome:
    """/mi_reporte: the instancia's current report, read-only, and buttons for the reports of
    earlier periods (`report_id`: one of those, from its button)."""
    m = svc.messages
    with svc.db.session() as session:
        officer = get_officer(session, user_id)
        if officer is None:
            return Outcome((Say(m("reporte_no_registrado")),), None)
        reports = store.sent_by_period(session, officer.instancia_id)
        if report_id is not None:
            chosen = next((r for r in reports if str(r.id) == report_id), None)
            if chosen is None:
                return Outcome((), None, stale=True)
        else:
            chosen = next((r for r in reports if r.period == svc.period()), None)
        says = []
        if chosen is None:
            draft = store.current_draft(session, officer.id, svc.open_periods())
            key = "mi_reporte_borrador" if draft is not None else "mi_reporte_ninguno"
            shown = draft.period if draft is not None else svc.period()
            says.append(Say(m(key, periodo=period_label(shown, m))))
        else:
            survey = past_survey(chosen.survey_version) or svc.survey
            survey = survey.for_level(officer.instancia.place.level)
            items = survey.summary(store.answers_of(chosen), today=svc.today())
            lines = [m("mi_reporte_titulo", periodo=period_label(chosen.period, m),
                       fecha=svc.local_date(chosen.sent_at),
                       lugar=escape(officer.instancia.place.name)), ""]
            lines += [
                f"<b>{n}.</b> {with_period(_plain(q.texto), chosen.period, svc)}\n"
                f"    → {_answer_lines(shown)}"
                for n, (q, shown) in enumerate(items, start=1)
            ]
            says.append(Say("\n".join(lines)))
        others = [r for r in reports if chosen is None or r.id != chosen.id]
        if others:
            rows = tuple(
                (Button(m("mi_reporte_ver", periodo=period_label(r.period, m)),
                        ("ver", str(r.id))),)
                for r in others[:6]
            )
            says.append(Say(m("mi_reporte_otros"), rows))
        return Outcome(tuple(says), None)


def offer_reminder(svc: Services) -> Outcome:
    """Anything but the two buttons while a sent report is on offer for correction."""
    return Outcome((Say(svc.messages("reporte_elija")),), OFFER)


def expire_drafts(svc: Services) -> list[tuple[int, str]]:
    """Discard drafts untouched for 30 days: (telegram id, notice) for each officer to tell.
    The same periodic run forgets handled-update records older than any replay."""
    with svc.db.session() as session:
        notify = store.expire_drafts(session, svc.now() - DRAFT_LIFETIME)
        prune(session, svc.now())
    m = svc.messages
    return [
        (tid, m("reporte_borrador_descartado", periodo=period_label(period, m)))
        for tid, period in notify
    ]
