"""The common articles every contract type ends with (notices, severability, no waiver,
execution and counterparts, interpretation), the effective date, and disputes as a lawyer sets
them: built as real drafts and read back from the .docx."""
import copy
import datetime
import re

import docx
import pytest

from conftest import EXAMPLES, load_example, resolve_dict, write_answers, docx_articles as articles
from contractkit.build import build
from contractkit.errors import UserError

TYPES = ["data-provision", "data-creation", "data-sharing", "ai-nda", "ai-poc", "ai-development", "ai-use", "ai-service", "ai-customization"]
HEADINGS = {
    "ja": {"notices": "通知", "severability": "分離可能性", "no-waiver": "権利不放棄", "counterparts": "締結方法",
           "interpretation": "解釈", "entire-agreement": "完全合意"},
    "en": {"notices": "Notices", "severability": "Severability", "no-waiver": "No Waiver",
           "counterparts": "Execution and Counterparts", "interpretation": "Interpretation",
           "entire-agreement": "Entire Agreement"},
}


def build_doc(library, tmp_path, answers, name="draft"):
    path = write_answers(tmp_path, answers, f"{name}.yaml")
    result = build(path, tmp_path / f"{name}.docx", library=library)
    return result, docx.Document(str(result.output))


def preamble(document):
    return [p.text for p in document.paragraphs if p.style.name == "CK Preamble"]


def closing(document):
    return [p.text for p in document.paragraphs if p.style.name == "CK Closing"]


def whole(document):
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("contract", TYPES)
def test_every_type_has_the_common_articles_after_entire_agreement(library, tmp_path, contract, lang):
    answers = load_example(f"{contract}-{lang}.yaml")
    _, document = build_doc(library, tmp_path, answers)
    found = list(articles(document))
    names = HEADINGS[lang]
    wanted = ["notices", "severability", "no-waiver", "interpretation"]
    if contract != "data-sharing":
        wanted.insert(3, "counterparts")             # terms of use are not signed by participants
    positions = [found.index(names[w]) for w in wanted]
    assert positions == sorted(positions)
    if contract != "data-sharing":
        assert found.index(names["entire-agreement"]) < positions[0]
    else:
        assert names["counterparts"] not in found
    text = whole(document)
    for leftover in ("None", "{{", "{%", "}}"):
        assert leftover not in text


@pytest.mark.parametrize("contract", [t for t in TYPES if t != "data-sharing"])
def test_effective_date_in_the_preamble_and_the_term_counts_from_it(library, tmp_path, contract):
    answers = load_example(f"{contract}-ja.yaml")
    _, document = build_doc(library, tmp_path, answers, "signing")
    assert "本契約は、本契約の締結日（以下「効力発生日」という。）から効力を生ずる。" in preamble(document)
    assert any(p.startswith("本契約の有効期間は、効力発生日から") for p in articles(document)["有効期間"])
    answers["answers"]["effective-date"] = {"start": "fixed-date", "date": "2027年4月1日"}
    _, document = build_doc(library, tmp_path, answers, "fixed")
    assert "本契約は、2027年4月1日（以下「効力発生日」という。）から効力を生ずる。" in preamble(document)

    answers = load_example(f"{contract}-en.yaml")
    answers["answers"]["effective-date"] = {"start": "fixed-date", "date": "April 1, 2027"}
    _, document = build_doc(library, tmp_path, answers, "fixed-en")
    assert "This Agreement takes effect on April 1, 2027 (the “Effective Date”)." in preamble(document)
    assert any("from the Effective Date" in p for p in articles(document)["Term"])


@pytest.mark.parametrize("given", [datetime.date(2027, 4, 1), "2027-04-01", "２０２７－０４－０１", "2027年4月1日", "1 April 2027"])
def test_an_effective_date_is_a_real_date_written_in_the_drafts_language(library, tmp_path, given):
    answers = load_example("data-provision-bilingual.yaml")
    answers["answers"]["effective-date"] = {"start": "fixed-date", "date": given}
    result, document = build_doc(library, tmp_path, answers, "bilingual")
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("本契約は、2027年4月1日（以下「効力発生日」という。）から効力を生ずる。" in c for c in cells)
    assert any("This Agreement takes effect on April 1, 2027 (the “Effective Date”)." in c for c in cells)
    assert not any("2027-04-01" in c for c in cells)


