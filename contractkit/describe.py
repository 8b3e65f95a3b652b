"""An answer in words, for the interview's review and the negotiation memo: option labels, field
labels and role names in the reader's language, leaving out the fields that do not apply."""
from __future__ import annotations


def describe_value(library, contract: str, decision, value, lang: str) -> str:
    messages = library.ui["messages"]

    def msg(key: str) -> str:
        return messages[key][lang]

    if isinstance(value, dict) and decision.type in ("text", "records") and value and set(value) <= {"ja", "en"}:
        value = value.get(lang, next(iter(value.values())))     # a text per language, as written in the file
    if value is None:
        return msg("unknown_value")
    if decision.type == "bool":
        return msg("yes") if value else msg("no")
    if decision.type in ("choice", "multi", "choice-map"):
        labels = {o["id"]: o["label"][lang] for o in decision.options}
        if isinstance(value, dict):   # choice-map: one choice per key (e.g. per deliverable)
            return msg("list_joiner").join(f"{key_label(library, k, lang)}{msg('colon')}{labels.get(v, v)}"
                                           for k, v in value.items())
        chosen = value if isinstance(value, list) else [value]
        return msg("list_joiner").join(labels.get(v, v) for v in chosen) or "—"
    if decision.type == "mapping" and isinstance(value, dict):
        from .answers import evaluate
        parts = []
        for index, f in enumerate(decision.fields):
            if f.id not in value:
                continue
            if f.when and not evaluate(library, decision, ("fields", index, "when"), value, unknown=True):
                continue              # e.g. the arbitral institution when disputes go to court
            label = (f.label or {}).get(lang) or f.id
            parts.append(f"{label}{msg('colon')}{describe_value(library, contract, f, value[f.id], lang)}")
        return msg("field_joiner").join(parts)
    if decision.type == "records" and isinstance(value, list):
        # a schedule: its title and the first column of each record (the items it lists)
        first = decision.fields[0]
        items = [describe_value(library, contract, first, record.get(first.id), lang) for record in value]
        return f"{decision.schedule[lang]}{msg('colon')}{msg('list_joiner').join(items)}"
    if decision.type == "per-role" and isinstance(value, dict):
        roles = {r["id"]: r["label"][lang] for r in library.templates[contract].roles}
        texts = {r: v.get(lang, next(iter(v.values()), None)) if isinstance(v, dict) else v for r, v in value.items()}
        return msg("field_joiner").join(f"{roles.get(r, r)}{msg('colon')}{v if v is not None else msg('unknown_value')}"
                                        for r, v in texts.items())
    return str(value)


def key_label(library, key: str, lang: str) -> str:
    for point in library.points.values():
        for d in (point, *point.fields):
            for option in d.options:
                if option["id"] == key:
                    return option["label"][lang]
    return key
