"""The deployment files cannot drift from the application: every compose command is a real
`planbot` command line, every PLANBOT_* variable a real setting, ports and health checks match
what `planbot serve` listens on and answers. (No Docker engine here: the files are parsed.)"""

from __future__ import annotations

import re
import shlex
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from fastapi.testclient import TestClient

from bot.cli import build_parser
from planbot import PROJECT_ROOT
from planbot.settings import Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict] = COMPOSE["services"]
APP_SERVICES = {"api": "serve", "bot": "bot", "ingest": "ingest"}
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
ENV_EXAMPLE = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")


def documented() -> dict[str, tuple[str, bool]]:
    """.env.example's NAME=value lines, commented ("# NAME=value": shows the default) or not."""
    out = {}
    for line in ENV_EXAMPLE.splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            out[match.group(2)] = (match.group(3), bool(match.group(1)))
    return out


def interpolate(value: str) -> str:
    """Compose's ${NAME:-default} with nothing set: what a fresh checkout runs with."""
    return _VARIABLE.sub(lambda m: m.group(2) or "", value)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: interpolate(str(v)) for k, v in env.items()}


def parsed_command(name: str):
    command = SERVICES[name]["command"]
    assert isinstance(command, list), f"{name}: write the command as a list (no shell parsing)"
    assert command[0] == "planbot", name
    try:
        return build_parser().parse_args(command[1:])
    except SystemExit as exc:
        raise AssertionError(f"{name}: {command} is not a valid planbot command line") from exc


def mounts(service: dict) -> dict[str, str]:
    """container path -> source (named volume or host path), for short-syntax volumes."""
    out = {}
    for entry in service.get("volumes", []):
        source, target, *_ = interpolate(entry).split(":")
        out[target] = source
    return out


def test_the_services():
    assert set(SERVICES) == {"ollama", "ollama-pull", "chroma", "api", "bot", "ingest", "llama-server"}
    for name in APP_SERVICES:  # one image for the app, built from this Dockerfile
        assert SERVICES[name]["build"] == "."
        assert SERVICES[name]["image"] == SERVICES["api"]["image"]


@pytest.mark.parametrize(("service", "command"), APP_SERVICES.items())
def test_app_commands_are_real_planbot_command_lines(service, command):
    args = parsed_command(service)
    assert args.command == command


def test_dockerfile_default_command_is_the_api():
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, flags=re.M).group(1)
    argv = yaml.safe_load(cmd)
    assert argv == SERVICES["api"]["command"]


def test_api_port_and_healthcheck_match_serve(sample_app):
    args = parsed_command("api")
    assert args.host == "0.0.0.0"  # reachable from outside its container
    published = [interpolate(p) for p in SERVICES["api"]["ports"]]
    assert [int(p.rsplit(":", 1)[1]) for p in published] == [args.port]
    assert f"EXPOSE {args.port}" in DOCKERFILE
    test = SERVICES["api"]["healthcheck"]["test"]
    url = urlparse(re.search(r"http://[^'\" ]+", " ".join(test)).group(0))
    assert url.port == args.port
    from bot.api.app import create_app

    with TestClient(create_app(sample_app, insecure_no_auth=True)) as client:
        assert client.get(url.path).status_code == 200  # a real route of the API


def test_ingest_reads_the_mounted_plans_and_prunes():
    args = parsed_command("ingest")
    assert args.prune
    volumes = mounts(SERVICES["ingest"])
    for path in args.paths:
        assert path in volumes
        assert SERVICES["ingest"]["volumes"][list(volumes).index(path)].endswith(":ro")
    assert SERVICES["ingest"]["restart"] == "no"


def test_every_planbot_variable_is_a_real_setting():
    fields = set(Settings.model_fields)
    used = set(documented())
    for service in SERVICES.values():
        used |= set(service.get("environment") or {})
    used |= {m.group(1) for m in _VARIABLE.finditer((PROJECT_ROOT / "docker-compose.yml").read_text())}
    unknown = sorted(v for v in used if v.startswith("PLANBOT_") and v[len("PLANBOT_"):].lower() not in fields)
    assert unknown == []


def test_every_setting_is_documented_in_env_example():
    names = documented()
    missing = sorted(f"PLANBOT_{f.upper()}" for f in Settings.model_fields if f"PLANBOT_{f.upper()}" not in names)
    assert missing == []


def test_env_example_values_are_valid_settings(tmp_path):
    values = {k: v for k, (v, _) in documented().items() if k.startswith("PLANBOT_")}
    env_file = tmp_path / "env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in values.items()), encoding="utf-8")
    settings = Settings(_env_file=env_file)  # raises on any invalid value
    assert settings.ollama_model == Settings(_env_file=None).ollama_model


