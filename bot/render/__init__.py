"""One renderer of answers: `model` reads an `Answer` once (its lines and list items, each
citation marker resolved to its section's label, the cited sections with their passages, the
notice); `text` writes it as plain text (the CLI, the copy button, OpenAI-compatible clients) and
`telegram` as Telegram HTML. The web page draws the same model from the API's JSON
(`blocks`, `sections`, `answer_with_sources`: bot/api/render.py)."""
