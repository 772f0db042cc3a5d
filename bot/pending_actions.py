"""The pending list and «Recordar a estos»: remind exactly the officers of the instancias listed.

The list is /pendientes' (bot/storage/queries_data.py `pending_instancias`: instancias with
active officers and no report sent this period), each told «en borrador» (someone started the
report) from «sin empezar», and filterable by that and by region. Reminding them creates a
broadcast whose deliveries are the active officers of exactly the instancias shown; the
broadcast lane (bot/broadcast.py) sends it, paced, like any /difundir. The staff member sees the
message (prefilled from knowledge/mensajes.yaml) and the live count first and confirms that
count: if the list changed in between, nothing is sent and the new count is shown instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot import audience as aud
from bot.broadcast_actions import REMIND_ACTION, facet_values, labels
from bot.exports import level_name
from bot.periods import period_label
from bot.places import Place
from bot.reminder_actions import deadline
from bot.services import Services
from bot.storage import broadcasts as store
from bot.storage.queries_data import draft_activity, pending_instancias
from bot.storage.staff import audit, audit_details
from bot.telegram_html import find_error, visible_length

DRAFT, NONE = "draft", "none"
STATES = (DRAFT, NONE)
TELEGRAM_LIMIT = 4096
SAME_PRESS = timedelta(minutes=2)  # a second "Enviar" within this is the same press


@dataclass(frozen=True)
class Filters:
    states: frozenset[str] = frozenset(STATES)  # «en borrador», «sin empezar», or both
    region: str | None = None

    @classmethod
    def of(cls, state: str | None, region: str | None) -> Filters:
        """From the page's query: state "draft", "none" or anything else (both)."""
        states = frozenset({state}) if state in STATES else frozenset(STATES)
        return cls(states, (region or "").strip() or None)

    def audience(self) -> aud.Audience:
        """How the broadcast's audience is recorded and worded (report not sent this period)."""
        statuses = self.states if self.states != frozenset(STATES) else aud.NOT_SENT.statuses
        regions = frozenset({self.region}) if self.region else frozenset()
        return aud.Audience(statuses=frozenset(statuses), regions=regions)


@dataclass(frozen=True)
class Row:
    instancia_id: int
    place: Place
    level: str  # as staff read it ("Distrital")
    state: str  # "draft" or "none"
    officers: tuple[str, ...]  # names
    reachable: int = 0  # officers a reminder reaches (queries_data.PendingInstancia)


@dataclass(frozen=True)
class Pending:
    period: str
    period_label: str
    rows: list[Row]
    by_state: dict[str, int]  # instancias per state, before the state filter
    # Active officers of the rows. Whom «Recordar a estos» reaches is counted by `preview`, the
    # step that confirms it (broadcasts skip some officers: see audience_rows).
    officers: int
    regions: list[str] = field(default_factory=list)  # to filter by


def _rows(s: Services, session, filters: Filters) -> tuple[list[Row], dict[str, int]]:
    by_state = {DRAFT: 0, NONE: 0}
    rows = []
    for p in pending_instancias(session, s.period()):
        if filters.region and p.place.region != filters.region:
            continue
        state = DRAFT if p.draft else NONE
        by_state[state] += 1
        if state in filters.states:
            rows.append(Row(p.instancia_id, p.place, level_name(p.place.level, s.messages),
                            state, p.officers, p.reachable))  # fmt: skip
    return rows, by_state


def _state(instancia_id: int, drafts: set[int]) -> str:
    return DRAFT if instancia_id in drafts else NONE


def _recipients(s: Services, session, filters: Filters) -> list[aud.Recipient]:
    """The officers of the instancias the list shows, as the broadcast lane takes them: the
    reminders' own audience (officers broadcasts reach whose instancia has not sent this
    period), by the list's filters (region; the instancia's report in draft or not started)."""
    drafts = set(draft_activity(session, s.period()))
    everyone = store.audience_rows(session, s.period(), answers=False)
    return [
        r
        for r in aud.select(everyone, aud.NOT_SENT)
        if (not filters.region or r.region == filters.region)
        and _state(r.instancia_id, drafts) in filters.states
    ]


