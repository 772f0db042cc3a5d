"""Sign-in by the /panel link, sessions, CSRF and sign-out, in a real Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot import staff
from bot.storage.models_console import ConsoleLink, ConsoleSession
from bot.storage.staff import add_staff
from tests.console.conftest import sign_in, start_console

pytestmark = pytest.mark.sqlite_only
MEMBER = 7007


async def test_a_link_signs_in_once_and_sign_out_ends_the_session(console, browser):
    page = await browser.new_page()
    link = console.link()
    await page.goto(link)
    await page.get_by_role("button", name="Entrar").click()
    await page.wait_for_url(f"{console.url}/")
    assert await page.get_by_role("heading", level=1).first.inner_text()
    cookie = next(c for c in await browser.cookies() if c["name"] == "concerta_consola")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    await page.get_by_role("button", name="Salir").click()
    await page.get_by_role("heading", name="Sesión cerrada").wait_for()
    await page.goto(f"{console.url}/")
    await page.get_by_role("heading", name="Inicie sesión").wait_for()
    # the same link again: spent
    other = await browser.new_page()
    await other.goto(link)
    await other.get_by_role("button", name="Entrar").click()
    await other.get_by_role("heading", name="El enlace no sirve").wait_for()


async def test_an_expired_link_is_refused(console, browser):
    link = console.link()
    with console.services.db.session() as s:
        s.execute(update(ConsoleLink).values(expires_at=console.services.now()
                                             - timedelta(seconds=1)))  # fmt: skip
    page = await browser.new_page()
    await page.goto(link)
    await page.get_by_role("button", name="Entrar").click()
    await page.get_by_role("heading", name="El enlace no sirve").wait_for()
    await page.goto(f"{console.url}/")
    await page.get_by_role("heading", name="Inicie sesión").wait_for()


async def test_a_link_of_someone_who_is_not_staff_is_refused(console, browser):
    page = await browser.new_page()
    await page.goto(console.link(4242))  # minted for someone who is no staff member
    await page.get_by_role("button", name="Entrar").click()
    await page.get_by_role("heading", name="El enlace no sirve").wait_for()


async def test_removing_a_staff_member_ends_their_session(console, browser):
    s = console.services
    with s.db.session() as session:
        add_staff(session, MEMBER, "Temporal", 9001, s.now())
    page = await browser.new_page()
    await sign_in(page, console, MEMBER)
    await page.reload()
    assert "Inicie sesión" not in await page.content()
    staff.remove(s, 9001, MEMBER, None)
    await page.reload()
    await page.get_by_role("heading", name="Inicie sesión").wait_for()


async def test_a_change_without_the_csrf_token_is_refused(console, browser):
    page = await browser.new_page()
    await sign_in(page, console)
    # The signed-in browser posts the sign-out form without its token: refused, still in.
    response = await page.request.post(f"{console.url}/salir", form={"x": "1"})
    assert response.status == 403
    response = await page.request.post(f"{console.url}/salir", form={"csrf": "wrong"})
    assert response.status == 403
    await page.goto(f"{console.url}/")
    assert "Inicie sesión" not in await page.content()


async def test_a_link_of_someone_removed_before_opening_it_is_refused(console, browser):
    s = console.services
    with s.db.session() as session:
        add_staff(session, MEMBER, "Temporal", 9001, s.now())
    link = console.link(MEMBER)
    staff.remove(s, 9001, MEMBER, None)
    page = await browser.new_page()
    await page.goto(link)
    await page.get_by_role("button", name="Entrar").click()
    await page.get_by_role("heading", name="El enlace no sirve").wait_for()


async def test_a_session_ends_after_the_idle_time(console, browser):
    page = await browser.new_page()
    await sign_in(page, console)
    idle = console.services.settings.console.session_idle_minutes
    with console.services.db.session() as s:
        s.execute(update(ConsoleSession).values(
            last_seen=console.services.now() - timedelta(minutes=idle, seconds=1)))  # fmt: skip
    await page.reload()
    await page.get_by_role("heading", name="Inicie sesión").wait_for()
    with console.services.db.session() as s:
        assert s.scalars(select(ConsoleSession)).all() == []


async def test_a_session_in_use_still_ends_twelve_hours_after_sign_in(console, browser):
    page = await browser.new_page()
    await sign_in(page, console)
    now = console.services.now()
    with console.services.db.session() as s:  # in use a minute ago, signed in 12 h before
        s.execute(update(ConsoleSession).values(
            created_at=now - timedelta(hours=12, seconds=1), last_seen=now))  # fmt: skip
    await page.reload()
    await page.get_by_role("heading", name="Inicie sesión").wait_for()
    with console.services.db.session() as s:
        assert s.scalars(select(ConsoleSession)).all() == []


async def test_the_cookie_is_secure_when_configured_and_no_token_is_logged(
    demo_database, tmp_path, browser, caplog
):
    import logging
    import shutil

    caplog.set_level(logging.DEBUG)
    db, documents = demo_database
    shutil.copyfile(db, tmp_path / "c.sqlite3")
    running = await start_console(tmp_path / "c.sqlite3", documents, cookie_secure=True)
    try:
        link = running.link()
        token = link.split("t=", 1)[1]
        page = await browser.new_page()
        await page.goto(link)
        response = await page.request.post(f"{running.url}/entrar", form={"t": token},
                                           max_redirects=0)  # fmt: skip
        cookie = response.headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        value = cookie.split("=", 1)[1].split(";", 1)[0]
        with running.services.db.session() as s:
            stored = {x.id_hash for x in s.scalars(select(ConsoleSession))}
        assert stored and value not in stored  # only its hash is kept
        assert token not in caplog.text and value not in caplog.text
    finally:
        await running.server.stop()
        running.services.db.dispose()


async def test_another_site_cannot_post_a_sign_in(console, browser):
    link = console.link()
    page = await browser.new_page()
    response = await page.request.post(f"{console.url}/entrar", form={"t": link.split("t=")[1]},
                                       headers={"Origin": "https://evil.example"},
                                       max_redirects=0)  # fmt: skip
    assert response.status == 403 and "set-cookie" not in response.headers


async def test_a_page_that_fails_says_so_in_spanish_with_every_header(console, browser,
                                                                      monkeypatch, caplog):
    """aiohttp's own 500 carries none of the security headers and speaks English."""
    from bot import coverage
    from console.auth import HEADERS

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    page = await browser.new_page()
    await sign_in(page, console)
    monkeypatch.setattr(coverage, "overview", broken)
    response = await page.goto(f"{console.url}/")
    assert response.status == 500
    await page.get_by_role("heading", name="Algo falló").wait_for()
    for name, value in HEADERS.items():
        assert response.headers[name.lower()] == value
    assert "console page failed: GET /" in caplog.text
