"""The survey's expression language (XLSForm style), parsed into a tree: never Python eval.

Expressions are parsed once when the survey loads, so a typo is reported with its file and
line before any officer meets the question; evaluating never raises.

Syntax::

    .                      the answer being checked (only in `restriccion`)
    ${id}                  an earlier answer; null when unanswered, skipped or not relevant
    'text' "text" 12 3.5   literals; true / false
    = != < <= > >=         comparisons (at most one per operand: `a < b < c` is an error)
    + -                    numbers; a date plus/minus a number of days; date - date = days
    and or not( )          logic
    today()  selected(x, 'valor')  count-selected(x)  string-length(x)  date('2024-01-31')
    period-start()  period-end()   the first and last day of the semester being reported

Null rules (kept deliberately simple for staff): comparing with null is false, for `=` and
`!=` alike, so `not(...)` of such a comparison is true. The one exception is the empty
string: `x = ''` is true when x is null, '' or an empty selection, and `x != ''` is its
negation. Dates compare as dates; a si_no answer equals true/'si' or false/'no'.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

log = logging.getLogger(__name__)

Lookup = Callable[[str], Any]

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{[^}]*\}?)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^']*'?|"[^"]*"?)
  | (?P<op><=|>=|!=|==|=|<|>|\+|-|\(|\)|,|\.|&&|\|\|)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*)
  | (?P<bad>.)
    """,
    re.VERBOSE,
)
_REF_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
# name -> number of arguments
FUNCTIONS = {
    "today": 0,
    "selected": 2,
    "count-selected": 1,
    "string-length": 1,
    "date": 1,
    "not": 1,
    "period-start": 0,
    "period-end": 0,
}
# The names under which `lookup` gives the reported semester's first and last day: not ids
# (an id has no "-"), so no question can shadow them.
PERIOD_START, PERIOD_END = "period-start()", "period-end()"
_TRUE_WORDS = frozenset({"si", "sí", "true"})
_FALSE_WORDS = frozenset({"no", "false"})


class ExprError(ValueError):
    """A syntax error; `column` is 1-based within the expression text."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (columna {self.column})"


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    col: int


# --------------------------------------------------------------------------- tree


@dataclass(frozen=True)
class Lit:
    value: Any


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Ref:
    id: str
    col: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Neg:
    operand: Any


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, its tree and what it reads."""

    source: str
    tree: Any
    refs: tuple[Ref, ...]  # in order of appearance, with columns for error messages
    uses_current: bool

    @property
    def ref_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.refs)

    def evaluate(self, current: Any, lookup: Lookup, today: date) -> Any:
        """The value; None for null or if something unexpected happens (never raises)."""
        try:
            return _eval(self.tree, current, lookup, today)
        except Exception:  # a survey typo must not crash a conversation
            log.exception("evaluating %r", self.source)
            return None

    def test(self, current: Any, lookup: Lookup, today: date) -> bool:
        return truthy(self.evaluate(current, lookup, today))


