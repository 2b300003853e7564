"""`planbot eval`: accuracy of answers, retrieval, parser and register on the gold data, beside a
naive baseline run on the same corpus and embedder; writes a JSON result and an HTML report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from planbot import PROJECT_ROOT

RUNS_DIR = PROJECT_ROOT / "eval" / "runs"  # git-ignored


def register(sub) -> None:
    p = sub.add_parser("eval", help="run the gold questions and print accuracy figures")
    p.add_argument("--suite", default=None,
                   help="gold file name part, e.g. tth (default: all); 'metadata' or 'xrefs' score only the "
                        "plans' header metadata or cross-references; 'register' only the obligations register "
                        "(per plan and total, see --register-gold)")
    p.add_argument("--mode", choices=["extractive", "llm"], default="extractive")
    p.add_argument("--json", dest="json_out", metavar="OUT.json",
                   help="write the full result here, and the HTML report beside it (OUT.html); "
                        "default eval/runs/<timestamp>.json")
    p.add_argument("--html", dest="html_out", metavar="OUT.html", help="write the HTML report here instead")
    p.add_argument("--compare", metavar="OLD.json", help="print what changed against an earlier result")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N questions (a quick check)")
    p.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    p.add_argument("--rewordings", action="store_true",
                   help="robustness instead of accuracy: ask every question and at least five rewordings of it "
                        "(plan named first/last/in the middle, no diacritics, abbreviations, synonyms, clauses "
                        "moved) and report the invariance rate (eval/rewordings.py)")
    p.add_argument("--questions", metavar="FILE.jsonl",
                   help="an outside question suite in gold format (e.g. ../shared/plans/questions.jsonl) "
                        "instead of eval/gold; needs --plans")
    p.add_argument("--plans", metavar="DIR",
                   help="the plans the --questions suite is about: the index is made to hold exactly these "
                        "(use an empty PLANBOT_DATA_DIR); quotes are checked against these files. With "
                        "--suite register: where the gold's plans are read (default: the sample plans and "
                        "../shared/plans)")
    p.add_argument("--register-gold", metavar="FILE_OR_DIR",
                   help="--suite register: the register gold, a JSONL file or a folder of them "
                        "(default eval/gold/obligations.jsonl)")
    p.add_argument("--misses", action="store_true",
                   help="--suite register: after the table, list per plan and kind the gold facts missed (-) "
                        "and the extracted facts not in the gold (+)")
    p.set_defaults(func=cmd_eval)


def _table(result: dict) -> str:
    from eval.report import text_table

    return text_table(result)


def _ingest_quality(suite: str | None) -> str:
    """What ingest reads once per plan, scored on the hand-made gold: header metadata and
    cross-references (on the sample plans and ../shared/plans when present)."""
    from eval.metadata_eval import metadata_scores, metadata_table

    out = []
    if suite in (None, "metadata"):
        out.append(metadata_table(metadata_scores()))
    if suite in (None, "xrefs"):
        try:
            from eval.xref_eval import xref_scores, xref_table
        except ModuleNotFoundError:
            pass
        else:
            out.append(xref_table(xref_scores()))
    return "\n".join(out)


def _rewordings(app, items, args: argparse.Namespace) -> int:
    from eval.rewordings import rewordings_table, run_rewordings

    result = run_rewordings(app, items, mode=args.mode)
    print(rewordings_table(result))
    json_path = Path(args.json_out) if args.json_out else (
        RUNS_DIR / f"rewordings-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nresult: {json_path}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.compare import compare
    from eval.metrics import load_gold, load_questions
    from eval.report import write_report
    from eval.runner import evaluate
    from planbot.factory import build_app
    from planbot.settings import get_settings

    if args.suite == "register":
        return cmd_register(args)
    if args.suite in ("metadata", "xrefs"):
        print(_ingest_quality(args.suite))  # no questions: the plans' metadata / cross-references
        return 0
    old = None
    if args.compare:
        try:
            old = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"eval: cannot read {args.compare}: {exc}", file=sys.stderr)
            return 2
    if bool(args.questions) != bool(args.plans):
        print("eval: --questions and --plans go together", file=sys.stderr)
        return 2
    plans_dir = Path(args.plans) if args.plans else None
    if args.questions and plans_dir is not None:  # --questions comes with --plans
        try:
            items = load_questions(Path(args.questions))
        except (OSError, ValueError, KeyError) as exc:
            print(f"eval: cannot read {args.questions}: {exc}", file=sys.stderr)
            return 2
        if not plans_dir.is_dir():
            print(f"eval: {plans_dir} is not a folder of plans", file=sys.stderr)
            return 2
    else:
        items = load_gold(args.suite)
    if args.limit is not None:
        items = items[: max(args.limit, 0)]
    if not items:
        print(f"eval: no gold questions for suite {args.suite!r} in eval/gold/", file=sys.stderr)
        return 2
    app = build_app(get_settings())
    if plans_dir is not None:
        from index.ingest import READER_SUFFIXES, TEXT_SUFFIXES

        # the plan files of the folder; its README and the question file are not plans
        files = [p for p in sorted(plans_dir.iterdir()) if p.is_file() and not p.name.upper().startswith("README")
                 and p.suffix.lower() in TEXT_SUFFIXES | set(READER_SUFFIXES)]
        report = app.ingestor.ingest_paths(files, prune=True, progress=False)
        for failed in report.errors:
            print(f"eval: {failed.source}: {failed.message}", file=sys.stderr)
    else:
        app.ensure_index()
    if args.rewordings:
        return _rewordings(app, items, args)
    suite = args.suite or (Path(args.questions).stem if args.questions else None)
    result = evaluate(app, items, mode=args.mode, baseline=not args.no_baseline, suite=suite,
                      plans_dir=plans_dir)
    print(_table(result))
    print("\n" + _ingest_quality(None))
    json_path = Path(args.json_out) if args.json_out else (
        RUNS_DIR / f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json")
    json_path, html_path = write_report(result, json_path, Path(args.html_out) if args.html_out else None)
    print(f"\nresult: {json_path}\nreport: {html_path}")
    if old is not None:
        print(f"\ncompared with {args.compare}:")
        print(compare(old, result))
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    """The register alone: each gold plan read as ingest reads it (parse, chunk, extract), no index
    needed; precision and recall per plan and in total."""
    from eval.metadata_eval import SHARED_PLANS_DIR
    from eval.register_eval import (
        OBLIGATIONS_FILE,
        load_register_gold,
        normalise_gold,
        place_gold,
        register_misses,
        register_suite,
        register_table,
    )
    from index.chunking import chunk_plan
    from index.ingest import READER_SUFFIXES, TEXT_SUFFIXES, IngestError, read_plan_file
    from index.obligations import extract_plan
    from index.structure import parse_plan
    from planbot import SAMPLE_PLANS_DIR
    from planbot.settings import get_settings

    gold_path = Path(args.register_gold) if args.register_gold else OBLIGATIONS_FILE
    try:
        gold = load_register_gold(gold_path)
    except (OSError, ValueError) as exc:
        print(f"eval: cannot read {gold_path}: {exc}", file=sys.stderr)
        return 2
    if not gold:
        print(f"eval: no register gold in {gold_path}", file=sys.stderr)
        return 2
    folders = [Path(args.plans)] if args.plans else [SAMPLE_PLANS_DIR, SHARED_PLANS_DIR]
    files: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES | set(READER_SUFFIXES):
                    files.setdefault(path.name, path)
    wanted = sorted({g["source"] for g in gold})
    missing = [s for s in wanted if s not in files]
    for source in missing:
        print(f"eval: {source}: not found in {', '.join(map(str, folders))}; its gold is not scored",
              file=sys.stderr)
    max_bytes = int(get_settings().max_file_mb * 1_048_576)
    plans, records, last_parts = {}, [], {}
    for source in wanted:
        if source not in files:
            continue
        try:  # only the plans the gold is about are read
            text = read_plan_file(files[source], max_bytes)
        except IngestError as exc:
            print(f"eval: {exc}", file=sys.stderr)
            continue
        plan = parse_plan(text, source)
        plans[source] = plan
        if plan.parts:
            last_parts[source] = plan.parts[-1].path
        records += [r.to_dict() for r in extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year, plan.meta.issuers)]
    gold = normalise_gold(place_gold([g for g in gold if g["source"] in plans], plans))
    result = register_suite(records, gold, last_parts)
    print(register_table(result))
    if getattr(args, "misses", False):
        print("\n" + register_misses(result))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nresult: {args.json_out}")
    return 0
