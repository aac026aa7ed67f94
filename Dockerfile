# entropy-lint: the REST service and the research batch.
#   CPU (default):  docker build -t entropy-lint .
#   CUDA:           docker build --build-arg TORCH_VARIANT=cu124 -t entropy-lint:cuda .
# TORCH_VARIANT names a PyTorch wheel index (cpu, cu121, cu124, ...); CUDA wheels carry their
# own CUDA libraries, so the same slim base serves both (GPUs need the NVIDIA container toolkit).
FROM python:3.11-slim

ARG TORCH_VARIANT=cpu
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HOME=/home/app/.cache/huggingface \
    ENTROPY_LINT_CACHE_DIR=/home/app/.cache/entropy-lint

# git: for `check --diff` and .gitignore-aware directory walks
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app

WORKDIR /opt/entropy-lint
COPY pyproject.toml README.md ./
COPY entropy_lint ./entropy_lint
RUN pip install torch --index-url "https://download.pytorch.org/whl/${TORCH_VARIANT}" \
    && pip install ".[server,research]"

USER app
WORKDIR /home/app
# models (Hugging Face cache, converted smollm2-135m) and results live here: mount a volume
RUN mkdir -p /home/app/.cache/huggingface /home/app/.cache/entropy-lint
VOLUME ["/home/app/.cache"]
EXPOSE 8000

# /health answers 503 while the model loads (minutes on first start, when it downloads)
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

# In a container the server must listen on all interfaces; publish the port on 127.0.0.1
# (as docker-compose.yml does) unless you set ENTROPY_LINT_API_KEY.
CMD ["entropy-lint", "serve", "--host", "0.0.0.0", "--port", "8000"]
