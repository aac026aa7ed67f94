"""Refine hooks and name lists for the Java table (``rules/java.py``)."""

from __future__ import annotations

import re

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Outcome
from entropy_lint.rules.refine import Element, argv_outcome, positional, split_elements, weak_digest_outcome

_LIST = re.compile(r"(?:new\s+String\s*\[\s*\]\s*\{|\{|(?:java\.util\.)?(?:Arrays\s*\.\s*asList|List\s*\.\s*of)\s*\()(.*)[})]",
                   re.S)
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_ARRAY_BUILT = re.compile(r"\.toArray\s*\([^()]*(?:\([^()]*\))?[^()]*\)$|^new\s+String\s*\[")
_CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)?")
_WEAK_DIGESTS = frozenset({"MD2", "MD4", "MD5", "SHA", "SHA1", "SHA-1"})
_WEAK_CIPHERS = frozenset({"DES", "DESEDE", "TRIPLEDES", "3DES", "RC2", "RC4", "ARCFOUR", "BLOWFISH", "RC5"})
_SQL_TYPES = frozenset({"Statement", "PreparedStatement", "CallableStatement", "Connection", "JdbcTemplate",
                        "JdbcOperations", "NamedParameterJdbcTemplate", "NamedParameterJdbcOperations", "QueryRunner"})
_SQL_RECEIVER = re.compile(r"(?i)jdbc|sql|stmt|statement|conn|\bdb|database|session|queryrunner")
_SQL_WORDS = re.compile(r"(?i)\b(select|insert|update|delete|from|where|values|order\s+by|group\s+by|create|drop|alter|truncate|merge|call)\b")


# --- process execution -------------------------------------------------------------------------
def _elements(text: str) -> list[Element] | None:
    """The elements of an array or list written in place (``new String[]{"sh", "-c", cmd}``)."""
    match = _LIST.fullmatch(text.strip())
    if match is None:
        return None
    parts = (p.strip() for p in split_elements(match.group(1)))
    return [_element(p) for p in parts if p]


def _element(text: str) -> Element:
    match = _STRING.fullmatch(text)
    if match is not None:
        return True, match.group(1)
    return bool(_CONSTANT.fullmatch(text)), None


def process_builder(site: CallSite) -> Outcome | None:
    args = positional(site)
    if len(args) == 1 and not args[0].literal:
        listed = _elements(args[0].text)
        return argv_outcome(listed) if listed else None  # a List built elsewhere: not visible here
    return argv_outcome([(a.literal, a.value) for a in args])


def runtime_exec(site: CallSite) -> Outcome | None:
    command = site.arg(0)
    if command is None:
        return None
    if command.literal:
        return Outcome("note", "constant command")
    listed = _elements(command.text)
    if listed is not None:
        return argv_outcome(listed)
    if _ARRAY_BUILT.search(command.text):
        return None  # an argument vector built elsewhere (list.toArray(...)): no shell in sight
    return Outcome("error")  # a command string chosen at run time: split on spaces and run


# --- SQL -------------------------------------------------------------------------------------
SQL_SPECIFIC = ("executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch", "prepareStatement", "prepareCall",
                "nativeSQL", "createQuery", "createNativeQuery", "createSQLQuery", "queryForObject", "queryForList",
                "queryForMap", "queryForRowSet", "queryForStream", "queryForLong", "queryForInt", "batchUpdate")
SQL_GENERIC = ("execute", "query", "update")  # common names: also need a SQL-looking receiver or string


def sql_query(site: CallSite) -> Outcome | None:
    query = site.arg(0)
    if query is None or not query.dynamic_string:
        return None
    if site.name in SQL_GENERIC:
        head = site.qualname.rsplit(".", 1)[0]
        literal_text = " ".join(_STRING.findall(query.text))
        if head not in _SQL_TYPES and not _SQL_RECEIVER.search(site.receiver) and not _SQL_WORDS.search(literal_text):
            return None
    return Outcome("error", "query built from strings")


# --- deserialization, crypto, web ---------------------------------------------------------------
def snakeyaml(site: CallSite) -> Outcome | None:
    if "SafeConstructor" in site.receiver:
        return None
    return Outcome("warning")


def weak_digest(site: CallSite) -> Outcome | None:
    if site.qualname != "MessageDigest.getInstance":
        return weak_digest_outcome(site)  # DigestUtils.md5Hex and kin name the algorithm
    algorithm = (site.arg_value(0) or "").upper()
    if algorithm not in _WEAK_DIGESTS or weak_digest_outcome(site) is None:
        return None
    return Outcome("warning", f"{algorithm} digest")


def weak_cipher(site: CallSite) -> Outcome | None:
    transformation = (site.arg_value(0) or "").upper().replace(" ", "")
    if not transformation:
        return None
    parts = transformation.split("/")
    algorithm = parts[0]
    if algorithm in _WEAK_CIPHERS:
        return Outcome("warning", f"{algorithm} cipher")
    if algorithm.startswith(("RSA", "EC", "ELGAMAL")):
        return None  # ECB in an RSA transformation names no chaining: one block
    if len(parts) > 1 and parts[1] == "ECB":
        return Outcome("warning", "ECB mode")
    if len(parts) == 1 and algorithm.startswith("AES"):
        return Outcome("warning", "bare AES means AES/ECB/PKCS5Padding")
    return None


def dynamic_output(site: CallSite) -> Outcome | None:
    # Encode.forHtml(name) inside the concatenation does not make it dynamic: the extractor counts
    # encoder and escaper calls as safe text.
    return Outcome("note") if any(a.dynamic_string for a in site.args) else None