def test_the_effective_date_may_be_the_day_the_last_party_signs(library, tmp_path):
    for lang, expected in (("ja", "本契約は、各当事者が本契約に署名若しくは記名押印し、又は電子署名を行った日のうち最も遅い日（以下「効力発生日」という。）から効力を生ずる。"),
                           ("en", "This Agreement takes effect on the date on which the last of the parties signs it, by hand or electronically (the “Effective Date”).")):
        answers = load_example(f"ai-poc-{lang}.yaml")
        answers["answers"]["effective-date"] = {"start": "last-signature"}
        _, document = build_doc(library, tmp_path, answers, f"last-{lang}")
        assert expected in preamble(document)
    # terms of use are not signed by each participant: not offered there
    answers = load_example("data-sharing-ja.yaml")
    answers["answers"]["effective-date"] = {"start": "last-signature"}
    with pytest.raises(UserError) as exc:
        build_doc(library, tmp_path, answers, "terms")
    assert re.search(r"terms\.yaml:\d+:\d+: 'last-signature' is not a valid option of 'start'.*valid choices: signing-date, fixed-date",
                     str(exc.value)), str(exc.value)


@pytest.mark.parametrize("given", ["next spring", "2027-02-30", "2027/4/1 頃", 20270401])
def test_anything_else_is_refused_at_its_place_with_the_forms_a_date_takes(library, tmp_path, given):
    answers = load_example("data-provision-en.yaml")
    answers["answers"]["effective-date"] = {"start": "fixed-date", "date": given}
    path = write_answers(tmp_path, answers)
    with pytest.raises(UserError) as exc:
        build(path, tmp_path / "draft.docx", library=library)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "date:" in text and str(given) in text)
    assert re.search(rf"answers\.yaml:{line}:\d+: needs a date written as YYYY-MM-DD \(e\.g\. 2026-12-01\), got '{re.escape(str(given))}'; "
                     r"or null: a ● to fill in", str(exc.value)), str(exc.value)
    assert not (tmp_path / "draft.docx").exists()


def test_terms_of_use_come_into_force_on_the_effective_date(library, tmp_path):
    answers = load_example("data-sharing-ja.yaml")
    answers["answers"]["effective-date"] = {"start": "fixed-date", "date": "2027年4月1日"}
    _, document = build_doc(library, tmp_path, answers)
    assert "本規約は、2027年4月1日から施行します。" in closing(document)
    assert not any("効力発生日（" in p for p in preamble(document))
    answers["answers"]["effective-date"] = {"start": "fixed-date", "date": None}
    result, document = build_doc(library, tmp_path, answers, "open")
    assert "本規約は、●から施行します。" in closing(document)
    assert any(path == "effective-date.date" for path, _ in result.placeholders)


def test_notices_form_and_effect(library, tmp_path):
    answers = load_example("data-provision-en.yaml")
    answers["answers"]["notices"] = {"form": "writing-only", "effect": "receipt"}
    _, document = build_doc(library, tmp_path, answers, "paper")
    notices = articles(document)["Notices"]
    assert "has no effect" in notices[0] and not any("e-mail address" in p for p in notices)
    assert notices[-1] == "A Notice takes effect when it reaches the other party."
    answers["answers"]["notices"] = {"form": "writing-or-email", "effect": "dispatch"}
    result, document = build_doc(library, tmp_path, answers, "email")
    notices = articles(document)["Notices"]
    assert notices[1] == "Where this Agreement requires a Notice to be in writing, it may also be given by e-mail."
    assert "designated in writing in advance" in notices[2]
    assert notices[-1] == "A Notice takes effect when it is sent to the address under the preceding paragraph."
    assert any(w["point"] == "notices.effect" for w in result.warnings)

    answers = load_example("data-provision-ja.yaml")               # the default: deemed arrival
    _, document = build_doc(library, tmp_path, answers, "ja")
    notices = articles(document)["通知"]
    assert len(notices) == 4 and "通常到達すべきであった時に到達したものとみなす。" in notices[-1]
    assert notices[1] == "本契約において書面によることとされている通知等は、電子メールによっても行うことができる。"


def test_terms_of_use_notices_speak_to_participants(library, tmp_path):
    answers = load_example("data-sharing-ja.yaml")
    _, document = build_doc(library, tmp_path, answers)
    notices = articles(document)["通知"]
    assert "本プラットフォーム上への掲示" in notices[0] and notices[0].endswith("ものとします。")
    paper = copy.deepcopy(answers)                    # the form is not a question in terms of use: left out
    paper["answers"]["notices"] = {"form": "writing-only"}
    _, again = build_doc(library, tmp_path, paper, "paper")
    assert articles(again)["通知"] == notices


