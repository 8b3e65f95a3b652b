"""The ai-customization contract type (issue 15, METI's 2025 checklist, カスタマイズ型): the vendor
customises an existing model or service with the user's data and provides the customised system.
Real drafts are built in Japanese, English and side by side, and read back: every article a
practitioner expects for a customisation agreement is there, the schedules carry the customised
system, the processing results and the base model's terms, the processing results never contradict
the user's data, confidentiality or retention (refused at the answer, or the prevailing article says
so), and the type follows a PoC on the staged path."""
import copy
import re

import docx
import pytest

from conftest import (EXAMPLES, LEFTOVERS, W, article_number, article_text, articles_text, assemble_dict, docx_articles, docx_text, in_both_languages,
                      load_example, resolve_dict, write_answers)
from contractkit.build import build
from contractkit.errors import UserError

JA, EN = "ai-customization-ja.yaml", "ai-customization-en.yaml"
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff]")

# what a practitioner expects of a customisation agreement: the clause that carries each subject
EXPECTED = {
    "the work and its nature": "contract-nature",
    "the customised system and the base model": "cust-system",
    "deliverables": "work-scope",
    "the user's data (inputs for the customisation)": "user-data",
    "inputs": "ai25-inputs",
    "learning use": "ai25-learning-use",
    "retention": "ai25-retention",
    "subprocessors": "ai25-subprocessors",
    "location": "ai25-processing-location",
    "confidentiality of inputs and outputs": "ai25-confidentiality",
    "use of outputs": "ai25-output-use",
    "output rights": "ai25-output-rights",
    "human review": "ai25-human-review",
    "accuracy": "ai25-performance",
    "infringement": "ai25-ip-infringement",
    "processing results": "cust-processing-results",
    "operation and maintenance of the system after the work": "cust-operation",
    "security": "ai25-security",
    "acceptable use": "ai25-acceptable-use",
    "model changes": "ai25-model-changes",
    "completion": "completion",
    "fee": "fee",
    "the operation fee apart from the work fee": "cust-operation-fee",
    "service levels of the system while it runs": "svc-service-level",
    "copyright in the deliverables": "copyright",
    "confidentiality": "confidentiality",
    "liability": "liability",
    "the user's data at the end": "user-data-end",
}


def with_answers(example: str, **changes) -> dict:
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        data["answers"][key.replace("_", "-")] = value
    return data


def refusal(library, data) -> str:
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    return "\n".join([str(caught.value), *(getattr(caught.value, "problems", None) or [])])


def all_text(path) -> str:
    """Every paragraph of the body, in tables too (a ja+en draft is a table of two columns)."""
    body = docx.Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def headings(path) -> list[str]:
    return [p.text.strip("（）") for p in docx.Document(str(path)).paragraphs if p.style.name == "CK Article Heading"]


def schedules(path) -> list[tuple[str, list[list[str]]]]:
    """The schedules after the signature blocks: (heading, rows of cell texts)."""
    body = docx.Document(str(path)).element.body
    out, heading = [], None
    for element in body:
        if element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(f"{W}val") == "ckScheduleHeading":
                heading = "".join(t.text or "" for t in element.iter(f"{W}t"))
        elif element.tag == f"{W}tbl" and heading is not None:
            rows = [["".join(t.text or "" for t in c.iter(f"{W}t")) for c in r.iter(f"{W}tc")] for r in element.iter(f"{W}tr")]
            out.append((heading, rows))
            heading = None
    return out


# -- the drafts, built and read back ------------------------------------------------------------

@pytest.mark.parametrize("example", [JA, EN])
def test_every_article_a_customisation_agreement_needs_is_there(library, tmp_path, example):
    result = build(EXAMPLES / example, tmp_path / "d.docx", library=library, memo=tmp_path / "m.docx")
    text = docx_text(result.output)
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    assert "None" not in text and "{{" not in text
    stamp = [s.split(":")[0] for s in result.stamp]
    missing = [subject for subject, clause in EXPECTED.items() if clause not in stamp]
    assert not missing, missing
    found = headings(result.output)
    if example == JA:
        assert result.title == "AIカスタマイズ契約書"
        assert {"本件システム及びベースモデル", "処理成果の取扱い", "本データの提供及び管理", "業務の終了の確認"} <= set(found)
        assert "甲が乙に委託する既存の学習済みモデル又はAIサービスのカスタマイズについて" in text
    else:
        assert result.title == "AI Customisation Agreement"
        assert {"The Customised System and the Base Model", "Processing Results", "Confirmation of Completion of the Work"} <= set(found)
        assert not JAPANESE.search(text)
    # the customised system is defined, and the processing results with it
    draft = assemble_dict(library, load_example(example))
    definitions = article_text(draft, "definitions")
    assert ("「処理成果」とは" in definitions and "「本件システム」とは" in definitions and "「ベースモデル」とは" in definitions) \
        if example == JA else ("“Processing Results” means" in definitions and "“Customised System” means" in definitions)


def test_the_article_order_follows_the_checklist(library):
    """The work first, then inputs, processing results, personal data, then the rest."""
    template = library.templates["ai-customization"]
    order = template.articles
    groups = [["cust-system", "work-scope"], ["user-data", "ai25-inputs", "ai25-learning-use", "ai25-retention"],
              ["ai25-output-use", "ai25-output-rights", "ai25-performance"], ["cust-processing-results"],
              ["ai25-personal-data"], ["ai25-security"], ["ai25-model-changes", "completion", "fee", "liability"]]
    places = [[order.index(c) for c in group] for group in groups]
    assert all(max(a) < min(b) for a, b in zip(places, places[1:])), places


def test_bilingual_draft_has_both_columns(library, tmp_path):
    data = in_both_languages(load_example(JA), load_example(EN))
    data["answers"]["base-model"] = {"name": {"ja": "株式会社サンプルクラウドの大規模言語モデル「SampleLM」バージョン3",
                                              "en": "the large language model “SampleLM” (version 3) of Sample Cloud Inc"},
                                     "terms": "vendor-responsible"}
    result = build(write_answers(tmp_path, data), tmp_path / "bi.docx", library=library)
    text = all_text(result.output)
    assert not LEFTOVERS.search(text)
    assert "処理成果の取扱い" in text and "Processing Results" in text
    assert "本件システム" in text and "Customised System" in text
    assert [h for h, _ in schedules(result.output)] == [      # the customised system, the subprocessors and the processing results, in each language
        "別紙1（本件システムの構成）", "Schedule 1: Components of the Customised System", "別紙2（処理委託先の一覧）", "Schedule 2: List of Subprocessors",
        "別紙3（処理成果）", "Schedule 3: Processing Results"]


# -- schedules -----------------------------------------------------------------------------------

def test_the_customised_system_and_the_processing_results_are_schedules(library, tmp_path):
    data = with_answers(JA)
    data["answers"]["work-scope"]["system_specs"][2]["content"] = None     # an open cell: ● in the schedule
    result = build(write_answers(tmp_path, data), tmp_path / "ja.docx", library=library)
    tables = schedules(result.output)
    assert [h for h, _ in tables] == ["別紙1（本件システムの構成）", "別紙2（処理委託先の一覧）", "別紙3（処理成果）"]
    system, results = tables[0][1], tables[2][1]
    assert system[0] == ["構成要素", "カスタマイズの種類", "内容"]
    assert system[1][:2] == ["保守マニュアル等の検索のための索引", "文書の検索"] and system[3][2] == "●"
    assert results[0] == ["処理成果", "権利の帰属"] and results[3] == ["回答の評価用データセット", "共有"]
    # a party is named in a schedule as the articles name it, not by its role in the interview
    assert results[1] == ["検索のための索引及び埋め込みベクトル", "甲"]
    text = docx_text(result.output)
    assert "本件システムの構成要素及びその内容は、別紙1に定めるとおりとする。" in text
    assert "処理成果の明細及び各処理成果に関する権利の帰属は、別紙3に定めるとおりとし" in text
    # a result held jointly brings the article's rule on joint holding
    assert "共有に係る処理成果については" in text
    assert ("work-scope.system_specs.3.content", "別紙1") in result.placeholders


