"""The language registry: which file is which (extension, file name, shebang), how to parse it,
which extractor and rule table serve it, its comment syntax and its code-fence names.

Everything else derives from ``LANGUAGES``: the CLI's and the server's choices, the extractor and
rule-table lookups, suppression comments, and prompt mode's fenced code blocks. Adding a language
is one record here, an extractor in ``detect/``, a table in ``rules/`` and a sample file in
``tests/samples/`` (docs/adding.md says how).

Grammars come from the official per-language wheels (tree-sitter-c, -python, ...), which work
offline; each is imported only when a file of its language is parsed.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tree-sitter loads only when a file is parsed: cached runs never need it
    from tree_sitter import Language, Parser, Tree


@dataclass(frozen=True)
class LanguageInfo:
    name: str
    module: str  # the grammar wheel's module
    function: str  # its language function
    extensions: tuple[str, ...]
    comments: tuple[str, ...]  # comment openers, for suppression comments
    family: str  # the extractor (entropy_lint.detect.<family>) and rule table (entropy_lint.rules.<family>)
    fences: tuple[str, ...] = ()  # names of Markdown code fences (```py) in generated answers
    filenames: tuple[str, ...] = ()
    interpreters: tuple[str, ...] = ()  # shebang interpreters
    # node types of functions, methods and lambdas: the HTML report scores the one around each finding
    functions: tuple[str, ...] = ()


JS_FUNCTIONS = ("function_declaration", "generator_function_declaration", "function_expression", "generator_function",
                "arrow_function", "method_definition")

LANGUAGES: dict[str, LanguageInfo] = {
    info.name: info
    for info in (
        LanguageInfo("python", "tree_sitter_python", "language", (".py", ".pyw", ".pyi"), ("#",), "python",
                     ("python", "py", "python3"), interpreters=("python", "pypy"),
                     functions=("function_definition", "lambda")),
        LanguageInfo("c", "tree_sitter_c", "language", (".c", ".h"), ("//", "/*"), "c", ("c", "h"),
                     functions=("function_definition",)),
        LanguageInfo("cpp", "tree_sitter_cpp", "language",
                     (".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp", ".inl"), ("//", "/*"), "c",
                     ("cpp", "c++", "cc", "cxx"), functions=("function_definition", "lambda_expression")),
        LanguageInfo("javascript", "tree_sitter_javascript", "language", (".js", ".mjs", ".cjs", ".jsx"),
                     ("//", "/*"), "javascript", ("javascript", "js", "node", "jsx"),
                     interpreters=("node", "nodejs", "deno", "bun"), functions=JS_FUNCTIONS),
        LanguageInfo("typescript", "tree_sitter_typescript", "language_typescript", (".ts", ".mts", ".cts"),
                     ("//", "/*"), "javascript", ("typescript", "ts"), interpreters=("ts-node", "tsx"),
                     functions=JS_FUNCTIONS),
        LanguageInfo("tsx", "tree_sitter_typescript", "language_tsx", (".tsx",), ("//", "/*"), "javascript", ("tsx",),
                     functions=JS_FUNCTIONS),
        LanguageInfo("java", "tree_sitter_java", "language", (".java",), ("//", "/*"), "java", ("java",),
                     functions=("method_declaration", "constructor_declaration", "compact_constructor_declaration",
                                "lambda_expression")),
        LanguageInfo("go", "tree_sitter_go", "language", (".go",), ("//", "/*"), "go", ("go", "golang"),
                     functions=("function_declaration", "method_declaration", "func_literal")),
        LanguageInfo("php", "tree_sitter_php", "language_php", (".php", ".phtml", ".php3", ".php4", ".php5", ".php7", ".phps"),
                     ("//", "#", "/*"), "php", ("php",), interpreters=("php",),
                     functions=("function_definition", "method_declaration", "anonymous_function", "arrow_function")),
        LanguageInfo("ruby", "tree_sitter_ruby", "language", (".rb", ".rake", ".gemspec", ".ru"), ("#",), "ruby",
                     ("ruby", "rb"), filenames=("Rakefile", "Gemfile", "Guardfile", "Vagrantfile"),
                     interpreters=("ruby", "jruby"), functions=("method", "singleton_method", "do_block", "lambda")),
    )
}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(info.family for info in LANGUAGES.values()))


def fence_language(name: str) -> str | None:
    """The language a Markdown code fence names (```py, ```golang), if any."""
    name = name.lower()
    return next((info.name for info in LANGUAGES.values() if name in info.fences), None)


_SHEBANG = re.compile(r"^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?")


def language_for(path: str, head: str = "") -> str | None:
    """The language of ``path`` by extension or file name, else by the shebang in ``head``."""
    p = PurePath(path)
    suffix = p.suffix.lower()
    for info in LANGUAGES.values():
        if suffix in info.extensions or p.name in info.filenames:
            return info.name
    return language_from_shebang(head)


def language_from_shebang(head: str) -> str | None:
    match = _SHEBANG.match(head)
    if not match:
        return None
    program = PurePath(match.group(1)).name
    if program == "env" and match.group(2):
        program = PurePath(match.group(2)).name
    program = re.sub(r"[\d.]+$", "", program)  # python3.11 -> python
    for info in LANGUAGES.values():
        if program in info.interpreters:
            return info.name
    return None


@functools.cache
def grammar(name: str) -> Language:
    from tree_sitter import Language

    info = LANGUAGES[name]
    return Language(getattr(importlib.import_module(info.module), info.function)())


_local = threading.local()


def _parser(name: str) -> Parser:
    """One parser per language per thread: a Parser must not parse on two threads at once (it
    releases the GIL), and the language server detects on one thread while it scores on another."""
    from tree_sitter import Parser

    parsers: dict[str, Parser] = _local.__dict__.setdefault("parsers", {})
    if name not in parsers:
        parsers[name] = Parser(grammar(name))
    return parsers[name]


def parse(name: str, source: bytes) -> Tree:
    """Parse ``source``; tree-sitter recovers from syntax errors, so this always gives a tree."""
    return _parser(name).parse(source)
