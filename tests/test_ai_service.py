"""The ai-service contract type (issue 15, METI's 2025 checklist): a company uses a vendor's
existing AI service with its own inputs. Real drafts are built from the examples and read back
from Word: every article a practitioner expects is there in the checklist's order; an addendum
names the vendor's standard terms, prevails over them and leaves out what they already say;
answers whose articles would contradict each other (learning use, retention, personal data) are
refused at the answer, with both articles named."""
import copy
import os
import subprocess
import sys
import re

import docx
import pytest
from lxml import etree

from conftest import (EXAMPLES, LEFTOVERS, article_number, article_text, articles_text, assemble_dict, dump_yaml, docx_articles, docx_text, docx_xml, example_with,
                      in_both_languages, load_example, resolve_dict, schedule_references, write_answers)
from contractkit.build import build
from contractkit.errors import UserError

EXPECTED_JA = ["目的", "定義", "本件サービスの提供", "インプット", "学習その他の改善への利用", "インプット等の保持及び消去",
               "処理委託先", "処理及び保存の場所", "インプット及びアウトプットの秘密保持", "アウトプットの利用",
               "アウトプットに関する権利", "個人情報の取扱い", "安全管理措置及び事故への対応", "禁止事項", "アウトプットの確認",
               "アウトプットの正確性及び性能", "第三者の権利の侵害", "AIモデル等の変更", "サービスレベル", "対価", "損害賠償",
               "秘密保持", "有効期間", "解除", "存続条項", "準拠法及び合意管轄"]
EXPECTED_EN = ["Purpose", "Definitions", "Provision of the AI Service", "Inputs", "Use for Training and Improvement",
               "Retention and Deletion of Inputs and Generated Outputs", "Subprocessors", "Place of Processing and Storage",
               "Confidentiality of Inputs and Generated Outputs", "Use of Generated Outputs", "Rights in Generated Outputs", "Security Measures and Incidents",
               "Acceptable Use", "Review of Generated Outputs", "Accuracy and Performance", "Infringement of Third-Party Rights",
               "Changes to the Model and the Service", "Service Level", "Consideration", "Damages", "Term", "Survival"]


def headings(path) -> list[str]:
    return list(docx_articles(docx.Document(str(path))))


def words(path) -> str:
    return "".join(etree.fromstring(docx_xml(path).encode()).itertext())


def refusal(library, data) -> str:
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    return "\n".join([str(caught.value), *(caught.value.problems or [])])


@pytest.mark.parametrize("name, expected", [("ai-service-ja.yaml", EXPECTED_JA), ("ai-service-en.yaml", EXPECTED_EN)])
def test_the_agreement_has_every_article_a_practitioner_expects(library, tmp_path, name, expected):
    result = build(EXAMPLES / name, tmp_path / "draft.docx", library=library)
    found = headings(result.output)
    missing = [h for h in expected if h not in found]
    assert not missing, missing
    # the checklist's order: inputs, outputs, processing results, personal data, security, the rest
    order = [found.index(h) for h in expected if h in found]
    assert order == sorted(order)
    text = words(result.output)
    assert not LEFTOVERS.search(text)
    assert not result.placeholders


def test_the_japanese_agreement_says_what_the_answers_chose(library, tmp_path):
    result = build(EXAMPLES / "ai-service-ja.yaml", tmp_path / "ja.docx", library=library)
    articles = docx_articles(docx.Document(str(result.output)))
    learning = "\n".join(articles["学習その他の改善への利用"])
    assert "学習、追加学習、調整、評価その他の改善のために利用してはならず" in learning
    retention = "\n".join(articles["インプット等の保持及び消去"])
    assert "日から30日間に限り保持することができ" in retention and "消去したことを証する書面" in retention
    assert "日本国内に所在する設備においてのみ" in "\n".join(articles["処理及び保存の場所"])
    personal = "\n".join(articles["個人情報の取扱い"])
    assert "個人情報の取扱いの委託を受けた者として" in personal and "乙自身のAIモデルの学習その他の自己の目的のために利用してはならず" in personal
    assert "知った時から24時間以内に" in "\n".join(articles["安全管理措置及び事故への対応"])
    level = "\n".join(articles["サービスレベル"])
    assert "99.5%以上" in level and "に定める対価のうち当該暦月に係る額の10%に相当する額を、翌月以降の対価から減額" in level
    assert "利用料" not in level      # F8: the fee article defines no 利用料
    # the inputs stay the user's; the outputs are its confidential information, whoever holds rights in them
    assert "甲又は甲に利用を許諾した第三者に留保される" in "\n".join(articles["インプット"])
    assert "インプット及びアウトプットを甲の秘密情報として取り扱い" in "\n".join(articles["インプット及びアウトプットの秘密保持"])


def test_the_subprocessors_and_the_security_measures_are_schedules_the_articles_refer_to(library, tmp_path):
    result = build(EXAMPLES / "ai-service-ja.yaml", tmp_path / "ja.docx", library=library)
    found, refs = schedule_references(result.output)
    assert found == {"ckSch_subprocessor_list": "別紙1", "ckSch_security__details": "別紙2"}
    assert refs and all(cached == found[target] for target, cached in refs)
    text = words(result.output)
    assert "（処理委託先の一覧）" in text and "Example Foundation Models Inc." in text
    assert "（安全管理措置）" in text and "ISO/IEC 27001" in text
    en = build(EXAMPLES / "ai-service-en.yaml", tmp_path / "en.docx", library=library)
    found, _ = schedule_references(en.output)
    assert found == {"ckSch_processing_countries": "Schedule 1"}
    assert "in the countries or regions listed in Schedule 1" in docx_text(en.output)


def test_the_addendum_names_the_standard_terms_prevails_and_leaves_out_their_boilerplate(library, tmp_path):
    result = build(EXAMPLES / "ai-service-addendum-ja.yaml", tmp_path / "addendum.docx", library=library)
    document = docx.Document(str(result.output))
    assert document.paragraphs[0].text == "AIサービスの利用に関する覚書"
    found = list(docx_articles(document))
    assert found[:3] == ["目的", "本規約との関係", "定義"]
    for boilerplate in ("対価", "秘密保持", "有効期間", "解除", "反社会的勢力の排除", "準拠法及び合意管轄",
                        "本件サービスの提供", "完全合意"):
        assert boilerplate not in found, boilerplate
    for article in ("インプット", "学習その他の改善への利用", "個人情報の取扱い", "安全管理措置及び事故への対応", "障害時の通知",
                    "損害賠償"):
        assert article in found
    text = words(result.output)
    assert "Acme Chat for Business利用規約（2026年10月1日改定版。以下「本規約」という。）" in text
    assert "本覚書の規定が本規約の規定に優先して適用される" in text
    assert "変更後の本規約の規定に優先して引き続き適用される" in text
    assert "本覚書の成立を証するため" in text and "本契約の成立を証するため" not in text
    assert not LEFTOVERS.search(text)


def test_the_addendum_asks_nothing_the_standard_terms_settle(library):
    addendum = resolve_dict(library, load_example("ai-service-addendum-ja.yaml"))
    agreement = resolve_dict(library, load_example("ai-service-ja.yaml"))
    left_to_the_terms = {"fee", "term", "termination", "disputes", "notices", "confidentiality", "antisocial"}
    assert left_to_the_terms <= set(agreement.values)
    assert not left_to_the_terms & set(addendum.values)
    assert "liability" in addendum.values      # its own damages article: the terms' disclaimers do not reach it
    assert "standard-terms" in addendum.values and "standard-terms" not in agreement.values
    # the fee credit of an addendum is counted from the fees under the standard terms
    data = example_with("ai-service-addendum-ja.yaml", service_level={"level": "sla", "percent": "99.9%", "credit": "5%"})
    level = article_text(assemble_dict(library, data), "svc-service-level")
    assert "当該暦月の本規約に基づく本件サービスの利用料の5%に相当する額" in level


