"""The answering service: crisis first, the JSON line format; broken data stops the bot.

Reloads (/recargar) are tested in test_reload.py."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bot.answers import Answerer

ROOT = Path(__file__).resolve().parents[1]


def test_crisis_wins_over_any_answer():
    answers = Answerer(ROOT / "knowledge")
    reply = answers.respond("mi esposo me pega todos los dias")
    assert reply.crisis is not None
    assert reply.entry_id is None


def test_json_line_has_exactly_the_documented_keys():
    answers = Answerer(ROOT / "knowledge")
    line = answers.as_json("que es el RUVA")
    assert set(line) == {"q", "id", "score", "crisis", "help_lines", "suggestions"}
    assert line["id"] == "ruva" and line["crisis"] is False and line["help_lines"] is False
    assert isinstance(line["score"], float) and 0 < line["score"] <= 1
    off = answers.as_json("receta de ceviche")
    assert off["id"] is None and off["crisis"] is False


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, timeout=120,
    )


def test_ask_json_reads_lines_and_prints_one_object_each():
    proc = run_cli("ask", "--json", stdin="que es la CMAN\n\nhola\nme quiero morir\n")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["q"] for x in lines] == ["que es la CMAN", "hola", "me quiero morir"]
    assert lines[0]["id"] == "cman"
    assert lines[1]["id"] is None and lines[1]["crisis"] is False
    assert lines[2]["crisis"] is True


def test_ask_prints_the_answer_with_its_source():
    proc = run_cli("ask", "quien preside la instancia distrital")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("[instancia-presidencia")
    assert "Fuente" in proc.stdout and "<b>" not in proc.stdout


def test_kb_check_passes_on_the_shipped_knowledge_base():
    proc = run_cli("kb", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all valid" in proc.stdout


def test_survey_check_command():
    proc = run_cli("survey", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all valid" in proc.stdout
    broken = run_cli("survey", "check", "--file", "tests/data/survey_broken/structure.yaml")
    assert broken.returncode == 1
    assert "structure.yaml:9:" in broken.stdout


def test_a_broken_survey_stops_the_bot_with_file_and_line(tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    survey = knowledge / "encuesta.yaml"
    survey.write_text(survey.read_text(encoding="utf-8").replace("tipo: fecha", "tipo: fechaa", 1))
    config = tmp_path / "config.yaml"
    config.write_text(
        "telegram:\n  token: '1:x'\n  api_base_url: 'http://127.0.0.1:9/bot'\n"
        f"database:\n  url: 'sqlite:///{tmp_path / 'db.sqlite3'}'\n"
        f"knowledge:\n  dir: '{knowledge}'\n",
        encoding="utf-8",
    )
    proc = run_cli("run", "--config", str(config))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "encuesta.yaml:" in proc.stderr and "fechaa" in proc.stderr


def test_a_broken_language_or_messages_file_stops_the_bot_with_file_and_line(tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    config = tmp_path / "config.yaml"
    config.write_text(
        "telegram:\n  token: '1:x'\n  api_base_url: 'http://127.0.0.1:9/bot'\n"
        f"database:\n  url: 'sqlite:///{tmp_path / 'db.sqlite3'}'\n"
        f"knowledge:\n  dir: '{knowledge}'\n",
        encoding="utf-8",
    )
    for name, old, new, words in (
        ("lenguaje.yaml", "  xq: porque\n", "  xq: porque\n  xq: por que\n", "se repite"),
        ("mensajes.yaml", 'boton_registrarme: "', 'boton_registrarme:\n  - "', "debe ser un texto"),
    ):
        path = knowledge / name
        original = path.read_text(encoding="utf-8")
        path.write_text(original.replace(old, new, 1), encoding="utf-8")
        proc = run_cli("run", "--config", str(config))
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"{name}:" in proc.stderr and words in proc.stderr, proc.stderr
        path.write_text(original, encoding="utf-8")
