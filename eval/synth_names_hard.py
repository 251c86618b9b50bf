"""The hard cases of organisation names for the generator: a title that misprints the name by a
homophone (the text spells it right), the same report written twice (a re-encoded copy), and a
report whose organisation only a manifest gives. `gongkai synth N --names FRACTION` draws them for
about FRACTION of the reports; the gold says what the index must make of each.

    >>> homophone("河", "大河镇")
    '荷'
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import lru_cache

from eval.synth_names import FIRST, SECOND
from eval.synth_spec import Spec

# Characters a homophone may be drawn from: the place syllables, then the 3,755 most common
# characters (GB 2312 level 1), less those the parser reads as organisation suffixes, lead words
# or template words.
NOT_IN_NAMES = set(
    "省市县区州盟旗镇乡街道局委办厅处室站所院队会府政人民是由将对特据收费许罚公开申请"
)


def _common() -> str:
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


POOL = "".join(ch for ch in FIRST + SECOND + _common() if ch not in NOT_IN_NAMES)


@lru_cache(maxsize=1)
def _sounds() -> dict[str, list[str]]:
    from pypinyin import lazy_pinyin

    out: dict[str, list[str]] = {}
    for ch in dict.fromkeys(POOL):
        out.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return out


def homophone(ch: str, name: str) -> str | None:
    """Another character that sounds like `ch` and is not in `name`, or None."""
    from pypinyin import lazy_pinyin

    options = [c for c in _sounds().get(lazy_pinyin(ch)[0], []) if c != ch and c not in name]
    return options[0] if options else None


def misprint(spec: Spec, rng: random.Random) -> tuple[Spec, str] | None:
    """`spec` with its title printing the organisation's place name with one homophone, and the
    name as misprinted, when the report's text names the organisation right at least twice (else
    None: nothing to read the right spelling from)."""
    org = spec.org
    if org.level == "部门" or len(org.base) < 2:
        return None
    text = "\n".join([spec.preamble, *(p for part in spec.parts for p in part.paras)])
    if text.count(org.short) < 2:  # the report's own words name it: its preamble says who wrote it
        said = f"本报告由{org.short}党政办公室编制，{org.short}政府信息公开工作由该办公室负责。"
        spec = replace(spec, preamble=f"{said}{spec.preamble}")
    at = rng.randrange(len(org.base))
    other = homophone(org.base[at], org.name)
    if other is None:
        return None
    wrong_base = org.base[:at] + other + org.base[at + 1 :]
    wrong = org.name.replace(org.base, wrong_base, 1)
    return replace(spec, title=spec.title.replace(org.name, wrong)), wrong


def untitled(spec: Spec) -> Spec:
    """`spec` with no title, no preamble and a text that never names the organisation."""
    parts = [
        replace(p, paras=[x.replace(spec.org.name, "本单位").replace(spec.org.short, "本单位")
                          for x in p.paras])
        for p in spec.parts
    ]  # fmt: skip
    return replace(spec, title="", preamble="", parts=parts)
