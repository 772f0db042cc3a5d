"""Every request the bot sends to the stand-in, and every answer the stand-in gives, checked
against the official Bot API specification (api.json beside this file, see LICENSE.md).

The stand-in is only as good as its fidelity: a field the bot sends that Telegram does not know,
a missing required parameter or an answer shaped unlike Telegram's would pass every test and
fail in production. tests/conftest.py gives every stand-in the tests create one `SpecChecker`,
and fails the test during which a violation was recorded, naming the method and the field.

The limits checked are the ones the specification writes in its field descriptions ("1-4096
characters after entities parsing", "1-64 bytes", "At most 100 commands", "Can contain only
lowercase English letters, digits and underscores"), so a new limit in a newer copy of the file
is checked without touching this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Any

from standin.server import parse_html

SPEC_PATH = Path(__file__).with_name("api.json")

_RANGE_RE = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_AT_MOST_RE = re.compile(r"\b[Aa]t most (\d+) ")
_ALWAYS_RE = re.compile(r'always "([^"]+)"')
# The discriminator of a union's member ("Scope type, must be chat"): what tells a
# BotCommandScopeChat from a BotCommandScopeDefault, both objects with a "type".
_MUST_BE_RE = re.compile(r"^(?:Scope type|Type of the [a-z ]+), must be ([a-z0-9_]+)$")
# Character rules the specification states in words; the words are matched exactly, so a
# rewording in a newer copy shows up as an unchecked rule rather than a wrong one.
_ALPHABETS = {
    "Can contain only lowercase English letters, digits and underscores": re.compile(r"[a-z0-9_]*"),
    "Only characters A-Z, a-z, 0-9, _ and - are allowed": re.compile(r"[A-Za-z0-9_-]*"),
}
_SCALARS = ("Integer", "Float", "String", "Boolean")
# python-telegram-bot's Defaults put their parse_mode into every call made through
# Bot._send_message, editMessageReplyMarkup included, which has no such parameter (Telegram
# ignores a parameter it does not know). The library's doing, not the bot's: tolerated here only.
_LIBRARY_EXTRAS = frozenset({("editmessagereplymarkup", "parse_mode")})


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


class SpecChecker:
    """Collects violations of the specification; `take()` hands them over and forgets them."""

    def __init__(self, spec: dict | None = None):
        spec = spec if spec is not None else load_spec()
        self.version: str = spec.get("version", "?")
        self._methods = {name.lower(): m for name, m in spec["methods"].items()}
        self._types: dict[str, dict] = spec["types"]
        self.violations: list[str] = []

    def take(self) -> list[str]:
        found, self.violations = self.violations, []
        return found

    # ---- the two calls the stand-in makes ------------------------------------------------

    def request(self, method: str, values: dict[str, Any], files: Collection[str]) -> None:
        """One request as received: form or JSON values, and the names of uploaded files."""
        spec = self._methods.get(method.lower())
        if spec is None:
            self._add(f"{method}: no such method in {self.version}")
            return
        name = spec["name"]
        if name != method:
            # Telegram matches method names case-insensitively; the bot should not rely on it.
            self._add(f"{method}: the method is spelt {name}")
        fields = {f["name"]: f for f in spec.get("fields", [])}
        for field in fields.values():
            if field["required"] and field["name"] not in values and field["name"] not in files:
                self._add(f"{name}: {field['name']}: required parameter missing")
        attached = {str(v)[len("attach://") :] for v in values.values() if _is_attach(v)}
        for key in sorted(files):
            field = fields.get(key)
            if field is None and key not in attached:
                self._add(f"{name}: {key}: no such parameter (a file was uploaded under it)")
            elif field is not None and "InputFile" not in field["types"]:
                self._add(f"{name}: {key}: a file was uploaded, expected {self._or(field)}")
        for key in sorted(values):
            field = fields.get(key)
            if field is None:
                if (name.lower(), key) not in _LIBRARY_EXTRAS:
                    self._add(f"{name}: {key}: no such parameter")
                continue
            value = self._decode(values[key], field["types"], files)
            for problem in self._check(value, field["types"], key, field, siblings=values):
                self._add(f"{name}: {problem}")

    def response(self, method: str, body: dict) -> None:
        """One answer of the stand-in: {"ok": true, "result": …} or the error shape."""
        spec = self._methods.get(method.lower())
        name = spec["name"] if spec else method
        where = f"{name} answer"
        problems: list[str] = []
        if body.get("ok") is True:
            problems += [f"unknown key {k}" for k in body if k not in ("ok", "result")]
            if spec is not None:
                problems += self._check(body.get("result"), spec["returns"], "result")
        elif body.get("ok") is False:
            allowed = ("ok", "error_code", "description", "parameters")
            problems += [f"unknown key {k}" for k in body if k not in allowed]
            problems += self._check(body.get("error_code"), ["Integer"], "error_code")
            problems += self._check(body.get("description"), ["String"], "description")
            if "parameters" in body:
                problems += self._check(body["parameters"], ["ResponseParameters"], "parameters")
        else:
            problems.append("ok: expected true or false")
        for problem in problems:
            self._add(f"{where}: {problem}")

    # ---- checking values -----------------------------------------------------------------

    def _add(self, violation: str) -> None:
        self.violations.append(violation)

    @staticmethod
    def _or(field: dict) -> str:
        return " or ".join(field["types"])

    def _decode(self, value: Any, types: list[str], files: Collection[str]) -> Any:
        """A form value is a string; objects and arrays in it are JSON, numbers are digits."""
        if not isinstance(value, str):
            return value
        if _is_attach(value) and "InputFile" in types:
            return _Attached(value[len("attach://") :] in files)
        if "String" in types:
            return value
        for kind in types:
            if kind == "Integer" and re.fullmatch(r"-?\d+", value):
                return int(value)
            if kind == "Float":
                try:
                    return float(value)
                except ValueError:
                    continue
            if kind == "Boolean" and value in ("true", "false"):
                return value == "true"
            if kind.startswith("Array of ") or kind in self._types:
                try:
                    return json.loads(value)
                except ValueError:
                    continue
        return _Undecodable(value)

    def _check(
        self,
        value: Any,
        types: list[str],
        path: str,
        field: dict | None = None,
        siblings: dict | None = None,
    ) -> list[str]:
        """Problems of one value against a union of types (empty when one alternative fits)."""
        best: list[str] | None = None
        for kind in types:
            problems = self._check_one(value, kind, path, field, siblings)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        if len(types) > 1 and best and best[0].startswith(f"{path}: expected "):
            return [f"{path}: expected {' or '.join(types)}, got {_describe(value)}"]
        return best or []

    def _check_one(
        self, value: Any, kind: str, path: str, field: dict | None, siblings: dict | None
    ) -> list[str]:
        if isinstance(value, _Undecodable):
            return [f"{path}: expected {kind}, got {_describe(value.text)}"]
        if kind == "InputFile":
            if isinstance(value, _Attached):
                return [] if value.present else [f"{path}: attach:// names no uploaded file"]
            return [f"{path}: expected InputFile, got {_describe(value)}"]
        if kind.startswith("Array of "):
            return self._check_array(value, kind[len("Array of ") :], path, field)
        if kind in _SCALARS:
            return self._check_scalar(value, kind, path, field, siblings)
        spec = self._types.get(kind)
        if spec is None:
            return [f"{path}: the specification has no type {kind}"]
        if "subtypes" in spec:
            return self._check_union(value, spec["subtypes"], path)
        return self._check_object(value, spec, path)

    def _check_union(self, value: Any, members: list[str], path: str) -> list[str]:
        """A union whose members name their "type" (scopes, media…) is checked as the member
        that type names, so its problems are that member's; other unions, as any member."""
        tags = {}
        for member in members:
            fields = {f["name"]: f for f in self._types.get(member, {}).get("fields", [])}
            tag = _MUST_BE_RE.match(fields.get("type", {}).get("description", ""))
            if tag:
                tags[tag.group(1)] = member
        if len(tags) != len(members) or not isinstance(value, dict) or "type" not in value:
            return self._check(value, members, path)
        member = tags.get(value["type"])
        if member is None:
            known = ", ".join(repr(tag) for tag in tags)
            return [f"{path}.type: expected one of {known}, got {_describe(value['type'])}"]
        return self._check(value, [member], path)

    def _check_array(self, value: Any, inner: str, path: str, field: dict | None) -> list[str]:
        if not isinstance(value, list):
            return [f"{path}: expected Array of {inner}, got {_describe(value)}"]
        problems: list[str] = []
        at_most = _AT_MOST_RE.search(field["description"]) if field else None
        if at_most and len(value) > int(at_most.group(1)):
            problems.append(f"{path}: {len(value)} items, at most {at_most.group(1)}")
        for i, item in enumerate(value):
            problems += self._check(item, [inner], f"{path}[{i}]")
        return problems

    def _check_scalar(
        self, value: Any, kind: str, path: str, field: dict | None, siblings: dict | None
    ) -> list[str]:
        fits = {
            "Integer": isinstance(value, int) and not isinstance(value, bool),
            "Float": isinstance(value, int | float) and not isinstance(value, bool),
            "String": isinstance(value, str),
            "Boolean": isinstance(value, bool),
        }[kind]
        if not fits:
            return [f"{path}: expected {kind}, got {_describe(value)}"]
        if kind != "String" or field is None:
            return []
        return self._check_string(value, path, field["description"], siblings)

    def _check_string(self, value: str, path: str, description: str, siblings: dict | None):
        problems: list[str] = []
        always = _ALWAYS_RE.search(description) or _MUST_BE_RE.match(description)
        if always and value != always.group(1):
            problems.append(f"{path}: expected {always.group(1)!r}, got {_describe(value)}")
        limit = _RANGE_RE.search(description)
        if limit:
            low, high, unit = int(limit.group(1)), int(limit.group(2)), limit.group(3)
            size = (
                len(value.encode())
                if unit == "bytes"
                else self._length(value, description, siblings)
            )
            if size is not None and not low <= size <= high:
                problems.append(f"{path}: {size} {unit}, allowed {low}-{high}")
        for words, alphabet in _ALPHABETS.items():
            if words in description and not alphabet.fullmatch(value):
                problems.append(f"{path}: {_describe(value)} breaks {words!r}")
        return problems

    @staticmethod
    def _length(value: str, description: str, siblings: dict | None) -> int | None:
        """Characters as Telegram counts them (UTF-16), after parsing the markup if it says so."""
        if "after entities parsing" in description and siblings is not None:
            mode = str(siblings.get("parse_mode") or "").lower()
            if mode == "html":
                try:
                    value = parse_html(value)[0]
                except Exception:  # Telegram's own 400 (the stand-in answers it), not ours
                    return None
            elif mode:
                return None
            value = value.strip()
        return _u16(value)

    def _check_object(self, value: Any, spec: dict, path: str) -> list[str]:
        name = spec["name"]
        if not isinstance(value, dict):
            return [f"{path}: expected {name}, got {_describe(value)}"]
        fields = {f["name"]: f for f in spec.get("fields", [])}
        problems = [
            f"{path}.{f['name']}: required in {name}, missing"
            for f in fields.values()
            if f["required"] and f["name"] not in value
        ]
        for key, item in value.items():
            field = fields.get(key)
            if field is None:
                problems.append(f"{path}.{key}: no such field in {name}")
                continue
            problems += self._check(item, field["types"], f"{path}.{key}", field, siblings=value)
        return problems


def _is_attach(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("attach://")


class _Undecodable:
    """A form string that is none of the field's types (e.g. "abc" for an Integer)."""

    def __init__(self, text: str):
        self.text = text


class _Attached:
    """A form value "attach://name": a file uploaded in another part of the request."""

    def __init__(self, present: bool):
        self.present = present


@cache
def load_spec() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))
