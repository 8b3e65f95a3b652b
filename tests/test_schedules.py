"""Schedules (別紙) and bilingual answers: a list of records becomes a table after the signature
blocks that the article refers to by a live field; a text stays in the article; a ja+en draft is
two real texts, and a text with no English is refused at its place."""
import re

import docx
import pytest
from lxml import etree

from conftest import EXAMPLES, W, docx_xml, load_example, schedule_references, write_answers
from contractkit.build import build
from contractkit.errors import UserError

JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f]")
DATA = [{"item": {"ja": "主軸負荷", "en": "Spindle load"}, "granularity": {"ja": "1秒ごと", "en": "every second"},
         "format": "CSV", "frequency": {"ja": "毎日", "en": "daily"}, "period": None},
        {"item": {"ja": "振動", "en": "Vibration"}, "format": "JSON"}]


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _tables_after_signatures(path):
    """The schedules as (heading, rows of cell texts), in document order."""
    document = docx.Document(str(path))
    body = document.element.body
    out, heading = [], None
    for element in body:
        if element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(f"{W}val") == "ckScheduleHeading":
                heading = _text(element)
        elif element.tag == f"{W}tbl" and heading is not None:
            rows = [[_text(c) for c in r.iter(f"{W}tc")] for r in element.iter(f"{W}tr")]
            out.append((heading, rows))
            heading = None
    return out


def test_a_listed_data_scope_is_a_schedule_the_article_refers_to(library, tmp_path):
    data = load_example("data-provision-ja.yaml")
    data["answers"]["data-scope"] = DATA
    result = build(write_answers(tmp_path, data), tmp_path / "d.docx", library=library)
    schedules = _tables_after_signatures(result.output)
    assert schedules == [("別紙1（対象データの明細）", [["データ項目", "粒度", "形式", "提供の頻度", "対象期間"],
                                                  ["主軸負荷", "1秒ごと", "CSV", "毎日", "●"],
                                                  ["振動", "●", "JSON", "●", "●"]])]
    # after the signature blocks, on a page of its own
    styles = [p.style.style_id for p in docx.Document(str(result.output)).paragraphs if p.text]
    assert styles.index("ckScheduleHeading") > max(i for i, s in enumerate(styles) if s.startswith("ckSignature"))
    headings, refs = schedule_references(result.output)
    assert headings == {"ckSch_data_scope": "別紙1"}
    assert refs and all(r == ("ckSch_data_scope", "別紙1") for r in refs)
    xml = docx_xml(result.output)
    assert "SEQ ckSchedule \\* ARABIC" in xml           # the number renumbers in Word
    text = "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)
    assert "本データは、別紙1に掲げるデータとし、その項目、粒度、形式、提供の頻度及び対象期間は、同別紙に定めるとおりとする。" in text
    assert ("data-scope.1.period", "別紙1") in result.placeholders and ("data-scope.2.granularity", "別紙1") in result.placeholders


def test_a_data_scope_in_one_line_stays_in_the_article(library, tmp_path):
    result = build(EXAMPLES / "data-provision-ja.yaml", tmp_path / "d.docx", library=library)
    assert _tables_after_signatures(result.output) == []
    assert schedule_references(result.output) == ({}, [])
    assert "（主軸負荷、振動、温度及び稼働時間）" in "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)


