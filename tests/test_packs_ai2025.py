"""The two packs on METI's 2025 checklist types: `llm-internal-assistant` (ai-service) and
`rag-customer-support` (ai-customization). Each test builds a real Word draft from a pack example,
with the answers that would otherwise contradict the pack's articles, and reads it back: a pack
article that narrows a base one (no training on drawings or customer data, none on conversation
records, the re-evaluation of the customised system, answers to customers without a review of each)
says which article it prevails over, and the survival article lists it."""
import shutil

import pytest

from conftest import articles_text
from test_packs_coherence import USECASES, article, build_draft, example, number, survivors_of, targets

LIA, RAG = "llm-internal-assistant", "rag-customer-support"


# -- llm-internal-assistant ---------------------------------------------------------------------

# Drawings and customer data never train the vendor's models, even where the learning-use article
# lets the vendor train on inputs the user designates: the pack article says it prevails.
@pytest.mark.parametrize("handling, name", [("not-input", "ai-service-ja.yaml"), ("safeguarded-input", "ai-service-en.yaml")])
def test_restricted_information_never_trains_notwithstanding_opt_in_learning(tmp_path, handling, name):
    data = example(LIA, name, **{"lia-restricted-handling": handling, "learning-use": "opt-in"})
    paragraphs, draft = build_draft(tmp_path, data)
    text = article(paragraphs, draft, "lia-restricted-data")
    learning = number(draft, "ai25-learning-use")
    said = f"{learning}の規定にかかわらず" if draft.lang == "ja" else f"Notwithstanding {learning}"
    assert any(said in p for p in text), text
    assert "ai25-learning-use" in targets(draft, "lia-restricted-data")
    assert "lia-restricted-data" in survivors_of(draft)       # no training on them after the end either


# With training prohibited anyway there is nothing to prevail over in the learning-use article, and
# the article does not pretend to; a restricted input made by mistake is still deleted at once,
# notwithstanding the retention period (but not when nothing is retained in the first place).
@pytest.mark.parametrize("retention", [{"mode": "limited", "days": 30}, {"mode": "none"}])
def test_restricted_information_under_a_training_ban_prevails_only_over_retention(tmp_path, retention):
    data = example(LIA, "ai-service-ja.yaml", retention=retention)
    assert data["answers"]["learning-use"] == "prohibited"
    paragraphs, draft = build_draft(tmp_path, data)
    text = article(paragraphs, draft, "lia-restricted-data")
    assert not any(f"{number(draft, 'ai25-learning-use')}の規定にかかわらず" in p for p in text), text
    assert any("制限情報をインプットとしてはならず" in p for p in text), text
    deleted = f"自ら保持しているときは、{number(draft, 'ai25-retention')}の規定にかかわらず、遅滞なく"
    assert any(deleted in p for p in text) == (retention["mode"] != "none"), text
    assert any("復元することができない方法により消去し" in p for p in text), text
    assert not any("学習" in p for p in text), text      # the learning-use article says it already, for every input


# Where the learning-use article already forbids training on every input, the restricted-information
# article does not say it again for some (an a-contrario reading would follow), and its report covers
# the one measure left; where training is allowed on some inputs, it keeps the ban, prevailing.
@pytest.mark.parametrize("learning", ["prohibited", "opt-in"])
@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml"])
def test_restricted_information_repeats_the_training_ban_only_where_training_is_allowed(tmp_path, name, learning):
    data = example(LIA, name, **{"lia-restricted-handling": "safeguarded-input", "learning-use": learning})
    paragraphs, draft = build_draft(tmp_path, data)
    text = article(paragraphs, draft, "lia-restricted-data")
    banned = any(("学習" if draft.lang == "ja" else "train") in p for p in text)
    assert banned == (learning != "prohibited"), text
    assert len(text) == (4 if banned else 3), text
    report = text[-1]
    if draft.lang == "ja":
        assert ("前二項に定める措置" if banned else "前項に定める措置") in report, report
    else:
        assert ("the preceding two paragraphs are" if banned else "the preceding paragraph are") in report, report


