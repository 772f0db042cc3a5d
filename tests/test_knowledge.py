"""The knowledge base loads cleanly, covers the required topics, and the checker catches errors."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.knowledge import (
    MIN_QUESTIONS,
    Entry,
    KnowledgeError,
    Problem,
    Source,
    check_knowledge,
    format_answer,
    format_source,
    list_messages,
    load_knowledge,
    normalize_question,
)
from bot.messages import Messages
from bot.telegram_html import validate, visible_length

REPO = Path(__file__).resolve().parents[1]
KB_DIR = REPO / "knowledge" / "faq"
BROKEN = REPO / "tests" / "data" / "kb_broken"
SHARED = REPO.parent / "shared"
TEMAS = SHARED / "kb" / "temas.yaml"
DEV_SET = SHARED / "eval" / "dev-preguntas.yaml"


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    # Problem paths are relative to the current directory; pin it so messages are stable.
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(KB_DIR)


# --------------------------------------------------------------------------- real content


def test_real_knowledge_base_has_no_problems():
    kb, problems = check_knowledge(KB_DIR)
    assert problems == [], "\n".join(map(str, problems))
    assert kb is not None


def test_required_topics_exist_with_their_category(kb):
    if not TEMAS.exists():
        pytest.skip(f"{TEMAS} not found (shared/ is not beside the repo)")
    temas = yaml.safe_load(TEMAS.read_text(encoding="utf-8"))
    missing = [t["id"] for t in temas["temas"] if t["id"] not in kb.entries]
    assert missing == []
    wrong = [
        (t["id"], kb.entries[t["id"]].categoria, t["categoria"])
        for t in temas["temas"]
        if kb.entries[t["id"]].categoria != t["categoria"]
    ]
    assert wrong == []
    assert [c.id for c in kb.categories] == [c["id"] for c in temas["categorias"]]


def test_every_entry_has_questions_sources_and_fits(kb):
    for entry in kb.entries.values():
        assert len(entry.preguntas) >= MIN_QUESTIONS, entry.id
        assert entry.fuentes, entry.id
        formatted = format_answer(entry)
        assert validate(formatted) is None, entry.id
        assert visible_length(formatted) <= 4096, entry.id


def test_answers_start_with_text_and_use_plain_bullets(kb):
    for entry in kb.entries.values():
        assert not entry.respuesta.startswith("\n"), entry.id
        assert "\n- " not in entry.respuesta, f"{entry.id}: use '• ' for bullets"
        assert "<br" not in entry.respuesta, entry.id


def test_article_sources_say_their_numbering(kb):
    for entry in kb.entries.values():
        for src in entry.fuentes:
            if src.articulo and "art" in src.articulo.lower() and "30364" in src.norma:
                assert src.numeracion in ("Ley", "TUO", "Reglamento"), (entry.id, src)


def test_dev_questions_are_not_copied_into_the_kb(kb):
    if not DEV_SET.exists():
        pytest.skip(f"{DEV_SET} not found (shared/ is not beside the repo)")
    dev = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    dev_questions = [q["q"] for q in dev["preguntas"]] + [q["q"] for q in dev["no_crisis"]]
    dev_questions += dev["fuera_de_tema"] + dev["crisis"]
    dev_norm = {normalize_question(q) for q in dev_questions}
    copied = [
        (entry.id, q)
        for entry in kb.entries.values()
        for q in (*entry.preguntas, *entry.sinonimos)
        if normalize_question(q) in dev_norm
    ]
    assert copied == []


def test_by_category_keeps_file_order(kb):
    for cat in kb.categories:
        assert [e.id for e in kb.by_category(cat.id)] == list(cat.entries)
    assert kb.by_category("no-existe") == []


# --------------------------------------------------------------------------- broken fixtures

EXPECTED = {
    "syntax": [
        "tests/data/kb_broken/syntax/ley.yaml:23: error de sintaxis YAML: found unexpected end "
        "of stream while scanning a quoted scalar (empieza en la línea 21); revise sangría, "
        "dos puntos y comillas."
    ],
    "duplicate_id": [
        "tests/data/kb_broken/duplicate_id/sistema.yaml:3: entrada 'repetida': el id se repite "
        "(ya está en tests/data/kb_broken/duplicate_id/ley.yaml:3); cambie uno de los dos."
    ],
    "dangling": [
        "tests/data/kb_broken/dangling/ley.yaml:37: entrada 'grupo-familiar', clave "
        "'relacionados': 'tipos-violencia' no existe (¿quiso decir 'tipos-de-violencia'?)."
    ],
    "bad_html": [
        "tests/data/kb_broken/bad_html/ley.yaml:18: entrada 'html-roto', clave 'respuesta': "
        "no es HTML válido de Telegram: unescaped '&' (write &amp;)."
    ],
    "too_long": [
        "tests/data/kb_broken/too_long/ley.yaml:15: entrada 'muy-larga', clave 'respuesta': "
        "con sus fuentes tiene 4215 caracteres y Telegram permite 4096; acórtela o divídala "
        "en dos entradas."
    ],
    "missing_fuentes": [
        "tests/data/kb_broken/missing_fuentes/ley.yaml:17: entrada 'sin-fuentes', clave "
        "'fuentes': está vacía; agregue al menos una fuente con norma y artículo.",
        "tests/data/kb_broken/missing_fuentes/ley.yaml:19: entrada 'sin-clave-fuentes', "
        "clave 'fuentes': falta; agregue al menos una fuente con norma y artículo.",
    ],
    "unknown_key": [
        "tests/data/kb_broken/unknown_key/ley.yaml:20: entrada 'clave-rara', clave 'fuente': "
        "clave desconocida (¿quiso decir 'fuentes'?)."
    ],
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_fixture_reports_expected_problem(case):
    kb, problems = check_knowledge(BROKEN / case)
    assert kb is None
    assert [str(p) for p in problems] == EXPECTED[case]


def test_broken_fixture_dirs_are_all_covered():
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(EXPECTED)


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_problem_lines_point_at_the_offending_node():
    # Computed from the fixture text, so the test fails if line tracking drifts.
    cases = {
        "dangling": ("dangling/ley.yaml", "relacionados: [tipos-violencia]"),
        "bad_html": ("bad_html/ley.yaml", "física & psicológica"),
        "unknown_key": ("unknown_key/ley.yaml", "fuente:"),
        "too_long": ("too_long/ley.yaml", "respuesta: |"),
    }
    for case, (rel, needle) in cases.items():
        _, problems = check_knowledge(BROKEN / case)
        assert problems[0].line == _line_of(BROKEN / rel, needle), case
    _, problems = check_knowledge(BROKEN / "duplicate_id")
    assert problems[0].line == _line_of(BROKEN / "duplicate_id/sistema.yaml", "id: repetida")
    _, problems = check_knowledge(BROKEN / "missing_fuentes")
    path = BROKEN / "missing_fuentes/ley.yaml"
    assert [p.line for p in problems] == [
        _line_of(path, "fuentes: []"),
        _line_of(path, "id: sin-clave-fuentes"),
    ]


def test_load_knowledge_raises_with_all_problems():
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(BROKEN / "missing_fuentes")
    assert len(info.value.problems) == 2
    assert "sin-clave-fuentes" in str(info.value)


# --------------------------------------------------------------------------- other checks

ENTRY = """\
  - id: {id}
    categoria: {cat}
    titulo: "Título"
    preguntas: [{preguntas}]
    respuesta: "<b>Hola</b>"
    fuentes:
      - {{norma: "Ley N° 30364", articulo: "{articulo}", numeracion: {numeracion}}}
    revisado: {revisado}
