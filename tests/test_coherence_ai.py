"""Coherent AI contracts (issue 10): where the options of ai-nda, ai-poc, ai-development and ai-use
meet, the articles agree, one of them says that it prevails, or the answers are refused at the
answer that chose the contradiction. One test per class of contradiction found."""
import copy
import re
from pathlib import Path

import pytest

from conftest import articles_text, assemble_dict, draft_plain_text, load_example, memo_fallbacks, resolve_dict, survivors
from contractkit.errors import UserError


def with_answers(example: str, **changes) -> dict:
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        data["answers"][key.replace("_", "-")] = value
    return data


def article(draft, clause_id: str) -> str:
    found = next(a for a in draft.articles if a.clause_id == clause_id)
    return "\n".join("".join(s if isinstance(s, str) else getattr(s, "text", "●") for s in p.segments)
                     for p in found.paragraphs)


def number(draft, clause_id: str) -> int:
    return next(i + 1 for i, a in enumerate(draft.articles) if a.clause_id == clause_id)


def refusal(library, data) -> str:
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    return str(caught.value)


# -- use and retention of the user's data ---------------------------------------------------------

def test_poc_vendor_keeping_the_data_after_the_end_prevails_expressly_over_use_only_for_the_work(library):
    data = with_answers("ai-poc-en.yaml", user_data={"warranty": "authority-only", "at_end": "vendor-keeps-for-improvement",
                                                     "confidential_know_how": False}, personal_data="none")
    draft = assemble_dict(library, data)
    text = article(draft, "user-data-end")
    assert f"Notwithstanding Article {number(draft, 'user-data')}, after the expiry" in text
    assert "user-data-end" in survivors(draft) and "user-data" in survivors(draft)


def test_poc_vendor_may_not_keep_personal_data_for_its_own_improvement(library):
    data = with_answers("ai-poc-en.yaml", user_data={"at_end": "vendor-keeps-for-improvement"}, personal_data="included")
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 'vendor-keeps-for-improvement' is not available for 'user-data\.at_end'", message)
    assert "personal information" in message


def test_use_stage_keeping_for_improvement_needs_improvement_as_a_purpose_during_the_term(library):
    data = with_answers("ai-use-en.yaml", input_data_use=["service-provision"])
    message = refusal(library, data)
    assert "'vendor-keeps-for-improvement' is not available for 'user-data.at_end'" in message


def test_use_stage_no_further_learning_and_model_improvement_are_refused_with_the_resolving_answer(library):
    data = with_answers("ai-use-en.yaml", additional_learning="none",
                        user_data={"warranty": "none", "at_end": "delete", "confidential_know_how": False})
    message = refusal(library, data)
    assert "two articles contradict each other. Input Data: may the vendor use it to train its own AI" in message
    assert "'use-additional-learning'" in message and "'use-input-data'" in message
    assert "additional-learning: pooled" in message


def test_use_stage_a_dedicated_model_cannot_also_be_learning_results_for_any_purpose(library):
    data = with_answers("ai-use-en.yaml", additional_learning="user-data-only",
                        input_data_use=["service-provision"],
                        user_data={"warranty": "none", "at_end": "delete", "confidential_know_how": False})
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: two articles contradict each other\. the results of further learning", message)
    assert "vendor_reuse: prohibited" in message or "additional-learning: pooled" in message
    # the shipped example no longer says both things
    draft = assemble_dict(library, load_example("ai-use-en.yaml"))
    assert "Pooled Learning" in draft_plain_text(draft)
    assert "shall not use the Input Data for training for other customers" not in draft_plain_text(draft)


def test_development_dataset_for_any_purpose_prevails_expressly_and_is_unavailable_with_know_how(library):
    data = with_answers("ai-development-en.yaml", dataset_use="any", copyright="shared", reuse_model="consent",
                        usage_conditions={"user": "any-purpose", "vendor_reuse": "prohibited", "exclusivity_months": 0})
    draft = assemble_dict(library, data)
    data_article = article(draft, "dev-user-data")
    assert f"Whoever holds the copyright in it under Article {number(draft, 'dev-copyright')}, Vendor may use the Training Dataset" in data_article
    assert f"Notwithstanding the preceding paragraphs, the use of the Training Dataset is governed by Article {number(draft, 'dev-user-data')}" \
        in article(draft, "dev-usage-conditions")
    assert f"(for the Training Dataset, in Article {number(draft, 'dev-user-data')})" in article(draft, "dev-copyright")
    know_how = copy.deepcopy(data)
    know_how["answers"]["user-data"] = {"confidential_know_how": True}
    assert "'any' is not available for 'dataset-use'" in refusal(library, know_how)


