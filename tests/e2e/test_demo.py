"""`make demo` as a newcomer runs it: the real demo (stand-in, bot, terminal chat), its staff
group and the hand-off round trip, what the terminal sends, and its ports."""

from __future__ import annotations

import asyncio
import io
import queue
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from bot.registration import Draft
from bot.services import build_services
from bot.storage.officers import save_officer
from standin.demo import DEMO_GROUP, DEMO_OFFICER, demo_settings, run_demo

ROOT = Path(__file__).resolve().parents[2]
# The demo is one SQLite file of its own: one backend is enough for it.
pytestmark = pytest.mark.sqlite_only


class Typed:
    """A stdin whose lines the test types one at a time, like a person."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def type(self, *lines: str) -> None:
        for line in lines:
            self.lines.put(line + "\n")

    def readline(self) -> str:
        return self.lines.get()


class Screen(io.StringIO):
    """The terminal's output, read on from where the last expectation matched."""

    mark = 0

    async def shows(self, needle: str, timeout: float = 10.0) -> str:
        """The output from the last match up to and including `needle`."""
        deadline = time.monotonic() + timeout
        while (found := self.getvalue().find(needle, self.mark)) < 0:
            assert time.monotonic() < deadline, (
                f"{needle!r} not shown after:\n{self.getvalue()[self.mark :]}"
            )
            await asyncio.sleep(0.02)
        seen, self.mark = self.getvalue()[self.mark : found + len(needle)], found + len(needle)
        return seen

    async def settles(self, quiet: float = 0.5) -> str:
        """Everything shown until the output has been still for `quiet` seconds."""
        size = -1
        while size != len(self.getvalue()):
            size = len(self.getvalue())
            await asyncio.sleep(quiet)
        seen, self.mark = self.getvalue()[self.mark :], len(self.getvalue())
        return seen


def register_ana(db: Path) -> None:
    """Registration has its own tests (and the README walks through it): store Ana directly."""
    services = build_services(demo_settings(db, "http://127.0.0.1:9/bot"))
    draft = Draft(
        name="Ana Quispe Mamani", cargo="Subgerente de Desarrollo Social", level="distrital",
        place_code="150103", institution="Municipalidad Distrital de Ate", phone_done=True,
        consent=True,
    )  # fmt: skip
    with services.db.session() as s:
        save_officer(s, DEMO_OFFICER[0], draft, "2026-11", services.now())
    services.db.dispose()


@pytest.fixture
async def demo(tmp_path):
    """The demo with its terminal chat, Ana registered; yields (what to type, the screen)."""
    db = tmp_path / "demo.sqlite3"
    register_ana(db)
    typed, screen = Typed(), Screen()
    task = asyncio.create_task(run_demo(db, web_port=None, stdin=typed, stdout=screen))
    await screen.shows("/salir termina")
    yield typed, screen
    typed.type("/salir")
    assert await asyncio.wait_for(task, 10) == 0


async def test_hand_off_round_trip_between_the_officer_and_the_staff_group(demo):
    typed, screen = demo
    typed.type("/especialista")
    await screen.shows("Escriba su consulta")
    # A message of two lines: the first ends in a backslash.
    typed.type("Tenemos ordenanza pero no hay CEM en el distrito.\\", "¿Quién asume la secretaría?")
    seen = await screen.shows("llegó al equipo")
    assert f"(mensaje nuevo en «{DEMO_GROUP[1]}»: escriba :grupo para verlo)" in seen

    typed.type(":grupo")
    consulta = await screen.shows("Cerrar consulta")
    assert "escribe como Especialista MIMP (id 9001)" in consulta
    assert "Consulta #1" in consulta and "Ana Quispe Mamani" in consulta
    # The two lines arrived as one message, on two lines.
    assert "no hay CEM en el distrito.\n  ¿Quién asume la secretaría?" in consulta
    assert re.search(r"Concerta \(mensaje \d+\): 🙋 \*Consulta #1\*", consulta)

    typed.type(":responder La asume la Subgerencia de Desarrollo Social.")
    await screen.shows("(mensaje nuevo para Ana: escriba :usuario 1001 para verlo)")
    await screen.shows("(Concerta reaccionó 👍 a su mensaje)")  # the mark of a delivered reply
    typed.type(":usuario 1001")
    relayed = await screen.shows("Responder")
    assert "Respuesta del especialista del MIMP (consulta #1)" in relayed
    assert "La asume la Subgerencia de Desarrollo Social." in relayed

    typed.type("#1")  # ↩️ Responder
    await screen.shows("Escriba su respuesta para el especialista (consulta #1)")
    typed.type("Gracias, ¿y si el alcalde no convoca?")
    await screen.shows("Envié su respuesta")
    typed.type(":grupo")
    answer = await screen.shows("Cerrar consulta")
    assert "#1 responde" in answer and "¿y si el alcalde no convoca?" in answer
    typed.type("#1")  # ✅ Cerrar consulta, pressed in the group
    await screen.shows("(editado)")
    typed.type(":responder 99999 hola")
    await screen.shows("No hay un mensaje del bot al que responder aquí.")


async def test_a_typed_number_is_text_and_a_hash_presses(demo):
    typed, screen = demo
    typed.type(":usuario 1002 Luis", "/start")
    await screen.shows("[1] 📝 Registrarme")
    await screen.shows("(escriba #1 para pulsar el botón [1]; un 1 solo se envía como texto)")
    typed.type("#1")
    await screen.shows("¿Acepta?")
    typed.type("2")  # typed, not pressed: the bot asks for the buttons
    await screen.shows("Por favor, toque")
    typed.type("#9")
    await screen.shows("No existe el botón 9; hay 3.")
    typed.type("#2")  # No acepto
    seen = await screen.settles()
    assert "(editado) … ➡️ _No acepto_" in seen


