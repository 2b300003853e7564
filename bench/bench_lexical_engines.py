"""SQLite FTS5 against tantivy as the lexical engine, on the replicated sample corpus.

    .venv/bin/python bench/bench_lexical_engines.py [--sizes 10,100] [--questions 30]

Both index the same documents (each chunk's matching-form terms, index/lexical.chunk_terms) and
answer the same queries (the OR of a gold question's terms, the top 200, as retrieval asks for),
unscoped and scoped to one plan. Prints index time and size, and query p50/max per engine.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest_query import _questions, replicated_corpus  # noqa: E402

from index.chunking import chunk_plan  # noqa: E402
from index.ingest import parse_file_text  # noqa: E402
from index.lexical import chunk_terms  # noqa: E402
from rag.retrieve import query_terms  # noqa: E402

TOP = 200


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files) / 1_048_576


def _timed(run, queries) -> str:
    times = []
    for terms in queries:
        started = time.perf_counter()
        run(terms)
        times.append(time.perf_counter() - started)
    return f"p50 {statistics.median(times) * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms"


def fts5(rows, queries, scope, tmp: Path) -> None:
    path = tmp / "fts.sqlite3"
    db = sqlite3.connect(path)
    db.execute("create virtual table p using fts5(src, terms, tokenize=\"unicode61 tokenchars '_~*'\")")
    started = time.perf_counter()
    db.executemany("insert into p(src, terms) values (?, ?)", [(f'"{s}"', t) for s, _, t in rows])
    db.commit()
    print(f"  fts5     index {time.perf_counter() - started:6.2f} s {_size_mb(path):7.1f} MB")

    def ask(terms, source=None):
        match = "terms : (" + " OR ".join(f'"{t}"' for t in dict.fromkeys(terms)) + ")"
        if source:
            match = f'src : "{source}" AND ' + match
        return db.execute("select rowid, bm25(p, 0, 1) from p where p match ? order by bm25(p, 0, 1) limit ?",
                          (match, TOP)).fetchall()

    print("  fts5     all plans ", _timed(ask, queries))
    print("  fts5     one plan  ", _timed(lambda terms: ask(terms, scope), queries))


def tantivy_engine(rows, queries, scope, tmp: Path) -> None:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("src", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("cid", tokenizer_name="raw", stored=True)
    schema = builder.build()
    path = tmp / "tantivy"
    path.mkdir()
    index = tantivy.Index(schema, str(path))
    writer = index.writer(64_000_000, 1)
    started = time.perf_counter()
    for source, cid, terms in rows:
        writer.add_document(tantivy.Document(terms=terms, src=source, cid=cid))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    print(f"  tantivy  index {time.perf_counter() - started:6.2f} s {_size_mb(path):7.1f} MB")
    searcher = index.searcher()

    def ask(terms, source=None):
        query = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, "terms", t))
                                             for t in dict.fromkeys(terms)])
        if source:
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must,
                                                 tantivy.Query.term_query(schema, "src", source))])
        return [searcher.doc(address)["cid"][0] for _, address in searcher.search(query, TOP).hits]

    print("  tantivy  all plans ", _timed(ask, queries))
    print("  tantivy  one plan  ", _timed(lambda terms: ask(terms, scope), queries))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100")
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args(argv)
    queries = [query_terms(q) for q, _ in _questions(args.questions)]
    for scale in (int(s) for s in args.sizes.split(",")):
        texts = replicated_corpus(scale)
        rows = [(source, c.chunk_id, " ".join(chunk_terms(c)))
                for source, text in texts.items() for c in chunk_plan(parse_file_text(text, source))]
        print(f"{len(texts)} plans, {len(rows)} chunks")
        scope = next(iter(texts))
        for engine in (fts5, tantivy_engine):
            with tempfile.TemporaryDirectory() as tmp:
                engine(rows, queries, scope, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
