"""The language of the arbitral proceedings, when not answered, follows the draft: Japanese for a
Japanese draft, English for an English one, and one setting for both columns of a ja+en draft (the
language that prevails; both when the texts are equally authentic). Built drafts read back."""
import re

import docx
import pytest

from conftest import load_example, write_answers

JA = re.compile(r"人により、(日本語及び英語|日本語|英語)で行う")
EN = re.compile(r"the proceedings are conducted in (Japanese and English|Japanese|English)\.")


def arbitration_languages(library, tmp_path, example: str, **answers) -> tuple[list, list]:
    from contractkit.build import build
    data = load_example(example)
    data["answers"]["disputes"] = {"law": "japan", "forum": "arbitration"}
    data["answers"].update(answers)
    result = build(write_answers(tmp_path, data), tmp_path / "draft.docx", force=True, library=library)
    document = docx.Document(str(result.output))
    text = "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells])
    return JA.findall(text), EN.findall(text)


@pytest.mark.parametrize("example, expected", [("data-provision-ja.yaml", (["日本語"], [])),
                                               ("data-provision-en.yaml", ([], ["English"])),
                                               ("ai-use-en.yaml", ([], ["English"]))])
def test_one_language_draft_arbitrates_in_its_language(library, tmp_path, example, expected):
    assert arbitration_languages(library, tmp_path, example) == expected


@pytest.mark.parametrize("prevailing, ja, en", [("ja", "日本語", "Japanese"), ("en", "英語", "English"),
                                                ("equal", "日本語及び英語", "Japanese and English")])
def test_bilingual_draft_has_one_setting_for_both_columns(library, tmp_path, prevailing, ja, en):
    found = arbitration_languages(library, tmp_path, "data-provision-bilingual.yaml", **{"prevailing-language": prevailing})
    assert found == ([ja], [en])


def test_an_answer_wins_over_the_draft_language(library, tmp_path):
    from contractkit.build import build
    data = load_example("data-provision-en.yaml")
    data["answers"]["disputes"] = {"law": "japan", "forum": "arbitration", "language": "ja"}
    result = build(write_answers(tmp_path, data), tmp_path / "draft.docx", force=True, library=library)
    text = "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)
    assert EN.findall(text) == ["Japanese"]


def test_a_language_default_that_is_no_option_is_refused_at_its_place(tmp_path):
    from contractkit.library_check import language_default_items, make_decision
    decision = make_decision({"id": "language", "type": "choice", "options": [{"id": "ja"}, {"id": "en"}],
                              "language_defaults": {"ja": "ja", "ja+en": {"equal": "both"}}}, "x.yaml", ("points", 0))
    assert language_default_items(decision) == [("language_defaults.ja", "ja"), ("language_defaults.ja+en.equal", "both")]
    from contractkit.library import build_library, data_root
    import shutil
    root = tmp_path / "lib"
    shutil.copytree(data_root() / "clauses", root / "clauses")
    shutil.copytree(data_root() / "templates", root / "templates")
    disputes = root / "clauses" / "common" / "disputes.yaml"
    disputes.write_text(disputes.read_text(encoding="utf-8").replace("equal: ja-en}", "equal: both}"), encoding="utf-8")
    with pytest.raises(Exception) as exc:
        build_library(root)
    assert re.search(r"disputes\.yaml:\d+:\d+: 'both' is not an option of 'language'", str(exc.value)), str(exc.value)


@pytest.mark.parametrize("language, prevailing, expected", [("ja", None, "ja"), ("en", None, "en"),
                                                            ("ja+en", "en", "en"), ("ja+en", "equal", "ja-en")])
def test_the_interview_offers_the_default_a_build_would_take(library, language, prevailing, expected):
    """The interview asks in Japanese for a ja+en draft; the default it offers still follows the draft."""
    from contractkit.answers import current_values
    given = {"disputes": {"law": "japan", "forum": "arbitration"}}
    if prevailing:
        given["prevailing-language"] = prevailing
    lang = "ja" if language == "ja+en" else language
    values = current_values(library, "data-provision", lang, given, ["provider", "recipient"], bilingual=language == "ja+en")
    assert values["disputes"]["language"] == expected
