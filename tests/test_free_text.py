"""Free text where the draft needs it: a blank answer is "not answered", never an empty space in
the contract; a noun phrase or a name is checked for the sentence it goes into."""
import pytest

from conftest import dump_yaml, load_example


def build_error(tmp_path, answers: dict) -> str:
    from contractkit.build import build
    from contractkit.errors import UserError
    path = tmp_path / "answers.yaml"
    path.write_text(dump_yaml(answers), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build(path, tmp_path / "d.docx")
    assert not (tmp_path / "d.docx").exists()
    return "\n".join([caught.value.args[0], *(caught.value.problems or [])])


@pytest.mark.parametrize("blank", ["", " ", "　", " \u3000 "])
def test_a_blank_purpose_is_not_answered(tmp_path, blank):
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["purpose"] = blank
    message = build_error(tmp_path, answers)
    assert "answers.yaml:" in message and ("is empty" in message or "is blank" in message)


def test_a_blank_party_name_and_court_are_not_answered(tmp_path):
    answers = load_example("data-provision-ja.yaml")
    answers["parties"][0]["name"] = "　"
    message = build_error(tmp_path, answers)
    assert "answers.yaml:7:9: this answer is blank (only spaces)" in message
    assert "write the text, or null where it is not decided yet" in message
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["disputes"] = {"forum": "court", "court": " "}
    assert "this answer is blank (only spaces)" in build_error(tmp_path, answers)


@pytest.mark.parametrize("purpose, tail", [("品質改善を目的とする", "を目的とする"), ("品質改善のため", "のため"),
                                          ("品質改善のために", "のために"), ("新製品の開発に向けて", "に向けて")])
def test_a_japanese_purpose_is_a_noun_phrase(tmp_path, purpose, tail):
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["purpose"] = purpose
    message = build_error(tmp_path, answers)
    assert f"drop the trailing 「{tail}」" in message and "answers.yaml:" in message


def test_an_english_purpose_is_a_noun_phrase(tmp_path):
    answers = load_example("data-provision-en.yaml")
    answers["answers"]["purpose"] = "to improve the quality of spare parts"
    message = build_error(tmp_path, answers)
    assert "drop the leading 'to'" in message


def test_a_court_is_a_name_on_one_line(tmp_path):
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["disputes"] = {"forum": "court", "court": "東京地方裁判所。"}
    assert "drop the final '。'" in build_error(tmp_path, answers)