def test_schedules_are_numbered_in_the_order_the_articles_refer_to_them(library, tmp_path):
    data = load_example("ai-development-en.yaml")
    data["answers"]["data-scope"] = [{"item": "operating logs of the air conditioners", "format": "CSV"}]
    data["answers"]["work-scope"]["deliverable_specs"] = [
        {"item": "trained model", "form": "ONNX file", "due": "March 31, 2027"},
        {"item": "documentation", "form": "PDF", "due": None}]
    result = build(write_answers(tmp_path, data), tmp_path / "d.docx", library=library)
    schedules = _tables_after_signatures(result.output)
    # the article on the Work (Schedule 1) stands before the one on the data (Schedule 2)
    order = [s.split(":")[0] for s in result.stamp]
    assert order.index("dev-work") < order.index("data-scope")
    assert [h for h, _ in schedules] == ["Schedule 1: Deliverables", "Schedule 2: Specifications of the Subject Data"]
    assert schedules[0][1] == [["Deliverable", "Form", "Due"], ["trained model", "ONNX file", "March 31, 2027"],
                               ["documentation", "PDF", "[●]"]]
    headings, refs = schedule_references(result.output)
    assert headings == {"ckSch_work_scope__deliverable_specs": "Schedule 1", "ckSch_data_scope": "Schedule 2"}
    assert {t for t, _ in refs} == set(headings) and all(cached == headings[t] for t, cached in refs)
    text = "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)
    assert "The form and delivery date of each Deliverable shall be as set out in Schedule 1." in text
    # the field applies to development only (a PoC's report needs no schedule)
    poc = load_example("ai-poc-en.yaml")
    poc["answers"]["work-scope"]["deliverable_specs"] = data["answers"]["work-scope"]["deliverable_specs"]
    result = build(write_answers(tmp_path, poc, "poc.yaml"), tmp_path / "p.docx", library=library)
    assert _tables_after_signatures(result.output) == [] and schedule_references(result.output) == ({}, [])


def test_the_bilingual_example_is_two_texts(library, tmp_path):
    result = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "bi.docx", library=library,
                   memo=tmp_path / "memo.docx", memo_lang="en")
    document = docx.Document(str(result.output))
    english = [r.cells[1].text for r in document.tables[0].rows]
    assert not [t for t in english if JAPANESE.search(t)]
    assert "made between Sample Koki K.K. (“Provider”) and Acme Precision K.K." in english[0]
    assert "株式会社サンプル工機" in document.tables[0].rows[0].cells[0].text
    schedules = _tables_after_signatures(result.output)
    assert [h for h, _ in schedules] == ["別紙1（対象データの明細）", "Schedule 1: Specifications of the Subject Data"]
    assert not JAPANESE.search(str(schedules[1][1]))
    headings, refs = schedule_references(result.output)
    assert headings == {"ckSch_data_scope": "別紙1", "ckSchEN_data_scope": "Schedule 1"}
    columns = {t: c for t, c in refs}
    assert columns == headings
    # the English column refers to the English schedule, the Japanese to the Japanese
    for row in document.tables[0].rows:
        for column, cell in enumerate(row.cells):
            for instr in cell._tc.iter(f"{W}instrText"):
                if "ckSch" in instr.text:
                    assert ("ckSchEN_" in instr.text) == (column == 1)
    memo = docx.Document(str(tmp_path / "memo.docx"))
    assert memo.paragraphs[0].text.startswith("Negotiation memo")
    # table text at the body size: the cell styles carry no size of their own
    styles = etree.fromstring(docx_xml(result.output, "word/styles.xml").encode())
    for sid in ("ckCell", "ckCellHeading"):
        style = styles.find(f"{W}style[@{W}styleId='{sid}']")
        assert style.find(f"{W}rPr/{W}sz") is None


def test_a_text_with_no_english_is_refused_where_it_stands(library, tmp_path):
    data = load_example("data-provision-bilingual.yaml")
    data["answers"]["purpose"] = "交換部品の品質改善"
    data["parties"][1]["name"] = {"ja": "アクメ精密株式会社"}
    data["answers"]["data-scope"][0]["item"] = "主軸負荷"
    path = write_answers(tmp_path, data)
    lines = path.read_text(encoding="utf-8").splitlines()

    def at(text):
        line = next(i for i, l in enumerate(lines) if text in l)
        return f"{path}:{line + 1}:{lines[line].index(text) + 1}: "
    with pytest.raises(UserError) as info:
        build(path, tmp_path / "d.docx", library=library)
    problems = info.value.problems
    assert f"{at('交換部品の品質改善')}'交換部品の品質改善' has no English text, and this draft is ja+en" in "\n".join(problems)
    assert any(p.startswith(at("ja: アクメ精密株式会社")) and "the name of party 2 has no English text" in p for p in problems)
    assert any(p.startswith(at("主軸負荷")) and "write it as {ja: 主軸負荷, en: …}" in p for p in problems)
    assert not (tmp_path / "d.docx").exists()


