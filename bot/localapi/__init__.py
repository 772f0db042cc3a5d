"""Local Telegram Bot API stand-in and a terminal chat, for tests and offline demos.

Exports are resolved lazily so ``python -m bot.localapi.server`` / ``.terminal`` do not import
their own module twice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.localapi.server import (
        DEFAULT_TOKEN,
        TINY_PNG,
        ApiCall,
        BotAPIStandIn,
        BotMessage,
        Button,
        CallbackAnswer,
    )
    from bot.localapi.terminal import run_terminal_chat

_EXPORTS = {
    "DEFAULT_TOKEN": "server",
    "TINY_PNG": "server",
    "ApiCall": "server",
    "BotAPIStandIn": "server",
    "BotMessage": "server",
    "Button": "server",
    "CallbackAnswer": "server",
    "run_terminal_chat": "terminal",
}

__all__ = [
    "DEFAULT_TOKEN",
    "TINY_PNG",
    "ApiCall",
    "BotAPIStandIn",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "run_terminal_chat",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
