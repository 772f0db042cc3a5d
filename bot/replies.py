"""What a core action answers: plain messages and buttons, for any chat front end to render.

A button carries an action (a tuple of short strings) rather than Telegram callback data; the
Telegram side prefixes and versions it (handlers/common.py `cb`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.telegram_html import split_message

MESSAGE_LIMIT = 4000  # Telegram's is 4,096 visible characters; a little room for the echo


@dataclass(frozen=True)
class Button:
    label: str
    action: tuple[str, ...]


@dataclass(frozen=True)
class Say:
    text: str  # HTML, as Telegram's HTML parse mode reads it
    rows: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The result of one user action in a conversation."""

    says: tuple[Say, ...] = ()
    state: str | None = None  # the conversation's next state; None ends it
    stale: bool = False  # the pressed button no longer applies: say so on the button
    echo: str | None = None  # the pressed button's choice, echoed where the buttons were
    entry_id: str | None = None  # a knowledge-base entry to show before `says`
    extra: dict = field(default_factory=dict)  # action-specific plain values

    def __post_init__(self) -> None:
        object.__setattr__(self, "says", fit(self.says))


def fit(says: tuple[Say, ...]) -> tuple[Say, ...]:
    """Every message within Telegram's limit: a long one (a summary of long answers, say) is
    split between paragraphs or lines, never inside a word or a tag, its buttons on the last."""
    out: list[Say] = []
    for say in says:
        chunks = split_message(say.text, MESSAGE_LIMIT) if len(say.text) > MESSAGE_LIMIT else []
        if len(chunks) <= 1:
            out.append(say)
            continue
        out += [Say(chunk) for chunk in chunks[:-1]]
        out.append(Say(chunks[-1], say.rows))
    return tuple(out)
