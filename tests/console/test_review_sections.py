"""The Ficha's «Revisiones» and «Asistencia técnica» sections render from the hooks this page
registers (app[FICHA_SECTIONS]), for a place with a reviewed report and one nobody
registered, with the Instancias list's review states (app[REVIEW_STATES])."""

import aiohttp_jinja2
from sqlalchemy import select

from bot import assistance_actions, instancia_file, review_actions
from bot.storage.models import Instancia, Place
from console.app import FICHA_SECTIONS, REVIEW_STATES, build_console
from tests.console.conftest import STAFF_ID

PAGE = '{% include "revision_panel.html" %}{% include "asistencia_panel.html" %}'


def render_sections(app, s, place) -> str:
    ficha = instancia_file.ficha(s, place.level, place.code, s.period())
    context = {"csrf_field": lambda: "", "path": f"/instancia/{place.level}/{place.code}"}
    for section in app[FICHA_SECTIONS]:
        context.update(section(s, ficha))
    return aiohttp_jinja2.get_env(app).from_string(PAGE).render(context)


async def test_sections_and_states(console):
    s = console.services
    app = build_console(s)
    queue = review_actions.queue(s, s.period()).items
    assert queue, "the demo data has reports waiting for review"
    item = queue[0]
    done = review_actions.review(s, STAFF_ID, item.report_id, "observado", "Falta <i>acta</i>")
    assert done.ok
    assistance_actions.record(s, STAFF_ID, assistance_actions.Form(
        place_id=item.place_id, scope="instancia", day=s.today().strftime("%d/%m/%Y"),
        modality="presencial", topic="Reglamento <b>interno</b>",
    ))  # fmt: skip
    with s.db.session() as session:
        place = session.get(Place, item.place_id)
        nobody = session.scalar(select(Place).where(
            Place.id.not_in(select(Instancia.place_id))).limit(1))  # fmt: skip
    html = render_sections(app, s, place)
    assert "Observado" in html and "Falta &lt;i&gt;acta&lt;/i&gt;" in html
    assert f'name="volver" value="/instancia/{place.level}/{place.code}"' in html
    assert "Reglamento &lt;b&gt;interno&lt;/b&gt;" in html and "Presencial" in html
    empty = render_sections(app, s, nobody)
    assert "Nadie registró todavía" in empty and "No hay acciones" in empty
    states = app[REVIEW_STATES](s, s.period())
    assert states[item.instancia_id] == "observado"  # worded as the list's «sin revisar»
    assert set(states.values()) <= {"validado", "observado", "corregido"}
