"""pygls's protocol with one change: a message whose params do not fit the LSP schema (a
negative position, a missing field) gets a JSON-RPC error answer (-32602) and one log line.

pygls itself answers such a request with nothing (the client waits for ever), logs a traceback
and pops an "Error in server" message up in the editor. A client's malformed message is the
client's bug, not the server's: it is refused plainly and the server carries on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger("entropy_lint.lsp")


@dataclass(frozen=True)
class Rejected:
    """A message that could not be read as its method's params."""

    id: Any  # None for a notification
    method: str
    reason: str


class Protocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        method = data.get("method") if "jsonrpc" in data else None
        kind = self.get_message_type(method) if isinstance(method, str) else None
        if kind is None or "error" in data:
            return super().structure_message(data)
        try:
            return self._converter.structure(data, kind)
        except Exception as exc:  # cattrs gathers every field's error; the first says enough
            reason = _first_reason(exc)
            return Rejected(data.get("id"), method or "", reason)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, Rejected):
            log.warning("refused %s: invalid params (%s)", message.method, message.reason)
            if message.id is not None:
                self._send_response(message.id, error=JsonRpcInvalidParams(f"invalid params: {message.reason}")
                                    .to_response_error())
            return
        super().handle_message(message)


def _first_reason(exc: BaseException) -> str:
    inner = getattr(exc, "exceptions", None)
    while inner:
        exc = inner[0]
        inner = getattr(exc, "exceptions", None)
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
