"""Every option of every point changes the draft, in both languages, for every data contract type."""
import copy
import re

import pytest

from conftest import EXAMPLES, LEFTOVERS, assemble_dict, draft_plain_text, load_example, resolve_dict
from contractkit.errors import UserError

REFUSED = re.compile(r"answers\.yaml:\d+:\d+: (two articles contradict each other|二つの条項が矛盾している|'[\w-]+' is not available for |「[\w-]+」は、これらの回答の下では「[\w.-]+」に選べない)")

EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if "bilingual" not in p.name)


def variations(decision, value, contract):
    """(label, new value) pairs that differ from `value` in one respect."""
    kind = decision.type
    if kind == "choice":
        return [(o, o) for o in decision.option_ids(contract) if o != value]
    if kind == "multi":
        current = list(value or [])
        return [(f"toggle {o}", [x for x in current if x != o] if o in current else current + [o])
                for o in decision.option_ids(contract)]
    if kind == "bool":
        return [(str(not value), not value)]
    if kind == "int":
        return [(str(value + 1), value + 1)]
    if kind == "text":
        from contractkit.point_types import sample_texts
        from contractkit.schema import MONEY_EXAMPLES, money_text

        def same(t):   # a bare 1000000 is the JPY 1,000,000 given (liability-floor)
            return t == value or decision.form in MONEY_EXAMPLES and any(
                money_text(t, decision.form, lang)[0] == value for lang in ("ja", "en"))
        money = [t for t in sample_texts(decision) if isinstance(t, str) and not same(t)][:1]   # an amount or a rate, as its `form:` needs
        return [("other text", money[0] if money else "ＺＺＺ")]
    if kind == "per-role":
        return [(f"{role} text", {**value, role: "ＺＺＺ"}) for role in value]
    if kind == "choice-map":
        options = decision.option_ids(contract)
        if isinstance(value, str):
            return [(o, o) for o in options if o != value] + [("per deliverable", {decision.keys[0]: value, decision.keys[1]: next(o for o in options if o != value)})]
        return [(f"{k}={o}", {**value, k: o}) for k in value for o in options if o != value[k]]
    return []


def with_nullable_fields(point, mapping):
    out = dict(mapping)
    for f in point.fields:
        if f.nullable and f.id not in out:
            out[f.id] = None
    return out


def cases(library):
    for name in EXAMPLE_FILES:
        answers = load_example(name)
        resolved = resolve_dict(library, answers)
        for pid, value in resolved.values.items():
            point = library.points[pid]
            if not point.ask:
                continue  # a setting (e.g. the exclusivity limit) drives warnings, not text
            if point.type == "mapping":
                for f in point.fields:
                    if f.id in value:
                        for label, new in variations(f, value[f.id], resolved.contract):
                            yield name, f"{pid}.{f.id}={label}", pid, with_nullable_fields(point, {**value, f.id: new})
            else:
                for label, new in variations(point, value, resolved.contract):
                    yield name, f"{pid}={label}", pid, new


@pytest.fixture(scope="module")
def base_texts(library):
    return {name: draft_plain_text(assemble_dict(library, load_example(name))) for name in EXAMPLE_FILES}


def test_every_option_changes_the_draft(library, base_texts):
    unchanged, checked = [], 0
    for name, label, pid, new in cases(library):
        answers = copy.deepcopy(load_example(name))
        answers.setdefault("answers", {})[pid] = new
        try:
            draft = assemble_dict(library, answers)
        except UserError as exc:   # an option these answers rule out, or a contradiction: refused at the answer
            assert REFUSED.search(str(exc)), (name, label, str(exc))
            continue
        text = draft_plain_text(draft)
        assert not LEFTOVERS.search(text), (name, label, LEFTOVERS.search(text))
        checked += 1
        if text == base_texts[name]:
            unchanged.append(f"{name}: {label}")
    assert checked > 500
    assert not unchanged, "options that do not change the draft:\n" + "\n".join(unchanged)


def test_every_choice_option_is_reachable_in_each_contract(library):
    """Each option of each point that selects a variant has its variant in the library."""
    for contract, template in library.templates.items():
        for cid in template.articles:
            clause = library.clauses[cid]
            if clause.select and not clause.when:
                point_id, _, field_id = clause.select.partition(".")
                decision = library.points[point_id]
                decision = decision.field(field_id) if field_id else decision
                assert set(decision.option_ids(contract)) <= set(clause.variants), (contract, cid)


@pytest.mark.parametrize("value,needle_ja", [
    ("included", "個人情報"),
    ("anonymised", "匿名加工情報"),
])
def test_personal_data_adds_its_article(library, value, needle_ja):
    answers = load_example("data-provision-ja.yaml")
    none = assemble_dict(library, answers)
    answers["answers"]["personal-data"] = value
    with_pd = assemble_dict(library, answers)
    assert len(with_pd.articles) == len(none.articles) + 1
    assert f"personal-data:{value}" in with_pd.stamp
    assert needle_ja in draft_plain_text(with_pd)


def test_unchosen_warranties_are_disclaimed(library):
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["warranty"] = ["authority"]
    narrow = draft_plain_text(assemble_dict(library, answers))
    answers["answers"]["warranty"] = ["authority", "accuracy", "completeness", "safety", "validity", "non-infringement", "appi"]
    full = draft_plain_text(assemble_dict(library, answers))
    assert "正確性" in narrow and "保証しない" in narrow
    assert narrow != full


def test_four_derived_data_options_are_four_articles(library):
    answers = load_example("data-provision-en.yaml")
    texts = {}
    for option in ("recipient-free", "license-back", "consent-required", "consult"):
        answers["answers"]["derived-data"] = option
        draft = assemble_dict(library, answers)
        article = next(a for a in draft.articles if a.clause_id == "derived-data")
        assert article.variant == option
        texts[option] = str(article.paragraphs)
    assert len(set(texts.values())) == 4


def test_signing_changes_closing_and_signature(library):
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["signing"] = "seal"
    seal = assemble_dict(library, answers)
    answers["answers"]["signing"] = "electronic"
    electronic = assemble_dict(library, answers)
    assert draft_plain_text(seal.__class__(**{**seal.__dict__, "articles": []})) != \
        draft_plain_text(electronic.__class__(**{**electronic.__dict__, "articles": []}))
    assert "記名押印" in str(seal.closing) and "電子署名" in str(electronic.closing)
    assert "印" in str(seal.signatures[0][-1].segments) and "印" not in str(electronic.signatures[0][-1].segments)


def test_disputes_court_and_arbitration(library):
    answers = load_example("data-provision-ja.yaml")
    court = assemble_dict(library, answers)
    answers["answers"]["disputes"] = {"law": "japan", "forum": "arbitration"}
    arbitration = assemble_dict(library, answers)
    assert "disputes:court" in court.stamp and "disputes:arbitration" in arbitration.stamp
    assert "名古屋地方裁判所" in draft_plain_text(court)
    assert "日本商事仲裁協会" in draft_plain_text(arbitration)
