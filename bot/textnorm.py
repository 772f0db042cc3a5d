"""Text normalisation for how officers write on a phone: no accents, typos, chat abbreviations.

Everything here is pure and fast (precompiled regexes, one translation table), because it runs
on every message. The language data staff can edit (abbreviations, acronyms, synonyms, small
talk, crisis words) lives in knowledge/lenguaje.yaml and is loaded by `load_language`, which
reports a broken file with its path and line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.schemas.language import CRISIS_KEYS, LanguageFile
from bot.yamlschema import Problem, YamlFile, validate

__all__ = ["CRISIS_KEYS"]


DEFAULT_LANGUAGE_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "lenguaje.yaml"

# Common accented letters map straight to ASCII; "ñ" is kept because "año" and "ano" differ
# in meaning (matching folds it later with `fold_enie`, where tolerance is what we want).
_ACCENTS = str.maketrans(
    {
        "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a",
        "é": "e", "è": "e", "ê": "e", "ë": "e",
        "í": "i", "ì": "i", "î": "i", "ï": "i",
        "ó": "o", "ò": "o", "ô": "o", "ö": "o", "õ": "o",
        "ú": "u", "ù": "u", "û": "u", "ü": "u",
        "ç": "c",
        "°": " ", "º": " ", "ª": " ",
        "–": "-", "—": "-", "‐": "-", "‑": "-",
    }
)  # fmt: skip

# Dotted acronyms ("D.S.", "R.M.", "EE.UU.") become one token before dots turn into spaces.
_DOTTED_ACRONYM = re.compile(r"\b((?:[a-zñ]{1,2}\.){2,})")
# "30.364" / "30,364" are thousand separators in a norm number, not two numbers.
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}\b)")
# Norm numbers keep their hyphen between digits: "288-2023", "004 / 2020" -> "004-2020".
_NUMBER_JOIN = re.compile(r"(?<=\d)\s*[-/_]\s*(?=\d)")
_NON_WORD = re.compile(r"[^a-z0-9ñ\s-]+")
_STRAY_HYPHEN = re.compile(r"(?<!\d)-|-(?!\d)")
# "n° 30364", "nro. 30364": the number sign carries nothing.
_NUMBER_SIGN = re.compile(r"\b(?:n|nro|num|no)\s+(?=\d)")
# Elongations ("holaaa", "porfaaa"): three or more of a letter become one, except l and r
# where a double is real Spanish ("llamar", "perro"). Doubled a/i/u/s are never Spanish.
_LONG_RUN = re.compile(r"([a-km-qs-zñ])\1{2,}")
_LONG_LR = re.compile(r"([lr])\1{2,}")
_DOUBLE_VOWEL = re.compile(r"([aius])\1")
_LAUGH = re.compile(r"\b(?:(?:j+[aeiou]+){2,}j*|(?:ha){2,}h?|xd+)\b")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


# Small hand-written Spanish stopword list: function words that carry no topic. Question words
# are NOT here ("cuantas instancias" and "como crear una instancia" are different questions).
def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: frozenset[str] = word_set(
    """
    a al ante bajo con contra de del desde durante en entre hacia hasta para por segun sin sobre
    tras el la los las lo le les un una unos unas uno y o u e ni que se es son sea ser esta estan
    este esto estos estas ese esa eso esos esas aquel mi mis tu tus su sus nuestro nuestra
    nuestros nuestras me te nos yo usted ustedes ud uds hay ha han he hemos has fue era eran muy
    mas ya tambien pero si sino pues entonces asi aqui alli algo alguna alguno algun cada tan
    tanto puede pueden puedo podria podemos debe deben debo deberia debemos tiene tienen tengo
    tenemos hacer hace hacen hago favor quisiera quiero queria necesito saber consulta
    pregunta preguntar informacion info acerca respecto tema sobre bueno ok otra otro
    otros otras dime digame diga explicame explique cual cuales alguien nadie algo
    saco saca sacan sacar obtengo obtener obtiene conseguir consigo tramito tramitar tramita
    pongo poner da dan dar doy puedes disculpe disculpa disculpen molestia molestar queremos
    quisieramos somos soy estamos podria podrian podrias ayudarme ayudarnos orientarme
    orientarnos indicar indicarme indiqueme va van vamos voy iba iban
    estar estoy estaba estabamos tener tienes tenia teniamos bien
    tenga tengan tendria tendrian ella ellas ellos cosa cosas seria serian sido estaria vendria
    hablaron mencionaron comentaron dijeron explicaron saluda saludan saludo saludos saludarle
    saludarles saludamos escribe escribo escribimos
    """
)
# Words that ask "what kind" of answer is wanted; useful to tell entries apart, never enough
# alone to claim a topic.
QUESTION_WORDS: frozenset[str] = word_set(
    "quien quienes como cuando donde cuanto cuanta cuantos cuantas porque"
)


@dataclass(frozen=True)
class Language:
    """The editable language data of knowledge/lenguaje.yaml, already normalised."""

    abbreviations: Mapping[str, str] = field(default_factory=dict)
    acronyms: Mapping[str, str] = field(default_factory=dict)  # sigla -> expansion
    synonyms: Mapping[str, str] = field(default_factory=dict)  # variant phrase -> canonical
    smalltalk: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> phrases
    filler: frozenset[str] = frozenset()  # vocatives and courtesy words ("ingeniero", "bot")
    crisis: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Section `contexto`: how a long message wraps its question. `introductions` open a clause
    # that only presents the writer or thanks ("le escribe", "mi nombre es", "disculpe la
    # hora"); `askings` open the question itself ("queria saber", "mi consulta es").
    introductions: tuple[str, ...] = ()
    askings: tuple[str, ...] = ()
    # Section `otros_temas`: other public matters an officer may ask about ("siaf", "vaso de
    # leche", "servicio civil"); named in a question, only an entry that names them answers.
    other_matters: tuple[str, ...] = ()
    source: str = "<memoria>"

    def normalize(self, text: str) -> str:
        return normalize(text, self.abbreviations)


def _strip_accents(text: str) -> str:
    text = text.translate(_ACCENTS)
    if text.isascii() or text.replace("ñ", "").isascii():
        return text
    if "\x01" not in text and all(map(_inert, set(text))):
        return text  # "¿", "¡", "“", emoji: what the unicodedata passes below leave as is
    # Rare letters (decomposed marks, other alphabets' accents): keep ñ, drop the rest's marks.
    text = unicodedata.normalize("NFC", text).replace("ñ", "\x01")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("\x01", "ñ").translate(_ACCENTS)


@lru_cache(maxsize=4096)
def _inert(ch: str) -> bool:
    """Is a character one that `_strip_accents`' unicodedata passes leave as it is, wherever
    it stands: ASCII, ñ, or a punctuation mark or symbol that neither decomposes nor combines
    ("¿", "¡", "«", "“", most emoji)? (Letters and marks may compose with their neighbours.)"""
    if ch.isascii() or ch == "ñ":
        return True
    return (
        unicodedata.category(ch)[0] in "PS"
        and not unicodedata.combining(ch)
        and unicodedata.normalize("NFKD", ch) == ch
        and unicodedata.normalize("NFC", ch) == ch
    )


def _join_dotted(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "") + " "


def normalize(text: str, abbreviations: Mapping[str, str] | None = None) -> str:
    """Lowercase, strip accents (keep ñ), drop punctuation, undo elongations, expand chat
    abbreviations and collapse spaces. Norm numbers keep their hyphen ("288-2023").

    Without `abbreviations`, those of the default knowledge/lenguaje.yaml are used.
    """
    if abbreviations is None:
        abbreviations = default_language().abbreviations
    text = _strip_accents(text.lower())
    # A pattern that needs a dot, a digit, a hyphen or a "j"/"ha"/"xd" to match is skipped
    # when the text has none (most messages have no digit): each would scan the text for
    # nothing. No step below creates a digit.
    digits = _DIGIT.search(text) is not None
    if "." in text:
        text = _DOTTED_ACRONYM.sub(_join_dotted, text)
    if digits:
        text = _THOUSANDS.sub("", text)
        text = _NUMBER_JOIN.sub("-", text)
    text = _NON_WORD.sub(" ", text)
    if "-" in text:
        text = _STRAY_HYPHEN.sub(" ", text)
    text = _LONG_LR.sub(r"\1\1", _LONG_RUN.sub(r"\1", text))
    text = _DOUBLE_VOWEL.sub(r"\1", text)
    if "j" in text or "ha" in text or "xd" in text:
        text = _LAUGH.sub(" ", text)
    if digits:
        text = _NUMBER_SIGN.sub("", text)
    words = text.split()
    if abbreviations:
        words = [abbreviations.get(w, w) for w in words]
    return " ".join(words)


def collation_key(text: str) -> str:
    """Sort key for Spanish lists of names: accents and case do not count («Áncash» before
    «Apurímac»), and ñ comes after every n («Nanchoc», «Nazca», «Ñuñoa»)."""
    return _strip_accents(text.lower()).replace("ñ", "n\x7f")


def fold_enie(text: str) -> str:
    """ñ -> n, for matching: people type "ano", "warmi nan" and "contrasena" all the time."""
    return text.replace("ñ", "n")


def tokens(text: str) -> list[str]:
    """Split normalised text into words."""
    return text.split()


def content_tokens(words: list[str]) -> list[str]:
    """Drop stopwords; keep question words, numbers and everything else."""
    return [w for w in words if w not in STOPWORDS]


# Light Spanish stemmer: strip one inflectional/derivational suffix, keep at least 3 letters,
# then cut to 7 letters so "municipio"/"municipalidad" and "distrito"/"distrital" meet.
_SUFFIXES = tuple(
    sorted(
        """
        aciones iciones uciones amientos imientos amiento imiento acion icion ucion
        iaron iando iados iadas iado iada iar ian
        aron ieron ando iendo adoras adores adora ador atorios atorias atorio atoria
        ados adas idos idas ado ada ido ida antes ante entes ente idades idad ales al
        amos emos imos aban aba ara ian ia ar er ir an en as es os a e o s
        """.split(),  # noqa: SIM905 - a list of 60 quoted suffixes would be harder to read
        key=len,
        reverse=True,
    )
)
STEM_LENGTH = 7
# Pronouns attached to an infinitive or a gerund ("crearla", "instalarlo", "integrandola"):
# "¿está obligado a crearla?" asks about creating.
_CLITIC = re.compile(r"(?:(?<=[aei]r)|(?<=ndo))(?:sela|selo|las|los|les|nos|la|lo|le|se|me)$")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Crude but consistent stem: the same on both sides is all matching needs."""
    if word[:1].isdigit() or len(word) <= 3:
        return word
    if len(word) >= 6:
        word = _CLITIC.sub("", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:STEM_LENGTH]


