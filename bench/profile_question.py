"""Profile one question on a warm index and count what the question path does to plan text.

    PLANBOT_LLM=none .venv/bin/python bench/profile_question.py ["QUESTION"]

Prints the calls of the text-reading functions (sentence splitting, folding/matching tokens,
agency search) during one answer, with the callers of each, and the top of the profile. Section
text is read at ingest (index/facts.py); what remains per question is the question itself and
the few quotes an answer is made of.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.embedders import HashingEmbedder  # noqa: E402
from index.store import InMemoryStore  # noqa: E402
from planbot import SAMPLE_PLANS_DIR  # noqa: E402
from planbot.factory import build_app  # noqa: E402
from planbot.settings import Settings  # noqa: E402

WATCHED = ("split_sentences", "match_tokens", "find_agencies", "fold", "read_chunk")
QUESTION = "Sở Tài chính Hưng Yên phải làm gì?"


def main() -> None:
    question = sys.argv[1] if len(sys.argv) > 1 else QUESTION
    settings = Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp()), llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    app.assistant.ask(question)  # warm: lexical index, register, caches
    other = "Các cơ quan phải gửi báo cáo về đâu theo kế hoạch thông tin đối ngoại năm 2024 của Thừa Thiên Huế?"
    app.assistant.ask(other)
    profile = cProfile.Profile()
    profile.enable()
    answer = app.assistant.ask(question)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"question: {question}\nanswer: {answer.answer[:200]}…\n")
    print("calls during one answer (and who made them):")
    for (filename, _, name), (_, calls, _, _, callers) in sorted(stats.stats.items()):
        if name in WATCHED and "site-packages" not in filename:
            by = ", ".join(f"{Path(f).parent.name}/{Path(f).name}:{fn} ×{c[1]}" for (f, _, fn), c in callers.items())
            print(f"  {Path(filename).parent.name}/{Path(filename).name}:{name}  {calls} calls  ← {by}")
    print()
    stats.sort_stats("cumulative").print_stats(12)


if __name__ == "__main__":
    main()
