"""Coherent AI contracts (issue 10): where the options of ai-nda, ai-poc, ai-development and ai-use
meet, the articles agree, one of them says that it prevails, or the answers are refused at the
answer that chose the contradiction. One test per class of contradiction found."""
import copy
import re

import pytest

from conftest import assemble_dict, draft_plain_text, load_example, resolve_dict
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


def survivors(draft) -> list[str]:
    """The articles the survival article's first sentence lists (a later one may limit their period)."""
    survival = next(a for a in draft.articles if a.clause_id == "survival")
    found = []
    for segment in survival.paragraphs[0].segments:
        if isinstance(segment, str) and ("However" in segment or "ただし" in segment):
            break
        if hasattr(segment, "target"):
            found.append(segment.target)
    return found


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
    assert re.search(r"answers\.yaml:\d+:\d+: 'internal-purpose' is not available for 'usage-conditions\.user'", message)
    assert "revenue" in message
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