def test_flow_down_lists_the_base_model_terms_in_a_schedule_with_a_caution(library, tmp_path):
    result = build(EXAMPLES / EN, tmp_path / "en.docx", library=library)
    tables = schedules(result.output)
    assert tables[0][0] == "Schedule 1: Base Model Terms"
    assert tables[0][1][0] == ["Terms", "Version or date", "Where published (URL or other)"]
    assert tables[0][1][1] == ["SampleLM Terms of Service", "2027-04-01", "https://example.com/samplelm/terms"]
    text = docx_text(result.output)
    assert "(those listed in Schedule 1, the “Base Model Terms”) that apply to users of the Base Model" in text
    assert "As between the parties, this Agreement prevails over the Base Model Terms" in text
    assert any("base model provider's terms will bind the user" in str(w) for w in result.warnings)
    # the vendor answering for the base model: no schedule, no duty of the user, no caution
    data = with_answers(EN, base_model={"name": "the model “X” of Company A", "terms": "vendor-responsible"})
    result = build(write_answers(tmp_path, data), tmp_path / "vr.docx", library=library)
    text = docx_text(result.output)
    assert "User shall owe no duty under the Base Model Terms" in text and "Base Model Terms" not in [h for h, _ in schedules(result.output)]
    assert not any("base model provider's terms" in str(w) for w in result.warnings)


# -- processing results: holder, reuse, the end ---------------------------------------------------

@pytest.mark.parametrize("holder,needle", [("user", "甲に帰属する。"), ("vendor", "乙に帰属する"),
                                           ("shared", "甲及び乙の共有（各自の持分は均等とする。）とする")])
def test_each_holder_reads_as_chosen(library, holder, needle):
    data = with_answers(JA, processing_results={"holder": holder, "vendor_reuse": "prohibited", "at_end": "hand-over"})
    text = article_text(assemble_dict(library, data), "cust-processing-results")
    assert f"処理成果に関する権利は、{needle}" in text
    if holder == "vendor":
        assert "乙は、甲に対し、乙に帰属する処理成果を" in text and "この許諾は、本契約の終了後も" in text


def test_processing_results_prevail_over_the_copyright_and_user_data_articles_and_say_so(library):
    draft = assemble_dict(library, load_example(JA))
    text = article_text(draft, "cust-processing-results")
    assert text.startswith(f"処理成果に関する権利（著作権その他の知的財産権及びデータとしての利用の権限を含む。以下本条において同じ。）の帰属及び処理成果の利用の条件は、{article_number(draft, 'user-data')}、{article_number(draft, 'copyright')}及び{article_number(draft, 'user-data-end')}の規定にかかわらず")


def test_vendor_keeping_the_results_overrides_deletion_of_the_data_expressly(library):
    data = with_answers(EN, processing_results={"holder": "user", "vendor_reuse": "non-competing", "at_end": "vendor-keeps"})
    draft = assemble_dict(library, data)
    text = article_text(draft, "cust-processing-results")
    assert f"Notwithstanding {article_number(draft, 'user-data-end')}, Vendor may keep the Processing Results (except the index, the embedding vectors" in text
    assert "User licenses Vendor to use the Processing Results that belong to User" in text
    assert "cust-processing-results" in [a.clause_id for a in draft.articles]


def test_reuse_for_any_purpose_is_refused_where_the_data_holds_the_users_know_how(library):
    data = with_answers(JA, processing_results={"holder": "user", "vendor_reuse": "allowed", "at_end": "hand-over"})
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 「allowed」は、これらの回答の下では「processing-results\.vendor_reuse」に選べない", message)
    assert "秘密の生産ノウハウ" in message and "競合しない範囲での再利用又は禁止を選ぶこと" in message


def test_vendor_keeping_the_results_is_refused_with_personal_data(library):
    data = with_answers(EN, personal_data="included",
                        processing_results={"holder": "vendor", "vendor_reuse": "prohibited", "at_end": "vendor-keeps"})
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 'vendor-keeps' is not available for 'processing-results\.at_end'", message)
    assert "personal data is involved" in message and "choose hand-over or deletion" in message


def test_reuse_outside_competitors_excludes_what_restores_the_data(library):
    data = with_answers(EN, processing_results={"holder": "vendor", "vendor_reuse": "non-competing", "at_end": "delete"})
    text = article_text(assemble_dict(library, data), "cust-processing-results")
    assert "persons other than those competing with User" in text
    assert "such as the index, the embedding vectors and the evaluation data, are excluded from that use" in text
    assert "Improvements already made to Vendor's AI technology" in text
    know_how = copy.deepcopy(data)
    know_how["answers"]["user-data"] = {"warranty": "authority-only", "at_end": "delete", "confidential_know_how": True}
    text = article_text(assemble_dict(library, know_how), "cust-processing-results")
    assert "and the parameters and adapters adjusted on the Subject Data containing User's confidential know-how" in text


def test_a_planted_contradiction_on_processing_results_is_refused_naming_both_articles(library, tmp_path):
    """A scratch article that lets the vendor keep the processing results after the end, against
    the processing-results article's deletion: refused at the answer, both articles named."""
    import shutil
    from contractkit.library import build_library, data_root
    root = tmp_path / "lib"
    shutil.copytree(data_root(), root, ignore=shutil.ignore_patterns("usecases", "_data", "shipped"))
    (root / "usecases").mkdir()
    (root / "clauses" / "ai2025" / "planted.yaml").write_text("""id: planted
heading: {ja: 保持, en: Keeping}
variants:
  default:
    ja: "{{ vendor }}は、本契約の終了後も処理成果を保持することができる。"
    en: "{{ vendor }} may keep the Processing Results after this Agreement ends."
rules:
  - object: processing-results
    party: vendor
    act: keep
    time: after-end
    is: allowed
guidance: {ja: 試験用の条項である。, en: A clause for a test.}
""", encoding="utf-8")
    template = root / "templates" / "ai-customization.yaml"
    template.write_text(template.read_text(encoding="utf-8").replace("  - cust-processing-results\n", "  - cust-processing-results\n  - planted\n"), encoding="utf-8")
    planted = build_library(root)
    message = refusal(planted, load_example(JA))
    assert "二つの条項が矛盾している" in message   # in the answers' language
    assert "cust-processing-results" in message and "planted" in message


# -- perspective, memo ------------------------------------------------------------------------------

def test_each_side_opens_at_its_own_positions(library):
    data = load_example(EN)
    for point in ("processing-results", "base-model"):
        data["answers"].pop(point)
    vendor = resolve_dict(library, data)
    assert vendor.values["processing-results"] == {"holder": "vendor", "vendor_reuse": "non-competing", "at_end": "delete", "details": None}
    assert vendor.values["base-model"]["terms"] == "flow-down"
    data["perspective"] = "user"
    user = resolve_dict(library, data)
    assert user.values["processing-results"] == {"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over", "details": None}
    assert user.values["base-model"]["terms"] == "vendor-responsible"


def test_the_memo_gives_each_processing_results_position_a_fallback(library):
    from contractkit.assemble import assemble
    from contractkit.memo import memo_rows
    resolved = resolve_dict(library, load_example(JA))
    rows = [r for r in memo_rows(library, resolved, assemble(library, resolved)) if r["point_id"] == "processing-results"]
    fields = {r["field"] for r in rows}
    assert {"holder", "vendor_reuse", "at_end"} <= fields
    fallbacks = {r["field"]: r.get("fallback_answer") for r in rows}
    assert fallbacks["holder"] == ("processing-results", "holder", "shared")
    assert fallbacks["at_end"] == ("processing-results", "at_end", "delete")


# -- the staged path --------------------------------------------------------------------------------

def test_customisation_follows_a_poc_and_takes_over_what_means_the_same(library, tmp_path):
    from contractkit.answers import load_answers
    staged = EXAMPLES / "staged-ja"
    nda = load_answers(staged / "1-nda.yaml", library)
    poc = load_answers(staged / "2-poc.yaml", library)
    cust = load_answers(staged / "3-customization.yaml", library)
    assert cust.contract == "ai-customization" and cust.parties == nda.parties and cust.lang == "ja"
    for pid in ("purpose", "data-scope", "confidentiality", "disputes", "signing", "personal-data"):
        assert cust.origins[pid] == "from" and cust.values[pid] == nda.values[pid], pid
    for pid in ("user-data", "liability"):
        assert cust.origins[pid] == "from" and cust.values[pid] == poc.values[pid], pid
    # settled anew at this stage
    for pid in ("work-scope", "contract-nature", "copyright", "fee", "term", "customization", "base-model", "processing-results"):
        assert cust.origins[pid] == "answers", pid
    result = build(staged / "3-customization.yaml", tmp_path / "c.docx", library=library)
    text = docx_text(result.output)
    # the carried answers land in the draft: the NDA's purpose, the PoC's know-how and deletion, the court
    assert "業務用空調機器の運転データを用いた異常検知及び故障予測の実現に用いるため" in text
    assert "両当事者は、本データに甲の生産に関する秘密のノウハウが含まれることを確認する。" in text
    assert "甲から提供を受けた本データ（その複製物及びこれを加工したデータを含む。）を、速やかに復元することができない方法により消去しなければならない。" in text
    assert "大阪地方裁判所を第一審の専属的合意管轄裁判所とする。" in text
    assert "サンプル空調株式会社" in text and "株式会社アクメAIラボ" in text
    # and the know-how carried from the PoC narrows the vendor's reuse of the processing results
    assert "甲の秘密のノウハウを含む本データを用いて調整されたパラメータ及びアダプタは、この利用の対象とならない。" in text


