"""Money that cannot vanish: a damages cap is never zero while the contract runs, a free deal has
no fee-based cap, a limitation that covers wilful misconduct is cautioned, a revenue share has a
base the draft allows and outlives the contract as long as that base does."""
import pytest

from conftest import assemble_dict, load_example, resolve_dict


def article(library, answers, clause_id):
    draft = assemble_dict(library, answers)
    found = next(a for a in draft.articles if a.clause_id == clause_id)
    from contractkit.assemble import Ref
    return "\n".join("".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segs)
                     for p in found.paragraphs for segs in [p.segments, *p.items]), draft


def refused(library, answers) -> str:
    from contractkit.errors import UserError
    with pytest.raises(UserError) as caught:
        resolve_dict(library, answers)
    return "\n".join([caught.value.args[0], *(caught.value.problems or [])])


@pytest.mark.parametrize("name", ["ai-poc-ja.yaml", "ai-development-ja.yaml"])
def test_a_fixed_fee_cap_is_the_contract_price_even_before_any_invoice(library, name):
    answers = load_example(name)
    answers["answers"]["fee"] = {"model": "fixed", "amount": "金300万円"}
    answers["answers"]["liability"] = {"cap": "fees-paid"}
    text, draft = article(library, answers, "liability")
    fee = next(a for a in draft.articles if a.clause_id == "fee")
    assert f"第{str(fee.number).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条に定める対価の総額（その支払期限の到来の有無及び支払の有無を問わない。）を上限とする" in text
    assert "現実に支払われた" not in text


def test_a_usage_based_cap_is_the_last_twelve_months_or_a_minimum(library):
    answers = load_example("ai-use-en.yaml")
    answers["answers"]["fee"] = {"model": "usage-based", "amount": "JPY 10 per request"}
    answers["answers"]["liability"] = {"cap": "fees-paid", "minimum": "JPY 5,000,000"}
    text, _ = article(library, answers, "liability")
    assert "the greater of the total consideration paid or payable under this Agreement in the 12 months" in text
    assert "JPY 5,000,000" in text


@pytest.mark.parametrize("name", ["data-provision-ja.yaml", "ai-poc-en.yaml"])
def test_a_free_deal_has_no_fee_based_cap(library, name):
    answers = load_example(name)
    answers["answers"]["fee"] = {"model": "free"}
    answers["answers"]["liability"] = {"cap": "fees-paid"}
    message = refused(library, answers)
    assert "'fees-paid' is not available for 'liability.cap'" in message and "answers.yaml:" in message
    answers["answers"].pop("liability")
    message = refused(library, answers)
    assert "the default of 'liability.cap', 'fees-paid', is not available" in message
    assert "valid choices: fixed-amount, none" in message
    answers["answers"]["liability"] = {"cap": "fixed-amount", "amount": "金1,000万円" if "ja" in name else "JPY 10,000,000"}
    text, _ = article(library, answers, "liability")
    assert "1,000万円" in text or "10,000,000" in text


def test_a_limitation_without_carve_out_is_cautioned(library):
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["liability"] = {"cap": "fixed-amount", "amount": "金100万円", "gross_negligence_carve_out": False}
    ids = [w["id"] for w in resolve_dict(library, answers).warnings]
    assert "limitation-without-carve-out" in ids
    answers["answers"]["liability"]["gross_negligence_carve_out"] = True
    assert "limitation-without-carve-out" not in [w["id"] for w in resolve_dict(library, answers).warnings]


def test_a_revenue_share_needs_a_base_and_outlives_the_contract(library):
    answers = load_example("ai-development-ja.yaml")
    answers["answers"]["fee"] = {"model": "revenue-share", "amount": "3%"}
    answers["answers"]["usage-conditions"] = {**answers["answers"].get("usage-conditions", {}), "user": "internal-purpose"}
    assert "'revenue-share' is not available for 'fee.model'" in refused(library, answers)
    answers["answers"]["usage-conditions"]["user"] = "any-purpose"
    text, draft = article(library, answers, "fee")
    assert "本契約の終了後も" in text and "販売し、又は提供する限り存続する" in text
    survival = next(a for a in draft.articles if a.clause_id == "survival")
    fee = next(a for a in draft.articles if a.clause_id == "fee")
    assert any(getattr(s, "target", None) == "fee" for p in survival.paragraphs for s in p.segments), fee.number
