"""The REST service: FastAPI calling the same functions as the CLI.

The model loads once, in the background, when the server starts: ``/health`` answers 503 until
it is ready. One model serves every request, one at a time, within per-request limits (see
``budget``). Safe defaults: 127.0.0.1, CORS closed unless origins are given, an optional bearer
token (from an environment variable) on every route but ``/`` and ``/health``, limits on body
size, tokens and time, timeouts for idle and slow connections (see ``guards``), 422 naming the
field for every invalid body, 500s without stack traces, and API docs that need no internet.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from entropy_lint import __version__
from entropy_lint.errors import EntropyLintError
from entropy_lint.front.budget import Clock, Gate, GatedScorer, Refused, model_tokens, over_limit
from entropy_lint.front.guards import ARRIVED, ASGIApp, bearer_auth, guard_body, head_timeout_protocol
from entropy_lint.languages import LANGUAGES, language_for
from entropy_lint.prompt.generation import DEFAULT_KEYWORDS, DEFAULT_SYSTEM_PROMPT, GenerationRequest
from entropy_lint.run.config import Config, run_settings

if TYPE_CHECKING:
    from entropy_lint.model.loading import LoadedModel
    from entropy_lint.model.scoring import ScoringSettings, Span

log = logging.getLogger("entropy_lint.front.server")
OPEN_PATHS = ("/", "/health")
LANGUAGE_NAMES = tuple(LANGUAGES)
HEAD_BYTES = 16 * 1024  # request line + headers; h11 answers 400 past this
ASSETS = "/docs-assets"  # Swagger UI and ReDoc files, served from the fastapi-offline package


@dataclass(frozen=True)
class ServerSettings:
    config: Config  # the model, and the scoring settings /check uses
    cors_origins: tuple[str, ...] = ()
    api_key: str | None = None
    max_body_bytes: int = 2_000_000
    # tokens through the model per /score or /check request (and the prompt of /analyze); on 2 CPU
    # cores smollm2-135m reads about 200 tokens/s, so the default is about 80 s of work
    max_tokens_scored: int = 16_384
    max_tokens_generated: int = 1_000  # max_tokens of one /analyze request
    queue_timeout: float = 60.0  # seconds a request may wait for the model (then 503 + Retry-After)
    request_timeout: float = 600.0  # seconds from arrival to answer; past it, model work stops (503)
    body_timeout: float = 30.0  # seconds for the whole body to arrive (then 408)
    header_timeout: float = 10.0  # seconds for the request line and headers to arrive (then closed)
    keep_alive_timeout: int = 5  # seconds an idle connection stays open between requests
    max_connections: int = 100  # open connections and requests; past it uvicorn answers 503
    docs: bool = True  # /docs and /redoc


def scoring_settings(config: Config) -> ScoringSettings:
    return run_settings(config)[0]


@dataclass
class ModelState:
    """The loaded model (or why it failed), the gate every model call goes through, and a copy
    of the tokenizer for counting tokens outside the gate. (A fast tokenizer is one Rust object
    whose settings each call may change, e.g. ``split_special_tokens``; counting with the model's
    own while a request scores with it would race.)"""

    loaded: LoadedModel | None = None
    error: str | None = None
    gate: Gate = field(default_factory=Gate)
    counter: LoadedModel | None = None  # ``loaded`` with its own tokenizer, used under ``counting``
    vocab_size: int = 0
    counting: threading.Lock = field(default_factory=threading.Lock)

    def set(self, loaded: LoadedModel) -> None:
        import copy

        self.counter = replace(loaded, tokenizer=copy.deepcopy(loaded.tokenizer))
        self.vocab_size = len(self.counter.tokenizer)
        self.loaded = loaded

    def require(self) -> LoadedModel:
        if self.error:
            raise HTTPException(503, f"the model failed to load: {self.error}")
        if self.loaded is None:
            raise HTTPException(503, "the model is still loading; retry when /health says healthy")
        return self.loaded

    def model_tokens(self, window: int, context: int, texts: Sequence[str],
                     spans: Sequence[Sequence[Span] | None] | None) -> int:
        assert self.counter is not None
        with self.counting:
            return model_tokens(self.counter.tokenizer, window, context, texts, spans)

    def prompt_tokens(self, request: GenerationRequest) -> int:
        from entropy_lint.prompt.generation import prompt_ids

        assert self.counter is not None
        with self.counting:
            return int(prompt_ids(self.counter, request).shape[1])


# --- request bodies: strict JSON (no "3" for 3), no extra fields, no NaN ------------------------

STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class AnalyzeRequest(BaseModel):
    model_config = STRICT

    prompt: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    system_prompt: str | None = Field(DEFAULT_SYSTEM_PROMPT, max_length=20_000)
    max_tokens: int = Field(200, ge=1, le=1 << 16, description="at most the server's limit (serve --max-tokens-generated)")
    risky_keywords: list[str] = Field(default_factory=lambda: list(DEFAULT_KEYWORDS), max_length=100)
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    seed: int | None = Field(None, ge=0, le=2**32 - 1)


class CheckRequest(BaseModel):
    model_config = STRICT

    content: str
    filename: str | None = Field(None, min_length=1, max_length=4096,
                                 description="how findings name the file; its extension picks the language")
    language: Literal[LANGUAGE_NAMES] | None = Field(  # type: ignore[valid-type]
        None, description="needed unless filename's extension (or a shebang in content) names the language")
    format: Literal["json", "sarif"] = "json"
    full: bool = False
    min_level: Literal["error", "warning", "note"] = "note"


class ScoreRequest(BaseModel):
    model_config = STRICT

    texts: list[str] = Field(min_length=1, max_length=256)
    spans: list[list[tuple[int, int]] | None] | None = Field(
        None, description="per text, the [start, end) character ranges to score (null: all of it)")
    window: int = Field(4096, ge=2, le=1 << 20)
    context: int = Field(1024, ge=1, le=1 << 20, description="less than window")
    top_k: int = Field(5, ge=0, le=100)


# --- response bodies, for the docs (and the schemathesis test) -----------------------------------

class Problem(BaseModel):
    detail: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(BaseModel):
    detail: list[FieldError]


class Root(BaseModel):
    status: str
    message: str
    model: str
    device: str | None


class Health(BaseModel):
    status: Literal["healthy", "loading", "error"]
    model_loaded: bool
    tokenizer_loaded: bool
    device: str | None = None
    vocab_size: int | None = None
    model: str | None = None
    identity: str | None = Field(None, description="the exact weights, device and dtype; check --server keys its cache by it")
    detail: str | None = None


class AnalyzedToken(BaseModel):
    token: str
    entropy: float
    prob: float
    is_risky: bool


class AnalyzeMetadata(BaseModel):
    total_tokens: int
    risky_tokens_count: int
    avg_entropy: float
    avg_probability: float
    max_entropy: float
    min_probability: float


class Analysis(BaseModel):
    generated_text: str
    tokens: list[AnalyzedToken]
    metadata: AnalyzeMetadata
    findings: list[dict[str, Any]]


class Scores(BaseModel):
    model: str
    identity: str
    results: list[dict[str, Any]]


RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying (when the model was busy)",
                               "schema": {"type": "integer"}}}
REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "missing or wrong API key (when the server has one)"},
    408: {"model": Problem, "description": "the body did not arrive within the body timeout"},
    413: {"model": Problem, "description": "the body, or the tokens it asks for, over this server's limit"},
    415: {"model": Problem, "description": "the body is not sent as application/json"},
    422: {"model": Invalid, "description": "an invalid body: each error names its field"},
    503: {"model": Problem, "headers": RETRY_AFTER,
          "description": "the model is loading, busy past the queue timeout, or the request ran past its timeout"},
}


def post_doc(request: type[BaseModel], ok: dict[str, Any]) -> dict[str, Any]:
    """The route options that document a JSON body the route parses itself (see ``parse``)."""
    body = {"required": True, "content": {"application/json": {"schema": request.model_json_schema()}}}
    return {"response_model": None, "responses": {200: ok, **REFUSALS}, "openapi_extra": {"requestBody": body}}


M = TypeVar("M", bound=BaseModel)


async def parse(request: Request, model: type[M]) -> M:
    """The body as ``model``, through pydantic's own JSON parser: invalid UTF-8, lone surrogates,
    NaN, numbers past 64 bits and deep nesting are 422s naming the field, not a 400 or a 500
    from the standard library's parser."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        raise HTTPException(415, "send the body as JSON with Content-Type: application/json")
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