def test_an_answer_the_draft_does_not_use_is_said_not_dropped_in_silence(library, tmp_path):
    # S15/S5: a list kept from an earlier choice, or a fee answered for an addendum, would seem to be in the contract
    data = example_with("ai-service-ja.yaml", subprocessors="equal-duties",
                        output_use={"scope": "internal", "third_parties": False, "label_ai": True})
    answers = tmp_path / "stray.yaml"
    answers.write_text(dump_yaml(data), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "contractkit", "build", str(answers), "-o", str(tmp_path / "d.docx")],
                         capture_output=True, text=True, env={**os.environ, "CONTRACTKIT_CACHE_DIR": str(tmp_path / "c")})
    assert run.returncode == 0, run.stderr
    names = data["answers"]["subprocessor-list"][0]["name"]
    assert names not in docx_text(tmp_path / "d.docx")
    assert ("warning [subprocessor-list]: 'subprocessor-list' に回答があるが、この回答の組合せでは用いられないため、"
            "契約書案には記載されない（条件が読む回答：subprocessors: equal-duties）") in run.stderr
    assert "warning [output-use.label_ai]: 'output-use.label_ai' に回答があるが" in run.stderr
    assert "output-use.third_parties" not in run.stderr      # 'false' asks for nothing: nothing is lost
    addendum = example_with("ai-service-addendum-ja.yaml", fee={"model": "fixed", "amount": "月額10万円"})
    said = {w["id"]: w for w in resolve_dict(library, addendum).warnings}
    assert "fee:not-used" in said and "service-form: addendum" in said["fee:not-used"]["text"]["en"]
    assert not [w for w in resolve_dict(library, load_example("ai-service-ja.yaml")).warnings if w["id"].endswith(":not-used")]


def test_a_subprocessor_listed_outside_the_allowed_places_is_flagged(library):
    # S4: the list permits the entrustment the place article forbids
    def flagged(**changes):
        return {w["id"] for w in resolve_dict(library, example_with("ai-service-ja.yaml", **changes)).warnings} & {
            "subprocessor-outside-japan", "subprocessor-outside-the-listed-countries"}
    base = load_example("ai-service-ja.yaml")["answers"]["subprocessor-list"]
    assert flagged() == set()                      # 日本（東京リージョン） and 日本 are in Japan
    abroad = [dict(base[0], location="米国"), base[1]]
    assert flagged(subprocessor_list=abroad) == {"subprocessor-outside-japan"}
    listed = dict(processing_location="listed-countries",
                  processing_countries=[{"country": "米国", "processing": "推論", "operator": "乙"}])
    assert flagged(subprocessor_list=abroad, **listed) == set()
    assert flagged(subprocessor_list=[base[0], dict(base[1], location="シンガポール")], **listed) == {
        "subprocessor-outside-the-listed-countries"}
    assert flagged(subprocessor_list=abroad, processing_location="listed-countries", processing_countries="米国及びアイルランド") == set()
    assert flagged(subprocessor_list=abroad, processing_location="any") == set()


def test_a_third_party_provision_gives_the_vendor_no_use_the_other_articles_forbid(library):
    # S1: the personal-data article may not widen the vendor's use past learning-use, retention and confidentiality
    for example, own, within in (("ai-service-ja.yaml", "自らの目的のために利用することができる", "本契約が乙に認める利用の範囲に限り"),
                                 ("ai-service-en.yaml", "for its own purposes", "the uses this Agreement allows Vendor")):
        data = example_with(example, personal_data="included", appi_role="third-party-provision", learning_use="prohibited")
        text = article_text(assemble_dict(library, data), "ai25-personal-data")
        assert within in text and own not in text
        assert "third-party-provision-without-own-use" in {w["id"] for w in resolve_dict(library, data).warnings}
    allowed = example_with("ai-service-ja.yaml", personal_data="included", appi_role="third-party-provision", learning_use="allowed")
    assert "third-party-provision-without-own-use" not in {w["id"] for w in resolve_dict(library, allowed).warnings}


def test_the_addendum_has_its_own_damages_article_that_prevails_over_the_terms_disclaimers(library, tmp_path):
    # an addendum that bans learning use but leaves damages to standard terms that exclude the vendor's liability
    # gives the user no remedy: the damages article is the addendum's, and the relationship article names it
    result = build(EXAMPLES / "ai-service-addendum-ja.yaml", tmp_path / "addendum.docx", library=library)
    articles = docx_articles(docx.Document(str(result.output)))
    damages = articles["損害賠償"]
    assert damages[0].startswith("各当事者は、本覚書に定める事項に関し、") and \
        "本規約の規定のうち損害賠償の責任を免除し、又はその範囲若しくは額を制限するものにかかわらず" in damages[0]
    assert "前12か月間に本規約に基づき支払われ、又は支払われるべき本件サービスの利用料の総額と金500万円とのいずれか高い額を上限とする" \
        in damages[1]
    number = list(articles).index("損害賠償") + 1
    cited = f"第{str(number).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条"
    relation = articles["本規約との関係"][0]
    assert f"本覚書に定める事項に関する損害賠償については、本規約の規定のうち損害賠償の責任を免除し、又はその範囲若しくは額を制限する" \
           f"ものは適用されず、{cited}の定めるところによる。" in relation
    assert cited in articles["存続条項"][0]
    assert "本契約に関し" not in "\n".join(damages) and "対価の総額" not in "\n".join(damages)
    assert not LEFTOVERS.search(words(result.output)) and not result.placeholders
    # in English, and with every scope and cap
    data = example_with("ai-service-en.yaml", service_form="addendum",
                        standard_terms={"name": "Acme DocReader Terms of Service", "version": "version of October 1, 2026"})
    draft = assemble_dict(library, data)
    damages = article_text(draft, "liability")
    assert "in connection with the matters this Addendum provides for" in damages
    assert "notwithstanding any provision of the Standard Terms that excludes liability for damages or limits its scope or amount" in damages
    assert "the total fees for the AI Service paid or payable under the Standard Terms in the 6 months before" in damages
    assert f"are governed by {article_number(draft, 'liability')}, and no provision of the Standard Terms that excludes liability" \
        in article_text(draft, "svc-standard-terms")
    for liability, says in (({"cap": "fixed-amount", "amount": "金1,000万円", "scope": "all"}, "金1,000万円を上限とする"),
                            ({"cap": "none", "scope": "all"}, "逸失利益及び合理的な弁護士費用を含む")):
        text = article_text(assemble_dict(library, example_with("ai-service-addendum-ja.yaml", liability=liability)), "liability")
        assert says in text and "本規約の規定のうち損害賠償の責任を免除し" in text and "本規約に基づき支払われ" not in text


DATA_ARTICLES = ["ai25-learning-use", "ai25-subprocessors", "ai25-processing-location", "ai25-confidentiality", "ai25-personal-data",
                 "ai25-security"]


