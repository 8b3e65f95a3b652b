"""Issue 12: the articles the PoC, development and assessment drafts lacked — subcontracting, the
contract-for-work regime (acceptance, non-conformity), the fee on an early end, the form of
delivery, the assessment and its report — each built into a real draft and read back, ja and en."""
import copy

import docx
import pytest

from conftest import LEFTOVERS, load_example, resolve_dict, write_answers


def build_draft(library, tmp_path, answers, name="draft.docx"):
    """Build the answers into a .docx and read it back: [(number, heading, [paragraphs])]."""
    from contractkit.build import build
    out = tmp_path / name
    if out.exists():
        out.unlink()
    build(write_answers(tmp_path, answers), out, library=library)
    articles = []
    for p in docx.Document(str(out)).paragraphs:
        if p.style.name == "CK Article Heading":
            articles.append((len(articles) + 1, p.text.strip("（）"), []))
        elif articles and p.text.strip() and p.style.name.startswith("CK Item") or \
                articles and p.text.strip() and p.style.name.startswith("CK Paragraph"):
            articles[-1][2].append(p.text)
    full = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert not LEFTOVERS.search(full), LEFTOVERS.search(full)
    return articles


def text_of(articles, heading):
    found = [a for a in articles if a[1] == heading]
    assert found, (heading, [a[1] for a in articles])
    return "\n".join(found[0][2])


def number_of(articles, heading, lang):
    n = next(a[0] for a in articles if a[1] == heading)
    return f"第{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" if lang == "ja" else f"Article {n}"


def example(name, **answers):
    data = copy.deepcopy(load_example(name))
    data["answers"].update(answers)
    return data


# ---- subcontracting -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ai-poc-ja.yaml", "ai-development-ja.yaml"])
def test_subcontracting_needs_consent_or_notice_and_the_vendor_answers_for_subcontractors_ja(library, tmp_path, name):
    consent = build_draft(library, tmp_path, example(name, subcontracting="prior-consent"))
    text = text_of(consent, "再委託")
    assert "あらかじめ甲の書面による承諾を得た場合に限り、本業務の一部を第三者（以下「再委託先」という。）に再委託することができる" in text
    assert f"{number_of(consent, '秘密保持', 'ja')}の規定にかかわらず" in text
    assert "自らの行為と同様に甲に対して責任を負う" in text
    assert "14日前" not in text
    notice = build_draft(library, tmp_path, example(name, subcontracting="prior-notice"))
    text = text_of(notice, "再委託")
    assert "再委託を開始する日の14日前までに" in text and "10日以内に、その理由を示して書面により異議を述べることができる" in text
    assert "承諾を得た場合に限り" not in text
    assert "自らの行為と同様に甲に対して責任を負う" in text


@pytest.mark.parametrize("name", ["ai-poc-en.yaml", "ai-development-en.yaml"])
def test_subcontracting_in_english(library, tmp_path, name):
    consent = text_of(build_draft(library, tmp_path, example(name, subcontracting="prior-consent")), "Subcontracting")
    assert "only with User's prior written consent" in consent and "as for its own acts" in consent
    assert "“Subcontractor”" in consent
    notice = text_of(build_draft(library, tmp_path, example(name, subcontracting="prior-notice")), "Subcontracting")
    assert "at least 14 days before the subcontracting begins" in notice and "prior written consent" not in notice


def test_personal_information_never_goes_to_a_subcontractor(library, tmp_path):
    text = text_of(build_draft(library, tmp_path, example("ai-poc-ja.yaml", **{"personal-data": "included"})), "再委託")
    assert "本データのうち個人情報を含む部分を再委託先に開示してはならない" in text
    text = text_of(build_draft(library, tmp_path, example("ai-poc-ja.yaml", **{"personal-data": "none"})), "再委託")
    assert "個人情報" not in text


# ---- contract for work: acceptance and non-conformity ------------------------------------------

