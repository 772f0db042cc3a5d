"""Normalisation of how officers type: accents, ñ, elongations, chat abbreviations, numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.textnorm import (
    DEFAULT_LANGUAGE_PATH,
    STOPWORDS,
    content_tokens,
    default_language,
    fold_enie,
    load_language,
    normalize,
    stem,
    tokens,
)

ABBREVIATIONS = {"q": "que", "xq": "porque", "tb": "tambien", "x": "por", "xfa": "por favor"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("¿Qué ES la Ley?", "que es la ley"),
        ("Información, acción; búsqueda: pingüino", "informacion accion busqueda pinguino"),
        ("AÑO niño Ñandú", "año niño ñandu"),
        ("n\u0303andu\u0301", "ñandu"),  # decomposed marks (some phone keyboards)
        ("hola!!! 😀 ¿cómo están?", "hola como estan"),
        ("  muchos     espacios \n y saltos  ", "muchos espacios y saltos"),
    ],
)
def test_accents_case_punctuation(raw: str, expected: str) -> None:
    assert normalize(raw, {}) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R.M. N° 288-2023-MIMP", "rm 288-2023 mimp"),
        ("D.S. 004-2020-MIMP", "ds 004-2020 mimp"),
        ("Ley N.º 30364", "ley 30364"),
        ("ley nro 30364", "ley 30364"),
        ("ley 30.364", "ley 30364"),
        ("288 - 2023", "288-2023"),
        ("004/2020", "004-2020"),
        ("linea 100 y 105", "linea 100 y 105"),
        ("la ex-pareja", "la ex pareja"),
    ],
)
def test_numbers_keep_their_hyphen(raw: str, expected: str) -> None:
    assert normalize(raw, {}) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("holaaa", "hola"),
        ("ayudaaaa", "ayuda"),
        ("holaa", "hola"),
        ("graciasss", "gracias"),
        ("buenooo", "bueno"),
        ("siiii", "si"),
        ("perrrro", "perro"),
        ("llamar", "llamar"),
        ("cooperacion", "cooperacion"),
        ("accion", "accion"),
        ("PPoR", "ppor"),
        ("jajaja ok", "ok"),
    ],
)
def test_elongations(raw: str, expected: str) -> None:
    assert normalize(raw, {}) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("q es el ruva", "que es el ruva"),
        ("xq no", "porque no"),
        ("tb el cem", "tambien el cem"),
        ("x favor", "por favor"),
        ("xfa", "por favor"),
    ],
)
def test_abbreviations_given(raw: str, expected: str) -> None:
    assert normalize(raw, ABBREVIATIONS) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("q es el ruva", "que es el ruva"),
        ("ke es", "que es"),
        ("k hago", "que hago"),
        ("pq no instalan", "porque no instalan"),
        ("porq", "porque"),
        ("tmb", "tambien"),
        ("dnd denuncio", "donde denuncio"),
        ("d la ley", "de la ley"),
        ("pls ayuda", "por favor ayuda"),
        ("kiero saber", "quiero saber"),
    ],
)
def test_abbreviations_from_language_file(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_no_abbreviations_when_disabled() -> None:
    assert normalize("q es", {}) == "q es"


def test_fold_enie_and_tokens() -> None:
    assert fold_enie("warmi ñan año") == "warmi nan ano"
    assert tokens("que es el ruva") == ["que", "es", "el", "ruva"]
    assert content_tokens(["que", "es", "el", "ruva", "cuantos"]) == ["ruva", "cuantos"]
    assert {"de", "la", "que", "el"} <= STOPWORDS
    assert "cuantos" not in STOPWORDS  # question words tell entries apart
    # "nos van a sancionar": the future auxiliary carries no topic
    assert {"va", "van", "vamos", "voy"} <= STOPWORDS


@pytest.mark.parametrize(
    "family",
    [
        ("municipio", "municipalidad", "municipalidades", "municipal"),
        ("distrito", "distrital", "distritales"),
        ("provincia", "provincial", "provinciales"),
        ("denuncia", "denunciar", "denunciado", "denuncian"),
        ("integrantes", "integran", "integrar", "integra"),
        ("obligatorio", "obligacion", "obligado"),
        ("crear", "creado", "creacion", "crea"),
        # "-cion" alone is part of the word: "sancion" must not become "san"
        ("sancion", "sanciones", "sancionar", "sancionado"),
        ("funcion", "funciones"),
        ("atencion", "atenciones"),
        # pronouns attached to a verb: "¿está obligado a crearla?"
        ("crear", "crearla", "crearlo"),
        ("instalar", "instalarla", "instalandola"),
        ("integrar", "integrarla", "integrandola"),
    ],
)
def test_stem_families_meet(family: tuple[str, ...]) -> None:
    assert len({stem(w) for w in family}) == 1, {w: stem(w) for w in family}


@pytest.mark.parametrize(
    ("a", "b"), [("instancia", "instalacion"), ("internet", "interno"), ("ley", "leyes")]
)
def test_stem_keeps_different_words_apart(a: str, b: str) -> None:
    if a == "ley":
        assert stem(a) == stem(b)  # plural of a short word still meets
    else:
        assert stem(a) != stem(b)


# --------------------------------------------------------------------------- language file


def test_repository_language_file_loads() -> None:
    lang = load_language(DEFAULT_LANGUAGE_PATH)
    for sigla in ("idc", "ipc", "irc", "cem", "pbac", "ruva", "cman", "mimp", "pdc", "poi", "pp",
                  "demuna", "pnp", "tuo", "pnig", "ppor", "hrt", "sau", "sar", "dgcvg", "dpvlv",
                  "gore", "ugel", "nna", "rvcm"):  # fmt: skip
        assert sigla in lang.acronyms, sigla
    assert lang.synonyms["municipio"] == "municipalidad"
    assert lang.synonyms["alcaldesa"] == "alcalde"
    assert {"saludo", "gracias", "despedida", "afirmacion"} <= set(lang.smalltalk)
    assert "hola" in lang.smalltalk["saludo"]
    assert {"relaciones", "verbos_ar", "autolesion"} <= set(lang.crisis)
    assert {"verbos_contacto", "partes_cuerpo", "suplica", "temas_de_trabajo"} <= set(lang.crisis)
    assert default_language().acronyms == lang.acronyms
    # how long messages wrap their question, and how officers name the instancia
    assert "le escribe" in lang.introductions and "queria saber" in lang.askings
    assert {lang.synonyms[w] for w in ("mesa", "comite", "espacio", "esa comision")} == {
        "instancia"
    }
    assert {"tercera_persona", "relato", "menores", "parejas"} <= set(lang.crisis)


def test_context_section_is_normalised(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "abreviaturas:\n  q: que\ncontexto:\n  presentacion: [Le escribe, Mi nombre es]\n"
        "  pedido: [Quería saber q]\n",
    )
    lang = load_language(path)
    assert lang.introductions == ("le escribe", "mi nombre es")
    assert lang.askings == ("queria saber que",)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lenguaje.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_language_values_are_normalised(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "abreviaturas:\n  Q: Qué\nsiglas:\n  RUVA: Registro Único de Víctimas\n"
        "sinonimos:\n  municipalidad: [Municipio, muni]\n"
        "charla:\n  saludo: [¡Hola!, Buenos días]\n",
    )
    lang = load_language(path)
    assert lang.abbreviations == {"q": "que"}
    assert lang.acronyms == {"ruva": "registro unico de victimas"}
    assert lang.synonyms == {"municipio": "municipalidad", "muni": "municipalidad"}
    assert lang.smalltalk["saludo"] == ("hola", "buenos dias")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("siglas:\n  ruva: [unclosed\n", 3, "YAML"),
        ("siglas:\n  ruva: registro\n  cem:\n", 3, "texto"),
        ("siglas:\n  ruva: registro\n  ruva: otra\n", 3, "se repite"),
        ("abreviaturas:\n  q: que\nrarezas:\n  a: b\n", 3, "desconocida"),
        ("sinonimos:\n  municipalidad:\n    a: b\n", 2, "lista"),
        ("charla:\n  saludo: [hola, [x]]\n", 2, "texto"),
        ("abreviaturas:\n  dos palabras: x\n", 2, "una sola palabra"),
        ("sinonimos:\n  a: [x]\n  b: [x]\n", 3, "ya es sinónimo"),
        ("- una lista\n", 1, "diccionario"),
        ("crisis:\n  relaciones: [esposo]\n  verbos: [peg]\n", 3, "desconocida"),
        ("contexto:\n  presentacion: [soy]\n  otra: [x]\n", 3, "desconocida"),
    ],
)
def test_broken_language_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as err:
        load_language(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message


def test_missing_or_empty_language_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no existe"):
        load_language(tmp_path / "nada.yaml")
    with pytest.raises(ValueError, match="vacío"):
        load_language(_write(tmp_path, "# solo un comentario\n"))


# --------------------------------------------------------------------------- shortcuts

# normalize() skips patterns that cannot match and the unicodedata passes where they change
# nothing: it must give what running every step always gives (this reference is that).
def _every_step(text: str, abbreviations: dict[str, str]) -> str:
    import unicodedata

    from bot import textnorm as t

    text = text.lower().translate(t._ACCENTS)
    if not all(ch.isascii() or ch == "ñ" for ch in text):
        text = unicodedata.normalize("NFC", text).replace("ñ", "\x01")
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.replace("\x01", "ñ").translate(t._ACCENTS)
    text = t._DOTTED_ACRONYM.sub(t._join_dotted, text)
    text = t._THOUSANDS.sub("", text)
    text = t._NUMBER_JOIN.sub("-", text)
    text = t._NON_WORD.sub(" ", text)
    text = t._STRAY_HYPHEN.sub(" ", text)
    text = t._LONG_LR.sub(r"\1\1", t._LONG_RUN.sub(r"\1", text))
    text = t._DOUBLE_VOWEL.sub(r"\1", text)
    text = t._LAUGH.sub(" ", text)
    text = t._NUMBER_SIGN.sub("", text)
    return " ".join(abbreviations.get(w, w) for w in text.split())


TRICKY = [
    "¿Qué es la IPC? ¡Gracias! «ley» “30.364” 👍🙏",
    "D.S. N° 004-2020-MIMP y la R.M. 288 / 2023, art. 1.2",
    "la ley n° 30364 ... y el nro. 27444 – jajaja xd holaaa",
    "n\u0303andu\u0301 y cafe\u0301 con e\u0301",  # decomposed marks
    "x\x01y ¿\x01?",  # a control character beside a mark that takes the slow path
    "² ½ ﬁ …  \u00a0 \u2009 ½x",  # compatibility forms: NFKD changes them
    "한국 \u1100\u1161 \u0bc6\u0bbe ¿?",  # letters that compose with their neighbours
    "👨\u200d👩\u200d👧 ✔️ 🇵🇪 ❤ ©®™ — ‐ ‑ ·•",
    "٣٠٣٦٤ y ۲۰۲۳ hahaha jeje -guion- 12 - 3 12 -¿3",
    "jejeje ok",
    "xdd listo",
]


def test_shortcuts_change_nothing() -> None:
    from benchmarks.faq import DEFAULT_DEV, load_dev

    texts = list(TRICKY)
    sets = [DEFAULT_DEV, *sorted((Path(__file__).parents[1] / "benchmarks" / "sets").glob("*"))]
    for path in sets:
        if path.exists():
            dev = load_dev(path)
            texts += [q for q, _ in dev["preguntas"] + dev["no_crisis"] + dev["crisis"]]
            texts += list(dev["fuera_de_tema"])
    assert len(texts) > 500
    for text in texts:
        for abbreviations in ({}, ABBREVIATIONS):
            assert normalize(text, abbreviations) == _every_step(text, abbreviations), text
