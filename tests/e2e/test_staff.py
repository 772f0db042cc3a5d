"""Staff roles: admins from the configuration add and remove staff; every check is server-side."""

from sqlalchemy import select

from bot import metrics
from bot.storage.models import AuditEntry
from tests.e2e.harness import STAFF_ID, eventually, expect, private_message, send_twice

OFFICER, NEW_STAFF = 4001, 4002


def audit_rows(bot):
    with bot.services.db.session() as s:
        return [(a.actor_id, a.action, a.detail) for a in s.scalars(select(AuditEntry))]


async def test_only_admins_manage_staff(api, bot):
    await api.send_command(OFFICER, "/staff")
    await expect(api, OFFICER, "solo para quienes administran")
    await api.send_command(NEW_STAFF, "/mi_id")
    msg = await expect(api, NEW_STAFF, str(NEW_STAFF))
    assert "<code>" in msg.text

    await api.send_command(NEW_STAFF, "/recargar")
    await expect(api, NEW_STAFF, "solo para el personal")
    await api.send_command(STAFF_ID, f"/staff agregar {NEW_STAFF} Rosa Quispe")
    await expect(api, STAFF_ID, "Se agregó")
    assert bot.services.is_staff(NEW_STAFF)
    await api.send_command(NEW_STAFF, "/recargar")
    await expect(api, NEW_STAFF, "recargada")

    await api.send_command(STAFF_ID, "/staff")
    listing = await expect(api, STAFF_ID, "Personal del MIMP")
    assert "Rosa Quispe" in listing.text
    # A forged "Quitar" from a non-admin (even a staff member) is refused and changes nothing.
    await api.press(NEW_STAFF, listing.message_id, f"v1:staff:rm:{NEW_STAFF}")
    await eventually(lambda: any(a.user_id == NEW_STAFF for a in api.callback_answers))
    assert bot.services.is_staff(NEW_STAFF)
    await api.press_button(STAFF_ID, "Quitar a Rosa")
    await expect(api, STAFF_ID, "Se quitó el acceso")
    assert not bot.services.is_staff(NEW_STAFF)
    await api.press(STAFF_ID, listing.message_id, f"v1:staff:rm:{NEW_STAFF}")  # twice
    await expect(api, STAFF_ID, "no está en la lista")

    actions = [(actor, action) for actor, action, _ in audit_rows(bot)]
    assert actions == [
        (STAFF_ID, "staff_add"), (NEW_STAFF, "kb_reload"), (STAFF_ID, "staff_remove"),
    ]


async def test_counters_move(api, bot):
    before = metrics.value("concerta_answers_total", band="answer")
    updates = metrics.value("concerta_updates_total")
    await api.send_text(OFFICER, "que es el ruva")
    await expect(api, OFFICER, "Fuente")
    assert metrics.value("concerta_answers_total", band="answer") == before + 1
    assert metrics.value("concerta_updates_total") > updates
    assert "concerta_crisis_replies_total" in metrics.render()


async def test_staff_ids_are_checked(api, bot):
    await api.send_command(STAFF_ID, "/staff agregar 123456789012345678901 Nombre Largo")
    await expect(api, STAFF_ID, "Para agregar")
    await api.send_command(STAFF_ID, "/staff agregar -5 Alguien")
    await expect(api, STAFF_ID, "Para agregar")
    assert audit_rows(bot) == []


async def test_a_replayed_staff_command_is_carried_out_and_answered_once(api, bot):
    await send_twice(api, bot, private_message(STAFF_ID, f"/staff agregar {NEW_STAFF} Rosa"))
    await expect(api, STAFF_ID, "Se agregó")
    await api.settle(STAFF_ID, quiet=0.5)
    said = [m.text for m in api.messages(STAFF_ID)]
    assert len([t for t in said if "Se agregó" in t]) == 1
    assert not [t for t in said if "ya" in t.split()]  # no "ya es personal" for the replay
    assert [a for _, a, _ in audit_rows(bot)] == ["staff_add"]


async def test_the_list_with_no_staff_members_has_no_keyboard(api, bot):
    """Not an empty reply_markup ({} is no keyboard Telegram knows): no reply_markup at all."""
    await api.send_command(STAFF_ID, "/staff")
    listing = await expect(api, STAFF_ID, "Personal del MIMP")
    assert listing.buttons == []
    [call] = [c for c in api.calls_to("sendMessage") if "Personal del MIMP" in c.params["text"]]
    assert "reply_markup" not in call.params
