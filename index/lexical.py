"""The lexical index: BM25 over the matching forms of lang/normalize.py, on tantivy.

Each process keeps its own index in its data dir (or in memory), and brings it up to a store
generation plan by plan: a plan version (DocRecord.key) is indexed once, and a generation is a
*membership record* naming the plan versions it holds. Adding or removing a plan touches only that
plan's postings; the membership record and the postings change in one tantivy commit, so a reader
sees the old version of the index or the new one, never a mix, and a writer killed mid-update
leaves the last commit readable. A reader of generation G leaves out the plan versions that other
generations kept in the index hold (a handful after an ingestion), so it scores exactly G's plans.

Why tantivy (docs/architecture.md has the measurement): its disjunctions use block-max WAND, so
the top hits of a question cost in proportion to the postings that can still win, not to the
corpus; SQLite FTS5 scores every chunk that shares any term (230 ms a question at 400 plans
against 3 ms for tantivy), and bm25s is an in-memory matrix rebuilt whole.
"""

from __future__ import annotations

import functools
import logging
import math
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.models import Chunk
from index.store import Snapshot
from lang.normalize import match_tokens, search_terms

log = logging.getLogger(__name__)

# The layout of the index on disk; a directory written by another layout is rebuilt.
LAYOUT = "v1"
# Generations whose membership stays in the index: the current one and the few a reader may still
# hold for a moment after a switch (older plan versions are deleted with the last of these).
KEEP_GENERATIONS = 4
WRITER_HEAP_BYTES = 64_000_000
# One indexing thread: documents then keep the order they were added in, and so do hits of equal
# score (a second thread cut 400 plans' postings from 1.1 to 0.84 s, but ties then came back in an
# order that changed from one build to the next).
WRITER_THREADS = 1
WRITER_RETRY_SECONDS = 30.0


class LexicalIndexError(RuntimeError):
    """The lexical index is damaged and rebuilding it from the store did not help."""


def engine_panic(exc: BaseException) -> bool:
    """Whether exc is tantivy panicking (a damaged .term or .idx file trips its assertions): pyo3
    raises that as `pyo3_runtime.PanicException`, a BaseException that `except Exception` misses
    (and the type is not importable, so it is recognised by name)."""
    return type(exc).__name__ == "PanicException"


def chunk_terms(chunk: Chunk) -> list[str]:
    """What a chunk is found by: folded OCR-normalised syllables, bigrams and skeleton bigrams."""
    return search_terms(match_tokens(chunk.search_text()))


