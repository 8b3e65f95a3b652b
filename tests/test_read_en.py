"""The drafts read again as an English contracts lawyer reads them, after the merges of "Coherent
drafts" and "Complete drafts": each test builds a real draft from an answers file in
tests/data/read-en/ (valid options combined in unusual ways) and reads the Word file back. One test
per class of defect found where articles meet; the phrases a style rule can catch everywhere are in
tests/test_style.py."""
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from contractkit.build import build

DATA = Path(__file__).parent / "data" / "read-en"
ALL = sorted(DATA.glob("*.yaml"))
ARTICLE = re.compile(r"Article \d+")


def build_doc(library, tmp_path, name):
    result = build(DATA / name, tmp_path / (Path(name).stem + ".docx"), library=library)
    return docx.Document(str(result.output))


def articles(document):
    """{English heading: [paragraph texts]} of a one-language draft."""
    out, current = {}, None
    for p in document.paragraphs:
        if p.style.name == "CK Article Heading":
            current = p.text
            out[current] = []
        elif current is not None and p.style.name.startswith(("CK Paragraph", "CK Item")):
            out[current].append(p.text)
    return out


def rows(document):
    """(Japanese, English) text of every two-column row of a bilingual draft."""
    def text(tc):
        return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
    out = []
    for tr in document.element.body.iter(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) == 2:
            out.append((text(cells[0]), text(cells[1])))
    return out


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_every_unusual_combination_builds_and_reads_as_english(library, tmp_path, path):
    document = build_doc(library, tmp_path, path.name)
    if "bilingual" in path.name or path.stem.endswith("-ja-en"):   # -ja-en: bilingual, one term defined
        english = "\n".join(en for _, en in rows(document))
    else:
        english = "\n".join(p.text for p in document.paragraphs)
    assert english.count("Article") > 10
    for phrase in ("attributable to", "conclusion of this Agreement", "Agreement was concluded", "excluding its conflict",
                   ") (the “APPI”) (", "Deliverables does", "the trained models and programs", "the trained models or programs",
                   "and this paragraph", "intelligent crime", "to develop a trained model to be used", "None", "{{"):
        assert phrase not in english, (path.name, phrase)
    assert not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", english)


def test_the_purpose_is_what_the_japanese_defines_and_says_trained_model_once(library, tmp_path):
    poc = articles(build_doc(library, tmp_path, "ai-poc-work-guaranteed-en.yaml"))["Purpose"][0]
    assert "proof-of-concept work (the “Work”) for verifying whether and how AI technology can be introduced for anomaly" in poc
    assert "(that verification, the “Purpose”)" in poc
    document = build_doc(library, tmp_path, "ai-development-work-bilingual.yaml")
    ja, en = next(r for r in rows(document) if r[1].startswith("This Agreement concerns"))
    assert en.startswith("This Agreement concerns the development of a trained model to be used for anomaly detection")
    assert "(the “Purpose”). It sets out the terms on which User commissions Vendor to generate that trained model" in en
    assert en.count("trained model") == 2 and "学習済みモデルを開発すること（以下「本目的」という。）" in ja


def test_the_nda_next_stage_uses_the_assessment_and_the_report_it_defines(library, tmp_path):
    text = articles(build_doc(library, tmp_path, "ai-nda-paid-icc-en.yaml"))
    assert "the “Assessment”" in text["The Assessment and its Report"][0] and "the “Report”" in text["The Assessment and its Report"][0]
    assert text["Moving to the Next Stage"][:3] == [
        "Upon completing the Assessment, Vendor shall promptly submit the Report to User in writing or by electronic means.",
        "In the light of the Report, the parties shall consult in good faith on whether to proceed to a proof of concept and, "
        "if so, on the content, duration, fees and other terms of that work.",
        "Within 45 days after the date of receiving the Report, User shall notify Vendor in writing whether it will proceed to "
        "a proof of concept. If User gives no notice within that period, it shall be deemed to have chosen not to proceed to a proof of concept."]


def test_a_foreign_law_is_named_without_its_and_a_foreign_court_without_first_instance(library, tmp_path):
    text = articles(build_doc(library, tmp_path, "ai-development-work-english-law-en.yaml"))["Governing Law and Dispute Resolution"]
    assert text == ["This Agreement is governed by the laws of England and Wales (without regard to conflict-of-laws rules) and "
                    "shall be construed in accordance with that law.",
                    "All disputes arising out of or in connection with this Agreement are subject to the exclusive jurisdiction "
                    "of the courts of England and Wales."]
    ja, en = next(r for r in rows(build_doc(library, tmp_path, "ai-development-work-bilingual.yaml")) if "準拠法は" in r[0])
    assert ja.startswith("本契約の準拠法はイングランド及びウェールズ法（その抵触法の規定を除く。）") and "England and Wales (without regard" in en


