"""Issue 10, the data contracts (data-provision, data-creation, data-sharing): where options meet,
the articles agree. One test per class of contradiction found, each built from answers that
produced it, asserting the text that now reconciles the articles."""
import copy

import pytest

from conftest import articles_text, assemble_dict, load_example, memo_fallbacks, mentions, resolve_dict, example_with as answers, article_text as article, article_number as number


def surviving(draft) -> str:
    return article(draft, "survival")


# -- data-provision: joint use, derived data free, third parties banned, deletion at the end -------

JOINT_USE = dict(provision_form="joint-use", derived_data="recipient-free", third_party="prohibited",
                 after_termination="delete", exclusivity=None)


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml"])
def test_joint_use_derived_data_free_third_parties_banned_and_deletion_agree(library, example):
    draft = assemble_dict(library, answers(example, **JOINT_USE))
    derived, third, end = number(draft, "derived-data"), number(draft, "third-party"), number(draft, "after-termination")
    if draft.lang == "ja":
        # the derived-data article says the third-party ban does not reach derived data …
        assert f"派生データを第三者に開示し、又は提供することについては、{third}の規定は適用されない。" in article(draft, "derived-data")
        # … and the deletion at the end says it prevails over the derived-data article
        assert f"終了したときは、{derived}の規定にかかわらず、" in article(draft, "after-termination")
    else:
        assert f"{third} does not apply to the disclosure or provision of Derived Data to third parties" in article(draft, "derived-data")
        assert f"ending of this Agreement, notwithstanding {derived}, Recipient shall promptly and irretrievably delete" in article(draft, "after-termination")
    selection = resolve_dict(library, answers(example, **JOINT_USE)).selection
    assert ("after-termination", "derived-data") in {(w.clause, l.clause) for w, l in selection.precedences}
    assert not selection.conflicts
    # both keep applying after the end, from their rules, and the survival article says so
    assert mentions(surviving(draft), draft, "derived-data") and mentions(surviving(draft), draft, "after-termination")


# -- data-provision: a transfer is a transfer ------------------------------------------------

LICENCE_ONLY = ["processing", "derived-data", "third-party", "cross-border", "management", "leak-mitigation",
                "after-termination"]


@pytest.mark.parametrize("example, heading", [("data-provision-ja.yaml", "データの譲渡"),
                                              ("data-provision-en.yaml", "Transfer of the Data")])
def test_a_transfer_has_its_own_article_and_no_licence_terms(library, example, heading):
    data = answers(example, provision_form="transfer", exclusivity=None)
    resolved = resolve_dict(library, data)
    # the points that no longer apply are not asked (and an answer given to them is not drafted)
    for point in LICENCE_ONLY + ["exclusivity"]:
        assert point not in resolved.values
    draft = assemble_dict(library, data)
    ids = [a.clause_id for a in draft.articles]
    assert not set(LICENCE_ONLY) & set(ids)
    transfer = next(a for a in draft.articles if a.clause_id == "provision-form")
    assert transfer.heading == heading
    text = article(draft, "provision-form")
    if draft.lang == "ja":
        assert "本目的の範囲に限定されることなく、本データを自由に利用し、加工し、第三者に開示し" in text
        assert "本契約の終了後においても、乙の書面による承諾を得た場合を除き、本データを自ら利用し" in text
        assert "再許諾" not in text and "許諾する。" not in text
    else:
        assert "may freely use, process, disclose and provide the Subject Data to third parties" in text
        assert "both during the term and after this Agreement ends, Provider shall not use the Subject Data itself" in text
        assert "licence" not in text.lower()
    # the provider's duties after the transfer survive, from the article's own rules
    assert mentions(surviving(draft), draft, "provision-form")