# --------------------------------------------------------------------------- parsing


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        kind, value, col = m.lastgroup or "bad", m.group(), m.start() + 1
        if kind == "space":
            continue
        if kind == "bad":
            raise ExprError(f"no se esperaba el carácter {value!r}", col)
        if kind == "string" and (len(value) < 2 or value[-1] != value[0]):
            raise ExprError("texto sin cerrar: agregue la comilla de cierre", col)
        if kind == "ref":
            inner = value[2:-1] if value.endswith("}") else None
            if inner is None:
                raise ExprError("'${' sin cerrar: escriba ${id_de_pregunta}", col)
            if not _REF_ID_RE.match(inner.strip()):
                raise ExprError(f"{value} no es un id de pregunta (minúsculas, cifras y _)", col)
            value = inner.strip()
        if kind == "op" and value in ("==", "&&", "||"):
            better = {"==": "=", "&&": "and", "||": "or"}[value]
            raise ExprError(f"use {better!r} en vez de {value!r}", col)
        toks.append(_Tok(kind, value, col))
    toks.append(_Tok("end", "", len(text) + 1))
    return toks


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokenize(text)
        self.pos = 0
        self.refs: list[Ref] = []
        self.uses_current = False

    def peek(self) -> _Tok:
        return self.toks[self.pos]

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def is_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok.kind == "op" and tok.text in ops

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == "name" and tok.text == word

    def expect(self, op: str, what: str) -> None:
        if not self.is_op(op):
            tok = self.peek()
            found = "el final" if tok.kind == "end" else repr(tok.text)
            raise ExprError(f"se esperaba {what} y se encontró {found}", tok.col)
        self.take()

    def parse(self) -> Any:
        if self.peek().kind == "end":
            raise ExprError("la condición está vacía", 1)
        tree = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"no se esperaba {tok.text!r}; ¿falta 'and' u 'or'?", tok.col)
        return tree

    def or_(self) -> Any:
        left = self.and_()
        while self.is_word("or"):
            self.take()
            left = BinOp("or", left, self.and_())
        return left

    def and_(self) -> Any:
        left = self.comparison()
        while self.is_word("and"):
            self.take()
            left = BinOp("and", left, self.comparison())
        return left

    def comparison(self) -> Any:
        left = self.additive()
        if self.is_op(*_COMPARISONS):
            op = self.take().text
            left = BinOp(op, left, self.additive())
            if self.is_op(*_COMPARISONS):
                raise ExprError("dos comparaciones seguidas; únalas con 'and'", self.peek().col)
        return left

    def additive(self) -> Any:
        left = self.unary()
        while self.is_op("+", "-"):
            op = self.take().text
            left = BinOp(op, left, self.unary())
        return left

    def unary(self) -> Any:
        if self.is_op("-"):
            self.take()
            return Neg(self.unary())
        return self.primary()

    def primary(self) -> Any:
        tok = self.take()
        if tok.kind == "number":
            return Lit(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            return Lit(tok.text[1:-1])
        if tok.kind == "ref":
            ref = Ref(tok.text, tok.col)
            self.refs.append(ref)
            return ref
        if tok.kind == "op" and tok.text == ".":
            self.uses_current = True
            return Current()
        if tok.kind == "op" and tok.text == "(":
            inner = self.or_()
            self.expect(")", "')'")
            return inner
        if tok.kind == "name":
            return self.name(tok)
        found = "el final" if tok.kind == "end" else repr(tok.text)
        raise ExprError(f"se esperaba un valor y se encontró {found}", tok.col)

    def name(self, tok: _Tok) -> Any:
        if tok.text in ("true", "false"):
            return Lit(tok.text == "true")
        if tok.text not in FUNCTIONS:
            if self.is_op("("):
                known = ", ".join(f"{f}()" for f in FUNCTIONS)
                raise ExprError(f"no existe la función {tok.text}(); existen: {known}", tok.col)
            raise ExprError(
                f"palabra desconocida {tok.text!r}: ponga el texto entre comillas ('{tok.text}') o "
                "escriba ${{id}}",
                tok.col,
            )
        self.expect("(", f"'(' después de {tok.text}")
        args: list[Any] = []
        if not self.is_op(")"):
            args.append(self.or_())
            while self.is_op(","):
                self.take()
                args.append(self.or_())
        self.expect(")", "')' o ','")
        arity = FUNCTIONS[tok.text]
        if len(args) != arity:
            raise ExprError(f"{tok.text}() lleva {arity} dato(s) y tiene {len(args)}", tok.col)
        if tok.text == "date" and isinstance(args[0], Lit) and _to_date(args[0].value) is None:
            raise ExprError(f"date({args[0].value!r}): escriba date('AAAA-MM-DD')", tok.col)
        return Call(tok.text, tuple(args))


def parse(text: str) -> Expression:
    """Parse `text`; raises ExprError with a column on a syntax error."""
    parser = _Parser(text)
    tree = parser.parse()
    return Expression(text.strip(), tree, tuple(parser.refs), parser.uses_current)


# --------------------------------------------------------------------------- evaluation


def truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | tuple | dict):
        return len(value) > 0
    return True


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _to_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _to_number(value: Any) -> float | None:
    if _is_number(value):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _coerce(a: Any, b: Any) -> tuple[Any, Any] | None:
    """Both operands as one comparable type, or None when they cannot be compared."""
    if isinstance(a, list | tuple | dict) or isinstance(b, list | tuple | dict):
        return None
    for convert, is_kind in (
        (_to_bool, lambda v: isinstance(v, bool)),
        (_to_date, lambda v: isinstance(v, date)),
        (_to_number, _is_number),
    ):
        if is_kind(a) or is_kind(b):
            x, y = convert(a), convert(b)
            return None if x is None or y is None else (x, y)
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    return None


