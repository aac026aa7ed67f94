"""What stands between a socket and the server's routes.

- ``head_timeout_protocol``: uvicorn's h11 protocol with a deadline for the request head.
  uvicorn times out a connection only between requests (``timeout_keep_alive``, armed after a
  response); a connection that opens and sends nothing, or trickles its request line and
  headers a byte at a time, is never closed. Here the head must be complete within
  ``head_timeout`` seconds of the connection opening or of the first byte of a later request.
- ``guard_body``: reads the whole body before any route sees it: 413 past ``max_bytes``
  (declared or counted, so a chunked body too), 408 when it has not all arrived within
  ``body_timeout``; stamps the request's arrival time for the routes' deadlines.
- ``bearer_auth``: the API key on every path but ``open_paths``. It sits inside CORS, so a
  browser's preflight (which never carries credentials) is answered by CORS, and a 401 still
  carries CORS headers for an allowed origin.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from uvicorn.protocols.http.h11_impl import H11Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
ARRIVED = "entropy_lint.arrived"  # scope key: time.monotonic() when the request reached the app

log = logging.getLogger("entropy_lint.front.server")


def head_timeout_protocol(head_timeout: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing connections whose request head is late (see the module doc).

    It reads ``cycle`` and ``transport`` of uvicorn's H11Protocol; the socket tests in
    tests/test_server_limits.py fail if a uvicorn release changes them."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeadTimeoutProtocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._head_timer is None and not self._in_request():
                self._arm()  # the first byte of a later request on a kept-alive connection
            super().data_received(data)
            if self._in_request():
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self._in_request():
                self._disarm()  # a pipelined request was already whole

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _in_request(self) -> bool:
            return self.cycle is not None and not self.cycle.response_complete

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(head_timeout, self._late)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _late(self) -> None:
            self._head_timer = None
            if self._in_request() or self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                # part of a request came: say why before closing (h11 cannot answer a request it never parsed)
                self.transport.write(b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")
            log.info("closed a connection whose request head did not arrive within %g s", head_timeout)
            self.transport.close()

    return HeadTimeoutProtocol


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class _TooLarge(Exception):
    pass


def guard_body(app: ASGIApp, max_bytes: int, body_timeout: float) -> ASGIApp:
    """Buffer each HTTP request's body (see the module doc), then hand it to ``app`` in one message."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        scope[ARRIVED] = time.monotonic()
        too_large = problem(413, f"the request body is larger than this server's limit of {max_bytes:,} bytes "
                                 f"(serve --max-body-bytes)")
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout(body_timeout):
                size, more = 0, True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left; nobody to answer
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > max_bytes:
                        raise _TooLarge
                    chunks.append(chunk)
                    more = bool(message.get("more_body", False))
        except _TooLarge:
            await too_large(scope, receive, send)
            return
        except TimeoutError:
            late = problem(408, f"the request body did not arrive within {body_timeout:g} s (serve --body-timeout)",
                           {"connection": "close"})
            await late(scope, receive, send)
            return
        body, delivered = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for a disconnect, as the server would

        await app(scope, replay, send)

    return guarded


def bearer_auth(app: ASGIApp, key: str, open_paths: tuple[str, ...]) -> ASGIApp:
    """Every path but ``open_paths`` needs ``Authorization: Bearer <key>`` (compared in constant time)."""
    expected = f"Bearer {key}".encode()

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") not in open_paths:
            given = dict(scope.get("headers", [])).get(b"authorization", b"")
            if not hmac.compare_digest(given, expected):
                denied = problem(401, "missing or wrong API key (Authorization: Bearer ...)", {"WWW-Authenticate": "Bearer"})
                await denied(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded
