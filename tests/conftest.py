"""Shared fixtures: the built-in samples, a temp index, handmade Reports and a CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.config import SAMPLES_DIR
from parsers.report import Cell, Check, Report, Section, TextFact


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's GONGKAI_INDEX or Chroma server; passages are embedded by
    the deterministic hash embedder unless a test asks for the real model (`real_model`)."""
    monkeypatch.delenv("GONGKAI_INDEX", raising=False)
    monkeypatch.delenv("GONGKAI_CHROMA_URL", raising=False)
    monkeypatch.setenv("GONGKAI_EMBED_MODEL", "hash")
    for name in list(os.environ):
        if name.startswith(("GONGKAI_LLM_", "GONGKAI_OLLAMA_")):
            monkeypatch.delenv(name)


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES_DIR


@pytest.fixture
def sample_files(samples_dir: Path) -> list[Path]:
    return sorted(samples_dir.glob("*.txt"))


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    """Where a test's index lives (not created: the code under test creates it)."""
    return tmp_path / "index"


@pytest.fixture
def reports_dir(tmp_path: Path, samples_dir: Path) -> Path:
    """A private copy of the samples that a test may change."""
    target = tmp_path / "reports"
    shutil.copytree(samples_dir, target)
    return target


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Result]:
    """Run `gongkai ARGS…` in-process from `tmp_path`; stdout and stderr kept apart."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str | Path, input: str | None = None) -> Result:  # noqa: A002 (click's name)
        return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def make_report(**overrides: object) -> Report:
    """A small handmade Report: two cells (one blank), one section, one number, two checks."""
    fields: dict[str, object] = {
        "source": "town.txt",
        "org": "大峪镇人民政府",
        "org_short": "大峪镇",
        "org_level": "镇",
        "year": 2025,
        "template": "gov2021",
        "format": "txt",
        "encoding": "utf-8",
        "sections": [
            Section(
                "overview.proactive",
                ["一、总体情况", "（一）主动公开情况"],
                "全年发布信息 709 条",
                (9, 11),
            )
        ],
        "cells": [
            Cell(
                "proactive",
                "administrative_penalty",
                "decisions",
                "行政处罚",
                "本年处理决定数量",
                30.0,
                "30",
                "件",
                40,
                group="art20_6",
            ),
            Cell(
                "requests",
                "new_received",
                "natural_person",
                "本年新收政府信息公开申请数量",
                "自然人",
                None,
                "",
                "件",
                51,
            ),
        ],
        "text_facts": [
            TextFact(
                709.0,
                "条",
                "全年发布信息 709 条",
                11,
                label="发布信息",
                section="overview.proactive",
            ),
        ],
        "checks": [
            Check("R3.1", "natural_person", "pass", 0.0, 0.0),
            Check(
                "R3.3",
                "new_received",
                "not_checkable",
                None,
                None,
                "blank cells",
                uses_inferred=True,
            ),
        ],
        "warnings": ["line 51: a blank cell"],
    }
    fields.update(overrides)
    return Report(**fields)  # type: ignore[arg-type]


@pytest.fixture
def report_factory() -> Callable[..., Report]:
    return make_report