def invalid(loc: Sequence[str | int], msg: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("body", *loc), "msg": msg}])


def _printable(value: object) -> object:
    """A string that JSON can carry: lone surrogates (from a key, say) become \\udXXX escapes."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(value, str) else value


def field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """loc, msg and type of each error; never the input, which may be huge or not encodable."""
    return [{"loc": [_printable(part) for part in e.get("loc", ())], "msg": str(_printable(str(e.get("msg", "")))),
             "type": str(e.get("type", "value_error"))} for e in exc.errors()]


def docs_folder() -> Path | None:
    """The Swagger UI and ReDoc files of the installed fastapi-offline package, if it is there."""
    import importlib.util

    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)), "static")
    needed = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
    return folder if all((folder / name).is_file() for name in needed) else None


def add_docs(app: FastAPI) -> None:
    """/docs and /redoc with their scripts served from here, so they render with no internet."""
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    folder = docs_folder()
    if folder is None:
        log.warning("/docs and /redoc are off: their files come from the fastapi-offline package "
                    "(pip install 'entropy-lint[server]'); /openapi.json is there")
        return
    app.mount(ASSETS, StaticFiles(directory=folder), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title="entropy-lint API",
                                   swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{root}{ASSETS}/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(openapi_url=f"{root}/openapi.json", title="entropy-lint API",
                              redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{root}{ASSETS}/favicon.png", with_google_fonts=False)


# --- the app ---------------------------------------------------------------------------------

def create_app(settings: ServerSettings, loader: Callable[[], LoadedModel] | None = None) -> ASGIApp:
    """The ASGI application. ``loader`` returns a LoadedModel (default: load the configured model)."""
    state = ModelState()
    config = settings.config

    def load() -> None:
        try:
            if loader is not None:
                loaded = loader()
            else:
                from entropy_lint.model.loading import load_model

                loaded = load_model(config.model, device=config.device, dtype=config.dtype,
                                    trust_remote_code=config.trust_remote_code)
            state.set(loaded)
            log.info("model %s loaded on %s", loaded.name, loaded.device)
        except Exception as exc:  # reported by /health; the server stays up to say so
            state.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.error("model failed to load: %s", state.error)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        threading.Thread(target=load, name="entropy-lint-model-loader", daemon=True).start()
        yield

    app = FastAPI(title="entropy-lint", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Risky calls in source code, with what a code language model thought of them; "
                              "and code generation with per-token entropy.")
    app.state.model = state

    def clock(request: Request) -> Clock:
        import time

        arrived = float(request.scope.get(ARRIVED, time.monotonic()))
        return Clock(arrived, settings.queue_timeout, settings.request_timeout)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": field_errors(exc)}, status_code=422)

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(Exception)
    async def server_fault(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed", exc_info=exc)
        return JSONResponse({"detail": "internal server error"}, status_code=500)

    @app.get("/", response_model=Root)
    def root() -> dict[str, Any]:
        loaded = state.loaded
        return {"status": "ok", "message": "entropy-lint API is running", "model": loaded.name if loaded else config.model,
                "device": str(loaded.device) if loaded else None}

    @app.get("/health", response_model=None, responses={200: {"model": Health}, 503: {"model": Health}})
    def health() -> JSONResponse:
        loaded = state.loaded
        if loaded is None:
            body = {"status": "error" if state.error else "loading", "model_loaded": False, "tokenizer_loaded": False,
                    "detail": state.error}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "healthy", "model_loaded": True, "tokenizer_loaded": loaded.tokenizer is not None,
                             "device": str(loaded.device), "vocab_size": state.vocab_size, "model": loaded.name,
                             "identity": loaded.identity})

    @app.post("/analyze", **post_doc(AnalyzeRequest, {"model": Analysis}))
    async def analyze(request: Request) -> JSONResponse:
        body = await parse(request, AnalyzeRequest)
        return JSONResponse(await run_in_threadpool(analyze_now, body, clock(request)))

    def analyze_now(body: AnalyzeRequest, clock: Clock) -> dict[str, Any]:
        from entropy_lint.prompt.generation import generate

        loaded = state.require()
        request = GenerationRequest(prompt=body.prompt, system_prompt=body.system_prompt, max_tokens=body.max_tokens,
                                    risky_keywords=tuple(body.risky_keywords), temperature=body.temperature,
                                    top_p=body.top_p, seed=body.seed)
        if body.max_tokens > settings.max_tokens_generated:
            raise over_limit("generated tokens (max_tokens)", body.max_tokens, settings.max_tokens_generated,
                             "--max-tokens-generated")
        prompt = state.prompt_tokens(request)
        if prompt > settings.max_tokens_scored:
            raise over_limit("prompt tokens", prompt, settings.max_tokens_scored, "--max-tokens-scored")
        with state.gate.turn(clock):
            clock.check()
            result = generate(loaded, replace(request, max_time=max(clock.remaining(), 0.0)))
        clock.check()  # generation stopped at the deadline: a cut answer is no answer
        return result

    @app.post("/check", **post_doc(CheckRequest, {"description": "the report, as JSON or SARIF", "content": {
        "application/json": {"schema": {"type": "object"}}, "application/sarif+json": {"schema": {"type": "object"}}}}))
    async def check(request: Request) -> Response:
        body = await parse(request, CheckRequest)
        return await run_in_threadpool(check_now, body, clock(request))

    def check_now(body: CheckRequest, clock: Clock) -> Response:
        from entropy_lint.model.choice import OpenScorer
        from entropy_lint.model.engine import TorchScorer
        from entropy_lint.report import RenderContext, render
        from entropy_lint.run.check import Target
        from entropy_lint.run.check import check as run_check
        from entropy_lint.run.config import validate

        if body.language is None and language_for(body.filename or "", body.content[:256]) is None:
            raise invalid(("language",), f"cannot tell the language: give language (one of {', '.join(LANGUAGE_NAMES)}), "
                                         f"or a filename whose extension names one (or a shebang in content)")
        loaded = state.require()
        # the server's model and scoring settings; the request's level and --full; no project file rules
        request = validate(Config(model=config.model, device=config.device, dtype=config.dtype, window=config.window,
                                  context=config.context, top_k=config.top_k, min_level=body.min_level, full=body.full,
                                  cache=False))
        engine = TorchScorer(loaded, scoring_settings(request), progress=clock.check)
        scorer = GatedScorer(engine, lambda texts, spans: state.model_tokens(engine.window, engine.context, texts, spans),
                             settings.max_tokens_scored, state.gate, clock)
        try:
            report = run_check(request, Target(text=body.content, filename=body.filename or "input",
                                               language=body.language), scorer=OpenScorer(scorer))
        except EntropyLintError as exc:
            raise scorer.refused or invalid((), str(exc)) from exc
        if scorer.refused is not None:
            raise scorer.refused  # the run layer noted it against the file; the client gets it whole
        cwd = os.getcwd()  # paths are relative to the server's folder
        text = render(report, body.format, RenderContext(root=cwd, cwd=cwd))
        return Response(text, media_type="application/sarif+json" if body.format == "sarif" else "application/json")

    @app.post("/score", **post_doc(ScoreRequest, {"model": Scores}))
    async def score(request: Request) -> JSONResponse:
        body = await parse(request, ScoreRequest)
        return JSONResponse(await run_in_threadpool(score_now, body, clock(request)))

    def score_now(body: ScoreRequest, clock: Clock) -> dict[str, Any]:
        from entropy_lint.model import wire
        from entropy_lint.model.engine import TorchScorer
        from entropy_lint.model.scoring import ScoringSettings

        spans = checked_spans(body)
        if body.context >= body.window:
            raise invalid(("context",), f"context must be less than window ({body.window})")
        loaded = state.require()
        scorer = TorchScorer(loaded, ScoringSettings(window=body.window, context=body.context, top_k=body.top_k),
                             progress=clock.check)
        needed = state.model_tokens(scorer.window, scorer.context, body.texts, spans)
        if needed > settings.max_tokens_scored:
            raise over_limit("tokens through the model", needed, settings.max_tokens_scored, "--max-tokens-scored")
        with state.gate.turn(clock):
            records = scorer.score(body.texts, spans)
        return wire.encode(records, scorer.name, scorer.identity)

    @app.get("/rules", responses={401: REFUSALS[401]})
    def rules() -> list[dict[str, Any]]:
        from entropy_lint.report.catalog import rule_dict
        from entropy_lint.rules import catalog

        return [rule_dict(r) for r in catalog()]

    if settings.docs:
        add_docs(app)

    # outermost first: CORS answers preflights and marks every answer (401s too); then the key;
    # then the body is read whole, within its size and time, before a route sees it
    wrapped: ASGIApp = guard_body(app, settings.max_body_bytes, settings.body_timeout)
    if settings.api_key:
        wrapped = bearer_auth(wrapped, settings.api_key, OPEN_PATHS)
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        wrapped = CORSMiddleware(wrapped, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                                 allow_headers=["Authorization", "Content-Type"], expose_headers=["Retry-After"])
    return wrapped


def checked_spans(body: ScoreRequest) -> list[Sequence[Span] | None] | None:
    """The request's spans, each inside its text: 0 <= start <= end <= len(text)."""
    if body.spans is None:
        return None
    if len(body.spans) != len(body.texts):
        raise invalid(("spans",), f"spans must have one entry per text ({len(body.texts)}), not {len(body.spans)}")
    for i, (text, spans) in enumerate(zip(body.texts, body.spans)):
        for j, (start, end) in enumerate(spans or ()):
            if not 0 <= start <= end <= len(text):
                raise invalid(("spans", i, j), f"span [{start}, {end}) is not inside text {i} "
                                                f"(0 <= start <= end <= {len(text)} characters)")
    return [None if s is None else list(s) for s in body.spans]


def serve(settings: ServerSettings, host: str, port: int, log_level: str) -> None:
    """Run the app under uvicorn with the connection limits and timeouts of ``settings``."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(
        create_app(settings), host=host, port=port, log_level=log_level, lifespan="on", ws="none",
        http=head_timeout_protocol(settings.header_timeout), timeout_keep_alive=settings.keep_alive_timeout,
        limit_concurrency=settings.max_connections, h11_max_incomplete_event_size=HEAD_BYTES,
    ))
    server.run()