def carve_out_references(path, needle: str) -> list[tuple[str, str]]:
    """(REF target, cached text) of the cross-references in the Word paragraph that holds `needle`."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(docx_xml(path).encode())
    [paragraph] = [p for p in root.iter(w + "p") if needle in "".join(t.text or "" for t in p.iter(w + "t"))]
    found, target, cached = [], None, False
    for run in paragraph.iter(w + "r"):
        instr = "".join(t.text or "" for t in run.iter(w + "instrText")).split()
        if instr[:1] == ["REF"]:
            target = instr[1]
        for char in run.iter(w + "fldChar"):
            cached = char.get(w + "fldCharType") == "separate" and target is not None
        text = "".join(t.text or "" for t in run.iter(w + "t"))
        if cached and text:
            found.append((target, text))
            target, cached = None, False
    return found


@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml", "ai-service-addendum-ja.yaml"])
def test_the_cap_does_not_apply_to_breaches_of_the_data_articles(library, tmp_path, name):
    # a leak of inputs or training on them costs far more than a year of fees: the cap gives way for the data
    # articles, beside the wilful-misconduct carve-out, by live cross-references to whichever of them the draft has
    result = build(EXAMPLES / name, tmp_path / "draft.docx", library=library)
    draft = assemble_dict(library, load_example(name))
    present = [a.clause_id for a in draft.articles if a.clause_id in DATA_ARTICLES]
    assert present == [c for c in [a.clause_id for a in draft.articles] if c in DATA_ARTICLES]
    assert ("ai25-personal-data" in present) == (name != "ai-service-en.yaml")
    ja = name.endswith("-ja.yaml")
    needle = "前項の上限は、損害賠償責任を負う当事者が" if ja else "The cap under the preceding paragraph shall not apply"
    damages = docx_articles(docx.Document(str(result.output)))["損害賠償" if ja else "Damages"]
    [carve_out] = [p for p in damages if needle in p]
    assert carve_out == damages[2]      # the paragraph after the cap's, which 前項 / "the preceding paragraph" means
    assert ("上限とする" if ja else "shall not exceed") in damages[1]
    listed = articles_text(draft, *present)
    if ja:
        assert carve_out == ("本条に定める損害賠償の範囲及び額の制限は、損害賠償責任を負う当事者に故意又は重大な過失がある場合には、適用しない。"
                             f"前項の上限は、損害賠償責任を負う当事者が{listed}の規定に違反したことにより相手方に生じた損害の賠償については、適用しない。")
    else:
        assert carve_out.endswith(f"The cap under the preceding paragraph shall not apply to damages arising from a breach by the liable "
                                  f"party of {listed}.")
    refs = carve_out_references(result.output, needle)
    assert [target for target, _ in refs] == ["ck_" + c.replace("-", "_") for c in present]
    numbers = [a.number for a in draft.articles if a.clause_id in present]
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    assert [cached for _, cached in refs] == ([f"第{str(n).translate(fullwidth)}条" for n in numbers] if ja else
                                              [str(n) for n in numbers])   # "Articles 5, 7 …": the numbers alone are fields


def test_the_data_carve_out_stands_without_the_gross_negligence_one_and_only_where_there_is_a_cap(library):
    text = article_text(assemble_dict(library, example_with(
        "ai-service-ja.yaml", liability={"cap": "fixed-amount", "amount": "金1,000万円", "scope": "all", "gross_negligence_carve_out": False})),
        "liability")
    last = text.split("\n")[-1]
    assert last.startswith("前項の上限は、損害賠償責任を負う当事者が") and "故意又は重大な過失" not in text
    assert text.split("\n")[-2] == "前項に基づき各当事者が負う損害賠償の累計額は、金1,000万円を上限とする。"
    # no cap: nothing to carve out of (the wilful-misconduct carve-out of the limited scope stays)
    text = article_text(assemble_dict(library, example_with("ai-service-ja.yaml", liability={"cap": "none", "scope": "direct-ordinary"})),
                        "liability")
    assert "上限" not in text and text.endswith("本条に定める損害賠償の範囲の制限は、損害賠償責任を負う当事者に故意又は重大な過失がある場合には、適用しない。")
    # and the indemnity no longer speaks of a cap that is not there
    data = example_with("ai-service-en.yaml", liability={"cap": "none", "scope": "all"})
    assert "cap" not in article_text(assemble_dict(library, data), "ai25-ip-infringement")
    assert "subject to the cap on damages under" in article_text(assemble_dict(library, load_example("ai-service-en.yaml")),
                                                                 "ai25-ip-infringement")
    # contract types without the 2025 data articles keep their damages article as it was
    for other in ("ai-use-ja.yaml", "ai-development-ja.yaml"):
        assert "前項の上限は" not in article_text(assemble_dict(library, load_example(other)), "liability")


# -- the SLA's planned maintenance: a window and a notice period -------------------------------------

def test_only_planned_maintenance_in_the_window_with_notice_is_left_out_of_the_availability(library, tmp_path):
    result = build(EXAMPLES / "ai-service-ja.yaml", tmp_path / "ja.docx", library=library)
    level = docx_articles(docx.Document(str(result.output)))["サービスレベル"]
    assert level[0] == ("本条において「計画保守」とは、乙が毎週土曜日の午後10時から翌日の午前2時までの時間帯に行う本件サービスの保守のための"
                        "停止であって、その開始の7日前までに停止の日時及び内容を甲に通知したものをいう。")
    assert "当該暦月の総時間から、計画保守による停止時間及び天災地変その他乙の合理的な支配を超える事由による停止時間を除いた時間" in level[1]
    assert "計画保守に当たらない保守のための停止（緊急の保守のためのものを含む。）の時間は、本件サービスを利用することができなかった時間とする。" \
        in level[1]
    assert level[2].startswith("ある暦月の稼働率が前項の値を下回ったときは")     # 前項: the availability, still
    assert "あらかじめ通知した保守" not in "\n".join(level)
    # English, answered
    data = example_with("ai-service-en.yaml", service_level={
        "level": "sla", "percent": "99.9%", "credit": "5%", "maintenance_hours": "1:00 a.m. to 5:00 a.m. (Japan time) on the first Sunday of each month",
        "maintenance_notice_days": 1})
    text = article_text(assemble_dict(library, data), "svc-service-level").split("\n")
    assert text[0] == ("In this Article, “Planned Maintenance” means a suspension of the AI Service for maintenance that Vendor carries out "
                       "within the maintenance window of 1:00 a.m. to 5:00 a.m. (Japan time) on the first Sunday of each month and of whose "
                       "date, time and content it has notified User at least 1 day before it begins.")
    assert "less Planned Maintenance and suspensions caused by natural disasters" in text[1]
    assert "Any suspension for maintenance that is not Planned Maintenance, emergency maintenance included, counts as time during which " \
           "the AI Service could not be used." in text[1]
    # left unanswered: the defaults, in each language
    for name, window, days in (("ai-service-ja.yaml", "乙が毎週日曜日の午前2時から午前6時までの時間帯に行う", "その開始の7日前までに"),
                               ("ai-service-en.yaml", "within the maintenance window of 2:00 a.m. to 6:00 a.m. (Japan time) every Sunday",
                                "at least 7 days before")):
        data = example_with(name, service_level={"level": "sla", "percent": "99.5%", "credit": "10%"})
        resolved = resolve_dict(library, data)
        assert resolved.values["service-level"]["maintenance_notice_days"] == 7
        text = article_text(assemble_dict(library, data), "svc-service-level")
        assert window in text and days in text and not LEFTOVERS.search(text)
    # not an SLA: no window, no notice period, nothing asked
    resolved = resolve_dict(library, load_example("ai-service-en.yaml"))
    assert set(resolved.values["service-level"]) == {"level"}
    assert "Planned Maintenance" not in article_text(assemble_dict(library, load_example("ai-service-en.yaml")), "svc-service-level")


def test_the_maintenance_answers_are_checked(library):
    def sla(**fields):
        return example_with("ai-service-ja.yaml", service_level={"level": "sla", "percent": "99.5%", "credit": "10%", **fields})
    for days in (0, 91, "一週間"):
        data = sla(maintenance_notice_days=days)
        message = refusal(library, data)
        line = next(i for i, text in enumerate(dump_yaml(data).splitlines(), 1) if "maintenance_notice_days" in text)
        assert re.search(rf"answers\.yaml:{line}:\d+: ", message), message    # at the answer
        assert ("out of range: must be at least 1 and at most 90" if isinstance(days, int) else "whole number") in message, message
    message = refusal(library, sla(maintenance_hours="毎週日曜日の午前2時から午前6時までのため"))
    assert "drop the trailing 「のため」" in message
    # a bilingual draft writes the window in each language
    data = in_both_languages(load_example("ai-service-ja.yaml"), load_example("ai-service-en.yaml"))
    data["answers"]["prevailing-language"] = "ja"
    data["answers"]["service-level"] = {"level": "sla", "percent": "99.5%", "credit": "10%", "maintenance_hours": "Sundays 2-6 a.m. JST"}
    assert "maintenance_hours" in refusal(library, data)
    # a window not decided yet is a placeholder, listed as one
    draft = assemble_dict(library, sla(maintenance_hours=None))
    assert "乙が●の時間帯に行う" in article_text(draft, "svc-service-level")
    assert any("service-level" in str(p) for p in draft.placeholders)


def test_the_interview_asks_the_window_and_the_notice_and_the_memo_shows_them(library, tmp_path):
    from test_interview import DOWN, ENTER, prefilled, run_interview, saved
    path = prefilled(library, tmp_path, "ai-service-ja.yaml", drop=("service-level",))
    # sla (after targets), then the percentage, the credit, the window and the notice, each at its default; generate
    result, transcript = run_interview(library, path, DOWN + ENTER + ENTER * 4 + ENTER, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["service-level"] == {"level": "sla", "percent": "99.5%", "credit": "10%",
                                                       "maintenance_hours": "毎週日曜日の午前2時から午前6時まで",
                                                       "maintenance_notice_days": 7}
    from contractkit.memo import memo_rows
    data = load_example("ai-service-ja.yaml")
    rows = memo_rows(library, resolve_dict(library, data), assemble_dict(library, data))
    [row] = [r for r in rows if r["point_id"] == "service-level"]
    assert "計画保守を行う時間帯（例：毎週日曜日の午前2時から午前6時まで）：毎週土曜日の午後10時から翌日の午前2時まで" in row["chosen"]
    assert "計画保守の事前の通知の期限（保守の開始の何日前までに通知するか）：7" in row["chosen"]
    # the usual position (targets) shows no field of the ai-use service level
    assert row["usual"] == "稼働率の定め方：目標を定める（下回っても責任を負わない）"


def test_an_english_addendum(library):
    data = example_with("ai-service-en.yaml", service_form="addendum",
                        standard_terms={"name": "Acme DocReader Terms of Service", "version": "version of October 1, 2026"})
    draft = assemble_dict(library, data)
    assert draft.title == "Addendum on the Use of the AI Service"
    relation = article_text(draft, "svc-standard-terms")
    assert "this Addendum prevails over the Standard Terms" in relation
    purpose = article_text(draft, "purpose")
    assert "Vendor's Acme DocReader Terms of Service (version of October 1, 2026; the “Standard Terms”)" in purpose


def test_ja_en_draft_has_both_texts(library, tmp_path):
    data = in_both_languages(load_example("ai-service-ja.yaml"), load_example("ai-service-en.yaml"))
    data["answers"]["prevailing-language"] = "ja"
    result = build(write_answers(tmp_path, data), tmp_path / "both.docx", library=library)
    text = words(result.output)
    assert not LEFTOVERS.search(text)
    for needle in ("学習その他の改善への利用", "Use for Training and Improvement", "処理委託先", "Subprocessors",
                   "サービスレベル", "Service Level"):
        assert needle in text, needle


# -- coherence: learning use, retention and personal data ------------------------------------------

def test_learning_on_entrusted_personal_data_is_refused_naming_both_articles(library):
    for learning in ("allowed", "opt-out"):
        message = refusal(library, example_with("ai-service-ja.yaml", learning_use=learning))
        assert re.search(r"answers\.yaml:\d+:\d+: 二つの条項が矛盾している", message)   # in the answers' language
        assert "'ai25-learning-use'" in message and "'ai25-personal-data'" in message
        assert "appi-role: entrustment" in message and "learning-use: prohibited" in message


def test_opt_in_with_entrusted_personal_data_says_personal_data_cannot_be_designated(library):
    draft = assemble_dict(library, example_with("ai-service-ja.yaml", learning_use="opt-in"))
    assert "個人情報を含むインプット及びアウトプットは、学習許諾データとして指定することができず" in article_text(draft, "ai25-learning-use")
    # without personal data the sentence has no place
    draft = assemble_dict(library, example_with("ai-service-ja.yaml", learning_use="opt-in", personal_data="none"))
    assert "学習許諾データとして指定することができず" not in article_text(draft, "ai25-learning-use")


def test_learning_needs_the_vendor_to_keep_the_data(library):
    for learning in ("opt-in", "opt-out", "allowed"):
        data = example_with("ai-service-ja.yaml", retention={"mode": "none"}, learning_use=learning, personal_data="none")
        message = refusal(library, data)
        assert "'ai25-learning-use'" in message and "'ai25-retention'" in message
    # nothing kept and nothing learnt: coherent
    resolve_dict(library, example_with("ai-service-ja.yaml", retention={"mode": "none"}, learning_use="prohibited"))


def test_a_fee_credit_for_a_free_service_is_refused(library):
    # the SLA option is not available for a free service (its `when`), refused at the answer with the reason
    data = example_with("ai-service-ja.yaml", fee={"model": "free"})
    message = refusal(library, data)
    line = next(i for i, text in enumerate(dump_yaml(data).splitlines(), 1) if text.strip().startswith("level: sla"))
    # the frame in the answers' language too, as the contradictions are (R55's message, in Japanese)
    assert re.search(rf"answers\.yaml:{line}:\d+: 「sla」は、これらの回答の下では「service-level\.level」に選べない（参照する回答: [^）]*fee\.model: free[^）]*）。"
                     "稼働率を下回った月に減額する月額の利用料がない（本件サービスが無償であるか.*選べる選択肢: [a-z-]+(、[a-z-]+)*$", message, re.S), message
    assert "with these answers" not in message and "valid choices" not in message and "the answers it reads" not in message, message
    message = refusal(library, example_with("ai-service-en.yaml", fee={"model": "free"}, liability={"cap": "none", "scope": "all"},
                                            service_level={"level": "sla", "percent": "99.5%", "credit": "10%"}))
    assert "'sla' is not available for 'service-level.level' with these answers: The service is free" in message
    # a free service with targets, or as available, is a coherent draft
    for level in ("targets", "none"):
        data = example_with("ai-service-en.yaml", fee={"model": "free"}, liability={"cap": "none", "scope": "all"},
                            service_level={"level": level})
        draft = assemble_dict(library, data)
        assert "credit" not in article_text(draft, "svc-service-level") and "free of charge" in article_text(draft, "fee")


@pytest.mark.parametrize("fee", [{"model": "fixed", "amount": "月額30万円"}, {"model": "usage-based", "amount": "1件につき10円"},
                                 {"model": "revenue-share", "amount": "売上高の5%"}, {"model": "free"}, None])
def test_the_sla_options_condition_and_the_rule_model_refuse_the_same_fees(library, fee):
    # the option's `when` and the credit's rule (it needs fees the vendor claims during the term) agree, for every fee
    # model and for an addendum (no fee article: the fees are the standard terms')
    from contractkit.answers import unavailable
    from contractkit.rules import select
    base = "ai-service-ja.yaml" if fee else "ai-service-addendum-ja.yaml"
    values = dict(resolve_dict(library, load_example(base)).values)
    values["service-level"] = {"level": "sla", "percent": "99.5%", "credit": "10%", "maintenance_hours": "毎週日曜日の午前2時から午前6時まで",
                               "maintenance_notice_days": 7}
    if fee:
        values["fee"] = fee
        values["liability"] = {"cap": "none", "scope": "all"}
    context = {k.replace("-", "_"): v for k, v in values.items()} | {"contract": "ai-service", "bilingual": False}
    ruled_out = unavailable(library, library.points["service-level"].field("level"), context, "ja", "ai-service")
    conflicts = select(library, "ai-service", values, "ja").conflicts
    refused_by_rules = any(set(conflict.clauses) == {"svc-service-level", "fee"} for conflict in conflicts)
    assert all(set(conflict.clauses) == {"svc-service-level", "fee"} for conflict in conflicts)   # nothing else
    assert ("sla" in ruled_out) == refused_by_rules == (fee == {"model": "free"}), (ruled_out, conflicts)


def test_the_interview_does_not_offer_an_sla_for_a_free_service(library, tmp_path):
    from test_interview import prefilled
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    level = library.points["service-level"].field("level")
    for fee, offered in (({"model": "free"}, ["none", "targets"]), ({"model": "fixed", "amount": "月額30万円"}, ["none", "targets", "sla"])):
        data = example_with("ai-service-ja.yaml", fee=fee, liability={"cap": "none", "scope": "all"}, service_level=None)
        path = tmp_path / "deal.yaml"
        path.write_text(dump_yaml(data), encoding="utf-8")
        session = Interview(library, AnswersDocument(path), Terminal(), "ja", tmp_path / "deal.docx")
        assert [value for _title, value, _note in session._option_choices(level)] == offered
        if "sla" not in offered:
            assert session.ruled_out(level)["sla"].startswith("稼働率を下回った月に減額する月額の利用料がない（本件サービスが無償であるか")


def test_third_party_provision_lets_the_vendor_learn_but_is_cautioned(library):
    resolved = resolve_dict(library, example_with("ai-service-ja.yaml", learning_use="allowed", appi_role="third-party-provision"))
    texts = " ".join(w["text"]["ja"] for w in resolved.warnings)
    assert "本人の同意を得て提供の記録を作成しなければならず" in texts      # third-party provision
    assert "他の顧客向けのモデルの学習にも使われる" in texts                # learning allowed


def test_the_cautions_the_checklist_gives(library):
    def cautions(data):
        return " ".join(w["text"]["en"] for w in resolve_dict(library, data).warnings)
    assert "before the first input" in cautions(example_with("ai-service-en.yaml", learning_use="opt-out"))
    foreign = cautions(example_with("ai-service-en.yaml", personal_data="included", appi_role="entrustment"))
    assert "handled outside Japan" in foreign
    assert "processed outside Japan" not in cautions(load_example("ai-service-en.yaml"))   # no personal data
    assert "Generative outputs vary" in cautions(example_with("ai-service-en.yaml", performance="guaranteed-metrics"))
    assert "Consider requiring human review" in cautions(load_example("ai-service-en.yaml"))   # human-review: false
    assert "Consider requiring human review" not in cautions(example_with("ai-service-en.yaml", human_review=True))


def test_appi_role_is_asked_only_with_personal_data(library):
    assert "appi-role" not in resolve_dict(library, load_example("ai-service-en.yaml")).values
    assert "appi-role" in resolve_dict(library, load_example("ai-service-ja.yaml")).values
    ids = [a.clause_id for a in assemble_dict(library, load_example("ai-service-en.yaml")).articles]
    assert "ai25-personal-data" not in ids


def test_a_ja_en_addendum(library, tmp_path):
    english = load_example("ai-service-en.yaml")
    english["answers"]["standard-terms"] = {"name": "Acme Chat for Business Terms of Use", "version": "version of October 1, 2026"}
    data = in_both_languages(load_example("ai-service-addendum-ja.yaml"), english)
    data["answers"]["prevailing-language"] = "ja"
    result = build(write_answers(tmp_path, data), tmp_path / "both.docx", library=library)
    assert result.title == "AIサービスの利用に関する覚書 / Addendum on the Use of the AI Service"
    text = words(result.output)
    assert "Acme Chat for Business Terms of Use (version of October 1, 2026; the “Standard Terms”)" in text
    assert "本覚書の規定が本規約の規定に優先して適用される" in text and "this Addendum prevails over the Standard Terms" in text
    assert "Consideration" not in text and "準拠法" not in text
    assert not LEFTOVERS.search(text)


# -- the lawyer's read (issue 15, findings F1-F63): each article consistent with every other ---------

def test_the_consent_caution_is_not_given_for_an_entrustment(library):
    # F31: an entrustment needs no consent of the individuals; only third-party provision does
    def cautions(data):
        return " ".join(w["text"]["ja"] for w in resolve_dict(library, data).warnings)
    entrusted = cautions(load_example("ai-service-ja.yaml"))
    assert "第三者提供は原則として違法" not in entrusted
    provided = cautions(example_with("ai-service-ja.yaml", appi_role="third-party-provision"))
    assert "本人の同意を得て提供の記録を作成しなければならず" in provided
    # the memo's personal-data row says no more than the build does
    from contractkit.memo import memo_rows
    resolved = resolve_dict(library, load_example("ai-service-ja.yaml"))
    rows = memo_rows(library, resolved, assemble_dict(library, load_example("ai-service-ja.yaml")))
    assert not any("第三者提供は原則として違法" in w for row in rows for w in row["warnings"])
    # other contract types keep the caution
    data = load_example("data-provision-ja.yaml") if (EXAMPLES / "data-provision-ja.yaml").exists() else None
    if data is not None:
        data["answers"]["personal-data"] = "included"
        texts = [w["text"]["ja"] for w in resolve_dict(library, data).warnings]
        assert any("第三者提供は原則として違法" in t for t in texts)


def test_the_withdrawal_of_a_designation_refers_to_the_designation(library):
    # F1: the conditional personal-data paragraph may not stand between 前項 and what it means
    for data in (load_example("ai-service-addendum-ja.yaml"), example_with("ai-service-ja.yaml", learning_use="opt-in")):
        paragraphs = article_text(assemble_dict(library, data), "ai25-learning-use").split("\n")
        withdrawal = next(i for i, p in enumerate(paragraphs) if "前項の指定を将来に向かって撤回" in p)
        assert "指定して学習等への利用を認めたもの" in paragraphs[withdrawal - 1]
        assert any("学習許諾データとして指定することができず" in p for p in paragraphs)   # the conditional one is there


def test_after_the_end_the_user_keeps_the_outputs_within_the_first_paragraph(library):
    # F1/F35: 前項 in output-use is the scope of use, whatever label_ai says; nothing is labelled when nothing is published
    data = example_with("ai-service-ja.yaml", output_use={"scope": "business", "third_parties": True, "label_ai": True})
    paragraphs = article_text(assemble_dict(library, data), "ai25-output-use").split("\n")
    after = next(i for i, p in enumerate(paragraphs) if "本契約が終了した後も、前項の範囲内で" in p)
    assert after == 1 and "事業のために利用することができる" in paragraphs[0]
    assert "AIにより生成されたものである旨を明示" in paragraphs[2]
    # outputs that may go to no third party are never published: the label does not apply (as any field whose
    # condition fails, it is kept out of the draft even if answered)
    for use in ({"scope": "business", "third_parties": False, "label_ai": True}, {"scope": "internal", "label_ai": True}):
        resolved = resolve_dict(library, example_with("ai-service-ja.yaml", output_use=use))
        assert "label_ai" not in resolved.values["output-use"]
        text = article_text(assemble_dict(library, example_with("ai-service-ja.yaml", output_use=use)), "ai25-output-use")
        assert "第三者に開示し、又は提供してはならない" in text and "公表" not in text


def test_the_definition_of_inputs_and_the_english_confidentiality_read_cleanly(library):
    # F5 and F60
    draft = assemble_dict(library, load_example("ai-service-ja.yaml"))
    definitions = article_text(draft, "definitions")
    assert "（その複製物を含む。）" in definitions and "含み。" not in definitions
    english = example_with("ai-service-en.yaml", service_form="addendum",
                           standard_terms={"name": "Acme DocReader Terms of Service", "version": "version of October 1, 2026"})
    text = article_text(assemble_dict(library, english), "ai25-confidentiality")
    assert "confidential information and shall not disclose" in text and "and," not in text
    text = article_text(assemble_dict(library, load_example("ai-service-en.yaml")), "ai25-confidentiality")
    assert "confidential information and, in addition to its obligations under Article" in text


def test_training_the_learning_use_article_allows_is_not_forbidden_elsewhere(library):
    # F33/F34: the output-rights consent, the inputs' use limit and the confidentiality give way in words
    data = example_with("ai-service-en.yaml", learning_use="allowed", output_rights="vendor")
    draft = assemble_dict(library, data)
    learning = article_number(draft, "ai25-learning-use")
    retention = article_number(draft, "ai25-retention").replace("Article ", "")
    assert f"Except as provided in Articles {learning.replace('Article ', '')} and {retention}, before using the Generated Outputs" in article_text(draft, "ai25-output-rights")
    assert f"Notwithstanding {article_number(draft, 'confidentiality')}, Vendor may use the Inputs and the Generated Outputs for Training" \
        in article_text(draft, "ai25-confidentiality")
    assert f"for the uses provided in {learning}" in article_text(draft, "ai25-inputs")
    # prohibited: no carve-out to speak of
    draft = assemble_dict(library, example_with("ai-service-en.yaml", learning_use="prohibited"))
    assert "for Training" not in article_text(draft, "ai25-confidentiality")


def test_training_is_a_use_beyond_the_purpose_in_the_rule_model(library):
    # F33: without the yields, the inputs article (use only for the Purpose) would contradict training
    from contractkit.rules import select
    resolved = resolve_dict(library, example_with("ai-service-en.yaml", learning_use="allowed"))
    selection = select(library, "ai-service", resolved.values, "en")
    training = [r for r in selection.rules if r.clause == "ai25-learning-use" and "use-beyond-purpose" in r.acts]
    assert training and all(r.modality == "allowed" for r in training)
    yielding = {r.clause for r in selection.rules if "ai25-learning-use" in r.yields and "use-beyond-purpose" in r.acts}
    assert {"ai25-inputs", "ai25-output-rights"} <= yielding
    assert not selection.conflicts


def test_no_handling_abroad_is_not_a_provision_but_the_user_learns_the_country(library):
    # F3: with no-handling the vendor does not 取り扱う the data abroad; it tells the user the country
    draft = assemble_dict(library, load_example("ai-service-addendum-ja.yaml"))
    location = article_text(draft, "ai25-processing-location")
    assert "外的環境の把握を含む" in location and "日本国外で取り扱うときは" not in location
    texts = " ".join(w["text"]["ja"] for w in resolve_dict(library, load_example("ai-service-addendum-ja.yaml")).warnings)
    assert "外的環境の把握" in texts and "委託であっても、外国にある第三者への提供" not in texts
    entrusted = example_with("ai-service-addendum-ja.yaml", appi_role="entrustment")
    assert "日本国外で取り扱うときは" in article_text(assemble_dict(library, entrusted), "ai25-processing-location")
    # F37: the listed countries include Japan; the foreign-transfer duty is for those outside it
    listed = example_with("ai-service-ja.yaml", processing_location="listed-countries", processing_countries="米国")
    assert "日本国外で取り扱うときは" in article_text(assemble_dict(library, listed), "ai25-processing-location")


def test_third_party_operators_need_a_subprocessors_article_that_allows_them(library):
    # F48: the schedule names Example Foundation Models Inc. as operator; 'prohibited' forbids any subprocessor
    message = refusal(library, example_with("ai-service-en.yaml", subprocessors="prohibited"))
    assert "'ai25-processing-location'" in message and "'ai25-subprocessors'" in message
    assert "subprocessors: equal-duties" in message
    # the vendor's own facilities (no operator named): coherent
    own = [{"country": "United States", "processing": "inference"}]
    resolve_dict(library, example_with("ai-service-en.yaml", subprocessors="prohibited", processing_countries=own))


def test_a_search_corpus_is_kept_for_the_term_whatever_the_retention(library):
    # F49/F6: reference data the service searches cannot be deleted after each request or after 30 days
    for retention in ({"mode": "none"}, {"mode": "limited", "days": 30}):
        data = example_with("ai-service-en.yaml", retention=retention, learning_use="prohibited")
        text = article_text(assemble_dict(library, data), "ai25-retention")
        assert "Notwithstanding the preceding paragraph, Vendor may keep the Inputs that are documents or other data to be " \
               "searched or referred to (the “Reference Data”) during the term" in text
        assert ("Reference Data" if retention["mode"] == "none" else "the Inputs") in text.split("\n")[-1]   # deleted at the end
    data = example_with("ai-service-en.yaml", retention={"mode": "none"}, learning_use="prohibited",
                        input_scope={"kinds": ["files"], "description": "invoices"})
    assert "Reference Data" not in article_text(assemble_dict(library, data), "ai25-retention")


def test_an_addendum_grants_the_vendor_nothing_its_terms_do_not(library):
    # F2: the addendum prevails over the standard terms, so a vendor-default answer (as-is service, subprocessors
    # at its discretion, any place, changes at will) must not be written as a grant that overrides them;
    # what protects the user (notices, responsibility for subprocessors, no worse handling) stays
    draft = assemble_dict(library, load_example("ai-service-addendum-ja.yaml"))
    texts = {cid: article_text(draft, cid) for cid in ("ai25-subprocessors", "ai25-processing-location", "ai25-model-changes")}
    assert "自らの判断により" not in texts["ai25-subprocessors"] and "自ら行った場合と同様の責任を負う" in texts["ai25-subprocessors"]
    assert "自ら定めることができる" not in texts["ai25-processing-location"]
    assert "国又は地域を甲に通知しなければならない" in texts["ai25-processing-location"]
    assert "自らの判断により" not in texts["ai25-model-changes"] and "重要な影響を及ぼすものをしたときは" in texts["ai25-model-changes"]
    level = article_text(assemble_dict(library, example_with("ai-service-addendum-ja.yaml", service_level={"level": "none"})),
                         "svc-service-level")
    assert "現状のまま" not in level and "復旧の見込み" in level
    # a stand-alone agreement keeps the grants: there is no other text for them
    agreement = example_with("ai-service-ja.yaml", subprocessors="allowed", subprocessor_list=None, processing_location="any",
                             model_changes={"mode": "free"}, service_level={"level": "none"}, personal_data="none")
    draft = assemble_dict(library, agreement)
    assert "自らの判断により" in article_text(draft, "ai25-subprocessors")
    assert "自ら定めることができる" in article_text(draft, "ai25-processing-location")
    assert "現状のまま" in article_text(draft, "svc-service-level")


def test_a_change_has_its_own_date_not_the_effective_date(library):
    # F44: 効力発生日 is the contract's (or the addendum's) effective date; changes are dated otherwise
    draft = assemble_dict(library, load_example("ai-service-ja.yaml"))
    changes = article_text(draft, "ai25-model-changes")
    assert "効力発生日" not in changes and "（以下「変更日」という。）" in changes and "変更日までに" in changes
    relation = article_text(assemble_dict(library, load_example("ai-service-addendum-ja.yaml")), "svc-standard-terms")
    assert "効力発生日" not in relation and "変更後の本規約の効力が生ずる日を、その日の30日前までに" in relation


@pytest.mark.parametrize("point", ["subprocessors", "processing-location", "appi-role", "model-changes.mode",
                                   "output-use.scope", "retention.mode", "acceptable-use", "security.measures"])
def test_each_option_of_the_2025_points_says_what_it_means_for_each_side(library, point):
    # F54: the interview explains every option, as the older points do
    point_id, _, field_id = point.partition(".")
    decision = library.points[point_id]
    decision = decision.field(field_id) if field_id else decision
    missing = [o["id"] for o in decision.options if not (o.get("note") or {}).get("ja") or not (o.get("note") or {}).get("en")]
    assert not missing, missing


def test_an_articles_comment_leads_with_its_own_point(library, tmp_path):
    # F58: the comment on termination names the termination point (a yes/no) before the fee it depends on
    result = build(EXAMPLES / "ai-service-ja.yaml", tmp_path / "ja.docx", library=library)
    root = etree.fromstring(docx_xml(result.output, "word/comments.xml").encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    comments = [["".join(t.text or "" for t in p.iter(w + "t")) for p in c.iter(w + "p")] for c in root.iter(w + "comment")]
    termination = next(c for c in comments if any("任意解除" in line for line in c))
    assert termination[0].startswith("論点: 標準的な解除事由に加えて") and termination[1] == "選択: いいえ"
    damages = next(c for c in comments if any("賠償責任の範囲と上限を定める条項である" in line for line in c))   # the damages article's
    assert damages[0].startswith("論点: 損害賠償の範囲と上限") and not damages[0].startswith("論点: 対価")


def test_one_caution_each_and_none_borrowed_from_a_poc(library):
    # F9/F32: the 2025 types have their own performance caution (there is no PoC in an AI service), and the
    # human-review cautions do not say the same thing twice
    def cautions(data):
        return [w["text"]["ja"] for w in resolve_dict(library, data).warnings]
    texts = cautions(example_with("ai-service-ja.yaml", performance="guaranteed-metrics"))
    assert not any("PoC" in t for t in texts)
    assert sum("性能の数値を保証" in t for t in texts) == 1
    texts = cautions(example_with("ai-service-ja.yaml", human_review=False, acceptable_use=["unlawful"]))
    assert sum("確認" in t and "個人" in t for t in texts) == 1
    texts = cautions(example_with("ai-service-ja.yaml", human_review=False))   # automated decisions forbidden
    assert any("公表することを妨げない" in t for t in texts)
    development = load_example("ai-development-ja.yaml")
    development["answers"]["performance"] = "guaranteed-metrics"
    texts = cautions(development)
    assert any("PoC" in t for t in texts) and not any("生成AI" in t for t in texts)


def test_no_handling_leaves_no_article_presuming_access_to_the_content(library):
    # F4: the confidentiality article's access list yields to the personal-data article's no-access duty
    draft = assemble_dict(library, load_example("ai-service-addendum-ja.yaml"))
    personal = article_number(draft, "ai25-personal-data")
    assert f"{personal}の規定によりインプット及びアウトプットの内容へのアクセスが禁じられる場合を除き、乙は、インプット及びアウトプットに" \
           "アクセスすることができる者を" in article_text(draft, "ai25-confidentiality")
    draft = assemble_dict(library, example_with("ai-service-addendum-ja.yaml", appi_role="entrustment"))
    assert "アクセスが禁じられる場合を除き" not in article_text(draft, "ai25-confidentiality")


@pytest.mark.parametrize("example", ["ai-service-ja.yaml", "ai-service-en.yaml"])
def test_the_memo_shows_no_open_answer_the_draft_does_not_have(library, example):
    """R14/R27: a list left empty (no fee breakdown, no schedule of security details) is no open
    answer, and a usual position is never 'not known yet'; a fixed monthly fee for an existing
    service is no concession by the user."""
    from contractkit.memo import memo_rows
    data = load_example(example)
    data["answers"]["security"].pop("details", None)
    rows = memo_rows(library, resolve_dict(library, data), assemble_dict(library, data))
    unknown = library.ui["messages"]["unknown_value"]["ja" if example.endswith("-ja.yaml") else "en"]
    for row in rows:
        assert unknown not in row["chosen"] and unknown not in row["usual"], row
    [fee] = [r for r in rows if r["point_id"] == "fee" and r["field"] in (None, "model")]
    assert fee["stance"] == library.ui["messages"]["neutral"]["ja" if example.endswith("-ja.yaml") else "en"]


def test_no_handling_is_rated_against_the_user_and_cautioned(library):
    """R34: 'the vendor does not handle the content' is doubtful for a generative service that reads
    the inputs and keeps a history; the user loses an entrustee's duties: it gives ground, and the
    build cautions, in the answers' language."""
    from contractkit.memo import memo_rows
    from contractkit.guidance import gives_ground
    for example, needle in (("ai-service-addendum-ja.yaml", "ベンダが個人データを取り扱わないとはいえないおそれが高い"),
                            ("ai-service-en.yaml", "the vendor may well be found to handle the personal data after all")):
        data = example_with(example, personal_data="included", appi_role="no-handling")
        data["perspective"] = "user"
        resolved = resolve_dict(library, data)
        lang = "ja" if "-ja" in example else "en"
        assert any(needle in w["text"][lang] for w in resolved.warnings), resolved.warnings
        assert gives_ground(library.points["appi-role"], "no-handling", "ai-service", "user")
        [row] = [r for r in memo_rows(library, resolved, assemble_dict(library, data)) if r["point_id"] == "appi-role"]
        assert needle in " ".join(row["warnings"])


