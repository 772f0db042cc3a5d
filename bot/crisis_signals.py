"""Crisis read as independent signals combined, so that new wording still lands.

The rules in bot.safety each catch a way of saying something; a fresh set always brings ways
nobody wrote down. These signals are broad on purpose and only count together:

- a concrete person: "mi prima", "su esposa", "la vecina", "al niño", "un chico de 14", "una
  señora dice…" (a possessive, a definite article, an age, or an indefinite someone who is
  told about), or the writer ("me dan con…", "tengo la cara hinchada");
- a harm near that person: physical, sexual, restraint (tied, chained, locked or left out in
  the cold), threat, disappearance (of a person: "la resolución no la encuentro" is a paper),
  exploitation;
- not a topic question: "¿entra en la ley?", "¿se considera violencia?", "estadísticas de…",
  unless the writer asks what to do ("¿qué hago?", "¿a quién llamo?") or it is happening now
  (and whom the law covers, "¿es delito?", never silences harm to the writer's own family);
  nor a conversation retold to ask the topic for a poster or an assembly ("en la feria una
  señora me dijo que su esposo la insulta... ¿qué formas de violencia reconoce la norma?"), nor
  a belief about what violence is, reported to answer it ("los chicos creen que solo es violencia
  si hay golpes, ¿qué tipos reconoce la ley?");
- for self-harm, a wish to die or not to be, said by the writer; it wins over the reply for
  the person in danger, because Línea 113 must be in it.

The words are lists in knowledge/lenguaje.yaml (section `crisis`, keys `senal_*`), written
normalised (no accents), one phrase per item. A word of four letters or more stands for every
word that starts so ("golpe": golpea, golpeó, golpeada), so one stem covers the conjugations and
the typos at the end; shorter words (la, le, me, con, dan) stand for themselves. Text arrives
normalised and phonetically folded (bot.safety.phonetic_fold), the way the lists are compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

REACH = 90  # characters between the person and the harm that still count as one statement
STEM_LENGTH = 4  # words this long or longer match as stems
# "de 14", "de unos 14 años", "15 años": an age, not "tiene 3 hijos".
_AGE = r"(?:de (?:unos |apenas |solo |casi )?(\d{1,2})|(\d{1,2}) (?:anos|ano|anitos|meses))"
ADULT_AGE = 18
# A thing meant for something ("la soga para la yunza", "las pastillas anticonceptivas para el
# taller"), not for oneself ("las pastillas para dormir y no despertar").
_FOR_A_THING = re.compile(r" ?(?:\S+ )?para (?:el|la|los|las|un|una) ")
# "no la encuentro" looks this many words back for what "la" stands for.
_ANTECEDENT_REACH = 15
_OF_OR_FOR = frozenset(("de", "del", "para"))
_OF_FOR_OR_AT = _OF_OR_FOR | {"en"}  # "las pastillas en la farmacia": where it was got
_THE = frozenset(("el", "la", "los", "las", "un", "una", "unos", "unas"))
_MASCULINE = frozenset(("el", "un", "ese", "este", "del", "al", "los", "unos", "esos", "estos"))
# Characters before a harm where the word that names it as a subject may sit.
_NAMED_REACH = 40
_VICTIM = ("bictim", "sobrebibient")  # phonetically folded
# Words that end a list of kinds of case: someone is named or a clause begins.
_NOT_LISTED = (
    r"(?:un|una|unos|unas|el|la|los|las|mi|mis|su|sus|que|le|les|lo|me|nos|se|a|al|eya|"
    r"esta|este|esa|ese|porque|pero|cuando|donde|ayer|oy|anoche|aora|aorita|ya|recien|luego|"
    r"despues|entonses)"
)  # phonetically folded
# What people believe violence is ("los chicos dicen que solo es violencia cuando hay golpes",
# "creen que gritar no es maltrato"): a belief to answer, reported with the claim right after
# it; not "dice que su esposo le pega" (a case, the claim is about a person). Folded.
# "no tengo claro cómo está armado": how a thing is put together, before "armado" (folded).
_ASSEMBLED = re.compile(r"(?<!\S)(?:como|bien|mal|ya) (?:esta|estan|es|son|queda|quedo) $")
# "el número para llamar cuando la agresión está pasando": a moment supposed, not this one.
_WHEN_CLAUSE = re.compile(r"(?<!\S)cuando (?:\S+ ){0,6}?(?:esta|estan|este|esten) \S+ndo(?!\S)")
_BELIEF = re.compile(
    r"(?<!\S)(?:disen|dise|creen|cree|piensan|piensa|opinan|opina|suponen|sostienen) que "
    r"(?:\S+ ){0,4}?(?:es|son|era|seria|sea) (?:\S+ )?(?:biolensia|maltrato|abuso|delito|normal)"
    r"(?!\S)"
)
_KINDS_REACH = 60  # characters of a list of kinds before the harm
_SAID_OF = (["fue"], ["es"], ["era"], ["sido"], ["ser"], ["resulto"], ["quedo"])
_OWNERS = frozenset(("mi", "mis", "su", "sus", "nuestra", "nuestro", "tu", "tus"))
_MY = frozenset(("mi", "mis", "nuestra", "nuestro"))
_FEMININE = frozenset(("la", "una", "esa", "esta", "las", "unas", "esas", "estas", "aquella"))


def _pattern(entry: str, fold: Callable[[str], str], stems: bool = True) -> str:
    parts: list[str] = []
    for token in (fold(t) for t in entry.split()):
        stem = stems and len(token) >= STEM_LENGTH
        parts.append(re.escape(token) + (r"\S* " if stem else " "))
    return "".join(parts)


def compile_list(entries: Iterable[str], fold: Callable[[str], str]) -> re.Pattern[str] | None:
    """One regex for a list; it is searched in `line + " "`, so every entry ends on a space."""
    parts = sorted({_pattern(e, fold) for e in entries if e.strip()}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(parts) + ")")


def _alternatives(entries: Iterable[str], fold: Callable[[str], str], stems: bool = True) -> str:
    """The entries as one regex group, without the final space (see `compile_list`)."""
    parts = {_pattern(e, fold, stems)[:-1] for e in entries if e.strip()}
    parts = sorted(parts, key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


class CrisisSignals:
    """Compiled once from the `crisis` lists; each question is a few regex scans."""

    def __init__(self, data: Mapping[str, tuple[str, ...]], fold: Callable[[str], str]) -> None:
        people = _alternatives(data.get("senal_persona", ()), fold)
        relations = _alternatives(data.get("relaciones", ()), fold)
        minors = _alternatives(data.get("menores", ()), fold)
        generic = _alternatives(data.get("senal_persona_generica", ()), fold)
        told = _alternatives(data.get("senal_relato", ()), fold)
        anyone = f"(?:{people}|{relations}|{minors})"
        services = _alternatives(data.get("senal_institucion", ()), fold, stems=False)
        # A thing of work told about ("la capacitación fue una masacre, nadie llegó", "creen
        # que desapareció el programa y vino otro"): no one.
        work = _alternatives(
            (
                *(w for w in data.get("temas_de_trabajo", ()) if " " not in w),
                *data.get("senal_cosa_de_trabajo", ()),
            ),
            fold,
            stems=False,
        )
        # "mi prima", "su esposa", "la vecina", "al niño", "esta señora"; "mi mujer" but not
        # "la mujer" (the law's generic woman).
        self.person = re.compile(
            rf"(?<!\S)(?:(?:mi|mis|su|sus|nuestra|nuestro) (?:\S+ )?(?:{anyone}|{generic})(?!\S)"
            rf"|(?:la|el|al|los|las|esta|este|esa|ese|aquella|del|a la|a el) (?!{generic} )"
            rf"{anyone}(?!\S)"  # a whole word: "la ex", not "la explotación"
            rf"|(?:una|un|ay una|ay un|a una|a un) (?:{anyone}|{generic}) (?:\S+ ){{0,6}}{told}"
            rf"|(?:ay una|ay un) {anyone}"  # "hay una adulta mayor con escaras" (folded)
            rf"|(?:una|un|a una|a un) (?:{anyone}|{generic}) (?:\S+ ){{0,4}}{_AGE} "
            rf"|(?:una|un|a una|a un) {anyone} (?:de|del) la (?:\S+ )(?:\S+ )?"
            rf"|(?:a una|a un) (?!{generic} ){anyone}"
            rf"|^{people} (?:\S+ ){{0,6}}{told}"  # "compañera de trabajo llegó con moretones"
            # "la cajera del banco llora todos los días": anyone a story is told about.
            rf"|(?:la|el) (?!(?:{generic}|{services}|{work}) )\S+ (?:\S+ ){{0,5}}{told})"
        )
        self.age = re.compile(rf"(?<!\S)(?:(?:{anyone}|{generic}) (?:\S+ ){{0,4}})?{_AGE}(?!\S)")
        self.minor = re.compile(rf"(?<!\S){minors}(?!\S)")
        # A harm: the listed acts (stems), the injuries and weapons bot.safety knows (exact
        # words), a body part with a wound after it ("la cabeza rota", "el brazo enyesado"),
        # and any blow named with -azo ("un cabezazo", "un botellazo"; not "un plazo").
        body = _alternatives(data.get("partes_cuerpo", ()), fold, stems=False)
        wound = _alternatives(data.get("senal_lesion", ()), fold)
        not_blows = _alternatives(data.get("senal_no_golpe", ()), fold, stems=False)
        # A person handed over in exchange ("su papá la lleva donde un señor a cambio de
        # plata"): a pronoun for her, a verb of taking or giving, then "a cambio de"; "compra
        # votos a cambio de plata" and "nos lleva a la comunidad a cambio de gasolina" are not.
        exchange = (
            r"(?:la|lo|las|los) (?:yeb|mand|ofres|entreg|bend|dej|prest|alquil|da|dan|dio|pas|sub)"
            r"\S* (?:\S+ ){0,9}?a cambio de \S+"
        )
        # Someone missing ("no la encuentro desde ayer"), unless a paper is what is missing.
        missing = _alternatives(data.get("senal_desaparicion", ()), fold)
        self.missing = re.compile(rf"(?<!\S){missing}(?!\S)")
        # Papers and tasks, and the officials one looks for at work ("a la regidora no la
        # ubico"): what "la" stands for when nobody is missing.
        self.things = frozenset(
            fold(w) for key in ("senal_cosa", "jefes") for w in data.get(key, ())
        )
        self.people = frozenset(
            fold(w)
            for key in ("senal_persona", "senal_persona_generica", "relaciones", "menores")
            for w in data.get(key, ())
        )
        # Someone left outside in the cold ("la deja afuera en la noche con el frío", "lo
        # sacan fuera de la casa en la helada"); not "la dejó afuera de la lista".
        cold = _alternatives(data.get("senal_intemperie", ()), fold, stems=False)
        # "deja afuera a la señora toda la noche con el frío", "saca a su señora fuera de la
        # casa en la noche": a person after "a".
        # Out of the house, not "fuera del acta" or "afuera de la sesión" (phonetically folded).
        outside = (
            r"(?:afuera|fuera) (?!del \S+ |de (?!(?:la |el |su |los |las )?"
            r"(?:casa|cuarto|bibienda|choza) )\S+ )"
        )
        left_out = (
            rf"(?:(?:la|lo|las|los) (?:dej|sac|tien|bot)\S* (?:\S+ ){{0,2}}?{outside}"
            rf"|(?:dej|sac|bot)\S* {outside}(?:a|al) (?:\S+ ){{0,3}}?"
            rf"|(?:dej|sac|bot)\S* (?:a|al) (?:\S+ ){{1,3}}?{outside})"
            rf"(?:\S+ ){{0,8}}?{cold}"
        )
        acts = "|".join(
            (
                missing,
                left_out,
                _alternatives(data.get("senal_dano", ()), fold),
                _alternatives(data.get("lesiones", ()), fold, stems=False),
                rf"{body} (?:\S+ )?{wound}",
                # "me dio cabezazos", "le dan correazos": given, with no article too.
                rf"(?:un|una|unos|de|a|con|del|da|dan|dio|daba|dieron|doy|di) "
                rf"(?!{not_blows}(?!\S))\S{{3,}}asos?",
                exchange,
            )
        )
        weapons = _alternatives(data.get("armas", ()), fold, stems=False)
        self.harm = re.compile(rf"(?<!\S)(?:{acts}|{weapons})(?!\S)")
        # "la soga del toldo", "las pastillas de menta": what the thing is of or for, harmless.
        self.harmless_kinds = frozenset(fold(w) for w in data.get("medio_inofensivo", ()))
        self.treatments = frozenset(fold(w) for w in data.get("medio_recetado", ()))
        # A harm named as a subject ("cómo denunciar un maltrato", "una norma sobre maltrato a
        # las mujeres", "una víctima de violación"): the words right before it.
        named = _alternatives(data.get("senal_dano_nombrado", ()), fold)
        self.named_harm = re.compile(
            rf"(?<!\S){named} (?:(?:a|al|de|del|el|la|los|las|un|una|todo|toda|cualquier) ){{0,2}}$"
        )
        # A harm among the kinds of case an office sees ("vienen con todo tipo de casos,
        # alimentos, tenencia, maltrato a los chicos"): bare nouns listed after "casos", with no
        # article, pronoun or clause that would make one of them someone's.
        kinds = _alternatives(data.get("senal_clases_de_caso", ()), fold, stems=False)
        self.case_kinds = re.compile(rf"(?<!\S){kinds} (?:(?!{_NOT_LISTED} )\S+ ){{0,6}}$")
        # The writer is the one hurt: "me" a word or two before the harm ("me dio un
        # cabezazo", "me graba sin ropa"), unless it only introduces someone else's story
        # ("me dijo que la golpea"); or the listed first-person injuries ("tengo la cara...").
        # A weapon given to the writer is no harm ("me dieron una soga para la feria").
        relay = _alternatives(data.get("senal_relato", ()), fold)
        third = "(?:la|le|lo|los|las|les|su|sus)"
        own = _alternatives(data.get("senal_dano_propio", ()), fold)
        self.own_harm = re.compile(
            rf"(?<!\S)(?:(?:me|nos) (?:(?!{relay} |{third} )\S+ ){{0,2}}(?:{acts})|{own})(?!\S)"
        )
        # What the law or a service covers or may do ("¿la DEMUNA puede sacar a un niño...?").
        modal = _alternatives(data.get("senal_modal", ()), fold)
        powers = rf"(?:el|la|los|las) {services} (?:tambien |solo |si )?{modal}"
        coverage = _alternatives(data.get("senal_cobertura", ()), fold)
        self.coverage = re.compile(rf"(?<!\S)(?:{coverage}|{powers})(?!\S)")
        # A deadline the law sets ("¿en cuánto tiempo le dan las medidas?") is asked like whom it
        # covers, as long as the danger is not said to go on ("la sigue amenazando").
        self.deadline = compile_list(data.get("senal_plazo", ()), fold)
        self.who_reports = compile_list(data.get("senal_quien_denuncia", ()), fold)
        # "a mi hermana la golpeó su esposo, ya denunció, ¿en cuánto tiempo...?": someone close
        # to the writer, no case in an office's words.
        self.close_one = re.compile(rf"(?<!\S)(?:mi|mis) {anyone}(?!\S)")
        # "mi hija", "mi sobrinita", "mi hermana": the writer's own family or a child of theirs;
        # not "mi colega", "mi compañera", "mi jefa", who pass on an office's case.
        roles = {
            fold(w) for key in ("senal_persona", "jefes") for w in data.get(key, ())
        } - {fold(w) for w in data.get("menores", ())}
        kin = [w for w in data.get("relaciones", ()) if fold(w) not in roles]
        own = _alternatives((*kin, *data.get("menores", ())), fold, stems=False)
        self.own_one = re.compile(rf"(?<!\S)(?:mi|mis) {own}(?!\S)")
        self.danger_on = compile_list(data.get("senal_peligro_vigente", ()), fold)
        topic = _alternatives(
            (
                *data.get("senal_tema", ()),
                *data.get("marco_de_tema", ()),
                *data.get("senal_cobertura", ()),
            ),
            fold,
        )
        self.topic = re.compile(rf"(?<!\S)(?:{topic}|{powers})(?!\S)")
        self.hypothesis = compile_list(data.get("senal_hipotesis", ()), fold)
        self.story = compile_list(data.get("relato", ()), fold)
        self.asks_what_to_do = compile_list(data.get("senal_pedido", ()), fold)
        # A case at hand, in an office's words ("tenemos un caso de...", "se atendió a una
        # usuaria", "se tiene conocimiento de..."): real, though it says "caso".
        self.case_at_hand = compile_list(data.get("senal_caso", ()), fold)
        self.now = compile_list(data.get("senal_ahora", ()), fold)
        self.outreach = compile_list(data.get("senal_difusion", ()), fold)
        self.supposed = compile_list(data.get("senal_caso_supuesto", ()), fold)
        # "se asusta cuando alguien levanta la mano": a fear told of someone, ending right where
        # the "cuando" begins; a sign, no supposition.
        fear = _alternatives(data.get("reaccion_de_miedo", ()), fold, stems=False)
        self.reaction = re.compile(rf"(?<!\S){fear} $")
        self.event = compile_list(data.get("senal_evento", ()), fold)
        self.death_wish = compile_list(data.get("senal_deseo_de_muerte", ()), fold)
        # A thought of ending said by the writer: a frame ("a veces pienso", "sería lo mejor",
        # "ojalá", "ya decidí") a few words from an ending ("no despertar", "faltar", "echarme
        # bajo el tren", "termino todo"), in either order.
        frame = _alternatives(data.get("senal_marco_de_deseo", ()), fold)
        ending = _alternatives(data.get("senal_fin", ()), fold)
        gap = r"(?:\S+ ){0,8}?"
        self.thought_of_ending = re.compile(
            rf"(?<!\S)(?:{frame} {gap}{ending}|{ending} {gap}{frame})(?!\S)"
        )
        self.someone_generic = compile_list(data.get("senal_alguien", ()), fold)
        self.not_a_wish = frozenset(fold(w) for w in data.get("senal_deseo_no_sigue", ()))
        self.first_person = compile_list(data.get("senal_primera_persona", ()), fold)

    # ------------------------------------------------------------------ self-harm

    def wishes_death(self, line: str) -> bool:
        """The writer wants to die or not to be ("sería un alivio que me atropelle un carro",
        "ya no voy a estar, nadie me va a extrañar"); not a question about Línea 113 for
        people who feel so."""
        text = line + " "
        wishes = self.death_wish.finditer(text) if self.death_wish else ()
        if not any(self._wish(text, m) for m in wishes) and not any(
            self._wish(text, m) for m in self.thought_of_ending.finditer(text)
        ):
            return False
        return not self._topic(text) or bool(self.first_person and self.first_person.search(text))

    def anyones(self, line: str) -> bool:
        """Thoughts of death that belong to anyone ("alguien que quiere quitarse la vida",
        "personas que piensan en..."), asked about by a writer who says nothing of themselves."""
        text = line + " "
        if not (self.someone_generic and self.someone_generic.search(text)):
            return False
        return not (self.first_person and self.first_person.search(text))

    def _wish(self, text: str, m: re.Match[str]) -> bool:
        """A wish ending in a content word is undone by what follows ("si me muero de hambre",
        "acabar con todo tipo de..."); one ending in a preposition already says where it goes
        ("cruzarme con un camión")."""
        if _FOR_A_THING.match(text, m.end()) or self.treatment(text, m.end()):
            return False  # "pensé en la soga para la yunza", "las pastillas ... para el taller"
        if len(m.group().split()[-1]) < STEM_LENGTH:
            return True
        after = text[m.end() :].split(maxsplit=1)
        return not after or after[0] not in self.not_a_wish

    # ------------------------------------------------------------------ violence

    def someone_hurt(self, line: str) -> str | None:
        """Who is in danger (self, other, child) when a concrete person and a harm meet and
        the message is not a question about the topic; None otherwise."""
        text = line + " "
        harms = [
            _Span(m.start(), m.end())
            for m in self.harm.finditer(text)
            if not self._thing_missing(text, m.start())
            and not _ASSEMBLED.search(text, 0, m.start())
            and not self._named(text, m)
            and not self.harmless_kind(text, m.end())
        ]
        if not harms:
            return None
        if self.own_harm.search(text) or any(
            text.startswith(("me ", "nos "), h.start) for h in harms
        ):
            # The rule-by-rule reading has already caught the plain ones ("me pega"): what
            # is left may be a question ("me preguntaron si los golpes leves cuentan...").
            return None if self.law_question(line) else "self"
        else:
            people = [
                _Span(m.start(), m.end())
                for m in self.person.finditer(text)
                if any(_near(_Span(m.start(), m.end()), h) for h in harms)
            ]
            if not people:
                return None
        # "atendimos a una señora que denunció maltrato, ¿en cuántas horas resuelve el juzgado?":
        # a case already attended, only the law's reach or deadline asked.
        if self.law_question(line) or self.law_question(line, coverage_only=True):
            return None
        return "child" if self._child(text, people) else "other"

    def harmless_kind(self, text: str, end: int) -> bool:
        """The weapon or means ending at `end` is said to be of or for something harmless ("la
        soga del toldo", "pastillas de chocolate"): a thing, no danger."""
        return self._of_kind(text[end:].split()[:3], self.harmless_kinds, _OF_OR_FOR)

    def treatment(self, text: str, end: int) -> bool:
        """The means ending at `end` is someone's treatment: where it comes from, what it is for
        or who prescribed it ("las pastillas del seguro", "para la presión", "que me recetó el
        doctor"); no plan, whatever else the message says."""
        after = text[end:].split()[:5]
        if after[:1] == ["que"]:
            return any(w in self.treatments for w in after[1:])
        if after[:1] and after[0] in self.treatments:
            return True  # "las pastillas anticonceptivas", "las vitaminas": a kind said outright
        return self._of_kind(after[:3], self.treatments, _OF_FOR_OR_AT)

    @staticmethod
    def _of_kind(after: list[str], kinds: frozenset[str], linkers: frozenset[str]) -> bool:
        if not after or after[0] not in linkers:
            return False
        kind = after[2:3] if after[1:2] and after[1] in _THE else after[1:2]
        return bool(kind) and kind[0] in kinds

    def _named(self, text: str, m: re.Match[str]) -> bool:
        """A harm named as what is reported, prevented or talked about ("explicarles cómo
        denunciar un maltrato", "una víctima de violación") or listed among kinds of case,
        with nobody's after it ("denunciar el maltrato de mi hija", "la violación que sufrió"
        are a case) and not said of someone ("fue víctima de violación")."""
        named = self.named_harm.search(text, max(0, m.start() - _NAMED_REACH), m.start())
        owners = _OWNERS
        if named is None:
            # "casos de alimentos, tenencia, maltrato a los chicos": a kind of case, listed;
            # "la gente viene por tenencia, por maltrato a sus hijos": anyone's children.
            if not self.listed_kind(text[: m.start()]):
                return False
            owners = _MY
        elif named.group(0).startswith(_VICTIM) and text[: named.start()].split()[-1:] in _SAID_OF:
            return False  # "mi hermana fue víctima de violación": said of her
        after = text[m.end() :].split()[:4]
        # "la violación que sufrió": that one harm, someone's.
        return not (any(w in owners for w in after) or after[:1] == ["que"])

    def listed_kind(self, before: str) -> bool:
        """Is what comes right after `before` one of a list of kinds of case ("casos de
        alimentos, tenencia, maltrato…")?"""
        return bool(self.case_kinds.search(before[-_KINDS_REACH:]))

    def _thing_missing(self, text: str, start: int) -> bool:
        """ "la resolución ... no la encuentro", "el expediente no aparece": what is missing is
        the nearest paper, task or official before it, or it is wanted "para" a task; not a
        person ("mi hija salió a dejar el oficio y no la encuentro": "el oficio" is no "la"), nor
        anyone ("una usuaria que ya no aparece")."""
        m = self.missing.match(text, start)
        if m is None:
            return False
        if text.startswith(" para ", m.end()):
            return True  # "no la ubico para que firme el acta": wanted for a task
        # "la usuaria no aparece en el RUVA": a record, not a person gone.
        record = text[m.end() :].split()[:3]
        if record[:1] == ["en"] and any(w in self.things for w in record[1:]):
            return True
        pronoun = m.group(0).split()[1]
        before = text[:start].split()[-_ANTECEDENT_REACH:]
        # "¿cómo seguimos a una usuaria que ya no aparece por el CEM?": any such woman.
        near = before[-5:]
        if any(near[j] in ("una", "un") and near[j + 2] == "que" for j in range(len(near) - 2)):
            return True
        for i in range(len(before) - 1, -1, -1):
            word = before[i]
            if word in self.people or word.rstrip("s") in self.people:
                return False
            if word not in self.things:
                continue
            # "el acta ... no la encontramos": a stressed a takes "el" and stays feminine.
            det = before[i - 1] if i > 0 and not word.startswith("a") else ""
            if (pronoun in ("la", "las") and det in _MASCULINE) or (
                pronoun in ("lo", "los") and det in _FEMININE
            ):
                continue  # another word's pronoun
            return True
        return False

    def law_question(self, line: str, *, coverage_only: bool = False) -> bool:
        """A question about the topic or the law ("¿la ley cubre a un señor que maltrata su
        nuera?"), with no request for what to do and nothing happening right now.

        `coverage_only`, for a case the rule-by-rule reading found: only a question of whom
        the law covers, or of a deadline it sets, makes it calm; a case told with a practical
        question ("una mujer llegó diciendo que su esposo le pega, ¿dónde puede denunciar?")
        gets the helper's reply, then the answer."""
        text = line + " "
        if self.now and self.now.search(text):
            return False
        # "atendimos a un señor... ¿a quiénes cubre la norma?": a case already attended, and
        # only whom the law covers or a deadline it sets asked.
        covered = coverage_only and self._asks_reach(text)
        if self.case_at_hand and self.case_at_hand.search(text) and not covered:
            return False
        if self.hypothesis and any(
            not self.reaction.search(text, 0, m.start()) for m in self.hypothesis.finditer(text)
        ):
            # "¿qué hago si una vecina es golpeada?", "¿qué debe hacer un docente si un alumno
            # le cuenta que...?" ask about the topic; "qué hago si una mujer llega diciendo que
            # su esposo le pega": the writer has someone telling them, and asks what to do.
            told = bool(self.story and self.story.search(text))
            return not (told and self.asks_what_to_do and self.asks_what_to_do.search(text))
        if not (covered if coverage_only else self.topic.search(text)):
            return False
        return not (self.asks_what_to_do and self.asks_what_to_do.search(text))

    def asks_for_help(self, line: str) -> bool:
        """The writer asks what to do ("¿qué hago?", "¿a dónde la llevo?") or it happens now."""
        text = line + " "
        return bool(
            (self.asks_what_to_do and self.asks_what_to_do.search(text))
            or (self.now and self.now.search(text))
        )

    def for_outreach(self, line: str) -> bool:
        """ "en la feria una señora me dijo que su esposo solo la insulta y la controla... ¿qué
        formas de violencia reconoce la norma? quiero hacer un afiche": a conversation retold
        to ask the topic for a poster or to explain it at an assembly. An event alone needs a
        topic asked: a fair is also where things happen ("en la feria vi a un hombre que le
        pegaba a su pareja"). Never when the writer asks what to do for her, it happens now or
        the danger goes on, a case is at hand, or she is close to the writer."""
        text = line + " "
        material = bool(self.outreach and self.outreach.search(text))
        event = bool(self.event and self.event.search(text)) and bool(self.topic.search(text))
        # A belief reported ("los chicos me dicen que solo es violencia si hay golpes") and the
        # topic asked: the writer wants to answer it, nobody is hurt.
        belief = bool(_BELIEF.search(text)) and bool(self.topic.search(text))
        # A case supposed for a protocol or a drill: what to do is asked for the document.
        supposed = bool(self.supposed and self.supposed.search(text))
        if not (material or event or belief or supposed):
            return False
        # What the material tells people to do when it happens is no moment now.
        asks = self.asks_for_help(_WHEN_CLAUSE.sub(" ", line))
        if (asks and not supposed) or (supposed and self.now and self.now.search(text)):
            return False
        if self.close_one.search(text):
            return False
        if self.danger_on and self.danger_on.search(text) and not supposed:
            return False  # "...para el afiche: ella tiene miedo, él la sigue amenazando"
        return not (self.case_at_hand and self.case_at_hand.search(text))

    def _asks_reach(self, text: str) -> bool:
        """Whom the law covers, or a deadline it sets or who may or must report ("¿quién más
        puede poner la denuncia?") with no danger said to go on ("una usuaria denunció golpes,
        ¿en cuánto tiempo le dan las medidas?"; not "... y él la sigue amenazando"), about a
        case an office attends, not someone close to the writer."""
        if self.coverage.search(text):
            # "mi hija me contó que su tío la toca, ¿es delito?": one's own, whatever is asked.
            return not self.own_one.search(text)
        asked = any(r and r.search(text) for r in (self.deadline, self.who_reports))
        return bool(
            asked
            and not (self.danger_on and self.danger_on.search(text))
            and not self.close_one.search(text)
        )

    def _topic(self, text: str) -> bool:
        return bool(self.topic.search(text))

    def _child(self, text: str, people: list[_Span]) -> bool:
        """A minor's age anywhere ("el padrastro de mi sobrina de 9"), a child first among
        the people near the harm ("al niño de enfrente le dan con la correa") or the one it
        is done to ("le besó a la fuerza a una alumna"); not the baby a mother holds ("está
        en la pista con la bebe") nor a grandson who does the harm ("su nieto le echó...")."""
        for m in self.age.finditer(text):
            age = m.group(1) or m.group(2)
            if age and int(age) < ADULT_AGE:
                return True
        for i, p in enumerate(people):
            said = text[p.start : p.end]
            if (i == 0 or said.startswith(("a ", "al "))) and self.minor.search(said):
                return True
        return False


def _near(a: _Span, b: _Span) -> bool:
    return b.start - a.end <= REACH and a.start - b.end <= REACH
