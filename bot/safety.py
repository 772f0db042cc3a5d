"""Crisis detection: is the person writing in danger, or disclosing violence, right now?

Recall matters most (a false alarm only shows the help lines), but officers ask about violence
all day ("¿qué es la violencia física?"), so a rule fires only on signs of a real person: first
person ("me pega", "fui violada"), someone close ("mi vecina", "mi esposo"), violence under way
("están golpeando a una señora"), a weapon, fear, a cry for help, or self-harm.

The words live in knowledge/lenguaje.yaml (section `crisis`); the way they combine is here.
Matching runs over normalised text with a phonetic fold (z/s/c, v/b, ll/y, silent h) and a
small typo allowance for violent verbs ("golpio", "biolaron", "amnaza").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.textnorm import STOPWORDS, Language, default_language, word_set

MAX_TOKENS = 400  # a 4,000-character message is read whole; beyond this, head and tail
WINDOW = 8  # tokens between "mi esposo" and "pega" that still count as one statement
HYPOTHETICAL_WINDOW = 8

_AR_SUFFIXES = word_set(
    "a an as o e en es ar aron aste ando ado ada ados adas aba aban abas ara aran aria arian "
    "are aras ue uen"
)
_ER_IR_SUFFIXES = word_set("e en es io ieron iendo ido ida idos idas er ir ia ian iera ieran a an")
_CLITICS = word_set("me te la lo le nos los las les")
_TAKES_CLITIC = word_set("ar er ir ando iendo")  # "pegarme", "golpeandola"; not "violenos"
_AGENT_NOUN = re.compile(r"(?:dor|dora|dores|doras)$")  # "abusador" is no typo of "abusado"
_FIRST_PERSON = ("me", "nos")
_POSSESSIVES = ("mi", "mis")
_PROGRESSIVE = word_set("esta estan estaba estaban sigue siguen seguia")
_NOW = ("ahorita", "ahora mismo", "en este momento", "en estos momentos")
_GERUND = re.compile(r"(?:ando|iendo)(?:me|te|la|lo|le|nos|los|las|les)?$")
_PARTICIPLE = re.compile(r"(?:ada|ado|ida|ido)s?$")
_TASK_HELP = re.compile(r" (?:con|para|en|sobre|de|del|al)\b")


@dataclass(frozen=True)
class Crisis:
    kind: Literal["violence", "self_harm"]


_SOFT_C = re.compile(r"c(?=[ei])")
_SILENT_H = re.compile(r"(?<!c)h")


def phonetic_fold(text: str) -> str:
    """Spelling-insensitive form for crisis words: seseo, b/v, ll/y, silent h."""
    text = text.replace("ll", "y").replace("z", "s").replace("v", "b")
    return _SILENT_H.sub("", _SOFT_C.sub("s", text))


def _fold_set(words: frozenset[str] | tuple[str, ...]) -> frozenset[str]:
    return frozenset(phonetic_fold(w) for w in words)


_STOP = _fold_set(STOPWORDS)
_AFTER_SELF = _STOP | _fold_set(
    word_set("cuando desde anoche ayer hoy ahorita siempre todos todas otra otro varias")
)


def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = sorted({re.escape(phonetic_fold(p)) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(parts) + r")(?!\S)")


class CrisisDetector:
    """Compiled once from the language data; `detect` is then a handful of regex scans."""

    def __init__(self, language: Language) -> None:
        data = language.crisis
        missing = [k for k in ("relaciones", "verbos_ar", "autolesion") if not data.get(k)]
        if missing:
            raise ValueError(
                f"{language.source}: a la sección 'crisis' le falta: {', '.join(missing)}."
            )
        self.normalize = language.normalize
        fold = phonetic_fold
        self.relations = frozenset(fold(w) for w in data.get("relaciones", ()))
        ar = [fold(s) for s in data.get("verbos_ar", ())]
        er = [fold(s) for s in data.get("verbos_er_ir", ())]
        single = [fold(f) for f in data.get("formas_violentas", ()) if " " not in f]
        multi = tuple(f for f in data.get("formas_violentas", ()) if " " in f)

        # Every violent form, spelled out once: detection is then set membership, and typo
        # correction probes the same set.
        forms: set[str] = set(single)
        to_me: set[str] = set()  # forms with "me"/"nos" attached: "pegarme", "golpeandonos"
        for stems, suffixes in ((ar, _AR_SUFFIXES), (er, _ER_IR_SUFFIXES)):
            for stem in stems:
                for suffix in suffixes:
                    forms.add(fold(stem + suffix))
                    if suffix in _TAKES_CLITIC:
                        for clitic in _CLITICS:
                            forms.add(fold(stem + suffix + clitic))
                            if clitic in _FIRST_PERSON:
                                to_me.add(fold(stem + suffix + clitic))
        # Verbs that are violent only about a close person ("mi padrastro me toca"), never with
        # "me" alone ("me toca presentar el informe").
        self.with_relation = frozenset(fold(f) for f in data.get("formas_con_relacion", ()))
        forms |= self.with_relation
        self.forms = frozenset(forms)
        self.to_me = frozenset(to_me)
        self._deletions: dict[str, str] = {}
        for form in sorted(forms):
            if len(form) >= 5:
                for i in range(len(form)):
                    self._deletions.setdefault(form[:i] + form[i + 1 :], form)
        self.multi_forms = _phrase_regex(multi)

        self.aux = tuple(fold(a) for a in data.get("auxiliares", ()))
        self.first_person = _phrase_regex(data.get("primera_persona", ()))
        self.passive_aux = _phrase_regex(data.get("pasiva_primera_persona", ()))
        self.urgency = _phrase_regex(data.get("urgencia", ()))
        self.weapons = frozenset(fold(w) for w in data.get("armas", ()))
        self.fear = _phrase_regex(data.get("miedo", ()))
        self.presence = _phrase_regex(data.get("presencia", ()))
        self.hypothetical = _phrase_regex(data.get("hipotetico", ()))
        self.self_harm = _phrase_regex(data.get("autolesion", ()))
        self.now = _phrase_regex(_NOW)
        self._protected = self.relations | self.weapons
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)

    # ------------------------------------------------------------------ typo tolerance

    def _correct_uncached(self, token: str) -> str:
        """A token one insertion, deletion or swap away from a violent form becomes that form.

        Substitutions are not allowed: "pagaron" must stay "pagaron", not "pegaron". Lookups
        go through a deletion index (SymSpell-style), so this costs a few set probes.
        """
        if (
            len(token) < 4
            or token in _STOP
            or token.isdigit()
            or token in self._protected
            or _AGENT_NOUN.search(token)
        ):
            return token
        # The first letter is trusted: typos there are rare, and dropping it turns real words
        # into violent ones ("gamarra" -> "amarra").
        for i in range(1, len(token)):  # token has one extra letter ("golpeea" -> "golpea")
            shorter = token[:i] + token[i + 1 :]
            if shorter in self.forms and len(shorter) >= 4:
                return shorter
        longer = self._deletions.get(token) if len(token) >= 5 else None  # "amnaza"
        if longer and longer[0] == token[0]:
            return longer
        for i in range(1, len(token) - 1):  # two letters swapped ("pgea")
            swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
            if swapped in self.forms:
                return swapped
        return token

    def clear_caches(self) -> None:
        """Forget remembered typo corrections (benchmarks start each round cold)."""
        self._correct.cache_clear()

    # ------------------------------------------------------------------ detection

    def detect(self, text: str) -> Crisis | None:
        words = self.normalize(text).split()
        if not words:
            return None
        if len(words) > MAX_TOKENS:
            words = words[: MAX_TOKENS // 2] + words[-MAX_TOKENS // 2 :]
        folded = [phonetic_fold(w) for w in words]
        folded = [w if w in self.forms else self._correct(w) for w in folded]
        line = " ".join(folded)

        if self.self_harm and self.self_harm.search(line):
            return Crisis("self_harm")
        if self._violence(folded, line):
            return Crisis("violence")
        return None

    def _violence(self, words: list[str], line: str) -> bool:
        for regex in (self.first_person, self.fear):
            if regex and regex.search(line):
                return True
        if self.urgency:
            for m in self.urgency.finditer(line):
                if not _TASK_HELP.match(line, m.end()):
                    return True

        # Positions of the pieces the rules combine.
        violent = [i for i, w in enumerate(words) if w in self.forms]
        if self.multi_forms:
            for m in self.multi_forms.finditer(line):
                violent.append(line.count(" ", 0, m.start()))
        relations = [
            i
            for i, w in enumerate(words)
            if w in self.relations and i > 0 and words[i - 1] in _POSSESSIVES
        ]
        first = [i for i, w in enumerate(words) if w in _FIRST_PERSON]

        for v in violent:
            # "mi esposo ... pega", "golpean a mi vecina", "mi padrastro me toca".
            if any(abs(v - r) <= WINDOW for r in relations):
                return True
            if words[v] in self.with_relation:
                continue
            # "me pega", "nos quiere matar", "me esta golpeando", "quiere matarme".
            if words[v] in self.to_me or self._object_before(words, v):
                return True
            # "abusaron de mi", "le pego a mi" (and nothing that makes "mi" a possessive).
            if self._to_me(words, v):
                return True
            # "fui violada", "he sido golpeada".
            if self._passive_first_person(words, v):
                return True
            # "están golpeando a una señora", "un hombre pegándole a una mujer", violence
            # "ahorita"; unless hypothetical ("si están agrediendo a alguien, ¿a quién llamo?").
            if (self._ongoing(words, v) or self._now_near(words, v)) and not (
                self._hypothetical_before(words, v)
            ):
                return True

        if any(w in self.weapons for w in words) and (relations or first or "mi casa" in line):
            return True
        if self.presence:
            for m in self.presence.finditer(line):
                pos = line.count(" ", 0, m.start())
                if m.group(0).startswith(("me ", "nos ")) or any(
                    0 <= pos - r <= WINDOW for r in relations
                ):
                    return True
        return False

    def _object_before(self, words: list[str], v: int) -> bool:
        """Is "me"/"nos" right before the verb, possibly with an auxiliary in between?"""
        if v >= 1 and words[v - 1] in _FIRST_PERSON:
            return True
        before = " ".join(words[max(0, v - 6) : v])
        for aux in self.aux:
            for person in _FIRST_PERSON:
                if before.endswith(f"{person} {aux}") or before.endswith(f"{person} {aux} a"):
                    return True
        # "me dio un golpe", "me quiere volver a pegar": "me" two or three words before.
        window = words[max(0, v - 3) : v]
        return "me" in window and not any(w in _POSSESSIVES for w in window)

    @staticmethod
    def _to_me(words: list[str], v: int) -> bool:
        for j in range(v + 1, min(v + 4, len(words) - 1)):
            if words[j] in ("de", "a") and words[j + 1] == "mi":
                after = words[j + 2] if j + 2 < len(words) else None
                return after is None or after in _AFTER_SELF
        return False

    def _passive_first_person(self, words: list[str], v: int) -> bool:
        if not self.passive_aux or not words[v].endswith(("ada", "ado", "adas", "ados", "ida")):
            return False
        before = " ".join(words[max(0, v - 4) : v])
        return bool(self.passive_aux.search(before))

    @staticmethod
    def _ongoing(words: list[str], v: int) -> bool:
        """A gerund ("golpeando", "pegándole"), or a participle after "está(n)"/"siendo"."""
        word = words[v]
        if _GERUND.search(word):
            return True
        if not _PARTICIPLE.search(word):
            return False
        return any(x in _PROGRESSIVE or x == "siendo" for x in words[max(0, v - 3) : v])

    def _now_near(self, words: list[str], v: int) -> bool:
        if not self.now:
            return False
        near = " ".join(words[max(0, v - WINDOW) : v + WINDOW + 1])
        return bool(self.now.search(near))

    def _hypothetical_before(self, words: list[str], v: int) -> bool:
        if not self.hypothetical:
            return False
        before = " ".join(words[max(0, v - HYPOTHETICAL_WINDOW) : v])
        return bool(self.hypothetical.search(before))


@lru_cache(maxsize=1)
def _default_detector() -> CrisisDetector:
    return CrisisDetector(default_language())


def detect_crisis(text: str, detector: CrisisDetector | None = None) -> Crisis | None:
    """Crisis in `text`, using knowledge/lenguaje.yaml unless a detector is given."""
    return (detector or _default_detector()).detect(text)
