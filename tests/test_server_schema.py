"""Schemathesis against the server's own OpenAPI, on a real server on a loopback port.

For every operation, bodies generated from the schema (valid ones, and invalid ones built to
break it) are sent, and each answer must be: no 5xx, a status code the schema documents, its
content type and body as documented, and every invalid body refused with a 4xx. Bounded and
deterministic (a fixed number of examples, derandomized); the server runs a tiny random model
with small token limits, so a valid request costs little.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="the schema test needs schemathesis (the [test] extra)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from server_process import Server  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]
EXAMPLES = 30  # per operation


@pytest.fixture(scope="module")
def api(tiny_qwen_dir: Path) -> Iterator[Server]:
    s = Server("--max-tokens-scored", "64", "--max-tokens-generated", "4", "--queue-timeout", "300",
               "--request-timeout", "600", model=str(tiny_qwen_dir))
    yield s
    log = s.stop()
    assert "Traceback" not in log, log


@pytest.fixture(scope="module")
def api_schema(api: Server) -> Any:
    return schemathesis.openapi.from_url(api.url + "/openapi.json")


OPERATIONS = [("GET", "/"), ("GET", "/health"), ("GET", "/rules"), ("POST", "/analyze"), ("POST", "/check"),
              ("POST", "/score")]
# Invalid data can only be made where there is something to break: the bodies.
CASES = [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS] + [
    (m, p, GenerationMode.NEGATIVE) for m, p in OPERATIONS if m == "POST"]


def test_the_schema_lists_exactly_these_operations(api_schema: Any) -> None:
    listed = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert listed == set(OPERATIONS)


# (schemathesis's own pytest parametrization does not run under pytest 9; its strategies do)
@pytest.mark.parametrize("method,path,mode", CASES, ids=[f"{m} {p} {mode.value}" for m, p, mode in CASES])
def test_the_server_keeps_to_its_openapi(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def keeps_to_it(case: Any) -> None:
        case.call_and_validate(checks=CHECKS, timeout=600)

    keeps_to_it()
