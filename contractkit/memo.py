"""The negotiation memo: for every decision point of the draft, the choice, the guideline's usual
position, whom the choice favours from the drafter's side, the fallback to concede to (with the
text it would put in the draft), and the cautions; then the placeholders still open. Internal."""
from __future__ import annotations

import copy

from .answers import option_warns
from .describe import describe_value
from .point_types import type_of
from .guidance import favours_label, gives_ground_decision


def _messages(library, lang):
    return {k: v[lang] for k, v in library.ui["messages"].items()}


def negotiable(point, value) -> list[tuple]:
    """(decision, chosen value, path) of each position the point's answer takes: the point itself
    (a choice, bool or multi; a choice-map with one option for everything), or each choice, bool
    and multi field of a mapping, each its own row in the memo with its own fallback."""
    return type_of(point).positions(point, value)


def concession_order(decision, contract: str, perspective: str) -> list:
    """A side's options from its best to the least it accepts, as the point declares (`concede:`; the
    library check requires it of every position that offers a choice). No order, no fallback.
    A yes/no point orders true and false; a multi-select lists the options in the order the side
    would give them up (if chosen) or accept them (if not)."""
    return type_of(decision).concession_order(decision, contract, perspective)


def fallback_candidates(decision, chosen, contract: str, perspective: str | None, usual) -> list:
    """What to concede to if pushed back, best first: the options after ours in our side's order (a
    multi-select: ours with one more option given up or accepted, in our order); without a
    perspective, the guideline's usual position."""
    if decision.fact:
        return []
    if not perspective:
        return [usual] if usual is not None and usual != chosen and (not type_of(decision).single or usual in decision.option_ids(contract)) else []
    return type_of(decision).fallbacks(decision, chosen, contract, perspective,
                                       concession_order(decision, contract, perspective))


def _fact_option(library, decision, chosen, contract: str) -> bool:
    """A choice whose chosen option stands in neither side's concession order (`concede:`) is a fact
    of the deal, not a position (base-model.terms: vendor-own): no default speaks for it."""
    if not type_of(decision).single or not decision.concede or chosen not in decision.option_ids(contract):
        return False
    roles = [r["id"] for r in library.templates[contract].roles]
    return not any(chosen in concession_order(decision, contract, role) for role in roles)


def _label(library, contract, decision, value, lang) -> tuple[str, str]:
    """The fallback in words, and whom it favours."""
    if type_of(decision).single:
        option = next(o for o in decision.options if o["id"] == value)
        return option["label"][lang], favours_label(library, contract, option, lang)
    words = describe_value(library, contract, decision, value, lang)
    if type_of(decision).yes_no and decision.label:   # "Renews automatically: no", not a bare "no"
        words = f"{decision.label[lang]}{library.ui['messages']['colon'][lang]}{words}"
    return words, ""