def test_terms_of_use_govern_their_languages_as_these_terms_in_both_columns(library, tmp_path):
    document = build_doc(library, tmp_path, "data-sharing-open-free-bilingual.yaml")
    heading = next(i for i, r in enumerate(rows(document)) if re.sub(r"^\d+", "", r[1]) == "Governing Language")   # after its number (a SEQ field)
    ja, en = rows(document)[heading + 1]
    assert ja.startswith("本規約は日本語及び英語により作成し") and "本契約" not in ja and ja.endswith("とします。")
    assert en.startswith("These Terms are made in Japanese and English.") and "this Agreement" not in en.lower()


def test_time_points_are_the_date_of_this_agreement_not_its_conclusion(library, tmp_path):
    poc = articles(build_doc(library, tmp_path, "ai-poc-work-guaranteed-en.yaml"))
    assert any("held by Vendor or any third party before the date of this Agreement" in p for p in poc["Copyright in the Deliverables"])
    assert any("promptly after entering into this Agreement" in p for p in poc["Cooperation and Project Meetings"])
    dev = articles(build_doc(library, tmp_path, "ai-development-work-english-law-en.yaml"))
    assert any("works it held before the date of this Agreement" in p for p in dev["Copyright in the Deliverables"])
    assert "whom User has named to Vendor in writing when entering into this Agreement" in "\n".join(dev["Definitions"])


def test_defined_terms_are_used_where_articles_meet(library, tmp_path):
    dev = articles(build_doc(library, tmp_path, "ai-development-work-english-law-en.yaml"))
    assert any("reverse engineer the Trained Model and other programs contained in the Deliverables" in p for p in dev["Prohibited Acts"])
    # a contract for work: the completion report comes with the delivery, not "with the delivery of"
    assert dev["Acceptance"][0].endswith("submit it to User when delivering the Deliverables.")
    use = articles(build_doc(library, tmp_path, "ai-use-committed-sensitive-en.yaml"))
    force_majeure = next(h for h in use if h == "Force Majeure")
    number = list(use).index(force_majeure) + 1
    assert f"suspended by Force Majeure as defined in Article {number}" in use["Service Level and Outages"][0]
    assert any("reverse engineer the AI Service or the Trained Model or other programs used in it" in p for p in use["Prohibited Acts"])
    personal = use["Handling of Personal Information"][0]
    assert "data containing personal information (“Personal Information”) as defined in the Act on the Protection of Personal " \
           "Information (Act No. 57 of 2003; the “APPI”), User shall notify Vendor" in personal
    nda = articles(build_doc(library, tmp_path, "ai-nda-paid-icc-en.yaml"))
    assert "into anonymously processed information (“Anonymously Processed Information”) as defined in the Act on the Protection " \
           "of Personal Information (Act No. 57 of 2003; the “APPI”), and in processing" in nda["Handling of Personal Information"][0]


def test_grammar_holds_with_every_answer_where_a_plural_or_an_article_follows(library, tmp_path):
    poc = articles(build_doc(library, tmp_path, "ai-poc-work-guaranteed-en.yaml"))
    assert any(p.startswith("If the Deliverables do not conform to the warranty under the preceding paragraph") for p in poc["Performance"])
    use = articles(build_doc(library, tmp_path, "ai-use-free-dedicated-en.yaml"))
    assert any(p.startswith("If the AI Service does not conform to the warranty") or "Guaranteed Performance" in p
               for p in use["Performance of the AI Service"])
    creation = articles(build_doc(library, tmp_path, "data-creation-split-en.yaml"))
    assert "Party A shall bear the costs of obtaining or receiving the Subject Data under the preceding paragraph." \
        in creation["Custody of and Access to the Subject Data"]
    assert creation["Late Payment"][0].endswith("at the statutory interest rate applicable on the day after the due date, "
                                               "for the period from the day after the due date until the day of payment.")


