"""One synthetic report as the generator plans it (`Spec`): what to print and the gold to grade a
parse of it against. Shared by the planner (`eval.synth`) and the renderers (`eval.synth_render*`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eval import synth_numbers as N
from eval.synth_names import Org
from eval.synth_text import Fact, Part


@dataclass
class Spec:
    """One synthetic report: everything needed to print it and to grade a parse of it."""

    index: int
    file: str
    fmt: str
    style: str
    org: Org
    year: int
    template: str
    other_org: bool
    values: N.Values
    raws: dict[N.Key, str]
    parts: list[Part]
    facts: list[Fact]
    title: str
    preamble: str = ""
    broken: str | None = None
    blanks: list[str] = field(default_factory=list)
    trailing_tab: bool = False

    def corruptions(self, applied: Iterable[str] = ()) -> list[str]:
        """The rendering's corruptions (`applied`, from `render_file`) and the report's own:
        blank cells (`blank_<pattern>`) and the 6-column request table (`six_columns`)."""
        own = {f"blank_{b}" for b in self.blanks} | (
            {"six_columns"} if not self.other_org else set()
        )
        return sorted(set(applied) | own)

    def gold(self, applied: Iterable[str] = ()) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.fmt,
            "style": self.style,
            "corruptions": self.corruptions(applied),
            "org": self.org.name,
            "org_short": self.org.short,
            "org_level": self.org.level,
            "year": self.year,
            "template": self.template,
            "other_org": self.other_org,
            "broken": self.broken,
            "blanks": self.blanks,
            "cells": [[*key, _num(v)] for key, v in self.values.items()],
            "text_facts": [f.to_json() for f in self.facts],
            "sections": [p.key for p in self.parts],
        }


def _num(value: float | None) -> float | int | None:
    if value is None or not float(value).is_integer():
        return value
    return int(value)