def memo_rows(library, resolved, draft) -> list[dict]:
    contract, lang, perspective = resolved.contract, resolved.lang, resolved.perspective
    m = _messages(library, lang)
    base_texts = {a.clause_id: a for a in draft.articles}
    rows = []
    from .values import default_for
    for point in library.points_in_order(contract):
        if point.id not in resolved.values:
            continue
        value = resolved.values[point.id]
        has_default, usual = default_for(point, contract, lang)
        if type_of(point).has_parts:
            fields = {f.id: default_for(f, contract, lang) for f in point.fields}
            facts = {f.id for f in point.fields if f.fact}   # a fact has no usual position
            usual = {k: v for k, v in {**{k: v for k, (has, v) in fields.items() if has},
                                       **(usual if isinstance(usual, dict) else {})}.items()
                     if k not in facts and v is not None}   # a usual position is never "not known yet"
            has_default = bool(usual)
        question = (point.question or point.label or {}).get(lang, point.id)
        decisions = [] if point.fact else negotiable(point, value)
        if not decisions:
            row = {"point": question, "point_id": point.id, "field": None,
                   "chosen": describe_value(library, contract, point, value, lang),
                   # a point whose usual answer is to leave it out (no schedule of service specifications) has none to show
                   "usual": describe_value(library, contract, point, usual, lang) if has_default and usual is not None and not point.fact else "—",
                   "stance": "—", "fallback": m["memo_fact"] if point.fact else m["memo_negotiate"], "warnings": []}
            rows.append(row)
            continue
        whole = type_of(point).has_parts and len(decisions) == 1   # one position: the row shows the whole answer
        for decision, chosen, path in decisions:
            field_usual = usual.get(path[0]) if path and isinstance(usual, dict) else usual if has_default else None
            if _fact_option(library, decision, chosen, contract):
                # the deal's fact (the vendor's own base model), not a position: the usual position is that option itself
                field_usual = chosen
                usual = {**usual, path[0]: chosen} if path and isinstance(usual, dict) else usual if path else chosen
            single = not path or whole
            row = {"point": question if single else f"{question} — {(decision.label or {}).get(lang, decision.id)}",
                   "point_id": point.id, "field": path[0] if path else None,
                   "chosen": describe_value(library, contract, point if single and path else decision,
                                            value if single and path else chosen, lang),
                   "usual": (describe_value(library, contract, point if single and path else decision,
                                            usual if single and path else field_usual, lang)
                             if (usual if single and path else field_usual) is not None else "—"),
                   "stance": "—", "fallback": m["memo_no_fallback"], "warnings": []}
            if type_of(decision).single:
                option = next((o for o in decision.options if o["id"] == chosen), None)
                if option:
                    row["stance"] = favours_label(library, contract, option, lang)
            for i, option in enumerate(decision.options):
                if (option["id"] in (chosen if isinstance(chosen, list) else [chosen])
                        and option_warns(library, decision, i, resolved.values, contract)):
                    row["warnings"].append(option["warn"][lang])
            for candidate in fallback_candidates(decision, chosen, contract, perspective, field_usual):
                alternative = _coherent_alternative(library, resolved, point, value, path, candidate)
                if alternative is None:
                    continue   # the draft would contradict itself, or the option is not available here
                label, favours = _label(library, contract, decision, candidate, lang)
                row["fallback"] = label if not favours else f"{label}（{favours}）" if lang == "ja" else f"{label} ({favours})"
                row["fallback_answer"] = (point.id, path[0] if path else None, candidate)
                text = _changed_text(base_texts, alternative)
                if text:
                    row["fallback_text"] = text
                break
            if gives_ground_decision(decision, chosen, contract, perspective):
                flag = m["memo_gives_ground"]
                row["stance"] = flag if row["stance"] == "—" else \
                    row["stance"] + (f"（{flag}）" if lang == "ja" else f" ({flag})")
            rows.append(row)
        figures = _figures(library, contract, point, value, lang) if type_of(point).has_parts and not whole else ""
        if figures:   # the amounts, periods and names beside the positions: negotiated as such
            rows.append({"point": question, "point_id": point.id, "field": None, "chosen": figures, "usual": "—",
                         "stance": "—", "fallback": m["memo_negotiate"], "warnings": []})
    return rows


def _figures(library, contract, point, value, lang) -> str:
    """A mapping's answered fields that are not positions (an amount, a number of months), in words."""
    from .answers import evaluate
    joiner, colon = library.ui["messages"]["field_joiner"][lang], library.ui["messages"]["colon"][lang]
    parts = []
    for index, f in enumerate(point.fields):
        if type_of(f).position or f.id not in value:
            continue
        if f.when and not evaluate(library, point, ("fields", index, "when"), value, unknown=True):
            continue
        parts.append(f"{(f.label or {}).get(lang) or f.id}{colon}{describe_value(library, contract, f, value[f.id], lang)}")
    return joiner.join(parts)


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
    import re

    from .assemble import Ref
    from .markers import SEPARATORS

    def plain(article):
        # one line a paragraph or item: a line break typed in an answer reads as a space here
        out = []
        for p in article.paragraphs:
            for segs in [p.segments, *p.items]:
                text = "".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segs)
                out.append(re.sub(f"\r\n|[\n{SEPARATORS}]", " ", text))
        return "\n".join(out)

    for article in alternative.articles:
        before = base.get(article.clause_id)
        if before is None or plain(before) != plain(article):
            return f"（{article.heading}）\n{plain(article)}" if alternative.lang == "ja" else f"{article.heading}\n{plain(article)}"
    return None
