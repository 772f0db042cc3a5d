"""Demo data: officers, sent reports (this period and the last), drafts and attached documents,
so `make demo`, the console's tests and benchmarks/console.py show a console with something in
it. Answers are drawn by walking the real survey (skip logic included), so they stay valid when
encuesta.yaml changes. Seeded by a fixed random seed: the same data every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.periods import period_bounds, previous_period
from bot.places import Place
from bot.registration import Draft
from bot.services import Services
from bot.storage import reports as store
from bot.storage.files import private_dir, private_file
from bot.storage.models import Officer
from bot.storage.officers import save_officer

FIRST_OFFICER_ID = 2_000_000  # far from the demo's own chat users (1001, 9001)
NAMES = ("Rosa", "Julia", "Carmen", "Luis", "María", "Jorge", "Elena", "Pedro", "Lucía",
         "Óscar", "Teresa", "Miguel", "Norma", "Raúl", "Sonia", "Víctor")  # fmt: skip
SURNAMES = ("Quispe", "Huamán", "Mamani", "Flores", "Rojas", "Sánchez", "Condori", "Díaz",
            "Torres", "Chávez", "Ramírez", "Vargas", "Cárdenas", "Ccori", "Ñaupari")  # fmt: skip
CARGOS = ("Gerente de Desarrollo Social", "Subgerente de la Mujer", "Responsable DEMUNA",
          "Especialista en igualdad de género", "Secretaria técnica")  # fmt: skip
# A one-page PDF that viewers open ("Acta de instalación"), written for each attached document.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 52>>stream\nBT /F1 16 Tf 24 70 Td (Acta de instalacion) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Seeded:
    officers: int
    sent: int
    drafts: int
    documents: int


def pick_places(s: Services, rng: random.Random, instancias: int) -> list[Place]:
    """Every region's own instancia first, then provinces and districts at random."""
    regions = s.places.regions()
    rest = s.places.provinces() + s.places.districts()
    rng.shuffle(rest)
    return (regions + rest)[:instancias]


def answer(q, rng: random.Random, day: date, doc_name: str) -> Any:
    """A plausible answer of the question's type."""
    if q.tipo == "si_no":
        return rng.random() < 0.75
    if q.tipo == "opcion":
        options = [o.valor for o in q.opciones]
        return options[0] if rng.random() < 0.7 else rng.choice(options)
    if q.tipo == "multiple":
        options = [o.valor for o in q.opciones if o.valor not in ("ninguno", "ninguna")]
        return rng.sample(options, k=min(len(options), rng.randint(1, 3)))
    if q.tipo == "entero":
        return rng.randint(0, 4)
    if q.tipo == "fecha" and q.parent is not None:  # a session: within the semester
        return (day - timedelta(days=rng.randint(1, 60))).isoformat()
    if q.tipo == "fecha":
        return (day - timedelta(days=rng.randint(30, 900))).isoformat()
    if q.tipo == "archivo":
        return {"file_id": f"demo-{rng.getrandbits(48):x}", "name": doc_name, "size": len(PDF),
                "mime": "application/pdf"}  # fmt: skip
    return rng.choice(("N.° 012-2024-MDP", "Acta de la sesión ordinaria", "Sí, con el CEM"))


def fill(s: Services, level: str, rng: random.Random, day: date, complete: bool):
    """(question id, value) pairs as an officer would answer them, in order."""
    survey = s.survey.for_level(level)
    answers: dict[str, Any] = {}
    stop = None if complete else rng.randint(2, 6)
    while (q := survey.next_question(answers, today=day)) is not None:
        if stop is not None and len(answers) >= stop:
            break
        key, value = survey.stored(
            q, answer(q, rng, day, f"{q.id.replace('_', '-').replace('.', '-')}.pdf"), answers
        )
        answers[key] = value
    return answers


def needs_seed(s: Services) -> bool:
    """A database with no officers yet (the demo's own chat users register by hand)."""
    with s.db.session() as session:
        return session.scalar(select(Officer.id).limit(1)) is None


def seed(
    s: Services,
    *,
    instancias: int = 260,
    officers: int = 330,
    sent_share: float = 0.45,
    draft_share: float = 0.15,
    previous_share: float = 0.35,
    documents: bool = True,
    random_seed: int = 30364,
) -> Seeded:
    """Officers over `instancias` places and their reports; nothing when officers exist."""
    if not needs_seed(s):
        return Seeded(0, 0, 0, 0)
    rng = random.Random(random_seed)
    places = pick_places(s, rng, instancias)
    period = s.period()
    before = previous_period(period)
    now = s.now()
    files = Path(s.settings.files_dir)
    counts = {"sent": 0, "drafts": 0, "docs": 0}
    consent = s.messages("version_consentimiento")
    with s.db.session() as session:
        made: list[tuple[Officer, Place]] = []
        for i in range(officers):
            place = places[i % len(places)]
            name = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
            draft = Draft(
                name=name, cargo=rng.choice(CARGOS), level=place.level, place_code=place.code,
                institution=f"Municipalidad de {place.name}" if place.level != "regional"
                else f"Gobierno Regional de {place.name}",
                phone=f"9{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else None,
                phone_done=True, consent=True,
            )  # fmt: skip
            officer = save_officer(session, FIRST_OFFICER_ID + i, draft, consent, now)
            officer.active = rng.random() > 0.05  # a few blocked the bot
            made.append((officer, place))
        first_of_place: dict[str, tuple[Officer, Place]] = {}
        for officer, place in made:
            first_of_place.setdefault(f"{place.level}:{place.code}", (officer, place))
        for officer, place in first_of_place.values():
            for per, share in ((before, previous_share), (period, sent_share)):
                if rng.random() >= share:
                    continue
                start, end = period_bounds(per)
                day = min(end, s.today(), start + timedelta(days=rng.randint(20, 150)))
                at = datetime(day.year, day.month, day.day, 15, rng.randint(0, 59), tzinfo=UTC)
                report = _report(s, session, officer, per, fill(s, place.level, rng, day, True),
                                 at, files if documents else None)  # fmt: skip
                store.send(report, at)
                counts["sent"] += 1
                counts["docs"] += sum(1 for d in store.documents_of(session, report.id))
            if rng.random() < draft_share and store.latest_sent(
                session, officer.instancia_id, period
            ) is None:
                answers = fill(s, place.level, rng, s.today(), False)
                _report(s, session, officer, period, answers, now - timedelta(days=2), None)
                counts["drafts"] += 1
    return Seeded(len(made), counts["sent"], counts["drafts"], counts["docs"])


def _report(s, session, officer, period, answers, at, files: Path | None):
    report = store.start_draft(session, officer, period, s.survey.version, at, answers)
    for qid, value in answers.items():
        if isinstance(value, dict) and value.get("file_id"):
            path = None
            if files is not None:
                folder = private_dir(files / str(report.id))
                target = private_file(folder / value["name"])
                target.write_bytes(PDF)
                path = str(target)
            store.add_document(session, report, qid, value, path, at)
    return report