# -- processing results against learning use and retention (the shared 2025 articles) -------------

def test_reuse_for_any_purpose_is_refused_when_inputs_may_not_train(library):
    for learning in ("prohibited", "opt-in"):
        data = with_answers(EN, learning_use=learning,
                            processing_results={"holder": "vendor", "vendor_reuse": "allowed", "at_end": "delete"})
        message = refusal(library, data)
        assert re.search(r"answers\.yaml:\d+:\d+: 'allowed' is not available for 'processing-results\.vendor_reuse'", message), learning
        assert "training on the inputs is prohibited or limited to designated data" in message


def test_reuse_for_any_purpose_prevails_over_the_learning_article_and_says_so(library):
    data = with_answers(EN, learning_use="allowed",
                        processing_results={"holder": "vendor", "vendor_reuse": "allowed", "at_end": "delete"})
    draft = assemble_dict(library, data)
    text = article_text(draft, "cust-processing-results")
    assert f"except that the Processing Results arising from Training on the Inputs or the Generated Outputs under {article_number(draft, 'ai25-learning-use')} are governed by that Article" in text
    assert "may, during the term of this Agreement, use the Processing Results for any purpose and provide them to third parties" in text
    assert "neither the Subject Data nor the Inputs can be restored or inferred" in text


def test_reuse_outside_competitors_gives_way_to_a_ban_on_training(library):
    data = with_answers(JA, learning_use="prohibited",
                        processing_results={"holder": "shared", "vendor_reuse": "non-competing", "at_end": "hand-over"})
    draft = assemble_dict(library, data)
    text = article_text(draft, "cust-processing-results")
    # R19: not an empty exception (「第９条に定める場合を除き」) but, by name, the results the learning-use
    # article reserves to the user's system, carved out of what may be reused
    learning = article_number(draft, 'ai25-learning-use')
    assert "に定める場合を除き" not in text
    assert (f"処理成果（{learning}の規定により甲に対する本件システムの提供のためにのみ利用することができるインプット又はアウトプットの処理成果を除く。）"
            "のうちプロンプト、ワークフローその他の甲の秘密情報を含まない部分を") in text
    assert "インプット又はアウトプットを処理したことにより処理成果が生じたときは、これを甲に対する本件システムの提供のためにのみ利用する" in article_text(draft, "ai25-learning-use")
    # with designated data, the results of the designated data are the learning-use article's own
    data = with_answers(EN, learning_use="opt-in",
                        processing_results={"holder": "shared", "vendor_reuse": "non-competing", "at_end": "hand-over"})
    draft = assemble_dict(library, data)
    text = article_text(draft, "cust-processing-results")
    assert "Except as provided in" not in text
    assert (f"(but not the Processing Results of Inputs or Generated Outputs other than the Designated Data, which "
            f"{article_number(draft, 'ai25-learning-use')} reserves to providing the Customised System to User)") in text
    # with training allowed there is nothing to give way to
    data = with_answers(JA, learning_use="allowed",
                        processing_results={"holder": "shared", "vendor_reuse": "non-competing", "at_end": "hand-over"})
    text = article_text(assemble_dict(library, data), "cust-processing-results")
    assert "のためにのみ利用することができるインプット又はアウトプットの処理成果を除く" not in text
    assert text.count("乙は、本業務の遂行並びに本件システムの運用及び保守のほか、本契約の有効期間中、処理成果のうちプロンプト") == 1


def test_vendor_keeping_the_results_is_refused_when_nothing_may_be_retained(library):
    data = with_answers(EN, retention={"mode": "none"},
                        processing_results={"holder": "vendor", "vendor_reuse": "prohibited", "at_end": "vendor-keeps"})
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 'vendor-keeps' is not available for 'processing-results\.at_end'", message)
    assert "no retention" in message


def test_results_kept_while_training_is_banned_draw_a_caution(library):
    data = with_answers(EN, learning_use="prohibited", retention={"mode": "limited", "days": 30},
                        processing_results={"holder": "user", "vendor_reuse": "prohibited", "at_end": "vendor-keeps"})
    resolved = resolve_dict(library, data)
    assert any("the vendor may keep the processing results after the end" in str(w) for w in resolved.warnings)


@pytest.mark.parametrize("mode", [{"mode": "free"}, {"mode": "notice", "notice_days": 30}, {"mode": "consent"}])
def test_a_change_of_the_base_model_brings_a_re_evaluation_of_the_customised_system(library, mode):
    ja = article_text(assemble_dict(library, with_answers(JA, model_changes=mode)), "ai25-model-changes")
    en = article_text(assemble_dict(library, with_answers(EN, model_changes=mode)), "ai25-model-changes")
    assert "変更後のベースモデルを用いた本件システムの性能（アウトプットの精度を含む。）を再評価し、その結果を甲に報告しなければならない。" in ja
    assert "re-evaluate the performance of the Customised System running on the changed Base Model, including the accuracy of the Generated Outputs" in en
    assert "adjust the prompts and the other customisation" in en


def test_guaranteed_metrics_on_generative_output_draw_the_caution(library, tmp_path):
    data = with_answers(EN, performance="guaranteed-metrics")
    result = build(write_answers(tmp_path, data), tmp_path / "g.docx", library=library)
    assert any("Generative outputs vary for the same input" in str(w) for w in result.warnings)


def test_results_of_training_the_user_allowed_stay_with_the_learning_article(library):
    """With training on inputs allowed (or designated), the learning article gives those results to
    the vendor; the processing-results article says so instead of giving them to the user too."""
    data = with_answers(JA, learning_use="opt-in")
    draft = assemble_dict(library, data)
    text = article_text(draft, "cust-processing-results")
    assert f"ただし、{article_number(draft, 'ai25-learning-use')}の規定によりインプット又はアウトプットを用いて行う学習等により生じた処理成果については、同条の定めるところによる。" in text
    assert "学習許諾データを用いた学習等により生じた処理成果（AIモデルの改善を含む。）は、乙に帰属する。" in article_text(draft, "ai25-learning-use")
    assert "学習等により生じた処理成果については" not in article_text(assemble_dict(library, load_example(JA)), "cust-processing-results")


@pytest.mark.parametrize("role,needle", [("entrustment", "個人情報の取扱いの委託を受けた者として"),
                                         ("third-party-provision", "個人データの第三者提供として取り扱う")])
def test_personal_data_in_a_customisation_has_its_basis(library, role, needle):
    data = with_answers(JA, personal_data="included", appi_role=role,
                        learning_use="prohibited" if role == "entrustment" else "opt-in",
                        processing_results={"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"})
    draft = assemble_dict(library, data)
    text = article_text(draft, "ai25-personal-data")
    assert needle in text
    # the customisation data (本データ) is covered as well as the inputs, whichever the basis (R59)
    assert "を含む本データを提供し、又はインプットを入力する" in text
    if role == "entrustment":
        assert "乙は、本データ又はインプットに含まれる個人情報を" in text and "本業務の遂行及び本件システムの提供のためにのみ" in text
    else:
        # S2: the customisation data and what is handled for the Work stay entrusted, in a paragraph of their own
        paragraphs = text.split("\n")
        entrusted = next(p for p in paragraphs if "委託を受けた者として" in p)
        assert entrusted.startswith("乙は、本データ、インプット及びアウトプットに含まれる個人情報を、次項に定める学習等のための利用を除き、")
        assert "本業務の遂行及び本件システムの提供のためにのみ取り扱う" in entrusted and "第三者提供" not in entrusted
        provided = next(p for p in paragraphs if "第三者提供" in p)
        assert "本データ" not in provided and provided is not entrusted
        assert f"学習許諾データとして指定したものに限り、{article_number(draft, 'ai25-learning-use')}に定める範囲内で、学習等のために利用することができる" in provided
        assert "本データ、インプット又はアウトプットに含まれる個人情報の漏えい等" in text
        assert "を含む本データ又はインプットは" not in text and "本人の同意を得るとともに" not in text
    # the article sits after the processing results and before security, as the checklist orders them
    ids = [a.clause_id for a in draft.articles]
    assert ids.index("cust-processing-results") < ids.index("ai25-personal-data") < ids.index("ai25-security")