# The vendor's staff view restricted inputs only to remedy a fault, and only as the user consented.
def test_the_vendors_staff_view_restricted_inputs_only_as_the_user_consented(tmp_path):
    paragraphs, draft = build_draft(tmp_path, example(LIA, "ai-service-en.yaml"))
    text = article(paragraphs, draft, "lia-restricted-data")
    said = ("shall not let its officers or employees view their content, except to the extent unavoidable to remedy a "
            "fault of the AI Service and only as User has consented in writing (specifying who may view them, what and "
            "for how long).")
    assert any(p.endswith(said) for p in text), text


# The declaration is live: without its `overrides`, the restricted-information article contradicts a
# learning-use article that allows training, and the build refuses it, naming both articles.
def test_the_restricted_information_article_without_its_precedence_is_refused(tmp_path):
    from contractkit.errors import BuildError, UserError
    from contractkit.library import load_library
    pack = tmp_path / LIA
    shutil.copytree(USECASES / LIA, pack)
    clause = pack / "clauses" / "lia-restricted-data.yaml"
    text = clause.read_text(encoding="utf-8")
    assert text.count("    overrides: [ai25-learning-use]\n") == 1
    clause.write_text(text.replace("    overrides: [ai25-learning-use]\n", ""), encoding="utf-8")
    library = load_library(packs=[pack])
    data = example(LIA, "ai-service-en.yaml", **{"learning-use": "allowed"})
    with pytest.raises((UserError, BuildError)) as caught:
        build_draft(tmp_path, data, library=library)
    message = str(caught.value) + " ".join(str(p) for p in getattr(caught.value, "lines", None) or [])
    assert "contradict" in message and "'lia-restricted-data'" in message and "'ai25-learning-use'" in message, message


# The staff check of outputs adds to the checklist's review, or prevails over an answer that leaves
# the review to the user.
@pytest.mark.parametrize("review, said_ja, said_en", [(True, "に定める確認のほか", "In addition to the review under"),
                                                      (False, "の規定にかかわらず", "Notwithstanding")])
@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml"])
def test_staff_check_of_outputs_adds_to_or_prevails_over_the_review_article(tmp_path, name, review, said_ja, said_en):
    paragraphs, draft = build_draft(tmp_path, example(LIA, name, **{"human-review": review}))
    text = article(paragraphs, draft, "lia-output-review")
    said = (f"{number(draft, 'ai25-human-review')}{said_ja}" if draft.lang == "ja"
            else f"{said_en} {number(draft, 'ai25-human-review')}")
    assert any(said in p for p in text), text


# Unchecked internal reference use leaves alone what the review article requires to be reviewed
# (decisions affecting individuals), not only the uses the staff check covers.
@pytest.mark.parametrize("review", [True, False])
@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml"])
def test_unchecked_internal_use_excepts_the_review_articles_first_paragraph(tmp_path, name, review):
    data = example(LIA, name, **{"human-review": review, "lia-review-scope": "before-external-use"})
    paragraphs, draft = build_draft(tmp_path, data)
    last = article(paragraphs, draft, "lia-output-review")[-1]
    n = number(draft, "ai25-human-review")
    if draft.lang == "ja":
        said = f"{n}第１項に定める場合及び前項に定める場合を除き、" if review else "前項に定める場合を除き、"
    else:
        said = (f"Except as provided in paragraph 1 of {n} and in the preceding paragraph, " if review
                else "Except as provided in the preceding paragraph, ")
    assert last.startswith(said), last
    assert "ai25-human-review" in targets(draft, "lia-output-review")


# An addendum to the vendor's standard terms has no article on providing the service: the staff
# article then says itself that the user answers for its staff.
def test_staff_article_in_an_addendum_keeps_the_users_responsibility_for_its_staff(tmp_path):
    data = example(LIA, "ai-service-ja.yaml", **{"service-form": "addendum",
                                                 "standard-terms": {"name": "アクメ生成AIサービス利用規約", "version": "2027年1月1日版"}})
    paragraphs, draft = build_draft(tmp_path, data)
    assert "svc-service" not in [a.clause_id for a in draft.articles]
    text = article(paragraphs, draft, "lia-staff-use")
    assert any("利用従業員による本件サービスの利用について、自らの利用と同様に" in p for p in text), text


