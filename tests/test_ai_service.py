"""ai-service (issue 15, METI's 2025 checklist, 利用型): a company uses a vendor's existing AI service
with its own inputs. Real drafts are built from the shipped examples and read back (docx), in
Japanese, English and side by side; the addendum form, the schedules, the staged path from an NDA
and the combinations of learning use and the APPI role that cannot stand together."""
import copy
import shutil

import docx
import pytest

from conftest import EXAMPLES, LEFTOVERS, article_text, assemble_dict, docx_text, in_both_languages, load_example, resolve_dict, write_answers
from contractkit.errors import UserError


def with_answers(example: str, **changes) -> dict:
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        if value is None:
            data["answers"].pop(key.replace("_", "-"), None)
        else:
            data["answers"][key.replace("_", "-")] = value
    return data


def build(tmp_path, data, name="draft"):
    from contractkit.build import build as run
    source = write_answers(tmp_path, data, f"{name}.yaml")
    result = run(source, tmp_path / f"{name}.docx")
    return result, docx.Document(str(result.output))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("CK Article")]


def ids(draft) -> list[str]:
    return [a.clause_id for a in draft.articles]


def refusal(library, data) -> str:
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    return "\n".join([str(caught.value), *(caught.value.problems or [])])


def test_japanese_agreement_has_every_article_and_its_schedules(tmp_path):
    result, document = build(tmp_path, load_example("ai-service-ja.yaml"))
    text = docx_text(result.output)
    assert document.paragraphs[0].text == "AIサービス利用契約書"
    for heading in ("（入力情報）", "（学習等への利用）", "（入力情報等の保存）", "（再委託）", "（処理及び保存の場所）",
                    "（個人データの取扱いの根拠）", "（安全管理措置）", "（事故への対応）", "（出力情報の利用）", "（出力情報の権利）",
                    "（出力情報の正確性）", "（人による確認）", "（禁止事項）", "（AIモデル及び本件サービスの変更）",
                    "（サービスレベル）", "（終了時の消去）", "（対価）", "（解除）", "（完全合意）"):
        assert heading in headings(document), heading
    assert not LEFTOVERS.search(text)
    # the answers, in the words of the draft
    assert "AIモデルの学習、調整、評価又は改善のために利用してはならず" in text
    assert "処理の時から30日間に限り保存することができる" in text
    assert "知った時から24時間以内に甲に通知しなければならない" in text
    assert "AIサービスにより生成されたものであることを表示するものとする" in text
    # the schedules: subprocessors, places, security measures, each referred to from its article
    tables = ["\n".join(c.text for row in t.rows for c in row.cells) for t in document.tables]
    assert any("ファウンデーションモデル株式会社" in t for t in tables)
    assert any("東京リージョン" in t for t in tables)
    assert any("ISO/IEC 27001" in t for t in tables)
    for n in ("別紙1に定める者（以下「再委託先」という。）に限り", "別紙2に定める国", "別紙3に定めるとおり"):
        assert n in text, n
    # defined terms: defined once, before the articles use them
    for term in ("「入力情報」とは", "「出力情報」とは", "「利用記録」とは", "（以下「再委託先」という。）"):
        assert term in text


def test_english_addendum_names_the_terms_prevails_and_leaves_the_rest_to_them(tmp_path):
    result, document = build(tmp_path, load_example("ai-service-en.yaml"))
    text = docx_text(result.output)
    assert document.paragraphs[0].text == "Addendum on the Use of the AI Service"
    assert "under Vendor's Acme Assistant Terms of Service (the version revised on October 1, 2026; the “Standard Terms”)" in text
    assert "Where this Agreement and the Standard Terms differ, this Agreement prevails." in text
    assert "no amendment contrary to this Agreement applies to User" in text
    found = headings(document)
    assert "Relation to the Standard Terms" in found
    for left_to_the_terms in ("Consideration", "Termination", "Entire Agreement", "Notices", "No Assignment"):
        assert left_to_the_terms not in found
    # the articles the answers change are all there
    for heading in ("Inputs", "Use for Training and Improvement", "Subprocessors", "Basis for Handling Personal Data",
                    "Security Measures", "Incidents", "Deletion at the End"):
        assert heading in found
    assert "only within that designation" in text            # learning-use: opt-in
    # the same answers as an agreement: the articles the terms would settle come back, the terms article goes
    agreement, document = build(tmp_path, with_answers("ai-service-en.yaml", service_form="agreement"), "agreement")
    found = headings(document)
    assert "Relation to the Standard Terms" not in found and "Consideration" in found and "Entire Agreement" in found
    assert document.paragraphs[0].text == "AI Service Agreement"