def test_training_on_personal_data_entrusted_to_the_vendor_is_refused(library):
    data = with_answers(EN, personal_data="included", appi_role="entrustment", learning_use="allowed")
    message = refusal(library, data)
    assert "answers.yaml:" in message and ("contradict" in message or "is not available" in message)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_jointly_held_result_points_to_the_paragraph_on_the_vendors_use(library, lang):
    data = with_answers(JA if lang == "ja" else EN, processing_results={
        "holder": "shared", "vendor_reuse": "prohibited", "at_end": "hand-over"})
    paragraphs = article_text(assemble_dict(library, data), "cust-processing-results").splitlines()
    joint = next(i for i, p in enumerate(paragraphs) if p.startswith(("共有に係る処理成果", "Each party may use jointly")))
    assert paragraphs[joint].endswith(("次項の定めるところによる。", "governed by the next paragraph."))
    assert paragraphs[joint + 1].startswith(("乙は、処理成果を、本業務の遂行並びに本件システムの運用及び保守のためにのみ",
                                             "Vendor may use the Processing Results only for the Work")), paragraphs


@pytest.mark.parametrize("learning", ["prohibited", "opt-in"])
def test_a_ban_on_training_spares_the_users_own_system(library, learning):
    draft = assemble_dict(library, with_answers(JA, learning_use=learning))
    text = article_text(draft, "ai25-learning-use")
    assert "甲のためにのみ本件システムのカスタマイズ（ベースモデルそのものの学習を除く。）に利用する" in text
    en = article_text(assemble_dict(library, with_answers(EN, learning_use=learning)), "ai25-learning-use")
    assert "solely for User to customise the Customised System (not to train the Base Model itself)" in en
    assert "本業務として、又は甲の書面若しくは電磁的方法による指示に基づき" in text
    service = copy.deepcopy(load_example("ai-service-ja.yaml"))
    service["answers"]["learning-use"] = learning
    assert "カスタマイズ" not in article_text(assemble_dict(library, service), "ai25-learning-use")


@pytest.mark.parametrize("holder", ["user", "vendor", "shared"])
def test_the_base_model_stays_outside_the_deliverables_and_a_vendors_copyright_licenses_the_system(library, holder):
    for example in (JA, EN):
        draft = assemble_dict(library, with_answers(example, copyright=holder))
        text = article_text(draft, "copyright")
        system = article_number(draft, "cust-system")
        assert (f"ベースモデルは、本成果物に含まれず、その利用については、{system}の定めるところによる。"
                if example == JA else f"The Base Model is not part of the Deliverables, and its use is governed by {system}") in text
        definitions = article_text(draft, "definitions")
        assert "本件システム（ベースモデルを除く。）" in definitions or "Customised System under " + system + " (the Base Model excluded)" in definitions
        licence = ("本件システムを運用することを含む。" if example == JA else "(operating the Customised System included)")
        assert (licence in text) == (holder == "vendor"), text


@pytest.mark.parametrize("nature,start", [("quasi-mandate", "本業務の終了が確認された日の翌日から"),
                                          ("contract-for-work", "本件システムの検収の日の翌日から")])
def test_the_vendor_runs_the_system_after_the_work_for_the_rest_of_the_term(library, nature, start):
    draft = assemble_dict(library, with_answers(JA, contract_nature=nature))
    text = article_text(draft, "cust-operation")
    assert f"乙は、{start}本契約の有効期間の満了の日まで（以下「運用期間」という。）" in text
    assert f"本条に定める運用及び保守の対価は、{article_number(draft, 'cust-operation-fee')}に定める運用料とする。" in text
    assert "本件システムの検索の対象に反映する" in text          # the example customises by retrieval
    # without subprocessors the system runs on the vendor's own facilities; without retrieval nothing is re-indexed
    draft = assemble_dict(library, with_answers(EN, subprocessors="prohibited", customization=["prompts"], processing_location="japan"))
    text = article_text(draft, "cust-operation")
    assert "in an environment it controls (on Vendor's own facilities only)" in text
    assert "into the search" not in text


def test_no_subprocessors_under_a_base_model_draws_the_caution(library, tmp_path):
    data = with_answers(EN, subprocessors="prohibited", processing_location="japan")
    result = build(write_answers(tmp_path, data), tmp_path / "p.docx", library=library)
    assert any("If the base model runs in its provider's cloud, every inference sends the inputs" in str(w) for w in result.warnings)
    result = build(EXAMPLES / JA, tmp_path / "l.docx", library=library)      # listed subprocessors: no caution
    assert not any("base model runs in its provider's cloud" in str(w) or "ベースモデルが提供者のクラウドで動く" in str(w)
                   for w in result.warnings)


def test_no_article_lets_subprocessors_in_where_none_may_process(library):
    data = with_answers(JA, subprocessors="prohibited")
    data["answers"].pop("subprocessor-list")
    draft = assemble_dict(library, data)
    assert "この限りでない" not in article_text(draft, "ai25-confidentiality")
    assert "処理委託先に処理成果を取り扱わせる" not in article_text(draft, "cust-processing-results")
    # nor does any article speak of subprocessors' facilities, staff or supervision (R57)
    for clause in ("ai25-retention", "ai25-processing-location", "ai25-security"):
        assert "処理委託先" not in article_text(draft, clause), clause
    abroad = assemble_dict(library, with_answers(JA, subprocessors="prohibited", **{"subprocessor_list": None},
                                                 personal_data="included", appi_role="entrustment", processing_location="any",
                                                 processing_results={"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"}))
    for clause in ("ai25-personal-data", "ai25-processing-location", "ai25-retention"):
        assert "処理委託先" not in article_text(abroad, clause), clause
    listed = assemble_dict(library, with_answers(JA))
    assert "処理委託先に取り扱わせる場合は、この限りでない" in article_text(listed, "ai25-confidentiality")
    assert "処理委託先に処理成果を取り扱わせることができる" in article_text(listed, "cust-processing-results")


@pytest.mark.parametrize("example,named", [(JA, "本メモは、AIの利用・開発に関する契約チェックリストに照らして"),
                                           ("ai-service-en.yaml", "against METI's AI contract checklist (2025)"),
                                           ("ai-poc-ja.yaml", "本メモは、AI・データの利用に関する契約ガイドラインに照らして")])
def test_the_memo_names_the_guidance_the_type_follows(library, tmp_path, example, named):
    build(EXAMPLES / example, tmp_path / "d.docx", library=library, memo=tmp_path / "m.docx")
    assert named in docx.Document(str(tmp_path / "m.docx")).paragraphs[1].text


@pytest.mark.parametrize("example,service", [(JA, "本件サービス"), (EN, "the service")])
def test_the_memo_of_a_customisation_asks_of_the_system_not_of_a_service(library, example, service):
    """A customisation has no 本件サービス: its questions, shared with the service type (and the AI
    use type), are put so that they fit either (R13)."""
    from contractkit.memo import memo_rows
    data = load_example(example)
    rows = memo_rows(library, resolve_dict(library, data), assemble_dict(library, data))
    points = {r["point_id"]: r["point"] for r in rows}
    assert {"output-rights", "acceptable-use"} <= set(points)
    assert not [points[p] for p in ("output-rights", "acceptable-use") if service in points[p]]


@pytest.mark.parametrize("learning,cautioned", [("allowed", True), ("opt-out", True), ("opt-in", False)])
def test_training_on_inputs_beside_know_how_data_draws_the_caution(library, tmp_path, learning, cautioned):
    data = with_answers(EN, learning_use=learning)
    data["answers"]["user-data"]["confidential_know_how"] = True
    data["answers"]["processing-results"]["vendor_reuse"] = "prohibited"
    result = build(write_answers(tmp_path, data), tmp_path / "k.docx", library=library)
    assert any("the ban on using the Subject Data for other purposes can be undone through training" in str(w)
               for w in result.warnings) == cautioned