def test_every_compose_variable_is_documented():
    text = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    names = documented()
    assert sorted({m.group(1) for m in _VARIABLE.finditer(text)} - set(names)) == []
    for match in _VARIABLE.finditer(text):
        name, default = match.group(1), match.group(2)
        # host-side defaults agree with .env.example; PLANBOT_* defaults in the compose file wire
        # the containers to each other and are checked against the settings below
        if default is not None and not name.startswith("PLANBOT_"):
            assert default == names[name][0], name


def test_app_services_reach_ollama_and_chroma_by_service_name():
    defaults = Settings(_env_file=None)
    for name in APP_SERVICES:
        env = environment(SERVICES[name])
        values: dict[str, Any] = {k[len("PLANBOT_"):].lower(): v for k, v in env.items()}
        settings = Settings(_env_file=None, **values)
        assert urlparse(settings.chroma_url).hostname == "chroma"
        assert urlparse(settings.chroma_url).port == 8000
        assert urlparse(settings.ollama_url).hostname == "ollama"
        assert urlparse(settings.ollama_url).port == urlparse(defaults.ollama_url).port == 11434
        assert SERVICES[name]["depends_on"]["chroma"]["condition"] == "service_healthy"
        assert mounts(SERVICES[name])[str(settings.data_dir)] == "planbot-data"
    assert "PLANBOT_DATA_DIR=/data" in DOCKERFILE


def test_the_model_pull_job_pulls_the_configured_model():
    pull = SERVICES["ollama-pull"]
    assert pull["image"] == SERVICES["ollama"]["image"]
    assert pull["command"][0] == "pull"
    assert interpolate(pull["command"][1]) == Settings(_env_file=None).ollama_model
    assert "PLANBOT_OLLAMA_MODEL" in pull["command"][1]
    assert urlparse(environment(pull)["OLLAMA_HOST"]).hostname == "ollama"
    assert pull["depends_on"]["ollama"]["condition"] == "service_healthy"
    assert pull["restart"] == "no"


def test_servers_keep_their_data_in_volumes_and_report_health():
    declared = set(COMPOSE["volumes"])
    assert mounts(SERVICES["ollama"])["/root/.ollama"] in declared
    assert mounts(SERVICES["chroma"])["/data"] in declared  # the image's persist_path
    for name in ("ollama", "chroma", "api"):
        assert SERVICES[name]["healthcheck"]["test"][0] == "CMD"
    for service in SERVICES.values():
        for source in mounts(service).values():
            assert source.startswith((".", "/")) or source in declared


def llama_server_flags() -> dict[str, str]:
    """The llama-server service's command as flag -> value (with nothing set in .env)."""
    command = [interpolate(str(word)) for word in SERVICES["llama-server"]["command"]]
    flags: dict[str, str] = {}
    for word in command:
        if word.startswith("--"):
            flags[word] = ""
            last = word
        else:
            assert flags[last] == "", f"{last} has two values in {command}"
            flags[last] = word
    return flags


def test_the_openai_profile_serves_a_model_planbot_can_reach():
    """Profile "openai": llama.cpp's llama-server, reachable at the URL .env.example gives for
    PLANBOT_OPENAI_URL, started with the context planbot budgets for, serving a GGUF file from the
    same models folder, healthy only once the model is loaded."""
    service = SERVICES["llama-server"]
    assert service["profiles"] == ["openai"]
    assert service["image"].startswith("ghcr.io/ggml-org/llama.cpp:")
    flags = llama_server_flags()
    assert flags["--host"] == "0.0.0.0"
    url = urlparse(re.search(r"http://llama-server:\d+/v1", ENV_EXAMPLE).group(0))
    assert url.port == int(flags["--port"]) and url.path == "/v1"
    settings = Settings(_env_file=None, llm="openai", openai_url=url.geturl())  # a valid setting
    assert int(flags["--ctx-size"]) == settings.openai_num_ctx
    assert "PLANBOT_OPENAI_NUM_CTX" in " ".join(service["command"])  # one number for both sides
    model_dir, model_file = flags["--model"].rsplit("/", 1)
    assert mounts(service)[model_dir] == mounts(SERVICES["api"])["/models"]
    assert model_file == documented()["LLAMA_MODEL"][0] and model_file.endswith(".gguf")
    assert "--jinja" in flags  # the chat template inside the GGUF, applied as written
    health = service["healthcheck"]["test"]
    assert health[0] == "CMD" and urlparse(health[-1]).path == "/health"
    assert urlparse(health[-1]).port == url.port
    # the Ollama services stay the default; the openai profile is chosen, never started by surprise
    assert "profiles" not in SERVICES["ollama"]