# The staff who use the service are one defined term: the pack's 利用従業員 / Staff Users, which the
# article on providing the service and the usage logs use too (the pack rewords the type's words),
# and no second term 利用者 / Authorised Users is defined beside it.
@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml"])
def test_the_staff_users_are_defined_once_and_named_alike_throughout(tmp_path, name):
    paragraphs, draft = build_draft(tmp_path, example(LIA, name))
    text = "\n".join(paragraphs)
    service = "\n".join(article(paragraphs, draft, "svc-service"))
    logs = "\n".join(article(paragraphs, draft, "ai25-retention"))
    if draft.lang == "ja":
        assert text.count("「利用従業員」") == 1 and "「利用従業員」とは" in text, text
        assert "「利用者」" not in text and "利用者" not in service + logs, service + logs
        assert "甲は、本目的の範囲内で、利用従業員に本件サービスを利用させることができる。" in service, service
        assert "利用従業員以外の者に利用させてはならない" in service, service
        assert "利用の日時、利用従業員、処理の量" in logs, logs
    else:
        assert text.count("“Staff Users”") == 1 and "“Staff Users” means" in text, text
        assert "Authorised User" not in text, text
        assert "User may have Staff Users use the AI Service within the Purpose." in service, service
        assert "anyone other than the Staff Users use them" in service, service


# A pack may reword only the words its contract types declare: any other is refused at its place in
# pack.yaml, with the words the type declares.
def test_a_pack_rewording_a_word_the_type_does_not_declare_is_refused_with_its_place_and_the_words(tmp_path):
    from contractkit.errors import UserError
    from contractkit.library import load_library
    pack = tmp_path / LIA
    shutil.copytree(USECASES / LIA, pack)
    pack_file = pack / "pack.yaml"
    text = pack_file.read_text(encoding="utf-8")
    assert text.count("\n  authorised_users: {") == 1
    pack_file.write_text(text.replace("\n  authorised_users: {", "\n  authorized_users: {"), encoding="utf-8")
    line = next(i + 1 for i, l in enumerate(pack_file.read_text(encoding="utf-8").splitlines()) if l.startswith("  authorized_users:"))
    with pytest.raises(UserError) as caught:
        load_library(packs=[pack])
    message = " ".join([str(caught.value), *map(str, caught.value.problems or [])])
    assert f"pack.yaml:{line}:3: 'authorized_users' is not a word ai-service declares" in message, message
    assert "(did you mean 'authorised_users'?)" in message and "valid: " in message, message
    valid = message.split("valid: ")[1].split(", ")
    assert {"the_system", "authorised_users", "authorised_users_defined"} <= {v.strip() for v in valid}, message


# -- rag-customer-support -----------------------------------------------------------------------

# The conversation records (consumers' personal data) train nothing. The article prevails over an
# article that would allow it (learning use on designated data or freely; personal data received as
# a third party's, for the vendor's own purposes) and adds to one that forbids it already.
@pytest.mark.parametrize("learning, role, prevails, adds", [
    ("prohibited", "entrustment", [], ["ai25-learning-use", "ai25-personal-data"]),
    ("opt-in", "entrustment", ["ai25-learning-use"], ["ai25-personal-data"]),
    ("allowed", "third-party-provision", ["ai25-learning-use", "ai25-personal-data"], [])])
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_conversation_records_never_train_notwithstanding_learning_use_and_personal_data(tmp_path, name, learning, role,
                                                                                       prevails, adds):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name, **{"learning-use": learning, "appi-role": role}))
    text = article(paragraphs, draft, "rag-conversation-logs")
    ban = next(p for p in text if "ベースモデルその他" in p or "the Base Model or any" in p)
    if draft.lang == "ja":
        said = (f"{articles_text(draft, *adds)}に定めるほか、" if adds else "") + \
               (f"{articles_text(draft, *prevails)}の規定にかかわらず、" if prevails else "")
        assert ban.startswith("乙は、" + said + "会話記録"), ban
    else:
        said = (f"In addition to {articles_text(draft, *adds)}" + (f" and notwithstanding {articles_text(draft, *prevails)}"
                                                                    if prevails else "") if adds
                else f"Notwithstanding {articles_text(draft, *prevails)}")
        assert ban.startswith(said + ", Vendor shall not use the Conversation Records"), ban
    assert {"ai25-learning-use", "ai25-personal-data", "ai25-retention"} <= targets(draft, "rag-conversation-logs")
    assert "rag-conversation-logs" in survivors_of(draft)