def pending(s: Services, filters: Filters) -> Pending:
    """The pending list as filtered, with its officers."""
    with s.db.session() as session:
        rows, by_state = _rows(s, session, filters)
    label = period_label(s.period(), s.messages)
    regions = facet_values(s, "regions")
    return Pending(s.period(), label, rows, by_state, sum(r.reachable for r in rows), regions)


@dataclass(frozen=True)
class Preview:
    text: str  # the message, Telegram HTML, as it will be sent (editable)
    officers: int
    instancias: int
    audience: str  # worded


def default_text(s: Services) -> str:
    text = s.messages("recordar_pendientes_texto", periodo=period_label(s.period(), s.messages))
    closing = deadline(s)
    return f"{text}\n\n{closing}" if closing else text


def preview(s: Services, filters: Filters) -> Preview:
    """The confirmation step: the prefilled message and the live count."""
    with s.db.session() as session:
        chosen = _recipients(s, session, filters)
    worded = aud.describe(filters.audience(), labels(s))
    instancias = len({r.instancia_id for r in chosen})
    return Preview(default_text(s), len(chosen), instancias, worded)


@dataclass(frozen=True)
class Sent:
    ok: bool
    message: str  # Spanish, plain text
    broadcast_id: int | None = None
    officers: int = 0  # the count now (when the list changed: the new one to confirm)


def _text_problem(s: Services, text: str) -> str | None:
    if not text.strip():
        return s.messages("recordar_texto_vacio")
    error = find_error(text)
    if error is not None:
        return s.messages("recordar_texto_html", problema=error.reason)
    if visible_length(text) > TELEGRAM_LIMIT:
        return s.messages("recordar_texto_largo", n=visible_length(text), max=TELEGRAM_LIMIT)
    return None


def _safe_key(key: str) -> str:
    return "".join(c for c in key if c.isalnum() or c in "-_")[:64]


def _sent_with_key(session, key: str | None) -> int | None:
    """The broadcast an earlier press of this very form queued (its audit entry has the key)."""
    if not key:
        return None
    wanted = f" key={_safe_key(key)}"
    for detail in audit_details(session, REMIND_ACTION):
        if detail.endswith(wanted) and detail.startswith("broadcast="):
            head = detail.split(" ", 1)[0][len("broadcast="):]
            if head.isascii() and head.isdigit():
                return int(head)
    return None


def remind(s: Services, actor: int, filters: Filters, text: str, expected: int,
           key: str | None = None) -> Sent:  # fmt: skip
    """«Enviar a N»: the broadcast to exactly the officers counted, queued for the lane, with
    its audit entry, in one transaction. Refused (nothing queued) when the count is no longer
    `expected`, when the text is not valid Telegram HTML, or when nobody is pending. `key`: the
    confirmation form's one-time key; the same key again is the same reminder, not a new one."""
    text = text.strip().replace("\r\n", "\n")
    problem = _text_problem(s, text)
    if problem:
        return Sent(False, problem)
    audience_json = filters.audience().to_json()
    with s.db.session() as session:
        chosen = _recipients(s, session, filters)
        if not chosen:
            return Sent(False, s.messages("recordar_nadie"))
        if len(chosen) != expected:
            return Sent(False, s.messages("recordar_cambio", n=len(chosen)), officers=len(chosen))
        earlier = _sent_with_key(session, key) or store.similar_recent(
            session, actor, text, audience_json, s.now() - SAME_PRESS
        )
        if earlier is not None:
            return Sent(True, s.messages("recordar_ya", id=earlier), earlier, len(chosen))
        b = store.create_broadcast(
            session, author_id=actor, text=text, audience_json=audience_json,
            recipients=chosen, now=s.now(),
        )  # fmt: skip
        reached = len({r.instancia_id for r in chosen})
        detail = f"broadcast={b.id} recipients={b.total} instancias={reached} period={s.period()}"
        if key:
            detail += f" key={_safe_key(key)}"
        audit(session, actor, REMIND_ACTION, detail, s.now())
        bid, total = b.id, b.total
    return Sent(True, s.messages("recordar_encolado", id=bid, n=total), bid, total)