@pytest.mark.parametrize("signing, ja_words, en_words", [
    ("seal", ["同一の内容の書面", "署名により本契約を締結することができる"], ["separate document", "by the signature of its representative"]),
    ("electronic", ["電子署名及び認証業務に関する法律第２条第１項", "電磁的記録を合わせて一の契約"], ["Act on Electronic Signatures", "separate electronic record"]),
])
def test_counterparts_follow_the_signing_method_and_the_closing(library, tmp_path, signing, ja_words, en_words):
    for lang, words, heading in (("ja", ja_words, "締結方法"), ("en", en_words, "Execution and Counterparts")):
        answers = load_example(f"ai-poc-{lang}.yaml")
        answers["answers"]["signing"] = signing
        _, document = build_doc(library, tmp_path, answers, f"{signing}-{lang}")
        text = "\n".join(articles(document)[heading])
        for word in words:
            assert word in text
        close = "\n".join(closing(document))
        assert ("電子署名" in close or "electronic" in close) == (signing == "electronic")


RULES = {
    "jcaa-commercial": ("一般社団法人日本商事仲裁協会の商事仲裁規則", "the Commercial Arbitration Rules of the Japan Commercial Arbitration Association"),
    "jcaa-interactive": ("一般社団法人日本商事仲裁協会のインタラクティヴ仲裁規則", "the Interactive Arbitration Rules of the Japan Commercial Arbitration Association"),
    "icc": ("国際商業会議所の仲裁規則", "the Rules of Arbitration of the International Chamber of Commerce"),
    "siac": ("シンガポール国際仲裁センターの仲裁規則", "the Arbitration Rules of the Singapore International Arbitration Centre"),
    "hkiac": ("香港国際仲裁センターの機関仲裁規則", "the HKIAC Administered Arbitration Rules"),
}


@pytest.mark.parametrize("contract", ["data-provision", "data-sharing"])
@pytest.mark.parametrize("rules", sorted(RULES))
def test_arbitration_names_the_rules_the_seat_the_tribunal_and_the_language(library, tmp_path, contract, rules):
    heading = {"ja": "準拠法及び仲裁",
               "en": "Governing Law and Dispute Resolution" if contract != "data-sharing" else "Governing Law and Arbitration"}
    for lang, index in (("ja", 0), ("en", 1)):
        answers = load_example(f"{contract}-{lang}.yaml")
        answers["answers"]["disputes"] = {"law": "japan", "forum": "arbitration", "rules": rules, "seat": "シンガポール" if lang == "ja" else "Singapore",
                                          "arbitrators": "three", "language": "en"}
        _, document = build_doc(library, tmp_path, answers, f"{rules}-{lang}")
        text = "\n".join(articles(document)[heading[lang]])
        assert RULES[rules][index] in text
        if lang == "ja":
            assert "仲裁地をシンガポールとし、3名の仲裁人により、英語で行う" in text
            assert "日本語" not in text
        else:
            assert "The seat of the arbitration under the preceding paragraph is Singapore; the tribunal consists of three arbitrators, and the proceedings are conducted in English." in text
        for other, names in RULES.items():
            if other != rules:
                assert names[index] not in text


def test_arbitration_other_rules_sole_arbitrator_japanese(library, tmp_path):
    answers = load_example("ai-use-en.yaml")
    answers["answers"]["disputes"] = {"law": "japan", "forum": "arbitration", "rules": "other", "institution": "the Japan Shipping Exchange, Inc.",
                                      "rules_name": "the TOMAC Arbitration Rules", "seat": "Tokyo, Japan", "arbitrators": "one", "language": "ja"}
    _, document = build_doc(library, tmp_path, answers)
    text = "\n".join(articles(document)["Governing Law and Dispute Resolution"])
    assert "under the TOMAC Arbitration Rules administered by the Japan Shipping Exchange, Inc. in force when the request for arbitration is filed" in text
    assert "a sole arbitrator" in text and "conducted in Japanese." in text
    answers["answers"]["disputes"].pop("rules_name")
    with pytest.raises(Exception, match="rules_name"):
        resolve_dict(library, answers)