def test_the_interview_does_not_ask_licence_questions_after_a_transfer(library):
    from contractkit.answers import current_values, evaluate
    values = current_values(library, "data-provision", "ja", {"provision-form": "transfer"}, ["provider", "recipient"])
    context = {k.replace("-", "_"): v for k, v in values.items()}
    for point_id in LICENCE_ONLY:
        point = library.points[point_id]
        assert point.when and evaluate(library, point, ("when",), context) is False, point_id
    context["provision_form"] = "license"
    for point_id in LICENCE_ONLY:
        assert evaluate(library, library.points[point_id], ("when",), context) is True, point_id


def test_an_exclusivity_does_not_survive_the_end(library):
    draft = assemble_dict(library, answers("data-provision-ja.yaml", exclusivity="exclusive"))
    assert "独占的に許諾する" in article(draft, "provision-form")
    assert not mentions(surviving(draft), draft, "provision-form")
    assert mentions(surviving(draft), draft, "warranty")          # its disclaimers do


def test_a_licence_bars_sublicensing_except_as_the_third_party_article_allows(library):
    draft = assemble_dict(library, answers("data-provision-ja.yaml", third_party="allowed"))
    assert f"乙は、{number(draft, 'third-party')}に定める場合を除き、本データの利用を第三者に再許諾することができない。" \
        in article(draft, "provision-form")


def test_free_processing_says_it_prevails_over_the_licence_purpose(library):
    draft = assemble_dict(library, answers("data-provision-en.yaml", processing="allowed"))
    assert f"Notwithstanding {number(draft, 'provision-form')}, Recipient may process" in article(draft, "processing")


# -- data-creation ---------------------------------------------------------------------------

@pytest.mark.parametrize("example", ["data-creation-ja.yaml", "data-creation-en.yaml"])
def test_data_creation_free_use_each_partys_derived_data_and_deletion_agree(library, example):
    data = answers(example, rights_allocation="both-free", rights_holder=None, usage_purposes=None,
                   derived_data="recipient-free", third_party="prohibited", after_termination="delete",
                   processing="prohibited")
    shares = data["answers"].get("revenue-cost")   # no third-party provision: no revenue from it to share
    if shares and shares.get("revenue") == "ratio":
        data["answers"]["revenue-cost"] = {k: v for k, v in {**shares, "revenue": "consult"}.items() if k != "ratio"}
    draft = assemble_dict(library, data)
    rights, derived = number(draft, "rights-allocation"), number(draft, "derived-data")
    if draft.lang == "ja":
        assert f"終了したときは、{rights}及び{derived}の規定にかかわらず、両当事者が別途書面により合意した場合を除き" in article(draft, "after-termination")
        assert f"各当事者は、{rights}の規定にかかわらず、相手方の事前の書面による承諾を得た場合を除き、本データを加工し" in article(draft, "processing")
    else:
        assert f"notwithstanding {articles_text(draft, 'rights-allocation', 'derived-data')}, each party shall promptly and irretrievably delete" in article(draft, "after-termination")
        assert f"Notwithstanding {rights}, neither party shall process" in article(draft, "processing")
    assert not resolve_dict(library, data).selection.conflicts


def test_data_creation_licensee_may_pass_the_data_on_as_the_third_party_article_allows(library):
    data = answers("data-creation-ja.yaml", rights_allocation="one-party-license", rights_holder="party-b",
                   usage_purposes=None, third_party="with-consent")
    draft = assemble_dict(library, data)
    assert f"甲は、{number(draft, 'third-party')}に定める場合を除き、この許諾を第三者に再許諾することができない。" \
        in article(draft, "rights-allocation")


def test_data_creation_interim_rule_defers_to_the_third_party_article(library):
    data = answers("data-creation-en.yaml", rights_allocation="consult", rights_holder=None, usage_purposes=None,
                   third_party="allowed")
    draft = assemble_dict(library, data)
    text = article(draft, "rights-allocation")
    assert f"Disclosure or provision of the Subject Data to third parties is governed by {number(draft, 'third-party')}." in text
    assert "without the other party's written consent" not in text


# -- data-sharing: caps that cannot vanish, survival from the rules ---------------------------