def test_acceptable_use_protects_the_base_model_not_the_users_own_system(library):
    text = article_text(assemble_dict(library, load_example(JA)), "ai25-acceptable-use")
    assert "ベースモデルのリバースエンジニアリング" in text and "アウトプットを用いてベースモデルと競合する" in text
    assert "本件システムに用いるAIモデルのリバースエンジニアリング" not in text
    data = load_example("ai-service-ja.yaml")
    data["answers"]["acceptable-use"] = ["model-extraction", "competing-model"]
    service = article_text(assemble_dict(library, data), "ai25-acceptable-use")
    assert "本件サービスに用いるAIモデルのリバースエンジニアリング" in service and "本件サービスと競合する" in service


def test_the_cap_spares_breaches_of_the_data_articles_in_a_customisation_too(library):
    draft = assemble_dict(library, load_example(JA))
    # S13: the processing results' reuse limits, deletion and hand-over are data promises too
    data = articles_text(draft, "user-data", "ai25-learning-use", "ai25-subprocessors", "ai25-processing-location",
                         "ai25-confidentiality", "cust-processing-results", "ai25-security")
    assert f"前項の上限は、損害賠償責任を負う当事者が{data}の規定に違反したことにより" in article_text(draft, "liability")


@pytest.mark.parametrize("role", ["entrustment", "third-party-provision"])
@pytest.mark.parametrize("subprocessors", ["listed", "prohibited"])
def test_personal_data_abroad_is_framed_by_who_handles_it_there(library, role, subprocessors):
    # R58: a domestic vendor handling the data abroad itself does not make the user's handing it over a
    # provision to a third party abroad; the rule on foreign provision bites on a foreign subprocessor
    changes = dict(personal_data="included", appi_role=role, processing_location="any", subprocessors=subprocessors,
                   processing_results={"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"})
    if role == "third-party-provision":
        changes["learning_use"] = "opt-in"     # with no training there is nothing to provide (refused)
    data = with_answers(JA, **changes)
    if subprocessors == "prohibited":
        data["answers"].pop("subprocessor-list")
    text = article_text(assemble_dict(library, data), "ai25-processing-location")
    assert "甲が個人情報の保護に関する法律の外国にある第三者への提供に関する規定を遵守することができるよう" not in text
    assert "外的環境の把握" in text
    foreign_subprocessor = "日本国外にある処理委託先に個人情報を取り扱わせるときは"
    assert (foreign_subprocessor in text) == (subprocessors == "listed")
    # in a customisation what is handled for the Work is entrusted either way (S2); a third-party provision adds
    # the vendor's own duties for what it trains on
    assert "委託先の監督その他の安全管理措置" in text
    own = "学習等のために自ら利用する個人情報を日本国外で取り扱うときは、個人情報取扱事業者として、外的環境の把握を含む安全管理措置を講じなければならない"
    assert (own in text) == (role == "third-party-provision")
    cautions = " ".join(w["text"]["ja"] for w in resolve_dict(library, data).warnings)
    assert "委託であっても、外国にある第三者への提供" not in cautions
    assert ("第三者提供として個人情報を受け取ったベンダ" in cautions) == (role == "third-party-provision")


def test_no_handling_of_personal_data_is_not_offered_in_a_customisation(library):
    # the vendor builds and runs the system with the customisation data: it handles the personal information
    data = with_answers(JA, personal_data="included", appi_role="no-handling",
                        processing_results={"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"})
    message = refusal(library, data)
    assert "answers.yaml:" in message and "no-handling" in message and "entrustment" in message



@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_named_operator_abroad_with_no_subprocessors_is_refused_for_what_it_is_in_the_answers_language(library, lang):
    """R53/R54: foreign processing does not presuppose a subprocessor; a schedule naming someone
    else as the operator of the facilities does. The message says so, in the answers' language,
    with the draft's own headings and words, and shows the schedule row as the answers give it."""
    countries = [{"country": "United States", "processing": "inference", "operator": "Sample Cloud Inc"}]
    data = with_answers(EN, subprocessors="prohibited", processing_countries=countries)
    data["language"] = lang
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: ", message)
    if lang == "en":
        assert "names in its schedule an operator of the facilities other than the vendor" in message
        assert "(Place of Processing and Storage;" in message and "have a contractor or subcontractor handle the Inputs" in message
        assert "processing-countries without (United States, inference, Sample Cloud Inc)" in message
        assert "Input Data" not in message and "move it out of Japan" not in message
    else:
        assert "二つの条項が矛盾している" in message and "別紙に、ベンダ以外の者を設備の運営者として記載している" in message
        assert "'ai25-processing-location'（処理及び保存の場所、" in message and "'ai25-subprocessors'（処理委託先、" in message
        assert "インプットを委託先（再委託先を含む。）に取り扱わせること" in message and "入力データ" not in message
        assert "processing-countries から (United States, inference, Sample Cloud Inc) を除く" in message
        assert "Place of Processing" not in message and "two articles" not in message
    # the vendor's own facilities abroad, with no subprocessor: coherent, and the schedule says so
    own = [dict(countries[0], operator="乙" if lang == "ja" else "Vendor")]
    data = with_answers(EN, subprocessors="prohibited", processing_countries=own)
    data["language"] = lang
    draft = assemble_dict(library, data)
    schedule = next(s for s in draft.schedules if s.point == "processing-countries")
    assert [["".join(x for x in cell if isinstance(x, str)) for cell in row] for row in schedule.rows] == \
        [["United States", "inference", "乙" if lang == "ja" else "Vendor"]]


@pytest.mark.parametrize("example", [JA, EN])
def test_the_memo_never_offers_dropping_the_anti_social_clause_or_the_gross_negligence_carve_out(library, example):
    """R15: dropping the anti-social forces clause, or a cap that covers wilful misconduct and gross
    negligence, is no fallback a Japanese practitioner offers (the ordinances; public policy)."""
    from contractkit.memo import memo_rows
    for perspective in ("user", "vendor"):
        data = load_example(example)
        data["perspective"] = perspective
        rows = memo_rows(library, resolve_dict(library, data), assemble_dict(library, data))
        lang = "ja" if example == JA else "en"
        none = library.ui["messages"]["memo_no_fallback"][lang]
        [antisocial] = [r for r in rows if r["point_id"] == "antisocial"]
        assert antisocial["chosen"] == library.ui["messages"]["yes"][lang] and antisocial["fallback"] == none, antisocial
        carve = [r for r in rows if r["point_id"] == "liability" and r["field"] == "gross_negligence_carve_out"]
        if perspective == "user":
            [carve] = carve
            assert carve["fallback"] == none, carve


@pytest.mark.parametrize("name", ["ai-service-ja.yaml", "ai-customization-ja.yaml", "ai-service-en.yaml", "ai-customization-en.yaml"])
def test_the_data_articles_survive_while_the_vendor_still_holds_the_data(library, tmp_path, name):
    # R11/R24: the vendor keeps data after the end until it is deleted, and what the law makes it keep: its
    # subprocessors, the place of processing and the security measures still bind it, for that time only
    result = build(EXAMPLES / name, tmp_path / "draft.docx", library=library)
    articles = docx_articles(docx.Document(str(result.output)))
    numbers = {h: i + 1 for i, h in enumerate(articles)}
    ja = name.endswith("-ja.yaml")
    held = ["処理委託先", "処理及び保存の場所", "安全管理措置及び事故への対応"] if ja else \
        ["Subprocessors", "Place of Processing and Storage", "Security Measures and Incidents"]
    cited = [numbers[h] for h in held]
    survival, limit = articles["存続条項" if ja else "Survival"]
    if ja:
        cite = [f"第{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" for n in cited]
        listed = survival.split("の規定は、なお効力を有する")[0]
        assert all(c + "、" in listed or c + "及び" in listed for c in cite), survival
        data = "本データ、" if "customization" in name else ""
        assert f"{cite[0]}、{cite[1]}及び{cite[2]}の規定は、本契約の終了後は、乙が{data}インプット又はアウトプットを保持する間に限り、効力を有する。" \
            == limit
    else:
        listed = survival.split(" shall survive")[0]
        assert all(re.search(rf"\b{n}(,| and)", listed) for n in cited), survival
        data = "Subject Data, " if "customization" in name else ""
        assert f"After the end of this Agreement, Articles {cited[0]}, {cited[1]} and {cited[2]} apply only while Vendor holds any " \
            f"{data}Inputs or Generated Outputs." == limit


