"""«Preguntas sin respuesta»: the loop from what officers asked to an answer in the knowledge base.

Staff read the unanswered questions grouped (bot/question_groups.py) beside the 👎 answers, and
propose a group as a new way to ask an existing entry or as a new entry; another call (any
staff member) approves or rejects the proposal. Approving writes it into knowledge/faq/ through
bot/kb_edit.py (checked on a copy by the `kb check` rules first: a problem writes nothing and is
returned) and reloads through `Services.reload`, so the bot answers with it at once; a reload
that fails keeps the previous version serving. Each call owns its short transactions and writes
its audit entry (ids only). Proposals are checked when made as well, so a mistake is told to the
one who made it, not to the reviewer.

The calls are synchronous and approving reads and writes files and rebuilds the matcher: a web
shell runs them in a worker thread.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.kb_edit import Change, EditError, NewEntry, check, entry_change, question_change, write
from bot.knowledge import Source, format_source
from bot.matching import Matcher
from bot.question_groups import Group, Question, group_questions
from bot.schemas.faq import NUMERACIONES
from bot.services import Services
from bot.storage import proposals as store
from bot.storage import staff as staff_store
from bot.storage.models_kb import KbProposal
from bot.storage.staff import audit
from bot.yamlschema import Problem, display_path

MAX_GROUPED = 2000  # open questions read for grouping, the most asked first
PER_PAGE = 30
GUESSES = 3
MAX_QUESTION = 300  # as the unanswered log keeps them
BANDS = ("answer", "suggest", "unknown", "smalltalk")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    titulo: str
    score: float


@dataclass(frozen=True)
class GroupView:
    group: Group
    band: str  # what the matcher does with the group's wording now: one of BANDS
    pick: Candidate | None  # the entry it answers with (or its best candidate) and its score
    guesses: tuple[Candidate, ...]  # the entries to prefill "a new way to ask" with


@dataclass(frozen=True)
class RatedView:
    entry_id: str
    titulo: str  # "" when the entry no longer exists
    down: int
    up: int
    last_down: datetime
    reasons: tuple[tuple[str, int], ...]  # (label, count)


@dataclass(frozen=True)
class Unanswered:
    groups: list[GroupView]  # this page's
    total_groups: int
    open_questions: int
    page: int
    pages: int
    rated: list[RatedView]
    pending: int  # proposals waiting for review


def _candidate(s: Services, entry_id: str, score: float) -> Candidate:
    entry = s.answers.kb.entries.get(entry_id)
    return Candidate(entry_id, entry.titulo if entry else entry_id, round(float(score), 3))


def _view(s: Services, group: Group) -> GroupView:
    matcher = s.answers.matcher
    match = matcher.match(group.text)
    ranked = matcher.rank(group.text, GUESSES)
    guesses = [_candidate(s, e, score) for e, score in ranked]
    pick = None
    if match.band == "answer" and match.entry_id:
        pick = _candidate(s, match.entry_id, match.score)
    elif guesses:
        pick = guesses[0]
    return GroupView(group, match.band, pick, tuple(guesses))


# Stems of the questions already read, per matcher (a reload builds a new one and this goes with
# the old): grouping 2,000 questions again costs a dictionary look-up each.
_STEMS: weakref.WeakKeyDictionary[Matcher, dict[str, list[str]]] = weakref.WeakKeyDictionary()
STEMS_KEPT = 50_000


def _stems_of(matcher: Matcher) -> Callable[[str], list[str]]:
    cache = _STEMS.setdefault(matcher, {})

    def stems(text: str) -> list[str]:
        found = cache.get(text)
        if found is None:
            if len(cache) >= STEMS_KEPT:
                cache.clear()
            found = cache[text] = matcher.stems(text)
        return found

    return stems


REASON_LABELS = "motivos_corto"  # mensajes.yaml: how /sin_respuesta names each 👎 reason


# The last grouping, reused while the open questions (and their counts) and the matcher are the
# same: turning the pages of the list, or coming back to it, groups nothing again.
_LAST: list[tuple | None] = [None]  # (weakref to the matcher, the questions, the groups)


def _grouped(matcher: Matcher, questions: list[Question]) -> list[Group]:
    last = _LAST[0]  # one read: another thread may replace it meanwhile
    if last is not None and last[0]() is matcher and last[1] == questions:
        return last[2]
    groups = group_questions(questions, _stems_of(matcher))
    _LAST[0] = (weakref.ref(matcher), questions, groups)
    return groups


def reason_labels(s: Services) -> dict[str, str]:
    """The 👎 reasons as /sin_respuesta words them; the stored key where none is written."""
    return s.messages.section(REASON_LABELS) if s.messages.has(REASON_LABELS) else {}


def unanswered(s: Services, page: int = 1, per_page: int = PER_PAGE) -> Unanswered:
    """The open questions grouped, most asked first, one page of groups with what the matcher
    does with each now; and the entries rated 👎 with their reasons."""
    with s.db.session() as session:
        questions = store.open_questions(session, MAX_GROUPED)
        open_count = store.count_open(session)
        rated = store.rated_down_with_reasons(session)
        pending = store.count_pending(session)
    groups = _grouped(s.answers.matcher, questions)
    pages = max(1, -(-len(groups) // per_page))
    page = min(max(1, page), pages)
    shown = groups[(page - 1) * per_page : page * per_page]
    labels = reason_labels(s)
    entries = s.answers.kb.entries
    rated_views = [
        RatedView(
            r.entry_id,
            entries[r.entry_id].titulo if r.entry_id in entries else "",
            r.down,
            r.up,
            r.last_down,
            tuple((labels.get(k, k), n) for k, n in r.reasons),
        )
        for r in rated
    ]
    return Unanswered(
        [_view(s, g) for g in shown], len(groups), open_count, page, pages, rated_views, pending
    )


def dismiss(s: Services, actor: int, question_ids: list[int]) -> Result:
    """«Descartar»: a group staff will not answer (noise, a greeting, another matter) leaves
    the open list, the chat's /sin_respuesta and their exports, until someone asks it again.
    Pressing it twice sets nothing aside the second time."""
    ids = sorted(set(question_ids))
    with s.db.session() as session:
        n = store.dismiss(session, ids, s.now()) if ids else 0
        if n:
            audit(session, actor, "unanswered_dismiss", f"questions={n}", s.now())
    if not n:
        return Result(False, s.messages("preguntas_descartadas_ya"))
    return Result(True, s.messages("preguntas_descartadas", n=n))


def group_of(s: Services, question_ids: list[int]) -> GroupView | None:
    """The questions a proposal form is about, as one group with the matcher's guesses."""
    with s.db.session() as session:
        questions = store.questions_by_id(session, question_ids)
    return _view(s, Group(tuple(questions))) if questions else None