# Improving this system with masked records is what the learning-use article forbids unless it
# allows training freely: the permission says it prevails over that article (and not otherwise).
@pytest.mark.parametrize("learning, role", [("prohibited", "entrustment"), ("opt-in", "entrustment"),
                                            ("allowed", "third-party-provision")])
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_masked_records_improve_this_system_notwithstanding_the_learning_use_article(tmp_path, name, learning, role):
    data = example(RAG, name, **{"learning-use": learning, "appi-role": role, "rag-log-use": "masked-improvement"})
    paragraphs, draft = build_draft(tmp_path, data)
    permission = article(paragraphs, draft, "rag-conversation-logs")[1]
    n = number(draft, "ai25-learning-use")
    said = (f"乙は、{n}の規定にかかわらず、会話記録から" if draft.lang == "ja"
            else f"Notwithstanding {n}, Vendor may use Conversation Records")
    plain = "乙は、会話記録から" if draft.lang == "ja" else "Vendor may use Conversation Records"
    assert permission.startswith(said if learning != "allowed" else plain), permission


# The reference documents are not a second document set beside the Subject Data: they are Subject
# Data, and those the retailer adds or changes later are deemed so, so the articles protecting the
# Subject Data cover every document the system searches.
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_the_reference_documents_are_subject_data_those_added_later_too(tmp_path, name):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name))
    n = number(draft, "data-scope")
    if draft.lang == "ja":
        definition = next(p for p in paragraphs if p.startswith("「参照文書」とは、"))
        assert definition.startswith("「参照文書」とは、本データのうち、"), definition
        assert f"追加され、又は変更された文書は、{n}に定める本データに含まれるものとみなす。）をいう。" in definition, definition
    else:
        definition = next(p for p in paragraphs if p.startswith("“Reference Documents” means "))
        assert definition.startswith("“Reference Documents” means the documents in the Subject Data that User provides"), definition
        assert f"(documents so added or changed being deemed part of the Subject Data described in {n})" in definition, definition
    assert "data-scope" in targets(draft, "definitions")


# Now that the reference documents are Subject Data, the operation article's agreed timing for
# bringing changed Subject Data into the search would meet the answers article's five business days
# for the same documents: the answers article says it prevails.
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_changed_reference_documents_are_searched_within_five_business_days_notwithstanding_operation(tmp_path, name):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name))
    last = article(paragraphs, draft, "rag-answers")[-1]
    n = number(draft, "cust-operation")
    said = (f"乙は、{n}の規定にかかわらず、当該通知を受けた日から5営業日以内に" if draft.lang == "ja"
            else f"Notwithstanding {n}, Vendor shall reflect the notified changes in what the Customised System searches within five business days")
    assert said in last, last


# Masked records stay for the term even where the retention article keeps nothing beyond processing.
def test_masked_records_are_kept_for_the_term_notwithstanding_no_retention(tmp_path):
    data = example(RAG, "ai-customization-en.yaml", **{"retention": {"mode": "none"}})
    assert data["answers"]["rag-log-use"] == "masked-improvement"
    paragraphs, draft = build_draft(tmp_path, data)
    text = article(paragraphs, draft, "rag-conversation-logs")
    said = f"Notwithstanding {number(draft, 'ai25-retention')}, Vendor may keep the Masked Records during the term"
    assert any(said in p for p in text), text


# Answers go to customers without a review of each only because the article says it prevails over the
# review article; with no review required it says nothing of the kind.
@pytest.mark.parametrize("review", [True, False])
def test_answers_to_customers_and_the_review_article(tmp_path, review):
    paragraphs, draft = build_draft(tmp_path, example(RAG, "ai-customization-ja.yaml", **{"human-review": review}))
    text = article(paragraphs, draft, "rag-answers")
    said = f"{number(draft, 'ai25-human-review')}の規定にかかわらず、本件システムが本顧客の問合せに対して生成する回答"
    assert any(said in p for p in text) == review, text
    assert any("返品又は返金の可否その他本顧客の権利利益に影響を及ぼす判断は、顧客対応担当者が行う" in p for p in text) == review


