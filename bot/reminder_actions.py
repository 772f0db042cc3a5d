"""/recordatorios' user actions: list, create, pause, resume, delete; each one transaction.

The schedule rules and the firing job are bot/reminders.py; these return what staff read and
which buttons each reminder gets, as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot import audience as aud
from bot.broadcast_actions import facet_values, labels
from bot.reminders import SEMESTER_END, Schedule, ScheduleError, parse_new
from bot.services import Services
from bot.storage import broadcasts as store
from bot.storage.models_broadcast import Reminder
from bot.storage.replay import first_time
from bot.storage.staff import audit
from bot.telegram_html import plain_text

PREVIEW_CHARS = 80

Button = tuple[str, tuple[str, ...]]  # (label, callback data parts)


@dataclass(frozen=True)
class Item:
    """One reminder as staff see it, with its buttons (one row)."""

    text: str
    buttons: list[Button]


def _months(s: Services, schedule: Schedule) -> str:
    m = s.messages
    if not schedule.months:
        return m("recordatorio_todos_los_meses")
    if schedule.months == SEMESTER_END:
        return m("recordatorio_fin_semestre")
    return m("recordatorio_meses", meses=schedule.months_text())


def _item(s: Services, session, r: Reminder) -> Item:
    m = s.messages
    schedule = Schedule.parse(r.days, r.months, r.at_time)
    upcoming = schedule.next_slot(s.now(), s.settings.tz)
    when = ""
    if r.active and upcoming is not None:
        local = upcoming.astimezone(s.settings.tz)
        when = m("recordatorio_proximo", fecha=s.local_date(upcoming), hora=local.strftime("%H:%M"))
    last = store.last_firing(session, r.id)
    if last is not None:
        when += ("\n" if when else "") + m(
            "recordatorio_ultimo", fecha=s.local_date(last.created_at), n=last.total
        )
    preview = plain_text(r.text)
    if len(preview) > PREVIEW_CHARS:
        preview = preview[:PREVIEW_CHARS] + "…"
    text = m(
        "recordatorio_item", id=r.id,
        estado=m("recordatorio_activo" if r.active else "recordatorio_pausado"),
        dias=schedule.days_text(), meses=_months(s, schedule), hora=schedule.at_time,
        publico=aud.describe(aud.Audience.from_json(r.audience), labels(s)),
        texto=escape(preview), proximo=when,
    )  # fmt: skip
    toggle = (
        (m("recordatorio_boton_pausar", id=r.id), ("rem", "p", str(r.id)))
        if r.active
        else (m("recordatorio_boton_reanudar", id=r.id), ("rem", "r", str(r.id)))
    )
    delete = (m("recordatorio_boton_eliminar", id=r.id), ("rem", "d", str(r.id)))
    return Item(text, [toggle, delete])


def listing(s: Services) -> list[Item]:
    with s.db.session() as session:
        return [_item(s, session, r) for r in store.list_reminders(session)]


@dataclass(frozen=True)
class Created:
    text: str  # the new reminder, or what is wrong with the command
    buttons: list[Button]


def create(
    s: Services, actor: int, args: list[str], text: str, update_id: int | None
) -> Created | None:
    """`/recordatorios nuevo DÍAS MESES HORA [PÚBLICO…]` + the message on the next lines.
    None on a replay: the reminder exists and was shown."""
    m = s.messages
    try:
        new = parse_new(args, text, facet_values(s, "regions"))
    except ScheduleError as exc:
        error = m(f"recordatorio_error_{exc.key}", palabra=escape(exc.word))
        return Created(error + "\n\n" + m("recordatorios_uso"), [])
    with s.db.session() as session:
        if not first_time(session, update_id, "reminder_create", s.now()):
            return None
        r = store.add_reminder(
            session, author_id=actor, created_at=s.now(), days=new.schedule.days_text(),
            months=new.schedule.months_text(), at_time=new.schedule.at_time,
            audience=new.audience.to_json(), text=new.text,
        )  # fmt: skip
        audit(session, actor, "reminder_create", f"reminder={r.id}", s.now())
        item = _item(s, session, r)
        return Created(m("recordatorio_creado", id=r.id) + "\n\n" + item.text, item.buttons)


STALE = "stale"  # the reminder is gone: the button that named it no longer applies

ACTIONS = {  # button → (what is done, the audit action, what staff read)
    "p": ("pause", "reminder_pause", "recordatorio_pausado_ok"),
    "r": ("resume", "reminder_resume", "recordatorio_reanudado_ok"),
    "y": ("delete", "reminder_delete", "recordatorio_eliminado"),
}


def change(
    s: Services, actor: int, action: str, reminder_id: int, update_id: int | None
) -> str | None:
    """Pause ("p"), resume ("r") or delete ("y", after the question): what to say; None on a
    replay; STALE when there is no such reminder (nothing changed)."""
    _, audited, done = ACTIONS[action]
    with s.db.session() as session:
        if not first_time(session, update_id, "reminder_change", s.now()):
            return None
        r = store.get_reminder(session, reminder_id)
        if r is None:
            return STALE
        if action == "y":
            store.delete_reminder(session, reminder_id)
        else:
            r.active = action == "r"
        audit(session, actor, audited, f"reminder={reminder_id}", s.now())
    return s.messages(done, id=reminder_id)