@pytest.mark.parametrize("example", [JA, EN])
def test_joint_holders_consent_to_each_others_use_and_a_free_reuse_is_mutual(library, tmp_path, example):
    # R62 (著作権法65条): each joint holder consents to the other's use as the article allows; neither assigns its
    # share alone; where the vendor may pass the results to anyone, the user may too
    ja = example == JA
    results = {"holder": "shared", "vendor_reuse": "allowed", "at_end": "delete"}
    data = with_answers(example, learning_use="allowed", processing_results=results,
                        user_data={**load_example(example)["answers"]["user-data"], "confidential_know_how": False})
    path = build(write_answers(tmp_path, data), tmp_path / "allowed.docx", library=library).output
    joint = next(p for p in docx_articles(docx.Document(str(path)))["処理成果の取扱い" if ja else "Processing Results"]
                 if p.startswith(("共有に係る処理成果", "Each party may use jointly")))
    if ja:
        assert "相手方が本条の定めるところにより共有に係る処理成果を利用し、第三者に提供し、又はその利用を許諾することに、共有者としてあらかじめ同意する。" in joint
        assert "各当事者は、相手方の書面による承諾を得なければ、共有に係る処理成果の持分を譲渡してはならない。" in joint
        assert joint.endswith("各当事者は、相手方の承諾を得ることなく、共有に係る処理成果を第三者に提供し、又は第三者にその利用を許諾することができ、"
                              "乙がこれらをするときの条件は、次項の定めるところによる。")
        assert "乙の書面による承諾" not in joint
    else:
        assert "consents in advance, as a joint holder, to the other party using them, providing them to third parties or licensing " \
            "their use as this Article allows." in joint
        assert "Neither party may assign its share in jointly held Processing Results without the other party's prior written consent." in joint
        assert joint.endswith("Each party may provide jointly held Processing Results to third parties or license third parties to use them "
                              "without the other party's consent; the conditions on which Vendor may do so are governed by the next paragraph.")
    # reuse outside competitors: the consent stands, the user's licensing still needs the vendor's consent
    data = with_answers(example, processing_results={**results, "vendor_reuse": "non-competing"})
    path = build(write_answers(tmp_path, data, "nc.yaml"), tmp_path / "nc.docx", library=library).output
    joint = next(p for p in docx_articles(docx.Document(str(path)))["処理成果の取扱い" if ja else "Processing Results"]
                 if p.startswith(("共有に係る処理成果", "Each party may use jointly")))
    assert ("共有者としてあらかじめ同意する。" if ja else "consents in advance, as a joint holder,") in joint
    assert ("甲は、第三者に共有に係る処理成果の利用を許諾するときは、あらかじめ乙の書面による承諾を得なければならず" if ja else
            "User shall obtain Vendor's prior written consent before licensing a third party to use jointly held Processing Results;") in joint


def test_the_vendors_own_base_model_is_licensed_as_part_of_the_system(library, tmp_path):
    # R40: no contract of the vendor with itself: it licenses its own base model to the user for the term, and use after
    # the end (the hand-over included) is agreed separately; the caution says the results need the base model
    result = build(EXAMPLES / "staged-ja" / "3-customization.yaml", tmp_path / "staged.docx", library=library)
    articles = docx_articles(docx.Document(str(result.output)))
    system = articles["本件システム及びベースモデル"]
    text = "\n".join(system)
    assert "ベースモデルの提供者との間の契約" not in text and "ベースモデル規約" not in text
    assert "乙は、甲に対し、本契約の有効期間中、本件システムの一部として本目的の範囲内でベースモデルを利用することを、本契約に定める対価のほかに" \
        "対価を要することなく、非独占的に許諾する。" in system[-2]
    results = list(articles).index("処理成果の取扱い") + 1
    cite = f"第{str(results).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条"
    assert system[-1] == (f"本契約の終了後の甲によるベースモデルの利用（{cite}に従って引き渡された処理成果を用いて本件システムを他の環境で利用する場合を含む。）"
                          "の条件（対価を含む。）は、両当事者が別途書面により合意するところによる。")
    assert any("ベースモデルの利用の許諾がなければ本件システムを他の環境で使えない" in w["text"]["ja"] for w in result.warnings)
    # English; the vendor's own model runs where the vendor runs it: no caution for a ban on subprocessors
    data = with_answers(EN, base_model={"name": "Vendor's time-series model “AcmeTS”, version 2", "terms": "vendor-own"},
                        subprocessors="prohibited", processing_location="japan")
    result = build(write_answers(tmp_path, data), tmp_path / "en.docx", library=library)
    system = docx_articles(docx.Document(str(result.output)))["The Customised System and the Base Model"]
    assert "Base Model Terms" not in "\n".join(system)
    assert system[-2].startswith("The Base Model is Vendor's own, and all intellectual property and other rights in it are retained by Vendor. "
                                 "Vendor grants User, for the term of this Agreement")
    assert system[-1] == "The conditions, including any fee, on which User may use the Base Model after this Agreement ends shall be as " \
        "the parties separately agree in writing."
    assert not any(w.get("id") == "base-model-without-subprocessors" for w in result.warnings), result.warnings


@pytest.mark.parametrize("name", [JA, EN, "ai-service-ja.yaml", "ai-service-en.yaml"])
def test_the_definitions_define_each_term_before_a_definition_uses_it(library, tmp_path, name):
    # R64: インプット before アウトプット before 処理成果 (Inputs, Generated Outputs, Processing Results); a term whose
    # definition uses no later one keeps the order of first appearance
    result = build(EXAMPLES / name, tmp_path / "draft.docx", library=library)
    ja = name.endswith("-ja.yaml")
    items = docx_articles(docx.Document(str(result.output)))["定義" if ja else "Definitions"][1:]
    pattern = r"^「([^」]+)」とは、(.*)$" if ja else r"^“([^”]+)” means (.*)$"
    defined = [re.match(pattern, i).groups() for i in items]
    terms = [t for t, _ in defined]
    wanted = ["インプット", "アウトプット", "処理成果"] if ja else ["Inputs", "Generated Outputs", "Processing Results"]
    assert [t for t in terms if t in wanted] == [w for w in wanted if w in terms] and wanted[1] in terms, terms
    for i, (term, definition) in enumerate(defined):
        later = [t for t in terms[i + 1:] if t in definition and term not in dict(defined)[t]]
        assert not later, f"{term} uses {later}, defined after it"



def test_an_option_refused_at_the_answer_names_the_answers_it_reads_and_the_valid_choices(library):
    """R55: the refusal says which answers rule the option out, and lists the option IDs that are left."""
    data = with_answers(EN, personal_data="included", appi_role="entrustment")
    data["answers"]["processing-results"]["at_end"] = "vendor-keeps"
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 'vendor-keeps' is not available for 'processing-results\.at_end'", message)
    assert "(the answers it reads: retention.mode: " in message and "personal-data: included)" in message, message
    assert message.rstrip().endswith("; valid choices: hand-over, delete"), message


# -- running the system after the work: its fee, its service levels and its end (R2, R47) --------

def paragraphs_of(draft, clause_id: str) -> list[str]:
    return article_text(draft, clause_id).split("\n")