async def test_only_the_current_buttons_are_pressed(demo):
    """Once a later message had buttons, an older answer's 👍 is not current any more."""
    typed, screen = demo
    typed.type("que es la ley 30364")
    await screen.shows("👍 Útil")
    typed.type("/reporte")
    await screen.shows("[1] Sí")
    typed.type("#1")  # Sí: the question's buttons go, the next question has none
    await screen.shows("Pregunta 2 de")
    typed.type("#1")
    await screen.shows("No hay botones vigentes para pulsar.")


async def test_registration_as_the_readme_walks_it(demo):
    """Step 1 of the README's walk, typed as it says; the phone key is pressed by its text."""
    typed, screen = demo
    typed.type(":usuario 1002 Luis")
    for line, reply in (
        ("/start", "Registrarme"),
        ("#1", "¿Acepta?"),
        ("#1", "nombre completo"),
        ("Luis Huamán Torres", "cargo"),
        ("Subgerente de Desarrollo Social", "Distrital"),
        ("#3", "distrito"),
        ("ate", "Ate (Lima, Lima)"),
        ("#1", "institución"),
        ("#1", "teléfono"),
    ):
        typed.type(line)
        await screen.shows(reply)
    await screen.shows("teclado: «📱 Compartir mi número»  «Omitir»")
    typed.type("compartir mi numero")  # no emoji, no accent: still the key
    await screen.shows("(compartió el número de prueba +51 900001002)")
    summary = await screen.shows("Corregir")
    assert "+51 900 001 002" in summary and "Municipalidad Distrital de Ate" in summary
    typed.type("#1")
    await screen.shows("Registro completo")


async def test_the_terminal_sends_a_photo_a_pdf_and_a_sticker(demo):
    typed, screen = demo
    typed.type("/especialista")
    await screen.shows("Escriba su consulta")
    for command, reply in (
        ("/sticker", "Recibí un sticker"),
        ("/foto", "Recibí una foto"),
        ("/pdf", "Recibí un archivo"),
    ):
        typed.type(command)
        await screen.shows(reply)
        await screen.shows("Escriba su consulta")  # and the step asks again


def listening_socket() -> tuple[socket.socket, int]:
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    return taken, taken.getsockname()[1]


async def test_a_busy_web_port_names_the_variable_to_set(tmp_path):
    taken, port = listening_socket()
    with taken:
        out = io.StringIO()
        code = await asyncio.wait_for(
            run_demo(tmp_path / "demo.sqlite3", with_terminal=False, web_port=port, stdout=out),
            10,
        )
    assert code == 2
    line = out.getvalue().strip()
    match = re.fullmatch(
        rf"El puerto {port} está ocupado: make demo WEB_PORT=(\d+) "
        r"\(o python -m bot demo --web-port (\d+)\)\.",
        line,
    )
    assert match, line
    assert match[1] == match[2] and int(match[1]) != port
    assert not (tmp_path / "demo.sqlite3").exists()  # stopped before the bot started
    with socket.socket() as probe:  # the port it offers is free
        probe.bind(("127.0.0.1", int(match[1])))


async def test_the_demo_serves_the_browser_chat_on_the_port_asked(tmp_path):
    import aiohttp

    free, port = listening_socket()
    free.close()
    task = asyncio.create_task(
        run_demo(tmp_path / "demo.sqlite3", with_terminal=False, web_port=port)
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/config.json") as response:
                        config = await response.json()
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail(f"nothing listens on {port}")
            for _ in range(100):  # the bot is up once it has published its commands
                async with http.get(f"http://127.0.0.1:{port}/_chat/info") as response:
                    info = await response.json()
                if info["commands"]:
                    break
                await asyncio.sleep(0.1)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    group = config["users"][-1]
    assert group == {
        "id": DEMO_GROUP[0], "name": DEMO_GROUP[1], "role": "grupo",
        "member": {"id": 9001, "name": "Especialista MIMP"},
    }  # fmt: skip
    assert {"id": DEMO_GROUP[0], "type": "supergroup", "title": DEMO_GROUP[1]} in info["groups"]


def test_make_demo_passes_the_ports_on():
    dry = subprocess.run(
        ["make", "-n", "demo", "WEB_PORT=8090", "CONSOLE_PORT=8093"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "-m bot demo --web-port 8090 --console-port 8093" in dry.stdout
    default = subprocess.run(
        ["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "--web-port 8080 --console-port 8092" in default.stdout


def test_the_demo_command_takes_the_console_port():
    from bot import cli

    parser = cli.build_parser()
    assert parser.parse_args(["demo"]).console_port == 8092
    assert parser.parse_args(["demo", "--console-port", "8100"]).console_port == 8100


def test_the_demo_works_on_a_copy_of_the_knowledge_base(tmp_path):
    """A proposal approved in the demo's console edits the copy, never the repository."""
    from standin.demo import KNOWLEDGE

    first = demo_settings(tmp_path / "demo.sqlite3", "http://127.0.0.1:9/bot").knowledge_dir
    assert first != KNOWLEDGE and first.parent == tmp_path
    faq = first / "faq" / "bot.yaml"
    assert faq.read_bytes() == (KNOWLEDGE / "faq" / "bot.yaml").read_bytes()
    faq.write_text("# edited in the demo\n", encoding="utf-8")
    again = demo_settings(tmp_path / "demo.sqlite3", "http://127.0.0.1:9/bot").knowledge_dir
    original = (KNOWLEDGE / "faq" / "bot.yaml").read_bytes()
    assert (again / "faq" / "bot.yaml").read_bytes() == original