def test_a_contract_for_work_development_has_acceptance_and_a_real_non_conformity_regime(library, tmp_path):
    arts = build_draft(library, tmp_path, example("ai-development-ja.yaml", **{"contract-nature": "contract-for-work"}))
    headings = [a[1] for a in arts]
    assert "検収" in headings and "業務の終了確認" not in headings
    acceptance = number_of(arts, "検収", "ja")
    nc = text_of(arts, "契約不適合責任")
    for remedy in ["本成果物の修補（学習済みモデルについては、再学習その他の方法による是正を含む。）を請求することができる",
                   f"{number_of(arts, '対価', 'ja')}に定める対価の減額を請求することができる",
                   "本契約の全部又は一部を解除することができる",
                   f"{number_of(arts, '損害賠償', 'ja')}の定めに従い",
                   f"{acceptance}に定める検収が完了した日から6か月以内に",
                   f"によって生じた損害の賠償については、{number_of(arts, '学習済みモデルの利用に関する責任', 'ja')}の定めるところによる"]:
        assert remedy in nc, remedy
    nature = text_of(arts, "本業務の性質")
    assert f"{number_of(arts, '契約不適合責任', 'ja')}に定めるところによる" in nature
    assert "利益の割合に応じて" not in nature          # the early-end fee has its own article now
    assert f"{acceptance}に定める検収を受けた後でなければ" in text_of(arts, "対価")
    survival = text_of(arts, "存続条項")
    assert number_of(arts, "契約不適合責任", "ja") in survival and number_of(arts, "中途終了時の対価", "ja") in survival


def test_non_conformity_from_discovery_and_without_a_fee_in_english(library, tmp_path):
    arts = build_draft(library, tmp_path, example("ai-poc-en.yaml", **{
        "contract-nature": "contract-for-work", "non-conformity": {"start": "discovery", "months": 12},
        "fee": {"model": "free"}, "liability": {"cap": "none"}}))
    nc = text_of(arts, "Non-Conformity")
    assert "within 12 months after it learns of the Non-Conformity" in nc
    assert "reduc" not in nc                       # nothing to reduce in a free engagement
    assert "Fee on Early End" not in [a[1] for a in arts]
    assert "Inspection and Acceptance" in [a[1] for a in arts]
    assert f"is set out in {number_of(arts, 'Non-Conformity', 'en')}" in text_of(arts, "Commissioning of the Work")


def test_a_quasi_mandate_has_no_non_conformity_article_and_no_such_question(library, tmp_path):
    arts = build_draft(library, tmp_path, example("ai-development-ja.yaml", **{"contract-nature": "quasi-mandate"}))
    assert "契約不適合責任" not in [a[1] for a in arts] and "業務の終了確認" in [a[1] for a in arts]
    assert "non-conformity" not in resolve_dict(library, example("ai-development-ja.yaml")).values


# ---- fee on an early end ---------------------------------------------------------------------

@pytest.mark.parametrize("nature", ["quasi-mandate", "contract-for-work"])
def test_early_end_pays_the_work_done_unless_the_vendor_is_at_fault(library, tmp_path, nature):
    arts = build_draft(library, tmp_path, example("ai-poc-ja.yaml", **{"contract-nature": nature}))
    text = text_of(arts, "中途終了時の対価")
    assert f"{number_of(arts, '解除', 'ja')}の規定による解除" in text
    assert "終了の日までに乙が遂行した本業務の割合に応じた額を支払う" in text
    assert "甲がその給付によって利益を受けるものに相当する額に限り" in text
    assert ("検収を待たずに" if nature == "contract-for-work" else "本業務の終了の確認を待たずに") in text
    arts = build_draft(library, tmp_path, example("ai-poc-ja.yaml", **{"contract-nature": nature, "early-end-fee": "pro-rata"}))
    text = text_of(arts, "中途終了時の対価")
    assert "前項の対価の支払を免れない" in text and "利益を受けるものに相当する額に限り" not in text


