"""The last round's crisis readings as a person sees them in the browser chat: a writer who hurts
herself with nobody else named gets Línea 113 opción 5, a neighbour who heard the blows and
fears stepping in gets the helper's lines, children left alone and unfed get the lines for
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
        "cuando me agarra la ansiedad me golpeo la frente contra el piso, ya no se como parar",
        "opción 5",
        "round6-self-injury",
    ),
    (
        "ayer en la noche escuche golpes donde la señora de la esquina y tengo miedo de ir porque "
        "el tipo es agresivo",
        "Para ayudar a esa persona ahora",
        "round6-afraid-witness",
    ),
    (
        "dos niños de mi calle paran solos dias enteros, la mama desaparece por semanas",
        "Si una niña, niño o adolescente está en peligro",
        "round6-neglected-children",
    ),
)


@pytest.mark.parametrize(("text", "marker", "name"), KINDS)
async def test_the_round_gets_the_help_lines_made_for_it(api, bot, page, text, marker, name):
    chat = Chat(page)
    await chat.send(text)
    bubble = await chat.see(marker)
    await shoot(page, name)
    assert marker in await bubble.inner_text()
