"""Loading from every source, and the clear sentences when loading cannot work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from entropy_lint.errors import ModelError
from entropy_lint.model.loading import load_model, pick_device, pick_dtype, resolve_source

QUIET = {"log": lambda _m: None}


def test_sources_are_classified_without_loading(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert resolve_source("smollm2-135m").kind == "alias"
    assert resolve_source(str(tmp_path)).kind == "dir"
    assert resolve_source(str(tmp_path / "m.gguf")).kind == "gguf"
    assert resolve_source("Qwen/Qwen2.5-Coder-1.5B-Instruct").kind == "hub"


@pytest.mark.parametrize("spec", ["./no/such/dir", "/no/such/model.gguf", "not a model id!"])
def test_invalid_model_specs_are_one_sentence(spec: str) -> None:
    with pytest.raises(ModelError) as info:
        resolve_source(spec)
    assert "\n" not in str(info.value) and spec.strip() in str(info.value)


def test_directory_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no config.json"):
        resolve_source(str(tmp_path))


@pytest.mark.model
def test_cpu_defaults_to_float32_and_refuses_float16() -> None:
    import torch

    cpu = pick_device("cpu")
    assert pick_dtype("auto", cpu) == torch.float32
    assert pick_dtype("bf16", cpu) == torch.bfloat16
    with pytest.raises(ModelError, match="only supported on a GPU"):
        pick_dtype("float16", cpu)


def test_tiny_random_qwen2_directory_loads_and_scores(tiny_qwen_dir: Path) -> None:
    from entropy_lint.model.engine import TorchScorer

    loaded = load_model(str(tiny_qwen_dir), **QUIET)
    assert type(loaded.model).__name__ == "Qwen2ForCausalLM"
    assert loaded.identity.startswith("dir:")
    (rec,) = TorchScorer(loaded).score(["int main(void) { return 0; }\n"])
    assert rec.scored.all() and np.isfinite(rec.entropy).all()


def test_alias_is_fetched_and_converted_to_safetensors(small_model) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.bundled import SMOLLM2_135M, converted_dir
    from entropy_lint.paths import cache_dir

    folder = converted_dir(SMOLLM2_135M, cache_dir())
    assert (folder / "model.safetensors").is_file()
    assert not list(folder.glob("*.bin")) and not list(folder.glob("*.gguf"))
    assert small_model.identity.startswith("alias:smollm2-135m@")


def test_gguf_file_loads_to_the_same_scores_as_the_converted_directory(tmp_path: Path, small_scorer) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.engine import TorchScorer

    from entropy_lint.model.bundled import SMOLLM2_135M, fetch_gguf

    gguf = fetch_gguf(SMOLLM2_135M, tmp_path, lambda _m: None)
    loaded = load_model(str(gguf), **QUIET)
    text = "def handler(request):\n    return eval(request.args['q'])\n"
    (from_gguf,) = TorchScorer(loaded).score([text])
    (converted,) = small_scorer.score([text])
    np.testing.assert_allclose(from_gguf.logprob, converted.logprob, atol=1e-4)


def test_a_model_that_is_not_a_causal_lm_is_refused(tmp_path: Path, small_model) -> None:  # type: ignore[no-untyped-def]
    from transformers import DistilBertConfig, DistilBertModel

    DistilBertModel(DistilBertConfig(vocab_size=len(small_model.tokenizer), dim=16, n_layers=1, n_heads=2,
                                     hidden_dim=32)).save_pretrained(tmp_path)
    small_model.tokenizer.save_pretrained(tmp_path)
    with pytest.raises(ModelError, match="not a causal language model"):
        load_model(str(tmp_path), **QUIET)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entropy_lint", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.model
def test_uncached_hub_model_offline_is_one_clear_sentence(tmp_path: Path) -> None:
    src = tmp_path / "a.py"
    src.write_text("x = 1\n")
    proc = run_cli("score", str(src), "--model", "entropy-lint-tests/not-cached",
                   env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "not in the Hugging Face cache" in proc.stderr and "--model smollm2-135m" in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


@pytest.mark.model
def test_unknown_hub_model_online_or_not_is_one_clear_sentence(tmp_path: Path) -> None:
    src = tmp_path / "a.py"
    src.write_text("x = 1\n")
    proc = run_cli("score", str(src), "--model", "entropy-lint-tests/does-not-exist",
                   env={"HF_HOME": str(tmp_path / "hf")})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "entropy-lint-tests/does-not-exist" in proc.stderr


def test_a_hub_model_in_the_local_hf_cache_loads_offline(tmp_path: Path, tiny_qwen_dir: Path) -> None:
    """The documented HF cache layout, filled by hand (no hub here): refs/main -> snapshots/<rev>."""
    import shutil

    revision = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hf" / "hub" / "models--entropy-lint-tests--tiny-qwen2"
    shutil.copytree(tiny_qwen_dir, repo / "snapshots" / revision)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    code = (
        "from entropy_lint.model.loading import load_model, model_identity\n"
        "m = load_model('entropy-lint-tests/tiny-qwen2', log=lambda _m: None)\n"
        "print(m.identity)\n"
        "print(model_identity('entropy-lint-tests/tiny-qwen2'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"})
    assert proc.returncode == 0, proc.stderr
    identity, key = proc.stdout.split()
    assert identity == key == f"hub:entropy-lint-tests/tiny-qwen2@{revision}|auto|auto"