def test_per_language_texts_in_a_one_language_draft(library, tmp_path):
    data = load_example("data-provision-bilingual.yaml")
    data["language"] = "en"
    result = build(write_answers(tmp_path, data), tmp_path / "en.docx", library=library)
    text = "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)
    assert "Sample Koki K.K." in text and "株式会社サンプル工機" not in text
    data["language"] = "ja"
    data["parties"][0]["name"] = {"en": "Sample Koki K.K."}
    with pytest.raises(UserError, match=r"ja\.yaml:\d+:\d+: the name of party 1 has no Japanese text"):
        build(write_answers(tmp_path, data, "ja.yaml"), tmp_path / "ja.docx", library=library)


def test_an_empty_list_is_refused(library, tmp_path):
    data = load_example("data-provision-ja.yaml")
    data["answers"]["data-scope"] = []
    with pytest.raises(UserError, match=r"answers\.yaml:\d+:\d+: this list is empty; list at least one record"):
        build(write_answers(tmp_path, data), tmp_path / "d.docx", library=library)
    data["answers"]["data-scope"] = [{"granularity": "1秒"}]
    with pytest.raises(UserError, match=r"missing required column of 'data-scope' 'item'"):
        build(write_answers(tmp_path, data), tmp_path / "d.docx", library=library)


def test_memo_lang_needs_a_bilingual_draft(library, tmp_path):
    with pytest.raises(UserError, match="--memo-lang en: this draft is in ja only"):
        build(EXAMPLES / "data-provision-ja.yaml", tmp_path / "d.docx", library=library, memo=tmp_path / "m.docx",
              memo_lang="en")
    assert not (tmp_path / "d.docx").exists()


@pytest.mark.parametrize("template", [None, "docx"])
def test_drafts_with_schedules_open_in_word_without_repair(library, tmp_path, template):
    from test_guidance import firm_template
    from test_word_compat import findings
    data = load_example("ai-development-ja.yaml")
    data["answers"]["data-scope"] = DATA
    data["answers"]["work-scope"]["deliverable_specs"] = [{"item": "学習済みモデル", "form": "ONNX形式の電子ファイル"}]
    reference = firm_template(tmp_path / "firm.docx") if template else None
    result = build(write_answers(tmp_path, data), tmp_path / "d.docx", library=library, reference=reference)
    assert len(_tables_after_signatures(result.output)) == 2
    assert findings(result.output) == []
    result = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "bi.docx", library=library, reference=reference)
    assert findings(result.output) == []


def test_a_listed_data_scope_is_carried_to_the_next_stage(library, tmp_path):
    import shutil
    from ruamel.yaml import YAML
    staged = tmp_path / "staged"
    shutil.copytree(EXAMPLES / "staged-ja", staged)
    nda = YAML(typ="safe").load((staged / "1-nda.yaml").read_text(encoding="utf-8"))
    nda["answers"]["data-scope"] = [{"item": "室外機の運転ログ", "format": "CSV"}, {"item": "故障履歴"}]
    write_answers(staged, nda, "1-nda.yaml")
    for name in ("1-nda.yaml", "2-poc.yaml"):
        result = build(staged / name, tmp_path / f"{name}.docx", library=library)
        rows = _tables_after_signatures(result.output)[0][1]
        assert [r[0] for r in rows] == ["データ項目", "室外機の運転ログ", "故障履歴"]
        headings, refs = schedule_references(result.output)
        assert headings == {"ckSch_data_scope": "別紙1"} and refs


def _paragraph_with(path, needle: str) -> str:
    return next(p.text for p in docx.Document(str(path)).paragraphs if needle in p.text)


