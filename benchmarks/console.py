"""Web console benchmark: every page's server time over a country's worth of data.

Seeds a SQLite file with every possible instancia (the 2,113 places of knowledge/ubigeo.csv),
10,000 officers and a year of reports (two semesters, most instancias reporting, a few
corrections sent again, drafts, attached documents), starts the real console, signs in by a
real link, and requests each page of PAGES `--repeat` times. Prints the server time (the
console's Server-Timing header) of each: median and p95. Target: each under 300 ms.

    .venv/bin/python benchmarks/console.py [--repeat 20] [--db path.sqlite3]

Other pages join the measure by adding (label, path) to PAGES, or by calling
`measure(console, pages)` from their own script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import coverage  # noqa: E402
from bot.periods import period_bounds, previous_period  # noqa: E402
from bot.services import Services, build_services  # noqa: E402
from bot.storage.models import (  # noqa: E402
    Instancia,
    Officer,
    Place,
    Report,
    ReportAnswer,
    ReportDocument,
)
from standin.demo_data import NAMES, SURNAMES, fill  # noqa: E402
from tests.console.conftest import Console, console_settings, free_port, start_console  # noqa: E402

TARGET_MS = 300
# (label, path) of every page measured; other pages add theirs.
PAGES: list[tuple[str, str]] = [
    ("Cobertura", "/"),
    ("Cobertura, una región", "/?region=Cusco"),
    ("Cobertura, periodo anterior", "/?periodo={previous}"),
    ("Instancias", "/instancias"),
    ("Instancias, filtradas", "/instancias?region=Lima&estado=enviado&falta=plan"),
    ("Instancias, texto", "/instancias?texto=santa+rosa"),
    ("Instancias, última página", "/instancias?orden=envio&desc=1&pagina=43"),
    ("Ficha regional", "/instancia/regional/08"),
    ("Ficha distrital", "/instancia/distrital/080101"),
    ("Exportar CSV (una región)", "/instancias/exportar.csv?region=Cusco"),
    ("Revisión (cola)", "/revision"),
    ("Revisión, última página", "/revision?pagina=40"),
    ("Revisión de una instancia", "/revision/1"),
    ("Asistencia técnica", "/asistencia"),
    ("Asistencia, filtrada", "/asistencia?departamento=Cusco&modalidad=virtual"),
    ("Prioridad", "/prioridad"),
    ("Prioridad, un departamento", "/prioridad?departamento=Puno&nivel=distrital"),
    ("Preguntas sin respuesta", "/preguntas"),
    ("Preguntas, página 5", "/preguntas?pagina=5"),
    ("Proponer (un grupo)", "/preguntas/proponer?ids=1,2,3"),
    ("Propuestas por revisar", "/preguntas/propuestas"),
    ("Difusiones", "/difusiones"),
    ("Difusiones, borradores de Cusco", "/difusiones?estado=draft&region=Cusco"),
    ("Recordar a estos (confirmar)", "/difusiones/recordar"),
]
LOOP_WORDS = (
    "como", "cuando", "donde", "quien", "puede", "sesionar", "zoom", "acta", "firma", "alcalde",
    "presupuesto", "plazo", "reporte", "ordenanza", "refrigerio", "certificado", "virtual",
    "reunion", "convocar", "quorum", "votos", "delegado", "suplente", "renuncia", "padron",
)  # fmt: skip


def seed(s: Services, officers: int, rng: random.Random) -> dict[str, int]:
    """Bulk inserts (Core), answers drawn by the demo's survey walk."""
    now = s.now()
    period = s.period()
    periods = (previous_period(period), period)
    with s.db.session() as session:
        places = session.execute(select(Place.id, Place.level)).all()
        session.execute(insert(Instancia), [{"place_id": p, "created_at": now} for p, _ in places])
        instancias = session.execute(
            select(Instancia.id, Place.level).join(Place, Place.id == Instancia.place_id)
        ).all()
        rows = []
        for i in range(officers):
            iid, _ = instancias[i % len(instancias)]
            rows.append({
                "telegram_id": 5_000_000 + i,
                "name": f"{rng.choice(NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}",
                "cargo": "Subgerente", "institution": "Municipalidad",
                "phone": f"9{rng.randint(10_000_000, 99_999_999)}", "consent_at": now,
                "consent_version": "1", "instancia_id": iid, "active": rng.random() > 0.03,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
        session.execute(insert(Officer), rows)
        first_officer = dict(session.execute(
            select(Officer.instancia_id, func.min(Officer.id)).group_by(Officer.instancia_id)
        ).all())  # fmt: skip
    counts = {"reports": 0, "answers": 0, "documents": 0}
    for per in periods:
        start, end = period_bounds(per)
        reports, answer_rows, doc_rows = [], [], []
        for iid, level in instancias:
            if rng.random() > 0.8:
                continue
            day = min(end, s.today(), start + timedelta(days=rng.randint(10, 170)))
            at = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
            sends = 2 if rng.random() < 0.1 else 1  # a correction sent again
            draft = rng.random() < 0.08
            for k in range(sends + draft):
                is_draft = k == sends
                answers = fill(s, level, rng, day, not is_draft)
                reports.append(({
                    "instancia_id": iid, "period": per, "officer_id": first_officer[iid],
                    "survey_version": s.survey.version,
                    "status": "draft" if is_draft else "sent", "created_at": at,
                    "updated_at": at, "sent_at": None if is_draft else at + timedelta(hours=k),
                }, answers))  # fmt: skip
        with s.db.session() as session:
            next_id = (session.scalar(select(func.max(Report.id))) or 0) + 1
            session.execute(insert(Report), [
                {"id": next_id + i, **row} for i, (row, _) in enumerate(reports)
            ])  # fmt: skip
            for i, (row, answers) in enumerate(reports):
                rid = next_id + i
                for qid, value in answers.items():
                    answer_rows.append({"report_id": rid, "question_id": qid,
                                        "value": json.dumps(value, ensure_ascii=False),
                                        "answered_at": row["updated_at"]})  # fmt: skip
                    if isinstance(value, dict) and value.get("file_id"):
                        doc_rows.append({
                            "report_id": rid, "question_id": qid, "file_id": value["file_id"],
                            "file_unique_id": value["file_id"], "file_name": value["name"],
                            "file_size": value["size"], "mime_type": value["mime"],
                            "path": None, "at": row["updated_at"],
                        })  # fmt: skip
            session.execute(insert(ReportAnswer), answer_rows)
            if doc_rows:
                session.execute(insert(ReportDocument), doc_rows)
        counts["reports"] += len(reports)
        counts["answers"] += len(answer_rows)
        counts["documents"] += len(doc_rows)
    return {"instancias": len(instancias), "officers": officers, **counts}


def seed_loop(s: Services, rng: random.Random) -> dict[str, int]:
    """«Preguntas sin respuesta» and «Difusiones»: 2,000 distinct unanswered questions, 3,000
    ratings, 20 proposals waiting, and 50 broadcasts of a few hundred deliveries each."""
    from bot import audience as aud
    from bot.storage import broadcasts as store
    from bot.storage.models import AnswerFeedback, UnansweredQuestion
    from bot.storage.models_kb import KbProposal

    now = s.now()
    texts: set[str] = set()
    while len(texts) < 2000:
        texts.add(" ".join(rng.sample(LOOP_WORDS, rng.randint(3, 7))))
    entries = list(s.answers.kb.entries)
    with s.db.session() as session:
        session.execute(insert(UnansweredQuestion), [
            {"text_norm": t, "count": rng.randint(1, 30), "first_seen": now,
             "last_seen": now - timedelta(hours=rng.randint(0, 2000))}
            for t in sorted(texts)
        ])  # fmt: skip
        session.execute(insert(AnswerFeedback), [
            {"entry_id": rng.choice(entries), "useful": rng.random() < 0.6, "at": now}
            for _ in range(3000)
        ])  # fmt: skip
        session.execute(insert(KbProposal), [
            {"kind": "question", "status": "pending", "entry_id": rng.choice(entries),
             "question": f"pregunta propuesta {i}", "proposed_by": 9001, "proposed_at": now}
            for i in range(20)
        ])  # fmt: skip
        reached = aud.select(store.audience_rows(session, s.period(), answers=False),
                             aud.NOT_SENT)  # fmt: skip
        for b in range(50):
            store.create_broadcast(session, author_id=9001, text=f"Mensaje {b}",
                                   audience_json="{}", recipients=reached[: 100 + 20 * b],
                                   now=now - timedelta(days=50 - b))  # fmt: skip
    return {"unanswered": len(texts), "ratings": 3000, "proposals": 20, "broadcasts": 50}


async def measure(console: Console, pages: list[tuple[str, str]], repeat: int) -> list[tuple]:
    """(label, median ms, p95 ms, cold median ms, status) of each page, signed in as the
    demo's staff member. Cold: the kept coverage states dropped before each request, as
    right after an officer sends a report."""
    previous = previous_period(console.services.period())
    results = []
    # unsafe: the jar keeps cookies of an IP address (127.0.0.1) too
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        link = console.link()
        token = link.split("t=", 1)[1]
        async with http.post(f"{console.url}/entrar", data={"t": token},
                             allow_redirects=False) as r:  # fmt: skip
            assert r.status == 303, r.status
        async def timed(url: str) -> tuple[float, int]:
            async with http.get(url) as r:
                await r.read()
                timing = r.headers.get("Server-Timing", "dur=nan")
                return float(timing.split("dur=")[1]), r.status

        for label, path in pages:
            url = console.url + path.format(previous=previous)
            times, status = [], None
            for _ in range(repeat + 1):  # the first one warms caches, and is not counted
                took, status = await timed(url)
                times.append(took)
            times = sorted(times[1:])
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            cold = []
            for _ in range(max(3, repeat // 4)):
                coverage.forget()
                cold.append((await timed(url))[0])
            results.append((label, statistics.median(times), p95, statistics.median(cold),
                             status))  # fmt: skip
    return results


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="reuse or create this SQLite file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    folder = tempfile.TemporaryDirectory(prefix="console-bench-")
    db = args.db or Path(folder.name) / "bench.sqlite3"
    documents = Path(folder.name) / "documentos"
    fresh = not db.exists()
    services = build_services(console_settings(db, documents))
    if fresh:
        started = time.perf_counter()
        counts = seed(services, args.officers, random.Random(30364))
        counts.update(seed_loop(services, random.Random(30364)))
        print(f"seeded in {time.perf_counter() - started:.0f} s: " +
              ", ".join(f"{v:,} {k}" for k, v in counts.items()))  # fmt: skip
    services.db.dispose()
    console = await start_console(db, documents, port=free_port())
    try:
        results = await measure(console, PAGES, args.repeat)
    finally:
        await console.server.stop()
        console.services.db.dispose()
    width = max(len(label) for label, *_ in results)
    print(f"{'page'.ljust(width)}  median ms   p95 ms  cold median ms  status")
    slow = 0
    for label, median, p95, cold, status in results:
        over = p95 >= TARGET_MS or cold >= TARGET_MS or status != 200
        mark = "  ← over target" if over else ""
        slow += over
        print(f"{label.ljust(width)}  {median:9.1f}  {p95:7.1f}  {cold:14.1f}  {status}{mark}")
    print(f"target: every page under {TARGET_MS} ms (p95, and cold median); {slow} over")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
