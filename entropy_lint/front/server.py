"""The REST service: FastAPI calling the same functions as the CLI.

The model loads once, in the background, when the server starts: ``/health`` answers 503 until
it is ready. Requests that need the model take one lock, so concurrent requests queue rather
than interleave. Safe defaults: 127.0.0.1, CORS closed unless origins are given, an optional
bearer token (from an environment variable) on every route but ``/`` and ``/health``, a body
size limit, 422 naming the field for invalid bodies, and 500s without stack traces.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from entropy_lint import __version__
from entropy_lint.errors import EntropyLintError
from entropy_lint.languages import LANGUAGES
from entropy_lint.prompt.generation import DEFAULT_KEYWORDS, DEFAULT_SYSTEM_PROMPT
from entropy_lint.run.config import Config, run_settings

if TYPE_CHECKING:
    from entropy_lint.model.loading import LoadedModel
    from entropy_lint.model.scoring import Scorer, ScoringSettings, Span, TokenScores

log = logging.getLogger("entropy_lint.front.server")
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]
OPEN_PATHS = ("/", "/health")
LANGUAGE_NAMES = tuple(LANGUAGES)


def scoring_settings(config: Config) -> ScoringSettings:
    return run_settings(config)[0]


class LockedScorer:
    """A scorer whose every call takes the model lock, so concurrent requests queue."""

    def __init__(self, scorer: Scorer, lock: threading.Lock) -> None:
        self.scorer, self.lock = scorer, lock
        self.name, self.identity = scorer.name, scorer.identity

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        with self.lock:
            return self.scorer.score(texts, spans)


@dataclass
class ServerSettings:
    config: Config  # the model, and the scoring settings /check uses
    cors_origins: tuple[str, ...] = ()
    api_key: str | None = None
    max_body_bytes: int = 2_000_000


@dataclass
class ModelState:
    """The loaded model and the lock every model call takes."""

    loaded: LoadedModel | None = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    ready: threading.Event = field(default_factory=threading.Event)

    def require(self) -> LoadedModel:
        if self.error:
            raise HTTPException(503, f"the model failed to load: {self.error}")
        if self.loaded is None:
            raise HTTPException(503, "the model is still loading; retry when /health says healthy")
        return self.loaded


# --- request bodies ----------------------------------------------------------------------------

class AnalyzeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    system_prompt: str | None = Field(DEFAULT_SYSTEM_PROMPT, max_length=20_000)
    max_tokens: int = Field(200, ge=1, le=1000)
    risky_keywords: list[str] = Field(default_factory=lambda: list(DEFAULT_KEYWORDS), max_length=100)
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    seed: int | None = None


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str
    filename: str = Field("input", min_length=1, max_length=4096)
    language: Literal[LANGUAGE_NAMES] | None = None  # type: ignore[valid-type]
    format: Literal["json", "sarif"] = "json"
    full: bool = False
    min_level: Literal["error", "warning", "note"] = "note"


class ScoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texts: list[str] = Field(min_length=1, max_length=256)
    spans: list[list[tuple[int, int]] | None] | None = None
    window: int = Field(4096, ge=2, le=1 << 20)
    context: int = Field(1024, ge=1, le=1 << 20)
    top_k: int = Field(5, ge=0, le=100)


# --- middleware ------------------------------------------------------------------------------

def body_limit(app: ASGIApp, limit: int) -> ASGIApp:
    """413 for bodies over ``limit`` bytes, by Content-Length or by counting a streamed body."""

    async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge
            return message

        try:
            await app(scope, counted, send)
        except _BodyTooLarge:
            await _too_large(limit)(scope, receive, send)

    return guarded


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"request body is larger than the limit of {limit:,} bytes"}, status_code=413)


def bearer_auth(app: ASGIApp, key: str) -> ASGIApp:
    """Every path but / and /health needs ``Authorization: Bearer <key>`` (compared in constant time)."""
    expected = f"Bearer {key}".encode()

    async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] == "http" and scope.get("path") not in OPEN_PATHS:
            given = dict(scope.get("headers", [])).get(b"authorization", b"")
            if not hmac.compare_digest(given, expected):
                response = JSONResponse({"detail": "missing or wrong API key (Authorization: Bearer ...)"},
                                        status_code=401, headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


# --- the app ---------------------------------------------------------------------------------

def create_app(settings: ServerSettings, loader: Callable[[], LoadedModel] | None = None) -> ASGIApp:
    """The ASGI application. ``loader`` returns a LoadedModel (default: load the configured model)."""
    state = ModelState()
    config = settings.config

    def load() -> None:
        try:
            if loader is not None:
                state.loaded = loader()
            else:
                from entropy_lint.model.loading import load_model

                state.loaded = load_model(config.model, device=config.device, dtype=config.dtype,
                                          trust_remote_code=config.trust_remote_code)
            log.info("model %s loaded on %s", state.loaded.name, state.loaded.device)
        except Exception as exc:  # reported by /health; the server stays up to say so
            state.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.error("model failed to load: %s", state.error)
        finally:
            state.ready.set()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        threading.Thread(target=load, name="entropy-lint-model-loader", daemon=True).start()
        yield

    app = FastAPI(title="entropy-lint", version=__version__, lifespan=lifespan,
                  description="Risky calls in source code, with what a code language model thought of them; "
                              "and code generation with per-token entropy.")
    app.state.model = state

    @app.exception_handler(Exception)
    async def server_fault(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed", exc_info=exc)
        return JSONResponse({"detail": "internal server error"}, status_code=500)

    @app.get("/")
    def root() -> dict[str, Any]:
        loaded = state.loaded
        return {"status": "ok", "message": "entropy-lint API is running", "model": loaded.name if loaded else config.model,
                "device": str(loaded.device) if loaded else None}

    @app.get("/health")
    def health() -> JSONResponse:
        loaded = state.loaded
        if loaded is None:
            body = {"status": "error" if state.error else "loading", "model_loaded": False, "tokenizer_loaded": False,
                    "detail": state.error}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "healthy", "model_loaded": True, "tokenizer_loaded": loaded.tokenizer is not None,
                             "device": str(loaded.device), "vocab_size": len(loaded.tokenizer), "model": loaded.name,
                             "identity": loaded.identity})

    @app.post("/analyze")
    def analyze(body: AnalyzeRequest) -> dict[str, Any]:
        from entropy_lint.prompt.generation import GenerationRequest, generate

        loaded = state.require()
        request = GenerationRequest(prompt=body.prompt, system_prompt=body.system_prompt, max_tokens=body.max_tokens,
                                    risky_keywords=tuple(body.risky_keywords), temperature=body.temperature,
                                    top_p=body.top_p, seed=body.seed)
        with state.lock:
            return generate(loaded, request)

    @app.post("/check")
    def check(body: CheckRequest) -> Response:
        from entropy_lint.model.choice import OpenScorer
        from entropy_lint.model.engine import TorchScorer
        from entropy_lint.report import RenderContext, render
        from entropy_lint.run.check import Target
        from entropy_lint.run.check import check as run_check
        from entropy_lint.run.config import validate

        loaded = state.require()
        # the server's model and scoring settings; the request's level and --full; no project file rules
        request = validate(Config(model=config.model, device=config.device, dtype=config.dtype, window=config.window,
                                  context=config.context, top_k=config.top_k, min_level=body.min_level, full=body.full,
                                  cache=False))
        scorer = OpenScorer(LockedScorer(TorchScorer(loaded, scoring_settings(request)), state.lock))
        try:
            report = run_check(request, Target(text=body.content, filename=body.filename, language=body.language),
                               scorer=scorer)
        except EntropyLintError as exc:
            raise HTTPException(422, str(exc)) from exc
        cwd = os.getcwd()  # paths are relative to the server's folder
        text = render(report, body.format, RenderContext(root=cwd, cwd=cwd))
        return Response(text, media_type="application/sarif+json" if body.format == "sarif" else "application/json")

    @app.post("/score")
    def score(body: ScoreRequest) -> dict[str, Any]:
        from entropy_lint.model import wire
        from entropy_lint.model.engine import TorchScorer
        from entropy_lint.model.scoring import ScoringSettings

        if body.spans is not None and len(body.spans) != len(body.texts):
            raise HTTPException(422, "spans must have one entry per text")
        try:
            scoring = ScoringSettings(window=body.window, context=body.context, top_k=body.top_k)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        loaded = state.require()
        scorer = TorchScorer(loaded, scoring)
        spans = [None if s is None else [(a, b) for a, b in s] for s in body.spans] if body.spans else None
        with state.lock:
            records = scorer.score(body.texts, spans)
        return wire.encode(records, scorer.name, scorer.identity)

    @app.get("/rules")
    def rules() -> list[dict[str, Any]]:
        from entropy_lint.report.catalog import rule_dict
        from entropy_lint.rules import catalog

        return [rule_dict(r) for r in catalog()]

    wrapped: ASGIApp = app
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        wrapped = CORSMiddleware(wrapped, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                                 allow_headers=["Authorization", "Content-Type"])
    if settings.api_key:
        wrapped = bearer_auth(wrapped, settings.api_key)
    return body_limit(wrapped, settings.max_body_bytes)
