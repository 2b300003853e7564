"""The CLI contract: outline --json, ask --json, ask --questions, ingest, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lang.normalize import collapse_ws
from planbot import SAMPLE_PLANS_DIR
from tests.conftest import SHARED_OUTLINES
from tests.test_answer import EXAMPLE


def run(args: list[str], data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(data_dir), "PLANBOT_LLM": "none", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=120)


def test_outline_json_reproduces_shared_outline(tmp_path):
    result = run(["outline", str(SAMPLE_PLANS_DIR / "thua-thien-hue-2024.txt"), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((SHARED_OUTLINES / "thua-thien-hue-2024.json").read_text())
    assert not (tmp_path / "chroma").exists()  # needs no index


def test_outline_text_shows_repaired_titles_and_json_keeps_them_verbatim(tmp_path):
    plan = str(SAMPLE_PLANS_DIR / "vinh-phuc-2024.txt")  # English-model OCR
    verbatim = json.loads(run(["outline", plan, "--json"], tmp_path).stdout)
    assert verbatim[0]["title"] == "MUC PIiCH, YEU CAU"
    result = run(["outline", plan], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(verbatim) + 1
    assert "MỤC" in lines[1] and "YÊU CẦU" in lines[1] and "MUC PIiCH" not in result.stdout


def test_output_cut_by_a_closed_pipe_ends_quietly(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")} | {"PLANBOT_DATA_DIR": str(tmp_path)}
    plan = str(SAMPLE_PLANS_DIR / "thua-thien-hue-2024.txt")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "outline", plan, "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Broken pipe" not in stderr and "Lỗi" not in stderr


def test_outline_of_missing_file_is_a_clear_error(tmp_path):
    result = run(["outline", str(tmp_path / "none.txt"), "--json"], tmp_path)
    assert result.returncode == 2
    assert "không tìm thấy" in result.stderr


def test_documents_json_lists_header_metadata(tmp_path):
    plan = tmp_path / "plans" / "bac-ninh-2026.txt"
    plan.parent.mkdir()
    plan.write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 141/KH-UBND\nBắc Ninh, ngày 20 tháng 11 năm 2025\nKẾ HOẠCH\n"
        "CHUYỂN ĐỔI SỐ TỈNH BẮC NINH NĂM 2026\nCăn cứ Nghị quyết số 57-NQ/TW;\nI. MỤC ĐÍCH\n"
        "1. Mục đích\nNâng cao hiệu quả.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Khoa học và Công nghệ chủ trì.\n"
        "Nơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n",
        encoding="utf-8")
    assert run(["ingest", str(plan.parent)], tmp_path).returncode == 0
    result = run(["documents", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    (doc,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert doc == {
        "source": "bac-ninh-2026.txt", "title": "Kế hoạch chuyển đổi số tỉnh Bắc Ninh năm 2026",
        "doc_type": "Kế hoạch", "issuer": "UBND tỉnh Bắc Ninh", "province": "Bắc Ninh", "province_now": None,
        "number": "141/KH-UBND", "signed": "2025-11-20", "place": "Bắc Ninh", "years": [2026],
        "signer": "Nguyễn Văn An", "signer_authority": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"}
    readable = run(["documents"], tmp_path)
    assert "UBND tỉnh Bắc Ninh" in readable.stdout and "141/KH-UBND" in readable.stdout


@pytest.mark.slow
def test_ask_on_empty_index_ingests_samples_then_answers_json(tmp_path, sample_texts):
    result = run(["ask", EXAMPLE, "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"question", "answer", "abstained", "mode", "citations"}
    assert answer["mode"] == "extractive" and answer["abstained"] is False
    first = answer["citations"][0]
    assert (first["source"], first["section"], first["section_label"]) == (
        "thua-thien-hue-2024.txt", "V.2", "Mục V, khoản 2")
    assert collapse_ws(first["quote"]) in collapse_ws(sample_texts[first["source"]])
    # a second ingest of the same files does no work
    again = run(["ingest", "--json"], tmp_path)
    assert {f["status"] for f in json.loads(again.stdout)["files"]} == {"unchanged"}


def test_a_list_answer_on_an_ocrd_plan_shows_repaired_text_only_unless_asked(tmp_path):
    """Issue 25: one whole item per line, one citation, no OCR residue in what is printed; the
    verbatim OCR text only with --ocr-original."""
    question = "Sở Ngoại vụ phải làm gì theo kế hoạch năm 2024 của Thừa Thiên Huế?"
    shown = run(["ask", question], tmp_path)
    assert shown.returncode == 0, shown.stderr
    items = [line for line in shown.stdout.splitlines() if line.startswith("- ")]
    assert len(items) >= 5 and all(line.rstrip().endswith((".", "]", ";")) for line in items)
    assert shown.stdout.count("[1]") == 2 and "[2]" not in shown.stdout  # one section, cited once
    for residue in ("¢", "Vo1", "phu:ong", "Phdi", "nudce", "@"):
        assert residue not in shown.stdout
    original = run(["ask", question, "--ocr-original"], tmp_path)
    assert "Văn bản gốc (OCR)" in original.stdout and "Vo1" in original.stdout


@pytest.mark.slow
def test_first_ask_without_an_llm_server_is_quiet_and_says_which_index_with_v(tmp_path):
    """The default PLANBOT_LLM=auto on a machine without Ollama: an answer, no warning, no notice;
    with -v the log says once that answers are extractive, and which index is used."""
    from tests.fakes import free_port

    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(tmp_path), "PLANBOT_OLLAMA_URL": f"http://127.0.0.1:{free_port()}",
            "HF_HUB_OFFLINE": "1"}

    def ask(*flags: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot.cli", *flags, "ask", EXAMPLE], capture_output=True,
                              text=True, env=env, timeout=300)

    quiet = ask()
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert "15/11/2024" in quiet.stdout and "Không kết nối" not in quiet.stdout
    verbose = ask("-v")
    assert "WARNING" not in verbose.stderr and verbose.stdout == quiet.stdout
    assert verbose.stderr.count("answering extractively") == 1
    assert f"using the index in {tmp_path}: 4 plans" in verbose.stderr


@pytest.mark.slow
def test_ask_many_keeps_order_and_echoes_fields(tmp_path):
    questions = tmp_path / "q.jsonl"
    lines = [{"id": "a", "question": EXAMPLE, "kind": "deadline"},
             {"id": 2, "question": "Thời tiết Đà Nẵng hôm nay?"},
             {"id": "c", "question": ""}]
    questions.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n",
                         encoding="utf-8")
    result = run(["ask", "--json", "--questions", str(questions)], tmp_path)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out[:3]] == ["a", 2, "c"]
    assert out[0]["kind"] == "deadline" and out[0]["citations"][0]["section"] == "V.2"
    assert out[1]["abstained"] is True
    assert out[2]["abstained"] is True and "trống" in out[2]["answer"]
    assert "error" in out[3]
    assert result.returncode == 1  # the malformed line is reported


def test_bad_settings_are_reported_clearly(tmp_path):
    env_result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "x"], capture_output=True, text=True,
                                env={**os.environ, "PLANBOT_DATA_DIR": str(tmp_path), "PLANBOT_LLM": "gpt"},
                                timeout=60)
    assert env_result.returncode == 2
    assert "PLANBOT_" in env_result.stderr
