"""What an answer to a decision point may be: the value schema built from its declaration,
and its default."""
from __future__ import annotations

from .point_types import type_of
from .schema import Schema


def value_schema(decision, contract: str, roles: list[str], lang: str | None = None, bilingual: bool = False) -> Schema:
    """The schema of an answer; with `lang`, free texts given per language ({ja: …, en: …}) come
    out as the text of that language (a ja+en draft needs both: schema.pick_text). Each point
    type builds its own (point_types.py)."""
    return type_of(decision).schema(decision, contract, roles, lang, bilingual)


def pick_default(decision, value, lang: str):
    """A text default may be given per language: {ja: …, en: …}."""
    return type_of(decision).pick_default(decision, value, lang)


def default_for(decision, contract: str, lang: str, perspective: str | None = None, context: dict | None = None):
    """(has_default, value) for a decision in a contract type: a pack's or the contract type's
    default, else the one for the draft's language (`language_defaults`: in a ja+en draft, read by
    the answer to prevailing-language in `context`, so both columns get the same), else the opening
    position for the drafter's side, else the guideline's usual one."""
    if contract in decision.defaults:
        return True, pick_default(decision, decision.defaults[contract], lang)
    by_language = getattr(decision, "language_defaults", None) or {}
    if by_language:
        context = context or {}
        if context.get("bilingual"):
            both = by_language.get("ja+en")
            if isinstance(both, dict):
                prevailing = context.get("prevailing_language")
                if prevailing in both:
                    return True, both[prevailing]
            elif both is not None:
                return True, both
        elif lang in by_language:
            return True, by_language[lang]
    if perspective and perspective in getattr(decision, "perspective_defaults", {}):
        return True, pick_default(decision, decision.perspective_defaults[perspective], lang)
    if decision.has_default:
        return True, pick_default(decision, decision.default, lang)
    return False, None


def snake(identifier: str) -> str:
    return identifier.replace("-", "_")
