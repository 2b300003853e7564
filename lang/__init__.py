"""Vietnamese text handling shared by index (ingest) and rag (questions): folding and matching
keys, syllables, sentences, provinces, agencies, dates and citation markers. Below both layers:
it imports neither."""
