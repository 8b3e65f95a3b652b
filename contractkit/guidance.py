"""What the guideline says about the draft in front of the lawyer: the comment on each article
(the points it implements, the option chosen, the reasoning, the alternatives and whom each
favours). The words around the data come from templates/interview.yaml."""
from __future__ import annotations

from .point_types import type_of


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
    """Whether an answer gives ground to the other side, seen from the drafter's side: any position
    it takes (fields of a mapping included) that does. The interview's review, the guideline
    comments' 'favours' and the memo all read it from the point declarations."""
    if not perspective or value is None or point.fact:
        return False
    return any(gives_ground_decision(d, chosen, contract, perspective) for d, chosen in type_of(point).stances(point, value))


def gives_ground_decision(decision, chosen, contract: str, perspective: str | None) -> bool:
    """One position (a point or a field): an option chosen that favours a role other than the
    drafter's; for a yes/no, an answer other than the drafter's side's best in its `concede:`."""
    if not perspective or chosen is None or decision.fact:
        return False
    return type_of(decision).gives_ground(decision, chosen, contract, perspective)


def _choices(point, value):
    """(decision, chosen option IDs) for each choice the point's value makes."""
    return type_of(point).chosen_options(point, value)


def article_comment(library, clause, resolved, guidance: str | None = None) -> str | None:
    """The Word comment on an article; `guidance` is its reasoning as rendered for this draft."""
    from .describe import describe_value
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
            if others and not type_of(decision).multiple:   # a multi-select: what is not chosen is out of scope
                lines.append(f"{messages['comment_alternatives'][lang]}: " + join.join(
                    f"{o['label'][lang]}（{favours_label(library, contract, o, lang)}）" if lang == "ja"
                    else f"{o['label'][lang]} ({favours_label(library, contract, o, lang)})" for o in others))
        for decision, value, path in type_of(point).positions(point, resolved.values[pid]):
            if not type_of(decision).yes_no:
                continue   # a yes/no position (任意解除: いいえ) is the article's point as much as a choice is
            title = question if decision is point else f"{question} — {(decision.label or {}).get(lang, decision.id)}"
            lines.append(f"{messages['comment_point'][lang]}: {title}")
            lines.append(f"{messages['comment_chosen'][lang]}: {describe_value(library, contract, decision, value, lang)}")
    if guidance:
        lines.append(f"{messages['comment_reason'][lang]}: {guidance}")
    return "\n".join(lines) or None
