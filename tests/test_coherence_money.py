"""Money that cannot vanish: a damages cap is never zero while the contract runs, a free deal has
no fee-based cap, a limitation that covers wilful misconduct is cautioned, a revenue share has a
base the draft allows and outlives the contract as long as that base does."""
import pytest

from conftest import assemble_dict, load_example, resolve_dict, survivors


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
    """The rule model says it: a cap counted from the fees needs fees, and a free deal owes none."""
    answers = load_example(name)
    answers["answers"]["fee"] = {"model": "free"}
    answers["answers"]["liability"] = {"cap": "fees-paid"}
    message = refused(library, answers)
    if name.endswith("-ja.yaml"):   # in the answers' language, by the draft's own headings
        assert "answers.yaml:" in message and "'liability'（損害賠償、clauses/common/liability.yaml" in message
        assert "'fee'（対価、clauses/common/fee.yaml" in message and "損害賠償の額の上限" in message
    else:
        assert "answers.yaml:" in message and "'liability' (Damages; clauses/common/liability.yaml" in message
        assert "'fee' (Consideration; clauses/common/fee.yaml" in message and "the cap on damages" in message
    assert "liability.cap: fixed-amount" in message and "liability.cap: none" in message
    answers["answers"].pop("liability")   # the default cap: refused at the answer that made it nil
    message = refused(library, answers)
    assert "'liability'" in message and "'fee'" in message and "liability.cap: fixed-amount" in message
    answers["answers"]["liability"] = {"cap": "fixed-amount", "amount": "金1,000万円" if "ja" in name else "JPY 10,000,000"}
    text, draft = article(library, answers, "liability")
    assert "1,000万円" in text or "10,000,000" in text
    assert "fee" not in survivors(draft)   # nothing is owed after the end of a free deal


def plant(tmp_path, contracts: list, clauses: dict):
    """A scratch pack holding these clause files (name → text): a replaced core clause says
    `replaces: true`; a new article is placed after the fee article."""
    from contractkit.library import load_library
    pack = tmp_path / "money-test"
    (pack / "clauses").mkdir(parents=True)
    articles = [f"  - {{id: {cid}, after: fee}}\n" for cid, text in clauses.items() if "replaces: true" not in text]
    (pack / "pack.yaml").write_text(
        "id: money-test\ntitle: {ja: 試験, en: Test}\ndescription: {ja: 試験用, en: For tests}\n"
        f"contracts: [{', '.join(contracts)}]\n" + ("articles:\n" + "".join(articles) if articles else ""), encoding="utf-8")
    for cid, text in clauses.items():
        (pack / "clauses" / f"{cid}.yaml").write_text(text, encoding="utf-8")
    return load_library(packs=[pack])


def replaced(clause_file: str, old: str, new: str) -> str:
    from conftest import ROOT
    text = (ROOT / "clauses" / clause_file).read_text(encoding="utf-8")
    assert old in text
    text = text.split("\npoints:\n")[0] + "\n"   # its points stay the core's
    return "replaces: true\n" + text.replace(old, new)


def test_a_credit_or_an_early_end_fee_that_does_not_survive_is_refused(library, tmp_path):
    poc = load_example("ai-poc-ja.yaml")
    poc["answers"]["fee"] = {"model": "fixed", "amount": "金300万円"}
    poc["answers"]["poc-fee-credit"] = True
    draft = assemble_dict(library, poc)
    assert {"fee", "early-end-fee", "poc-fee-credit"} <= set(survivors(draft))   # from their rules
    short = plant(tmp_path, ["ai-poc"], {
        "poc-fee-credit": replaced("ai/poc-fee-credit.yaml", "    act: claim\n    time: always", "    act: claim\n    time: term"),
        "early-end-fee": replaced("ai/early-end-fee.yaml", "    act: claim\n    time: after-end", "    act: claim\n    time: term")})
    message = refused(short, poc)
    for cid in ("poc-fee-credit", "early-end-fee"):
        assert f"'{cid}'" in message and f"{cid}.yaml" in message
    assert message.count("'fee'（対価、clauses/common/fee.yaml") >= 2   # in the answers' language, by the draft's headings
    assert "本契約の有効期間の終了とともに適用されなくなる" in message and "その基礎が続く限り適用されなければならない" in message


def test_a_credit_in_a_free_proof_of_concept_is_refused(library):
    poc = load_example("ai-poc-en.yaml")
    poc["answers"].update({"fee": {"model": "free"}, "liability": {"cap": "none"}, "poc-fee-credit": True})
    message = refused(library, poc)
    assert "'poc-fee-credit' (Credit against the Development Fee; clauses/ai/poc-fee-credit.yaml; poc-fee-credit: true)" in message
    assert "'fee' (Consideration" in message and "poc-fee-credit: false" in message
    poc["answers"]["poc-fee-credit"] = False
    assert not any(w["id"].startswith("poc-fee-credit") for w in resolve_dict(library, poc).warnings)


