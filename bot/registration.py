"""Registration of an officer as plain data: the draft, its validators and the order of steps.

The Telegram conversation only asks for whatever `next_step` says is missing, so correcting one
field is just clearing it: the same function then leads back to the summary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields

from bot.messages import Messages
from bot.places import Place
from bot.textnorm import normalize

STEPS = ("name", "cargo", "level", "place", "institution", "phone")
SUMMARY = "summary"
LEVELS = ("regional", "provincial", "distrital")

_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]+)*\.?$")
_SPACES = re.compile(r"\s+")


@dataclass
class Draft:
    """What the officer has answered so far; lives in the persisted user_data until confirmed."""

    name: str | None = None
    cargo: str | None = None
    level: str | None = None
    place_code: str | None = None
    institution: str | None = None
    phone: str | None = None
    phone_done: bool = False
    consent: bool = False
    editing: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Draft:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def clear(self, step: str) -> None:
        """Forget one answer so that `next_step` asks it again."""
        if step == "place":
            self.level = None
            self.place_code = None
        elif step == "phone":
            self.phone = None
            self.phone_done = False
        else:
            setattr(self, step, None)


def next_step(draft: Draft) -> str:
    """The first unanswered step, or SUMMARY when everything is there."""
    for step in STEPS:
        if step == "place":
            if draft.place_code is None:
                return "place"
        elif step == "phone":
            if not draft.phone_done:
                return "phone"
        elif getattr(draft, step) is None:
            return step
    return SUMMARY


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clean_name(text: str) -> str | None:
    """A person's name: letters with spaces, hyphens or apostrophes; 3 to 80 characters."""
    value = _tidy(text)
    if not 3 <= len(value) <= 80 or not _NAME_RE.match(value) or " " not in value:
        return None  # a full name: at least a first name and a surname
    return " ".join(_capitalize(w, first=i == 0) for i, w in enumerate(value.split(" ")))


_PARTICLES = {"de", "del", "la", "las", "los", "y"}


def _capitalize(word: str, first: bool) -> str:
    """Fix words typed all in capitals or all in lower case; leave "McDonald" alone."""
    if not (word.isupper() or word.islower()):
        return word
    if not first and word.lower() in _PARTICLES:
        return word.lower()
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def clean_short_text(text: str, max_len: int = 80) -> str | None:
    """A cargo or an institution: some letters, 3 to max_len characters, one line."""
    value = _tidy(text)
    if not 3 <= len(value) <= max_len or not any(ch.isalpha() for ch in value):
        return None
    return value


# Peru's landline area codes: Lima and Callao 1 (7-digit numbers), the other departments two
# digits (6-digit numbers).
_AREA_CODES = frozenset({
    "41", "42", "43", "44", "51", "52", "53", "54", "56", "61", "62", "63",
    "64", "65", "66", "67", "72", "73", "74", "76", "82", "83", "84",
})  # fmt: skip
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]+")


def clean_peru_phone(text: str) -> str | None:
    """A Peruvian number typed by the officer, as +51 and its national digits, or None.

    A mobile is 9 digits starting with 9; a landline is its area code (with or without the 0
    of long distance) and the number: 01 426 1234 in Lima, (044) 123456 elsewhere. +51, 0051,
    spaces, dashes, dots and brackets are accepted.
    """
    raw = _PHONE_SEPARATORS.sub("", text or "")
    if raw.startswith("+51"):
        digits = raw[3:]
    elif raw.startswith("0051"):
        digits = raw[4:]
    elif raw.startswith("51") and len(raw) == 11 and raw[2] == "9":
        digits = raw[2:]
    else:
        digits = raw
    if not digits.isdigit():
        return None
    if len(digits) == 9 and digits[0] == "9":
        return "+51" + digits
    national = digits[1:] if digits.startswith("0") else digits
    if len(national) == 8 and national[0] == "1":
        return "+51" + national
    if len(national) == 8 and national[:2] in _AREA_CODES:
        return "+51" + national
    return None


def looks_like_phone(text: str) -> bool:
    """Typed at the phone step as a number (so a wrong one gets the number's own hint)."""
    return sum(ch.isdigit() for ch in text) >= 5 and not any(ch.isalpha() for ch in text)


def place_line(place, messages: Messages) -> str:
    """District, province and department in words, since names repeat across Peru (Santa
    Rosa is in eight provinces). `place`: bot.places.Place or the places table's row."""
    if place.level == "distrital":
        return messages(
            "lugar_linea_distrital",
            distrito=place.name, provincia=place.provincia, departamento=place.departamento,
        )  # fmt: skip
    if place.level == "provincial":
        return messages(
            "lugar_linea_provincial", provincia=place.name, departamento=place.departamento
        )
    return messages("lugar_linea_regional", region=place.name)


def phone_display(phone: str) -> str:
    """A stored +51 number grouped as people read it: +51 987 654 321, +51 1 426 1234,
    +51 44 123456; any other number as stored."""
    if not phone.startswith("+51") or not phone[3:].isdigit():
        return phone
    n = phone[3:]
    if len(n) == 9 and n[0] == "9":
        return f"+51 {n[:3]} {n[3:6]} {n[6:]}"
    if len(n) == 8 and n[0] == "1":
        return f"+51 1 {n[1:4]} {n[4:]}"
    if len(n) == 8:
        return f"+51 {n[:2]} {n[2:]}"
    return phone


def clean_phone(text: str) -> str | None:
    """Digits with an optional leading +, as Telegram shares contacts."""
    digits = re.sub(r"[^\d+]", "", text or "")
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        return None
    return digits if digits.startswith("+") else "+" + digits


# Typed instead of pressed: what an officer on a phone writes at a button step.
CONSENT_YES = frozenset({"acepto", "si", "si acepto", "aceptar", "de acuerdo", "ok"})
CONSENT_NO = frozenset({"no acepto", "no", "no acepta"})
# Lima Metropolitana as a region, the province of Lima and the Cercado are all the
# Municipalidad Metropolitana de Lima.
METROPOLITAN_LIMA = frozenset({("regional", "LM"), ("provincial", "1501"), ("distrital", "150101")})


def consent_word(text: str) -> bool | None:
    """True for a typed "acepto", False for "no acepto", None for anything else."""
    word = normalize(text)
    return True if word in CONSENT_YES else False if word in CONSENT_NO else None


def level_word(text: str) -> str | None:
    """"distrital", "nivel provincial"… typed: the level, or None."""
    word = normalize(text).removeprefix("nivel ").strip()
    return word if word in LEVELS else None


def default_institution(place: Place, messages: Messages) -> str:
    """The institution an officer of this place most likely works for (offered as a button)."""
    if (place.level, place.code) in METROPOLITAN_LIMA:
        return messages("institucion_lima_metropolitana")
    return messages(f"institucion_{place.level}", lugar=place.name)


def give(draft: Draft, step: str, text: str) -> bool:
    """A typed answer to the name, cargo or institution step: stored in the draft if valid."""
    clean = {
        "name": clean_name,
        "cargo": clean_short_text,
        "institution": lambda t: clean_short_text(t, max_len=120),
    }[step]
    value = clean(text)
    if value is None:
        return False
    setattr(draft, step, value)
    return True