@pytest.mark.parametrize("fee, expected_participant, expected_operator", [
    ({"model": "free"}, "参加者が賠償する額は、金200万円を上限とします。", "当社が賠償する額は、金300万円を上限とします。"),
    ({"model": "fixed", "amount": "月額1万円"}, "当該参加者が当社に支払った利用料金の総額と金200万円とのいずれか高い額を上限とします。",
     "当該参加者が当社に支払った利用料金の総額と金300万円とのいずれか高い額を上限とします。"),
])
def test_platform_caps_do_not_fall_to_zero_for_participants_who_pay_nothing(library, fee, expected_participant, expected_operator):
    data = answers("data-sharing-ja.yaml", fee=fee, liability_floor="金200万円")
    data["answers"]["liability"] = {"cap": "fees-paid", "scope": "direct-ordinary", "gross_negligence_carve_out": True}
    data["answers"]["operator-duties"] = {**data["answers"]["operator-duties"], "cap": "fees-paid", "floor": "金300万円"}
    draft = assemble_dict(library, data)
    assert expected_participant in article(draft, "platform-liability")
    assert expected_operator in article(draft, "operator-duties")


def test_platform_survival_lists_what_outlives_an_exit(library):
    def survival(draft):
        return next(line for line in article(draft, "platform-termination").splitlines() if "なお効力を有する" in line)

    paid = assemble_dict(library, answers("data-sharing-ja.yaml"))
    for cid in ["platform-fee", "operator-duties", "platform-liability", "platform-warranty", "withdrawal",
                "platform-derived-data"]:
        assert number(paid, cid) in survival(paid), cid
    assert number(paid, "platform-license") not in survival(paid)        # withdrawal: delete
    free = assemble_dict(library, answers("data-sharing-ja.yaml", fee={"model": "free"}, withdrawal="keep-for-remaining"))
    assert number(free, "platform-fee") not in survival(free)             # nothing can be left unpaid
    assert number(free, "platform-license") in survival(free)            # use rights kept after an exit


# -- packs: a pack's own procedure for onward provision prevails, and says so ----------------

@pytest.mark.parametrize("third_party", ["prohibited", "allowed"])
def test_e_receipt_listing_procedure_prevails_over_the_third_party_article(third_party):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    pack_library = load_library(packs=[find_packs()["e-receipt-data"]])
    data = copy.deepcopy(load_example("data-provision-ja.yaml"))
    data["usecase"] = "e-receipt-data"
    data["answers"].update({"third-party": third_party, "er-onward": "listed-with-consent", "personal-data": "included"})
    selection = resolve_dict(pack_library, data).selection
    assert not selection.conflicts
    assert ("er-recipient-list", "third-party") in {(w.clause, l.clause) for w, l in selection.precedences}
    draft = assemble_dict(pack_library, data)
    text = article(draft, "er-recipient-list")
    assert f"{number(draft, 'third-party')}及び{number(draft, 'confidentiality')}の規定にかかわらず、乙は、電子レシートデータを第三者に提供しようとするときは" in text
    assert "に定める甲の承諾は、本条に定める申請及び承諾の手続により行う" not in text


# -- data-provision: after a transfer the data is no longer the provider's secret ------------

