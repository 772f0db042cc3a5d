"""The hand-off's user actions: open a consulta, relay both ways, list and close.

Each action is one call that opens and commits its own short transaction and returns what to
say and where; the Telegram side sends afterwards, then records the sent message's id in a
second short transaction (`consulta_posted`, `answer_posted`, `relayed`), so no transaction
waits on Telegram. A relay is written before it is sent and forgotten if the send fails. A
replayed update (`bot.storage.replay`) finds its step done: it sends what the first handling
wrote but had not sent yet (it stopped before the send), and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from html import escape

from sqlalchemy import delete, select

from bot.handoff import (
    ANSWERED_LISTED,
    IN,
    MAX_LISTED,
    OUT,
    WITHDRAWN,
    after_officer_message,
    after_staff_reply,
    after_withdrawal,
    answered_since,
    reopens,
    takes_plain_message,
)
from bot.places import Place
from bot.services import Services
from bot.storage import handoffs as store
from bot.storage.models import Handoff, HandoffMessage, Officer
from bot.storage.officers import get_officer
from bot.storage.replay import first_time
from bot.storage.staff import audit
from bot.telegram_html import split_message

Buttons = list[list[tuple[str, tuple[str, ...]]]]  # (label, callback data parts) per row


@dataclass(frozen=True)
class GroupPost:
    """What to post in the staff group, or why not (`kind`)."""

    kind: str  # "post", "not_registered", "gone", "unavailable", "replay"
    number: int | None = None
    text: str = ""
    row_id: int | None = None  # the thread message to complete once posted
    reply_to: int | None = None  # the thread's latest group message
    buttons: Buttons = field(default_factory=list)
    resumed: bool = False  # a replay sending what the first handling wrote: nothing else again


@dataclass(frozen=True)
class Relay:
    """A staff reply for the officer, or what the group is told instead (`kind`)."""

    kind: str  # "relay", "ignore", "unknown", "only_text", "not_staff", "replay"
    number: int | None = None
    officer_chat: int | None = None
    chunks: list[str] = field(default_factory=list)
    buttons: Buttons = field(default_factory=list)
    row_id: int | None = None


def instancia_text(s: Services, officer: Officer) -> str:
    p = officer.instancia.place
    place = Place(
        level=p.level, code=p.code, name=p.name, provincia=p.provincia,
        departamento=p.departamento, region=p.region,
    )  # fmt: skip
    return s.messages(f"instancia_{place.level}", lugar=place.label)


def close_buttons(s: Services, number: int) -> Buttons:
    return [[(s.messages("boton_cerrar_consulta"), ("ho", "close", str(number)))]]


# --- the officer's side ------------------------------------------------------------------------


def is_registered(s: Services, user_id: int) -> bool:
    """A specialist needs to know who asks; also: did a deletion of data really happen."""
    with s.db.session() as session:
        return get_officer(session, user_id) is not None


def owns(s: Services, number: int, user_id: int) -> bool:
    """"Responder" works only for the officer the answer was sent to (a forged number: no)."""
    with s.db.session() as session:
        return store.get_for_officer(session, number, user_id) is not None


def relayed_consulta(s: Services, user_id: int, message_id: int) -> int | None:
    """The consulta of a relayed answer this officer replied to with Telegram's "reply"."""
    with s.db.session() as session:
        handoff = store.by_officer_message(session, user_id, message_id)
        return handoff.id if handoff else None


def waiting_consulta(s: Services, user_id: int) -> int | None:
    """The consulta an officer's plain message belongs to (bot.handoff.takes_plain_message),
    or None: then it is a question for the bot."""
    if s.settings.staff_group_chat_id is None:
        return None
    with s.db.session() as session:
        handoff = store.latest_open_for_officer(session, user_id)
        if handoff is None:
            return None
        last = store.latest_message(session, handoff.id)
        if last is None:
            return None
        at = last.at if last.at.tzinfo else last.at.replace(tzinfo=UTC)  # SQLite: naive, UTC
        routed = takes_plain_message(
            handoff.status, last.direction, last.text == WITHDRAWN, at, s.now()
        )
        return handoff.id if routed else None


def routed_reply(s: Services, number: int, row_id: int) -> tuple[str, Buttons]:
    """What the officer reads after a plain message went to their consulta: where it went, and
    the two ways out if it was not meant for the specialist."""
    m = s.messages
    return m("especialista_mensaje_enviado", n=number), [
        [(m("boton_retirar_mensaje"), ("ho", "wd", str(row_id)))],
        [(m("boton_era_pregunta"), ("kb", "q", str(row_id)))],
    ]


@dataclass(frozen=True)
class Withdrawn:
    """An officer's message taken back from a thread, or why not (`kind`)."""

    kind: str  # "withdrawn", "gone" (not theirs, or deleted), "already", "replay"
    number: int | None = None
    text: str = ""  # what they had written: asked to the bot instead, if they chose that
    group_chat_id: int | None = None
    group_message_id: int | None = None
    notice: str = ""  # what the group's copy says instead
    buttons: Buttons = field(default_factory=list)