@pytest.mark.parametrize("example", [JA, EN])
def test_the_operation_fee_is_apart_from_the_work_fee_and_each_is_settled_on_an_early_end(library, tmp_path, example):
    """A monthly operation fee has an article of its own: the fee article is the work's, the
    operation fee accrues month by month (a part month by days, an early end up to its day), the
    early-end article pro-rates the work fee only, and the damages cap counts both fees."""
    result = build(EXAMPLES / example, tmp_path / "d.docx", library=library)
    found = docx_articles(docx.Document(str(result.output)))
    draft = assemble_dict(library, load_example(example))
    fee, op_fee, op = (article_number(draft, c) for c in ("fee", "cust-operation-fee", "cust-operation"))
    if example == JA:
        assert found["対価"][0] == "甲は、乙に対し、本業務の対価として、金12,000,000円（消費税及び地方消費税を除く。）を支払うものとする。"
        assert any("本業務の終了の確認を受けた後でなければ、前項の請求書を発行することができない" in p for p in found["対価"])
        operation_fee = found["運用料"]
        assert operation_fee[0] == (f"甲は、乙に対し、{op}に定める本件システムの運用及び保守の対価（以下「運用料」という。）として、"
                                    f"{fee}に定める本業務の対価とは別に、運用期間の各暦月につき金400,000円（消費税及び地方消費税を除く。）を支払うものとする。")
        assert "日割りにより計算した額とする" in operation_fee[1]
        assert "終了の日の翌日以後の期間に係る運用料を支払う義務を負わない" in operation_fee[3]
        early = found["中途終了時の対価"]
        assert f"{fee}に定める本業務の対価のうち、終了の日までに乙が遂行した本業務の割合に応じた額" in early[1]
        assert early[-1] == f"本条の規定は本業務の対価について適用し、運用料の精算は、{op_fee}の定めるところによる。"
        assert f"{fee}及び{op_fee}に定める対価の総額" in "".join(found["損害賠償"])
        assert f"本条に定める運用及び保守の対価は、{op_fee}に定める運用料とする。" in found["本件システムの運用及び保守"]
    else:
        assert found["Consideration"][0] == "User shall pay Vendor JPY 12,000,000 (exclusive of consumption tax) as consideration for the Work."
        operation_fee = found["Operation Fee"]
        assert operation_fee[0] == (f"As consideration for the operation and maintenance of the Customised System under {op} (the “Operation Fee”), "
                                    f"User shall pay Vendor, in addition to the consideration for the Work under {fee}, JPY 400,000 for each calendar month "
                                    "of the Operation Period (exclusive of consumption tax).")
        assert "owes no Operation Fee for any later period" in operation_fee[3]
        early = found["Fee on Early End"]
        assert f"the part of the consideration for the Work under {fee} that corresponds to the proportion of the Work" in early[1]
        assert early[-1] == f"This Article applies to the consideration for the Work; the Operation Fee is settled under {op_fee}."
        assert f"the total consideration set out in Articles {fee.split()[1]} and {op_fee.split()[1]}" in "".join(found["Damages"])
    assert "cust-operation-fee" in [s.split(":")[0] for s in result.stamp]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_running_paid_by_the_work_fee_has_no_operation_fee_and_an_early_end_separates_the_running(library, lang):
    draft = assemble_dict(library, with_answers(JA if lang == "ja" else EN, operation={"fee": "included"}))
    ids = [a.clause_id for a in draft.articles]
    assert "cust-operation-fee" not in ids and "cust-operation" in ids
    fee = article_number(draft, "fee")
    operation, early, cap = (article_text(draft, c) for c in ("cust-operation", "early-end-fee", "liability"))
    if lang == "ja":
        assert f"本条に定める運用及び保守の対価は、{fee}に定める対価に含まれるものとし、甲は、これとは別に運用及び保守の対価を支払う義務を負わない。" in operation
        assert "本契約の対価として、金12,000,000円" in article_text(draft, "fee")
        assert f"{fee}に定める対価（これに含まれる運用期間中の本件システムの運用及び保守の対価に相当する部分を除く。）のうち、終了の日までに乙が遂行した本業務の割合に応じた額" in early
        assert f"本契約が運用期間の途中で終了した場合には、乙は、{fee}に定める対価のうち、終了の日の翌日から有効期間の満了の日までの本件システムの運用及び保守の対価に相当する額" in early
        assert f"{fee}に定める対価の総額" in cap and "及び第" not in cap.split("対価の総額")[0][-12:]
    else:
        assert f"is included in the fee under {fee}, and User owes no further consideration for them." in operation
        assert "(less the part of it that corresponds to the operation and maintenance of the Customised System during the Operation Period)" in early
        assert "If this Agreement ends during the Operation Period, Vendor shall refund to User the part of the consideration" in early


def test_running_paid_by_the_work_fee_draws_the_caution_and_leaves_no_fee_to_credit(library, tmp_path):
    result = build(write_answers(tmp_path, with_answers(JA, operation={"fee": "included"})), tmp_path / "i.docx", library=library)
    assert any("運用の対価を業務の対価に含めると" in str(w) for w in result.warnings), result.warnings
    # a committed availability credits a month's operation fee: with none, it is refused with the reason
    said = refusal(library, with_answers(JA, operation={"fee": "included"}, service_level={"level": "sla"}))
    assert "service-level" in said and "本件システムの運用の対価を業務の対価に含めている" in said, said