def test_platform_terms_read_as_english_terms_of_use(library, tmp_path):
    terms = articles(build_doc(library, tmp_path, "data-sharing-open-free-en.yaml"))
    numbers = {h: f"Article {i}" for i, h in enumerate(terms, 1)}
    assert f"or the applicant may be one of the Anti-Social Forces as defined in {numbers['Exclusion of Anti-Social Forces']}." \
        in "\n".join(terms["Registration"])
    assert terms["Minors and Consumer Participants"][:2] == [
        "A minor applying for registration shall first obtain the consent of the minor's legal representative and shall state, "
        "in the manner prescribed by the Operator, that this consent has been obtained.",
        "A minor who falsely states that the legal representative has consented, or who misrepresents having reached the age of "
        "majority, may not rescind the registration or any act done in using the Platform under these Terms."]
    survival = next(p for p in terms["Withdrawal and Cancellation of Registration"] if "continue to apply" in p)
    assert survival.startswith("This paragraph and Articles ") and re.search(r"Articles (?:\d+, )*\d+ and \d+ continue to apply", survival)
    assert any("specialised intellectual crime group" in p for p in terms["Exclusion of Anti-Social Forces"])
    assert any("exercise necessary and appropriate supervision over it" in p for p in terms["Personal Information"])
    other = articles(build_doc(library, tmp_path, "data-sharing-operator-only-en.yaml"))
    assert any("unless the dispute arises through the fault of the Operator" in p for p in other["Audits and Disputes"])
    assert any("by the 10th business day of the following month" in p for p in other["Fees"])
    assert any("through its fault, the Operator shall compensate that loss" in p or "caused by the fault of the Operator" in p
               for p in other["Duties and Liability of the Operator"])


BILINGUAL = sorted(p.name for p in DATA.glob("*bilingual.yaml"))


@pytest.mark.parametrize("name", BILINGUAL)
def test_no_row_of_a_bilingual_draft_is_empty_on_one_side(library, tmp_path, name):
    # a term the Japanese text uses as a plain word (学習済みモデル in the NDA, 競合事業者 in the PoC)
    # is defined in both columns, so the definitions stay row by row
    one_sided = [ja or en for ja, en in rows(build_doc(library, tmp_path, name)) if bool(ja.strip()) != bool(en.strip())]
    assert one_sided == []


@pytest.mark.parametrize("name", BILINGUAL)
def test_each_row_of_the_bilingual_definitions_defines_the_same_term_in_both_columns(library, tmp_path, name):
    by_ja = {t["ja"]["term"]: tid for tid, t in library.terms.items()}
    by_en = {t["en"]["term"]: tid for tid, t in library.terms.items()}
    pairs = []
    for ja, en in rows(build_doc(library, tmp_path, name)):
        a, b = re.match(r"「([^」]+)」とは", ja), re.match(r"“([^”]+)” means", en)
        if a and b and a.group(1) in by_ja:
            pairs.append((by_ja[a.group(1)], by_en.get(b.group(1))))
    assert len(pairs) >= 2 and all(j == e for j, e in pairs), pairs