def test_chroma_server_matches_the_client_version():
    image, tag = SERVICES["chroma"]["image"].split(":")
    assert image == "chromadb/chroma"
    assert tag == version("chromadb")
    assert SERVICES["ollama"]["image"].startswith("ollama/ollama:")


def test_dockerfile_runs_as_a_non_root_user_after_installing():
    lines = [line.strip() for line in DOCKERFILE.splitlines()]
    assert lines[[i for i, line in enumerate(lines) if line.startswith("FROM ")][0]] == "FROM python:3.11-slim"
    users = [i for i, line in enumerate(lines) if line.startswith("USER ")]
    assert users, "no USER: the app would run as root"
    user = lines[users[-1]].split()[1]
    assert user not in ("root", "0")
    assert re.search(rf"useradd [^\n]*{user}", DOCKERFILE)
    assert users[-1] > max(i for i, line in enumerate(lines) if line.startswith("RUN "))
    assert re.search(rf"chown {user}:{user} /data", DOCKERFILE)


def test_dockerfile_installs_cpu_torch_through_the_constraints():
    pip_commands = [c for c in re.split(r"&&|\n(?=RUN)", DOCKERFILE.replace("\\\n", " ")) if "pip install" in c]
    assert pip_commands
    for command in pip_commands:
        assert "-c constraints.txt" in command, command
        assert "download.pytorch.org/whl/cpu" in command, command
    torch = [c for c in pip_commands if re.search(r"\btorch\b", c.split("pip install", 1)[1])]
    assert torch and "--index-url https://download.pytorch.org/whl/cpu" in torch[0]
    assert '-e ".[models]"' in DOCKERFILE
    assert "torch==" in (PROJECT_ROOT / "constraints.txt").read_text()
    assert "HF_HUB_OFFLINE=1" in DOCKERFILE


def test_dockerfile_copies_what_exists_and_dockerignore_keeps_secrets_out():
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            for source in shlex.split(line)[1:-1]:
                assert (PROJECT_ROOT / source).exists(), source
    ignored = {line.strip() for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", ".git"} <= ignored
    assert Path(PROJECT_ROOT / ".env.example").is_file()


def chroma_healthcheck(port: int) -> list[str]:
    """The chroma service's healthcheck as the container runs it (compose turns $$ into $), aimed
    at a port on this machine instead of the container's 8000."""
    test = SERVICES["chroma"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "/bin/bash", "-c"]  # the image has bash, but neither curl nor python
    assert "127.0.0.1/8000" in test[3]
    return [test[1], test[2], test[3].replace("$$", "$").replace("127.0.0.1/8000", f"127.0.0.1/{port}")]


@pytest.mark.network
def test_the_chroma_healthcheck_asks_a_real_chroma_server(tmp_path):
    import subprocess

    from tests.fakes import ChromaServer, FakeOllama, free_port

    assert "/api/v2/heartbeat" in SERVICES["chroma"]["healthcheck"]["test"][3]
    with ChromaServer(tmp_path / "chroma") as server:
        assert subprocess.run(chroma_healthcheck(server.port), timeout=10).returncode == 0
    # down, or something else answering on the port (it says 404 to the heartbeat): unhealthy
    assert subprocess.run(chroma_healthcheck(free_port()), timeout=10, stderr=subprocess.DEVNULL).returncode != 0
    with FakeOllama(lambda messages: "") as other:
        port = int(other.url.rsplit(":", 1)[1])
        assert subprocess.run(chroma_healthcheck(port), timeout=10).returncode != 0


def test_dockerfile_installs_what_scanned_plans_need():
    """Tesseract with Vietnamese data and poppler: the readers of DOCX/PDF/scans call them."""
    installs = re.findall(r"apt-get install[^\n]*", DOCKERFILE.replace("\\\n", " "))
    packages = {word for line in installs for word in line.split() if not word.startswith("-")}
    assert {"tesseract-ocr", "tesseract-ocr-vie", "poppler-utils"} <= packages
    assert any("--no-install-recommends" in line for line in installs)
    system = (PROJECT_ROOT / "scripts" / "ci-system-packages.sh").read_text(encoding="utf-8")
    for package in ("tesseract-ocr", "tesseract-ocr-vie", "poppler-utils"):
        assert package in system  # CI tests what the image ships
