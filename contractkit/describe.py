"""An answer in words, for the interview's review and the negotiation memo: option labels, field
labels and role names in the reader's language, leaving out the fields that do not apply."""
from __future__ import annotations

from .point_types import type_of


def describe_value(library, contract: str, decision, value, lang: str) -> str:
    messages = library.ui["messages"]

    def msg(key: str) -> str:
        return messages[key][lang]

    if isinstance(value, dict) and type_of(decision).per_language and value and set(value) <= {"ja", "en"}:
        value = value.get(lang, next(iter(value.values())))     # a text per language, as written in the file
    if value is None:
        return msg("unknown_value")
    return type_of(decision).describe(library, contract, decision, value, lang, msg)


def key_label(library, key: str, lang: str) -> str:
    for point in library.points.values():
        for d in (point, *point.fields):
            for option in d.options:
                if option["id"] == key:
                    return option["label"][lang]
    return key
