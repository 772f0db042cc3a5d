"""my_chat_member in private chats: an officer who blocks the bot is inactive until they unblock.

Broadcasts and reminders skip inactive officers; a 403 while sending marks the same thing
(bot/broadcast.py), this catches it as it happens.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler, ContextTypes

from bot.broadcast_actions import set_reachable
from handlers.common import svc

log = logging.getLogger(__name__)


async def membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return  # groups: handlers/handoff.py logs the staff group's id
    status = change.new_chat_member.status
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        active = False
    elif status == ChatMember.MEMBER:
        active = True
    else:
        return
    if set_reachable(svc(context), change.chat.id, active):
        # No ids in the log: who blocked the bot is personal data.
        log.info("an officer %s the bot", "unblocked" if active else "blocked")


def register(app: Application) -> None:
    # Its own group: handoff's group-joining handler (group 2) sees the same updates.
    app.add_handler(
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER), group=3
    )
