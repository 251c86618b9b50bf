"""Synthetic organisations for the report generator: regions, towns, sub-districts, departments.

Names are built from syllable lists, deterministically for a random generator. Several
organisations share a county/city/district prefix; each organisation publishes reports for a
run of consecutive years. The printed name (the title's) is fixed per organisation and unique in
the corpus: when two organisations would share a short name (两个 大河镇 in different counties),
both print the county prefix so that the full name tells them apart.

    >>> import random
    >>> orgs = plan_orgs(random.Random(0), 30)
    >>> sum(len(o.years) for o in orgs)
    30
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

# Place-name syllables. Left out on purpose: characters the parser reads as organisation
# suffixes or lead words (省市县区州盟旗 镇乡街道 局委办 是由将对特据 …), numerals, and
# characters that make template words (收 费 许 罚 公 开 …).
FIRST = "大小东西南北新兴青白金黄红龙凤安平宁长永丰康福德清云松柏桃梅杨柳梨竹莲荷桂枫林石马牛鹿"
SECOND = "河山湖泉溪江坪塘庄湾沟坝岗堡营寨店铺岭峰桥林田源洲滩渡口阳和丰兴华盛隆泰宁安昌乐庆"
DEPARTMENTS = (
    "交通运输局",
    "卫生健康委员会",
    "教育局",
    "财政局",
    "民政局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "农业农村局",
    "水利局",
    "商务局",
    "应急管理局",
    "审计局",
    "统计局",
    "司法局",
    "人力资源和社会保障局",
    "市场监督管理局",
    "文化广电和旅游局",
    "发展和改革委员会",
    "医疗保障局",
    "林业局",
    "退役军人事务局",
)
REGION_LEVELS = ("县", "县", "县", "市", "区")
YEARS = tuple(range(2019, 2026))
EN_LEVEL = {
    "镇": "town",
    "乡": "township",
    "街道": "subdistrict",
    "县": "county",
    "区": "district",
    "市": "city",
}


@dataclass(frozen=True)
class Org:
    """One publishing organisation. `name` is printed in every one of its titles."""

    name: str  # 青山县大河镇人民政府, 大河镇人民政府, 东湖街道办事处, 青山县交通运输局 …
    short: str  # 大河镇, 东湖街道, 青山县, 青山县交通运输局 (departments stay whole)
    level: str  # 镇 乡 街道 县 市 区 部门
    region: str  # 青山县
    base: str  # 大河 (the place name without its level; the department's own name)
    kind: str  # town | gov | dept: how big its numbers run
    years: tuple[int, ...] = ()

    @property
    def bare(self) -> str:
        return self.base if self.level != "部门" else self.short


def _place(rng: random.Random, used: set[str], extra: float = 0.15) -> str:
    for _ in range(200):
        name = rng.choice(FIRST) + rng.choice(SECOND)
        if rng.random() < extra:
            name += rng.choice(SECOND)
        if name not in used and len(set(name)) == len(name):
            used.add(name)
            return name
    raise RuntimeError("ran out of place names")  # pragma: no cover (5,000+ combinations)


def _members(rng: random.Random, region: str, level: str) -> list[tuple[str, str, str, str]]:
    """(base, level, kind, printed forms key) of a region's organisations, government first."""
    out = [(region[:-1], level, "gov", "gov")]
    used: set[str] = {region[:-1]}
    n_local = rng.randint(5, 14)
    for _ in range(n_local):
        if level == "区":
            lvl = rng.choice(("街道", "街道", "镇"))
        else:
            lvl = rng.choice(("镇", "镇", "镇", "乡", "街道"))
        out.append((_place(rng, used), lvl, "town", lvl))
    for dept in rng.sample(DEPARTMENTS, rng.randint(2, 8)):
        out.append((dept, "部门", "dept", "dept"))
    return out


def _short(base: str, level: str, region: str) -> str:
    if level == "部门":
        return region + base
    if level in ("县", "市", "区"):
        return base + level
    return base + level


def _printed(rng: random.Random, base: str, level: str, region: str, prefixed: bool) -> str:
    """The name as the title prints it; `prefixed` adds the county/city/district."""
    if level == "部门":
        return region + base
    if level in ("县", "市", "区"):
        return base + level + "人民政府"
    prefix = region if prefixed else ""
    if level == "街道":
        return prefix + base + rng.choice(("街道办事处", "街道办事处", "街道"))
    return prefix + base + level + rng.choice(("人民政府", "人民政府", "人民政府", ""))


def _years(rng: random.Random) -> tuple[int, ...]:
    span = rng.choice((1, 2, 2, 3, 3, 4, 5, 7))
    start = rng.randint(YEARS[0], YEARS[-1] - span + 1)
    return tuple(range(start, start + span))


def plan_orgs(rng: random.Random, n_reports: int) -> list[Org]:
    """Organisations whose report-years add up to exactly `n_reports`."""
    raw: list[tuple[str, str, str, str, tuple[int, ...]]] = []  # base, level, kind, region, years
    used_regions: set[str] = set()
    total = 0
    while total < n_reports:
        level = rng.choice(REGION_LEVELS)
        region = _place(rng, used_regions, extra=0.0) + level
        for base, lvl, kind, _ in _members(rng, region, level):
            years = _years(rng)[: n_reports - total]
            raw.append((base, lvl, kind, region, years))
            total += len(years)
            if total >= n_reports:
                break
    shorts: dict[str, int] = {}
    for base, lvl, _, region, _ in raw:
        key = _short(base, lvl, region)
        shorts[key] = shorts.get(key, 0) + 1
    orgs = []
    for base, lvl, kind, region, years in raw:
        short = _short(base, lvl, region)
        prefixed = shorts[short] > 1 or rng.random() < 0.2
        name = _printed(rng, base, lvl, region, prefixed)
        orgs.append(Org(name, short, lvl, region, base, kind, years))
    return orgs


def unknown_places(orgs: list[Org], rng: random.Random, k: int) -> list[str]:
    """County names that no organisation of the corpus uses (for questions that must find none)."""
    used = {o.base for o in orgs} | {o.region[:-1] for o in orgs}
    out: list[str] = []
    for _ in range(k * 50):
        if len(out) >= k:
            break
        name = _place(rng, used, extra=0.0)
        if not any(name in o.name for o in orgs):
            out.append(name + "县")
    return out


class Namer:
    """How questions name each organisation: the short name only when no other organisation
    shares it; in English the pinyin (Dahe town) only when no other one spells the same."""

    def __init__(self, orgs: list[Org]):
        unique = list({o.name: o for o in orgs}.values())
        self.shorts = Counter(o.short for o in unique)
        self.pinyin = self._pinyin(unique)

    @staticmethod
    def _pinyin(orgs: list[Org]) -> dict[str, str]:
        from pypinyin import lazy_pinyin

        spelled = {o.name: "".join(lazy_pinyin(o.base)) for o in orgs if o.level in EN_LEVEL}
        counts = Counter(spelled.values())
        return {k: v for k, v in spelled.items() if counts[v] == 1}

    def zh(self, org: Org, rng: random.Random) -> str:
        if self.shorts[org.short] == 1 and rng.random() < 0.7:
            return org.short
        return org.name

    def en(self, org: Org, rng: random.Random) -> str:
        spelled = self.pinyin.get(org.name)
        if spelled and self.shorts[org.short] == 1 and rng.random() < 0.7:
            return f"{spelled.capitalize()} {EN_LEVEL[org.level]}"
        return self.zh(org, rng)

    def listed(self, orgs: list[Org]) -> list[str]:
        return [o.short if self.shorts[o.short] == 1 else o.name for o in orgs]