def test_an_addendum_lists_the_provisions_of_the_standard_terms_it_changes(library):
    """R35: the addendum names what it changes in the standard terms, in a schedule the article on
    the standard terms refers to (or in the article, as one line); without a list, the priority
    rule alone speaks."""
    data = load_example("ai-service-addendum-ja.yaml")
    draft = assemble_dict(library, data)
    [schedule] = [s for s in draft.schedules if s.point == "standard-terms.changes"]
    assert schedule.title == "本規約の変更箇所" and len(schedule.rows) == 3
    text = article_text(draft, "svc-standard-terms")
    assert f"本覚書により変更され、又は適用されない本規約の主な規定は、別紙{schedule.number}に掲げるとおりとする。" in text
    assert "同別紙に掲げられていない本規約の規定であっても、本覚書の規定と異なるものについては、前項の定めるところによる。" in text
    data["answers"]["standard-terms"]["changes"] = "本規約第8条及び第11条"
    text = article_text(assemble_dict(library, data), "svc-standard-terms")
    assert "本覚書により変更され、又は適用されない本規約の主な規定は、本規約第8条及び第11条とする。" in text
    data["answers"]["standard-terms"].pop("changes")
    draft = assemble_dict(library, data)
    assert "主な規定" not in article_text(draft, "svc-standard-terms") and not draft.schedules
    en = example_with("ai-service-en.yaml", service_form="addendum",
                      standard_terms={"name": "Acme DocReader Terms of Service", "version": "version of October 1, 2026",
                                      "changes": [{"provision": "Clause 8 (Use of Input Data)", "change": "training prohibited"}]})
    draft = assemble_dict(library, en)
    [schedule] = [s for s in draft.schedules if s.point == "standard-terms.changes"]
    assert schedule.title == "Provisions of the Standard Terms Changed"
    assert (f"The principal provisions of the Standard Terms that this Addendum amends or disapplies are listed in "
            f"Schedule {schedule.number}.") in article_text(draft, "svc-standard-terms")