def withdraw(s: Services, user_id: int, row_id: int, update_id: int | None) -> Withdrawn:
    """Take an officer's message back from their consulta: its words leave the thread (the
    group's copy says it was withdrawn rather than vanishing under staff who may have read
    it), and the consulta waits again for whoever it waited for before."""
    with s.db.session() as session:
        if not first_time(session, update_id, "handoff_withdraw", s.now()):
            return Withdrawn("replay")
        row = store.officer_row(session, row_id, user_id)
        if row is None:
            return Withdrawn("gone")
        n = row.handoff_id
        if row.text == WITHDRAWN:
            return Withdrawn("already", n)
        text, row.text = row.text, WITHDRAWN
        session.flush()
        handoff = session.get(Handoff, n)
        latest = store.latest_direction(session, n, WITHDRAWN)
        store.set_status(handoff, after_withdrawal(handoff.status, latest), s.now())
        return Withdrawn(
            "withdrawn", n, text, row.group_chat_id, row.group_message_id,
            s.messages("grupo_mensaje_retirado", n=n), close_buttons(s, n),
        )  # fmt: skip


def open_consulta(
    s: Services, user_id: int, text: str, own_message_id: int | None, update_id: int | None
) -> GroupPost:
    """Store the consulta; the post for the staff group. A replay posts only what the first
    handling stored but never posted (it stopped before the send)."""
    group = s.settings.staff_group_chat_id
    if group is None:
        return GroupPost("unavailable")
    with s.db.session() as session:
        officer = get_officer(session, user_id)
        if officer is None:  # deleted their data in the meantime
            return GroupPost("not_registered")
        resumed = not first_time(session, update_id, "handoff_open", s.now())
        if not resumed:
            handoff, first = store.open_handoff(session, officer, text, own_message_id, s.now())
        else:
            first = store.unposted(session, user_id, own_message_id)
            if first is None:
                return GroupPost("replay")
            handoff = session.get(Handoff, first.handoff_id)
        post = s.messages(
            "grupo_consulta", n=handoff.id, nombre=escape(officer.name),
            cargo=escape(officer.cargo), institucion=escape(officer.institution),
            instancia=escape(instancia_text(s, officer)), texto=escape(first.text),
        )  # fmt: skip
        return GroupPost(
            "post", handoff.id, post, first.id, None, close_buttons(s, handoff.id), resumed
        )


def consulta_posted(s: Services, row_id: int, group: int, message_id: int) -> None:
    """The staff group has it: officers' and staff's replies to that message find the thread."""
    with s.db.session() as session:
        store.set_group_message(session, row_id, group, message_id)


def consulta_not_posted(s: Services, number: int) -> None:
    """A consulta that never reached the staff group is not kept (the officer keeps a draft)."""
    with s.db.session() as session:
        store.discard(session, number)


def officer_answer(
    s: Services,
    user_id: int,
    number: int | None,
    text: str,
    own_message_id: int | None,
    update_id: int | None,
) -> GroupPost:
    """The officer's answer for the consulta's thread, written before it is posted."""
    group = s.settings.staff_group_chat_id
    with s.db.session() as session:
        handoff = store.get_for_officer(session, number, user_id) if number else None
        if handoff is None:  # deleted with the officer's data, or not theirs
            return GroupPost("gone")
        if group is None:
            return GroupPost("unavailable")
        resumed = not first_time(session, update_id, "handoff_answer", s.now())
        if not resumed:
            row = store.add_message(
                session, handoff, IN, text, s.now(), officer_message_id=own_message_id
            )
        else:
            row = store.unposted(session, user_id, own_message_id)
            if row is None or row.handoff_id != number:
                return GroupPost("replay", number)
        anchor = store.thread_anchor(session, number, group)
        key = "grupo_respuesta_reabierta" if reopens(handoff.status) else "grupo_respuesta_oficial"
        return GroupPost(
            "post", number, s.messages(key, n=number, texto=escape(row.text)), row.id, anchor,
            close_buttons(s, number), resumed,
        )  # fmt: skip


def answer_posted(s: Services, row_id: int, group: int, message_id: int) -> None:
    """In the thread now: staff have something to read again."""
    with s.db.session() as session:
        row = session.get(HandoffMessage, row_id)
        if row is None:  # the officer deleted their data meanwhile
            return
        row.group_chat_id, row.group_message_id = group, message_id
        handoff = session.get(Handoff, row.handoff_id)
        store.set_status(handoff, after_officer_message(handoff.status), s.now())


def not_sent(s: Services, row_id: int) -> None:
    """A relay that did not arrive is not part of the thread."""
    with s.db.session() as session:
        session.execute(delete(HandoffMessage).where(HandoffMessage.id == row_id))


