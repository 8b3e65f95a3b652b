"""The negotiation memo: for every decision point of the draft, the choice, the guideline's usual
position, whom the choice favours from the drafter's side, the fallback to concede to (with the
text it would put in the draft), and the cautions; then the placeholders still open. Internal."""
from __future__ import annotations

import copy

from .describe import describe_value
from .guidance import favours_label, gives_ground


def _messages(library, lang):
    return {k: v[lang] for k, v in library.ui["messages"].items()}


def _the_choice(point, value):
    """(decision, chosen option ID, path) of the point's main single choice, if it has one."""
    if point.type == "choice" or (point.type == "choice-map" and isinstance(value, str)):
        return point, value, ()   # a choice-map with one option for everything is one choice
    if point.type == "mapping" and isinstance(value, dict):
        for f in point.fields:
            if f.type == "choice" and f.options and not f.fact and value.get(f.id) is not None:
                return f, value[f.id], (f.id,)
    return None, None, ()


def concession_order(decision, contract: str, perspective: str) -> list[str]:
    """A side's options from its best to the least it accepts, as the point declares (`concede:`; the
    library check requires it of every position that offers a choice). No order, no fallback."""
    offered = decision.option_ids(contract)
    return [o for o in decision.concede.get(perspective, ()) if o in offered]


def fallback_candidates(decision, chosen: str, contract: str, perspective: str | None, usual) -> list[str]:
    """What to concede to if pushed back, best first: the options after ours in our side's order;
    without a perspective, the guideline's usual position."""
    if decision.fact:
        return []
    if perspective:
        order = concession_order(decision, contract, perspective)
        return order[order.index(chosen) + 1:] if chosen in order else []
    return [usual] if usual != chosen and usual in decision.option_ids(contract) else []


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
               # a point whose usual answer is to leave it out (no schedule of service specifications) has none to show
               "usual": describe_value(library, contract, point, usual, lang) if has_default and usual is not None else "—",
               "stance": "—", "fallback": m["memo_negotiate"], "warnings": []}
        decision, chosen, path = _the_choice(point, value)
        if point.fact:
            row["stance"], row["fallback"] = "—", m["memo_fact"]
        elif decision is not None:
            option = next((o for o in decision.options if o["id"] == chosen), None)
            if option:
                row["stance"] = favours_label(library, contract, option, lang)
                if option.get("warn"):
                    row["warnings"].append(option["warn"][lang])
            usual_choice = usual.get(path[0]) if path and isinstance(usual, dict) else usual
            row["fallback"] = m["memo_no_fallback"]
            for candidate in fallback_candidates(decision, chosen, contract, perspective, usual_choice):
                alternative = _coherent_alternative(library, resolved, point, value, path, candidate)
                if alternative is None:
                    continue   # the draft would contradict itself, or the option is not available here
                concession = next(o for o in decision.options if o["id"] == candidate)
                favours = favours_label(library, contract, concession, lang)
                row["fallback"] = f"{concession['label'][lang]}（{favours}）" if lang == "ja" else f"{concession['label'][lang]} ({favours})"
                row["fallback_answer"] = (point.id, path[0] if path else None, candidate)
                text = _changed_text(base_texts, alternative)
                if text:
                    row["fallback_text"] = text
                break
        if gives_ground(point, value, contract, perspective):
            flag = m["memo_gives_ground"]
            row["stance"] = flag if row["stance"] == "—" else \
                row["stance"] + (f"（{flag}）" if lang == "ja" else f" ({flag})")
        rows.append(row)
    return rows


def _coherent_alternative(library, resolved, point, value, path, option_id):
    """The draft with this one answer changed, if contractkit would build it: resolved again from
    the answers the drafter gave (so points that come and go with it do so), the option available
    with the other answers, and no two articles contradicting each other. A field the concession
    brings in (a cap's amount) is left open (●)."""
    from .answers import _resolve_mapping, resolve
    from .assemble import assemble
    from .errors import UserError

    given = {pid: v for pid, v in resolved.values.items() if resolved.origins.get(pid) in ("answers", "from")}
    if path:
        missing: list = []
        others = {k.replace("-", "_"): v for k, v in resolved.values.items()}
        changed = _resolve_mapping(library, point, {**value, path[0]: option_id}, resolved.contract, resolved.lang, missing, others)
        changed.update({m.id.partition(".")[2]: None for m in missing})
        given[point.id] = changed
    else:
        given[point.id] = option_id
    tree = {"contract": resolved.contract, "language": resolved.lang, "answers": given,
            "parties": [{k: p[k] for k in ("role", "name", "address", "representative")} for p in resolved.parties]}
    for key in ("perspective", "usecase", "date"):
        if getattr(resolved, key) is not None:
            tree[key] = getattr(resolved, key)
    try:
        alternative = resolve(tree, library, resolved.file)
    except UserError:
        return None   # not available with the other answers, or the articles would contradict each other
    return assemble(library, alternative)


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
