"""/difundir's user actions: the audience chooser, confirming, stopping; who broadcasts reach.

The draft itself lives in the staff member's conversation (Telegram side); these calls take it
as plain values, each in its own short transaction. Confirming creates the broadcast and its
deliveries once per update (`bot.storage.replay`); bot/broadcast.py's lane sends them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot import audience as aud
from bot.broadcast import Content
from bot.periods import period_label
from bot.services import Services
from bot.storage import broadcasts as store
from bot.storage.replay import first_time, seen
from bot.storage.staff import audit, audit_details, names_of
from bot.telegram_html import plain_text, visible_length
from bot.textnorm import collation_key

FACET_CODES = {"r": "regions", "l": "levels", "s": "statuses", "m": "milestones"}
FACET_ICONS = {"regions": "🗺", "levels": "🏛", "statuses": "📝", "milestones": "🎯"}
CONFIRM_STEP = "broadcast_confirm"
SENDER_KEY = "difusion_remitente"  # mensajes.yaml: the line above every broadcast and reminder
TEXT_LIMIT, CAPTION_LIMIT = 4096, 1024  # Telegram's, in visible characters

Buttons = list[list[tuple[str, tuple[str, ...]]]]  # (label, callback data parts) per row


@dataclass(frozen=True)
class Screen:
    text: str
    buttons: Buttons


def labels(s: Services) -> dict[str, dict[str, str]]:
    """How audiences are worded to staff (mensajes.yaml), for broadcasts and reminders."""
    m = s.messages
    return {
        "todos": {"todos": m.section("publico_etiquetas")["todos"]},
        "facets": m.section("publico_facetas"),
        "levels": m.section("publico_levels"),
        "statuses": m.section("publico_statuses"),
        "milestones": m.section("publico_milestones"),
    }


def facet_values(s: Services, facet: str) -> list[str]:
    """The values a facet offers, in button order."""
    return [value for _, value in facet_options(s, facet)]


def facet_options(s: Services, facet: str) -> list[tuple[str, str]]:
    """(key, value) of each value a facet offers, in button order. The key goes in callback
    data and never changes meaning: a region's INEI code, another facet's own value (an index
    would pick another region once the list is sorted otherwise)."""
    if facet == "regions":
        codes = {p.region: p.code for p in s.places.regions()}
        return [(codes[r], r) for r in sorted(codes, key=collation_key)]
    return [(value, value) for value in labels(s)[facet]]


def as_delivered(s: Services, content: Content) -> Content:
    """A broadcast or reminder as officers get it: under the sender line, so it never reads as
    the bot's next question in whatever conversation the officer is in. An empty sender line in
    mensajes.yaml sends the text alone."""
    sender = s.messages(SENDER_KEY) if s.messages.has(SENDER_KEY) else ""
    if not sender:
        return content
    text = f"{sender}\n\n{content.text}" if content.text else sender
    return Content(text, content.document_file_id, content.document_name)


def too_long(s: Services, content: Content) -> str | None:
    """What to tell staff when the message, with its sender line, exceeds what Telegram takes."""
    delivered = as_delivered(s, content)
    limit = CAPTION_LIMIT if content.document_file_id else TEXT_LIMIT
    length = visible_length(delivered.text)
    if length <= limit:
        return None
    return s.messages("difundir_muy_largo", largo=length, maximo=limit)


def reach(s: Services, audience: aud.Audience) -> int:
    """How many active officers the audience takes in today."""
    with s.db.session() as session:
        return len(aud.select(store.audience_rows(session, s.period()), audience))


def audience_screen(
    s: Services,
    audience: aud.Audience,
    view: str = "main",
    *,
    area: str = "bc",
    done: tuple[str, tuple[str, ...]] | None = None,
) -> Screen:
    """The audience chooser with its live count: the main menu, or one facet's toggles.

    /difundir ends it with "Vista previa (N)"; /recordatorios' guided flow passes its own
    callback `area` and `done` button, and reads the same buttons back (`toggled`)."""
    m = s.messages
    n = reach(s, audience)
    head = m("difundir_publico", n=n, filtros=aud.describe(audience, labels(s)))
    if view in FACET_CODES.values():
        code = next(c for c, f in FACET_CODES.items() if f == view)
        chosen = getattr(audience, view)
        names = labels(s).get(view, {})
        toggles = [
            (("☑️ " if v in chosen else "⬜ ") + names.get(v, v), (area, "k", code, key))
            for key, v in facet_options(s, view)
        ]
        rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
        rows.append([(m("difundir_boton_listo"), (area, "v", "main"))])
        faceta = labels(s)["facets"][view]
        return Screen(head + "\n" + m("difundir_publico_faceta", faceta=faceta), rows)
    todas = m.section("publico_todas")
    facet_buttons = []
    for code, facet in FACET_CODES.items():
        chosen = len(getattr(audience, facet))
        label = f"{FACET_ICONS[facet]} {labels(s)['facets'][facet]}: {chosen or todas[facet]}"
        facet_buttons.append((label, (area, "v", code)))
    rows = [facet_buttons[:2], facet_buttons[2:]]
    if not audience.is_everyone:
        rows.append([(m("difundir_boton_todos"), (area, "all"))])
    rows.append([done or (m("difundir_boton_vista_previa", n=n), ("bc", "prev"))])
    return Screen(head, rows)


def toggled(s: Services, audience: aud.Audience, code: str, key: str) -> aud.Audience | None:
    """The audience with one value of a facet switched; None for a button that names none."""
    facet = FACET_CODES.get(code)
    if facet is None:
        return None
    value = dict(facet_options(s, facet)).get(key)
    return None if value is None else audience.toggle(facet, value)


def preview(s: Services, audience: aud.Audience) -> Screen | None:
    """The "Enviar a N" question under the preview; None when nobody would get it."""
    m = s.messages
    n = reach(s, audience)
    if n == 0:
        return None
    return Screen(
        m("difundir_vista_previa", n=n, filtros=aud.describe(audience, labels(s))),
        [
            [(m("difundir_boton_enviar", n=n), ("bc", "send"))],
            [(m("difundir_boton_cambiar"), ("bc", "aud")),
             (m("difundir_boton_cancelar"), ("bc", "cancel"))],
        ],
    )  # fmt: skip


def confirmed_before(s: Services, update_id: int | None) -> bool:
    """This "Enviar" press already created its broadcast (a replayed update)."""
    with s.db.session() as session:
        return seen(session, update_id, CONFIRM_STEP)


@dataclass(frozen=True)
class Draft:
    text: str  # Telegram HTML (a document's caption, possibly empty)
    document_file_id: str | None = None
    document_name: str | None = None


def confirm(
    s: Services,
    actor: int,
    draft: Draft,
    audience: aud.Audience,
    progress: tuple[int, int] | None,
    update_id: int | None,
) -> int | None:
    """"Enviar a N": the broadcast, every delivery, its progress message (if the sender has one
    to edit) and the audit entry in one transaction. Its id, or None when this update (or
    request) already created it."""
    with s.db.session() as session:
        if not first_time(session, update_id, CONFIRM_STEP, s.now()):
            return None
        chosen = aud.select(store.audience_rows(session, s.period()), audience)
        b = store.create_broadcast(
            session, author_id=actor, text=draft.text, audience_json=audience.to_json(),
            recipients=chosen, now=s.now(), document_file_id=draft.document_file_id,
            document_name=draft.document_name,
        )  # fmt: skip
        if progress is not None:
            store.set_progress_message(session, b.id, *progress)
        audit(session, actor, "broadcast_send", f"broadcast={b.id} recipients={b.total}", s.now())
        return b.id


def deadline(s: Services) -> str | None:
    """The line that ends every reminder while the period has a closing date (config
    reports.closing_dates) still ahead: officers are told until when, not only to report."""
    closing = s.settings.closing_dates.get(s.period())
    if closing is None or closing < s.today():
        return None
    return s.messages("recordatorio_plazo", fecha=closing.strftime("%d/%m/%Y"))


def pending_reminder(s: Services) -> tuple[Draft, aud.Audience]:
    """«Recordar a estos» under /pendientes: the reminder, and who gets it — every active
    officer whose instancia has not sent this period's report, the very people listed."""
    text = s.messages("pendientes_recordatorio", periodo=period_label(s.period(), s.messages))
    line = deadline(s)
    return Draft(f"{text}\n\n{line}" if line else text), aud.NOT_SENT