# The re-evaluation of the customised system on a base-model change is this article's alone: the
# model changes article's own re-evaluation paragraph does not stand beside it (the pack empties the
# type's word that keeps it), and this article adds to that article, whichever mode of change the
# parties chose; where the vendor may change the model freely, not applying a failed change prevails.
@pytest.mark.parametrize("reevaluation", ["before-switch", "after-switch"])
@pytest.mark.parametrize("mode", ["free", "notice", "consent"])
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_base_model_re_evaluation_prevails_over_the_model_changes_article(tmp_path, name, mode, reevaluation):
    changes = {"mode": mode, "notice_days": 30} if mode == "notice" else {"mode": mode}
    data = example(RAG, name, **{"model-changes": changes, "rag-reevaluation": reevaluation})
    paragraphs, draft = build_draft(tmp_path, data)
    text = article(paragraphs, draft, "rag-model-change")
    changes_text = "\n".join(article(paragraphs, draft, "ai25-model-changes"))
    n = number(draft, "ai25-model-changes")
    if draft.lang == "ja":
        assert text[0] == f"ベースモデルの変更については、{n}に定めるもののほか、本条の定めるところによる。", text
        assert "再評価" not in changes_text and "性能の回復" not in changes_text, changes_text
        refuse = f"乙は、{n}の規定にかかわらず、ベースモデルの変更を適用してはならず"
    else:
        assert text[0] == f"In addition to {n}, changes of the Base Model are governed by this Article.", text
        assert "re-evaluat" not in changes_text and "restore the performance" not in changes_text, changes_text
        refuse = f"notwithstanding {n}, Vendor shall not apply the Base Model Change"
    assert any(refuse in p for p in text) == (mode == "free" and reevaluation == "before-switch"), text


# Without the pack the customisation's model changes article keeps its own re-evaluation paragraph.
@pytest.mark.parametrize("name, said", [("ai-customization-ja.yaml", "変更後のベースモデルを用いた本件システムの性能（アウトプットの精度を含む。）を再評価し"),
                                        ("ai-customization-en.yaml", "re-evaluate the performance of the Customised System running on the changed Base Model")])
def test_without_the_pack_the_model_changes_article_re_evaluates_the_customised_system(tmp_path, name, said):
    from conftest import ROOT
    from ruamel.yaml import YAML
    data = YAML(typ="safe").load((ROOT / "examples" / name).read_text(encoding="utf-8"))
    assert "usecase" not in data
    from conftest import assemble_dict, dump_yaml
    from contractkit.build import build
    from contractkit.library import load_library
    (tmp_path / "answers.yaml").write_text(dump_yaml(data), encoding="utf-8")
    result = build(tmp_path / "answers.yaml", tmp_path / "draft.docx", force=True)
    import docx
    paragraphs = [p.text for p in docx.Document(str(result.output)).paragraphs]
    text = article(paragraphs, assemble_dict(load_library(), data), "ai25-model-changes")
    assert any(said in p for p in text), text


# Under a quasi-mandate the vendor owes its efforts, not a result: restoring the accuracy after a
# base-model change is measures continued at the vendor's cost until it is back, said to prevail over
# the article on the nature of the work; under a contract for work it is a result, and the baseline
# is the accuracy at acceptance instead of at the confirmation of the end of the work.
@pytest.mark.parametrize("nature", ["quasi-mandate", "contract-for-work"])
def test_restoring_the_accuracy_after_a_base_model_change_follows_the_nature_of_the_work(tmp_path, nature):
    data = example(RAG, "ai-customization-ja.yaml", **{"contract-nature": nature, "rag-reevaluation": "after-switch"})
    paragraphs, draft = build_draft(tmp_path, data)
    text = "\n".join(article(paragraphs, draft, "rag-model-change"))
    if nature == "quasi-mandate":
        assert "基準正答率以上に回復し、引き継ぐべき問合せが引き継がれるよう努めなければならない" in text, text
        assert f"{number(draft, 'contract-nature')}の規定にかかわらず、その結果が得られるまで" in text
        assert "「基準正答率」とは、乙が業務終了報告書に記載した、評価用質問集を用いた本業務の終了時の評価による正答の割合" in "\n".join(paragraphs)
    else:
        assert "基準正答率以上に回復させ、引き継ぐべき問合せが引き継がれるようにしなければならない" in text, text
        assert "「基準正答率」とは、本件システムの検収の時に" in "\n".join(paragraphs)


