"""Messages only the combined crisis signals catch (bot/crisis_signals.py), as a person sees the
reply in the browser chat: a blow told about someone else gets the helper's lines, and the
writer's own danger with a wish not to be gets Línea 113 opción 5; the writer hiding with her
children gets her own reply, an elder hurt by a grandson the helper's, schoolchildren the one for
children. CONCERTA_SHOTS=<folder> keeps the screenshots."""

from __future__ import annotations

import pytest

from tests.e2e import test_browser
from tests.e2e.test_browser import Chat, chromium, shoot, web  # noqa: F401

page = test_browser.page  # the phone-sized chromium tab, a fixture

pytestmark = pytest.mark.sqlite_only

# (message, words only its reply carries, screenshot name)
KINDS = (
    (
        "mi cuñado le dio un botellazo a mi hermana en la fiesta del pueblo",
        "Para ayudar a esa persona ahora",
        "signals-other",
    ),
    (
        "mi pareja me insulta todos los días, lo mejor es desaparecer para que todos descansen",
        "opción 5",
        "signals-self-harm",
    ),
    # Who the reply is for: the writer hiding with her children, an elder hurt by a grandson,
    # schoolchildren told to keep a secret.
    (
        "mi ex rompió la ventana y estoy con mis hijos escondida en el baño",
        "Si usted o alguien cerca está en peligro",
        "signals-writer-with-children",
    ),
    (
        "una adulta mayor del comedor dice que su nieto la empuja y le quita la comida",
        "Para ayudar a esa persona ahora",
        "signals-elder",
    ),
    (
        "el profesor le pide fotos a las chicas de secundaria y les dice que no cuenten nada",
        "Si una niña, niño o adolescente está en peligro",
        "signals-schoolchildren",
    ),
)


@pytest.mark.parametrize(("text", "marker", "name"), KINDS)
async def test_signals_get_the_help_lines_made_for_them(api, bot, page, text, marker, name):
    chat = Chat(page)
    await chat.send(text)
    bubble = await chat.see(marker)
    await shoot(page, name)
    assert marker in await bubble.inner_text()
