"""The negotiation memo: for every decision point of the draft, the choice, the guideline's usual
position, whom the choice favours from the drafter's side, the fallback to concede to (with the
text it would put in the draft), and the cautions; then the placeholders still open. Internal."""
from __future__ import annotations

import copy

from .describe import describe_value
from .guidance import favours_label


def _messages(library, lang):
    return {k: v[lang] for k, v in library.ui["messages"].items()}


def _the_choice(point, value):
    """(decision, chosen option ID, path) of the point's main single choice, if it has one."""
    if point.type == "choice":
        return point, value, ()
    if point.type == "mapping" and isinstance(value, dict):
        for f in point.fields:
            if f.type == "choice" and f.options and value.get(f.id) is not None:
                return f, value[f.id], (f.id,)
    return None, None, ()


def _side(option: dict, contract: str) -> str:
    favours = option.get("favours", "neutral")
    return favours.get(contract, "neutral") if isinstance(favours, dict) else favours


def fallback_option(decision, chosen: str, contract: str, perspective: str | None, usual):
    """The next option to concede to: the nearest (in the order the options are listed) that
    gives ground to the other side; without a perspective, the guideline's usual position or the
    nearest option."""
    offered = [o for o in decision.options if not o.get("contracts") or contract in o["contracts"]]
    ids = [o["id"] for o in offered]
    if chosen not in ids:
        return None
    here = ids.index(chosen)
    others = sorted((o for o in offered if o["id"] != chosen), key=lambda o: abs(ids.index(o["id"]) - here))
    if perspective:
        ours = _side(offered[here], contract)
        if ours != perspective and ours != "neutral":
            return None  # already conceded
        for option in others:
            if _side(option, contract) != perspective:
                return option
        return None
    return next((o for o in others if o["id"] == usual), others[0] if others else None)


def memo_rows(library, resolved, draft) -> list[dict]:
    from .assemble import assemble

    contract, lang, perspective = resolved.contract, resolved.lang, resolved.perspective
    m = _messages(library, lang)
    base_texts = {a.clause_id: a for a in draft.articles}
    rows = []
    for point in library.points_in_order(contract):
        if point.id not in resolved.values:
            continue
        value = resolved.values[point.id]
        from .values import default_for
        has_default, usual = default_for(point, contract, lang)
        if point.type == "mapping":
            fields = {f.id: default_for(f, contract, lang) for f in point.fields}
            usual = {**{k: v for k, (has, v) in fields.items() if has}, **(usual if isinstance(usual, dict) else {})}
            has_default = bool(usual)
        row = {"point": (point.question or point.label or {}).get(lang, point.id),
               "chosen": describe_value(library, contract, point, value, lang),
               "usual": describe_value(library, contract, point, usual, lang) if has_default else "—",
               "stance": "—", "fallback": m["memo_negotiate"], "warnings": []}
        decision, chosen, path = _the_choice(point, value)
        if decision is not None:
            option = next((o for o in decision.options if o["id"] == chosen), None)
            if option:
                row["stance"] = favours_label(library, contract, option, lang)
                side = _side(option, contract)
                if perspective and side not in ("neutral", perspective):
                    row["stance"] += f"（{m['memo_gives_ground']}）" if lang == "ja" else f" ({m['memo_gives_ground']})"
                if option.get("warn"):
                    row["warnings"].append(option["warn"][lang])
            usual_choice = usual.get(path[0]) if path and isinstance(usual, dict) else usual
            concession = fallback_option(decision, chosen, contract, perspective, usual_choice)
            if concession is None:
                row["fallback"] = m["memo_no_fallback"]
            else:
                row["fallback"] = f"{concession['label'][lang]}（{favours_label(library, contract, concession, lang)}）"
                changed = copy.deepcopy(resolved)
                if path:
                    changed.values[point.id] = {**value, path[0]: concession["id"]}
                else:
                    changed.values[point.id] = concession["id"]
                try:
                    alternative = assemble(library, changed)
                    text = _changed_text(base_texts, alternative)
                except Exception:
                    text = None  # a combination the clause texts do not cover: name the option only
                if text:
                    row["fallback_text"] = text
        rows.append(row)
    return rows


def _changed_text(base: dict, alternative) -> str | None:
    from .assemble import Ref

    def plain(article):
        out = []
        for p in article.paragraphs:
            for segs in [p.segments, *p.items]:
                out.append("".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segs))
        return "\n".join(out)

    for article in alternative.articles:
        before = base.get(article.clause_id)
        if before is None or plain(before) != plain(article):
            return f"（{article.heading}）\n{plain(article)}" if alternative.lang == "ja" else f"{article.heading}\n{plain(article)}"
    return None
