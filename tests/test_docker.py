"""Dockerfile and docker-compose.yml agree with the CLI and the README (no Docker engine here)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import yaml

from entropy_lint.front.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
README = (ROOT / "README.md").read_text()


def parses(argv: list[str]) -> None:
    """The command line is valid for entropy-lint (options and values checked, nothing run)."""
    assert argv[0] == "entropy-lint"
    command = cli.get_command(click.Context(cli), argv[1])
    assert command is not None, argv[1]
    command.make_context(argv[1], list(argv[2:]))


def instruction(name: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^{name}\s+((?:[^\n]*\\\n)*[^\n]*)", DOCKERFILE, re.M)]


def test_dockerfile_runs_the_server_as_a_non_root_user_with_a_healthcheck() -> None:
    assert instruction("ARG") == ["TORCH_VARIANT=cpu"]
    user = instruction("USER")
    assert user and user[-1] not in ("root", "0")
    assert DOCKERFILE.index("USER app") < DOCKERFILE.index("CMD [")
    (health,) = instruction("HEALTHCHECK")
    assert "/health" in health and "8000" in health
    assert instruction("EXPOSE") == ["8000"]
    cmd = eval(instruction("CMD")[-1])  # a JSON-array CMD  # noqa: S307
    parses(cmd)
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert 'HF_HOME=/home/app/.cache/huggingface' in DOCKERFILE and 'VOLUME ["/home/app/.cache"]' in DOCKERFILE
    assert "download.pytorch.org/whl/${TORCH_VARIANT}" in DOCKERFILE and '".[server,research]"' in DOCKERFILE


def test_compose_services_match_the_image_and_the_cli() -> None:
    api, research = COMPOSE["services"]["api"], COMPOSE["services"]["research"]
    parses(api["command"])
    parses(research["command"])
    assert any(p.endswith(":8000") for p in api["ports"]) and api["ports"][0].startswith("127.0.0.1:")
    assert "hf-cache:/home/app/.cache" in api["volumes"] and "hf-cache" in COMPOSE["volumes"]
    assert research["profiles"] == ["research"] and "./output:/output" in research["volumes"]
    assert research["command"][research["command"].index("--out") + 1] == "/output"
    assert api["build"]["args"]["TORCH_VARIANT"] == "cpu"
    raw = (ROOT / "docker-compose.yml").read_text()
    assert "#           capabilities: [gpu]" in raw  # the GPU block is there, commented, for users to enable


def test_readme_docker_commands_name_real_services_profiles_and_build_args() -> None:
    commands = [shlex.split(line.strip()) for line in README.splitlines() if line.strip().startswith("docker ")]
    assert commands, "the README documents the Docker commands"
    for argv in commands:
        if argv[1] == "compose":
            services = [a for a in argv[2:] if not a.startswith("-") and a not in ("up", "down", "build", "logs", "research")
                        and argv[argv.index(a) - 1] != "--profile"]
            assert all(s in COMPOSE["services"] for s in services), argv
            if "--profile" in argv:
                assert argv[argv.index("--profile") + 1] in COMPOSE["services"]["research"]["profiles"]
        elif argv[1] == "build":
            for i, a in enumerate(argv):
                if a == "--build-arg":
                    assert argv[i + 1].split("=")[0] == "TORCH_VARIANT"
        elif argv[1] == "run":
            image_at = next(i for i, a in enumerate(argv) if a.startswith("entropy-lint") and i > 1 and argv[i - 1] not in ("-v", "-p", "--name"))
            if len(argv) > image_at + 1:
                parses(["entropy-lint", *argv[image_at + 1:]])


def test_install_commands_in_the_readme_are_the_ones_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    install = "torch==2.13.0 -e '.[model,test]'"
    assert install in README and install in ci
    assert ".venv/bin/python -m pytest" in README and ".venv/bin/python -m pytest" in ci
    light = "pip install --quiet --disable-pip-version-check -e '.[test-core]'"
    assert light in ci and '-m pytest -m "not model"' in ci and "pip install -e '.[test-core]'" in README
    assert isinstance(cli, click.Group)