def test_vendor_owned_outputs_are_licensed_irrevocably_with_a_sublicence_and_no_moral_rights(library, tmp_path):
    # R32: the user passes outputs to its customers; a bare licence would leave them unlicensed and open to a
    # 同一性保持権 claim
    ja = build(EXAMPLES / "ai-service-addendum-ja.yaml", tmp_path / "ja.docx", library=library).output
    articles = docx_articles(docx.Document(str(ja)))
    number = list(articles).index("アウトプットの利用") + 1
    use = f"第{str(number).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条"
    rights = articles["アウトプットに関する権利"][0]
    assert "この許諾は非独占的なものとし、乙はこれを取り消すことができない。" in rights
    assert f"甲は、{use}に定める範囲で、第三者に対し、アウトプットの利用を再許諾することができる。" in rights
    assert rights.endswith("乙は、甲及び甲から再許諾を受けた者に対し、著作者人格権を行使しない。")
    data = example_with("ai-service-en.yaml", output_rights="vendor",
                        output_use={"scope": "business", "third_parties": True, "label_ai": False})
    en = build(write_answers(tmp_path, data, "en.yaml"), tmp_path / "en.docx", library=library).output
    articles = docx_articles(docx.Document(str(en)))
    rights = articles["Rights in Generated Outputs"][0]
    assert "Vendor grants User an irrevocable, non-exclusive licence, free of charge and without limit of time, to use" in rights
    assert "User may sublicense third parties to use the Generated Outputs within that scope." in rights
    assert rights.endswith("shall not exercise any moral rights against User or anyone sublicensed by User.")
    # outputs kept in-house: no sublicence to speak of, the moral rights still waived as against the user
    data = example_with("ai-service-ja.yaml", output_rights="vendor", output_use={"scope": "internal"})
    ja = build(write_answers(tmp_path, data, "internal.yaml"), tmp_path / "internal.docx", library=library).output
    rights = docx_articles(docx.Document(str(ja)))["アウトプットに関する権利"][0]
    assert "再許諾" not in rights and rights.endswith("乙は、甲に対し、著作者人格権を行使しない。")