TRANSFER = dict(provision_form="transfer", exclusivity=None, processing=None, derived_data=None, third_party=None,
                after_termination=None)


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml"])
def test_after_a_transfer_confidentiality_does_not_make_the_recipient_return_the_data(library, example):
    draft = assemble_dict(library, answers(example, personal_data="none", **TRANSFER))
    form, secret = number(draft, "provision-form"), article(draft, "confidentiality")
    if draft.lang == "ja":
        assert (f"前各項の規定にかかわらず、{form}の規定により乙に譲渡された本データは、甲の秘密情報に含まれないものとし、"
                "本データの利用、開示及び保持については、同条の定めるところによる。") in secret
    else:
        assert (f"Notwithstanding the preceding paragraphs, the Subject Data assigned to Recipient under {form} is not Confidential "
                "Information of Provider, and its use, disclosure and keeping are governed by that Article.") in secret
    selection = resolve_dict(library, answers(example, personal_data="none", **TRANSFER)).selection
    assert not selection.conflicts
    # the confidentiality article's own rules on the data are not in force after a transfer
    assert not [r for r in selection.rules if r.clause == "confidentiality" and "provided-data" in r.objects]


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml"])
def test_personal_information_in_transferred_data_stays_bound_and_the_article_says_so(library, example):
    data = answers(example, personal_data="included", **TRANSFER)
    selection = resolve_dict(library, data).selection
    assert not selection.conflicts
    assert ("personal-data", "provision-form") in {(w.clause, l.clause) for w, l in selection.precedences}
    draft = assemble_dict(library, data)
    form, personal = number(draft, "provision-form"), number(draft, "personal-data")
    if draft.lang == "ja":
        assert f"{form}の規定にかかわらず、乙は、甲から提供を受けた個人情報（以下「提供個人情報」という。）を" in article(draft, "personal-data")
        assert f"同条及び{personal}の定めるところによる。" in article(draft, "confidentiality")
    else:
        assert f"Notwithstanding {form}, Recipient shall handle the Personal Information provided by Provider" in article(draft, "personal-data")
        assert f"governed by that Article and {personal}." in article(draft, "confidentiality")


# -- the data's own articles prevail over the confidentiality article, and it says so ---------

@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml", "data-creation-ja.yaml"])
def test_confidentiality_yields_to_the_articles_on_the_data(library, example):
    """Data marked confidential may not be used beyond the Purpose or kept after the end, says the
    confidentiality article; free processing and a deletion on request say otherwise, and prevail."""
    data = answers(example, processing="allowed", after_termination="delete", derived_data="license-back")
    selection = resolve_dict(library, data).selection
    assert not selection.conflicts
    won = {w.clause for w, l in selection.precedences if l.clause == "confidentiality"}
    assert {"processing", "after-termination"} <= won
    draft = assemble_dict(library, data)
    secret = article(draft, "confidentiality")
    line = next(l for l in secret.splitlines() if l.startswith(("前各項の規定にかかわらず、本データ", "Notwithstanding the preceding paragraphs, the use")))
    for cid in ("processing", "third-party", "after-termination"):
        assert mentions(line, draft, cid), cid
    assert not mentions(line, draft, "liability")


# -- cross-border: who may move the data abroad is a rule the engine sees ----------------------

@pytest.mark.parametrize("option, modality", [("allowed", "allowed"), ("with-consent", "consent"), ("prohibited", "forbidden")])
def test_cross_border_declares_who_may_move_the_data_abroad(library, option, modality):
    for example, party in [("data-provision-ja.yaml", "recipient"), ("data-creation-en.yaml", "party-b")]:
        selection = resolve_dict(library, answers(example, cross_border=option)).selection
        found = {r.modality for r in selection.rules if "transfer-abroad" in r.acts and party in r.parties}
        assert found == {modality}, (example, found)


# -- memo: a side concedes in the order the library declares ---------------------------------

def test_the_memo_concedes_in_the_declared_order(library):
    from contractkit.assemble import assemble
    from contractkit.memo import memo_rows
    data = answers("data-provision-en.yaml", derived_data="consent-required")
    data["perspective"] = "provider"
    resolved = resolve_dict(library, data)
    rows = memo_rows(library, resolved, assemble(library, resolved))
    row = next(r for r in rows if r.get("fallback_answer", (None,))[0] == "derived-data")
    assert row["fallback_answer"] == ("derived-data", None, "license-back")   # not 'consult', the neutral option
    data["perspective"] = "recipient"
    data["answers"]["derived-data"] = "recipient-free"
    resolved = resolve_dict(library, data)
    rows = memo_rows(library, resolved, assemble(library, resolved))
    assert next(r for r in rows if r.get("fallback_answer", (None,))[0] == "derived-data")["fallback_answer"][2] == "license-back"


# -- machine-tool pack: the maker's listed uses narrow the licence, and say so ---------------