def compare(op: str, a: Any, b: Any) -> bool:
    if op in ("=", "!=") and (a == "" or b == ""):
        empty = _is_empty(b if a == "" else a)
        return empty if op == "=" else not empty
    if a is None or b is None:
        return False
    pair = _coerce(a, b)
    if pair is None:
        return False
    x, y = pair
    try:
        return {
            "=": x == y,
            "!=": x != y,
            "<": x < y,
            "<=": x <= y,
            ">": x > y,
            ">=": x >= y,
        }[op]
    except TypeError:  # e.g. True < False is fine, but keep any odd pair false
        return False


def _arith(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if isinstance(a, date) and _is_number(b):
        return a + timedelta(days=int(b)) if op == "+" else a - timedelta(days=int(b))
    if op == "+" and _is_number(a) and isinstance(b, date):
        return b + timedelta(days=int(a))
    if op == "-" and isinstance(a, date) and isinstance(b, date):
        return (a - b).days
    x, y = _to_number(a), _to_number(b)
    if x is None or y is None or isinstance(a, bool) or isinstance(b, bool):
        return None
    return x + y if op == "+" else x - y


def _selected(container: Any, valor: Any) -> bool:
    if not isinstance(valor, str):
        return False
    if isinstance(container, list | tuple):
        return valor in container
    if isinstance(container, bool):
        return _to_bool(valor) is container
    return isinstance(container, str) and container == valor


def _eval(node: Any, current: Any, lookup: Lookup, today: date) -> Any:
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Current):
        return current
    if isinstance(node, Ref):
        return lookup(node.id)
    if isinstance(node, Neg):
        value = _eval(node.operand, current, lookup, today)
        return -value if _is_number(value) else None
    if isinstance(node, BinOp):
        left = _eval(node.left, current, lookup, today)
        if node.op == "and":
            return truthy(left) and truthy(_eval(node.right, current, lookup, today))
        if node.op == "or":
            return truthy(left) or truthy(_eval(node.right, current, lookup, today))
        right = _eval(node.right, current, lookup, today)
        if node.op in ("+", "-"):
            return _arith(node.op, left, right)
        return compare(node.op, left, right)
    if isinstance(node, Call):
        args = [_eval(a, current, lookup, today) for a in node.args]
        if node.name == "today":
            return today
        if node.name == "not":
            return not truthy(args[0])
        if node.name == "selected":
            return _selected(args[0], args[1])
        if node.name == "count-selected":
            value = args[0]
            if isinstance(value, list | tuple):
                return len(value)
            return 0 if _is_empty(value) else 1
        if node.name == "string-length":
            return 0 if args[0] is None else len(str(args[0]))
        if node.name == "date":
            return _to_date(args[0])
        if node.name in ("period-start", "period-end"):
            return lookup(f"{node.name}()")
    raise TypeError(f"unknown node {node!r}")
