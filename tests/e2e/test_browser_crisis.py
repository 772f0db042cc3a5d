"""The crisis replies as a person sees them in the browser chat: one message of each kind in
wording no rule was written from, those only the combined signals catch, and the last round's
(self-injury, an afraid witness, neglect); each gets the help lines made for it, and a calm
question that names a child gets its answer, not an alarm. CONCERTA_SHOTS=<folder> keeps the
screenshots."""

from __future__ import annotations

import re

import pytest

from tests.e2e import test_browser
from tests.e2e.test_browser import Chat, chromium, shoot, web  # noqa: F401

page = test_browser.page  # the phone-sized chromium tab, a fixture

pytestmark = pytest.mark.sqlite_only

# (message, words only its reply carries, screenshot name)
KINDS = (
    (
        "q hago mi ex me espera afuera del colegio de mis hijos con un fierro",
        "Si usted o alguien cerca está en peligro",
        "crisis-self",
    ),
    (
        "una mujer del vaso de leche me mostró los moretones que le dejó su marido",
        "Para ayudar a esa persona ahora",
        "crisis-other",
    ),
    (
        "una chiquita del comedor me contó que su tío le pone la mano en sus partes",
        "DEMUNA",
        "crisis-child",
    ),
    ("tengo la soga amarrada en la viga", "opción 5", "crisis-self-harm"),
    # Only the combined signals catch these (bot/crisis_signals.py).
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
    # The last round's readings: self-injury, a witness afraid to step in, neglect.
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
async def test_each_kind_gets_its_own_help_lines(api, bot, page, text, marker, name):
    chat = Chat(page)
    await chat.send(text)
    bubble = await chat.see(marker)
    await shoot(page, name)
    text = await bubble.inner_text()
    assert marker in text and "Línea 100" in text


async def test_a_calm_question_naming_a_child_gets_no_alarm(api, bot, page):
    chat = Chat(page)
    await chat.send("un niño de 10 años puede denunciar a su papá en la DEMUNA?")
    # An answer carries 👍/👎, suggestions «Ninguna de estas»: once they show, every bubble of
    # the reply is on the page.
    last = page.get_by_role("button", name=re.compile("Útil|Ninguna de estas")).last
    await chat.expect(last).to_be_visible()
    await shoot(page, "calm-child-question")
    texts = await page.locator(".row.bot .bubble").all_inner_texts()
    assert not any("Si una niña, niño o adolescente está en peligro" in t for t in texts)