def _pack(name):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    return load_library(packs=[find_packs()[name]])


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml"])
def test_machine_tool_maker_uses_prevail_over_licence_and_derived_data_and_say_so(example):
    library = _pack("machine-tool-operating-data")
    data = answers(example, derived_data="recipient-free", processing="allowed")
    data["usecase"] = "machine-tool-operating-data"
    selection = resolve_dict(library, data).selection
    assert not selection.conflicts
    won = {l.clause for w, l in selection.precedences if w.clause == "mt-maker-uses"}
    assert {"provision-form", "processing", "derived-data", "confidentiality"} <= won
    draft = assemble_dict(library, data)
    text = article(draft, "mt-maker-uses")
    for cid in ("provision-form", "processing", "derived-data", "confidentiality"):
        assert mentions(text, draft, cid), cid
    # after a transfer the maker holds the data outright: the article is not drafted at all
    transfer = answers(example, **TRANSFER)
    transfer["usecase"] = "machine-tool-operating-data"
    resolved = resolve_dict(library, transfer)
    assert "mt-maker-uses" not in resolved.selection.ids and "mt-maker-uses" not in resolved.values


@pytest.mark.parametrize("example", ["data-provision-statistics-ja.yaml", "data-provision-en.yaml"])
def test_e_receipt_statistics_only_prevails_over_confidentiality_and_says_so(example):
    """Statistics only: no onward provision at all, where the confidentiality article would allow it
    with consent: the pack's article says it prevails over both."""
    from ruamel.yaml import YAML
    from conftest import ROOT
    library = _pack("e-receipt-data")
    data = YAML(typ="safe").load((ROOT / "usecases/e-receipt-data/examples" / example).read_text(encoding="utf-8"))
    data["answers"]["er-onward"] = "statistics-only"
    selection = resolve_dict(library, data).selection
    assert not selection.conflicts
    draft = assemble_dict(library, data)
    ban = next(l for l in article(draft, "er-recipient-list").splitlines() if l.startswith(("第", "Notwithstanding")))
    assert mentions(ban, draft, "confidentiality") and mentions(ban, draft, "third-party")
    assert "電子レシートデータ及び特定の会員を識別することができる派生データを第三者に提供" in ban or "shall not provide to any third party" in ban


@pytest.mark.parametrize("pack", ["machine-tool-operating-data", "taxi-probe-data", "data-marketplace", "e-receipt-data"])
def test_every_memo_fallback_of_the_data_packs_builds_a_coherent_draft(pack):
    """From each side (and none), the memo's fallback for each point of each pack example is an
    answer contractkit builds: available with the other answers, no two articles contradicting."""
    from ruamel.yaml import YAML
    from conftest import ROOT
    from contractkit.errors import UserError
    library = _pack(pack)
    offered = 0
    for path in sorted((ROOT / "usecases" / pack / "examples").glob("*.yaml")):
        base = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        base["language"] = "ja" if base.get("language") == "ja+en" else base.get("language", "ja")
        for perspective in [None, *[r["id"] for r in library.templates[base["contract"]].roles]]:
            data = {**copy.deepcopy(base), "perspective": perspective}
            for point_id, option, changed in memo_fallbacks(library, data):
                offered += 1
                try:
                    resolve_dict(library, changed)
                except UserError as exc:
                    assert "is not answered" in str(exc) + str(getattr(exc, "problems", "")), \
                        f"{path.name} ({perspective}): {point_id} → {option}: {exc}"
    assert offered


def test_data_not_itemised_is_used_within_the_purpose_until_agreed(library):
    data = answers("data-creation-ja.yaml", unlisted_data="consult")
    selection = resolve_dict(library, data).selection
    said = {(a, r.modality) for r in selection.rules if "unlisted-data" in r.objects for a in r.acts}
    assert {("use", "allowed"), ("use-beyond-purpose", "forbidden"), ("disclose", "consent")} <= said
    text = article(assemble_dict(library, data), "unlisted-data")
    assert "対象外データを本目的の範囲内でのみ利用することができ、相手方の書面による承諾なく、これを第三者に開示し" in text
