"""/recordatorios (staff): list, create, pause, resume and delete scheduled reminders.

Reminders live in the database; a job checks them every minute (and right at start, to send a
slot missed while the bot was down) and hands due ones to the broadcast lane.
"""

from __future__ import annotations

import logging
from datetime import UTC
from html import escape

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import audience as aud
from bot.reminders import SEMESTER_END, Schedule, ScheduleError, fire_due, parse_new
from bot.services import Services
from bot.storage import broadcasts as store
from bot.telegram_html import plain_text
from handlers.broadcast import facet_values, labels, refused, wake_lane
from handlers.common import cb, cb_parts, close_buttons, keyboard, send, stale_button, svc

log = logging.getLogger(__name__)

CHECK_EVERY = 60  # seconds
PREVIEW_CHARS = 80


def describe_months(s: Services, schedule: Schedule) -> str:
    m = s.messages
    if not schedule.months:
        return m("recordatorio_todos_los_meses")
    if schedule.months == SEMESTER_END:
        return m("recordatorio_fin_semestre")
    return m("recordatorio_meses", meses=schedule.months_text())


def describe(s: Services, r) -> tuple[str, list[tuple[str, str]]]:
    """One reminder's lines and its buttons."""
    m = s.messages
    schedule = Schedule.parse(r.days, r.months, r.at_time)
    upcoming = schedule.next_slot(s.now(), s.settings.tz)
    when = ""
    if r.active and upcoming is not None:
        local = upcoming.astimezone(s.settings.tz)
        when = m("recordatorio_proximo", fecha=s.local_date(upcoming), hora=local.strftime("%H:%M"))
    with s.db.session() as session:
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
        dias=schedule.days_text(), meses=describe_months(s, schedule), hora=schedule.at_time,
        publico=aud.describe(aud.Audience.from_json(r.audience), labels(s)),
        texto=escape(preview), proximo=when,
    )  # fmt: skip
    toggle = (
        (m("recordatorio_boton_pausar", id=r.id), cb("rem", "p", str(r.id)))
        if r.active
        else (m("recordatorio_boton_reanudar", id=r.id), cb("rem", "r", str(r.id)))
    )
    return text, [toggle, (m("recordatorio_boton_eliminar", id=r.id), cb("rem", "d", str(r.id)))]


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recordatorios lists them; /recordatorios nuevo … creates one."""
    s = svc(context)
    m = s.messages
    if await refused(update, context):
        return
    args = context.args or []
    if args and args[0].lower() == "nuevo":
        await create(update, context)
        return
    with s.db.session() as session:
        reminders = store.list_reminders(session)
    if not reminders:
        await send(update, context, m("recordatorios_vacio") + "\n\n" + m("recordatorios_uso"))
        return
    await send(update, context, m("recordatorios_titulo"))
    for r in reminders:
        text, buttons = describe(s, r)
        await send(update, context, text, keyboard([buttons]))
    await send(update, context, m("recordatorios_uso"))


async def create(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = svc(context)
    m = s.messages
    html = update.effective_message.text_html
    first, _, rest = html.partition("\n")
    args = first.split()[2:]  # after "/recordatorios nuevo"
    regions = facet_values(s, "regions")
    try:
        new = parse_new(args, rest, regions)
    except ScheduleError as exc:
        await send(update, context, m(f"recordatorio_error_{exc.key}", palabra=escape(exc.word))
                   + "\n\n" + m("recordatorios_uso"))
        return
    actor = update.effective_user.id
    with s.db.session() as session:
        r = store.add_reminder(
            session, author_id=actor, created_at=s.now(), days=new.schedule.days_text(),
            months=new.schedule.months_text(), at_time=new.schedule.at_time,
            audience=new.audience.to_json(), text=new.text,
        )  # fmt: skip
    s.audit(actor, "reminder_create", f"reminder={r.id}")
    text, buttons = describe(s, r)
    await send(update, context, m("recordatorio_creado", id=r.id) + "\n\n" + text,
               keyboard([buttons]))


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pause, resume, delete (asked first): staff only, checked on every press."""
    s = svc(context)
    m = s.messages
    query = update.callback_query
    if await refused(update, context):
        return
    parts = cb_parts(query.data, "rem") or []
    if len(parts) != 2 or parts[0] not in "prdy" or not parts[1].isdigit():
        await stale_button(update, context)
        return
    action, rid = parts[0], int(parts[1])
    if action == "d":
        await close_buttons(update)
        await send(update, context, m("recordatorio_eliminar_pregunta", id=rid), keyboard(
            [[(m("recordatorio_boton_confirmar", id=rid), cb("rem", "y", str(rid)))]]
        ))
        return
    with s.db.session() as session:
        r = store.get_reminder(session, rid)
        if r is not None and action == "y":
            store.delete_reminder(session, rid)
        elif r is not None:
            r.active = action == "r"
    await close_buttons(update)
    if r is None:
        await send(update, context, m("recordatorio_no_existe", id=rid))
        return
    done = {"y": "recordatorio_eliminado", "p": "recordatorio_pausado_ok",
            "r": "recordatorio_reanudado_ok"}[action]
    s.audit(update.effective_user.id, {"y": "reminder_delete", "p": "reminder_pause",
                                       "r": "reminder_resume"}[action], f"reminder={rid}")
    await send(update, context, m(done, id=rid))


async def check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every minute, and at start: due reminders become broadcasts for the lane."""
    s = svc(context)
    now = s.now().astimezone(UTC)
    created = fire_due(s.db, now=now, tz=s.settings.tz, period=s.period())
    if created:
        log.info("reminders fired: broadcasts %s", created)
        wake_lane(context)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("recordatorios", command))
    app.add_handler(CallbackQueryHandler(pressed, r"^v1:rem:"))
    app.job_queue.run_repeating(check, interval=CHECK_EVERY, first=0.2, name="reminders")