def test_with_no_service_level_the_article_is_headed_by_what_it_says(library, tmp_path):
    # R36: an article that only promises a notice of a stop is not headed サービスレベル
    ja = build(EXAMPLES / "ai-service-addendum-ja.yaml", tmp_path / "ja.docx", library=library).output
    articles = docx_articles(docx.Document(str(ja)))
    assert "サービスレベル" not in articles
    assert articles["障害時の通知"][0].startswith("乙は、本件サービスの提供が停止したことを知ったときは")
    en = example_with("ai-service-en.yaml", service_level={"level": "none"}, service_form="addendum",
                      standard_terms={"name": "Acme DocReader Terms of Service", "version": "version of October 1, 2026"})
    articles = docx_articles(docx.Document(str(build(write_answers(tmp_path, en, "en.yaml"), tmp_path / "en.docx",
                                                      library=library).output)))
    assert "Service Level" not in articles and articles["Notice of Outages"][0].startswith("On becoming aware that")
    # in an agreement the article also says the service is provided as available
    en = example_with("ai-service-en.yaml", service_level={"level": "none"})
    articles = docx_articles(docx.Document(str(build(write_answers(tmp_path, en, "agreement.yaml"), tmp_path / "agreement.docx",
                                                      library=library).output)))
    assert "Service Level" not in articles
    assert articles["Interruptions and Notice of Outages"][0].startswith("Vendor provides the AI Service as available")
    ja = example_with("ai-service-ja.yaml", service_level={"level": "none"})
    articles = docx_articles(docx.Document(str(build(write_answers(tmp_path, ja, "ja.yaml"), tmp_path / "agreement-ja.docx",
                                                      library=library).output)))
    assert "サービスレベル" not in articles and "サービスの中断及び障害時の通知" in articles
    # a level keeps its heading
    en = example_with("ai-service-en.yaml", service_level={"level": "targets"})
    assert "Service Level" in docx_articles(docx.Document(str(build(write_answers(tmp_path, en, "targets.yaml"),
                                                                     tmp_path / "targets.docx", library=library).output)))