def _refs_by_article(path) -> dict:
    """Article heading bookmark → the schedule bookmarks its REF fields point at."""
    body = etree.fromstring(docx_xml(path).encode())
    found, article = {}, None
    for p in body.iter(f"{W}p"):
        start = p.find(f"{W}bookmarkStart")
        if start is not None and start.get(f"{W}name").startswith("ck_"):
            article = start.get(f"{W}name")
        for instr in p.iter(f"{W}instrText"):
            words = instr.text.split()
            if words[0] == "REF" and words[1].startswith("ckSch") and article:
                found.setdefault(article, set()).add(words[1])
    return found


def test_the_service_specifications_and_the_fees_are_schedules_the_articles_refer_to(library, tmp_path):
    result = build(EXAMPLES / "ai-use-en.yaml", tmp_path / "en.docx", library=library)
    schedules = _tables_after_signatures(result.output)
    assert [h for h, _ in schedules] == ["Schedule 1: Specifications of the AI Service", "Schedule 2: Fees"]
    specs, fees = schedules[0][1], schedules[1][1]
    assert specs[0] == ["Item", "Description"]
    assert [r[0] for r in specs[1:]] == ["Name of the service", "Functions", "Service hours", "Support",
                                         "Data that may be input", "Output", "Limits of use"]
    assert specs[3][1].startswith("24 hours a day, every day")
    assert fees[0] == ["Fee item", "Amount (excluding consumption tax)", "Period or stage", "Payment due"]
    assert fees[1][:2] == ["initial set-up fee", "JPY 500,000"] and len(fees) == 3
    headings, refs = schedule_references(result.output)
    assert headings == {"ckSch_service_specs": "Schedule 1", "ckSch_fee__breakdown": "Schedule 2"}
    assert refs and all(cached == headings[t] for t, cached in refs)
    # the service article, the service-level article and the fee article each refer by a field
    by_article = _refs_by_article(result.output)
    assert by_article["ck_use_service"] == {"ckSch_service_specs"}
    assert by_article["ck_use_service_level"] == {"ckSch_service_specs"}
    assert by_article["ck_fee"] == {"ckSch_fee__breakdown"}
    assert "(that document together with Schedule 1, the “Service Specifications”)" in _paragraph_with(result.output, "Service Specifications”")
    assert ("the specifications set out in Schedule 1 may be changed only by written agreement"
            in _paragraph_with(result.output, "may be changed only by written agreement"))
    assert "during the service hours set out in Schedule 1." in _paragraph_with(result.output, "reasonable efforts to provide")
    assert "through the support set out in Schedule 1." in _paragraph_with(result.output, "an “Outage”")
    fee = _paragraph_with(result.output, "as consideration under this Agreement, the amount set out for each fee item")
    assert fee == ("User shall pay Vendor, as consideration under this Agreement, the amount set out for each fee item in "
                   "Schedule 2 (exclusive of consumption tax).")
    assert "no later than the due date that Schedule 2 sets for each fee item." in _paragraph_with(result.output, "bank transfer")
    assert not [p for p, _ in result.placeholders if p.startswith("fee.")]


