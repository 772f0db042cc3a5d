"""Anonymous logs of how answering went: unanswered questions, feedback, crisis replies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import AnswerFeedback, CrisisEvent, UnansweredQuestion
from bot.textnorm import collation_key, normalize

MAX_LOGGED = 300

# Personal data officers type into a question ("soy Rosa Quispe, mi cel 987 654 321"): staff
# read and export the unanswered questions, so these never reach the log (Ley 29733).
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


def log_unanswered(s: Session, question: str, now: datetime) -> None:
    """Count a question the bot could not answer, as staff will read it: personal data out,
    then normalised (lower case, no accents) so that the same question counts once."""
    text_norm = normalize(redact_personal_data(question)).strip()[:MAX_LOGGED]
    if sum(ch.isalpha() for ch in text_norm) < 3:
        return  # "?", "👍", "ok.": not a question worth a staff member's time
    row = s.scalar(select(UnansweredQuestion).where(UnansweredQuestion.text_norm == text_norm))
    if row is None:
        s.add(UnansweredQuestion(text_norm=text_norm, count=1, first_seen=now, last_seen=now))
    else:
        row.count += 1
        row.last_seen = now


# What was wrong with an answer rated 👎, asked with buttons right after it. These keys are
# stored (answer_feedback.reason) and read by staff tools and the console: never rename them.
REASONS = ("no_respondio", "incorrecta", "muy_largo", "otro")


def record_feedback(s: Session, entry_id: str, useful: bool, now: datetime) -> int:
    row = AnswerFeedback(entry_id=entry_id, useful=useful, at=now)
    s.add(row)
    s.flush()
    return row.id


def set_reason(s: Session, feedback_id: int, reason: str) -> str:
    """Why a 👎: "saved", "already" (it has one: the first answer counts) or "unknown"."""
    row = s.get(AnswerFeedback, feedback_id)
    if row is None or row.useful:
        return "unknown"
    if row.reason is not None:
        return "already"
    row.reason = reason
    return "saved"


def record_crisis(s: Session, kind: str, now: datetime) -> None:
    s.add(CrisisEvent(kind=kind, at=now))