@dataclass(frozen=True)
class ProposalView:
    id: int
    kind: str  # "question" or "entry"
    status: str
    entry_id: str
    entry_title: str  # the existing entry's title, or the new entry's
    question: str  # "question": the way to ask added
    category: str | None
    preguntas: tuple[str, ...]  # "entry"
    respuesta: str | None  # "entry": Telegram HTML as typed
    fuente: str | None  # "entry": the source line as the bot will write it (HTML)
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    problems: tuple[str, ...]  # why the last approval was refused
    questions: tuple[Question, ...]  # the unanswered questions it came from


def _who(names: dict[int, str], telegram_id: int | None) -> str | None:
    return None if telegram_id is None else names[telegram_id]


def _source(s: Services, p: KbProposal) -> str | None:
    if not p.fuente_norma:
        return None
    src = Source(p.fuente_norma, p.fuente_articulo, p.fuente_numeracion, p.fuente_url)
    return format_source(src, s.messages.sources)


def proposals(s: Services, status: str = store.PENDING, limit: int = 100) -> list[ProposalView]:
    """The review list: pending ones oldest first; "decided" ones (approved or rejected)
    newest first."""
    statuses = (store.PENDING,) if status == store.PENDING else (store.APPROVED, store.REJECTED)
    with s.db.session() as session:
        rows = store.listing(session, statuses, limit)
        linked = store.linked_questions(session, [p.id for p in rows])
        names = staff_store.names_of(
            session, {i for p in rows for i in (p.proposed_by, p.decided_by)}
        )
    entries = s.answers.kb.entries
    views = []
    for p in rows:
        title = p.titulo or (entries[p.entry_id].titulo if p.entry_id in entries else "")
        views.append(
            ProposalView(
                id=p.id, kind=p.kind, status=p.status, entry_id=p.entry_id, entry_title=title,
                question=p.question, category=p.category, preguntas=tuple(store.preguntas_of(p)),
                respuesta=p.respuesta, fuente=_source(s, p),
                proposed_by=_who(names, p.proposed_by) or "", proposed_at=p.proposed_at,
                decided_by=_who(names, p.decided_by), decided_at=p.decided_at,
                problems=tuple(p.problems.split("\n")) if p.problems else (),
                questions=tuple(linked.get(p.id, ())),
            )
        )  # fmt: skip
    return views