# The answers' design requirements are specifications the vendor must meet (checked on the evaluation
# question set), not a warranty of each answer, which stays with the performance article.
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_the_answer_requirements_are_specifications_not_a_warranty_of_each_answer(tmp_path, name):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name))
    text = "\n".join(article(paragraphs, draft, "rag-answers"))
    performance = number(draft, "ai25-performance")
    assert (f"ただし、個々の回答の正確性については、{performance}の定めるところによる。" in text if draft.lang == "ja"
            else f"the accuracy of each individual answer, however, is governed by {performance}." in text), text


# The baseline the re-evaluation measures against is fixed by an evaluation the contract requires:
# under a quasi-mandate the completion report states it, under a contract for work the vendor
# reports it on delivery, for the inspection.
@pytest.mark.parametrize("nature", ["quasi-mandate", "contract-for-work"])
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_the_end_of_work_evaluation_that_fixes_the_baseline_is_required(tmp_path, name, nature):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name, **{"contract-nature": nature}))
    text = article(paragraphs, draft, "rag-answers")
    n = number(draft, "completion")
    if draft.lang == "ja":
        said = (f"乙は、{n}の定めるところにより本成果物を納入するに当たり、評価用質問集を用いて本件システムの回答を評価し、"
                "その結果（正答の割合及び顧客対応担当者に引き継ぐべき問合せが引き継がれたか否かを含む。）を書面により甲に報告しなければならない。"
                if nature == "contract-for-work" else
                f"乙は、{n}に定める業務終了報告書を作成するに当たり、評価用質問集を用いて本件システムの回答を評価し、"
                "その結果（正答の割合及び顧客対応担当者に引き継ぐべき問合せが引き継がれたか否かを含む。）を業務終了報告書に記載しなければならない。")
    else:
        said = ((f"On delivering the Deliverables under {n}, Vendor shall evaluate the answers of the Customised System using the "
                 "Evaluation Question Set and report the results to User in writing, ") if nature == "contract-for-work" else
                (f"In preparing the completion report under {n}, Vendor shall evaluate the answers of the Customised System using "
                 "the Evaluation Question Set and state the results in that report, ")) + \
               "including the rate of correct answers and whether every enquiry that is to be handed over to Support Staff was handed over."
    assert said in text, text
    assert "completion" in targets(draft, "rag-answers")


# Grounded answers are what the system is designed and built to give (a specification, confirmed on
# the evaluation question set), not a result promised for every answer.
@pytest.mark.parametrize("escalation", ["grounded-or-escalate", "customer-request"])
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_grounded_answers_are_a_design_the_vendor_builds_to(tmp_path, name, escalation):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name, **{"rag-escalation": escalation}))
    first = article(paragraphs, draft, "rag-answers")[0]
    if draft.lang == "ja":
        assert first.startswith("乙は、本件システムを、参照文書に") and first.endswith("よう設計し、構築しなければならない。"), first
        assert "本件システムが、参照文書に" not in first
    else:
        assert first.startswith("Vendor shall design and build the Customised System to generate "), first


# -- both packs ---------------------------------------------------------------------------------

# Every fallback the memo offers, from either side, for the pack's points and the core's, is an
# answer the pack builds: no option it proposes contradicts the pack's articles.
@pytest.mark.parametrize("pack, name", [(LIA, "ai-service-ja.yaml"), (LIA, "ai-service-en.yaml"),
                                        (RAG, "ai-customization-ja.yaml"), (RAG, "ai-customization-en.yaml")])
def test_every_memo_fallback_of_a_pack_example_builds(pack, name):
    from conftest import resolve_dict
    from contractkit.assemble import assemble
    from contractkit.library import load_library
    from contractkit.memo import memo_rows
    from contractkit.packs import find_packs
    from ruamel.yaml import YAML
    library = load_library(packs=[find_packs()[pack]])
    answers = example(pack, name)
    pack_points = {p["id"] for f in (USECASES / pack / "clauses").glob("*.yaml")
                   for p in YAML(typ="safe").load(f.read_text(encoding="utf-8")).get("points") or []}
    offered_by_pack = 0
    for perspective in [None, "user", "vendor"]:
        answers["perspective"] = perspective
        resolved = resolve_dict(library, answers)
        for row in memo_rows(library, resolved, assemble(library, resolved)):
            if "fallback_answer" not in row:
                continue
            point_id, field, option = row["fallback_answer"]
            offered_by_pack += point_id in pack_points
            changed = {**answers, "answers": dict(answers["answers"])}
            current = resolved.values[point_id]
            changed["answers"][point_id] = {**current, field: option} if field else option
            if field:
                changed["answers"][point_id] = {k: v for k, v in changed["answers"][point_id].items() if v is not None}
            try:
                assemble(library, resolve_dict(library, changed))
            except Exception as exc:
                if "is not answered" not in str(exc) + str(getattr(exc, "problems", "")):
                    raise AssertionError(f"{name} ({perspective}): the fallback {point_id} → {option} does not build: {exc} "
                                         f"{getattr(exc, 'problems', '')}")
    assert offered_by_pack