# --- the staff group ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupMessage:
    """A message in the staff group replying to another, as plain values."""

    group: int
    message_id: int
    reply_to_id: int
    reply_to_bot: bool  # the message replied to is the bot's own
    user_id: int | None  # None: a bot, an automatic forward, or an admin posting as the group
    anonymous: bool  # an admin posting as the group: who it is cannot be checked
    text: str | None  # plain, as stored
    html: str | None  # with its formatting, as relayed


def staff_reply(s: Services, msg: GroupMessage, update_id: int | None) -> Relay:
    """A reply to a thread message, from staff, becomes the officer's answer.

    Replies to people are ordinary group talk and are left alone; a reply to the bot that
    belongs to no thread is told so. Someone in the group who is not staff (`Services.is_staff`),
    or an admin posting anonymously as the group (who cannot be checked), is told to ask an
    admin for /staff, and nothing reaches the officer.
    """
    staff = s.is_staff(msg.user_id)
    with s.db.session() as session:
        handoff = store.by_group_message(session, msg.group, msg.reply_to_id)
        person = msg.user_id is not None or msg.anonymous
        if handoff is None:
            return Relay("unknown" if msg.reply_to_bot and person else "ignore")
        if not person:
            return Relay("ignore")
        if not staff:
            return Relay("not_staff", handoff.id)
        if not msg.text:
            return Relay("only_text", handoff.id)
        n = handoff.id
        if first_time(session, update_id, "handoff_relay", s.now()):
            row = store.add_message(
                session, handoff, OUT, msg.text, s.now(), group_chat_id=msg.group,
                group_message_id=msg.message_id,
            )  # fmt: skip
        else:
            row = _unrelayed(session, msg)
            if row is None:
                return Relay("replay", n)
        m = s.messages
        return Relay(
            "relay", n, handoff.officer.telegram_id,
            split_message(m("respuesta_especialista", n=n, texto=msg.html)),
            [[(m("boton_responder"), ("ho", "reply", str(n)))]], row.id,
        )  # fmt: skip


def _unrelayed(session, msg: GroupMessage) -> HandoffMessage | None:
    return session.scalar(
        select(HandoffMessage).where(
            HandoffMessage.direction == OUT,
            HandoffMessage.group_chat_id == msg.group,
            HandoffMessage.group_message_id == msg.message_id,
            HandoffMessage.officer_message_id.is_(None),
        )
    )


def relayed(s: Services, row_id: int, officer_message_id: int) -> None:
    """The officer has it: their Telegram reply to it finds the thread; the consulta is
    answered."""
    with s.db.session() as session:
        row = session.get(HandoffMessage, row_id)
        if row is None:
            return
        row.officer_message_id = officer_message_id
        handoff = session.get(Handoff, row.handoff_id)
        store.set_status(handoff, after_staff_reply(handoff.status), s.now())


def listing(s: Services, actor: int) -> list[str]:
    """/consultas: open consultas, then the recently answered ones, as message texts. Audited:
    it shows officers' names and words."""
    m = s.messages
    days = ANSWERED_LISTED.days
    with s.db.session() as session:
        rows, total = store.for_staff(session, answered_since(s.now()), MAX_LISTED)
        audit(session, actor, "handoff_list", f"shown={min(total, MAX_LISTED)}", s.now())
        items = [
            m("consultas_item", n=h.id, estado=m(f"estado_{h.status}"),
              fecha=s.local_date(h.created_at), nombre=escape(h.officer.name),
              lugar=escape(instancia_text(s, h.officer)))
            for h in rows
        ]  # fmt: skip
    if not items:
        return [m("consultas_vacio", dias=days)]
    parts = [m("consultas_titulo", dias=days, total=total), *items]
    if total > len(items):
        parts.append(m("consultas_mas", resto=total - len(items)))
    parts.append(m("consultas_ayuda"))
    return split_message("\n\n".join(parts))


def thread_of(s: Services, group: int, message_id: int) -> int | None:
    """The consulta a staff-group message belongs to (for /cerrar as a reply)."""
    with s.db.session() as session:
        handoff = store.by_group_message(session, group, message_id)
        return handoff.id if handoff else None


def close(s: Services, number: int, update_id: int | None, actor: int) -> str | None:
    """"closed", "already" or "missing"; None on a replay (nothing to say again). Audited."""
    with s.db.session() as session:
        if not first_time(session, update_id, "handoff_close", s.now()):
            return None
        result = store.close(session, number, s.now()) or "missing"
        audit(session, actor, "handoff_close", f"consulta={number} result={result}", s.now())
        return result


def group_copies(s: Services, user_id: int) -> list[tuple[int, int, int]]:
    """Where this officer's words sit in the staff group, before their rows go."""
    with s.db.session() as session:
        return store.group_copies_of(session, user_id)