def test_service_hours_count_the_availability_and_a_line_of_text_stays_in_the_article(library, tmp_path):
    from conftest import assemble_dict, draft_plain_text
    data = load_example("ai-use-ja.yaml")
    text = draft_plain_text(assemble_dict(library, data))
    assert "本件サービスの機能、提供時間その他の仕様は、別紙1に定めるとおりとし、同別紙に定めのない細目は、" in text
    assert "「対象時間」とは、当該暦月のうち別紙1に定める提供時間に当たる時間から、" in text
    assert "甲は、サービス障害の申告その他の問合せを、別紙1に定めるサポートにより行うことができる。" in text
    # no service hours listed: the month's total hours; no support listed: no support sentence
    data["answers"]["service-specs"] = [{"item": "name", "content": "空調機器異常検知サービス"},
                                        {"item": "limits", "content": "監視対象機器は5,000台まで"}]
    text = draft_plain_text(assemble_dict(library, data))
    assert "「対象時間」とは、当該暦月の総時間から、" in text and "定めるサポート" not in text
    assert "別紙1に定める仕様の変更は、両当事者が書面により合意した場合に限り、効力を生ずる。" in text
    data["answers"]["service-specs"] = "空調機器の運転データから異常の兆候を検知して通知するクラウドサービス"
    draft = assemble_dict(library, data)
    assert draft.schedules == []
    text = draft_plain_text(draft)
    assert "本件サービスの概要は、次のとおりとする。\n  空調機器の運転データから異常の兆候を検知して通知するクラウドサービス" in text
    assert "（以下「サービス仕様書」という。）" in text and "別紙" not in text
    data["answers"].pop("service-specs")
    text = draft_plain_text(assemble_dict(library, data))
    assert "両当事者が別途書面により合意する仕様書（以下「サービス仕様書」という。）に定めるところによる。" in text
    assert "別紙" not in text and "概要" not in text


def test_milestone_and_per_period_fees_are_a_schedule(library, tmp_path):
    from conftest import assemble_dict, draft_plain_text
    dev = load_example("ai-development-ja.yaml")
    dev["answers"]["fee"] = {"model": "fixed", "breakdown": [
        {"item": "着手金", "amount": "金300万円", "period": "本契約の締結時", "payment": "本契約の締結日の属する月の翌月末日"},
        {"item": "残金", "amount": "金700万円", "period": "検収の完了時"}]}
    result = build(write_answers(tmp_path, dev), tmp_path / "dev.docx", library=library)
    schedules = _tables_after_signatures(result.output)
    assert schedules[-1] == ("別紙1（対価の明細）", [["費目", "金額（消費税別）", "対象期間又は時期", "支払期日"],
                                              ["着手金", "金300万円", "本契約の締結時", "本契約の締結日の属する月の翌月末日"],
                                              ["残金", "金700万円", "検収の完了時", "●"]])
    assert ("fee.breakdown.2.payment", "別紙1") in result.placeholders
    text = docx.Document(str(result.output))
    fee = "\n".join(p.text for p in text.paragraphs)
    assert "甲は、乙に対し、本契約の対価として、別紙1に掲げる費目ごとに、同別紙に定める金額（消費税及び地方消費税を除く。）を支払うものとする。" in fee
    assert "別紙1に費目ごとに定める支払期日までに" in fee
    assert "を受けた後でなければ、前項の請求書を発行することができない" not in fee   # each milestone falls due as listed
    assert _refs_by_article(result.output)["ck_fee"] == {"ckSch_fee__breakdown"}
    # data provision: fees per period; the one-off/monthly question no longer applies, nor the
    # invoice after inspection, and the fee article's amount is not asked
    dp = load_example("data-provision-en.yaml")
    dp["answers"]["fee"] = {"model": "fixed", "breakdown": [
        {"item": "initial data set", "amount": "JPY 1,000,000", "period": "once", "payment": "30 days after delivery"},
        {"item": "monthly data", "amount": "JPY 200,000", "period": "each calendar month", "payment": "the end of the following month"}]}
    dp["answers"]["acceptance"] = {"check": "deemed", "days": 10}
    from conftest import resolve_dict
    resolved = resolve_dict(library, dp)
    assert "schedule" not in resolved.values["payment-terms"] and "amount" not in resolved.values["fee"]
    draft = assemble_dict(library, dp)
    assert [(s.point, s.title) for s in draft.schedules] == [("fee.breakdown", "Fees")]
    text = draft_plain_text(draft)
    assert "for each calendar month on or after" not in text and "may not be issued until the inspection" not in text
    dp["answers"]["fee"] = {"model": "fixed", "amount": "JPY 3,400,000", "breakdown": "an initial fee of JPY 1,000,000 and JPY 200,000 a month"}
    text = draft_plain_text(assemble_dict(library, dp))
    assert ("Recipient shall pay Provider JPY 3,400,000 (exclusive of consumption tax) as consideration under this Agreement. "
            "The consideration consists of an initial fee of JPY 1,000,000 and JPY 200,000 a month.") in text


