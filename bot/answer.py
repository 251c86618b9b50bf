"""The answer to one question: the one place the JSON contract of `gongkai ask --json` is built.

    >>> a = Answer("大峪镇2025年行政处罚多少件？", route="sql", answer="30 件")
    >>> a.to_json()["route"], a.to_json()["facts"]
    ('sql', [])
    >>> Answer.refused("x" * 3000, "问题太长").to_json()["status"]
    'refused'
    >>> Answer.failed("？", "出错了").to_json()["route"], Answer.failed("？", "出错了").status
    ('none', 'error')

`route` is one of ROUTES, `status` says what kind of answer it is (a cell's status such as
`value` or `unread`, `no_report`, `clarify`, or `refused` / `error` for questions that were not
answered). `llm` appears only when a language model was asked to reword the answer; `ms` only once
the answer is timed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROUTES = ("sql", "retrieval", "hybrid", "clarify", "none")
QUESTION_ECHO = 200  # characters of a refused question kept in its answer


@dataclass
class Answer:
    question: str
    lang: str = "zh"
    route: str = "none"
    answer: str = ""
    status: str | None = None
    result: Any = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    sql: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    llm: bool | None = None  # None: no language model was asked
    ms: float | None = None

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r}; one of {', '.join(ROUTES)}")

    def to_json(self) -> dict[str, Any]:
        """The answer as `gongkai ask --json` prints it (see the README)."""
        out = {
            "question": self.question,
            "lang": self.lang,
            "route": self.route,
            "answer": self.answer,
            "status": self.status,
            "result": self.result,
            "facts": self.facts,
            "sql": self.sql,
            "citations": self.citations,
            "orgs": self.orgs,
            "reasons": self.reasons,
        }
        if self.llm is not None:
            out["llm"] = self.llm
        if self.ms is not None:
            out["ms"] = self.ms
        return out

    @classmethod
    def refused(cls, question: str, text: str, lang: str = "zh") -> Answer:
        """A question not answered on purpose (too long, …); `text` says why."""
        return cls(
            question[:QUESTION_ECHO],
            lang,
            answer=text,
            status="refused",
            reasons=["question refused before answering"],
        )

    @classmethod
    def failed(cls, question: str, text: str, lang: str = "zh") -> Answer:
        """A question that could not be answered because something went wrong; `text` is the
        message for the user (the error itself goes to the log)."""
        return cls(
            question[:QUESTION_ECHO],
            lang,
            answer=text,
            status="error",
            reasons=["the question failed; see the log"],
        )
