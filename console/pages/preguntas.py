"""«Preguntas sin respuesta»: the groups of unanswered questions and the 👎 answers, the forms to
propose one to the knowledge base, and the review list where proposals are approved or rejected.

Every action is one core call (bot/proposal_actions.py) in a worker thread; its result (and the
knowledge-base check's problems, when it refused) is shown on the page it leads to.
"""

from __future__ import annotations

from aiohttp import web

from bot import proposal_actions as actions
from bot.schemas.faq import NUMERACIONES
from console.web import core, not_found, number, render, services, staff_id

BASE = "/preguntas"
REVIEW = f"{BASE}/propuestas"
PROPOSE = f"{BASE}/proponer"
DISMISS = f"{BASE}/descartar"
BAND_LABELS = {
    "answer": "responde con",
    "suggest": "duda; sugeriría",
    "unknown": "no encuentra; lo más cercano",
    "smalltalk": "lo toma como saludo",
}


def _ids(text: str) -> list[int]:
    return [n for n in (number(x) for x in text.split(",")) if n is not None][:200]


def _int(text: str | None, default: int = 1) -> int:
    return number(text, default)


def _categories(s) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(id, title, [(entry id, entry title)]) for the entry and category choosers."""
    kb = s.answers.kb
    return [(c.id, c.titulo, [(e.id, e.titulo) for e in kb.by_category(c.id)])
            for c in kb.categories]  # fmt: skip


async def unanswered_page(request: web.Request, result=None) -> web.StreamResponse:
    s = services(request)
    found = await core(actions.unanswered, s, _int(request.query.get("pagina")))
    return render(request, "preguntas.html", {
        "title": "Preguntas sin respuesta", "found": found, "bands": BAND_LABELS,
        "base": BASE, "result": result,
    })  # fmt: skip


async def dismiss(request: web.Request) -> web.StreamResponse:
    """«Descartar» a group: the list again, with what was done (a reload shows the list, and
    a second post of the same form sets nothing aside: the core says so)."""
    s = services(request)
    form = await request.post()
    result = await core(actions.dismiss, s, staff_id(request), _ids(str(form.get("ids", ""))))
    return await unanswered_page(request, result)


def _form_context(s, group, values: dict, result=None) -> dict:
    return {
        "title": "Proponer a la base de conocimiento", "group": group, "values": values,
        "result": result, "categories": _categories(s), "numeraciones": NUMERACIONES,
        "bands": BAND_LABELS,
    }  # fmt: skip


def _defaults(group) -> dict:
    """The forms prefilled: the group's wording, and the matcher's best guess as the entry."""
    guesses = group.guesses if group else ()
    text = group.group.text if group else ""
    wordings = "\n".join(q.text for q in group.group.questions) if group else ""
    return {
        "kind": "question", "ids": ",".join(map(str, group.group.ids)) if group else "",
        "entry_id": guesses[0].entry_id if guesses else "", "question": text,
        "id": "", "categoria": "", "titulo": "", "preguntas": wordings, "respuesta": "",
        "norma": "", "articulo": "", "numeracion": "Ley", "url": "",
    }  # fmt: skip


async def propose_page(request: web.Request) -> web.StreamResponse:
    s = services(request)
    ids = _ids(request.query.get("ids", ""))
    group = await core(actions.group_of, s, ids) if ids else None
    if ids and group is None:
        return not_found(request, "Ese grupo de preguntas")
    return render(request, "proponer.html", _form_context(s, group, _defaults(group)))


async def propose(request: web.Request) -> web.StreamResponse:
    s = services(request)
    form = await request.post()
    values = {k: str(form.get(k, "")) for k in _defaults(None)}
    ids = _ids(values["ids"])
    if values["kind"] == "entry":
        entry = actions.EntryForm(
            id=values["id"], categoria=values["categoria"], titulo=values["titulo"],
            preguntas=tuple(values["preguntas"].splitlines()), respuesta=values["respuesta"],
            norma=values["norma"], articulo=values["articulo"],
            numeracion=values["numeracion"], url=values["url"],
        )  # fmt: skip
        result = await core(actions.propose_entry, s, staff_id(request), ids, entry)
    else:
        result = await core(actions.propose_question, s, staff_id(request), ids,
                            values["entry_id"], values["question"])  # fmt: skip
    if result.ok:
        return await _review(request, result)
    group = await core(actions.group_of, s, ids) if ids else None
    return render(request, "proponer.html", _form_context(s, group, values, result), status=422)


async def _review(request: web.Request, result=None, *, status: int = 200) -> web.StreamResponse:
    s = services(request)
    pending = await core(actions.proposals, s)
    decided = await core(actions.proposals, s, "decided", 20)
    return render(request, "propuestas.html", {
        "title": "Propuestas por revisar", "pending": pending, "decided": decided,
        "result": result, "states": s.messages.section("propuesta_estados"),
    }, status=status)  # fmt: skip


async def review_page(request: web.Request) -> web.StreamResponse:
    return await _review(request)


async def decide(request: web.Request) -> web.StreamResponse:
    s = services(request)
    proposal_id = number(request.match_info["id"], 0)
    action = actions.approve if request.match_info["action"] == "aprobar" else actions.reject
    result = await core(action, s, staff_id(request), proposal_id)
    return await _review(request, result, status=200 if result.ok else 422)


def setup(app: web.Application) -> None:
    app.router.add_get(BASE, unanswered_page)
    app.router.add_post(DISMISS, dismiss)
    app.router.add_get(PROPOSE, propose_page)
    app.router.add_post(PROPOSE, propose)
    app.router.add_get(REVIEW, review_page)
    app.router.add_post(REVIEW + r"/{id:\d+}/{action:aprobar|rechazar}", decide)