def test_with_limited_retention_the_user_may_take_its_data_back_before_deletion(library, tmp_path):
    # R26: the reference data (its design drawings, kept for the whole term) and the inputs and outputs still kept
    # are handed over on request before they are deleted at the end, as with retention for the term
    ja = build(EXAMPLES / "ai-service-ja.yaml", tmp_path / "ja.docx", library=library).output
    end = docx_articles(docx.Document(str(ja)))["インプット等の保持及び消去"][-1]
    assert end.startswith("本契約が終了したときは、乙は、甲が求めるときは保持するインプット（参照データを含む。）及びアウトプットを"
                          "甲が指定する方法により甲に引き渡した上で、遅滞なく、保持するインプット、アウトプット及び利用ログ")
    data = example_with("ai-service-en.yaml", retention={"mode": "limited", "days": 30})
    data["answers"]["input-scope"]["kinds"] = ["files", "logs"]
    en = build(write_answers(tmp_path, data, "en.yaml"), tmp_path / "en.docx", library=library).output
    end = docx_articles(docx.Document(str(en)))["Retention and Deletion of Inputs and Generated Outputs"][-1]
    assert end.startswith("When this Agreement ends, Vendor shall, after handing the Inputs and the Generated Outputs it keeps over to "
                          "User in the manner User specifies if User so requests, without delay delete the Inputs, the Generated Outputs")
    data["answers"]["input-scope"]["kinds"] = ["files", "reference-data", "logs"]
    en = build(write_answers(tmp_path, data, "ref.yaml"), tmp_path / "ref.docx", library=library).output
    end = docx_articles(docx.Document(str(en)))["Retention and Deletion of Inputs and Generated Outputs"][-1]
    assert "after handing the Inputs (the Reference Data included) and the Generated Outputs it keeps over to User" in end


