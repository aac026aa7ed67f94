#!/usr/bin/env bash
# The GPU checks, as one script for a lent GPU machine (run from the repository root):
#   bash benchmarks/gpu.sh            (needs torch with CUDA and transformers; no install)
# A randomly initialised model of Qwen2.5-Coder-1.5B's shape measures speed; the tokenizer comes
# from .bench-assets/tokenizer (SmolLM2's, saved by hand; any fast tokenizer works for speed).
set -uo pipefail
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)"
for budget in 16384 65536; do
    python3 benchmarks/bench_scoring.py --random-qwen --tokenizer .bench-assets/tokenizer --device cuda \
        --files 300 --rounds 2 --batch-tokens "$budget" --dtypes bfloat16
done