@pytest.mark.parametrize("level", ["none", "targets", "sla"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_service_levels_of_the_running_system(library, level, lang):
    """A customisation asks the service level too: targets by default; with none the operation article
    gives notice of failures itself, and no service-level article stands; a committed availability
    credits the month's operation fee."""
    data = with_answers(JA if lang == "ja" else EN, service_level={"level": level})
    draft = assemble_dict(library, data)
    ids = [a.clause_id for a in draft.articles]
    operation = article_text(draft, "cust-operation")
    assert ("svc-service-level" in ids) == (level != "none")
    if level == "none":
        assert ("速やかにその旨及び復旧の見込みを甲に通知しなければならない" if lang == "ja" else "promptly notify User of it and of when it expects to restore it") in operation
        return
    sl = article_number(draft, "svc-service-level")
    assert (f"稼働率その他のサービスレベル及び障害が生じたときの通知は、{sl}の定めるところによる" if lang == "ja"
            else f"notice of its failures, are governed by {sl}") in operation
    text = article_text(draft, "svc-service-level")
    assert ("本件サービス" not in text) and ("AI Service" not in text)
    if level == "sla":
        op_fee = article_number(draft, "cust-operation-fee")
        assert (f"{op_fee}に定める運用料のうち当該暦月に係る額の10%に相当する額を、翌月以降の運用料から減額する" if lang == "ja"
                else f"10% of that month's Operation Fee under {op_fee} against the Operation Fee for later months") in text
        assert ("本件システムの運用期間中の各暦月の稼働率" if lang == "ja" else "in each calendar month of the Operation Period") in text


def test_a_customisation_defaults_to_service_level_targets(library):
    data = load_example(EN)
    assert "service-level" not in data["answers"]
    text = article_text(assemble_dict(library, data), "svc-service-level")
    assert "target levels for the availability of the Customised System" in text


@pytest.mark.parametrize("at_end", ["hand-over", "delete"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_at_the_end_the_running_system_is_handed_over_or_stopped(library, tmp_path, at_end, lang):
    data = with_answers(JA if lang == "ja" else EN)
    data["answers"]["processing-results"] = {**data["answers"].get("processing-results", {}), "at_end": at_end}
    draft = assemble_dict(library, data)
    operation = article_text(draft, "cust-operation")
    results = article_number(draft, "cust-processing-results")
    if at_end == "hand-over":
        assert (f"{results}の定めるところによる処理成果の引渡しに併せて、甲又は甲が指定する第三者が本件システムの運用を引き継ぐために" if lang == "ja"
                else f"together with handing over the Processing Results under {results}, provide information on the configuration") in operation
    else:
        assert ("乙は、運用期間の終了とともに本件システムの運用を終了する。" if lang == "ja"
                else "Vendor shall stop operating the Customised System when the Operation Period ends.") in operation
        result = build(write_answers(tmp_path, data), tmp_path / "e.docx", library=library)
        assert any(("ユーザは本件システムを利用できなくなる" if lang == "ja" else "the user can no longer use it") in str(w) for w in result.warnings)


def test_a_renewing_term_extends_the_operation_period_and_a_free_work_keeps_its_operation_fee(library):
    draft = assemble_dict(library, with_answers(JA, term={"months": 12, "auto_renew": True}, fee={"model": "free"},
                                                liability={"cap": "none"}))
    term = article_number(draft, "term")
    assert f"本契約の有効期間（{term}の定めるところにより延長された期間を含む。）の満了の日まで（以下「運用期間」という。）" in article_text(draft, "cust-operation")
    operation_fee = article_text(draft, "cust-operation-fee")
    assert "本業務の対価とは別に" not in operation_fee and "運用期間の各暦月につき金400,000円" in operation_fee
    assert operation_fee.startswith(f"{article_number(draft, 'fee')}の規定にかかわらず、甲は、乙に対し、")   # the free work's fee article yields, and is named
    assert "本業務を無償で行うものとし" in article_text(draft, "fee")


def test_the_operation_fee_in_a_bilingual_draft(library, tmp_path):
    data = in_both_languages(load_example(JA), load_example(EN))
    data["answers"]["operation"] = {"fee": "monthly", "amount": {"ja": "金400,000円", "en": "JPY 400,000"}}
    data["answers"]["base-model"] = {"name": {"ja": "株式会社サンプルクラウドの大規模言語モデル「SampleLM」バージョン3",
                                              "en": "the large language model “SampleLM” (version 3) of Sample Cloud Inc"},
                                     "terms": "vendor-responsible"}
    result = build(write_answers(tmp_path, data), tmp_path / "bi.docx", library=library, memo=tmp_path / "m.docx")
    text = all_text(result.output)
    assert "運用期間の各暦月につき金400,000円" in text and "JPY 400,000 for each calendar month of the Operation Period" in text
    memo = all_text(result.memo) if getattr(result, "memo", None) else all_text(tmp_path / "m.docx")
    assert "運用及び保守の対価" in memo


@pytest.mark.parametrize("lang,amount,reads", [("ja", "月額金400,000円", "運用期間中、月額金400,000円（消費税"),
                                                ("en", "JPY 400,000 per month", "JPY 400,000 per month during the Operation Period (exclusive")])
def test_an_operation_fee_written_per_month_is_not_said_per_month_twice(library, lang, amount, reads):
    draft = assemble_dict(library, with_answers(JA if lang == "ja" else EN, operation={"fee": "monthly", "amount": amount}))
    text = article_text(draft, "cust-operation-fee")
    assert reads in text and "各暦月につき月額" not in text and "calendar month of the Operation Period JPY" not in text, text


@pytest.mark.parametrize("name", [JA, EN, "ai-service-ja.yaml", "ai-service-en.yaml"])
@pytest.mark.parametrize("role", ["entrustment", "third-party-provision"])
def test_personal_information_is_defined_before_the_first_article_that_uses_it(library, name, role):
    # the processing-location article (and learning use, the processing results) speak of 個人情報 before the
    # personal-data article: the term is the 2025 types' own, in the definitions, never defined in an article
    ja = name.endswith("-ja.yaml")
    changes = dict(personal_data="included", appi_role=role, processing_location="any",
                   learning_use="opt-in" if role == "entrustment" or name in (JA, EN) else "prohibited")
    if name in (JA, EN):
        changes["processing_results"] = {"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"}
    draft = assemble_dict(library, with_answers(name, **changes))
    word = "個人情報" if ja else "Personal Information"
    ids = [a.clause_id for a in draft.articles]
    using = [c for c in ids if word in article_text(draft, c)]
    assert "ai25-processing-location" in using and ids.index("ai25-processing-location") < ids.index("ai25-personal-data")
    definitions = article_text(draft, "definitions")
    assert ("「個人情報」とは、個人情報の保護に関する法律（平成15年法律第５７号）第２条第１項に定める個人情報をいう。" if ja else
            "“Personal Information” means personal information as defined in Article 2, paragraph 1 of the Act on the "
            "Protection of Personal Information (Act No. 57 of 2003)") in definitions
    assert ids.index("definitions") < ids.index(using[1])
    for clause in ids:
        text = article_text(draft, clause)
        assert "個人情報（" not in text and "“Personal Information”)" not in text, (clause, text)
    if not ja and role == "third-party-provision":      # the Act's own status word stays its own
        assert "as a business operator handling personal information" in article_text(draft, "ai25-processing-location")


def test_the_2025_term_for_personal_information_is_no_term_of_the_older_types(library):
    draft = assemble_dict(library, load_example("ai-use-ja.yaml"))
    assert "「個人情報」とは" not in article_text(draft, "definitions")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("ip", ["cooperation-only", "user-bears"])
def test_the_vendors_own_base_model_is_the_vendors_in_the_infringement_and_results_articles_too(library, tmp_path, lang, ip):
    # R40's follow-up: with base-model.terms vendor-own no article treats the base model as a third party's: the vendor
    # answers for claims that its own model infringes, and no foundation-model provider stands among the subprocessors
    import shutil
    import yaml
    if lang == "ja":     # the staged example itself (it follows the PoC and the NDA), with this answer
        shutil.copytree(EXAMPLES / "staged-ja", tmp_path / "staged")
        data = yaml.safe_load((tmp_path / "staged" / "3-customization.yaml").read_text(encoding="utf-8"))
        data["answers"]["ip-infringement"] = ip
    else:
        data = with_answers(EN, base_model={"name": "Vendor's model “AcmeTS”, version 2", "terms": "vendor-own"}, ip_infringement=ip)
    data["answers"]["processing-results"] = {"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"}
    result = build(write_answers(tmp_path / "staged" if lang == "ja" else tmp_path, data), tmp_path / "d.docx", library=library)
    articles = docx_articles(docx.Document(str(result.output)))
    infringement = "\n".join(articles["第三者の権利の侵害" if lang == "ja" else "Infringement of Third-Party Rights"])
    if ip == "cooperation-only":
        assert infringement.startswith("乙は、ベースモデル自体（そのプログラム及びパラメータをいい、アウトプットを除く。以下本条において同じ。）が第三者の知的財産権を侵害しないことを保証する。"
                                       if lang == "ja" else "Vendor warrants that the Base Model itself (its programs and parameters, as distinct from the Generated Outputs)"), infringement
        assert ("又はベースモデル自体による侵害を理由とするものであるときは、乙は" if lang == "ja" else "or is that the Base Model itself infringes, however, Vendor shall compensate") in infringement
    else:
        assert ("ベースモデル自体（そのプログラム及びパラメータをいい、アウトプットを除く。）が第三者の知的財産権を侵害することを理由とする請求については、乙が自らの費用と責任においてこれを解決し"
                if lang == "ja" else "However, Vendor shall settle, at its own cost and responsibility, any claim that the Base Model itself") in infringement
        assert ("乙は、前項の請求（同項ただし書の請求を除く。）について責任を負わない。" if lang == "ja" else "Vendor is not liable for any other such claim") in infringement
    definitions = "\n".join(articles["定義" if lang == "ja" else "Definitions"])
    assert "基盤となるAIモデル" not in definitions and "foundation models" not in definitions
    results = "\n".join(articles["処理成果の取扱い" if lang == "ja" else "Processing Results"])
    assert ("その他のものに関する権利" not in results and "処理成果に含まれないものとし、乙に留保される。" in results if lang == "ja" else
            "are not Processing Results and are retained by Vendor." in results), results


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_third_partys_base_model_stays_its_providers(library, lang):
    data = with_answers(JA if lang == "ja" else EN, processing_results={"holder": "user", "vendor_reuse": "prohibited", "at_end": "hand-over"})
    draft = assemble_dict(library, data)
    assert ("乙は、本件システム又はアウトプットの利用が第三者の知的財産権を侵害しないことを保証しない。" if lang == "ja" else
            "Vendor does not warrant that the use of the Customised System or the Generated Outputs will not infringe") in article_text(draft, "ai25-ip-infringement")
    assert ("ベースモデルに関する権利はその提供者に、その他のものに関する権利は乙に、それぞれ留保される。" if lang == "ja" else
            "the rights in the Base Model remain with its provider, and those in the programs and know-how with Vendor.") in article_text(draft, "cust-processing-results")
    assert ("基盤となるAIモデル又はクラウドサービス" if lang == "ja" else "foundation models or cloud services") in article_text(draft, "definitions")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_results_reused_for_any_purpose_lose_all_personal_information_not_only_the_users(library, lang):
    # 「甲の秘密情報及び個人情報」 could read as the user's personal information only: every personal information goes
    data = with_answers(JA if lang == "ja" else EN, learning_use="opt-out",
                        processing_results={"holder": "vendor", "vendor_reuse": "allowed", "at_end": "delete"})
    data["answers"]["user-data"]["confidential_know_how"] = False
    text = article_text(assemble_dict(library, data), "cust-processing-results")
    assert ("処理成果から個人情報及び甲の秘密情報に当たる部分を削除し、かつ、本データ及び甲の入力を復元し、又は推知することができない形にしなければならない。"
            if lang == "ja" else "Vendor shall remove from them any Personal Information and any of User's Confidential Information, and put them "
            "in a form from which neither the Subject Data nor the Inputs can be restored or inferred.") in text, text
    assert "甲の秘密情報及び個人情報" not in text and "Confidential Information or personal information" not in text


@pytest.mark.parametrize("name, usual", [("staged-ja/3-customization.yaml", "ベースモデルの提供者の規約：ベンダ自身のモデル（ベンダが本件システムの一部として利用を許諾する）"),
                                         (JA, "ベースモデルの提供者の規約：ベンダが自らの責任で利用する（ユーザは拘束されない）")])
def test_the_memo_shows_a_vendors_own_base_model_as_the_usual_position_not_the_default(library, tmp_path, name, usual):
    # vendor-own is the deal's fact (in neither side's concession order): no default of the point speaks for it
    build(EXAMPLES / name, tmp_path / "d.docx", library=library, memo=tmp_path / "m.docx")
    rows = [[c.text for c in r.cells] for t in docx.Document(str(tmp_path / "m.docx")).tables for r in t.rows]
    row = next(r for r in rows if r[0] == "どの既存のモデル又はサービスをカスタマイズし、その提供者の規約は誰を拘束するか")
    assert row[2] == usual, row

