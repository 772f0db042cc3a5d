"""Personal data officers type into a message ("soy Rosa Quispe, mi cel 987 654 321").

Staff read and export the unanswered questions, so these never reach that log (Ley 29733). The
crisis step reads a message without the writer's introduced name, too: a surname is no word of
danger ("soy Jazmín Correa", "le saluda Pedro Machado").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.textnorm import collation_key

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LABELLED_NUMBER = re.compile(
    r"\b(?P<label>cel(?:ular)?|tel(?:[eé]fono)?|telf|fono|whats?app|wsp|n[uú]mero|nro|dni|"
    r"documento)\b[\s.:#°º-]*(?:es\s+|de\s+)?[+()\d][\d\s().-]{4,}\d",
    re.IGNORECASE,
)
_MOBILE = re.compile(r"(?<![\d-])(?:\+?51[\s.-]?)?9\d{2}[\s.-]?\d{3}[\s.-]?\d{3}(?![\d-])")
_DNI = re.compile(r"(?<![\d-])\d{8}(?![\d-])")
_LONG_NUMBER = re.compile(r"(?<![\d-])\+?\d(?:[\s.-]?\d){8,}(?![\d-])")
# A name right after the writer introduces themselves: "me llamo Ana", "mi nombre es ana
# torres", "le saluda Rosa Quispe", "soy Carlos Huamán de la DEMUNA".
_NAME_WORD = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]*"
_ANY_WORD = r"[\wáéíóúñü'-]+"
_NAMED = re.compile(
    rf"\b(?P<cue>me llamo|mi nombre es)\s+(?:{_ANY_WORD})(?:\s+(?!de\b|del\b|y\b|soy\b|"
    rf"trabajo\b|la\b|el\b){_ANY_WORD}){{0,3}}",
    re.IGNORECASE,
)
_INTRODUCED = re.compile(
    r"\b(?P<cue>[Ss]oy|[Ll]es? saluda|[Ll]es? escribe|[Aa]tte\.?|[Aa]tentamente|[Ff]irma)[\s,:]+"
    r"(?:(?i:la|el)\s+)?(?:(?i:lic|licenciad[oa]|ing|ingenier[oa]|dra?|doctora?|prof|"
    r"profesora?|sra?|señora?)\.?\s+)?"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
)


_WORD = re.compile(r"[^\W\d_]+")


def redact_personal_data(text: str, names: Iterable[str | None] = ()) -> str:
    """The question without e-mail addresses, phone and DNI numbers, or the writer's name:
    introduced («me llamo…», «soy…»), or any word of `names` (the sender's Telegram first and
    last name), however it is typed: someone not registered yet may write just their name."""
    own = {collation_key(w) for n in names if n for w in _WORD.findall(n) if len(w) >= 3}
    if own:
        text = _WORD.sub(lambda m: "[nombre]" if collation_key(m.group()) in own else m.group(),
                         text)  # fmt: skip
    text = _EMAIL.sub("[correo]", text)
    text = _LABELLED_NUMBER.sub(lambda m: f"{m.group('label')} [número]", text)
    text = _MOBILE.sub("[teléfono]", text)
    text = _DNI.sub("[número]", text)
    text = _LONG_NUMBER.sub("[número]", text)
    text = _NAMED.sub(lambda m: f"{m.group('cue')} [nombre]", text)
    return _INTRODUCED.sub(lambda m: f"{m.group('cue')} [nombre]", text)


def without_introduced_name(text: str) -> str:
    """The text with the name the writer introduces ("soy Ana Correa", "le escribe Luis
    Palomino") taken out, the cue kept: what the crisis step reads."""
    return _INTRODUCED.sub(lambda m: m.group("cue"), text)

