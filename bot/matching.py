"""Match an officer's question, in their own words, to a knowledge-base entry.

How it decides (in the spirit of Rasa's fallback policy):
  1. Normalise once (textnorm), fold ñ, strip greetings and thanks at both ends, replace
     synonyms and add the expansion after each acronym ("ipc" -> "ipc instancia provincial de
     concertacion") so that the acronym and the full name meet.
  2. Stem the content words and weight them by IDF over entries: a distinctive word ("ruva",
     "quechua", "exconvivientes") decides, a word most entries have ("ley", "instancia") barely
     counts, and a word the knowledge base never uses ("dni", "ceviche") weighs against the
     match. A stem one typo away from a known stem counts for a little less.
  3. An entry's score is half its best question variant (a weighted harmonic mean of how much
     of the question the variant explains and how much of the variant the question covers) and
     half its coverage of the question, where words from its title, keywords and synonyms count
     fully and words only found in its variants count half. A question with exactly the stems
     of one of an entry's variants scores 1 ("que es la IDC" is the definition, even though
     "idc" is a keyword of the entry on its members); an acronym itself weighs half, as its
     expansion already carries the concept ("como se crea la IPC" is about creating).
     "que es" / "para que sirve" leave a light marker, so the definition of a topic wins over
     its other entries ("q es la instancia distrital" is not its member list).
  4. Long chat messages are read in parts (`_parts`): clauses split at punctuation, commas and
     "?"; the writer's introduction ("le escribe la encargada de...", "disculpe la hora") and
     the context count little and only with words the knowledge base knows, the question (the
     clause with "?", or the one opened by a question word or "queria saber") counts fully. A
     question that only says "it" ("¿como lo elaboramos?") reads its context in full. Two
     questions: the first is answered, the second offered (`Match.also`).
  5. Bands: which entry comes first, and whether it is answered, is for two small models
     fitted on sets written independently of the knowledge base (bot/answer_ranking.py,
     fitted leaving one set out by benchmarks/fit_ranking.py). The candidates are the
     matcher's best entries and those of three BM25 readings over Snowball stems
     (bot/bm25.py): the whole message, its question with the context, and the question in
     the knowledge base's words. The matcher and BM25 err in different ways, so the ranking
     weighs both; the answer model reads how sure the ranking is and how strongly each
     reading read the message. A question that is one of an entry's variants, or one plain
     question the matcher wins clearly, is answered without them (BM25 knows no synonym). An
     answer must be backed by enough distinctive words of the question, and an entry about one
     level (district, province, region) is never the answer to a message naming only others.
     "suggest" (¿Quiso decir…?) otherwise, in the ranking's order, the matcher's own first
     always among them; "unknown" when nothing fits well, still offering the best. A
     two-word question must name what the entry is about ("que dia es hoy" is not the
     figures entry). Greetings, thanks, "ok" and the date are "smalltalk",
     never a wrong answer; a greeting in front of a question is stripped and the question
     answered. A message without letters or digits ("?", "...", "👍") is "smalltalk" of kind
     "vacio" (or the kind its emoji says), never logged. A norm the knowledge base does not
     hold, by number ("ley 27444") or by name ("ley de transparencia", "programa juntos"), is
     "unknown"; so is another public matter (lenguaje.yaml `otros_temas`) no offered entry
     names, a matter an entry names but asked about in itself, a thing named by a generic
     head and a word the knowledge base never uses ("plan de desarrollo urbano"), and a
     question made mostly of such words (`Matcher._off_topic`).

No Telegram, no model to download (BM25 is numpy). Everything that can be precomputed is, in
`Matcher.build`; a match is a few dictionary passes, array operations over every entry and
variant at once (`Matcher.scores`) and three BM25 readings. Thresholds are tuned on the
development set, the officer-style variants in benchmarks/sets and two spent held-out sets
with benchmarks/faq.py; the answer models' coefficients by benchmarks/fit_ranking.py.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot import answer_examples, answer_ranking
from bot.answer_examples import Examples
from bot.bm25 import Bm25Reading, Ranking, fuse
from bot.places import DEFAULT_CSV as PLACES_CSV
from bot.places import normalize as normalize_place
from bot.textnorm import (
    QUESTION_WORDS,
    STOPWORDS,
    Language,
    default_language,
    fold_enie,
    stem,
    word_set,
)
from bot.textnorm import load_language as _load_language

Band = Literal["answer", "suggest", "unknown", "smalltalk"]

# Bands (scores are 0..1); whether to answer is bot/answer_ranking.py's, within the guards.
CLEAR_SCORE = 0.60  # one plain question the matcher wins with this score...
CLEAR_MARGIN = 0.05  # ...and this lead is answered without the models
RANKED_CANDIDATES = 8  # the matcher's best entries the answer ranking weighs...
READING_CANDIDATES = 5  # ...and each BM25 reading's
MIN_EVIDENCE = 1.8  # IDF mass of matched topic words an answer needs (one generic word is not)
SHORT_QUESTION = 2  # stems up to which a question must name what the entry is about
# Every reading puts the ranking's first first, the ranking is this sure, the message is short
# and names what the entry is about: answered, whatever the answer model says (`unanimous`).
UNANIMOUS_STEMS = 10
UNANIMOUS_PROBABILITY = 0.95
UNANIMOUS_SCORE = 0.52
STRONG_SCORE = 0.75  # a best score this high and this far ahead answers even on one generic
STRONG_MARGIN = 0.2  # word ("q es eso de la instancia" -> the definition)
SUGGEST_THRESHOLD = 0.5  # below this nothing fits well: "unknown" (still offering entries)
VAGUE_THRESHOLD = 0.25  # "unknown" still lists entries scoring at least this
SUGGEST_SPREAD = 0.22  # suggestions stay within this distance of the best
MAX_SUGGESTIONS = 3

# Scoring.
RECALL_WEIGHT = 0.5  # variant score: weight of recall in the harmonic mean with precision
VARIANT_WEIGHT = 0.5  # entry score = this * best variant + (1 - this) * coverage
VOCABULARY_CREDIT = 0.5  # coverage credit of a word found in variants but not in keywords/title
QUESTION_WORD_CAP = 0.8  # weight cap of "cuantos", "quien": they tell entries apart, no more
# "que es" tells the definition from the other entries on a topic: it weighs this much in an
# entry's variants, and less in the question, so that "que es <something we do not hold>" is not
# drawn to the definitions.
DEFINITION_WEIGHT = 0.5
DEFINITION_QUERY_WEIGHT = 0.4
UNKNOWN_WORD_FACTOR = 1.0  # weight of the first word the KB never uses, relative to the rarest
TYPO_SIMILARITY = 0.85  # credit of a stem one edit away from a known stem
# An acronym is followed by its expansion ("ipc instancia provincial de concertacion"), so the
# concept is already there; the acronym itself, rare in the knowledge base and so of high IDF,
# would otherwise outweigh the rest of the question ("como se crea la IPC" is about creating).
ACRONYM_WEIGHT = 0.5

# A number the knowledge base never mentions, with five digits (Peruvian laws: "27444") or
# right after the name of a norm ("ds 004", "rm 123-2020"), cites a norm out of scope.
NORM_NUMBER_DIGITS = 5
NORM_NUMBER_MAX_DIGITS = 6  # longer ones are a DNI (8) or a phone (9), not a law's number
NORM_WORDS = frozenset(
    stem(w)
    for w in (
        *("ley", "decreto", "ds", "dl", "rm", "rs", "resolucion", "ordenanza", "directiva"),
        *("supremo", "suprema", "legislativo", "ministerial"),  # last word of "ds", "dl"...
    )
)

# What qualifies "the law" without naming another ("la ley original ya no es igual").
NORM_QUALIFIERS = frozenset(
    stem(w)
    for w in (
        "original", "vigente", "actual", "nueva", "anterior", "antigua", "misma", "citada",
        # Where a norm comes out: "ya salió la ordenanza en el diario (oficial), en El Peruano".
        "diario", "peruano", "oficial", "publicada", "aprobada",
    )
)  # fmt: skip
LOCAL_NORM_WORDS = frozenset(stem(w) for w in ("ordenanza", "resolucion", "directiva"))
# A generic head noun right before a word the knowledge base never uses names something else:
# "programa juntos", "sistema siaf", "plataforma sisfoh". As written: a stem alone would also
# take "proyector" for "proyecto".
NAMED_HEAD_WORDS = frozenset(
    f"{w}{end}"
    for w in ("programa", "sistema", "plataforma", "proyecto", "politica", "estrategia")
    for end in ("", "s")
)
NAMED_HEADS = frozenset(stem(w) for w in NAMED_HEAD_WORDS)

# Other matters (lenguaje.yaml `otros_temas`) come with the body they belong to ("el comite
# del vaso de leche", "vaso de leche por comite"): that "comite" is not the instancia.
MATTER_BODIES = "|".join(
    (
        *("comite", "comites", "comision", "comisiones", "programa", "programas", "club"),
        *("clubes", "organizacion", "organizaciones", "mesa", "consejo", "junta", "plataforma"),
        *("sistema", "oficina", "area"),
    )
)
# Generic heads that name a thing by what follows them: followed by a word the knowledge base
# never uses, they name something it does not hold ("plan de desarrollo urbano").
# Nouns as written, with their plurals: "registrar casos" is not "el registro de...".
FOREIGN_HEADS = frozenset(
    form
    for w in (
        *("programa", "sistema", "plataforma", "proyecto", "politica", "estrategia", "plan"),
        *("presupuesto", "comite", "comision", "consejo", "junta", "licencia", "certificado"),
        *("constancia", "padron", "expediente", "tramite", "registro"),
    )
    for form in (w, w + ("es" if w[-1] in "nl" else "s"))
)
FOREIGN_REACH = 2  # words after the head (besides "de", "del") that may name the thing
# Modifiers that say which one, not what: "el plan del proximo año" is still the plan.
COMMON_MODIFIERS = frozenset(
    (
        *("proximo", "proxima", "siguiente", "nuevo", "nueva", "actual", "pasado", "pasada"),
        *("mismo", "misma", "propio", "propia", "anterior", "ultimo", "ultima", "primer"),
        *("primero", "primera"),
    )
)
# Words of any municipal question: known to the knowledge base, they tell nothing of its topic.
GENERIC_STEMS = frozenset(
    stem(w) for w in ("municipalidad", "distrito", "provincia", "jefe", "gerente")
)
INSTANCIA = stem("instancia")
_ARTICLES = frozenset(("el", "la", "los", "las"))
MOSTLY_UNKNOWN = 2  # unknown topic words from which a question may be about something else...
UNKNOWN_RATIO = 2  # ...when they are this many times the known ones

# The levels of government an instancia belongs to: an entry about one level is not answered to
# a message that names only others ("la idc q entidades la forman" is not the regional list).
LEVELS = frozenset(stem(w) for w in ("distrital", "provincial", "regional"))

LONG_QUESTION = 8  # content words from which a message may hold context around the question
QUESTION_TAIL = 2  # words of a "?" clause that only ends the question before it ("es cierto?")
MAX_CLAUSES = 12  # clauses of a long message read (the question is rarely past these)
# Words of a long message outside its question ("soy del area de la mujer, recien me encargaron
# el tema, ..., ¿como se instala la instancia?") count this much, and only when the knowledge
# base knows them: they may say the level or the topic, never outweigh the question.
CONTEXT_WEIGHT = 0.35
INTRODUCTION_WEIGHT = 0.2  # ...and words of the writer's self-introduction (the level, often)
DEFINITION = "quees"  # "que es", "para que sirve", "en que consiste": asks for the definition
MAX_CHARS = 2000  # a long message keeps its head and its tail (the question is often last)
MAX_WORDS = 60
_TYPO_CACHE_SIZE = 20000
_MEMO_SIZE = 256  # normalised texts remembered within one match (a message has far fewer)

# When a message holds several kinds of small talk, the reply follows the first of these.
SMALLTALK_PRIORITY = ("insulto", "despedida", "gracias", "saludo", "consulta", "negacion")

# Messages without a single letter or digit are small talk: of this kind, or of the kind of
# the first emoji below found in them. Never looked up, never logged as a question.
EMPTY_KIND = "vacio"
INTRODUCTION_KIND = "presentacion"  # who writes, nothing asked yet...
INTRODUCTION_WORDS = 10  # ...in at most this many words, none a question word
SYMBOL_SMALLTALK = {
    "gracias": ("🙏", "🤗", "❤", "💜"),
    "afirmacion": ("👍", "👌", "✅", "🙂", "😊", "👏", "💪", "✔"),
    "saludo": ("👋",),
    "insulto": ("👎", "😡", "🤬", "💩"),
}

# Clauses: sentences, and the comma-separated parts of chat messages. A "?" ends a question.
# The writer's own identifiers: a document or a phone named with its number ("DNI 45678912",
# "mi cel 987 654 321"), or a DNI, a mobile or a Lima landline on its own. Who writes, not what
# is asked: read, "dni" is another public matter, "cel" a word of the bot's registration and
# the number a law's. One identifier at a time: numbers side by side ("ley 27444 2001",
# "ds 009 2016 mimp") are a norm and its year. Only the officer's text is cleaned.
_IDENTIFIER = re.compile(
    r"\b(?:dni|ruc|documento|carn[eé]|pasaporte|cel|celular|tel[eé]fono|telf|fono|m[oó]vil|"
    r"whats?app|wsp)\b[\s.:#°º-]*(?:es\s+|de\s+)?\+?\d[\d\s.-]{4,}\d"
    r"|(?<![\d-])(?:\d{8}|(?:\+?51[\s.-]?)?9\d{2}(?:[\s.]?\d{3}){2}|0?1[\s.]?\d{7})(?![\d-])",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t]{2,}")  # what a removed identifier leaves (line breaks stay: clauses)
_PLAIN_TEXT = re.compile(r"[a-z0-9 ]*")  # words of letters and digits, and spaces
_CLAUSE_BREAK = re.compile(r"(\?+)|([.!;:\n]+)|,|[¿¡]")
# "que es", and the same asked another way: "q cosa es", "q vendria a ser", "que significa";
# not a "que" that says something ("creo que son cuatro", "dice que es obligatorio").
_DEFINITION = re.compile(
    r"(?<!creo )(?<!dice )(?<!dicen )(?<!parece )(?<!pienso )(?<!sabemos )(?<!entiendo )"
    r"\bque (?:(?:cosa )?(?:es|son)|(?:vendria|vendrian) a ser|significa)\b"
)

QUESTION_WORDS_STEMS = frozenset(stem(w) for w in QUESTION_WORDS) | QUESTION_WORDS | {DEFINITION}
# Words that open a question inside a longer clause ("nadie me explica bien q es eso de la
# instancia"): the question starts there.
_QUESTION_OPENERS = frozenset(QUESTION_WORDS | {DEFINITION, "cual", "cuales", "cuantas"})


@dataclass(frozen=True)
class Match:
    band: Band
    entry_id: str | None
    score: float
    suggestions: tuple[str, ...] = ()
    smalltalk: str | None = None
    also: tuple[str, ...] = ()  # a second question in the same message: entries to offer
    # "unknown" because it is about another matter (another norm, another public matter, off
    # topic): nothing to suggest, and no gap of the knowledge base to log.
    elsewhere: bool = False


@dataclass(frozen=True, slots=True)
class _Decision:
    match: Match
    confidence: float  # that its answer is right: 1.0 for a clear first, else the model's


class _EntryLike(Protocol):
    titulo: str
    preguntas: tuple[str, ...]
    palabras_clave: tuple[str, ...]
    sinonimos: tuple[str, ...]


def load_language(path: Path) -> Language:
    """Read knowledge/lenguaje.yaml (LanguageError, a ValueError, names file and line)."""
    return _load_language(path)


def top_ids(match: Match) -> tuple[str, ...]:
    """The entry ids a reply offers: the answer, or the suggestions."""
    return ((match.entry_id,) if match.entry_id else ()) + match.suggestions


@dataclass(frozen=True, slots=True)
class _Variant:
    entry: int
    weights: dict[str, float]  # stem -> IDF weight
    stems: frozenset[str]
    total: float


@dataclass(frozen=True, slots=True)
class _Query:
    stems: list[str]
    weights: list[float]
    candidates: list[dict[str, float]]  # per stem: known stem -> similarity
    total: float
    evidence: bool  # some topic word (not a question word) is known to the KB
    context: frozenset[int] = frozenset()  # indices of words from around the question
    # `_known_words` and `_topic_words`, read once: every decision on the query asks again.
    _known: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _topic: list[tuple[float, dict[str, float]]] | None = field(
        default=None, repr=False, compare=False
    )


class Matcher:
    """Built once per knowledge base with `Matcher.build`; `match` is then pure and fast."""

    def __init__(self, ids: tuple[str, ...], language: Language) -> None:
        self.ids = ids
        self._index = {entry_id: i for i, entry_id in enumerate(ids)}
        self.language = language
        self.variants: list[_Variant] = []
        self.entry_variants: list[list[int]] = [[] for _ in ids]
        self.entry_vocabulary: list[frozenset[str]] = []
        self.entry_about: list[frozenset[str]] = []  # stems of title, keywords and synonyms
        # stem -> (entries, their credits), as arrays: `scores` adds a stem to all at once
        self.entry_postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.idf: dict[str, float] = {}
        self._numbers: dict[int, tuple[str, ...]] = {}  # known numbers by length (a law's)
        self.vocabulary: list[str] = []
        self.unknown_weight = 1.0
        self.min_evidence = MIN_EVIDENCE
        self._typo_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._word_stems: dict[str, str | None] = {}  # word -> `_word_stem`, bounded as typos
        self._memo: dict[str, str] = {}  # raw text -> normalised, within one match
        # normalised text -> (its stems, the acronyms met), within one match
        self._stems_memo: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
        # normalised text -> its Snowball stems, for every BM25 reading, within one match
        self._bm25_memo: dict[str, tuple[str, ...]] = {}
        self._query_memo: dict[tuple[object, ...], _Query] = {}  # `_query`, within one match
        self._leading_memo: dict[tuple[tuple[str, ...], bool], _LeadingWords] = {}  # the same
        self.exact_variants: dict[frozenset[str], frozenset[int]] = {}  # stems -> entries
        # stem -> (variants, its weight in each), and each variant's total weight
        self.variant_postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.variant_totals = np.zeros(0)
        self._variant_entries = np.zeros(0, dtype=np.intp)  # entries that have variants...
        self._variant_starts = np.zeros(0, dtype=np.intp)  # ...and where theirs start
        # BM25 readings (bot/bm25.py): over the entries' own words, and over them with the
        # synonyms and acronyms of knowledge/lenguaje.yaml.
        self.bm25: Bm25Reading | None = None
        self.bm25_worded: Bm25Reading | None = None
        # ...and over the entries' answers: an officer's words ("ordenanza", "acta", "DEMUNA")
        # are often in the answer, not in the questions.
        self.bm25_answers: Bm25Reading | None = None
        # ...and over what officers wrote when they asked for each entry (bot/answer_examples.py).
        self.bm25_examples: Bm25Reading | None = None
        self.examples_sources: tuple[str, ...] = ()
        self._entry_tokens: list[list[str]] = []  # what BM25 reads of each entry's own words
        # Other public matters (lenguaje.yaml `otros_temas`) and, per entry, those it names.
        self._other_matters = (
            re.compile(
                r"(?<!\S)(?:"
                + "|".join(map(re.escape, sorted(language.other_matters, key=len, reverse=True)))
                + r")(?!\S)"
            )
            if language.other_matters
            else None
        )
        self.entry_matters: list[frozenset[str]] = []
        self._introductions = frozenset(language.introductions)  # see `_introduces`
        # Phrases that open the question ("queria saber"), as words; one written otherwise
        # than normalised text (never met in a message's words) is left out.
        self._askings = tuple(
            tuple(p.split()) for p in language.askings if " ".join(p.split()) == p
        )
        # The same phrases, by their first word with their lengths in words, longest first.
        self._matter_phrases = frozenset(language.other_matters)
        self._other_matters_plain = True
        lengths: dict[str, set[int]] = {}
        for phrase in language.other_matters:
            words = phrase.split()
            if words and " ".join(words) == phrase:
                lengths.setdefault(words[0], set()).add(len(words))
            else:  # not as normalised text writes it: only the regex finds it
                self._other_matters_plain = False
        self._matter_lengths = {w: sorted(n, reverse=True) for w, n in lengths.items()}
        # The same, with the body each belongs to ("el comite del vaso de leche", "vaso de leche
        # por comite"): that "comite" is the matter's, not the instancia.
        self._matter_spans = (
            re.compile(
                rf"(?<!\S)(?:(?:{MATTER_BODIES})\s+(?:(?:de|del)\s+)?(?:(?:el|la|los|las)\s+)?)?"
                + "(?:"
                + "|".join(map(re.escape, sorted(language.other_matters, key=len, reverse=True)))
                + r")(?:\s+(?:por|de|del|en)\s+(?:cada\s+)?(?:el\s+|la\s+)?"
                + rf"(?:{MATTER_BODIES}))?(?!\S)"
            )
            if language.other_matters
            else None
        )
        # Words of up to three letters the knowledge base writes (and the singulars of its
        # short plurals): None while building.
        self._short_words: frozenset[str] | None = None

        synonyms = language.synonyms
        self._synonyms = (
            re.compile(
                r"\b(?:"
                + "|".join(map(re.escape, sorted(synonyms, key=len, reverse=True)))
                + r")\b"
            )
            if synonyms
            else None
        )
        # The synonym phrases by their first word, with their lengths in words, longest
        # first; None when one is written otherwise than plain words (only the regex has it).
        synonym_lengths: dict[str, set[int]] | None = {}
        for phrase in synonyms:
            words = phrase.split(" ")
            if synonym_lengths is None or not _PLAIN_TEXT.fullmatch(phrase) or "" in words:
                synonym_lengths = None
                continue
            synonym_lengths.setdefault(words[0], set()).add(len(words))
        self._synonym_lengths = (
            {w: sorted(n, reverse=True) for w, n in synonym_lengths.items()}
            if synonym_lengths
            else None
        )
        self._acronyms = {k: tuple(v.split()) for k, v in language.acronyms.items()}
        phrases: dict[str, str] = {}
        for kind in sorted(language.smalltalk, key=_priority):
            for phrase in language.smalltalk[kind]:
                phrases.setdefault(phrase, kind)
        for word in language.filler:
            phrases.setdefault(word, "")  # courtesy: stripped, but not small talk by itself
        self._smalltalk = phrases
        self._smalltalk_longest = max((len(p.split()) for p in phrases), default=0)

    # ------------------------------------------------------------------ build

    @classmethod
    def build(
        cls, kb: Any, language: Language | None = None, examples: Examples | None = None
    ) -> Matcher:
        """Precompute every variant's stems and weights, the IDF table and the postings.

        `kb` needs only `entries`: a mapping of id to objects with titulo, preguntas,
        palabras_clave and sinonimos (bot.knowledge.Entry has them). `examples` are the
        officers' questions per entry (default: bot/answer_examples.json).
        """
        entries: Mapping[str, _EntryLike] = kb.entries
        matcher = cls(tuple(entries), language or default_language())
        analyse = matcher._analyse

        raw: list[tuple[int, list[str]]] = []
        about: list[set[str]] = []  # title, keywords, synonyms: what the entry is about
        vocab: list[set[str]] = []  # every stem of the entry
        documents: list[str] = []  # per entry, for the BM25 reading
        for index, entry_id in enumerate(matcher.ids):
            entry = entries[entry_id]
            words: set[str] = set()
            for text in (entry.titulo, *entry.preguntas):
                stems = analyse(text)
                if stems:
                    raw.append((index, stems))
                    words.update(stems)
            # Keywords and synonyms describe the entry but are not questions: a keyword such as
            # "cman" on the Sistema entry must not tie it with the CMAN entry itself.
            described = set(analyse(entry.titulo))
            for text in (*entry.palabras_clave, *entry.sinonimos):
                described.update(analyse(text))
            # BM25 reads the entry's own words only: given the synonyms or the acronyms'
            # expansions too, it agrees with the matcher's mistakes (answered wrong on a spent
            # set: 0.064 -> 0.119 with both, 0.092 with the acronyms).
            document = (entry.titulo, *entry.preguntas, *entry.palabras_clave, *entry.sinonimos)
            documents.append(matcher._normalized(" ".join(document)))
            about.append(described)
            vocab.append(words | described)

        n = max(len(matcher.ids), 1)
        df: dict[str, int] = {}
        for words in vocab:
            for s in words:
                df[s] = df.get(s, 0) + 1
        idf = {s: math.log(1 + n / d) for s, d in df.items()}
        for s in QUESTION_WORDS_STEMS & idf.keys():
            idf[s] = min(idf[s], QUESTION_WORD_CAP)
        if DEFINITION in idf:
            idf[DEFINITION] = min(idf[DEFINITION], DEFINITION_WEIGHT)
        matcher.idf = idf
        for known in idf:
            if known.isdigit():
                matcher._numbers[len(known)] = (*matcher._numbers.get(len(known), ()), known)
        matcher.vocabulary = sorted(idf)
        matcher.unknown_weight = UNKNOWN_WORD_FACTOR * math.log(1 + n)
        # IDF is log(1 + n / df): in a toy knowledge base of a few entries every word is
        # "generic", so the evidence floor shrinks with it there (and is MIN_EVIDENCE above ~50).
        matcher.min_evidence = min(MIN_EVIDENCE, 0.45 * math.log(1 + n))
        matcher.entry_vocabulary = [frozenset(words) for words in vocab]
        matcher.entry_about = [frozenset(words) - QUESTION_WORDS_STEMS for words in about]

        exact: dict[frozenset[str], set[int]] = {}
        for index, stems in raw:
            exact.setdefault(frozenset(stems), set()).add(index)
            weights = {s: idf[s] for s in stems}
            matcher.entry_variants[index].append(len(matcher.variants))
            matcher.variants.append(
                _Variant(index, weights, frozenset(weights), sum(weights.values()))
            )
        postings: dict[str, list[tuple[int, float]]] = {}
        for index, (described, words) in enumerate(zip(about, vocab, strict=True)):
            for s in words:
                credit = 1.0 if s in described else VOCABULARY_CREDIT
                if credit:
                    postings.setdefault(s, []).append((index, credit))
        matcher.entry_postings = {
            s: (np.array([e for e, _ in p], dtype=np.intp), np.array([c for _, c in p]))
            for s, p in postings.items()
        }
        matcher.exact_variants = {k: frozenset(v) for k, v in exact.items()}
        by_stem: dict[str, list[tuple[int, float]]] = {}
        for vi, variant in enumerate(matcher.variants):
            for s, weight in variant.weights.items():
                by_stem.setdefault(s, []).append((vi, weight))
        matcher.variant_postings = {
            s: (np.array([v for v, _ in p], dtype=np.intp), np.array([w for _, w in p]))
            for s, p in by_stem.items()
        }
        matcher.variant_totals = np.array([v.total for v in matcher.variants])
        # Each entry's variants are consecutive: `_best_variants` takes a maximum per run.
        matcher._variant_entries = np.array(
            [e for e, vs in enumerate(matcher.entry_variants) if vs], dtype=np.intp
        )
        matcher._variant_starts = np.array(
            [vs[0] for vs in matcher.entry_variants if vs], dtype=np.intp
        )
        matcher.entry_matters = [matcher._matters(d) for d in documents]
        surface = {w for d in documents for w in d.split()}
        matcher._short_words = frozenset(
            {w for w in surface if len(w) <= 3}
            | {w[:-1] for w in surface if len(w) <= 4 and w.endswith("s")}
            | {w[:-2] for w in surface if len(w) <= 5 and w.endswith("es")}
        )
        _place_words()  # read once, before the first question
        matcher.bm25 = Bm25Reading(documents, memo=matcher._bm25_memo)
        matcher._entry_tokens = [matcher.bm25.tokens(d) for d in documents]
        matcher.bm25_worded = Bm25Reading(
            [matcher._worded(d) for d in documents], memo=matcher._bm25_memo
        )
        matcher.bm25_answers = Bm25Reading(
            [matcher._normalized(getattr(e, "respuesta", "") or "") for e in entries.values()],
            memo=matcher._bm25_memo,
        )
        matcher.use_examples(answer_examples.load() if examples is None else examples)
        matcher.clear_caches()  # stems read while building knew no short words yet
        return matcher

    def use_examples(self, examples: Examples) -> None:
        """Read officers' questions with `examples` from now on (benchmarks/fit_ranking.py
        swaps them to leave each set's own questions out). Each entry's own words join its
        examples: alone, the examples misled questions written otherwise than theirs (put
        first, on a set of short questions written knowing the knowledge base: 0.75 alone,
        0.83 with the entry's words; on the spent sets, as good either way)."""
        self.bm25_examples = Bm25Reading(
            [],
            [
                written + own
                for written, own in zip(
                    examples.documents(self.ids), self._entry_tokens, strict=True
                )
            ],
            memo=self._bm25_memo,
        )
        self.examples_sources = examples.sources

    def example_tokens(self, text: str) -> list[str]:
        """A question's words as the examples reading stores them: what `match` reads of the
        message, greetings, identifiers and place names the knowledge base does not use left
        out (where the writer works tells nothing of what is asked; "juez de paz" does)."""
        assert self.bm25_examples is not None and self.bm25 is not None, "built by build"
        _, rest = self._split_smalltalk(self._normalized(_without_identifiers(text)))
        places, kb = _place_words(), self.bm25
        words = [w for w in rest.split() if w not in places or kb.knows(w)]
        return self.bm25_examples.tokens(" ".join(words))

    # ------------------------------------------------------------------ text pipeline

    def _normalized(self, text: str) -> str:
        """Normalised once per match: a long message's clauses are read several times (to
        find its question, its parts, then off-topic names), and each reading would otherwise
        run every regex of textnorm again. The memo holds one message's texts (`match` and
        `rank` start it afresh), so no call is faster for an earlier one."""
        memo = self._memo
        found = memo.get(text)
        if found is not None:
            return found
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        clipped = text
        if len(clipped) > MAX_CHARS:
            clipped = clipped[: MAX_CHARS * 3 // 4] + " " + clipped[-MAX_CHARS // 4 :]
        found = memo[text] = fold_enie(self.language.normalize(clipped))
        return found

    def _worded(self, text: str) -> str:
        """A normalised text in the knowledge base's words: synonyms replaced, each acronym
        followed by its expansion ("pa q sirve el comite" -> "... instancia")."""
        text = self._replace_synonyms(text)
        words: list[str] = []
        for word in text.split():
            words.append(word)
            words.extend(self._acronyms.get(word, ()))
        return " ".join(words)

    def _replace_synonyms(self, text: str) -> str:
        """Each synonym phrase replaced by the word it stands for, as `_synonyms` replaces
        them (the longest at each word, left to right), by looking words up: the regex tries
        its hundreds of alternatives at every character of a long message. A text of other
        characters than plain words and single spaces (a norm's "288-2023") takes the regex."""
        if self._synonyms is None:
            return text
        synonyms = self.language.synonyms
        if not self._synonym_lengths or not _PLAIN_TEXT.fullmatch(text):
            return self._synonyms.sub(lambda m: synonyms[m.group(0)], text)
        # Split at single spaces: "" stands for each further space, and a phrase, written
        # with single spaces, never spans one.
        words = text.split(" ")
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in self._synonym_lengths.get(words[i], ()):
                phrase = " ".join(words[i : i + n])
                if phrase in synonyms:
                    out.append(synonyms[phrase])
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    def _stems(self, text: str, acronyms_found: set[str] | None = None) -> list[str]:
        """Synonyms replaced, content stems in order, acronyms followed by their expansion.

        The acronyms met are added to `acronyms_found` (see ACRONYM_WEIGHT). Read once per
        match, as `_normalized` (a message's question is read for its topic, its readings and
        its off-topic checks).
        """
        memo = self._stems_memo
        found = memo.get(text)
        if found is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            met: set[str] = set()
            found = memo[text] = (tuple(self._read_stems(text, met)), frozenset(met))
        if acronyms_found is not None:
            acronyms_found.update(found[1])
        return list(found[0])

    def _read_stems(self, text: str, acronyms_found: set[str]) -> list[str]:
        text = self._replace_synonyms(text)
        if "que " in text:  # what `_DEFINITION` needs
            text = _DEFINITION.sub(DEFINITION, text)
        out: list[str] = []
        seen: set[str] = set()
        acronyms = self._acronyms
        known = self._word_stems
        if len(known) >= _TYPO_CACHE_SIZE:
            known.clear()

        def add(word: str) -> None:
            s = known[word] if word in known else known.setdefault(word, self._word_stem(word))
            if s is not None and s not in seen:
                seen.add(s)
                out.append(s)

        for word in text.split():
            if "-" in word:  # norm number "288-2023": people type its parts
                for part in word.split("-"):
                    add(part)
                continue
            add(word)
            if word in acronyms:
                acronyms_found.add(word)
                for extra in acronyms[word]:
                    add(extra)
        if len(out) > MAX_WORDS:
            out = out[: MAX_WORDS * 2 // 3] + out[-MAX_WORDS // 3 :]
        return out

    def _word_stem(self, word: str) -> str | None:
        """A word's stem as matching reads it (None for a stopword): the same wherever the
        word stands, so remembered across messages (`_word_stems`)."""
        if word in STOPWORDS:
            return None
        acronyms = self._acronyms
        s = word if word in acronyms or word == DEFINITION else stem(word)
        short = self._short_words
        if (
            short is not None
            and len(word) <= 3
            and s == word
            and word not in short
            and word not in acronyms
            and not word.isdigit()
        ):
            # "cas" is not "casos" or "casa": a short word the knowledge base never writes
            # is unknown, not the crude stem of longer words.
            s = word + "?"
        return s

    def _analyse(self, text: str) -> list[str]:
        return self._stems(self._normalized(text))

    def stems(self, text: str) -> list[str]:
        """The content stems of `text` as matching reads it (synonyms replaced, acronyms
        followed by their expansion): what two wordings of one question share
        (bot/question_groups.py groups the unanswered questions by them)."""
        return self._analyse(text)

    def _candidates(self, s: str) -> tuple[tuple[str, float], ...]:
        """Known stems a query stem may stand for: itself, or a typo's closest spellings."""
        if s in self.idf:
            return ((s, 1.0),)
        cached = self._typo_cache.get(s)
        if cached is not None:
            return cached
        found: tuple[tuple[str, float], ...] = ()
        if len(s) >= 5 and not s.isdigit():
            # One edit (insertion, deletion, substitution or swap) and the same first letter:
            # a typo, not another word ("prest" must not become "present").
            found = tuple(
                (known, TYPO_SIMILARITY)
                for known, _, _ in process.extract(
                    s, self.vocabulary, scorer=OSA.distance, score_cutoff=1, limit=3
                )
                if known[0] == s[0] and len(known) >= 5 and not known.isdigit()
            )
        if len(self._typo_cache) >= _TYPO_CACHE_SIZE:
            self._typo_cache.clear()
        self._typo_cache[s] = found
        return found

    def clear_caches(self) -> None:
        """Forget remembered typo look-ups (benchmarks start each round cold)."""
        self._typo_cache.clear()
        self._word_stems.clear()
        self._forget_message()

    def _forget_message(self) -> None:
        """Empty the memos of one message's texts (`match` and `rank` start with it)."""
        self._memo.clear()
        self._stems_memo.clear()
        self._bm25_memo.clear()
        self._query_memo.clear()
        self._leading_memo.clear()

    def _query(
        self,
        stems: list[str],
        acronyms: set[str] | frozenset[str] = frozenset(),
        factors: Mapping[str, float] | None = None,
    ) -> _Query:
        """Weights of the question's stems; `factors` scales some (context around a question).

        Read once per match for the same stems, acronyms among them and factors: a plain
        message's question is read for its ranking and again for its off-topic checks."""
        key = (
            tuple(stems),
            frozenset(acronyms.intersection(stems)),
            tuple(factors.items()) if factors else (),
        )
        memo = self._query_memo
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            found = memo[key] = self._read_query(stems, acronyms, factors)
        return found

    def _read_query(
        self,
        stems: list[str],
        acronyms: set[str] | frozenset[str],
        factors: Mapping[str, float] | None,
    ) -> _Query:
        weights: list[float] = []
        candidates: list[dict[str, float]] = []
        evidence = False
        unknown = 0
        for s in stems:
            found = dict(self._candidates(s))
            candidates.append(found)
            if found:
                factor = ACRONYM_WEIGHT if s in acronyms else 1.0
                if s == DEFINITION:
                    factor = DEFINITION_QUERY_WEIGHT / DEFINITION_WEIGHT
                if factors:
                    factor *= factors.get(s, 1.0)
                weights.append(factor * self.idf[max(found, key=found.__getitem__)])
                evidence = evidence or s not in QUESTION_WORDS_STEMS
            elif s in QUESTION_WORDS_STEMS:
                weights.append(DEFINITION_QUERY_WEIGHT if s == DEFINITION else QUESTION_WORD_CAP)
            else:
                unknown += 1
                # The k-th unknown word weighs unknown_weight * (sqrt(k) - sqrt(k - 1)): one or
                # two ("dni", "ceviche") sink an off-topic question, while the names and
                # courtesies of a long, polite message do not drown its topic words.
                weights.append(self.unknown_weight * (math.sqrt(unknown) - math.sqrt(unknown - 1)))
        context = frozenset(
            i for i, st in enumerate(stems) if factors and factors.get(st, 1.0) < 1.0
        )
        return _Query(stems, weights, candidates, sum(weights), evidence, context)

    # ------------------------------------------------------------------ scoring

    def scores(
        self, stems: list[str] | _Query, keep: int = MAX_SUGGESTIONS + 1
    ) -> list[tuple[float, int]]:
        """(score, entry index) of the `keep` best entries, best first.

        Every entry and every variant at once, in numpy: a stem of the question adds its
        weight to the entries and variants that hold it (postings built at `build`), so a
        question costs a few array operations per word however large the knowledge base.
        """
        q = stems if isinstance(stems, _Query) else self._query(stems)
        if not q.total or not q.evidence:
            return []
        size = len(self.ids)
        touched = np.zeros(size, dtype=bool)
        postings = self.entry_postings
        leading = self._leading_words(q, variants=False)
        # keyword-weighted mass of the question the entry knows
        coverage = leading.sums(size, leading.values * leading.word_factors(q))
        touched[leading.indices] = True
        for weight, found in islice(zip(q.weights, q.candidates, strict=True), leading.count, None):
            if len(found) == 1:
                ((known, sim),) = found.items()
                posting = postings.get(known)
                if posting is not None:
                    entries, credits = posting
                    coverage[entries] += weight * sim * credits
                    touched[entries] = True
                continue
            covered = np.zeros(size)
            for known, sim in found.items():
                posting = postings.get(known)
                if posting is not None:
                    entries, credits = posting
                    covered[entries] = np.maximum(covered[entries], sim * credits)
                    touched[entries] = True
            coverage += weight * covered
        (order,) = np.nonzero(touched)
        if not len(order):
            return []
        total = q.total
        share = np.minimum(1.0, coverage[order] / total)
        scores = VARIANT_WEIGHT * self._best_variants(q)[order] + (1 - VARIANT_WEIGHT) * share
        # The question is exactly one of an entry's variants (same stems): that entry scores 1,
        # whatever keywords of another entry say ("que es la IDC" is a variant of the definition;
        # "idc" is a keyword of the entry on its members).
        if all(
            len(found) == 1 and s in found for s, found in zip(q.stems, q.candidates, strict=True)
        ):
            for e in self.exact_variants.get(frozenset(q.stems), ()):
                if touched[e]:
                    scores[np.searchsorted(order, e)] = 1.0
        best = np.lexsort((order, -scores))[:keep]  # by score, then by entry
        return list(zip(scores[best].tolist(), order[best].tolist(), strict=True))

    def _leading_words(self, q: _Query, *, variants: bool) -> _LeadingWords:
        """The gathered postings (over variants, or entries) of the question's leading words,
        once per match for the same stems: a long message's readings with light and with full
        context share their words, and differ only in weights."""
        key = (tuple(q.stems), variants)
        memo = self._leading_memo
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            postings = self.variant_postings if variants else self.entry_postings
            found = memo[key] = _LeadingWords(q, postings)
        return found

    def _best_variants(self, q: _Query) -> np.ndarray:
        """Per entry, the best blend of recall and precision over its question variants: their
        weighted harmonic mean, as a variant must explain the question AND be about it. A word
        of the question counts once per variant, at its closest spelling there."""
        count = len(self.variants)
        postings = self.variant_postings
        leading = self._leading_words(q, variants=True)
        recall = leading.sums(count, leading.word_factors(q))
        precision = leading.sums(count, leading.values * leading.spelling_factors)
        for weight, found in islice(zip(q.weights, q.candidates, strict=True), leading.count, None):
            if len(found) == 1:
                ((known, sim),) = found.items()
                posting = postings.get(known)
                if posting is not None:
                    variants, weights = posting
                    recall[variants] += weight * sim
                    precision[variants] += weights * sim
                continue
            hit = np.zeros(count)  # the word's closest spelling in each variant...
            hit_weight = np.zeros(count)  # ...and that spelling's weight there
            for known, sim in found.items():
                posting = postings.get(known)
                if posting is not None:
                    variants, weights = posting
                    closer = hit[variants] < sim
                    hit[variants[closer]] = sim
                    hit_weight[variants[closer]] = weights[closer]
            recall += weight * hit
            precision += hit_weight * hit
        # Only the variants the question reaches: the others blend to 0, and a long message
        # reaches a fraction of a large knowledge base's variants.
        (reached,) = np.nonzero(recall)
        explained = recall[reached] / q.total
        covered = np.minimum(1.0, precision[reached] / self.variant_totals[reached])
        blend = np.zeros(count)
        with np.errstate(divide="ignore", invalid="ignore"):
            blend[reached] = np.where(
                (explained > 0) & (covered > 0),
                1 / (RECALL_WEIGHT / explained + (1 - RECALL_WEIGHT) / covered),
                0.0,
            )
        best = np.zeros(len(self.ids))
        if count:
            best[self._variant_entries] = np.maximum.reduceat(blend, self._variant_starts)
        return best

    def _other_level(self, q: _Query, e: int) -> bool:
        """Is entry `e` about one level (district, province, region) while the message names
        levels, but not that one?"""
        levels = self.entry_about[e] & LEVELS
        named = LEVELS.intersection(q.stems)
        return len(levels) == 1 and bool(named) and not levels & named

    def _not_a_definition(self, q: _Query, e: int, ranked: list[tuple[float, int]]) -> bool:
        """Does a one-clause question ask what something is ("o q cosa es", "que vendria a
        ser") while entry `e` never answers a "que es" and one close to it does? Then the
        officer chooses ("cuantas instancias hay" shares every other word with "que es la
        instancia")."""
        if not any(s == DEFINITION and i not in q.context for i, s in enumerate(q.stems)):
            return False
        if DEFINITION in self.entry_vocabulary[e]:
            return False
        floor = self._score_of(ranked, e) - SUGGEST_SPREAD
        return any(
            DEFINITION in self.entry_vocabulary[other]
            for score, other in ranked[: MAX_SUGGESTIONS + 1]
            if other != e and score >= floor
        )

    def _about(self, q: _Query, e: int) -> bool:
        """Does the question name what entry `e` is about (its title, keywords or synonyms)?

        Words found only in an entry's example questions are not enough to answer: "que dia es
        hoy" shares "dia" and "hoy" with a variant of the figures entry, nothing else.
        """
        return not self.entry_about[e].isdisjoint(_known_words(q))

    def evidence(self, stems: list[str] | _Query, e: int) -> float:
        """IDF mass of the question's topic words (not question words) that entry `e` knows.

        One generic word ("ley", "instancia", "municipalidad") is not enough to answer: the
        officer gets the closest topics to choose from instead.
        """
        q = stems if isinstance(stems, _Query) else self._query(stems)
        return self._evidence(_topic_words(q), e)

    def _evidence(self, words: list[tuple[float, dict[str, float]]], e: int) -> float:
        vocabulary = self.entry_vocabulary[e]
        mass = 0.0
        for weight, found in words:
            best = 0.0
            for k, v in found.items():
                if v > best and k in vocabulary:
                    best = v
            mass += weight * best
        return mass

    # ------------------------------------------------------------------ public API

    def rank(self, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """Best entries for `text` with their scores (for benchmarks and debugging); a long
        message is ranked on its question, as `match` reads it."""
        self._forget_message()
        text = _without_identifiers(text)
        parts = self._parts(text)
        queries = self._focus_queries(parts)[1] if parts is not None else []
        if queries:
            q = queries[0]
        else:
            _, rest = self._split_smalltalk(self._normalized(text))
            acronyms: set[str] = set()
            q = self._query(self._stems(rest, acronyms), acronyms)
        return [(self.ids[e], round(s, 4)) for s, e in self.scores(q, limit)]

    def match(self, text: str) -> Match:
        self._forget_message()
        text = _without_identifiers(text)
        normalized = self._normalized(text)
        if not normalized:
            # "?", "...", "👍": nothing to look up, and nothing to log as an unanswered question.
            return Match("smalltalk", None, 1.0, smalltalk=_symbol_kind(text))
        kind, rest = self._split_smalltalk(normalized)
        acronyms: set[str] = set()
        stems = self._stems(rest, acronyms)
        if kind is not None and not stems:
            return Match("smalltalk", None, 1.0, smalltalk=kind)
        q = self._query(stems, acronyms)
        parts = self._parts(text)
        whole = self._bm25_ranked(rest)
        # The whole message over the entries' answers and over officers' questions: one
        # reading each for every decision on it.
        aside = Aside(
            *(
                r.ranked(((rest, 1.0),), MAX_SUGGESTIONS) if r is not None else Ranking([], [])
                for r in (self.bm25_answers, self.bm25_examples)
            )
        )
        if parts is None:
            worded = self._bm25_worded(rest)
            ranked = self.scores(q, len(self.ids))
            result = self._decide(ranked, q, (whole,), worded, aside=aside).match
        else:
            result = self._focus(parts, whole, aside)
        # Another matter counts in what is asked and around it, not in who the writer is ("soy
        # CAS en la DEMUNA, ¿qué es la instancia?").
        asked = " ".join(t for role, t in parts or () if role != "intro") or rest
        # The question itself, for the words it is made of: around it, the writer's name,
        # e-mail or phone are unknown words too, and tell nothing of the topic.
        question = " ".join(t for role, t in parts or () if role == "question") or asked
        if result.band != "smalltalk":
            heads = not NAMED_HEAD_WORDS.isdisjoint(normalized.split())
            named = self._other_norm(q, heads=heads) or self._other_matter(asked, result)
            if (
                result.band == "unknown"
                and named
                and (
                    self._other_norm(q, local_too=False, heads=heads)
                    or self._other_matter(asked, result)
                )
            ):
                # Nothing fits and the message names another norm or matter: it is about
                # that, for sure ("como registro un gasto en el SIAF"). Nothing to offer.
                return Match("unknown", None, result.score, elsewhere=True)
            if result.band != "unknown" and (
                named or self._off_topic(asked, result, text, question)
            ):
                # "que dice la ley 27444": a norm the knowledge base does not hold is another
                # topic, however well "ley" matches.
                return Match("unknown", None, result.score, suggestions=top_ids(result))
        if result.band != "answer" and self._only_introduces(parts):
            # "hola, soy la nueva punto focal de San Jeronimo": who writes, nothing asked yet.
            return Match("smalltalk", None, 1.0, smalltalk=INTRODUCTION_KIND)
        if kind is not None and result.band == "unknown" and len(stems) <= 1:
            # "hola ingeniera", "buenas tardes estimados": courtesy, not a question.
            return Match("smalltalk", None, 1.0, smalltalk=kind)
        return result

    def _matters(self, text: str) -> frozenset[str]:
        """The other matters a normalised text names, as `_other_matters` finds them (the
        longest at each word, left to right), by looking words up: the regex tries its
        hundreds of alternatives at every character of a long message."""
        if self._other_matters is None:
            return frozenset()
        words = text.split()
        if not self._other_matters_plain or " ".join(words) != text:  # the regex, then
            return frozenset(m.group(0) for m in self._other_matters.finditer(text))
        found: set[str] = set()
        i = 0
        while i < len(words):
            for n in self._matter_lengths.get(words[i], ()):
                phrase = " ".join(words[i : i + n])
                if phrase in self._matter_phrases:
                    found.add(phrase)
                    i += n
                    break
            else:
                i += 1
        return frozenset(found)

    def _other_matter(self, text: str, result: Match) -> bool:
        """Does the question name another public matter ("el siaf", "un puesto cas", "el vaso
        de leche") that neither the answer nor any suggestion names? Then it is not theirs,
        however well "sistema" or "convocatoria" match."""
        named = self._matters(text)
        if not named:
            return False
        offered = (result.entry_id,) if result.band == "answer" else result.suggestions
        return not any(
            named <= self.entry_matters[self._index[e]] for e in offered if e in self._index
        )

    def _off_topic(self, asked: str, result: Match, text: str, question: str) -> bool:
        """Is the message about something else, although its words reach an entry? Three
        readings, each a pattern of the misses on spent sets that a lexicon alone does not
        cover (other matters are countless; these generalise):

        - a matter the entry names as well, asked about in itself: "cuantos beneficiarios
          tiene el comite del vaso de leche" is not the entry on who takes part in the
          instancia, where the vaso de leche is named (`_beside_matter`);
        - a thing the knowledge base does not hold, named by a generic head and a word it
          never uses: "el plan de desarrollo urbano", "el presupuesto de obras"
          (`_foreign_name`);
        - a question made mostly of words the knowledge base never uses, answered on one or
          two shared ones: "dar de baja en el siga los bienes patrimoniales en desuso"
          (`_mostly_unknown`).
        """
        offered = [
            self._index[e]
            for e in ((result.entry_id,) if result.band == "answer" else result.suggestions)
            if e in self._index
        ]
        if self._beside_matter(asked, offered):
            return True
        if any(self._foreign_name(self._normalized(clause)) for clause, _ in self._clauses(text)):
            return True
        acronyms: set[str] = set()
        return self._mostly_unknown(
            self._query(self._stems(question, acronyms), acronyms),
            self._query(self._stems(asked, acronyms), acronyms),
        )

    def _beside_matter(self, text: str, offered: list[int]) -> bool:
        """Does the question name another matter and, once the matter (with the body it
        belongs to: "el comite del vaso de leche", "vaso de leche por comite") is taken out,
        say too little for any offered entry? An entry that names the matter answers a
        question about the matter *and* its own topic ("el comite del vaso de leche puede
        participar en la instancia?", "los comedores y el vaso de leche pueden estar en la
        instancia?"), not one about the matter alone."""
        if self._matter_spans is None or not self._matters(text):
            return False
        acronyms: set[str] = set()
        rest = self._matter_spans.sub(" ", text)
        q = self._query(self._stems(rest, acronyms), acronyms)
        names_instancia = INSTANCIA in q.stems  # beside the matter, not its body
        return not any(
            (names_instancia or self._about(q, e)) and self.evidence(q, e) >= self.min_evidence
            for e in offered
        )

    def _foreign_name(self, clause: str) -> bool:
        """Does a normalised clause name a thing by a generic head ("plan", "comite",
        "licencia") followed, within FOREIGN_REACH words, by one the knowledge base never
        uses ("plan de desarrollo urbano", "presupuesto de obras", "licencia de edificacion")?
        That plan or licence is another one. A place ("la instancia de Sapallanga"), a
        number, an adverb or a common modifier ("el plan del proximo año") is not such a word."""
        words = clause.split()
        places = _place_words()
        for i, word in enumerate(words):
            if word not in FOREIGN_HEADS:
                continue
            seen = 0
            rest = words[i + 1 :]
            for k, following in enumerate(rest):
                # "plan de desarrollo urbano", "plan de trabajo para la limpieza publica"
                if following in ("de", "del") or (
                    following == "para" and k + 1 < len(rest) and rest[k + 1] in _ARTICLES
                ):
                    continue
                if following in _ARTICLES and k and rest[k - 1] == "para":
                    continue
                if following in STOPWORDS or seen == FOREIGN_REACH:
                    break
                seen += 1
                s = stem(following)
                if (
                    s in QUESTION_WORDS_STEMS
                    or following.isdigit()
                    or following in places
                    or following in COMMON_MODIFIERS
                    or following.endswith("mente")  # an adverb: "el comite normalmente"
                ):
                    break
                if (
                    not self._candidates(s)
                    and following not in self.language.synonyms
                    and following not in self._acronyms
                ):
                    # (a synonym is known in the word it stands for: "talleres"; an acronym,
                    # in its expansion: "el registro ruva")
                    return True
        return False

    def _mostly_unknown(self, question: _Query, around: _Query) -> bool:
        """Are at least two of the question's topic words unknown to the knowledge base, and
        twice as many as the known ones of the question and its context that are not generic
        words of any municipal question ("municipalidad", "jefe")? Then one or two shared
        words ("patrimoniales") are a coincidence, not the topic. Officers' in-scope questions
        with unknown words (a typo, "volver a mandar", "nomas") keep at least half of theirs
        known. Unknown words are counted in the question only: around it, the writer's name,
        e-mail or phone are unknown too, and tell nothing of the topic."""
        unknown = sum(
            1
            for s, found in zip(question.stems, question.candidates, strict=True)
            if not found and s not in QUESTION_WORDS_STEMS and not s.isdigit()
        )
        known = sum(
            1
            for s, found in zip(around.stems, around.candidates, strict=True)
            if found and s not in QUESTION_WORDS_STEMS and s not in GENERIC_STEMS
        )
        return unknown >= MOSTLY_UNKNOWN and unknown >= UNKNOWN_RATIO * known

    def _other_norm(self, q: _Query, local_too: bool = True, heads: bool = True) -> bool:
        """Does the question cite a norm the knowledge base never mentions: by a number ("ley
        27444") or by a name it does not know ("ley de transparencia")? Without `local_too`,
        a municipality's own norm ("la ordenanza 045") does not count: the question may well
        be about its instancia. Without `heads`, the message writes no word that heads a
        name (NAMED_HEAD_WORDS: "conseguir proyector, imprimir listas" names no project)."""
        norm_words = NORM_WORDS if local_too else NORM_WORDS - LOCAL_NORM_WORDS
        for i, (s, found) in enumerate(zip(q.stems, q.candidates, strict=True)):
            if found:
                continue
            # A qualifier between ("la ley nueva de transparencia") is looked through.
            j = i - 1
            while j > 0 and q.stems[j] in NORM_QUALIFIERS:
                j -= 1
            after_norm = j >= 0 and q.stems[j] in norm_words and s not in NORM_QUALIFIERS
            if s.isdigit():
                if self._mistyped_number(s):
                    continue  # "ley 30264": the 30364 with one digit wrong
                if NORM_NUMBER_DIGITS <= len(s) <= NORM_NUMBER_MAX_DIGITS or after_norm:
                    return True
            elif (after_norm or (heads and i > 0 and q.stems[i - 1] in NAMED_HEADS)) and (
                s not in QUESTION_WORDS_STEMS
            ):
                return True
        return False

    # ------------------------------------------------------------------ long messages

    def _parts(self, text: str) -> list[tuple[str, str]] | None:
        """A message as (role, normalised words) parts, or None when it is one plain question.

        Roles: "question" (a clause that asks: it ends in "?", or starts with a question word
        or with "queria saber"...; when some clause ends in "?", only those), "intro" (the
        writer presenting themselves) and "context" (the rest). Clauses that only present the
        writer, apologise or thank ("le escribe la encargada de...", "disculpe la hora") are
        dropped; a question inside a clause ("nadie me explica bien q es eso de la
        instancia") starts at its question word.
        """
        if len(text) > MAX_CHARS:
            text = text[: MAX_CHARS * 3 // 4] + " " + text[-MAX_CHARS // 4 :]
        clauses = self._clauses(text)
        if len(clauses) > MAX_CLAUSES:
            clauses = clauses[: MAX_CLAUSES // 2] + clauses[-MAX_CLAUSES // 2 :]

        parts: list[tuple[str, str]] = []
        trimmed = False
        for raw, asked in clauses:
            _, rest = self._split_smalltalk(self._normalized(raw))
            words = rest.split()
            if not words:
                trimmed = True
                continue
            for k, piece_words in enumerate(_split_questions(words)):
                role, kept = self._clause_role(piece_words, asked or k > 0)
                cut = _introduction_ends(piece_words) if role == "intro" else None
                if cut is not None:
                    # "soy punto focal y el alcalde no convoca a la mesa": who writes, then
                    # what happens.
                    parts.append(("intro", " ".join(piece_words[:cut])))
                    piece_words = piece_words[cut + 1 :]
                    role, kept = self._clause_role(piece_words, asked or k > 0)
                if role in ("question", "split") and (cut := _writer_role_at(kept)) is not None:
                    # "q hago yo como punto focal": the question ends where the writer says
                    # what they are; "punto focal" is no topic of it.
                    parts.append(("intro", " ".join(kept[cut:])))
                    piece_words = piece_words[: len(piece_words) - len(kept) + cut]
                    kept = kept[:cut]
                trimmed = trimmed or len(kept) < len(piece_words) or role in ("drop", "intro")
                if role == "drop":
                    continue
                if role == "split":  # context before the question word, then the question
                    opener = len(piece_words) - len(kept)
                    before = piece_words[:opener]
                    role = "intro" if self._introduces(before) else "context"
                    parts.append((role, " ".join(before)))
                    role = "question"
                if role == "question" and asked:
                    role = "asked"  # the officer marked it with "?"
                parts.append((role, " ".join(kept)))
        if not parts or (len(parts) == 1 and not trimmed):
            return None
        if any(role == "asked" for role, _ in parts):
            # The clause with "?" is the question; a question word elsewhere ("no sabemos por
            # donde empezar") is context.
            return [
                ("question" if r == "asked" else "context" if r == "question" else r, t)
                for r, t in parts
            ]
        return parts

    def _clauses(self, text: str) -> list[tuple[str, bool]]:
        """(raw clause, ended with "?"): sentences, and their comma-separated parts.

        A question split by a comma is one question: "el observatorio q es, tiene pagina
        web?", "queria saber que hacen con mis datos, ¿estan protegidos?" (a clause that asks
        joins the "?" right after it in the same sentence).
        """
        clauses: list[tuple[str, bool, bool]] = []  # (clause, asked, starts a sentence)
        pending, pending_starts, starts, pos = "", True, True, 0
        for m in _CLAUSE_BREAK.finditer(text + "."):
            piece, pos = text[pos : m.start()], m.end()
            if piece.strip():
                if pending.strip():
                    clauses.append((pending, False, pending_starts))
                pending, pending_starts, starts = piece, starts, False
            if m.group(1) or m.group(2):
                if m.group(1) and pending.strip():
                    clauses.append((pending, True, pending_starts))
                    pending = ""
                starts = True
        if pending.strip():
            clauses.append((pending, False, pending_starts))
        # From the end: a "?" clause joins the clause before it in the same sentence when
        # that one asks, or when it is only a tail ("roles, quorum?", "..., es cierto?").
        i = len(clauses) - 1
        while i > 0:
            clause, asked, starts = clauses[i]
            before, before_asked, before_starts = clauses[i - 1]
            if (
                asked
                and not starts
                and not before_asked
                and (
                    self._asks(before)
                    or (len(clause.split()) <= QUESTION_TAIL and not self._asks(clause))
                )
            ):
                clauses[i - 1 : i + 1] = [(before + " " + clause, True, before_starts)]
            i -= 1
        return [(clause, asked) for clause, asked, _ in clauses]

    def _asks(self, clause: str) -> bool:
        """Does a raw clause hold a question word, "que es" or a phrase that asks?"""
        words = self._normalized(clause).split()
        role, _ = self._clause_role(words, asked=False)
        return role in ("question", "split")

    def _clause_role(self, words: list[str], asked: bool) -> tuple[str, list[str]]:
        """("question" | "context" | "drop" | "split", the words that are the question)."""
        present = set(words)
        for phrase in self._askings:
            if not phrase:  # an empty one matches at the start
                return ("question", words) if words else ("drop", [])
            if phrase[0] not in present:
                continue
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if words[i] == phrase[0] and tuple(words[i : i + n]) == phrase:
                    rest = words[i + n :]
                    if not rest:
                        return "drop", []
                    return ("question" if i == 0 else "split"), rest
        for i, word in enumerate(words):
            if word in _QUESTION_OPENERS or (
                word == "que" and i + 1 < len(words) and words[i + 1] in ("es", "son")
            ):
                if all(w in STOPWORDS for w in words[:i]):  # "cada cuanto...", "y como..."
                    return "question", words
                return "split", words[i:]
        if self._introduces(words):
            return "intro", words
        return ("question" if asked else "context"), words

    def _mistyped_number(self, number: str) -> bool:
        """Is a law's number one digit away from one the knowledge base holds?"""
        if len(number) < NORM_NUMBER_DIGITS:
            return False
        return any(
            sum(a != b for a, b in zip(known, number, strict=True)) == 1
            for known in self._numbers.get(len(number), ())
        )

    def _only_introduces(self, parts: list[tuple[str, str]] | None) -> bool:
        """Is the message only who writes and where from: an introduction, no question, and
        around it no topic words to speak of?"""
        if not parts or any(role == "question" for role, _ in parts):
            return False
        if not any(role == "intro" for role, _ in parts):
            return False
        read = [s for _, t in parts for s in self._stems(t, set())]
        if len(read) > INTRODUCTION_WORDS or any(s in QUESTION_WORDS_STEMS for s in read):
            return False  # "...que pasos sigo para crearla": a question without its "?"
        around = [s for role, t in parts if role == "context" for s in self._stems(t, set())]
        return self._topic_mass(around) < self.min_evidence

    def _topic_mass(self, stems: list[str]) -> float:
        """IDF mass of the known topic words (not question words) among these stems."""
        mass = 0.0
        for st in stems:
            found = self._candidates(st)
            if found and st not in QUESTION_WORDS_STEMS:
                mass += max(self.idf[k] * sim for k, sim in found)
        return mass

    def _introduces(self, words: list[str]) -> bool:
        """Do the words open with an introduction phrase (of at most four words)? Looked up
        by their first one to four words: every clause of a long message asks."""
        if not words:
            return "" in self._introductions
        heads = self._introductions
        return any(" ".join(words[:k]) in heads for k in range(1, min(4, len(words)) + 1))

    def _focus(self, parts: list[tuple[str, str]], whole: Ranking, aside: Aside) -> Match:
        """The first question, read with the message's other words as light context; a second
        question is offered (`Match.also`). BM25 reads the whole message and its question
        (`whole` over the entries' own words, `aside` over their answers and examples).

        Of the readings, the surest answer wins (a clear first before the model's), else the
        first reading with the best band."""
        questions, queries, context = self._focus_queries(parts)
        if not queries:
            return Match("unknown", None, 0.0)
        readings = (whole, self._bm25_ranked(questions[0], context))
        worded = self._bm25_worded(questions[0], context)
        rankings = [self.scores(q, len(self.ids)) for q in queries]
        firsts = [r[0][1] if r else None for r in rankings]
        decisions = [
            self._decide(ranked, q, readings, worded, firsts.count(first) / len(firsts), aside)
            for ranked, q, first in zip(rankings, queries, firsts, strict=True)
        ]
        answers = [d for d in decisions if d.match.band == "answer"]
        if answers:
            best = max(answers, key=lambda d: d.confidence).match
        else:
            best = decisions[0].match
            for decision in decisions[1:]:
                if _rank_band(decision.match)[0] > _rank_band(best)[0]:
                    best = decision.match
        if best.band == "answer" and len(questions) > 1:
            second_acronyms: set[str] = set()
            stems = self._stems(questions[1], second_acronyms)
            q = self._query(stems, second_acronyms)
            second = questions[1]
            readings = (self._bm25_ranked(second),)
            other = self._decide(
                self.scores(q, len(self.ids)),
                q,
                readings,
                self._bm25_worded(second),
                aside=aside,
            ).match
            # Only what fits the second question: a vague guess would answer it wrongly.
            fits = other.band in ("answer", "suggest")
            offered = tuple(e for e in top_ids(other)[:1] if fits and e != best.entry_id)
            if offered:
                best = Match(best.band, best.entry_id, best.score, also=offered)
        return best

    def _focus_queries(self, parts: list[tuple[str, str]]) -> tuple[list[str], list[_Query], str]:
        """The message's questions, the readings of the first one to try, preferred first
        (with light context, alone, with the context in full: first when the question only
        says "it"), and the words around the question."""
        questions = [text for role, text in parts if role == "question"]
        if not questions:
            questions = [" ".join(text for role, text in parts if role == "context")]
            parts = [(role, text) for role, text in parts if role == "intro"]
            if not questions[0]:
                return questions, [], ""
        # What BM25 reads around the question: the context, not who the writer is (their
        # "area de la mujer" or "muni provincial" would outweigh the question).
        context = " ".join(text for role, text in parts if role == "context")
        main_acronyms: set[str] = set()
        main = self._stems(questions[0], main_acronyms)
        acronyms = set(main_acronyms)
        extra: dict[str, float] = {}  # known context stem -> weight factor
        for role, text in parts:
            if role == "question":
                continue
            factor = INTRODUCTION_WEIGHT if role == "intro" else CONTEXT_WEIGHT
            for s in self._stems(text, acronyms):
                if s not in main and self._candidates(s):
                    extra[s] = max(extra.get(s, 0.0), factor)
        scales = (1.0, 0.0, 1 / CONTEXT_WEIGHT)
        if self._topic_mass(main) < self.min_evidence or _refers_back(questions[0]):
            # "nos piden el plan de trabajo... ¿como lo elaboramos?": the question says "it";
            # the context says what.
            scales = (1 / CONTEXT_WEIGHT, 1.0, 0.0)
        queries: list[_Query] = []
        for scale in scales:
            if scale and not extra:
                continue
            # Scaling up reads the context in full; the introduction stays light.
            factors = (
                {
                    s: f if f == INTRODUCTION_WEIGHT else min(1.0, f * scale)
                    for s, f in extra.items()
                }
                if scale
                else {}
            )
            queries.append(self._query(main + list(factors), acronyms, factors))
        return questions, queries, context

    def _bm25_ranked(self, text: str, context: str = "") -> Ranking:
        """BM25's best entries for a normalised question (and the words around it)."""
        if self.bm25 is None:
            return Ranking([], [])
        return self.bm25.ranked(((text, 1.0), (context, CONTEXT_WEIGHT)), MAX_SUGGESTIONS)

    def _bm25_worded(self, text: str, context: str = "") -> Ranking:
        """The same, read in the knowledge base's words (synonyms, acronyms)."""
        if self.bm25_worded is None:
            return Ranking([], [])
        pieces = ((self._worded(text), 1.0), (self._worded(context), CONTEXT_WEIGHT))
        return self.bm25_worded.ranked(pieces, MAX_SUGGESTIONS)

    def _decide(
        self,
        ranked: list[tuple[float, int]],
        q: _Query,
        readings: tuple[Ranking, ...] = (),
        worded: Ranking | None = None,
        consensus: float = 1.0,
        aside: Aside | None = None,
    ) -> _Decision:
        """Answer, suggest or give up, from the matcher's ranking (`ranked`, every entry it
        scores) and BM25's: `readings` over the entries' own words (the whole message; for a
        long message also its question), `worded`, the question read with the synonyms and
        acronyms, `aside`, the whole message over the entries' answers and examples, and
        `consensus`, the share of the message's readings whose first pick is the matcher's.

        The fitted ranking of bot/answer_ranking.py orders the candidates of every reading;
        its answer model says whether the first is answered. A question that is exactly one
        of an entry's variants always is, and so is a short one every reading agrees on
        (`unanimous`). The guards (evidence, a level the message does not
        name, a definition asked for) bind every answer. Otherwise the officer chooses among
        the candidates in the ranking's order; the band says how well anything fits.
        """
        worded = worded or Ranking([], [])
        if not ranked:
            return _Decision(
                Match("unknown", None, 0.0, suggestions=self._offer([], readings)), 0.0
            )
        best, index = ranked[0]
        plain = len(readings) < 2  # one clause: no question to find inside a message
        if self._clear(ranked, q, plain) and self._guarded(q, index, ranked, plain):
            return _Decision(Match("answer", self.ids[index], round(best, 4)), 1.0)
        aside = aside or NOTHING_ASIDE
        candidates, matrix = self._candidates_matrix(ranked, q, readings, worded, aside)
        probs = answer_ranking.probabilities(matrix)
        order = [int(i) for i in np.argsort(-probs, kind="stable")]
        pick = candidates[order[0]]
        if self._guarded(q, pick, ranked, plain):
            about = self.message_reading(q, readings, worded, aside, consensus)
            features = message_features(matrix, probs, order, about)
            sure = answer_ranking.confidence(features)
            if sure >= answer_ranking.THRESHOLD or unanimous(features, len(q.stems)):
                score = round(features["score"], 4)
                return _Decision(Match("answer", self.ids[pick], score), sure)
        ours = [candidates[i] for i in order[:MAX_SUGGESTIONS]]
        if index not in ours:
            # The matcher's own first stays within one tap: it alone knows the synonyms.
            ours[-1] = index
        if best >= SUGGEST_THRESHOLD:
            return _Decision(
                Match("suggest", None, round(best, 4), suggestions=self._ids(ours)), 0.0
            )
        vague = self._ids(ours) if best >= VAGUE_THRESHOLD else self._offer([], readings)
        return _Decision(Match("unknown", None, round(best, 4), suggestions=vague), 0.0)

    @staticmethod
    def _clear(ranked: list[tuple[float, int]], q: _Query, plain: bool) -> bool:
        """Is the matcher's first answered whatever BM25 reads? When the question is one of
        its variants, or one plain question it wins clearly: BM25 knows neither synonyms nor
        acronyms ("nos van a sancionar si no hay instancia"). (Winning by far within a
        longer message is for the answer model to weigh: answered outright, it added wrong
        answers on fresh sets.) Within a longer message, one clause that is a variant must be
        more than one word: "¿se puede por acá?" alone is no question about using the bot."""
        best = ranked[0][0]
        margin = best - (ranked[1][0] if len(ranked) > 1 else 0.0)
        if best >= 1.0:
            return plain or len(q.stems) > 1
        return plain and best >= CLEAR_SCORE and margin >= CLEAR_MARGIN

    @staticmethod
    def _score_of(ranked: list[tuple[float, int]], e: int) -> float:
        for s, i in ranked:  # best first: the candidates asked about are near the top
            if i == e:
                return s
        return 0.0

    def _guarded(self, q: _Query, e: int, ranked: list[tuple[float, int]], plain: bool) -> bool:
        """May entry `e` be the answer at all? It must be backed by enough distinctive words
        of the message (or be a clear winner on its few words: "q es eso de la instancia"),
        named when the question is two words ("que dia es hoy" is not the figures entry),
        about a level the message names, and say what something is when that is asked."""
        score = self._score_of(ranked, e)
        runner_up = _runner_up(ranked, e)
        evident = self.evidence(q, e) >= self.min_evidence or (
            score >= STRONG_SCORE and score - runner_up >= STRONG_MARGIN and not q.context
        )
        named = score >= 1.0 or len(q.stems) > SHORT_QUESTION or self._about(q, e)
        return (
            evident
            and named
            and not self._other_level(q, e)
            and not (plain and self._not_a_definition(q, e, ranked))
        )

    def _candidates_matrix(
        self,
        ranked: list[tuple[float, int]],
        q: _Query,
        readings: tuple[Ranking, ...],
        worded: Ranking,
        aside: Aside,
    ) -> tuple[list[int], np.ndarray]:
        """The entries the ranking weighs (the matcher's best and each BM25 reading's), and
        what describes each, as bot/answer_ranking.py CANDIDATE_FEATURES says."""
        best = ranked[0][0]
        whole = readings[0] if readings else Ranking([], [])
        question = readings[1] if len(readings) > 1 else Ranking([], [])
        chosen = dict.fromkeys(e for _, e in ranked[:RANKED_CANDIDATES])
        reading_places: list[dict[int, int]] = []
        reading_best: list[float] = []
        read = (whole, question, worded, aside.examples, aside.answers)  # CANDIDATE_FEATURES
        for r in read:
            places = r.places()
            reading_places.append(places)
            reading_best.append(r.scores[0] if r.scores else 0.0)
            chosen.update(dict.fromkeys(islice(places, READING_CANDIDATES)))  # best first
        candidates = list(chosen)
        # The matcher's place and score of each candidate only: `ranked` holds every entry.
        matcher_place: dict[int, int] = {}
        score: dict[int, float] = {}
        for place, (s, e) in enumerate(ranked):
            if e in chosen:
                matcher_place[e] = place
                score[e] = s
                if len(score) == len(chosen):
                    break
        asks_definition = any(s == DEFINITION and i not in q.context for i, s in enumerate(q.stems))
        topic, known = _topic_words(q), _known_words(q)
        plain = float(len(readings) < 2)
        scores = [score.get(e, 0.0) for e in candidates]
        columns = [scores, [s - best for s in scores], *_place_columns(matcher_place, candidates)]
        index = np.array(candidates, dtype=np.intp)
        for r, places, top in zip(read, reading_places, reading_best, strict=True):
            columns += [_shares(r, index, top), *_place_columns(places, candidates)]
        columns += [
            [float(self._other_level(q, e)) for e in candidates],
            [float(not self.entry_about[e].isdisjoint(known)) for e in candidates],
            [math.log1p(self._evidence(topic, e)) for e in candidates],
            [float(asks_definition and DEFINITION in self.entry_vocabulary[e]) for e in candidates],
        ]
        columns += [[v * plain for v in column] for column in columns[:3]]
        # Built by columns, laid out by rows (C order) as the ranking's product reads them.
        return candidates, np.ascontiguousarray(np.array(columns).T)

    def message_reading(
        self,
        q: _Query,
        readings: tuple[Ranking, ...],
        worded: Ranking,
        aside: Aside,
        consensus: float,
    ) -> MessageReading:
        """What the answer model reads of the message itself (`message_features`)."""
        whole = readings[0] if readings else Ranking([], [])
        question = readings[1] if len(readings) > 1 else Ranking([], [])
        read = (whole, question, worded, aside.examples)  # answer_ranking.READINGS
        return MessageReading(
            strengths=tuple(_strength(r, len(q.stems)) for r in read),
            leads=tuple(r.lead() for r in read),
            words=len(q.stems),
            one_clause=len(readings) < 2,
            consensus=consensus,
            has_context=bool(q.context),
        )

    def _offer(self, ours: list[int], readings: tuple[Ranking, ...]) -> tuple[str, ...]:
        """The matcher's first pick, then the rankings fused (reciprocal rank fusion)."""
        fused = fuse((ours, *(r.entries for r in readings)))
        if ours:
            fused.remove(ours[0])
            fused.insert(0, ours[0])
        return self._ids(fused[:MAX_SUGGESTIONS])

    def _ids(self, entries: list[int]) -> tuple[str, ...]:
        return tuple(self.ids[e] for e in entries)

    # ------------------------------------------------------------------ small talk

    def _split_smalltalk(self, text: str) -> tuple[str | None, str]:
        """Strip greetings, thanks and courtesy words at both ends: (kind or None, the rest)."""
        words = text.split()
        kinds: list[str] = []
        start, stop = 0, len(words)
        for forward in (True, False):
            while start < stop:
                found = self._phrase_at(words, start, stop, forward=forward)
                if found is None:
                    break
                kind, length = found
                kinds.append(kind)
                if forward:
                    start += length
                else:
                    stop -= length
        kinds = [k for k in kinds if k]
        if not kinds:
            return None, text
        return min(kinds, key=_priority), " ".join(words[start:stop])

    def _phrase_at(
        self, words: list[str], start: int, stop: int, *, forward: bool
    ) -> tuple[str, int] | None:
        for length in range(min(self._smalltalk_longest, stop - start), 0, -1):
            chunk = words[start : start + length] if forward else words[stop - length : stop]
            kind = self._smalltalk.get(" ".join(chunk))
            if kind is not None:
                return kind, length
        return None


@dataclass(frozen=True, slots=True)
class Aside:
    """The whole message read over the entries' answers and over officers' questions for
    them (bot/answer_examples.py): what every decision on one message shares."""

    answers: Ranking
    examples: Ranking


NOTHING_ASIDE = Aside(Ranking([], []), Ranking([], []))

_CLITIC_VERB = re.compile(r"(?:ar|er|ir|ando|iendo)(?:la|lo|las|los)$")


@dataclass(frozen=True, slots=True)
class MessageReading:
    """What the answer model reads of a message besides its candidates: each BM25 reading's
    strength (`_strength`) and relative lead, in bot/answer_ranking.py READINGS order, and the
    message's length, form and readings' consensus."""

    strengths: tuple[float, ...]
    leads: tuple[float, ...]
    words: int
    one_clause: bool
    consensus: float
    has_context: bool


def unanimous(features: Mapping[str, float], stems: int) -> bool:
    """A short question every reading agrees on, with the ranking sure and the message naming
    what the entry is about, is answered even when the answer model hesitates: the model
    undervalues short messages of two clauses ("de q va la ley 30364, explicame corto"), whose
    BM25 scores stay low. Left out in turn (benchmarks/fit_ranking.py), the spent sets pooled
    answered 0.887 right and 0.014 wrong at a threshold of 0.85, against 0.877 and 0.013
    without it. Out-of-scope questions every reading agreed on ("quien es el presidente de
    chile", "cuanto gana un alcalde distrital") scored up to 0.51: hence UNANIMOUS_SCORE."""
    return (
        stems <= UNANIMOUS_STEMS
        and features["probability"] >= UNANIMOUS_PROBABILITY
        and features["score"] >= UNANIMOUS_SCORE
        and features["whole_first"] == 1.0
        and features["worded_first"] == 1.0
        and (features["one_clause"] == 1.0 or features["question_first"] == 1.0)
        and features["about"] == 1.0
    )


_COLUMN = {name: i for i, name in enumerate(answer_ranking.CANDIDATE_FEATURES)}


def message_features(
    matrix: np.ndarray, probs: np.ndarray, order: list[int], message: MessageReading
) -> dict[str, float]:
    """What bot/answer_ranking.py's answer model reads (MESSAGE_FEATURES) of the ranking's
    first candidate, from the candidates' matrix (`Matcher._candidates_matrix`): the one
    reading of the decision, for the bot and for benchmarks/fit_ranking.py alike."""
    row = matrix[order[0]]
    score = float(row[_COLUMN["score"]])
    others = np.delete(matrix[:, _COLUMN["score"]], order[0])
    margin = score - (float(others.max()) if len(others) else 0.0)
    features = {
        "probability": float(probs[order[0]]),
        "lead": answer_ranking.lead(probs, order),
        "score": score,
        "margin": margin,
        "far_ahead": float(
            score >= STRONG_SCORE and margin >= STRONG_MARGIN and not message.has_context
        ),
    }
    for name, strength, lead in zip(
        answer_ranking.READINGS, message.strengths, message.leads, strict=True
    ):
        first = float(row[_COLUMN[f"{name}_first"]])
        features[f"{name}_strength"] = strength
        features[f"{name}_first"] = first
        features[f"{name}_lead"] = lead * first
    features |= {
        "evidence": float(row[_COLUMN["evidence"]]),
        "about": float(row[_COLUMN["about"]]),
        "words": math.log(max(message.words, 1)),
        "one_clause": float(message.one_clause),
        "consensus": message.consensus,
    }
    return features


@lru_cache(maxsize=2)
def _place_words(path: Path = PLACES_CSV) -> frozenset[str]:
    """The words of Peru's place names (knowledge/ubigeo.csv, as bot.places normalises them):
    officers name their district in the question ("la instancia de Sicaya"), and a place is
    not an unknown topic."""
    words: set[str] = set()
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for key in ("departamento", "provincia", "distrito"):
                    words.update(normalize_place(row[key]).split())
    except OSError:
        return frozenset()
    return frozenset(words)


def _known_words(q: _Query) -> frozenset[str]:
    """Every known stem the question's words may be."""
    if q._known is None:
        # frozen: a cache, not a change
        object.__setattr__(q, "_known", frozenset(k for found in q.candidates for k in found))
    assert q._known is not None
    return q._known


def _topic_words(q: _Query) -> list[tuple[float, dict[str, float]]]:
    """(weight, known spellings) of the question's own topic words: not its question words,
    and not its context, which can tell the level but never make an answer."""
    if q._topic is None:
        topic = [
            (weight, found)
            for i, (s, weight, found) in enumerate(
                zip(q.stems, q.weights, q.candidates, strict=True)
            )
            if s not in QUESTION_WORDS_STEMS and i not in q.context
        ]
        object.__setattr__(q, "_topic", topic)  # frozen: a cache, not a change
    assert q._topic is not None
    return q._topic


class _LeadingWords:
    """The postings of a question's words up to its first with several known spellings (a
    typo's), gathered: `Matcher.scores` and `Matcher._best_variants` add them with one
    `np.bincount` per sum instead of a fancy-indexed addition per word (a long message has
    dozens). From zero, bincount adds each element's values one by one in the words' order:
    the very same sums. The words after are added one by one, as before."""

    __slots__ = ("_lengths", "_words", "count", "indices", "spelling_factors", "values")

    def __init__(self, q: _Query, postings: Mapping[str, tuple[np.ndarray, np.ndarray]]):
        """Only the question's words and their spellings are read here, not their weights
        (`word_factors`): readings of one message that weigh its words apart share this."""
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        words: list[tuple[int, float]] = []  # (place in the question, similarity) per posting
        count = 0
        for found in q.candidates:
            if len(found) > 1:
                break
            count += 1
            if not found:  # unknown to the knowledge base: adds nothing anywhere
                continue
            ((known, sim),) = found.items()
            posting = postings.get(known)
            if posting is not None:
                indices.append(posting[0])
                values.append(posting[1])
                words.append((count - 1, sim))
        self.count = count  # words read here
        self._words = words
        self._lengths = [len(i) for i in indices]
        self.indices = np.concatenate(indices) if indices else np.zeros(0, dtype=np.intp)
        self.values = np.concatenate(values) if values else np.zeros(0)
        self.spelling_factors = np.repeat([sim for _, sim in words], self._lengths)

    def word_factors(self, q: _Query) -> np.ndarray:
        """Per posting element, its word's weight in `q` times its similarity."""
        weights = q.weights
        return np.repeat([weights[i] * sim for i, sim in self._words], self._lengths)

    def sums(self, size: int, values: np.ndarray) -> np.ndarray:
        """Per index below `size`, the sum of its `values` (one per posting element)."""
        if not len(values):
            return np.zeros(size)  # (bincount would count in integers)
        return np.bincount(self.indices, values, minlength=size)


def _place_columns(places: Mapping[int, int], candidates: list[int]) -> list[list[float]]:
    """Of each candidate, in a ranking's places: whether it comes first (0/1), and 1 / (1 +
    its place), 0 where the ranking does not hold it."""
    found = [places.get(e) for e in candidates]
    return [
        [float(p == 0) for p in found],
        [1.0 / (1 + p) if p is not None else 0.0 for p in found],
    ]


def _shares(r: Ranking, candidates: np.ndarray, top: float) -> list[float]:
    """Each candidate's score in a BM25 reading over that reading's best (0 when none)."""
    if top <= 0:
        return [0.0] * len(candidates)
    if r.totals is not None:
        return (r.totals[candidates] / top).tolist()
    return [r.score_of(e) / top for e in candidates.tolist()]


def _runner_up(ranked: list[tuple[float, int]], e: int) -> float:
    """The best score of an entry other than `e` (`ranked` is best first)."""
    for s, i in ranked[:2]:
        if i != e:
            return s
    return 0.0


def _without_identifiers(text: str) -> str:
    """The officer's text without their DNI or phone number (`_IDENTIFIER`)."""
    if not any(c.isdigit() for c in text):
        return text
    return _SPACES.sub(" ", _IDENTIFIER.sub(" ", text)).strip()


def _strength(r: Ranking, words: int) -> float:
    """How much of the message a BM25 reading read: its best score per word read, as a log (a
    long message scores higher for its length alone)."""
    return math.log1p(r.scores[0] / max(words, 1)) if r.scores else 0.0


def _refers_back(question: str) -> bool:
    """ "como lo elaboramos", "esta obligado a crearla": the question points back at what the
    message said before it."""
    return any(w == "lo" or _CLITIC_VERB.search(w) for w in question.split())


# What opens a new clause after "y" / "pero" within an introduction ("soy la regidora y el
# alcalde no..."), unlike more of the introduction ("soy regidora y presidenta de...").
_NEW_CLAUSE = word_set(
    "el la los las mi mis nuestro nuestra nuestros nuestras no me nos tengo tenemos quiero "
    "quisiera necesito hay ya ahora"
)


def _introduction_ends(words: list[str]) -> int | None:
    """Where an introduction clause hands over to what happens: the place of its "y" or
    "pero", when a new clause follows; None when it only presents the writer."""
    for i in range(2, len(words) - 2):
        if words[i] in ("y", "pero") and words[i + 1] in _NEW_CLAUSE:
            return i
    return None


def _writer_role_at(words: list[str]) -> int | None:
    """Where a question turns to the writer's role ("que hago yo como punto focal"): the
    place of "yo" in "yo como ...", at the question's end; None otherwise."""
    for i in range(1, len(words) - 2):
        if words[i] == "yo" and words[i + 1] == "como" and len(words) - i <= 5:
            return i
    return None


def _split_questions(words: list[str]) -> list[list[str]]:
    """ "como se crea la instancia y quienes la integran": two questions, split at the "y"."""
    pieces: list[list[str]] = [[]]
    for i, word in enumerate(words):
        if word == "y" and pieces[-1] and i + 1 < len(words) and words[i + 1] in _QUESTION_OPENERS:
            pieces.append([])
            continue
        pieces[-1].append(word)
    return [p for p in pieces if p]


def _symbol_kind(text: str) -> str:
    """Small-talk kind of a message without words: an emoji that says something, or "vacio"."""
    for kind, symbols in SYMBOL_SMALLTALK.items():
        if any(symbol in text for symbol in symbols):
            return kind
    return EMPTY_KIND


def _rank_band(match: Match) -> tuple[int, float]:
    return ({"answer": 2, "suggest": 1}.get(match.band, 0), match.score)


def _priority(kind: str) -> int:
    return SMALLTALK_PRIORITY.index(kind) if kind in SMALLTALK_PRIORITY else len(SMALLTALK_PRIORITY)