def test_the_english_memo_has_no_japanese_punctuation(library, tmp_path):
    result = build(DATA / "ai-nda-paid-icc-en.yaml", tmp_path / "nda.docx", memo=tmp_path / "memo.docx", library=library)
    memo = docx.Document(str(tmp_path / "memo.docx"))
    text = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in memo.element.body.iter(qn("w:p"))]
    cautions = [t for t in text if "wilful misconduct or gross negligence is likely to be held void" in t]
    assert result.output.exists() and cautions and all(t.startswith("• ") for t in cautions)
    assert not [t for t in text if re.search(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff5e]", t)]


def test_withdrawal_ends_the_licence_the_terms_granted_not_one_to_other_participants(library, tmp_path):
    # license-scope operator-only: only the Operator holds a licence, Participants get Analysis Results
    terms = articles(build_doc(library, tmp_path, "data-sharing-operator-only-en.yaml"))
    exit_rules = terms["Data on Withdrawal and Closure"]
    number = list(terms).index("Scope of Use of Provided Data") + 1
    assert f"The licence to use Provided Data registered by the Exiting Participant granted to the Operator under Article {number} " \
           "ends on the day of the Exit, and the Operator shall not use that Provided Data to produce any further Analysis Results " \
           "after the Exit." in " ".join(exit_rules)
    assert not any("granted to other Participants" in p or p.startswith("A Using Participant that has received") for p in exit_rules)
    # each party's duty on an exit and a closure says what that party holds: Participants hold Analysis Results, never
    # Provided Data of others, so they are not told to erase Provided Data they never received
    assert not any("erase Provided Data obtained through the Platform" in p or "stop using Provided Data of other" in p for p in exit_rules)
    assert "After the Exit, the Exiting Participant may continue to use, within the scope of the Purpose, the Analysis Results " \
           "it received as part of the Services before the Exit." in exit_rules
    closure = next(p for p in exit_rules if p.startswith("When the Platform closes"))
    assert closure == ("When the Platform closes, the Operator shall erase all Provided Data it holds within 30 days after the closing "
                       "date; Participants may continue to use, within the scope of the Purpose, the Analysis Results they received "
                       "as part of the Services before the closing date.")
    fees = " ".join(terms["Fees"])   # a usage-based fee is counted on what a Participant obtains: Analysis Results
    assert "such as the number of Analysis Results obtained (the “Fees”)" in fees and "Provided Data records obtained" not in fees
    shared = articles(build_doc(library, tmp_path, "data-sharing-open-free-en.yaml"))["Data on Withdrawal and Closure"]
    assert any("may continue to be used by that Using Participant after the Exit" in p for p in shared)


def test_the_fee_reads_with_an_amount_that_states_its_period_or_a_rate_that_states_its_base(library, tmp_path):
    # "JPY 200,000 per month" paid monthly is not "per month for each calendar month"; "10% of net sales" is not
    # "10% of net sales of Recipient's sales"
    fee = articles(build_doc(library, tmp_path, "data-creation-split-en.yaml"))["Consideration"]
    assert fee[0] == "Party A shall pay Party B JPY 200,000 per month (exclusive of consumption tax) as consideration under this Agreement."
    assert fee[2] == "Party B shall issue the invoice under the preceding paragraph for each calendar month on or after the last day of that month."
    royalty = articles(build_doc(library, tmp_path, "data-provision-royalty-en.yaml"))["Consideration"]
    assert royalty[0] == ("As consideration under this Agreement, Recipient shall pay Provider an amount equal to 10% of net sales that "
                          "Recipient makes from products or services that use data under this Agreement or results obtained by processing "
                          "or analysing such data (exclusive of consumption tax).")


def test_a_data_creation_fee_schedule_names_who_pays_whom(library, tmp_path):
    document = build_doc(library, tmp_path, "data-creation-fee-schedule-en.yaml")
    fee = articles(document)["Consideration"]
    assert fee[0] == ("As consideration under this Agreement, Party B shall pay Party A for each calendar month an amount calculated by "
                      "applying the amounts for each fee item set out in Schedule 1 to the volume of data used by Party B in that month "
                      "(exclusive of consumption tax).")
    assert "Party B shall report to Party A in writing or by electronic means the volume of data it used" in fee[1]
    assert "no later than the due date that Schedule 1 sets for each fee item" in fee[2]
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Fee item", "Amount (excluding consumption tax)", "Period or stage", "Payment due"]
    assert [c.text for c in table.rows[1].cells][:2] == ["Records of sensor data delivered", "JPY 5 per record"]
    assert any(p.text == "Schedule 1: Fees" for p in document.paragraphs)


def test_the_contract_for_work_lets_the_user_end_it_before_acceptance_against_compensation(library, tmp_path):
    """請負 (Civil Code Article 641): the user may end the contract before acceptance, compensating the
    vendor less the fee for the work done; acceptance leaves an early end to the early-end fee."""
    found = articles(build_doc(library, tmp_path, "ai-development-work-english-law-en.yaml"))
    ending = "\n".join(found["Termination before Acceptance"])
    assert "Until the Deliverables pass Acceptance Inspection (or are deemed to have passed it), User may terminate this Agreement at any time by written notice to Vendor." in ending
    assert "The amount payable shall be that loss less the consideration User pays under Article 11." in ending
    acceptance = "\n".join(found["Acceptance"])
    assert "including where this Agreement ends before the Work is finished" not in acceptance
    assert "shall be governed by Article 11." in acceptance
    assert "\n".join(found["Fee on Early End"]).startswith("If this Agreement ends before the Deliverables pass Acceptance Inspection, for whatever reason (including termination under Articles 12 and 26")


def test_the_vendors_restricted_period_allows_work_for_the_user_not_the_finished_work(library, tmp_path):
    """Reuse after a period: until it ends the vendor may use the Deliverables only for the Work and
    other work for the user (after the Completion Date the Work is done: "to perform the Work" alone
    would leave the vendor no use at all, and say nothing of the term before it)."""
    result = build(Path(__file__).parent.parent / "examples" / "ai-development-en.yaml", tmp_path / "dev.docx", library=library)
    body = "\n".join(articles(docx.Document(str(result.output)))["Conditions of Use of the Deliverables"])
    assert ("Until 6 months have passed from the Completion Date, Vendor shall not use the Deliverables except as necessary to "
            "perform the Work and any other work that User separately entrusts to it, and shall not disclose") in body
    assert "beyond what is necessary to perform the Work," not in body


def test_a_poc_paid_by_milestones_takes_a_fee_schedule_in_both_columns(library, tmp_path):
    document = build_doc(library, tmp_path, "ai-poc-milestones-work-bilingual.yaml")
    english = "\n".join(en for _, en in rows(document))
    assert "the amount set out for each fee item in Schedule 1 (exclusive of consumption tax)" in english
    assert "no later than the due date that Schedule 1 sets for each fee item" in english
    assert any(p.text == "Schedule 1: Fees" for p in document.paragraphs)
    schedule = document.tables[-1]
    assert [c.text for c in schedule.rows[1].cells][:2] == ["data preparation", "JPY 1,000,000"]