def test_side_by_side_draft_reads_in_both_columns(tmp_path):
    data = in_both_languages(load_example("ai-service-ja.yaml"), load_example("ai-service-en.yaml"))
    data["answers"]["service-form"] = "agreement"
    result, document = build(tmp_path, data, "bilingual")
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "（学習等への利用）" in cells and "Use for Training and Improvement" in cells
    assert "入力情報" in cells and "Inputs" in cells
    assert not LEFTOVERS.search(cells)


@pytest.mark.parametrize("learning", ["opt-out", "allowed"])
def test_learning_use_with_personal_data_cannot_be_entrustment(library, learning):
    data = with_answers("ai-service-ja.yaml", learning_use=learning)
    message = refusal(library, data)
    assert "appi-role" in message and "answers.yaml:" in message
    assert "委託先は個人データを自らの学習等に使えない" in message


def test_third_party_provision_says_it_prevails_over_the_personal_data_article(library):
    draft = assemble_dict(library, with_answers("ai-service-ja.yaml", learning_use="allowed", appi_role="third-party-provision"))
    personal = next(a.number for a in draft.articles if a.clause_id == "personal-data")
    full = str(personal).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert f"第{full}条の規定にかかわらず" in article_text(draft, "svc-appi")
    assert f"第{full}条の規定にかかわらず" in article_text(draft, "svc-learning-use")


def test_without_personal_data_there_is_no_appi_article(library):
    draft = assemble_dict(library, with_answers("ai-service-ja.yaml", personal_data="none", learning_use="allowed",
                                                appi_role=None))
    assert "svc-appi" not in ids(draft) and "personal-data" not in ids(draft)


@pytest.mark.parametrize("option", ["prohibited", "opt-in", "opt-out", "allowed"])
def test_each_learning_use_option_changes_the_article(library, option):
    answers = {"learning_use": option}
    if option in ("opt-out", "allowed"):
        answers["appi_role"] = "third-party-provision"
    draft = assemble_dict(library, with_answers("ai-service-en.yaml", **answers))
    text = article_text(draft, "svc-learning-use")
    expected = {"prohibited": "shall not use the Inputs, the Service Outputs or the Usage Logs",
                "opt-in": "that User designates in writing",
                "opt-out": "stop all or part of the use",
                "allowed": "and Vendor's other AI models"}[option]
    assert expected in text
    end = article_text(draft, "svc-deletion")
    assert ("results of Training Use" in end) == (option != "prohibited")


def test_subprocessors_prohibited_on_own_facilities_and_no_schedule(library):
    draft = assemble_dict(library, with_answers("ai-service-ja.yaml", subprocessors="prohibited"))
    assert "自らの設備のみにより提供する" in article_text(draft, "svc-subprocessors")
    assert "ファウンデーションモデル株式会社" not in "\n".join(str(s) for s in getattr(draft, "schedules", []))


def test_ai_service_follows_an_nda(tmp_path):
    shutil.copy(EXAMPLES / "staged-ja" / "1-nda.yaml", tmp_path / "1-nda.yaml")
    nda = load_example("staged-ja/1-nda.yaml")
    (tmp_path / "2-service.yaml").write_text(
        "contract: ai-service\nfrom: 1-nda.yaml\nanswers:\n"
        "  input-scope: {kinds: [prompts, files], description: 保守記録の要約を求める指示文及び保守記録}\n"
        "  fee: {model: fixed, amount: 月額金30万円}\n", encoding="utf-8")
    from contractkit.build import build as run
    result = run(tmp_path / "2-service.yaml", tmp_path / "2-service.docx")
    text = docx_text(result.output)
    assert nda["parties"][0]["name"] in text and nda["parties"][1]["name"] in text
    assert nda["answers"]["purpose"] in text
    assert "（学習等への利用）" in text
