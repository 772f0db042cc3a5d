"""The map in the README, checked: what each folder may import, and no transaction held across an
await. Read from the source (every import statement, also those inside functions), not from
what happens to be imported at run time."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TELEGRAM_SIDE = ("telegram", "handlers", "standin")
# The one module of bot/ that starts the Telegram side (run, webhook, demo).
BOT_ENTRY = "bot.__main__"
# What a handler module may import from handlers/: the shared pieces, nothing else.
SHARED = frozenset({"handlers.common"})
# The composition root: builds the Application from every handler and the infrastructure
# (persistence, retrying_request, update_processor, webhook), which only it imports.
ROOT_MODULE = "handlers.app"


def modules(package: str) -> dict[str, Path]:
    """Dotted name -> file, for every module of a top-level package of the repository."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    assert found, f"no modules under {package}/"
    return found


def imported(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted name) of everything `module` imports; relative imports made absolute and
    `from a import b` counted as a.b too, since b may be a module."""
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.append((node.lineno, base))
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return names


def within(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def telegram_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    return [
        f"line {line}: {name}"
        for line, name in imported(source, module, is_package=is_package)
        if any(within(name, top) for top in TELEGRAM_SIDE)
    ]


def handler_imports(source: str, module: str, known: set[str]) -> list[str]:
    """Modules of handlers/ that `module` imports beyond the shared ones."""
    return [
        f"line {line}: {name}"
        for line, name in imported(source, module)
        if name in known and name not in SHARED and name != module and name != "handlers"
    ]


def awaits_in_sessions(source: str) -> list[int]:
    """Lines of `with ….session()` blocks that contain an await."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.With | ast.AsyncWith):
            continue
        opens_session = any(
            isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Attribute)
            and item.context_expr.func.attr == "session"
            for item in node.items
        )
        if opens_session and any(isinstance(n, ast.Await) for n in ast.walk(node)):
            lines.append(node.lineno)
    return lines


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ---- the checks, on samples: each one can fail -------------------------------------------------


def test_the_import_scan_sees_every_form_of_import():
    source = (
        "import telegram.ext\n"
        "from bot import config\n"
        "def later():\n"
        "    from handlers.common import svc\n"
        "    import standin.server as s\n"
        "from . import app\n"
        "from .persistence import DatabasePersistence\n"
    )
    assert telegram_imports(source, "bot.cli") == [
        "line 1: telegram.ext",
        "line 4: handlers.common",
        "line 4: handlers.common.svc",
        "line 5: standin.server",
    ]
    known = {"handlers.common", "handlers.app", "handlers.persistence"}
    assert handler_imports(source, "handlers.report", known) == [
        "line 6: handlers.app",
        "line 7: handlers.persistence",
    ]
    assert handler_imports("from handlers import report\n", "handlers.app", {"handlers.report"})


def test_the_session_scan_finds_an_await_anywhere_in_the_block():
    held = (
        "async def f(db, bot):\n"
        "    with db.session() as s:\n"
        "        s.add(1)\n"
        "        if s:\n"
        "            await bot.send_message(1, 'x')\n"
        "    async with services.db.session() as s:\n"
        "        [await x for x in s]\n"
    )
    assert awaits_in_sessions(held) == [2, 6]
    released = (
        "async def f(db, bot):\n"
        "    with db.session() as s:\n"
        "        s.add(1)\n"
        "    await bot.send_message(1, 'x')\n"
        "    with open('f') as fh:\n"
        "        await bot.send_document(1, fh)\n"
    )
    assert awaits_in_sessions(released) == []


# ---- the repository ----------------------------------------------------------------------------


def test_the_core_knows_nothing_of_telegram():
    found = {}
    for module, path in modules("bot").items():
        if module != BOT_ENTRY:
            bad = telegram_imports(read(path), module, is_package=path.name == "__init__.py")
            if bad:
                found[str(path.relative_to(ROOT))] = bad
    assert not found, f"bot/ must not import {', '.join(TELEGRAM_SIDE)}: {found}"


def test_the_console_is_a_web_shell_over_the_core():
    """console/ calls bot/ like the chat does, and knows nothing of Telegram or the stand-in."""
    found = {}
    for module, path in modules("console").items():
        bad = telegram_imports(read(path), module, is_package=path.name == "__init__.py")
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    assert not found, f"console/ must not import {', '.join(TELEGRAM_SIDE)}: {found}"


def test_the_core_knows_nothing_of_the_console():
    found = {}
    for module, path in modules("bot").items():
        bad = [
            f"line {line}: {name}"
            for line, name in imported(read(path), module, is_package=path.name == "__init__.py")
            if within(name, "console")
        ]
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    assert not found, f"bot/ must not import console/: {found}"


def test_no_handler_module_imports_another():
    known = set(modules("handlers"))
    found = {}
    for module, path in modules("handlers").items():
        if module != ROOT_MODULE:
            bad = handler_imports(read(path), module, known)
            if bad:
                found[str(path.relative_to(ROOT))] = bad
    assert not found, (
        f"a module of handlers/ may import only {sorted(SHARED)} from handlers/ "
        f"({ROOT_MODULE} wires the rest): {found}"
    )


def test_no_transaction_is_open_across_an_await():
    found = {}
    for package in ("bot", "handlers", "console"):
        for path in modules(package).values():
            lines = awaits_in_sessions(read(path))
            if lines:
                found[str(path.relative_to(ROOT))] = lines
    assert not found, f"`with ….session()` blocks that await (file: lines): {found}"
