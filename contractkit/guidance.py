"""What the guideline says about the draft in front of the lawyer: the comment on each article
(the points it implements, the option chosen, the reasoning, the alternatives and whom each
favours). The words around the data come from templates/interview.yaml."""
from __future__ import annotations


def favours_label(library, contract: str, option: dict, lang: str) -> str:
    favours = option.get("favours", "neutral")
    if isinstance(favours, dict):
        favours = favours.get(contract, "neutral")
    messages = library.ui["messages"]
    if favours == "neutral":
        return messages["neutral"][lang]
    role = next((r for r in library.templates[contract].roles if r["id"] == favours), None)
    return messages["favours"][lang].format(role=role["label"][lang] if role else favours)


def side_of(option: dict, contract: str) -> str:
    favours = option.get("favours", "neutral")
    return favours.get(contract, "neutral") if isinstance(favours, dict) else favours


def gives_ground(point, value, contract: str, perspective: str | None) -> bool:
    """Whether an answer favours the other side, seen from the drafter's side: any option it
    chooses (fields of a mapping included) that favours a role other than the drafter's. The
    interview's review and the memo both ask this."""
    if not perspective or value is None or point.fact:
        return False
    for decision, chosen in _choices(point, value):
        if decision.fact:
            continue
        for option in decision.options:
            if option["id"] in chosen and side_of(option, contract) not in ("neutral", perspective):
                return True
    return False


def _choices(point, value):
    """(decision, chosen option IDs) for each choice the point's value makes."""
    if point.type in ("choice", "multi"):
        yield point, value if isinstance(value, list) else [value]
    elif point.type == "mapping" and isinstance(value, dict):
        for f in point.fields:
            if f.options and f.id in value and value[f.id] is not None:
                yield f, [value[f.id]]
    elif point.type == "choice-map":
        yield point, sorted(set(value.values())) if isinstance(value, dict) else [value]


def article_comment(library, clause, resolved, guidance: str | None = None) -> str | None:
    """The Word comment on an article; `guidance` is its reasoning as rendered for this draft."""
    lang, contract = resolved.lang, resolved.contract
    messages = library.ui["messages"]
    join = "、" if lang == "ja" else "; "
    lines = []
    for pid in clause.points:
        point = library.points.get(pid)
        if point is None or pid not in resolved.values:
            continue
        question = (point.question or point.label or {}).get(lang, pid)
        for decision, chosen in _choices(point, resolved.values[pid]):
            offered = [o for o in decision.options if not o.get("contracts") or contract in o["contracts"]]
            picked = [o for o in offered if o["id"] in chosen]
            others = [o for o in offered if o["id"] not in chosen]
            if not picked:
                continue
            title = question if decision is point else f"{question} — {(decision.label or {}).get(lang, decision.id)}"
            lines.append(f"{messages['comment_point'][lang]}: {title}")
            lines.append(f"{messages['comment_chosen'][lang]}: " + join.join(
                f"{o['label'][lang]}（{favours_label(library, contract, o, lang)}）" if lang == "ja"
                else f"{o['label'][lang]} ({favours_label(library, contract, o, lang)})" for o in picked))
            if others and decision.type != "multi":
                lines.append(f"{messages['comment_alternatives'][lang]}: " + join.join(
                    f"{o['label'][lang]}（{favours_label(library, contract, o, lang)}）" if lang == "ja"
                    else f"{o['label'][lang]} ({favours_label(library, contract, o, lang)})" for o in others))
    if guidance:
        lines.append(f"{messages['comment_reason'][lang]}: {guidance}")
    return "\n".join(lines) or None