def test_the_bilingual_service_and_fee_schedules_in_both_columns(library, tmp_path):
    from conftest import in_both_languages
    ja, en = load_example("ai-use-ja.yaml"), load_example("ai-use-en.yaml")
    ja["answers"]["fee"] = {"model": "fixed", "breakdown": [{"item": "初期設定費用", "amount": "金50万円", "period": "1回限り"},
                                                           {"item": "月額利用料", "amount": "月額金30万円", "period": "各暦月"}]}
    en["answers"]["fee"] = {"model": "fixed", "breakdown": [{"item": "initial set-up fee", "amount": "JPY 500,000", "period": "once"},
                                                           {"item": "monthly service fee", "amount": "JPY 300,000 a month", "period": "each calendar month"}]}
    data = in_both_languages(ja, en)
    result = build(write_answers(tmp_path, data), tmp_path / "bi.docx", library=library)
    schedules = _tables_after_signatures(result.output)
    assert [h for h, _ in schedules] == ["別紙1（本件サービスの仕様）", "Schedule 1: Specifications of the AI Service",
                                         "別紙2（対価の明細）", "Schedule 2: Fees"]
    assert not JAPANESE.search(str(schedules[1][1]) + str(schedules[3][1]))
    assert schedules[2][1][1] == ["初期設定費用", "金50万円", "1回限り", "●"]
    assert schedules[3][1][0] == ["Fee item", "Amount (excluding consumption tax)", "Period or stage", "Payment due"]
    headings, refs = schedule_references(result.output)
    assert headings == {"ckSch_service_specs": "別紙1", "ckSchEN_service_specs": "Schedule 1",
                        "ckSch_fee__breakdown": "別紙2", "ckSchEN_fee__breakdown": "Schedule 2"}
    assert {t for t, _ in refs} == set(headings) and all(cached == headings[t] for t, cached in refs)
    # each schedule heading starts a page and keeps with its table
    document = docx.Document(str(result.output))
    heads = [p for p in document.paragraphs if p.style.style_id == "ckScheduleHeading"]
    assert len(heads) == 4
    style = document.styles.element.find(f"{W}style[@{W}styleId='ckScheduleHeading']")
    assert style.find(f"{W}pPr/{W}keepNext") is not None and style.find(f"{W}pPr/{W}pageBreakBefore") is not None


def test_the_memo_records_the_service_specifications_as_a_fact_and_lists_the_fee_items(library, tmp_path):
    result = build(EXAMPLES / "ai-use-en.yaml", tmp_path / "en.docx", library=library, memo=tmp_path / "memo.docx")
    rows = [[c.text for c in r.cells] for t in docx.Document(str(tmp_path / "memo.docx")).tables for r in t.rows]
    specs = next(r for r in rows if r[0].startswith("What are the specifications of the AI Service"))
    assert specs[1] == ("Specifications of the AI Service: Name of the service, Functions, Service hours, Support, "
                        "Data that may be input, Output, Limits of use")
    assert specs[2] == "—" and "a fact to record" in specs[4]
    fee = next(r for r in rows if r[0].startswith("What consideration is paid"))
    assert "Fee items (amount, period and due date of each): Fees: initial set-up fee, monthly service fee" in fee[1]
    # the guideline comment on the fee article says what the schedule means for each side
    from contractkit.assemble import assemble
    from conftest import resolve_dict
    draft = assemble(library, resolve_dict(library, load_example("ai-use-en.yaml")))
    comment = next(a.comment for a in draft.articles if a.clause_id == "fee")
    assert "the payer sees what falls due and when, and the payee collects the fee stage by stage" in comment
    service = next(a.comment for a in draft.articles if a.clause_id == "use-service")
    assert "each change of the specifications needs both parties' written agreement" in service
