"""The web console's sign-in, as user actions: /panel asks for a link, the link opens a
session, each request finds its session, logout ends it.

Links and session ids are random, handed out once and stored only as SHA-256 hashes, so
neither the database nor a log holds one that works. Whether the person is staff is asked of
`Services.is_staff` on every request, not remembered: removing someone with /staff signs them
out at their next click (and `bot.staff.remove` ends their sessions at once).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.services import Services
from bot.storage import console as store
from bot.storage import reports
from bot.storage.replay import first_time
from bot.storage.staff import audit

LINK_TTL = timedelta(minutes=10)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen is rewritten at most this often
SIGN_IN_PATH = "/entrar"
SESSION_LIFETIME = timedelta(hours=12)  # then /panel again, however active the session
DOCUMENT_PATH = "/documento/"  # + the document id: console/pages/documentos.py serves it


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """A new session: `cookie` goes to the browser and nowhere else."""

    cookie: str
    staff_id: int


@dataclass(frozen=True)
class Current:
    """The signed-in staff member of a request, and the CSRF token their forms carry."""

    staff_id: int
    csrf: str


def sign_in_link(s: Services, staff_id: int) -> str:
    """A new one-time link for a staff member (the caller checked they are staff)."""
    token = secrets.token_urlsafe(32)
    now = s.now()
    with s.db.session() as session:
        store.forget_links(session, now - LINK_TTL)
        store.add_link(session, _hash(token), staff_id, now, now + LINK_TTL)
        audit(session, staff_id, "console_link", "", now)
    return f"{s.settings.console.base_url}{SIGN_IN_PATH}?t={token}"


def document_urls(s: Services, session, report_ids) -> dict[tuple[int, str], str]:
    """(report id, question id) -> the console address that opens its document, for the
    exports' documents sheet; none while the console is off."""
    if not s.settings.console.enabled:
        return {}
    base = s.settings.console.base_url
    found = reports.document_ids(session, report_ids)
    return {key: f"{base}{DOCUMENT_PATH}{doc_id}" for key, doc_id in found.items()}


def panel(s: Services, staff_id: int, update_id: int | None) -> str | None:
    """/panel: what to tell the staff member (the link, or that the console is off); None on a
    replay, so a replayed update never mints a second link."""
    m = s.messages
    if not s.settings.console.enabled:
        return m("panel_apagado")
    with s.db.session() as session:
        if not first_time(session, update_id, "console_panel", s.now()):
            return None
    link = sign_in_link(s, staff_id)
    minutes = int(LINK_TTL.total_seconds() // 60)
    return m("panel_enlace", enlace=link, minutos=minutes)


def redeem(s: Services, token: str) -> SignedIn | None:
    """The link's session, if the link is known, unused, unexpired and its owner still staff.
    A link is spent by its first try, whatever the outcome."""
    if not token or len(token) > 200:
        return None
    now = s.now()
    with s.db.session() as session:
        link = store.use_link(session, _hash(token), now)
        if link is None:
            return None
        staff_id, expired = link.staff_id, store.aware(link.expires_at) <= now
    if expired or not s.is_staff(staff_id):
        s.audit(staff_id, "console_sign_in_refused", "expired" if expired else "not_staff")
        return None
    cookie = secrets.token_urlsafe(32)
    with s.db.session() as session:
        store.add_session(session, _hash(cookie), staff_id, secrets.token_urlsafe(24), now)
        audit(session, staff_id, "console_sign_in", "", now)
    return SignedIn(cookie, staff_id)


def current(s: Services, cookie: str | None) -> Current | None:
    """The session of a request, or None: unknown, idle too long, older than a working day
    (a session kept alive by an open tab still ends), or no longer staff (then every session
    of that person ends)."""
    if not cookie or len(cookie) > 200:
        return None
    now = s.now()
    idle = timedelta(minutes=s.settings.console.session_idle_minutes)
    with s.db.session() as session:
        found = store.get_session(session, _hash(cookie))
        if found is None:
            return None
        staff_id, csrf, last = found.staff_id, found.csrf, store.aware(found.last_seen)
        if now - last > idle or now - store.aware(found.created_at) > SESSION_LIFETIME:
            store.end_session(session, found.id_hash)
            return None
        if now - last > TOUCH_EVERY:
            found.last_seen = now
    if not s.is_staff(staff_id):
        with s.db.session() as session:
            store.end_sessions_of(session, staff_id)
        return None
    return Current(staff_id, csrf)


def sign_out(s: Services, cookie: str | None) -> None:
    if not cookie:
        return
    with s.db.session() as session:
        found = store.get_session(session, _hash(cookie))
        if found is not None:
            audit(session, found.staff_id, "console_sign_out", "", s.now())
            store.end_session(session, found.id_hash)