# The packs are offered for their contract types, and `packs show` says what each adds.
def test_packs_list_and_show_name_the_2025_packs():
    from test_packs import run
    listed = run("packs", "list").stdout
    assert any(line.split()[:2] == [LIA, "ai-service"] for line in listed.splitlines()), listed
    assert any(line.split()[:2] == [RAG, "ai-customization"] for line in listed.splitlines()), listed
    shown = run("packs", "show", LIA, "--ui", "ja").stdout
    assert "lia-restricted-handling: 設計図面及び顧客情報を本件サービスに入力してよいか" in shown, shown
    assert "learning-use: " in shown and "制限情報" in shown, shown
    shown = run("packs", "show", RAG, "--ui", "en").stdout
    assert "rag-escalation: Which enquiries does the system hand over to a human instead of answering?" in shown, shown
    assert "Conversation Records" in shown and "processing-results" in shown, shown


# The assistant runs for the rest of a 24-month term after a five-month build: its running has a
# monthly fee of its own beside the build fee, service levels (committed, credited from that fee, on
# the user's side; targets on the vendor's), a cap that counts both fees, and a hand-over at the end.
@pytest.mark.parametrize("name", ["ai-customization-ja.yaml", "ai-customization-en.yaml"])
def test_the_operation_phase_has_its_fee_and_service_levels(tmp_path, name):
    paragraphs, draft = build_draft(tmp_path, example(RAG, name))
    ja = draft.lang == "ja"
    operation_fee = article(paragraphs, draft, "cust-operation-fee")
    levels = article(paragraphs, draft, "svc-service-level")
    operation = article(paragraphs, draft, "cust-operation")
    fee, op_fee, results = number(draft, "fee"), number(draft, "cust-operation-fee"), number(draft, "cust-processing-results")
    assert (f"{fee}に定める本業務の対価とは別に、運用期間の各暦月につき金350,000円" if ja
            else f"in addition to the consideration for the Work under {fee}, JPY 350,000 for each calendar month of the Operation Period") in operation_fee[0]
    if ja:
        assert any(f"{op_fee}に定める運用料のうち当該暦月に係る額の10%に相当する額を、翌月以降の運用料から減額する" in p for p in levels), levels
        assert any("毎週火曜日の午前2時から午前5時まで" in p for p in levels)
    else:
        assert levels[0].startswith("Vendor shall set and show User target levels for the availability of the Customised System")
    assert any((f"{results}の定めるところによる処理成果の引渡しに併せて" if ja else f"handing over the Processing Results under {results}") in p
               for p in operation), operation
    cap = " ".join(article(paragraphs, draft, "liability"))
    assert (f"{fee}及び{op_fee}に定める対価の総額" if ja else f"Articles {fee.split()[1]} and {op_fee.split()[1]}") in cap
    assert "cust-operation-fee" in survivors_of(draft)          # unpaid operation fees are owed after the end


# `packs show` lists the contract types' words a pack rewords for its drafts (`words:`), in the UI's language.
def test_packs_show_lists_the_words_a_pack_rewords():
    from test_packs import run
    shown = run("packs", "show", LIA, "--ui", "ja").stdout.splitlines()
    at = shown.index("言い換える語（words）:")
    assert shown[at + 1:at + 3] == ["  authorised_users: 利用従業員", "  authorised_users_defined: 利用従業員"], shown
    shown = run("packs", "show", LIA, "--ui", "en").stdout.splitlines()
    at = shown.index("Words it rewords (words):")
    assert shown[at + 1:at + 3] == ["  authorised_users: Staff Users", "  authorised_users_defined: Staff Users"], shown
    shown = run("packs", "show", RAG, "--ui", "en").stdout.splitlines()
    assert "  reevaluated_system: (empty)" in shown, shown