def indexed_terms(chunk: Chunk) -> str:
    """A chunk's terms as the index takes them: one string, split by whitespace (no term holds
    any). Ingestion makes it where the plan is read (index/parsing.py), from tokens read there."""
    return " ".join(chunk_terms(chunk))


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    # whitespace: the terms are made by lang/normalize.py, tantivy must not split "doi_ngoai"
    # stored too: the engine's candidates are scored from their own terms (see LexicalView)
    builder.add_text_field("terms", tokenizer_name="whitespace", index_option="freq", stored=True)
    builder.add_text_field("plan", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("cid", tokenizer_name="raw", index_option="basic", stored=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("gen", tokenizer_name="raw", index_option="basic", stored=True)
    # "plan-key term-count" per member plan: a generation's average chunk length comes from them
    builder.add_text_field("members", tokenizer_name="raw", index_option="basic", stored=True)
    builder.add_integer_field("seq", stored=True, indexed=True)
    return builder.build()


@dataclass(frozen=True)
class _Generation:
    name: str
    seq: int
    terms: dict[str, int]  # plan key -> how many terms its chunks hold (together)

    @property
    def members(self) -> frozenset[str]:
        return frozenset(self.terms)


def _parse_members(values: list[str]) -> dict[str, int]:
    out = {}
    for value in values:
        key, _, count = value.partition(" ")
        out[key] = int(count or 0)
    return out


class LexicalIndex:
    """A persistent (path) or in-memory (path None) lexical index that follows store generations."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path / LAYOUT if path is not None else None
        self._lock = threading.RLock()
        self._schema = _schema()
        self._average_idf: dict[str, float] = {}  # generation -> rank-bm25's mean idf
        self._open()

    # --- opening and rebuilding ----------------------------------------------------------------
    def _open(self) -> None:
        import tantivy

        if self.path is None:
            self._index = tantivy.Index(self._schema)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                self._index = tantivy.Index(self._schema, str(self.path), reuse=True)
                self._generations = self._read_generations()
                return
            except BaseException as exc:  # unreadable or another layout: the store has everything
                if not (isinstance(exc, Exception) or engine_panic(exc)):
                    raise
                log.warning("lexical index at %s is unreadable (%s); rebuilding it from the store", self.path, exc)
                self._wipe()
                self._index = tantivy.Index(self._schema, str(self.path), reuse=False)
        self._generations = self._read_generations()

    def _wipe(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True, exist_ok=True)

    def _read_generations(self) -> dict[str, _Generation]:
        import tantivy

        self._index.reload()
        searcher = self._index.searcher()
        query = tantivy.Query.term_query(self._schema, "kind", "gen")
        out = {}
        for _, address in searcher.search(query, KEEP_GENERATIONS * 4).hits:
            doc = searcher.doc(address)
            name = doc["gen"][0]
            out[name] = _Generation(name, int(doc["seq"][0]), _parse_members(doc.get_all("members")))
        return out

    def rebuild(self, snap: Snapshot) -> None:
        """Drop everything and index snap again from the store (a corrupt index)."""
        with self._lock:
            self._reset()
            self.ensure(snap)

    def _reset(self) -> None:
        """An empty index in place of this one (its plans are then indexed again from the store)."""
        import tantivy

        with self._lock:
            self._index = None  # type: ignore[assignment]
            if self.path is None:
                self._index = tantivy.Index(self._schema)
            else:
                self._wipe()
                self._index = tantivy.Index(self._schema, str(self.path), reuse=False)
            self._generations = {}
            self._average_idf = {}

    # --- following the store ---------------------------------------------------------------------
    def has(self, generation: str) -> bool:
        with self._lock:
            return generation in self._generations

    def ensure(self, snap: Snapshot, fresh: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> int:
        """Make snap's generation searchable: index the plan versions it has that the index lacks
        (from `fresh`, source → its chunks' (chunk id, `indexed_terms`), when the caller has them,
        else from the chunks in the store, a plan at a time),
        record its membership, and forget generations (and plan versions) no longer kept.
        Returns how many plans were indexed. A damaged index (tantivy panics) is rebuilt from the
        store and the update tried once more."""
        try:
            return self._ensure(snap, fresh)
        except BaseException as exc:
            if not engine_panic(exc):
                raise
            log.warning("the lexical index at %s is damaged (%s); rebuilding it from the store", self.path, exc)
        with self._lock:
            self._reset()
            try:
                return self._ensure(snap, fresh)
            except BaseException as exc:
                if engine_panic(exc):
                    raise LexicalIndexError(f"lexical index still failing after a rebuild: {exc}") from exc
                raise

    def _ensure(self, snap: Snapshot, fresh: Mapping[str, Sequence[tuple[str, str]]] | None) -> int:
        with self._lock:
            if snap.generation in self._generations:
                return 0
            # The writer lock is exclusive across processes on this data dir: what is read below
            # stays true until this commit, so two processes never index the same plan twice.
            writer = self._writer()
            try:
                return self._update(writer, snap, fresh or {})
            finally:
                del writer  # releases the directory's writer lock for other processes

    def _update(self, writer, snap: Snapshot, fresh: Mapping[str, Sequence[tuple[str, str]]]) -> int:
        with self._lock:
            self._generations = self._read_generations()  # another process may have done it
            if snap.generation in self._generations:
                return 0
            wanted = {record.key: source for source, record in snap.docs.items()}
            known: dict[str, int] = {}
            for generation in self._generations.values():
                known.update(generation.terms)
            missing = [(key, source) for key, source in wanted.items() if key not in known]
            started = time.perf_counter()
            if len(missing) > 50:
                log.info("lexical index: indexing %d plans of generation %s", len(missing), snap.generation)
            seq = max((g.seq for g in self._generations.values()), default=0) + 1
            kept = sorted(self._generations.values(), key=lambda g: g.seq)[-(KEEP_GENERATIONS - 1):]
            dropped = [g for g in self._generations.values() if g not in kept]
            still = set(wanted).union(*(g.members for g in kept))
            forget = sorted(set().union(*(g.members for g in dropped)) - still)
            counted = self._write(writer, snap, missing, fresh, forget, dropped, seq, wanted, known)
            self._generations = {g.name: g for g in kept} | {snap.generation: _Generation(snap.generation, seq, counted)}
            # the first view of a generation walks the vocabulary for rank-bm25's mean idf: paid
            # here, by the process that brings the index up to it, not by a question
            self.view(snap)
            log.info("lexical index at generation %s: %d plans added, %d versions dropped (%.2f s)",
                     snap.generation, len(missing), len(forget), time.perf_counter() - started)
            return len(missing)

    def _write(self, writer, snap: Snapshot, missing: list[tuple[str, str]],
               fresh: Mapping[str, Sequence[tuple[str, str]]],
               forget: list[str], dropped: list[_Generation], seq: int, wanted: Mapping[str, str],
               known: Mapping[str, int]) -> dict[str, int]:
        import tantivy

        counted = {key: known.get(key, 0) for key in wanted}
        try:
            for key, source in missing:
                entries = fresh.get(source)
                if entries is None:
                    entries = [(chunk.chunk_id, indexed_terms(chunk)) for chunk in snap.fetch_plan(source)]
                for chunk_id, terms in entries:
                    counted[key] += terms.count(" ") + 1 if terms else 0
                    writer.add_document(tantivy.Document(terms=terms, plan=key, source=source, cid=chunk_id,
                                                         kind="chunk"))
            for key in forget:
                writer.delete_documents_by_term("plan", key)
            for generation in dropped:
                writer.delete_documents_by_term("gen", generation.name)
            writer.add_document(tantivy.Document(kind="gen", gen=snap.generation, seq=seq,
                                                 members=[f"{key} {n}" for key, n in sorted(counted.items())]))
            writer.commit()  # the switch: everything above becomes visible at once, or nothing
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._index.reload()
        return counted

    def _writer(self):
        """The index's writer; another process (or App) on the same data dir may hold it briefly."""
        deadline = time.monotonic() + WRITER_RETRY_SECONDS
        while True:
            try:
                return self._index.writer(WRITER_HEAP_BYTES, WRITER_THREADS)
            except ValueError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # --- reading -------------------------------------------------------------------------------
    def view(self, snap: Snapshot) -> LexicalView:
        """A reader of snap's generation (the index is brought up to it first). Should tantivy
        panic while the view reads (a file damaged on disk), the view has the index rebuilt from
        the store and reads again, once."""
        self.ensure(snap)
        with self._lock:
            generation = self._generations[snap.generation]
            others = set().union(*(g.members for g in self._generations.values())) - generation.members
            searcher = self._index.searcher()
            average_idf = self._average_idf.get(snap.generation)
            view = LexicalView(self._schema, searcher, sorted(others), snap.n_chunks,
                               sum(generation.terms.values()), average_idf,
                               recover=functools.partial(self._recovered, snap))
            if average_idf is None:
                self._average_idf[snap.generation] = view.average_idf
                # kept for the generations the index holds (KEEP_GENERATIONS), not every one it held
                for name in [g for g in self._average_idf if g not in self._generations]:
                    del self._average_idf[name]
            return view

    def _recovered(self, snap: Snapshot) -> LexicalView:
        log.warning("the lexical index at %s failed while searching; rebuilding it from the store", self.path)
        self.rebuild(snap)
        return self.view(snap)


# Every indexed term starts with one of these (lang/normalize.py: a token character, or "~" and a
# skeleton's first character, which may be its vowel mark "*"); tests check they cover them all.
_TOKEN_STARTS = "abcdefghijklmnopqrstuvwxyz0123456789¢&@§$€¥"
TERM_PREFIXES = tuple(_TOKEN_STARTS) + tuple("~" + c for c in _TOKEN_STARTS + "*")

# rank-bm25's Okapi parameters: the fusion weight (0.8) and the answerer's term weights were tuned
# on its scores, so the engine's candidates are scored with them (tantivy's own k1 is 1.2 and its
# idf never goes below ln 2; both change which of two close passages comes first).
K1 = 1.5
B = 0.75
EPSILON = 0.25


def _recovering(method):
    """Run a LexicalView method; if tantivy panics, have the index rebuilt, take the rebuilt
    index's reader and run it again (a second panic is a LexicalIndexError, an Exception)."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except BaseException as exc:
            if not engine_panic(exc):
                raise
            if self._recover is None:
                raise LexicalIndexError(f"lexical index damaged: {exc}") from exc
            fresh = self._recover()
            self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "_recover"})
            self._recover = None  # once
            try:
                return method(self, *args, **kwargs)
            except BaseException as again:
                if engine_panic(again):
                    raise LexicalIndexError(f"lexical index still failing after a rebuild: {again}") from again
                raise
    return run


class LexicalView:
    """BM25 over one generation's chunks: tantivy finds the candidates (postings, block-max WAND,
    filters), and they are scored with rank-bm25's Okapi formula."""

    def __init__(self, schema, searcher, excluded: list[str], n_chunks: int, n_terms: int,
                 average_idf: float | None, recover=None) -> None:
        self._recover = recover  # () -> a view of the rebuilt index, when tantivy panics
        self._schema = schema
        self._searcher = searcher
        self._excluded = excluded
        self.n_chunks = n_chunks
        self.avgdl = n_terms / n_chunks if n_chunks else 0.0
        self._average_idf = average_idf
        self._df: dict[str, int] = {}

    @property
    def empty(self) -> bool:
        return self.n_chunks == 0

    def _filter(self):
        import tantivy

        if not self._excluded:
            return None
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Must, tantivy.Query.term_query(self._schema, "kind", "chunk")),
            (tantivy.Occur.MustNot, tantivy.Query.term_set_query(self._schema, "plan", self._excluded))])

    @property
    @_recovering
    def average_idf(self) -> float:
        """rank-bm25's mean idf over the vocabulary (its floor for very common terms is a quarter
        of it); one walk of the term dictionary per generation, kept by the LexicalIndex."""
        if self._average_idf is None:
            total, n_terms = 0.0, 0
            # a prefix at a time: the whole vocabulary of 2,000 plans as one Python list of
            # (term, count) took some 500 MB of a server's memory for a moment
            for prefix in TERM_PREFIXES:
                counts = self._searcher.terms_with_prefix("terms", prefix, filter_query=self._filter())
                total += sum(self._raw_idf(df) for _, df in counts if df > 0)
                n_terms += len(counts)
            self._average_idf = total / n_terms if n_terms else 0.0
        return self._average_idf

    def _raw_idf(self, df: int) -> float:
        return math.log(self.n_chunks - df + 0.5) - math.log(df + 0.5)

    @_recovering
    def doc_freq(self, term: str) -> int:
        if term not in self._df:
            self._df[term] = min(int(self._searcher.doc_freq("terms", term)), self.n_chunks)
        return self._df[term]

    def contains(self, term: str) -> bool:
        """Whether some chunk holds the term."""
        return self.doc_freq(term) > 0

    def _okapi_idf(self, term: str) -> float:
        """rank-bm25's idf of a term the chunks hold (0 for one they do not)."""
        df = self.doc_freq(term)
        if df == 0 or self.n_chunks == 0:
            return 0.0
        value = self._raw_idf(df)
        return value if value >= 0 else EPSILON * self.average_idf

    def idf(self, term: str) -> float:
        """As rank-bm25's `idf.get(term, max(idf))`: a term no chunk holds gets the rarest term's idf."""
        if self.n_chunks == 0:
            return 0.0
        if self.doc_freq(term) == 0:
            return max(self._raw_idf(1), EPSILON * self.average_idf)
        return self._okapi_idf(term)

    @_recovering
    def search(self, terms: Iterable[str], k: int, sources: list[str] | None = None,
               chunk_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the k best chunks for the terms (a term given twice counts
        twice), within sources and chunk_ids when given, best first."""
        import tantivy

        counts = Counter(terms)
        if not counts or k <= 0 or self.empty or sources == [] or chunk_ids == []:
            return []
        schema = self._schema
        should = []
        for term, count in counts.items():
            query = tantivy.Query.term_query(schema, "terms", term)
            should.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, float(count)) if count > 1 else query))
        clauses = [(tantivy.Occur.Must, tantivy.Query.boolean_query(should))]
        # Filters score nothing: wrapped in a zero constant score, the BM25 scores stay comparable.
        if sources is not None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(schema, "source", list(sources)), 0.0)))
        if chunk_ids is not None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(schema, "cid", list(chunk_ids)), 0.0)))
        if self._excluded:
            clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_set_query(schema, "plan", self._excluded)))
        query = clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        weights = {term: self._okapi_idf(term) * count for term, count in counts.items()}
        scored = []
        for _, address in self._searcher.search(query, k).hits:
            doc = self._searcher.doc(address)
            held = doc["terms"][0].split()
            chunk_terms = Counter(held)
            length = len(held)
            norm = K1 * (1 - B + B * length / self.avgdl) if self.avgdl else K1
            score = sum(weight * tf * (K1 + 1) / (tf + norm)
                        for term, weight in weights.items() if (tf := chunk_terms.get(term)))
            scored.append((doc["cid"][0], score))
        scored.sort(key=lambda hit: -hit[1])
        return scored