def test_early_end_under_a_time_charge_and_in_english(library, tmp_path):
    arts = build_draft(library, tmp_path, example("ai-development-en.yaml", fee={"model": "usage-based", "amount": "JPY 15,000 per hour"}))
    text = text_of(arts, "Fee on Early End")
    assert "for the hours that Vendor's personnel spent on the Work up to the end" in text
    assert "Notwithstanding the preceding paragraph, if this Agreement ends through Vendor's fault" in text


def test_no_early_end_article_under_a_revenue_share(library, tmp_path):
    data = example("ai-development-ja.yaml", fee={"model": "revenue-share", "amount": "3%"})
    data["answers"]["usage-conditions"] = {**data["answers"].get("usage-conditions", {}), "user": "any-purpose"}
    arts = build_draft(library, tmp_path, data)
    assert "中途終了時の対価" not in [a[1] for a in arts]
    assert "履行した割合に応じて" in text_of(arts, "本業務の性質")   # the nature article still says it


# ---- form of delivery --------------------------------------------------------------------------

def test_each_form_of_delivery_reads_in_the_draft_ja(library, tmp_path):
    base = {"work-scope": {**load_example("ai-development-ja.yaml")["answers"]["work-scope"],
                           "deliverables": ["report", "trained-model", "source-code", "documentation"]}}
    none = text_of(build_draft(library, tmp_path, example("ai-development-ja.yaml", **base, **{"delivery-form": []})), "本成果物の納入の形態")
    assert "学習済みモデル：両当事者が書面により合意する形式のもの" in none
    assert "交付を求めることはできない" not in none            # the model's form is simply left to agreement
    assert "電気通信回線を通じて送信する方法" in none and "報告書：PDF形式の電子ファイル" in none
    assert "ソースコード：ソースコードを記録した電子ファイル（ビルド及び実行の手順を記載した文書を添える。）" in none
    every = text_of(build_draft(library, tmp_path, example("ai-development-ja.yaml", **base, **{
        "delivery-form": ["weights", "inference-program", "environment-spec", "editable-documents", "physical-media"]})), "本成果物の納入の形態")
    assert "学習済みパラメータ（重み）を記録したファイル及びこれを読み込んで推論を行う実行形式のプログラム" in every
    assert "版並びに計算機の環境を記載した文書を添える" in every
    assert "報告書：編集可能な形式及びPDF形式の電子ファイル" in every and "電磁的記録媒体に記録して" in every
    assert "交付を求めることはできない" not in every
    program = text_of(build_draft(library, tmp_path, example("ai-development-ja.yaml", **base, **{"delivery-form": ["inference-program"]})), "本成果物の納入の形態")
    assert "学習済みパラメータを取り出すことのできない形式のものに限る" in program
    assert "学習済みモデルの学習済みパラメータ（重み）を記録したファイルの交付を求めることはできない" in program


def test_form_of_delivery_in_english_and_a_pilot_model(library, tmp_path):
    text = text_of(build_draft(library, tmp_path, example("ai-poc-en.yaml", **{
        "work-scope": {**load_example("ai-poc-en.yaml")["answers"]["work-scope"], "deliverables": ["report", "pilot-model"]},
        "delivery-form": ["weights"]})), "Form of Delivery of the Deliverables")
    assert "the report: electronic files in PDF; and" in text
    assert "the pilot model: a file recording its trained parameters (weights)." in text
    assert "may not require" not in text


def test_a_model_form_without_a_model_deliverable_is_refused_at_the_answer(library):
    from contractkit.errors import UserError
    data = example("ai-poc-ja.yaml", **{"delivery-form": ["editable-documents", "weights"],
                                         "work-scope": {**load_example("ai-poc-ja.yaml")["answers"]["work-scope"], "deliverables": ["report"]}})
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    message = "\n".join([caught.value.args[0], *(caught.value.problems or [])])
    assert "answers.yaml:" in message and "「weights」は、これらの回答の下では「delivery-form」に選べない" in message
    assert "学習済みモデル又はパイロットモデルが含まれていない" in message
    data["answers"]["delivery-form"] = ["editable-documents"]
    assert resolve_dict(library, data).values["delivery-form"] == ["editable-documents"]
    dev = example("ai-development-en.yaml", **{"work-scope": {**load_example("ai-development-en.yaml")["answers"]["work-scope"], "deliverables": ["report"]}})
    assert resolve_dict(library, dev).values["delivery-form"] == []   # the default needs nothing the deliverables lack


