"""The crisis replies as a person sees them in the browser chat: one message of each kind in
wording no rule was written from, those only the combined signals catch, and the last round's
(self-injury, an afraid witness, neglect), and plans and threats where the reply must be only
the one made for them; each gets the help lines made for it, and neither a calm question that
names a child nor a missing paper raises an alarm. CONCERTA_SHOTS=<folder> keeps the
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


ALARMS = (
    "Si usted o alguien cerca está en peligro",
    "Para ayudar a esa persona ahora",
    "Si una niña, niño o adolescente está en peligro",
    "opción 5",
)

# Issue 11's last safety misses: a stalked writer whose child is held over her gets her own
# reply, an adult left out in the cold the helper's, a plan to jump Línea 113 opción 5.
# (message, words only its reply carries, words the reply must not carry, screenshot name)
PLANS = (
    (
        "mi ex se para cada noche frente a mi casa y hoy me mandó una foto de mi hijo en el recreo "
        "del colegio",
        "Si usted o alguien cerca está en peligro",
        "Si una niña, niño o adolescente está en peligro",
        "plans-stalked-writer",
    ),
    (
        "el vecino de la chacra saca a su esposa fuera de la casa en la noche y la deja en el frío",
        "Para ayudar a esa persona ahora",
        "Si una niña, niño o adolescente está en peligro",
        "plans-adult-left-out",
    ),
    (
        "ya lo decidí, el domingo voy al puente y me tiro, dejé mis cosas de la oficina en orden",
        "opción 5",
        "Para ayudar a esa persona ahora",
        "plans-jump",
    ),
)


@pytest.mark.parametrize(("text", "marker", "not_marker", "name"), PLANS)
async def test_each_danger_gets_only_the_help_lines_made_for_it(
    api, bot, page, text, marker, not_marker, name
):
    chat = Chat(page)
    await chat.send(text)
    bubble = await chat.see(marker)
    await shoot(page, name)
    texts = await page.locator(".row.bot .bubble").all_inner_texts()
    assert marker in await bubble.inner_text()
    assert not any(not_marker in t for t in texts)


async def test_a_missing_paper_gets_no_alarm(api, bot, page):
    chat = Chat(page)
    await chat.send(
        "En un oficio del MIMP citan una directiva sobre el seguimiento a las instancias, pero no "
        "la tengo y no la encuentro. ¿Qué establece?"
    )
    # An answer carries 👍/👎, suggestions «Ninguna de estas», no answer the «No encontré»
    # line: once one shows, every bubble of the reply is on the page.
    buttons = page.get_by_role("button", name=re.compile("Útil|Ninguna de estas")).last
    unknown = page.locator(".row.bot .bubble", has_text="No encontré una respuesta").last
    await chat.expect(buttons.or_(unknown)).to_be_visible()
    await shoot(page, "plans-missing-paper")
    texts = await page.locator(".row.bot .bubble").all_inner_texts()
    assert not any(alarm in t for t in texts for alarm in ALARMS)