# -- fees and the rights that depend on them ------------------------------------------------------

def test_revenue_share_with_internal_use_only_is_refused_and_copyright_passes_under_every_fee_model(library):
    data = with_answers("ai-development-en.yaml", fee={"model": "revenue-share", "amount": "5%"},
                        usage_conditions={"user": "internal-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 0})
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: two articles contradict each other: 'fee' \(Consideration", message)
    assert "'dev-usage-conditions'" in message and "a share of sales or revenue" in message
    for model in ("usage-based", "revenue-share"):
        running = with_answers("ai-development-en.yaml", fee={"model": model, "amount": "5%"}, copyright="user",
                               usage_conditions={"user": "any-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 0})
        text = article(assemble_dict(library, running), "dev-copyright")
        assert "on the Completion Date" in text and "payment" not in text
        poc = with_answers("ai-poc-ja.yaml", fee={"model": model, "amount": "5%"}, copyright="user")
        assert "本成果物の提出の時に" in article(assemble_dict(library, poc), "copyright")


# -- the purpose of using the deliverables --------------------------------------------------------

def test_internal_use_of_the_deliverables_has_a_permitted_use_of_its_own(library):
    data = with_answers("ai-development-ja.yaml",
                        usage_conditions={"user": "internal-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 0})
    text = article(assemble_dict(library, data), "dev-usage-conditions")
    purpose = data["answers"]["purpose"]
    assert f"本条において「利用目的」とは、甲が自己の事業において{purpose}のために学習済みモデルを運用することをいう。" in text
    assert "本成果物を、利用目的の範囲内で" in text and "本目的の範囲内で" not in text


# -- survival -------------------------------------------------------------------------------------

def test_survival_has_disclaimers_oss_and_use_rights_and_no_exclusivity_after_the_end(library):
    data = with_answers("ai-development-en.yaml", oss=True,
                        usage_conditions={"user": "any-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 6})
    draft = assemble_dict(library, data)
    listed = survivors(draft)
    for clause in ("dev-performance", "dev-oss", "dev-usage-conditions", "dev-user-data", "dev-copyright"):
        assert clause in listed, clause
    assert "While this Agreement is in force and until 6 months have passed from the Completion Date" in article(draft, "dev-usage-conditions")
    use = assemble_dict(library, load_example("ai-use-ja.yaml"))
    assert {"use-performance", "use-input-data", "use-output-rights", "use-usage-conditions"} <= set(survivors(use))
    nda = with_answers("ai-nda-en.yaml", confidentiality={"survival_years": 0})
    assert "nda-use-limit" not in survivors(assemble_dict(library, nda))


# -- reused models, packs and the general data clauses (rules declared in issue 10) ---------------

PACKS = Path(__file__).resolve().parent.parent / "usecases"
_pack_libraries = {}


def pack_library(pack: str):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    if pack not in _pack_libraries:
        _pack_libraries[pack] = load_library(packs=[find_packs()[pack]])
    return _pack_libraries[pack]


def pack_draft(pack: str, example: str, **changes):
    """A pack's example answers (its `from:` carried over), with some answers changed, assembled."""
    from contractkit.answers import load_answers
    from contractkit.assemble import assemble
    library = pack_library(pack)
    resolved = load_answers(PACKS / pack / "examples" / example, library)
    given = {pid: v for pid, v in resolved.values.items() if resolved.origins.get(pid) in ("answers", "from")}
    given.update({k.replace("_", "-"): v for k, v in changes.items()})
    data = {"contract": resolved.contract, "language": resolved.lang, "usecase": pack, "answers": given,
            "parties": [{k: p[k] for k in ("role", "name", "address", "representative")} for p in resolved.parties]}
    return assemble(library, resolve_dict(library, data))


def test_reused_models_cannot_be_free_while_the_vendor_may_not_use_the_deliverables(library):
    data = with_answers("ai-development-en.yaml", reuse_model="allowed",
                        usage_conditions={"user": "any-purpose", "vendor_reuse": "prohibited", "exclusivity_months": 0})
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 'allowed' is not available for 'reuse-model'", message)
    assert "subject to consent" in message
    data["answers"]["reuse-model"] = "consent"
    draft = assemble_dict(library, data)
    assert "obtain User's written consent" in article(draft, "dev-reuse-model")
    assert {"dev-reuse-model", "dev-prohibited-acts", "dev-patents"} <= set(survivors(draft))


def test_hvac_sensor_data_limit_gives_way_expressly_to_keeping_the_data_for_improvement():
    draft = pack_draft("hvac-anomaly-detection", "ai-poc-en.yaml",
                       user_data={"warranty": "authority-only", "at_end": "vendor-keeps-for-improvement", "confidential_know_how": False})
    text = article(draft, "hvac-sensor-data")
    assert (f"except as provided in {articles_text(draft, 'user-data', 'user-data-end')}, "
            "shall not use it for any other purpose outside the Purpose") in text
    assert "may continue to hold and use the Subject Data" in article(draft, "user-data-end")
    nda = pack_draft("hvac-anomaly-detection", "ai-nda-ja.yaml")
    assert "センサーデータを建物の利用者の行動の分析その他本目的以外の目的のために利用してはならない。" in article(nda, "hvac-sensor-data")


@pytest.mark.parametrize("handling", ["on-device", "discard-after-inference", "retain-for-learning"])
def test_care_images_article_prevails_expressly_over_the_personal_data_article(handling):
    draft = pack_draft("care-pose-estimation", "ai-use-en.yaml", care_image_handling=handling, personal_data="included")
    assert f"As to Resident Images, this Article prevails over Article {number(draft, 'personal-data')}." \
        in article(draft, "care-images")
    ja = pack_draft("care-pose-estimation", "ai-use-ja.yaml", care_image_handling=handling, personal_data="included")
    assert f"本条の定めが第{str(number(ja, 'personal-data')).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条の定めに優先する" \
        in article(ja, "care-images")


def test_maker_data_parameters_say_which_article_prevails_in_every_combination():
    pack = "maker-data-trained-model"
    held = pack_draft(pack, "ai-development-en.yaml", mdm_parameter_claims="vendor-holds", mdm_vendor_field="general-methods-only",
                      copyright="shared")
    text = article(held, "mdm-parameters")
    assert f"and notwithstanding Article {number(held, 'dev-copyright')}, the authority" in text
    assert f"shall exercise that authority within the restrictions on its use of the Deliverables under Article {number(held, 'dev-usage-conditions')}" in text
    assert (f"notwithstanding {articles_text(held, 'dev-copyright', 'mdm-parameters')}, "
            "Vendor shall not, in any field") in article(held, "mdm-vendor-field")
    maker = pack_draft(pack, "ai-development-en.yaml", mdm_parameter_claims="maker-holds", reuse_model="allowed")
    assert f"Notwithstanding Article {number(maker, 'dev-reuse-model')}, Vendor also needs that consent" in article(maker, "mdm-parameters")
    banned = pack_draft(pack, "ai-development-en.yaml", mdm_parameter_claims="maker-holds", reuse_model="prohibited")
    assert "Reused Model" not in article(banned, "mdm-parameters")
    own = pack_draft(pack, "ai-development-en.yaml", mdm_maker_use="own-maintenance",
                     usage_conditions={"user": "any-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 0})
    assert f"Notwithstanding Article {number(own, 'dev-usage-conditions')}, before incorporating the Trained Model" \
        in article(own, "mdm-maker-use")


AI_PACK_EXAMPLES = sorted((p.parent.parent.name, p.name) for pack in
                          ("care-pose-estimation", "hvac-anomaly-detection", "industrial-robot-ai", "maker-data-trained-model")
                          for p in (PACKS / pack / "examples").glob("*.yaml"))


@pytest.mark.parametrize("pack, example", AI_PACK_EXAMPLES)
def test_every_memo_fallback_of_an_ai_pack_builds_a_coherent_draft(pack, example):
    """Every side's declared concession (`concede:`) that the memo offers builds: the option is
    available with the other answers and no two articles contradict each other."""
    from contractkit.answers import load_answers
    from contractkit.assemble import assemble
    library = pack_library(pack)
    base = load_answers(PACKS / pack / "examples" / example, library)
    given = {pid: v for pid, v in base.values.items() if base.origins.get(pid) in ("answers", "from")}
    roles = [r["id"] for r in library.templates[base.contract].roles]
    offered = 0
    for perspective in roles:
        data = {"contract": base.contract, "language": base.lang, "usecase": pack, "answers": given, "perspective": perspective,
                "parties": [{k: p[k] for k in ("role", "name", "address", "representative")} for p in base.parties]}
        for point_id, option, changed in memo_fallbacks(library, data):
            offered += 1
            try:
                assemble(library, resolve_dict(library, changed))
            except UserError as exc:
                assert "is not answered" in str(exc), f"{pack}/{example} ({perspective}): {point_id} → {option}: {exc}"
    assert offered


# -- "for any purpose" and the bans on reverse engineering and distillation -----------------------

def test_use_for_any_purpose_is_expressly_subject_to_the_bans_on_distillation_and_reverse_engineering(library):
    use = assemble_dict(library, with_answers("ai-use-en.yaml", output_rights="user", prohibited_acts=["distillation"]))
    assert f"may use AI Output freely for any purpose that does not breach Article {number(use, 'use-prohibited-acts')} and provide" \
        in article(use, "use-output-rights")
    free = assemble_dict(library, with_answers("ai-use-ja.yaml", output_rights="user", prohibited_acts=[]))
    assert "AI生成物を目的を問わず自由に利用し" in article(free, "use-output-rights") and "規定に反しない限り" not in article(free, "use-output-rights")
    dev = assemble_dict(library, with_answers("ai-development-en.yaml", prohibited_acts=["reverse-engineering"],
                        usage_conditions={"user": "any-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 0}))
    assert f"Subject to Article {number(dev, 'dev-prohibited-acts')}, User may use, reproduce and modify the Deliverables for any purpose" \
        in article(dev, "dev-usage-conditions")


def test_bans_on_analysing_a_model_the_user_owns_draw_a_caution(library):
    from contractkit.answers import warnings_for
    owned = resolve_dict(library, with_answers("ai-development-en.yaml", copyright={"trained-model": "user"}))
    assert "bans-on-the-users-own-model" in [w["id"] for w in warnings_for(library, "ai-development", owned.values)]
    kept = resolve_dict(library, with_answers("ai-development-en.yaml", copyright="vendor"))
    assert "bans-on-the-users-own-model" not in [w["id"] for w in warnings_for(library, "ai-development", kept.values)]
    free = resolve_dict(library, with_answers("ai-development-en.yaml", copyright="user", prohibited_acts=[]))
    assert "bans-on-the-users-own-model" not in [w["id"] for w in warnings_for(library, "ai-development", free.values)]


def test_the_memo_offers_the_declared_concession_on_copyright_and_it_builds(library):
    from contractkit.memo import memo_rows
    data = with_answers("ai-development-en.yaml", copyright="vendor")
    data["perspective"] = "vendor"
    resolved = resolve_dict(library, data)
    row = next(r for r in memo_rows(library, resolved, assemble_dict(library, data))
               if r["point"] == library.points["copyright"].question["en"])
    assert row["fallback_answer"] == ("copyright", None, "shared")   # vendor: [vendor, shared, user]
    assert "shall be held jointly by User and Vendor in equal shares" in row["fallback_text"]
    conceded = with_answers("ai-development-en.yaml", copyright="shared")
    assert "held jointly" in article(assemble_dict(library, conceded), "dev-copyright")
    data["perspective"] = "user"
    resolved = resolve_dict(library, data)
    row = next(r for r in memo_rows(library, resolved, assemble_dict(library, data))
               if r["point"] == library.points["copyright"].question["en"])
    assert "fallback_answer" not in row and "gives ground" in row["stance"]