def test_foreign_law_and_a_foreign_court_without_first_instance(library, tmp_path):
    answers = load_example("ai-development-en.yaml")
    answers["answers"]["disputes"] = {"law": "other", "law_name": "the laws of the State of New York", "forum": "court",
                                      "court_in": "abroad", "court": "the state and federal courts located in New York County"}
    result, document = build_doc(library, tmp_path, answers, "en")
    text = articles(document)["Governing Law and Dispute Resolution"]
    assert text == ["This Agreement is governed by the laws of the State of New York (without regard to conflict-of-laws rules) and shall be construed in accordance with that law.",
                    "All disputes arising out of or in connection with this Agreement are subject to the exclusive jurisdiction of the state and federal courts located in New York County."]
    assert {"disputes.law", "disputes.court_in"} <= {w["point"] for w in result.warnings}
    answers = load_example("ai-development-ja.yaml")
    answers["answers"]["disputes"] = {"law": "other", "law_name": "シンガポール法", "forum": "court", "court_in": "abroad", "court": "シンガポール共和国の裁判所"}
    _, document = build_doc(library, tmp_path, answers, "ja")
    text = articles(document)["準拠法及び合意管轄"]
    assert text[0] == "本契約の準拠法はシンガポール法（その抵触法の規定を除く。）とし、本契約は同法に従って解釈されるものとする。"
    assert "第一審" not in text[1] and "シンガポール共和国の裁判所を専属的な管轄裁判所とする。" in text[1]


def test_a_court_in_japan_keeps_first_instance(library, tmp_path):
    answers = load_example("data-creation-ja.yaml")
    answers["answers"]["disputes"] = {"law": "japan", "forum": "court", "court": "大阪地方裁判所"}
    _, document = build_doc(library, tmp_path, answers, "osaka")
    assert "大阪地方裁判所を第一審の専属的合意管轄裁判所とする。" in "\n".join(articles(document)["準拠法及び合意管轄"])


def consumer_caution(result):
    return [w for w in result.warnings if w["id"] == "consumer-arbitration"]


def test_caution_when_consumers_may_be_bound_by_arbitration(library, tmp_path):
    answers = load_example("data-sharing-en.yaml")
    answers["answers"]["eligibility"] = "open"
    answers["answers"]["disputes"] = {"law": "japan", "forum": "arbitration"}
    result, _ = build_doc(library, tmp_path, answers, "arbitration")
    [caution] = consumer_caution(result)
    assert "Arbitration Act" in caution["text"]["en"] and "仲裁法附則第３条" in caution["text"]["ja"]
    answers["answers"]["disputes"] = {"law": "japan", "forum": "court"}
    result, _ = build_doc(library, tmp_path, answers, "court")
    assert consumer_caution(result) == []
    answers = load_example("data-provision-en.yaml")          # two businesses: no caution
    answers["answers"]["disputes"] = {"law": "japan", "forum": "arbitration"}
    result, _ = build_doc(library, tmp_path, answers, "b2b")
    assert consumer_caution(result) == []


def test_bilingual_columns_agree_on_the_arbitration(library, tmp_path):
    answers = load_example("data-provision-bilingual.yaml")
    answers["answers"]["disputes"] = {"law": "japan", "forum": "arbitration", "rules": "icc", "arbitrators": "three", "language": "en"}
    result = build(write_answers(tmp_path, answers), tmp_path / "bi.docx", library=library)
    text = "\n".join(c.text for t in docx.Document(str(result.output)).tables for r in t.rows for c in r.cells)
    assert "国際商業会議所の仲裁規則" in text and "the Rules of Arbitration of the International Chamber of Commerce" in text
    assert "3名の仲裁人により、英語で行う" in text and "three arbitrators, and the proceedings are conducted in English" in text


def test_the_signing_date_reads_as_each_language_writes_a_date(library, tmp_path):
    """The date line above the signatures: 2027年3月15日 in Japanese, "March 15, 2027" in English
    and in the English column of a bilingual draft (never 2027-03-15, never 15 March)."""
    answers = load_example("data-provision-en.yaml")
    answers["date"] = datetime.date(2027, 3, 15)
    _, document = build_doc(library, tmp_path, answers, "en")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Date: March 15, 2027" in text and "2027-03-15" not in text and "15 March" not in text
    answers = load_example("data-provision-ja.yaml")
    answers["date"] = "2027-03-15"
    _, document = build_doc(library, tmp_path, answers, "ja")
    assert "2027年3月15日" in "\n".join(p.text for p in document.paragraphs)
    answers = load_example("data-provision-bilingual.yaml")
    answers["date"] = datetime.date(2027, 3, 15)
    _, document = build_doc(library, tmp_path, answers, "bilingual")
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows if len(r.cells) == 2]
    assert any("2027年3月15日" in ja.splitlines() and "Date: March 15, 2027" in en.splitlines() for ja, en in rows), \
        [r for r in rows if "2027" in r[0] + r[1]]
