"""Where the tests find the project's files, wherever a test module sits under tests/:
ROOT is the repository (the folder holding pyproject.toml), DATA the tests' own data."""

from __future__ import annotations

from pathlib import Path

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
DATA = ROOT / "tests" / "data"
