"""Telegram HTML (parse_mode=HTML): validate, measure and split messages.

Pure module (no Telegram imports) so the knowledge-base checker and the handlers share one
definition of "what Telegram accepts". It is deliberately stricter than Telegram where Telegram
would silently drop formatting instead of failing: a message that validates here renders as
written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tags of Telegram's HTML subset; the value is the canonical entity they produce, used for
# the nesting rules (e.g. <strong> behaves as <b>).
_TAGS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "a": "a",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_URL_SCHEMES = ("http://", "https://", "tg://", "mailto:")

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[\s/][^<>]*)?)>")
_ATTR_RE = re.compile(
    r"\s*([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]*);")
_PLAIN_RE = re.compile(r"[^<&]+")


@dataclass(frozen=True)
class _Token:
    kind: str  # "text" (one character, or a run of them: see _scan), "open", "close"
    start: int
    end: int
    char: str = ""  # decoded character for "text" tokens (entities included)
    name: str = ""  # lowercase tag name for "open"/"close"


@dataclass(frozen=True)
class HtmlError:
    """Where and why Telegram would reject a message."""

    offset: int  # index into the HTML string
    line: int  # 1-based line of `offset`
    reason: str

    def __str__(self) -> str:
        return f"{self.reason} (line {self.line})"


def _decode_entity(body: str) -> str | None:
    if body.startswith("#"):
        try:
            code = int(body[2:], 16) if body[1:2] in "xX" and len(body) > 2 else int(body[1:])
        except ValueError:
            return None
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code)
    return _NAMED_ENTITIES.get(body)


def _parse_attrs(raw: str) -> dict[str, str | None] | str:
    """Attributes of a start tag, or an error reason."""
    attrs: dict[str, str | None] = {}
    pos = 0
    raw = raw.rstrip()
    while pos < len(raw):
        m = _ATTR_RE.match(raw, pos)
        if not m or m.end() == pos:
            return f"malformed attributes {raw.strip()!r}"
        name = m.group(1).lower()
        if name in attrs:
            return f"duplicate attribute {name!r}"
        value = next((g for g in m.group(2, 3, 4) if g is not None), None)
        attrs[name] = value
        pos = m.end()
    return attrs


def _scan(
    html: str, strict: bool, *, runs: bool = False
) -> tuple[list[_Token], tuple[int, str] | None]:
    """Tokenize; in strict mode stop at the first lexical error and return it.

    Lenient mode (for measuring and splitting) treats a stray '<' or '&' as text, which is
    what a reader would see. With `runs`, text between tags and entities is one token instead
    of one per character: what checking and measuring need, and many times faster (splitting
    needs the characters).
    """
    tokens: list[_Token] = []
    i, n = 0, len(html)
    while i < n:
        c = html[i]
        if runs and c not in "<&":
            end = _PLAIN_RE.match(html, i).end()  # type: ignore[union-attr]
            tokens.append(_Token("text", i, end, html[i:end]))
            i = end
            continue
        if c == "<":
            m = _TAG_RE.match(html, i)
            if m is None:
                if strict:
                    return tokens, (i, "unescaped '<' (write &lt;)")
                tokens.append(_Token("text", i, i + 1, "<"))
                i += 1
                continue
            closing, name = m.group(1) == "/", m.group(2).lower()
            tokens.append(_Token("close" if closing else "open", i, m.end(), name=name))
            i = m.end()
            continue
        if c == "&":
            m = _ENTITY_RE.match(html, i)
            decoded = _decode_entity(m.group(1)) if m else None
            if decoded is None:
                if strict:
                    if m and m.group(1).startswith("#"):
                        return tokens, (i, f"invalid character reference {m.group(0)}")
                    if m:
                        return tokens, (
                            i,
                            f"unsupported entity {m.group(0)} "
                            "(only &lt; &gt; &amp; &quot; and numeric ones)",
                        )
                    return tokens, (i, "unescaped '&' (write &amp;)")
                tokens.append(_Token("text", i, i + 1, "&"))
                i += 1
                continue
            tokens.append(_Token("text", i, m.end(), decoded))
            i = m.end()
            continue
        tokens.append(_Token("text", i, i + 1, c))
        i += 1
    return tokens, None


def _check_tag(name: str, attrs: dict[str, str | None], parent: str | None) -> str | None:
    allowed: set[str] = set()
    if name == "a":
        href = attrs.get("href")
        if not href:
            return "<a> needs a non-empty href"
        if not href.startswith(_URL_SCHEMES):
            return f"href {href!r} must start with http://, https://, tg:// or mailto:"
        allowed = {"href"}
    elif name == "code" and "class" in attrs:
        if parent != "pre":
            return "a language class is only allowed on <code> inside <pre>"
        if not (attrs["class"] or "").startswith("language-"):
            return "<code> class must be language-<name>"
        allowed = {"class"}
    elif name == "blockquote":
        if attrs.get("expandable") is not None:
            return "'expandable' takes no value"
        allowed = {"expandable"}
    elif name == "span":
        if attrs.get("class") != "tg-spoiler":
            return '<span> is only allowed as <span class="tg-spoiler">'
        allowed = {"class"}
    extra = sorted(set(attrs) - allowed)
    if extra:
        return f"attribute {extra[0]!r} not allowed on <{name}>"
    return None


def find_error(html: str) -> HtmlError | None:
    """The first reason Telegram would reject `html`, with its position; None if it is fine."""

    def err(offset: int, reason: str) -> HtmlError:
        return HtmlError(offset, html.count("\n", 0, offset) + 1, reason)

    tokens, lex_error = _scan(html, strict=True, runs=True)
    # Replay the tokens through the nesting rules even when lexing failed, so that the first
    # error in document order wins.
    stack: list[tuple[str, int]] = []  # (tag name, offset)
    for tok in tokens:
        if tok.kind == "text":
            continue
        name = tok.name
        raw = html[tok.start : tok.end]
        if name not in _TAGS:
            return err(tok.start, f"tag <{name}> is not supported by Telegram")
        if tok.kind == "close":
            if raw[2 + len(name) :].strip(" \t\n>"):
                return err(tok.start, f"closing tag </{name}> cannot have attributes")
            if not stack:
                return err(tok.start, f"</{name}> closes nothing")
            if stack[-1][0] != name:
                return err(tok.start, f"</{name}> found but <{stack[-1][0]}> is still open")
            stack.pop()
            continue
        inner = _TAG_RE.match(raw).group(3)  # type: ignore[union-attr]
        if inner.rstrip().endswith("/"):
            return err(tok.start, f"self-closing <{name}/> is not supported")
        attrs = _parse_attrs(inner)
        if isinstance(attrs, str):
            return err(tok.start, f"<{name}>: {attrs}")
        parent = stack[-1][0] if stack else None
        reason = _check_tag(name, attrs, parent)
        if reason:
            return err(tok.start, reason)
        kind = _TAGS[name]
        open_kinds = [_TAGS[t] for t, _ in stack]
        if "code" in open_kinds:
            return err(tok.start, f"<{name}> cannot go inside <code>")
        if "pre" in open_kinds and not (kind == "code" and parent == "pre"):
            return err(tok.start, f"<{name}> cannot go inside <pre> (only <code>)")
        if kind == "a" and "a" in open_kinds:
            return err(tok.start, "links cannot be nested")
        if kind in ("code", "pre") and "a" in open_kinds:
            return err(tok.start, f"<{name}> cannot go inside a link")
        if kind == "blockquote" and "blockquote" in open_kinds:
            return err(tok.start, "blockquotes cannot be nested")
        stack.append((name, tok.start))
    if lex_error:
        return err(*lex_error)
    if stack:
        name, offset = stack[-1]
        return err(offset, f"<{name}> is never closed")
    if not "".join(t.char for t in tokens).strip():
        return err(0, "message has no visible text")
    return None


def validate(html: str) -> str | None:
    """None if Telegram accepts `html` with parse_mode=HTML, else a short reason."""
    error = find_error(html)
    return None if error is None else str(error)


def _units(text: str) -> int:
    # Telegram measures length in UTF-16 code units: astral characters (most emoji) count 2.
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def plain_text(html: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    tokens, _ = _scan(html, strict=False, runs=True)
    return "".join(t.char for t in tokens if t.kind == "text")


def visible_length(html: str) -> int:
    """Length Telegram checks against its 4,096 limit (UTF-16 code units of the visible text)."""
    return _units(plain_text(html))


def split_message(html: str, limit: int = 4096) -> list[str]:
    """Split `html` into balanced chunks whose visible length is at most `limit`.

    Cuts prefer paragraph breaks, then line breaks, then spaces, and only as a last resort
    fall between two characters; never inside a tag or an entity. Tags open at a cut are
    closed at the end of the chunk and reopened (same attributes) at the start of the next.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2 (one emoji is 2 UTF-16 units)")
    if visible_length(html) <= limit:
        return [html] if plain_text(html).strip() else []
    tokens, _ = _scan(html, strict=False)
    n = len(tokens)
    chunks: list[str] = []
    stack: list[tuple[str, str]] = []  # (name, raw opening tag) open at `start`
    start = 0
    while start < n:
        prefix = "".join(raw for _, raw in stack)
        cur = list(stack)
        used = 0
        # Best cut of each kind: (cut index, resume index, open tags at the cut).
        best: dict[str, tuple[int, int, list[tuple[str, str]]]] = {}
        seen_text = False
        j = start
        while j < n:
            tok = tokens[j]
            if tok.kind == "text":
                units = _units(tok.char)
                if used + units > limit and used > 0:
                    break
                if tok.char in "\n " and seen_text:
                    k = j
                    while k < n and tokens[k].kind == "text" and tokens[k].char in "\n \t":
                        k += 1
                    run = "".join(t.char for t in tokens[j:k])
                    kind = "para" if "\n\n" in run else "line" if "\n" in run else "word"
                    best[kind] = (j, k, list(cur))
                used += units
                seen_text = seen_text or not tok.char.isspace()
            elif tok.kind == "open" and tok.name in _TAGS:
                cur.append((tok.name, html[tok.start : tok.end]))
            elif tok.kind == "close" and cur and cur[-1][0] == tok.name:
                cur.pop()
            j += 1
        if j >= n:
            cut, resume, open_at_cut = n, n, cur
        else:
            choice = best.get("para") or best.get("line") or best.get("word")
            cut, resume, open_at_cut = choice if choice else (j, j, cur)
        body = "".join(html[t.start : t.end] for t in tokens[start:cut])
        suffix = "".join(f"</{name}>" for name, _ in reversed(open_at_cut))
        chunk = prefix + body + suffix
        if plain_text(chunk).strip():
            chunks.append(chunk)
        stack = list(open_at_cut)
        start = resume
    return chunks
