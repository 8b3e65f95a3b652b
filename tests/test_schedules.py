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
