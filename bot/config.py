"""Where things are: the index folder and the built-in sample reports.

The index folder is, in order of precedence:
1. the `--index DIR` option of a command;
2. the `GONGKAI_INDEX` environment variable;
3. `.gongkai/` in the current directory.
It holds `gongkai.db` (SQLite) and `chroma/` (the passage vectors; or a Chroma server given by
`--chroma-url` / $GONGKAI_CHROMA_URL).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_INDEX = "GONGKAI_INDEX"
ENV_CHROMA_URL = "GONGKAI_CHROMA_URL"
DEFAULT_INDEX = Path(".gongkai")
SAMPLES_DIR = Path(__file__).resolve().parents[1] / "data" / "samples"


def index_dir(option: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The index folder: `option` if given, else $GONGKAI_INDEX if set and non-empty, else ./.gongkai."""
    if option:
        return Path(option)
    env = (os.environ if environ is None else environ).get(ENV_INDEX, "").strip()
    if env:
        return Path(env)
    return DEFAULT_INDEX
