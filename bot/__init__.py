"""Answering questions: `bot.question` understands them, `bot.numbers` and `bot.passages` answer,
`bot.bot.Bot` orchestrates, `bot.answer.Answer` is what comes out; `bot.cli` and `bot.web` are
the shells. See docs/ARCHITECTURE.md."""