"""


def _write(tmp_path: Path, name: str, cat: str, *entries: dict) -> None:
    body = "".join(
        ENTRY.format(
            **{
                "cat": cat,
                "preguntas": ", ".join(f'"{e.get("id", "x")} p{i}"' for i in range(8)),
                "articulo": "art. 1",
                "numeracion": "Ley",
                "revisado": "2026-11-22",
                **e,
            }
        )
        for e in entries
    )
    text = f'categoria: {{id: {cat}, titulo: "T"}}\nentradas:\n{body}'
    (tmp_path / name).write_text(text, encoding="utf-8")


def _messages(tmp_path: Path) -> list[str]:
    kb, problems = check_knowledge(tmp_path)
    assert (kb is None) == bool(problems)
    return [p.message for p in problems]


def test_valid_minimal_file_loads(tmp_path):
    _write(tmp_path, "ley.yaml", "ley", {"id": "a"}, {"id": "b"})
    kb = load_knowledge(tmp_path)
    assert list(kb.entries) == ["a", "b"]
    assert kb.entries["a"].revisado == date(2026, 11, 22)
    assert kb.entries["a"].fuentes == (Source("Ley N° 30364", "art. 1", "Ley", None),)


def test_same_question_in_two_entries(tmp_path):
    _write(
        tmp_path,
        "ley.yaml",
        "ley",
        {"id": "a", "preguntas": ", ".join(f'"¿Qué es {i}?"' for i in range(8))},
        {"id": "b", "preguntas": '"que es 3", ' + ", ".join(f'"b {i}"' for i in range(8))},
    )
    (message,) = _messages(tmp_path)
    assert message.startswith("entrada 'b': la pregunta 'que es 3' ya está en 'a' (")
    assert message.endswith("ley.yaml:6); déjela en una sola entrada.")


def test_wrong_category_few_questions_bad_date_bad_id_bad_numeracion(tmp_path):
    _write(
        tmp_path,
        "ley.yaml",
        "ley",
        {"id": "a", "cat": "sistema"},
        {"id": "b", "preguntas": '"uno", "dos"'},
        {"id": "c", "revisado": '"22/11/2026"'},
        {"id": "D_mal"},
        {"id": "e", "numeracion": "Constitución"},
        {"id": "f", "numeracion": "null"},
    )
    messages = _messages(tmp_path)
    assert len(messages) == 6, messages
    assert messages == [
        "entrada 'a', clave 'categoria': dice 'sistema' pero este archivo es 'ley'; mueva la "
        "entrada a sistema.yaml o corrija 'categoria'.",
        "entrada 'b', clave 'preguntas': tiene 2; escriba al menos 8 formas distintas de hacer "
        "la pregunta.",
        "entrada 'c', clave 'revisado': debe ser una fecha; escriba la fecha de revisión como "
        "AAAA-MM-DD, sin comillas.",
        "entrada 'D_mal', clave 'id': 'D_mal' no sirve como id; use solo minúsculas, cifras y "
        "guiones simples, como 'ley-30364-objeto'.",
        "entrada 'e', fuente 1, clave 'numeracion': 'Constitución' no es válido; escriba Ley, "
        "TUO o Reglamento (la numeración del artículo), o null.",
        "entrada 'f', fuente 1, clave 'numeracion': 'art. 1' cita un artículo; diga de qué "
        "numeración es (Ley, TUO o Reglamento).",
    ]


def test_file_name_must_match_category(tmp_path):
    _write(tmp_path, "otra.yaml", "ley", {"id": "a"})
    (message,) = _messages(tmp_path)
    assert message == (
        "categoría 'ley': está en otra.yaml; cambie el nombre del archivo a ley.yaml."
    )


def test_wrong_top_level_shape(tmp_path):
    (tmp_path / "ley.yaml").write_text("- id: a\n", encoding="utf-8")
    (message,) = _messages(tmp_path)
    assert message == "el archivo: debe ser un diccionario (clave: valor)."


def test_problems_are_sorted_by_file_and_line(tmp_path):
    _write(tmp_path, "ley.yaml", "ley", {"id": "a", "revisado": "x"}, {"id": "b", "revisado": "y"})
    _write(tmp_path, "bot.yaml", "bot", {"id": "c", "revisado": "z"})
    _, problems = check_knowledge(tmp_path)
    assert problems == sorted(problems, key=lambda p: (p.file, p.line))
    assert problems[0].file.endswith("bot.yaml")


def test_str_of_problem():
    assert str(Problem("a.yaml", 3, "boom")) == "a.yaml:3: boom"


# --------------------------------------------------------------------------- formatting


def _entry(fuentes: tuple[Source, ...], respuesta: str = "<b>Hola</b>") -> Entry:
    return Entry(
        id="x",
        categoria="ley",
        titulo="T",
        preguntas=(),
        palabras_clave=(),
        sinonimos=(),
        respuesta=respuesta,
        fuentes=fuentes,
        revisado=date(2026, 11, 22),
        relacionados=(),
        file="f",
        line=1,
    )


def test_format_source_says_the_numbering():
    assert format_source(Source("Ley N° 30364", "art. 1", "Ley", None)) == (
        "Ley N° 30364, art. 1 (numeración de la Ley)"
    )
    assert format_source(Source("TUO (D.S. 004-2020-MIMP)", "art. 55", "TUO", None)).endswith(
        "art. 55 (numeración del TUO)"
    )
    # The Reglamento's own name already says which numbering it is.
    assert format_source(Source("Reglamento (D.S. 009-2016-MIMP)", "art. 104", "Reglamento")) == (
        "Reglamento (D.S. 009-2016-MIMP), art. 104"
    )
    linked = format_source(Source("MIMP & co", None, None, "https://www.gob.pe/mimp?a=1&b=2"))
    assert linked == '<a href="https://www.gob.pe/mimp?a=1&amp;b=2">MIMP &amp; co</a>'
    assert validate(linked) is None


def test_format_answer_appends_sources():
    entry = _entry(
        (Source("Ley N° 30364", "art. 1", "Ley"), Source("Línea 100", None, None)),
        respuesta="<b>Hola</b>\n",
    )
    assert format_answer(entry) == (
        "<b>Hola</b>\n\n📖 <i>Fuentes: Ley N° 30364, art. 1 (numeración de la Ley); Línea 100</i>"
    )
    single = format_answer(_entry((Source("Ley N° 30364", "art. 1", "Ley"),)))
    assert single.endswith("📖 <i>Fuente: Ley N° 30364, art. 1 (numeración de la Ley)</i>")


def test_normalize_question():
    assert normalize_question("¿Qué  es la LEY 30364?") == "que es la ley 30364"
    assert normalize_question("Niñas, niños") == "ninas ninos"


def test_checker_reports_html_line_inside_block(tmp_path):
    text = textwrap.dedent(
        """\
        categoria: {id: ley, titulo: "T"}
        entradas:
          - id: a
            categoria: ley
            titulo: "T"
            preguntas: ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"]
            respuesta: |
              <b>Bien</b>

              <i>sin cerrar
            fuentes:
              - {norma: "Ley N° 30364", articulo: null, numeracion: null}
            revisado: 2026-11-22
        """
    )
    (tmp_path / "ley.yaml").write_text(text, encoding="utf-8")
    _, problems = check_knowledge(tmp_path)
    assert [(p.line, "never closed" in p.message) for p in problems] == [(10, True)]


def test_source_labels_come_from_the_messages_file(tmp_path):
    text = (REPO / "knowledge" / "mensajes.yaml").read_text(encoding="utf-8")
    text = text.replace('  varias: "Fuentes"', '  varias: "Base legal"')
    text = text.replace('  numeracion_ley: "numeración de la Ley"', '  numeracion_ley: "Ley"')
    (tmp_path / "mensajes.yaml").write_text(text, encoding="utf-8")
    kb = load_knowledge(KB_DIR, Messages.load(tmp_path / "mensajes.yaml"))
    entry = next(
        e for e in kb.entries.values()
        if len(e.fuentes) > 1 and e.fuentes[0].numeracion == "Ley" and e.fuentes[0].articulo
    )  # fmt: skip
    assert "📖 <i>Base legal: " in format_answer(entry)
    assert f"{entry.fuentes[0].articulo} (Ley)" in format_answer(entry)
    assert entry != load_knowledge(KB_DIR).entries[entry.id]  # new labels, new cached answer


# --------------------------------------------------------------------------- second edition


def test_source_line_ends_with_the_verification_state():
    import dataclasses

    plain = _entry((Source("gob.pe: IDC", None, None),))
    entry = dataclasses.replace(plain, verificacion="parcial")
    assert format_answer(entry).endswith("📖 <i>Fuente: gob.pe: IDC — verificación parcial</i>")
    # Without a state the line is as before: old files keep loading and reading the same.
    assert format_answer(plain).endswith("IDC</i>")


def test_optional_keys_are_checked(tmp_path):
    def problems(extra: str) -> list[str]:
        text = ENTRY.format(
            id="a", cat="ley", preguntas=", ".join(f'"a p{i}"' for i in range(8)),
            articulo="art. 1", numeracion="Ley", revisado="2026-11-22",
        ) + extra
        (tmp_path / "ley.yaml").write_text(
            f'categoria: {{id: ley, titulo: "T"}}\nentradas:\n{text}', encoding="utf-8"
        )
        return _messages(tmp_path)

    found = problems('    verificacion: dudoso\n    linea_de_ayuda: "si"\n')
    assert any("clave 'verificacion': 'dudoso' no es válido; escriba verificado, secundaria o "
               "parcial" in m for m in found), found
    assert any("clave 'linea_de_ayuda': debe ser true o false" in m for m in found), found
    found = problems('    lista_completa: "<b>sin cerrar"\n')
    assert any("'lista_completa' no es HTML válido" in m for m in found), found


def test_optional_keys_load(tmp_path):
    text = ENTRY.format(
        id="a", cat="ley", preguntas=", ".join(f'"a p{i}"' for i in range(8)),
        articulo="art. 1", numeracion="Ley", revisado="2026-11-22",
    ) + "    verificacion: secundaria\n    linea_de_ayuda: true\n    lista_completa: |\n" \
        "      <b>Lista</b>\n      • uno\n"
    (tmp_path / "ley.yaml").write_text(
        f'categoria: {{id: ley, titulo: "T"}}\nentradas:\n{text}', encoding="utf-8"
    )
    entry = load_knowledge(tmp_path).entries["a"]
    assert (entry.verificacion, entry.linea_de_ayuda) == ("secundaria", True)
    (message,) = list_messages(entry)
    assert message.startswith("<b>Lista</b>\n• uno\n\n📖 <i>Fuente: ")
    assert message.endswith(" — fuente secundaria</i>")


def test_real_entries_carry_state_and_help_lines_no_doubt(kb):
    without = [e.id for e in kb.entries.values() if e.categoria != "bot" and not e.verificacion]
    assert without == []
    help_lines = [e for e in kb.entries.values() if e.linea_de_ayuda]
    assert {e.id for e in help_lines} >= {"linea-100", "emergencia-105", "linea-113-salud-mental"}
    doubt = ("secundaria", "según prensa", "no está confirmad", "no podemos confirmar")
    for entry in help_lines:
        assert not any(d in entry.respuesta.lower() for d in doubt), entry.id


def test_answers_open_with_a_short_first_line(kb):
    for entry in kb.entries.values():
        first = entry.respuesta.split("\n", 1)[0]
        assert first.startswith("<b>") and first.endswith("</b>"), entry.id
        assert visible_length(first) <= 90, (entry.id, visible_length(first))
