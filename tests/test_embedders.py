"""Embedders: the offline default, and the real SentenceTransformer loading path on a tiny model."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedders import HashingEmbedder, SentenceTransformerEmbedder, build_embedder


def cosine(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_default_embedder_meets_accented_unaccented_and_ocr_forms():
    emb = HashingEmbedder()
    clean, plain, ocr = emb.embed_documents(["Sở Thông tin và Truyền thông báo cáo đối ngoại",
                                            "so thong tin va truyen thong bao cao doi ngoai",
                                            "S¢ Thong tin va Truyén thong bao cao d6i ngoai"])
    other = emb.embed_query("kinh phí ngân sách tỉnh")
    assert cosine(clean, plain) > 0.99
    assert cosine(clean, ocr) > 0.9
    assert cosine(clean, other) < 0.3


def test_empty_model_name_builds_the_offline_default():
    assert isinstance(build_embedder(""), HashingEmbedder)


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A tiny random BERT with a locally trained tokenizer, saved as a sentence-transformers model."""
    pytest.importorskip("torch")
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as models
    from tokenizers import Tokenizer, pre_tokenizers, trainers
    from tokenizers import models as tok_models
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    root = tmp_path_factory.mktemp("tiny-st")
    corpus = ["Sở Thông tin và Truyền thông báo cáo trước ngày 15/11/2024",
              "Ủy ban nhân dân tỉnh chủ trì phối hợp", "kinh phí ngân sách nhà nước"] * 20
    tokenizer = Tokenizer(tok_models.WordPiece(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(corpus, trainers.WordPieceTrainer(
        vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    bert_dir = root / "bert"
    fast.save_pretrained(bert_dir)
    config = BertConfig(vocab_size=fast.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(bert_dir)
    word = models.Transformer(str(bert_dir), max_seq_length=64)
    pooling = models.Pooling(word.get_embedding_dimension(), pooling_mode="mean")
    model_dir = root / "st"
    SentenceTransformer(modules=[word, pooling], device="cpu").save(str(model_dir))
    return model_dir


@pytest.mark.slow
def test_sentence_transformer_loads_by_path_offline(tiny_model_dir):
    emb = build_embedder(str(tiny_model_dir))
    assert isinstance(emb, SentenceTransformerEmbedder)
    docs = emb.embed_documents(["Sở Thông tin và Truyền thông", "kinh phí ngân sách"])
    query = emb.embed_query("Sở Thông tin")
    assert len(docs) == 2 and len(docs[0]) == 32 == len(query)
    assert abs(np.linalg.norm(query) - 1.0) < 1e-4  # normalised, cosine-ready
    tokenizer = emb._model.tokenizer
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("Sở Thông tin")["input_ids"])
    assert set(tokens) - {"[UNK]", "[CLS]", "[SEP]"}  # the local vocabulary was really loaded


def test_e5_models_get_their_prefixes():
    emb = SentenceTransformerEmbedder("intfloat/multilingual-e5-base")
    assert (emb.query_prefix, emb.passage_prefix) == ("query: ", "passage: ")
    assert SentenceTransformerEmbedder("BAAI/bge-m3").query_prefix == ""


@pytest.mark.slow
def test_missing_model_fails_fast_offline(tmp_path):
    import time

    emb = SentenceTransformerEmbedder("no-such-org/no-such-model-planbot")
    started = time.monotonic()
    with pytest.raises((OSError, ValueError)):  # the point is that it fails fast
        emb.embed_query("x")
    assert time.monotonic() - started < 30