# --------------------------------------------------------------------------- proposing


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str  # Spanish, plain text (the shell escapes it)
    problems: tuple[str, ...] = ()  # the check's problems, file:line: message
    proposal_id: int | None = None


@dataclass(frozen=True)
class EntryForm:
    """A new entry as staff type it in the form."""

    id: str
    categoria: str
    titulo: str
    preguntas: tuple[str, ...]
    respuesta: str
    norma: str
    articulo: str
    numeracion: str  # Ley, TUO, Reglamento or "" (none)
    url: str = ""


def _clean(text: str, limit: int | None = None) -> str:
    text = " ".join(text.split())
    return text[:limit] if limit else text


def _problems(problems: list[Problem]) -> tuple[str, ...]:
    return tuple(str(p) for p in problems)


def _refused(s: Services, key: str, **values) -> Result:
    return Result(False, s.messages(key, **values))


def _checked(s: Services, make) -> tuple[Change | None, Result | None]:
    """The change a proposal makes, checked on a copy now; or why it cannot be made."""
    faq = s.settings.knowledge_dir / "faq"
    try:
        change = make(faq)
    except EditError as exc:
        return None, Result(False, s.messages("propuesta_no_valida"), (str(exc),))
    kb, problems = check(change, s.messages)
    if kb is None:
        return None, Result(False, s.messages("propuesta_no_valida"), _problems(problems))
    return change, None


def _open_ids(s: Services, question_ids: list[int]) -> tuple[list[int], Result | None]:
    ids = sorted(set(question_ids))
    with s.db.session() as session:
        waiting = store.waiting_proposal(session, ids) if ids else None
    if waiting is not None:
        return ids, _refused(s, "propuesta_ya_pendiente", id=waiting)
    return ids, None


def propose_question(
    s: Services, actor: int, question_ids: list[int], entry_id: str, question: str
) -> Result:
    """(a) The group's wording (or what staff typed) as a new way to ask `entry_id`."""
    question = _clean(question, MAX_QUESTION)
    if not question:
        return _refused(s, "propuesta_pregunta_vacia")
    if entry_id not in s.answers.kb.entries:
        return _refused(s, "propuesta_entrada_no_existe", id=entry_id)
    ids, refused = _open_ids(s, question_ids)
    if refused:
        return refused
    _, refused = _checked(s, lambda faq: question_change(faq, entry_id, question))
    if refused:
        return refused
    with s.db.session() as session:
        p = store.create(
            session, question_ids=ids, now=s.now(), kind=store.QUESTION, entry_id=entry_id,
            question=question, proposed_by=actor,
        )  # fmt: skip
        detail = f"proposal={p.id} kind=question entry={entry_id} questions={len(ids)}"
        audit(session, actor, "kb_propose", detail, s.now())
        pid = p.id
    return Result(True, s.messages("propuesta_creada", id=pid), proposal_id=pid)


def _new_entry(s: Services, form: EntryForm) -> NewEntry:
    numeracion = form.numeracion if form.numeracion in NUMERACIONES else None
    return NewEntry(
        id=form.id.strip(), categoria=form.categoria.strip(), titulo=_clean(form.titulo),
        preguntas=tuple(q for q in (_clean(x, MAX_QUESTION) for x in form.preguntas) if q),
        respuesta=form.respuesta.strip(), norma=_clean(form.norma),
        articulo=_clean(form.articulo) or None, numeracion=numeracion,
        url=form.url.strip() or None, revisado=s.today(),
    )  # fmt: skip


def propose_entry(s: Services, actor: int, question_ids: list[int], form: EntryForm) -> Result:
    """(b) A new entry; it must cite its source (norma and artículo) and pass the knowledge
    base's rules (bot/schemas/faq.py) as it would be written."""
    entry = _new_entry(s, form)
    if not entry.norma or not entry.articulo:
        return _refused(s, "propuesta_fuente_falta")
    if s.answers.kb.category(entry.categoria) is None:
        return _refused(s, "propuesta_categoria_no_existe", id=entry.categoria)
    ids, refused = _open_ids(s, question_ids)
    if refused:
        return refused
    _, refused = _checked(s, lambda faq: entry_change(faq, entry))
    if refused:
        return refused
    with s.db.session() as session:
        p = store.create(
            session, question_ids=ids, now=s.now(), kind=store.ENTRY, entry_id=entry.id,
            question=entry.preguntas[0], category=entry.categoria, titulo=entry.titulo,
            preguntas=entry.preguntas, respuesta=entry.respuesta, fuente_norma=entry.norma,
            fuente_articulo=entry.articulo, fuente_numeracion=entry.numeracion,
            fuente_url=entry.url, proposed_by=actor,
        )  # fmt: skip
        detail = f"proposal={p.id} kind=entry entry={entry.id} questions={len(ids)}"
        audit(session, actor, "kb_propose", detail, s.now())
        pid = p.id
    return Result(True, s.messages("propuesta_creada", id=pid), proposal_id=pid)


