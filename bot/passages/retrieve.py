"""Retrieval for the bot and `gongkai search`: turn a question into a filtered, bilingual search.

    hits = search_question(retriever, "陈区镇存在哪些主要问题？", org_refs(store), k=3)

Organisations and years the question names become filters (unless the caller gives its own);
English words get Chinese domain terms (`bot.question.glossary`) so the Chinese keyword index and the
Chinese embedding model can match them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.question.orgnames import OrgRef

if TYPE_CHECKING:
    from bot.question.understand import Understanding
    from index.search import Hit, Retriever
    from index.store import Store


# Section hints that say what kind of passage is wanted (what went wrong, what is planned, the
# closing remarks) rather than a topic: topic words (网站, 培训) appear in every section, so only
# these steer the ranking.
PREFERRED_SECTIONS = ("problems_improvements", "other_matters")
# Questions about what a report plans to do next are answered by its improvements.


# Store → (its data version, its organisations): rebuilt only when the index changed.
_REFS: WeakKeyDictionary[Store, tuple[tuple[int, int], tuple[OrgRef, ...]]] = WeakKeyDictionary()


def org_refs(store: Store) -> tuple[OrgRef, ...]:
    """The indexed organisations with the years they have a ready report for.

    Read again only when the index has changed (`Store.data_version`), and the same tuple is
    handed out for as long as the organisations and years are the same, so the name indexes
    built from it (`bot.question.orgnames`) are reused too."""
    version = store.data_version()
    cached = _REFS.get(store)
    if cached is not None and cached[0] == version:
        return cached[1]
    years: dict[tuple[str, str, str], set[int]] = {}
    aliases: dict[tuple[str, str, str], set[str]] = {}
    for r in store.org_years():
        if not (r["org"] or r["org_short"]):
            continue
        key = (r["org"] or r["org_short"], r["org_short"] or r["org"], r["org_level"])
        years.setdefault(key, set()).update([r["year"]] if r["year"] else [])
        aliases.setdefault(key, set()).update(json.loads(r["aliases"] or "[]"))
    refs = tuple(
        OrgRef(org, short, level, tuple(sorted(ys)), tuple(sorted(aliases[org, short, level])))
        for (org, short, level), ys in years.items()
    )
    if cached is not None and cached[1] == refs:  # e.g. a report replaced: the same names
        refs = cached[1]
    _REFS[store] = (version, refs)
    return refs


def search_understood(
    retriever: Retriever,
    u: Understanding,
    *,
    orgs: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    k: int = 5,
    mode: str = "fused",
) -> list[Hit]:
    """Search for an understood question; explicit `orgs`/`years` override what it names."""
    from bot.question.lexicon import sections_in

    orgs = list(orgs) if orgs else [o.org_short or o.org for o in u.orgs]
    years = list(years) if years else list(u.years)
    extra = list(u.terms_zh)
    # the sections the question points at, in its own words or in its Chinese terms
    hinted = [*u.sections, *sections_in(" ".join(extra))]
    if u.plan:
        hinted.append("problems_improvements")
    extra += [o.org_short for o in u.orgs if o.org_short and o.org_short not in u.question]
    # m3e-small reads Chinese: an English question is embedded as its Chinese terms
    dense_text = " ".join(extra) if u.lang == "en" and extra else None
    return retriever.search(
        u.question,
        orgs=orgs,
        years=years,
        prefer_sections=[s for s in PREFERRED_SECTIONS if s in hinted],
        extra_terms=extra,
        dense_text=dense_text,
        k=k,
        mode=mode,
    )


def search_question(
    retriever: Retriever,
    question: str,
    refs: Sequence[OrgRef],
    *,
    orgs: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    k: int = 5,
    mode: str = "fused",
) -> list[Hit]:
    from bot.question.understand import understand

    latest = max((y for r in refs for y in r.years), default=None)
    u = understand(question, refs, latest)
    return search_understood(retriever, u, orgs=orgs, years=years, k=k, mode=mode)
