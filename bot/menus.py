"""The command menus: officers see the default one; each staff member gets their own.

Telegram keeps a menu per scope: the default one is the officers', and a chat's own (set for
every staff member at start and when an admin adds them with /staff, deleted when removed)
puts the staff tools first. The descriptions are mensajes.yaml's `comandos` and
`comandos_personal`; the staff lines of /ayuda are the same words, so the two never disagree.
"""

from __future__ import annotations

from bot.services import Services
from bot.storage import staff as store

# Officers' menu, in this order; each command must have a handler.
OFFICER = (
    "start", "temas", "reporte", "mi_reporte", "especialista", "perfil", "borrar_mis_datos",
    "cancelar", "ayuda",
)  # fmt: skip
# Staff tools, before the officers' commands in a staff member's menu.
STAFF = (
    "difundir", "recordatorios", "pendientes", "resumen", "exportar", "sin_respuesta",
    "consultas", "cerrar", "recargar",
)  # fmt: skip
ADMIN = ("staff",)  # what only the admins of the configuration may use
CONSOLE = ("panel",)  # the web console's sign-in link, when the console is on

Menu = list[tuple[str, str]]  # (command, description)


def officer_menu(s: Services) -> Menu:
    described = s.messages.section("comandos")
    return [(c, described[c]) for c in OFFICER]


def _staff_commands(s: Services, user_id: int) -> Menu:
    described = s.messages.section("comandos_personal")
    commands = (
        STAFF
        + (CONSOLE if s.settings.console.enabled else ())
        + (ADMIN if s.is_admin(user_id) else ())
    )
    return [(c, described[c]) for c in commands]


def staff_menu(s: Services, user_id: int) -> Menu | None:
    """This person's own menu, or None: not staff, they see the officers' menu."""
    if not s.is_staff(user_id):
        return None
    return _staff_commands(s, user_id) + officer_menu(s)


def staff_ids(s: Services) -> list[int]:
    """Everyone who gets a menu of their own at start: the admins and the staff they added."""
    with s.db.session() as session:
        added = [m.telegram_id for m in store.list_staff(session)]
    return sorted(set(s.settings.admins) | set(added))


def staff_help(s: Services, user_id: int) -> str | None:
    """/ayuda's second message for staff: each tool with one line; None for officers."""
    if not s.is_staff(user_id):
        return None
    lines = [s.messages("ayuda_personal_titulo")]
    lines += [f"/{c} — {d}" for c, d in _staff_commands(s, user_id)]
    return "\n".join(lines)