# --------------------------------------------------------------------------- reviewing


def _change_of(s: Services, p: KbProposal):
    """How to build the proposal's change against the files as they are at approval."""
    if p.kind == store.QUESTION:
        return lambda faq: question_change(faq, p.entry_id, p.question)
    entry = NewEntry(
        id=p.entry_id, categoria=p.category or "", titulo=p.titulo or "",
        preguntas=tuple(store.preguntas_of(p)), respuesta=p.respuesta or "",
        norma=p.fuente_norma or "", articulo=p.fuente_articulo,
        numeracion=p.fuente_numeracion, url=p.fuente_url, revisado=s.today(),
    )  # fmt: skip
    return lambda faq: entry_change(faq, entry)


def _decided(s: Services, p: KbProposal) -> Result:
    state = s.messages.section("propuesta_estados").get(p.status, p.status)
    return _refused(s, "propuesta_ya_decidida", id=p.id, estado=state)


def approve(s: Services, actor: int, proposal_id: int) -> Result:
    """Write the proposal into the knowledge base and reload it. On a problem nothing is
    written, the proposal stays pending with the problems beside it, and they are returned."""
    with s.db.session() as session:
        p = store.get(session, proposal_id)
        if p is None:
            return _refused(s, "propuesta_no_existe", id=proposal_id)
        if p.status != store.PENDING:
            return _decided(s, p)
        make = _change_of(s, p)
        questions = [q.text for q in store.linked_questions(session, [p.id])[p.id]]
        entry_id, kind = p.entry_id, p.kind
    faq = s.settings.knowledge_dir / "faq"
    try:
        change = make(faq)
        problems = _problems(write(change, s.messages))
    except EditError as exc:
        change, problems = None, (str(exc),)
    if problems:
        with s.db.session() as session:
            store.set_problems(session, proposal_id, "\n".join(problems))
            audit(session, actor, "kb_approve_refused",
                  f"proposal={proposal_id} problems={len(problems)}", s.now())  # fmt: skip
        return Result(False, s.messages("propuesta_no_escrita"), problems, proposal_id)
    reload_problems = tuple(s.reload())
    with s.db.session() as session:
        store.decide(session, proposal_id, store.APPROVED, actor, s.now())
        audit(session, actor, "kb_approve",
              f"proposal={proposal_id} kind={kind} entry={entry_id} "
              f"reloaded={'no' if reload_problems else 'yes'}", s.now())  # fmt: skip
    where = display_path(change.path)
    if reload_problems:
        message = s.messages("propuesta_escrita_sin_recarga", id=proposal_id, archivo=where)
        return Result(True, message, reload_problems, proposal_id)
    message = s.messages("propuesta_aprobada", id=proposal_id, archivo=where)
    answered = _answers_now(s, [change.question, *questions], entry_id)
    if answered is not None:
        message += " " + answered
    return Result(True, message, (), proposal_id)


def _answers_now(s: Services, questions: list[str], entry_id: str) -> str | None:
    """How many of the proposal's questions the bot now answers with its entry."""
    asked = list(dict.fromkeys(q for q in questions if q))
    if not asked:
        return None
    n = sum(
        1
        for q in asked
        if (m := s.answers.matcher.match(q)).band == "answer" and m.entry_id == entry_id
    )
    return s.messages("propuesta_responde", n=n, total=len(asked))


def reject(s: Services, actor: int, proposal_id: int) -> Result:
    """Nothing is written; the proposal's questions go back to the open list."""
    with s.db.session() as session:
        p = store.get(session, proposal_id)
        if p is None:
            return _refused(s, "propuesta_no_existe", id=proposal_id)
        if not store.decide(session, proposal_id, store.REJECTED, actor, s.now()):
            session.refresh(p)
            return _decided(s, p)
        audit(session, actor, "kb_reject", f"proposal={proposal_id}", s.now())
    return Result(True, s.messages("propuesta_rechazada", id=proposal_id), (), proposal_id)
