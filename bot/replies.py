"""What a core action answers: plain messages and buttons, for any chat front end to render.

A button carries an action (a tuple of short strings) rather than Telegram callback data; the
Telegram side prefixes and versions it (handlers/common.py `cb`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
