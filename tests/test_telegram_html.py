"""Telegram HTML validator, length and splitter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram_html import _scan, find_error, plain_text, split_message, validate, visible_length

ACCEPTED = [
    "texto simple",
    "<b>negrita</b> <strong>fuerte</strong> <i>it</i> <em>em</em>",
    "<u>u</u> <ins>ins</ins> <s>s</s> <strike>st</strike> <del>del</del>",
    '<a href="https://www.gob.pe/mimp">MIMP</a>',
    "<code>/reporte</code>",
    '<pre><code class="language-python">print(1 &lt; 2)</code></pre>',
    "<pre>bloque</pre>",
    "<blockquote>cita</blockquote>",
    "<blockquote expandable>larga</blockquote>",
    "<tg-spoiler>oculto</tg-spoiler>",
    '<span class="tg-spoiler">oculto</span>',
    "&lt; &gt; &amp; &quot; &#65; &#x1F4D6;",
    "<b>negrita <i>e itálica</i></b>",
    '<b><a href="https://x.pe">enlace en negrita</a></b>',
    '<a href="https://x.pe"><b>negrita en enlace</b></a>',
    "2 > 1 está permitido",
    "<B>mayúsculas</B>",
    "línea 1\n\n• viñeta",
]

REJECTED = [
    ("a < b", "unescaped '<'"),
    ("Ley & Reglamento", "unescaped '&'"),
    ("&nbsp;", "unsupported entity"),
    ("&#0;", "invalid character reference"),
    ("<b>sin cerrar", "never closed"),
    ("sin abrir</b>", "closes nothing"),
    ("<b><i>cruzado</b></i>", "still open"),
    ("línea<br>otra", "not supported"),
    ("<br/>", "not supported"),
    ("<p>párrafo</p>", "not supported"),
    ("<a>sin href</a>", "href"),
    ('<a href="">vacío</a>', "href"),
    ('<a href="javascript:alert(1)">x</a>', "must start with"),
    ('<b class="x">x</b>', "not allowed"),
    ('<span class="rojo">x</span>', "tg-spoiler"),
    ('<code class="language-py">x</code>', "only allowed on <code> inside <pre>"),
    ("<code><b>x</b></code>", "inside <code>"),
    ("<pre><b>x</b></pre>", "inside <pre>"),
    ('<a href="https://a.pe"><a href="https://b.pe">x</a></a>', "nested"),
    ('<a href="https://a.pe"><code>x</code></a>', "inside a link"),
    ("<blockquote><blockquote>x</blockquote></blockquote>", "cannot be nested"),
    ('<blockquote expandable="yes">x</blockquote>', "takes no value"),
    ("</b >", "closes nothing"),
    ("<b>  </b>", "no visible text"),
]


@pytest.mark.parametrize("html", ACCEPTED)
def test_accepts(html):
    assert validate(html) is None


@pytest.mark.parametrize(("html", "reason"), REJECTED)
def test_rejects(html, reason):
    result = validate(html)
    assert result is not None and reason in result, result


def test_error_position_and_line():
    error = find_error("<b>ok</b>\n\nuno & dos")
    assert error is not None
    assert (error.line, error.offset) == (3, 15)


def test_first_error_in_document_order_wins():
    assert "closes nothing" in validate("</i> y luego &")


def test_visible_length_counts_utf16_units():
    assert visible_length("<b>hola</b>") == 4
    assert visible_length("&lt;&amp;&gt;") == 3
    assert visible_length("📖") == 2  # astral emoji: a surrogate pair for Telegram
    assert visible_length("• ñ á") == 5  # BMP characters count 1
    assert visible_length('<a href="https://www.gob.pe/mimp">MIMP</a> 👍🏽') == 4 + 1 + 4
    assert plain_text("<i>a &amp; b</i>") == "a & b"


def _long_message() -> str:
    paragraphs = []
    for i in range(40):
        words = " ".join(f"palabra{j}" for j in range(30))
        paragraphs.append(f"<b>Párrafo {i}</b> 📖 {words} &amp; más")
    return "<i>" + "\n\n".join(paragraphs) + "</i>"


def _words(html: str) -> list[str]:
    return plain_text(html).split()


@pytest.mark.parametrize("limit", [200, 500, 1000, 4096])
def test_split_long_message(limit):
    html = _long_message() * 3
    chunks = split_message(html, limit)
    assert len(chunks) >= visible_length(html) // limit
    for chunk in chunks:
        assert validate(chunk) is None, chunk
        assert visible_length(chunk) <= limit
    assert [w for c in chunks for w in _words(c)] == _words(html)


def test_split_prefers_paragraph_boundaries():
    paragraphs = [f"Párrafo {i}: " + "texto " * 20 for i in range(10)]
    html = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_message(html, 300)
    for chunk in chunks:
        assert chunk.startswith("Párrafo")
        assert not chunk.endswith(" ")


def test_split_reopens_tags_with_attributes():
    html = '<a href="https://www.gob.pe/mimp"><b>' + "uno dos tres " * 50 + "</b></a>"
    chunks = split_message(html, 100)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.startswith('<a href="https://www.gob.pe/mimp"><b>')
        assert chunk.endswith("</b></a>")
        assert validate(chunk) is None


def test_split_single_long_word_and_entities():
    html = "x" * 250 + " &amp;&amp;&amp; " + "😀" * 120
    chunks = split_message(html, 100)
    for chunk in chunks:
        assert validate(chunk) is None
        assert visible_length(chunk) <= 100
        assert not re.search(r"&[a-z]*$", chunk)  # never cut inside an entity
    assert "".join(plain_text(c) for c in chunks).replace(" ", "") == plain_text(html).replace(
        " ", ""
    )


def test_split_short_message_is_unchanged():
    assert split_message("<b>hola</b>") == ["<b>hola</b>"]


def test_split_rejects_tiny_limit():
    with pytest.raises(ValueError):
        split_message("hola", 1)


_PIECES = ["a", "ñ", " ", "\n", "<", ">", "&", "&amp;", "&lt;", "&#128512;", "&nbsp;", "&#0;",
           "<b>", "</b>", "<i>", "</i>", '<a href="https://x.pe">', "</a>", "<br>", "<pre>",
           "<code>", "</code>", "</pre>", "😀", "<b", "x>"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join), st.booleans())
def test_text_runs_read_exactly_as_characters_do(html, strict):
    """Checking and measuring scan text in runs; they must see what one token per character
    (what splitting uses) sees: the same tags, the same text, the same first error."""
    by_char, char_error = _scan(html, strict)
    by_run, run_error = _scan(html, strict, runs=True)
    assert run_error == char_error
    assert [t for t in by_run if t.kind != "text"] == [t for t in by_char if t.kind != "text"]
    text = "".join(t.char for t in by_char if t.kind == "text")
    assert "".join(t.char for t in by_run if t.kind == "text") == text