# --------------------------------------------------------------------------- language file


class LanguageError(ValueError):
    """lenguaje.yaml is broken: every problem, each with file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_language(path: Path) -> Language:
    """Read knowledge/lenguaje.yaml; a broken file raises LanguageError naming file and line."""
    found = YamlFile.read(Path(path), as_written=True)
    parsed = validate(found, LanguageFile) if not found.problems else None
    if parsed is None:
        raise LanguageError(found.problems)

    def base(text: str) -> str:
        return normalize(text, {})

    abbreviations: dict[str, str] = {}
    for key, value in parsed.abreviaturas.items():
        short = base(key)
        if " " in short or not short:
            found.at(("abreviaturas", key), f"abreviatura {key!r}: debe ser una sola palabra.")
        abbreviations[short] = base(value)

    acronyms: dict[str, str] = {}
    for key, value in parsed.siglas.items():
        sigla = fold_enie(base(key))
        if " " in sigla or not sigla:
            found.at(("siglas", key), f"sigla {key!r}: debe ser una sola palabra.")
        acronyms[sigla] = fold_enie(base(value))

    synonyms: dict[str, str] = {}
    for key, variants in parsed.sinonimos.items():
        canonical = fold_enie(base(key))
        for i, text in enumerate(variants):
            variant = fold_enie(base(text))
            if variant in synonyms and synonyms[variant] != canonical:
                found.at(
                    ("sinonimos", key, i),
                    f"sinónimos de {key!r}: {variant!r} ya es sinónimo de "
                    f"{synonyms[variant]!r}; déjelo en uno solo.",
                )
            synonyms[variant] = canonical
    if found.problems:
        raise LanguageError(sorted(found.problems, key=lambda p: p.line))

    return Language(
        abbreviations=abbreviations,
        acronyms=acronyms,
        synonyms=synonyms,
        smalltalk={
            kind: tuple(fold_enie(normalize(p, abbreviations)) for p in phrases)
            for kind, phrases in parsed.charla.items()
        },
        filler=frozenset(fold_enie(normalize(w, abbreviations)) for w in parsed.relleno),
        crisis={
            key: tuple(base(item) for item in words)
            for key, words in parsed.crisis
            if key in parsed.crisis.model_fields_set
        },
        introductions=tuple(
            fold_enie(normalize(p, abbreviations)) for p in parsed.contexto.presentacion
        ),
        askings=tuple(fold_enie(normalize(p, abbreviations)) for p in parsed.contexto.pedido),
        other_matters=tuple(fold_enie(normalize(p, abbreviations)) for p in parsed.otros_temas),
        source=str(path),
    )


@lru_cache(maxsize=1)
def default_language() -> Language:
    """The repository's knowledge/lenguaje.yaml, loaded once (empty if it is missing)."""
    if not DEFAULT_LANGUAGE_PATH.exists():
        return Language()
    return load_language(DEFAULT_LANGUAGE_PATH)