def test_a_cap_counted_from_fees_that_fall_due_only_after_the_end_is_refused(library, tmp_path):
    """A planted article defers every payment to the end: a cap of the fees paid or payable in the
    months before the claim would be nil while the work runs."""
    deferral = """id: payment-deferral
heading: {ja: 支払の繰延べ, en: Deferred Payment}
variants:
  default:
    ja: |
      {{ ref('fee') }}の規定にかかわらず、{{ vendor }}は、本契約の終了後でなければ、対価を請求することができない。
    en: |
      Notwithstanding {{ ref('fee') }}, {{ vendor }} may not claim any consideration until this Agreement has ended.
rules:
  - object: fees
    party: vendor
    act: claim
    time: term
    is: forbidden
    overrides: [fee]
"""
    deferred = plant(tmp_path, ["ai-poc"], {"payment-deferral": deferral})
    poc = load_example("ai-poc-en.yaml")
    poc["answers"]["fee"] = {"model": "usage-based", "amount": "JPY 10,000 per hour"}
    poc["answers"]["liability"] = {"cap": "fees-paid", "minimum": None}
    message = refused(deferred, poc)
    assert "'liability' (Damages; clauses/common/liability.yaml" in message
    assert "'payment-deferral' (Deferred Payment" in message and "during the term" in message
    assert "liability.cap: fixed-amount" in message
    poc["answers"]["fee"] = {"model": "fixed", "amount": "JPY 3,000,000"}   # the whole price, due or not
    text, _ = article(deferred, poc, "liability")
    assert "whether or not it has fallen due or been paid" in text


@pytest.mark.parametrize("name,conditions", [("ai-development-en.yaml", "dev-usage-conditions"), ("ai-use-en.yaml", "use-usage-conditions")])
def test_a_royalty_whose_base_the_draft_forbids_is_refused(library, name, conditions):
    answers = load_example(name)
    answers["answers"]["fee"] = {"model": "revenue-share", "amount": "3%"}
    answers["answers"]["usage-conditions"] = {**answers["answers"].get("usage-conditions", {}), "user": "internal-purpose"}
    message = refused(library, answers)
    assert "'fee' (Consideration; clauses/common/fee.yaml" in message and f"'{conditions}'" in message
    assert "a share of sales or revenue" in message and "usage-conditions.user: any-purpose" in message


def test_a_royalty_that_stops_while_its_base_lasts_is_refused(library, tmp_path):
    royalty = """id: sales-royalty
heading: {ja: 販売対価, en: Sales Royalty}
variants:
  default:
    ja: |
      {{ user }}は、本契約の有効期間中、本成果物を組み込んだ製品の売上高の1%を{{ vendor }}に支払う。
    en: |
      During the term of this Agreement, {{ user }} shall pay {{ vendor }} 1% of its sales of products incorporating the Deliverables.
rules:
  - object: royalty
    party: vendor
    act: claim
    time: term
    is: allowed
    needs: {object: deliverables, party: user, act: commercialise}
"""
    planted = plant(tmp_path, ["ai-development"], {"sales-royalty": royalty})
    answers = load_example("ai-development-en.yaml")
    answers["answers"]["usage-conditions"] = {**answers["answers"].get("usage-conditions", {}), "user": "any-purpose"}
    message = refused(planted, answers)
    assert "'sales-royalty' (Sales Royalty" in message and "'dev-usage-conditions'" in message
    assert "stops at the end of the term" in message
    assert "no single other answer resolves it" in message   # internal use would leave it no base at all


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
    answers["answers"]["usage-conditions"] = {**answers["answers"].get("usage-conditions", {}), "user": "any-purpose"}
    text, draft = article(library, answers, "fee")
    assert "本契約の終了後も" in text and "販売し、又は提供する限り存続する" in text
    survival = next(a for a in draft.articles if a.clause_id == "survival")
    fee = next(a for a in draft.articles if a.clause_id == "fee")
    assert any(getattr(s, "target", None) == "fee" for p in survival.paragraphs for s in p.segments), fee.number


def test_a_share_of_revenue_from_third_party_provision_needs_a_party_that_may_provide(library):
    answers = load_example("data-creation-en.yaml")
    answers["answers"]["revenue-cost"] = {"revenue": "ratio", "ratio": "Party A 50%, Party B 50%", "cost": "each-own"}
    answers["answers"]["third-party"] = "prohibited"
    message = refused(library, answers)
    assert "'revenue-cost' (Sharing of Revenue and Costs" in message and "'third-party' (Provision to Third Parties" in message
    assert "third-party: with-consent" in message and "revenue-cost.revenue: consult" in message
    answers["answers"]["third-party"] = "with-consent"   # provision with consent is a base
    assert "revenue-cost" in survivors(assemble_dict(library, answers))
