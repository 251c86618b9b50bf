"""Answers from passages: retrieval (`retrieve.py`), extractive prose (`prose.py`) and the optional
language-model rewrite with its checks (`llm.py`, `llm_checks.py`)."""
