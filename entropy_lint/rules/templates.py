"""Fix templates: how a rule's call can be rewritten, as data on the rule's row.

A template names one or more edits of the call (replace the whole call, rename the callee, replace
an argument or a string's content, set, add or drop a keyword argument, drop a key from a literal
object inside the call), the conditions under which it applies, and the imports it needs. The
engine in ``entropy_lint.fix`` expands it at a call site, then verifies the rewritten file
(it parses, the rule no longer fires there, nothing new fires anywhere) before offering it.

Texts may hold placeholders, filled from the call as written:

- ``{0}``, ``{1}``, ...: a positional argument's text; ``{1*}`` the text from argument 1 to the
  last argument; ``{*}`` everything between the parentheses; ``{recv}`` the receiver
  (``yaml`` in ``yaml.load(f)``); ``{name}`` the callee's name; ``{callee}`` receiver and name;
- computed, and the template does not apply when they cannot be: ``{argv:0}`` argument 0, a
  command string, split into an argument list in the language's list syntax
  (``'tar xf ' + path`` -> ``['tar', 'xf', path]``); ``{words:0}`` the same words as separate
  arguments, ``{prog:0}`` the first and ``{rest:0}`` a list of the others; ``{tail:1}`` a comma
  and the arguments from 1 on (nothing when there are none); ``{mode:1}`` argument 1, a numeric
  file mode, without the world-write bit; ``{sql:0}`` argument 0, a query built from strings, as
  a constant query with placeholders followed by its values (the placeholder style comes from the
  driver the file imports).

Conditions (``when``), each a name with an optional argument after a colon: ``qualified`` (the
callee is written with its receiver, so a new name resolves the same way), ``named:A|B`` (the
callee's name is one of these), ``receiver:A|B`` (likewise its receiver), ``text:I=A|B``
(argument I is written as one of these), ``callback:I`` (argument I is a function), ``args:N`` (exactly N positional arguments; ``args:N+`` at least
N), ``bare`` (no arguments at all), ``literal:I``, ``nonliteral:I``, ``number:I``, ``string:I``,
``dynamic:I`` (a string built at run time), ``array:I``
(C: argument I names an array declared in scope, so ``sizeof`` is its size), ``unused`` (the
call's value is not used), ``nokwarg:NAME``, ``mentions:TEXT`` (the file already uses or
declares TEXT), ``password:I`` / ``not-password:I`` (argument I is named like a password).
The engine's table of conditions and placeholders is checked against every template by a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from entropy_lint.findings import Safety


@dataclass(frozen=True)
class FixTemplate:
    """One rewrite. ``safety``: ``safe`` when it preserves behaviour for valid input, ``review``
    when it changes behaviour (a hash's output, a shell's globbing, pickle to JSON)."""

    description: str  # what the fix does, for people: "yaml.safe_load builds only plain data"
    safety: Safety
    call: str | None = None  # the whole call's new text
    name: str | tuple[tuple[str, str], ...] | None = None  # the callee's new name, or a map from the name written
    arg: tuple[int, str] | None = None  # (positional index, new text)
    string: tuple[int, str] | None = None  # (positional index, new content of that string literal; quotes kept)
    kwarg: tuple[str, str] | None = None  # (keyword, value): replaced where given, added where not
    drop_kwarg: str | None = None  # removed with its comma, where given
    drop_key: str | None = None  # a key of a literal object/dict/struct inside the call, removed with its value
    append: str | None = None  # a new last argument
    when: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()  # module, header or package the new text needs, in the language's terms

    def __post_init__(self) -> None:
        edits = [self.call, self.name, self.arg, self.string, self.kwarg, self.drop_kwarg, self.drop_key, self.append]
        if not any(e is not None for e in edits):
            raise ValueError(f"fix {self.description!r} edits nothing")
        if self.call is not None and sum(e is not None for e in edits) > 1:
            raise ValueError(f"fix {self.description!r}: a whole-call rewrite cannot be combined with other edits")