@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml"])
def test_after_an_opt_out_no_data_goes_into_further_training(library, tmp_path, name):
    # R63: data input before the opt-out is not trained on afresh either; the caution says what stays in the models
    data = example_with(name, learning_use="opt-out", personal_data="none", appi_role=None)
    result = build(write_answers(tmp_path, data), tmp_path / "draft.docx", library=library)
    articles = docx_articles(docx.Document(str(result.output)))
    if name.endswith("-ja.yaml"):
        first = articles["学習その他の改善への利用"][0]
        assert "乙は、その求めが到達した日の翌日以後、インプット及びアウトプット（オプトアウトの前に入力され、又は生成されたものを含む。）を" \
            "新たに学習等のために利用してはならない。" in first
        assert "翌日以後に入力され" not in first
    else:
        first = articles["Use for Training and Improvement"][0]
        assert "Vendor shall not, from the day after the request reaches it, use any Inputs or Generated Outputs for further Training, " \
            "including those input or generated before the Opt-Out." in first
    lang = "ja" if name.endswith("-ja.yaml") else "en"
    assert any(("既に学習したモデルからは取り除かれない" if lang == "ja" else "it is not taken out of the models after the objection") in w
               for w in (w["text"][lang] for w in result.warnings)), result.warnings


def test_with_no_handling_abroad_the_user_learns_the_country_where_data_is_processed_not_only_stored(library, tmp_path):
    # R37: inference abroad is as much a matter of the foreign environment as storage abroad
    ja = build(EXAMPLES / "ai-service-addendum-ja.yaml", tmp_path / "ja.docx", library=library)
    place = docx_articles(docx.Document(str(ja.output)))["処理及び保存の場所"]
    assert any(p.startswith("乙は、インプットに含まれる個人情報を日本国外に所在する設備で処理し、又は保存するときは、") for p in place), place
    assert any("日本国外の設備で処理され、又は保存され得る" in w["text"]["ja"] for w in ja.warnings)
    data = example_with("ai-service-en.yaml", personal_data="included", appi_role="no-handling", processing_location="any",
                        processing_countries=None, learning_use="prohibited")
    en = build(write_answers(tmp_path, data), tmp_path / "en.docx", library=library)
    place = docx_articles(docx.Document(str(en.output)))["Place of Processing and Storage"]
    assert any(p.startswith("Before processing or storing Personal Information in the Inputs on equipment located outside Japan, Vendor")
               for p in place), place


@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-service-en.yaml", "ai-customization-ja.yaml", "ai-customization-en.yaml"])
@pytest.mark.parametrize("review", [True, False])
def test_human_review_is_required_where_the_checklist_means_it_not_before_every_use(tmp_path, library, name, review):
    # the checklist asks for review before outputs affect individuals or are published; the article's second
    # paragraph leaves every other use to the user's own judgement, and never makes the review a step of every use
    result = build(write_answers(tmp_path, example_with(name, human_review=review)), tmp_path / "d.docx", library=library)
    ja = name.endswith("-ja.yaml")
    paragraphs = docx_articles(docx.Document(str(result.output)))["アウトプットの確認" if ja else "Review of Generated Outputs"]
    if review:
        first, second = paragraphs
        assert first.startswith("甲は、アウトプットを個人の権利利益に影響を及ぼす判断に用い、又は公表し、若しくは第三者に提供するときは、あらかじめ、"
                                if ja else "Before using a Generated Output for a decision affecting the rights or interests of individuals, "
                                "or publishing it or providing it to a third party, User shall have"), first
        assert second == ("甲は、アウトプットが誤り又は不適切な内容を含み得ることを理解し、前項の確認を要する利用であるか否かを問わず、"
                          "自らの判断と責任においてアウトプットを利用するものとする。" if ja else
                          "User understands that Generated Outputs may contain errors or inappropriate content, and shall use them at "
                          "its own judgement and responsibility, whether or not the use is one that calls for the review under the "
                          "preceding paragraph."), second
    else:
        assert len(paragraphs) == 1
        assert paragraphs[0].endswith("アウトプットを利用する前に人による確認を行うかどうかは、甲が定める。" if ja else
                                      "Whether Generated Outputs are reviewed by a person before use is for User to decide."), paragraphs
    for paragraph in paragraphs[1:]:
        assert "確認を経た上で" not in paragraph and "after the review" not in paragraph, paragraph
