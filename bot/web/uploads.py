"""What the web page accepts as an upload, and where it keeps it. No gradio here (bot/web/app.py).

    limits = UploadLimits.from_env()          # $GONGKAI_UPLOAD_MAX_MB, $GONGKAI_UPLOAD_MAX_FILES
    kept, rejected = screen([(tmp_path, "报告.pdf"), …], limits)   # raises TooManyFiles
    stored = store_upload(tmp_path, "报告.pdf", index_dir / "uploads")

An upload is refused as a whole when it has more than `max_files` files. Each file is rejected,
with its name and the reason, when its type is not one the parsers read or it is larger than
`max_bytes`. A kept file is copied under a sanitised name (`safe_name`: no folders, no `..`, no
control or reserved characters, no leading dot, Windows device names defused, NFKC-normalised,
length-capped) into the uploads folder and never outside it; a different file already stored
under that name is never overwritten (the new one becomes `name-2.txt`), an identical one is
reused.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from parsers.readers import MAX_BYTES, SUFFIXES

ENV_MAX_MB = "GONGKAI_UPLOAD_MAX_MB"
ENV_MAX_FILES = "GONGKAI_UPLOAD_MAX_FILES"
DEFAULT_MAX_MB = MAX_BYTES / 1024 / 1024  # the parser's own default limit
DEFAULT_MAX_FILES = 20
ALLOWED = tuple(sorted(SUFFIXES))
MAX_NAME_BYTES = 150  # file systems allow 255 bytes; UTF-8 Chinese takes 3 a character
FALLBACK_STEM = "upload"
# Path separators, and characters Windows forbids or shells and Markdown treat specially.
_UNSAFE = re.compile(r"[\\/:*?\"<>|`]")
_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)


class UploadError(Exception):
    """Base class: an upload that cannot be taken as given."""


class UploadConfigError(UploadError):
    def __init__(self, variable: str, value: str):
        self.variable, self.value = variable, value
        super().__init__(
            f"Invalid {variable}={value!r}: it must be a positive number "
            f"({ENV_MAX_MB}: megabytes per file, default {DEFAULT_MAX_MB:g}; "
            f"{ENV_MAX_FILES}: files per upload, default {DEFAULT_MAX_FILES})"
        )


class TooManyFiles(UploadError):
    def __init__(self, count: int, limit: int):
        self.count, self.limit = count, limit
        super().__init__(
            f"Too many files in one upload: {count}; the limit is {limit}. Nothing was ingested — "
            f"upload them in batches of at most {limit}."
        )


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = int(DEFAULT_MAX_MB * 1024 * 1024)
    max_files: int = DEFAULT_MAX_FILES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> UploadLimits:
        """Limits from $GONGKAI_UPLOAD_MAX_MB and $GONGKAI_UPLOAD_MAX_FILES (unset: defaults).
        Raises UploadConfigError for a value that is not a positive number."""
        mb = _positive(environ, ENV_MAX_MB, DEFAULT_MAX_MB)
        files = _positive(environ, ENV_MAX_FILES, DEFAULT_MAX_FILES)
        if files != int(files):
            raise UploadConfigError(ENV_MAX_FILES, environ[ENV_MAX_FILES])
        return cls(max_bytes=int(mb * 1024 * 1024), max_files=int(files))

    @property
    def size(self) -> str:
        """The size limit, for people: "20 MB"."""
        return size_text(self.max_bytes)


def size_text(size: int) -> str:
    """A size in bytes for people: 20 MB, 1.5 MB, 12 KB, 300 bytes."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{round(size / scale, 1):g} {unit}"
    return f"{size} bytes"


def _positive(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise UploadConfigError(name, raw)
    return value


@dataclass(frozen=True)
class Rejected:
    name: str  # the file's name as it would be stored (safe to show)
    reason: str


def safe_name(name: str) -> str:
    """`name` made safe to store: its last path component only, NFKC-normalised, without control,
    format or unsafe characters, leading dots or trailing dots and spaces; a Windows device name
    (CON.txt) gets a leading `_`; at most `MAX_NAME_BYTES` bytes of UTF-8, suffix kept."""
    name = unicodedata.normalize("NFKC", name)
    name = re.split(r"[\\/]", name)[-1]  # a path from any system: keep the file name
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = f".{suffix}" if dot and suffix else ""
    stem = stem.rstrip(". ").replace("..", "_") or FALLBACK_STEM
    if _RESERVED.fullmatch(stem.split(".")[0].strip()):
        stem = "_" + stem
    room = MAX_NAME_BYTES - len(suffix.encode())
    if room < 8:  # an absurd suffix: keep the name's start instead
        stem, suffix, room = stem + suffix, "", MAX_NAME_BYTES
    return _cut(stem, room) + suffix


def _cut(text: str, size: int) -> str:
    """The longest prefix of `text` that is at most `size` bytes of UTF-8."""
    data = text.encode()
    return data[:size].decode(errors="ignore") if len(data) > size else text


def screen(
    files: Sequence[tuple[Path, str]], limits: UploadLimits
) -> tuple[list[tuple[Path, str]], list[Rejected]]:
    """Split `files` ((temporary path, name as uploaded) pairs) into the ones to ingest, each with
    its safe name, and the rejected ones with the reason. Raises TooManyFiles."""
    if len(files) > limits.max_files:
        raise TooManyFiles(len(files), limits.max_files)
    kept, rejected = [], []
    for path, given in files:
        name = safe_name(given)
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            kind = f"'{suffix}'" if suffix else "(none)"
            reason = f"unsupported file type {kind}; use one of: {', '.join(ALLOWED)}"
            rejected.append(Rejected(name, reason))
            continue
        try:
            size = Path(path).stat().st_size
        except OSError as err:
            rejected.append(Rejected(name, f"cannot read the file: {err.strerror or err}"))
            continue
        if size > limits.max_bytes:
            reason = f"file is too large ({size_text(size)}; the limit is {limits.size})"
            rejected.append(Rejected(name, reason))
            continue
        kept.append((Path(path), name))
    return kept, rejected


def store_upload(source: Path, name: str, folder: Path) -> Path:
    """Copy `source` into `folder` as `safe_name(name)`. A different file already there keeps its
    name (this one becomes name-2.txt, name-3.txt…); an identical one is reused."""
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    stem, suffix = _split(safe_name(name))
    for n in range(1, 10_000):
        tail = "" if n == 1 else f"-{n}"
        candidate = _cut(stem, MAX_NAME_BYTES - len(suffix.encode()) - len(tail)) + tail
        target = root / f"{candidate}{suffix}"
        if target.parent != root:  # cannot happen with a safe name; never write elsewhere
            raise UploadError(f"refusing to store {name!r} outside {root}")
        if target.is_symlink() or target.exists():
            if target.is_file() and not target.is_symlink() and filecmp.cmp(source, target, False):
                return target
            continue
        try:
            with open(source, "rb") as src, open(target, "xb") as dst:  # x: never overwrite
                shutil.copyfileobj(src, dst)
        except FileExistsError:  # another upload took the name meanwhile
            continue
        return target
    raise UploadError(f"no free name for {name!r} in {root}")


def _split(name: str) -> tuple[str, str]:
    path = Path(name)
    return (path.stem, path.suffix) if path.suffix else (name, "")
