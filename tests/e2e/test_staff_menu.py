"""Staff find their tools: their own command menu (a per-chat scope, set at start and when an
admin adds or removes them) and /ayuda's list of staff commands; officers keep the default."""

from bot import menus
from tests.e2e.harness import STAFF_ID, eventually, expect

OFFICER, ROSA, LUIS = 4101, 4102, 4103
OFFICERS_MENU = list(menus.OFFICER)


def staff_menu(*, admin: bool = False) -> list[str]:
    """The tools first, then everything an officer has."""
    return [*menus.STAFF, *(menus.ADMIN if admin else ()), *OFFICERS_MENU]


async def test_staff_get_their_own_menu_and_lose_it_when_removed(api, bot):
    assert [c["command"] for c in api.commands] == OFFICERS_MENU  # the default: officers'
    # The admin had never written when the bot started: no chat yet, so the default for now.
    assert api.menu_for(STAFF_ID) == OFFICERS_MENU

    await api.send_command(STAFF_ID, "/ayuda")
    await expect(api, STAFF_ID, "Comandos")  # the officers' help first
    tools = await expect(api, STAFF_ID, "Sus herramientas de personal del MIMP")
    lines = tools.text.split("\n")[1:]
    assert [line.split(" — ")[0] for line in lines] == [f"/{c}" for c in menus.STAFF + menus.ADMIN]
    assert "/difundir — Enviar un mensaje a los puntos focales" in lines
    assert await eventually(lambda: api.menu_for(STAFF_ID) == staff_menu(admin=True))

    # Added after writing to the bot: the menu comes with the addition.
    await api.send_text(ROSA, "hola")
    await expect(api, ROSA, "")
    await api.send_command(STAFF_ID, f"/staff agregar {ROSA} Rosa Flores")
    added = await expect(api, STAFF_ID, "Se agregó")
    assert "Verá sus comandos" not in added.text
    assert await eventually(lambda: api.menu_for(ROSA) == staff_menu())  # no /staff: not admin

    # Added before ever writing: the admin is told when they will see it.
    await api.send_command(STAFF_ID, f"/staff agregar {LUIS} Luis Rojas")
    later = await expect(api, STAFF_ID, "Se agregó")
    assert "Verá sus comandos de personal en el menú cuando escriba /ayuda" in later.text
    await api.send_text(LUIS, "buenos días")
    await expect(api, LUIS, "")
    await bot.restart()  # at start every staff member's menu is set again
    assert await eventually(lambda: api.menu_for(LUIS) == staff_menu())

    # Removed: back to the officers' menu; officers never get the staff list in /ayuda.
    await api.send_command(STAFF_ID, f"/staff quitar {ROSA}")
    await expect(api, STAFF_ID, "Se quitó el acceso")
    assert await eventually(lambda: api.menu_for(ROSA) == OFFICERS_MENU)
    await api.send_command(ROSA, "/ayuda")
    await expect(api, ROSA, "Comandos")
    assert not [m for m in await api.settle(ROSA, quiet=0.4) if "herramientas" in (m.text or "")]
    assert api.menu_for(OFFICER) == OFFICERS_MENU


async def test_with_the_console_on_staff_find_panel_in_their_menu_and_help(api, db_url):
    from bot.config import ConsoleSettings
    from tests.console.conftest import free_port
    from tests.e2e.harness import BotRunner

    runner = BotRunner(api, db_url, console=ConsoleSettings(enabled=True, port=free_port()))
    await runner.start()
    try:
        await api.send_command(STAFF_ID, "/ayuda")
        tools = await expect(api, STAFF_ID, "Sus herramientas de personal del MIMP")
        assert "/panel — Enlace para entrar a la consola web" in tools.text
        expected = [*menus.STAFF, *menus.CONSOLE, *menus.ADMIN, *OFFICERS_MENU]
        assert await eventually(lambda: api.menu_for(STAFF_ID) == expected)
    finally:
        await runner.stop()
