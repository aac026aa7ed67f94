#!/usr/bin/env bash
# The GPU checks, as one script for a lent GPU machine (under 9 minutes on an H200, each step time-boxed).
#
#   bash benchmarks/gpu.sh --prepare       here, once: saves SmolLM2's tokenizer (from the bundled
#                                          small model) into .bench-assets/tokenizer; the hub cannot
#                                          be reached from the GPU machine
#   bash benchmarks/gpu.sh                 there, from the repository root, with .bench-assets
#                                          carried; needs torch with CUDA and transformers, no install
#   GPU_SMOKE=1 PYTHON=.venv/bin/python bash benchmarks/gpu.sh
#                                          anywhere: the same steps on the CPU with a tiny random
#                                          model, to check the script end to end before using a GPU
#
# A randomly initialised model of Qwen2.5-Coder-1.5B's shape measures speed (its numbers mean
# nothing); the real tokenizer matters for the token counts. Each step prints its own figures; a
# step that fails or runs out of time does not stop the next.
set -uo pipefail
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
PY="${PYTHON:-python3}"
TOKENIZER=.bench-assets/tokenizer

if [ "${1:-}" = "--prepare" ]; then
    exec "$PY" -c "
from entropy_lint.model.loading import load_model
load_model('smollm2-135m', device='cpu', log=print).tokenizer.save_pretrained('$TOKENIZER')
print('saved $TOKENIZER')"
fi
[ -d "$TOKENIZER" ] || { echo "no $TOKENIZER: run 'bash benchmarks/gpu.sh --prepare' first" >&2; exit 2; }

if [ -n "${GPU_SMOKE:-}" ]; then
    device=cpu; files=2; rounds=1; shape=(--qwen-shape tiny --qwen-layers 2); scale=4
else
    device=cuda; files=300; rounds=3; shape=(); scale=1
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
fi
"$PY" -c "
import importlib.util, torch, transformers
print('torch', torch.__version__, 'transformers', transformers.__version__,
      'flash-attn', 'installed' if importlib.util.find_spec('flash_attn') else 'absent')"
# bench SECONDS ARGS...: one measurement, stopped after SECONDS (x4 on a CPU); the three add up to
# under 9 minutes, inside one 10-minute device call
bench() { local limit=$(($1 * scale)); shift; timeout "$limit" "$PY" benchmarks/bench_scoring.py --random-qwen --tokenizer "$TOKENIZER" --device "$device" \
    --files "$files" --dtypes bfloat16 "${shape[@]}" "$@" || echo "(exit $? from: bench_scoring.py $*)"; }

echo "== 1. naive loop, packed engine, padded engine (the engine before packing), 16,384-token passes"
bench 210 --rounds "$rounds" --batch-tokens 16384 --engines packed,padded --shares --sync-check
echo "== 2. packed, 65,536-token passes"
bench 120 --rounds 2 --batch-tokens 65536 --engines packed --shares
echo "== 3. packed with torch.compile on body and head (compile time not counted: warm-up pass first)"
bench 210 --rounds 2 --batch-tokens 16384 --engines packed-compiled --shares
