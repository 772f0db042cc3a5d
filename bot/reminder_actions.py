"""/recordatorios' user actions: list, create, pause, resume, delete; each one transaction.

The schedule rules and the firing job are bot/reminders.py; these return what staff read and
which buttons each reminder gets, as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

from bot import audience as aud
from bot.broadcast import Content
from bot.broadcast_actions import (
    Screen,
    as_delivered,
    audience_screen,
    deadline,
    facet_values,
    labels,
    reach,
    too_long,
)
from bot.reminders import SEMESTER_END, Schedule, ScheduleError, in_words, parse_new
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


def _when(s: Services, schedule: Schedule) -> str:
    """The schedule in words; the usual one is also named as staff know it."""
    words = in_words(schedule, month_names(s))
    if schedule.months == SEMESTER_END:
        return s.messages("recordatorio_fin_semestre", cuando=words)
    return words


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
        cuando=_when(s, schedule),
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
    return _store(s, actor, new.schedule, new.audience, new.text, update_id)


def _store(
    s: Services, actor: int, schedule: Schedule, audience: aud.Audience, text: str,
    update_id: int | None,
) -> Created | None:
    """The one way a reminder is created (typed in one line or set up step by step)."""
    m = s.messages
    with s.db.session() as session:
        if not first_time(session, update_id, "reminder_create", s.now()):
            return None
        r = store.add_reminder(
            session, author_id=actor, created_at=s.now(), days=schedule.days_text(),
            months=schedule.months_text(), at_time=schedule.at_time,
            audience=audience.to_json(), text=text,
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


# --- /recordatorios nuevo, step by step --------------------------------------------------------
# Steps, in order: who (the /difundir audience chooser), the message, the days, the months, the
# hour, then a preview with the next run and the confirmation. Every screen can go back a step
# or cancel; the draft lives in the staff member's conversation (Telegram side) as `Guided`.

STEPS = ("aud", "text", "days", "months", "hour", "confirm")
HOURS = ("07:00", "08:00", "09:00", "10:00", "12:00", "15:00", "17:00", "18:00")
AREA = "rn"  # callback data of the guided flow's buttons


@dataclass(frozen=True)
class Guided:
    """A reminder being set up; it starts as the usual one (officers without a sent report,
    the 1st and the 15th of the last two months of each semester, at 09:00)."""

    audience: aud.Audience = aud.NOT_SENT
    text: str = ""  # Telegram HTML
    days: tuple[int, ...] = (1, 15)
    months: tuple[int, ...] = SEMESTER_END  # empty: every month
    at_time: str = "09:00"

    def to_json(self) -> dict:
        return {"audience": self.audience.to_json(), "text": self.text, "days": list(self.days),
                "months": list(self.months), "at_time": self.at_time}  # fmt: skip

    @classmethod
    def from_json(cls, data: object) -> Guided:
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(
                aud.Audience.from_json(data.get("audience")), str(data.get("text", "")),
                tuple(sorted({int(d) for d in data.get("days", ())})),
                tuple(sorted({int(m) for m in data.get("months", ())})),
                str(data.get("at_time", "09:00")),
            )  # fmt: skip
        except (TypeError, ValueError):
            return cls()

    @property
    def schedule(self) -> Schedule | None:
        """None while no day is chosen."""
        try:
            return Schedule.parse(
                ",".join(map(str, self.days)), ",".join(map(str, self.months)), self.at_time
            )
        except ScheduleError:
            return None

    def toggle_day(self, day: int) -> Guided:
        if not 1 <= day <= 31:
            return self
        return replace(self, days=tuple(sorted(set(self.days) ^ {day})))

    def toggle_month(self, month: int) -> Guided:
        if not 1 <= month <= 12:
            return self
        return replace(self, months=tuple(sorted(set(self.months) ^ {month})))

    def at(self, typed: str) -> Guided | None:
        """At the typed or tapped time ("9:30", "16.00"); None if it is not a time."""
        try:
            schedule = Schedule.parse("1", "", typed)
        except ScheduleError:
            return None
        return replace(self, at_time=schedule.at_time)


def month_names(s: Services) -> dict[int, str]:
    return {int(k): v for k, v in s.messages.section("meses").items()}


def when_text(s: Services, g: Guided) -> str:
    schedule = g.schedule
    if schedule is None:
        return s.messages("recordatorio_guiado_sin_dias")
    return in_words(schedule, month_names(s))


def _nav(s: Services, back: str | None, forward: tuple[str, tuple[str, ...]] | None):
    m = s.messages
    row = []
    if back:
        row.append((m("recordatorio_guiado_atras"), (AREA, "b", back)))
    if forward:
        row.append(forward)
    rows = [row] if row else []
    rows.append([(m("recordatorio_guiado_cancelar"), (AREA, "x"))])
    return rows


def guided_screen(s: Services, g: Guided, step: str, view: str = "main") -> Screen:
    """The screen of one step (the preview's question for "confirm")."""
    m = s.messages
    title = m("recordatorio_guiado_titulo", paso=STEPS.index(step) + 1 if step in STEPS else 1)
    if step == "aud":
        screen = audience_screen(
            s, g.audience, view, area=AREA,
            done=(m("recordatorio_guiado_siguiente_mensaje"), (AREA, "next")),
        )  # fmt: skip
        rows = screen.buttons + ([] if view != "main" else _nav(s, None, None))
        return Screen(f"{title}\n{m('recordatorio_guiado_publico')}\n\n{screen.text}", rows)
    if step == "text":
        text = f"{title}\n{m('recordatorio_guiado_mensaje')}"
        rows = _nav(s, "aud", None)
        if g.text:
            text += "\n\n" + m("recordatorio_guiado_mensaje_actual", texto=g.text)
            rows.insert(0, [(m("recordatorio_guiado_mantener"), (AREA, "keep"))])
        return Screen(text, rows)
    when = m("recordatorio_guiado_cuando", cuando=when_text(s, g))
    if step == "days":
        grid = [
            (("✅" if d in g.days else "") + str(d), (AREA, "d", str(d))) for d in range(1, 32)
        ]
        rows = [grid[i : i + 5] for i in range(0, 31, 5)]  # "✅15" fits a phone five to a row
        forward = (m("recordatorio_guiado_siguiente_meses"), (AREA, "dn"))
        return Screen(f"{title}\n{m('recordatorio_guiado_dias')}\n\n{when}",
                      rows + _nav(s, "text", forward))  # fmt: skip
    if step == "months":
        names = month_names(s)
        toggles = [
            (("✅ " if mo in g.months else "") + names[mo][:3], (AREA, "m", str(mo)))
            for mo in range(1, 13)
        ]
        rows = [toggles[i : i + 4] for i in range(0, 12, 4)]
        rows.append([
            (("✅ " if g.months == SEMESTER_END else "") + m("recordatorio_guiado_fin_semestre"),
             (AREA, "ms")),
            (("✅ " if not g.months else "") + m("recordatorio_guiado_cada_mes"), (AREA, "ma")),
        ])  # fmt: skip
        forward = (m("recordatorio_guiado_siguiente_hora"), (AREA, "mn"))
        return Screen(f"{title}\n{m('recordatorio_guiado_meses')}\n\n{when}",
                      rows + _nav(s, "days", forward))  # fmt: skip
    if step == "hour":
        hours = [
            (("✅ " if h == g.at_time else "") + h, (AREA, "h", h.replace(":", "")))
            for h in HOURS
        ]
        rows = [hours[i : i + 3] for i in range(0, len(hours), 3)]
        forward = (m("recordatorio_guiado_siguiente_revisar"), (AREA, "hn"))
        return Screen(f"{title}\n{m('recordatorio_guiado_hora')}\n\n{when}",
                      rows + _nav(s, "months", forward))  # fmt: skip
    return _confirm_screen(s, g, title)


def _as_fired(s: Services, g: Guided) -> Content:
    """The text a firing gives the lane today: with the closing date line, if any."""
    line = deadline(s)
    return Content(f"{g.text}\n\n{line}" if line else g.text)


def guided_content(s: Services, g: Guided) -> Content:
    """The reminder exactly as officers will get it today."""
    return as_delivered(s, _as_fired(s, g))


def _confirm_screen(s: Services, g: Guided, title: str) -> Screen:
    m = s.messages
    schedule = g.schedule
    n = reach(s, g.audience)
    upcoming = schedule.next_slot(s.now(), s.settings.tz) if schedule else None
    lines = [
        title,
        m("recordatorio_guiado_resumen", cuando=when_text(s, g),
          publico=aud.describe(g.audience, labels(s)),
          alcance=m("recordatorio_guiado_alcance", n=n)),
    ]  # fmt: skip
    rows = []
    if upcoming is None:
        lines.append(m("recordatorio_guiado_nunca"))
    else:
        local = upcoming.astimezone(s.settings.tz)
        lines.append(m("recordatorio_proximo", fecha=s.local_date(upcoming),
                       hora=local.strftime("%H:%M")))  # fmt: skip
        rows.append([(m("recordatorio_guiado_crear"), (AREA, "ok"))])
    rows.append([(m("recordatorio_guiado_cambiar_horario"), (AREA, "b", "days")),
                 (m("difundir_boton_cambiar"), (AREA, "b", "aud"))])  # fmt: skip
    rows.append([(m("recordatorio_guiado_cancelar"), (AREA, "x"))])
    return Screen("\n".join(lines), rows)


def guided_text(s: Services, g: Guided, text: str) -> tuple[Guided, str | None]:
    """The typed message, or what is wrong with it (too long with its sender line)."""
    if not text.strip():
        return g, s.messages("recordatorio_error_texto")
    problem = too_long(s, _as_fired(s, replace(g, text=text.strip())))
    if problem is not None:
        return g, problem
    return replace(g, text=text.strip()), None


def create_guided(s: Services, actor: int, g: Guided, update_id: int | None) -> Created | None:
    """«Crear recordatorio»: stored as the one-line command stores it. None on a replay."""
    schedule = g.schedule
    if schedule is None or not g.text:
        return Created(s.messages("recordatorio_guiado_incompleto"), [])
    return _store(s, actor, schedule, g.audience, g.text, update_id)
