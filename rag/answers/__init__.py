"""Extractive answers, one small unit per kind of question (see rag/answers/extractive.py)."""