# ---- the assessment under the NDA ----------------------------------------------------------------

def test_a_free_assessment_has_a_report_the_user_may_keep_and_no_acceleration_of_debts(library, tmp_path):
    arts = build_draft(library, tmp_path, example("ai-nda-ja.yaml"))
    text = text_of(arts, "検討の実施及び報告書")
    assert "本検討は無償とし" in text and "本報告書に関する著作権は、乙に帰属する" in text
    assert f"{number_of(arts, '秘密情報の返還及び破棄', 'ja')}の規定にかかわらず、甲は、本契約の終了後も、本報告書を保持し" in text
    assert f"{number_of(arts, '次の段階への移行', 'ja')}に定めるところにより" in text
    assert "期限の利益" not in text_of(arts, "解除")
    assert number_of(arts, "検討の実施及び報告書", "ja") in text_of(arts, "存続条項")


def test_a_paid_assessment_in_english(library, tmp_path):
    data = example("ai-nda-en.yaml", **{"assessment-fee": {"model": "paid", "amount": "JPY 500,000"}})
    arts = build_draft(library, tmp_path, data)
    text = text_of(arts, "The Assessment and its Report")
    assert "User shall pay Vendor JPY 500,000 (exclusive of consumption tax) as consideration for the Assessment" in text
    assert "free of charge" not in text
    assert "shall immediately fall due" in text_of(arts, "Termination")
    unknown = example("ai-nda-en.yaml", **{"assessment-fee": {"model": "paid", "amount": None}})
    assert "[●]" in text_of(build_draft(library, tmp_path, unknown), "The Assessment and its Report")


def test_termination_keeps_the_acceleration_where_money_is_owed(library, tmp_path):
    assert "期限の利益" in text_of(build_draft(library, tmp_path, example("ai-poc-ja.yaml")), "解除")
    free = example("ai-poc-ja.yaml", fee={"model": "free"}, liability={"cap": "none"})
    free["answers"].pop("poc-fee-credit", None)
    assert "期限の利益" not in text_of(build_draft(library, tmp_path, free), "解除")


# ---- every new option in the other language too ------------------------------------------------

@pytest.mark.parametrize("lang,point,value,heading,expected", [
    ("en", "non-conformity", {"start": "acceptance", "months": 3}, "Non-Conformity", "within 3 months after the date of acceptance under Article"),
    ("ja", "non-conformity", {"start": "discovery", "months": 12}, "契約不適合責任", "契約不適合を知った時から12か月以内に"),
    ("en", "early-end-fee", "pro-rata", "Fee on Early End", "shall pay the consideration under the preceding paragraph even if this Agreement ends through Vendor's fault"),
    ("en", "delivery-form", ["inference-program", "environment-spec"], "Form of Delivery of the Deliverables",
     "an executable program incorporating it, in a form from which the trained parameters cannot be extracted, with a document listing the software"),
    ("en", "delivery-form", ["editable-documents", "physical-media"], "Form of Delivery of the Deliverables", "recorded on an electronic storage medium"),
    ("ja", "assessment-fee", {"model": "paid", "amount": "金50万円"}, "検討の実施及び報告書", "本検討の対価として、金50万円（消費税及び地方消費税を除く。）を支払う"),
    ("en", "assessment-fee", {"model": "free"}, "The Assessment and its Report", "The Assessment is free of charge"),
])
def test_each_new_option_reads_in_both_languages(library, tmp_path, lang, point, value, heading, expected):
    contract = "ai-nda" if point == "assessment-fee" else "ai-development"
    data = example(f"{contract}-{lang}.yaml", **{point: value})
    if point == "non-conformity":
        data["answers"]["contract-nature"] = "contract-for-work"
    assert expected in text_of(build_draft(library, tmp_path, data), heading)