def remind_pending(
    s: Services, actor: int, progress: tuple[int, int] | None, update_id: int | None
) -> int | None:
    """Send «Recordar a estos» now, through the broadcast lane like any broadcast (the chat
    reaches the same `confirm` from its preview; the web console calls this). The broadcast's
    id, or None when this update or request already created it."""
    return confirm(s, actor, *pending_reminder(s), progress, update_id)


def stop(s: Services, actor: int, broadcast_id: int, update_id: int | None) -> bool | None:
    """"Detener envío": True if it stopped now, False if it had ended; None on a replay."""
    with s.db.session() as session:
        if not first_time(session, update_id, "broadcast_stop", s.now()):
            return None
        stopped = store.cancel(session, broadcast_id, s.now())
        if stopped:
            audit(session, actor, "broadcast_stop", f"broadcast={broadcast_id}", s.now())
        return stopped


def failure_reasons(s: Services, broadcast_id: int) -> list[tuple[str, int]]:
    with s.db.session() as session:
        return worded_reasons(s, store.failure_reasons(session, broadcast_id))


def worded_reasons(s: Services, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Telegram's reasons (English) in staff's words (mensajes.yaml), the same ones merged,
    most frequent first. One not listed keeps Telegram's words after «otro»."""
    words = s.messages.section("difundir_motivos_telegram")
    merged: dict[str, int] = {}
    for reason, n in found:
        low = reason.lower()
        known = next((text for key, text in words.items() if key != "otro" and key in low), None)
        text = known or f"{words['otro']} («{reason}»)"
        merged[text] = merged.get(text, 0) + n
    return sorted(merged.items(), key=lambda pair: -pair[1])


def set_reachable(s: Services, telegram_id: int, active: bool) -> bool:
    """An officer blocked the bot (skipped by broadcasts from then on) or came back; False when
    the chat is nobody registered."""
    with s.db.session() as session:
        return store.set_active(session, telegram_id, active)


# --- the console's «Difusiones»: what was sent, with its figures -----------------------------

HISTORY = 50
PREVIEW_CHARS = 140
REMIND_ACTION = "broadcast_remind_pending"  # the audit action of «Recordar a estos»


@dataclass(frozen=True)
class Past:
    """One broadcast or reminder firing as staff review it."""

    id: int
    kind: str  # "difusion" (/difundir), "recordatorio" (scheduled), "pendientes" (console),
    # "observacion" (a review's observation, to one instancia's officers)
    reminder_id: int | None
    author_id: int
    author: str  # the staff member's name (bot/storage/staff.py names_of)
    created_at: datetime  # UTC
    finished_at: datetime | None
    status: str  # sending, done, cancelled
    audience: str  # the filters, worded
    preview: str  # plain text, shortened
    counts: store.Counts
    reasons: list[tuple[str, int]]  # why deliveries failed, most frequent first


def _remind_ids(session, ids: list[int]) -> set[int]:
    """The broadcasts «Recordar a estos» created, from their audit entries."""
    found = set()
    for detail in audit_details(session, REMIND_ACTION):
        head = detail.split(" ", 1)[0]
        if head.startswith("broadcast=") and head[10:].isdigit():
            found.add(int(head[10:]))
    return found & set(ids)


def _observed_places(session, rows) -> dict[int, str]:
    """Broadcast id -> the instancia's place, for the observations of a review (their audience
    names the review and the instancia, not a filter: review_actions._send_observation)."""
    wanted = {}
    for b in rows:
        try:
            data = json.loads(b.audience or "{}")
        except ValueError:
            continue
        if isinstance(data, dict) and "revision" in data and isinstance(data.get("instancia"), int):
            wanted[b.id] = data["instancia"]
    labels_by_id = store.instancia_labels(session, set(wanted.values()))
    return {bid: labels_by_id.get(iid, "") for bid, iid in wanted.items()}


def history(s: Services, limit: int = HISTORY) -> list[Past]:
    """The latest broadcasts and reminders, newest first, with live delivery figures."""
    words = labels(s)
    with s.db.session() as session:
        rows = store.recent(session, limit)
        ids = [b.id for b in rows]
        figures = store.counts_of(session, ids)
        reminded = _remind_ids(session, ids)
        reasons = {b.id: worded_reasons(s, store.failure_reasons(session, b.id))
                   for b in rows if figures[b.id].failed}  # fmt: skip
        authors = names_of(session, {b.author_id for b in rows})
        observed = _observed_places(session, rows)
    out = []
    for b in rows:
        text = plain_text(b.text) or (b.document_name or "")
        kind = "recordatorio" if b.reminder_id else "pendientes" if b.id in reminded else "difusion"
        if b.id in observed:
            kind = "observacion"
            audience = s.messages("difusiones_observacion", lugar=observed[b.id])
        else:
            audience = aud.describe(aud.Audience.from_json(b.audience), words)
        out.append(
            Past(
                id=b.id, kind=kind, reminder_id=b.reminder_id, author_id=b.author_id,
                author=authors[b.author_id],
                created_at=b.created_at, finished_at=b.finished_at, status=b.status,
                audience=audience,
                preview=text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…",
                counts=figures[b.id], reasons=reasons.get(b.id, []),
            )
        )  # fmt: skip
    return out
