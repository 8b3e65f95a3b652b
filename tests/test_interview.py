"""The interview driven in-process through prompt_toolkit pipe input: selects, checkboxes, texts,
confirms, going back from the review, warnings, resuming after an interrupt."""
import io
import re

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import dump_yaml, load_example

DOWN, SPACE, ENTER, CTRL_C, BACKSPACE = "\x1b[B", " ", "\r", "\x03", "\x7f"


def run_interview(library, answers_path, keys, preset=None, ui="en", output=None):
    """Run the interview with `keys` typed in advance; returns (exit code or exception, transcript)."""
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal

    echo = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()  # reading past the keys raises EOFError instead of waiting
        session = Interview(library, AnswersDocument(answers_path), Terminal(pipe, DummyOutput(), echo), ui,
                            output or answers_path.with_suffix(".docx"), preset)
        try:
            result = session.run()
        except (KeyboardInterrupt, EOFError) as exc:
            result = exc
    return result, echo.getvalue()


def saved(path):
    from ruamel.yaml import YAML
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def prefilled(library, tmp_path, example, drop=(), comment="# our deal with Acme\n"):
    """The example with every point written out (as the interview writes them), less `drop`."""
    from conftest import resolve_dict
    answers = load_example(example)
    answers["usecase"] = answers.get("usecase")          # null: no pack (so the pack question is not asked)
    answers["perspective"] = answers.get("perspective")
    answers["date"] = answers.get("date")
    answers["answers"] = {k: v for k, v in resolve_dict(library, answers).values.items() if k not in drop}
    path = tmp_path / "deal.yaml"
    path.write_text(comment + dump_yaml(answers), encoding="utf-8")
    return path


def test_asks_only_what_is_missing_then_builds(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-en.yaml", drop=("derived-data", "warranty", "leak-mitigation"))
    keys = (DOWN + ENTER                     # derived-data: the provider's opening position consent-required → consult
            + DOWN + SPACE + ENTER           # warranty: [authority] + accuracy (checkbox)
            + DOWN + ENTER                   # leak-mitigation: yes → no
            + ENTER)                         # review: generate
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    answers = saved(path)["answers"]
    assert answers["derived-data"] == "consult"
    assert answers["warranty"] == ["authority", "accuracy"]
    assert answers["leak-mitigation"] is False
    assert path.read_text(encoding="utf-8").startswith("# our deal with Acme\n")
    assert re.search(r"\[\d+/\d+\]", transcript)
    assert "⚠ Caution" in transcript               # accuracy is an unusual warranty
    assert "Draft written:" in transcript and "contractkit build" in transcript
    from conftest import docx_xml
    custom = docx_xml(path.with_suffix(".docx"), "docProps/custom.xml")
    assert "derived-data:consult" in custom


def test_more_shows_the_guideline_rationale(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-en.yaml", drop=("derived-data",))
    point = library.points["derived-data"]
    options = point.option_ids("data-provision")
    start = options.index("consent-required")          # the provider's opening position (perspective)
    # the "more" entry is last: go down to it, read, then come back up one: the last option
    keys = DOWN * (len(options) - start) + ENTER + DOWN * (len(options) - 1 - start) + ENTER + ENTER
    result, transcript = run_interview(library, path, keys)
    assert result == 0
    assert point.more["en"][:60] in transcript
    first = point.options[0]
    assert f"- {first['label']['en']} (favours " in transcript      # English punctuation in an English interview
    assert "（" not in transcript and "・" not in transcript
    assert saved(path)["answers"]["derived-data"] == options[-1]


def test_review_change_asks_only_the_dependent_questions(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml")
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    session = Interview(library, AnswersDocument(path), Terminal(), "ja", path)
    values = session.values()
    active = [p.id for p in session.points_in_order() if session.applies(p, values)]
    forms = library.points["provision-form"].option_ids("data-provision")
    to_joint_use = DOWN * (forms.index("joint-use") - forms.index("license"))
    to_license = "\x1b[A" * (forms.index("joint-use") - forms.index("license"))
    change_form = DOWN * (1 + active.index("provision-form")) + ENTER
    keys = (change_form + to_joint_use + ENTER         # licence → joint use: exclusivity no longer applies
            + ENTER)                                   # generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    answers = saved(path)["answers"]
    assert answers["provision-form"] == "joint-use" and "exclusivity" not in answers

    active = [p for p in active if p != "exclusivity"]
    change_form = DOWN * (1 + active.index("provision-form")) + ENTER
    keys = (change_form + to_license + ENTER           # back to a licence: exclusivity is asked again
            + DOWN + ENTER                             # exclusive
            + ENTER + "y")                             # generate; overwrite the draft
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    answers = saved(path)["answers"]
    assert answers["provision-form"] == "license" and answers["exclusivity"] == "exclusive"
    assert transcript.count("［") == 2                 # provision-form and exclusivity, nothing else
    assert "⚠ 注意" in transcript                      # exclusivity: competition-law caution



def test_review_shows_only_the_fields_that_apply(library, tmp_path):
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    path = prefilled(library, tmp_path, "data-provision-en.yaml")
    session = Interview(library, AnswersDocument(path), Terminal(), "en", path)
    disputes = library.points["disputes"]
    labels = {f.id: f.label["en"] for f in disputes.fields}
    court = session.describe(disputes, {"law": "japan", "forum": "court", "court": "Tokyo District Court",
                                        "institution": "JCAA", "seat": "Tokyo"})
    assert "Tokyo District Court" in court
    assert labels["institution"] not in court and labels["seat"] not in court and labels["law_name"] not in court
    arbitration = session.describe(disputes, {"law": "japan", "forum": "arbitration", "court": "Tokyo District Court",
                                              "institution": "JCAA", "seat": "Tokyo"})
    assert labels["institution"] in arbitration and labels["court"] + ":" not in arbitration

def test_interrupt_saves_and_resume_continues(library, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("usecase: null   # no industry pack\n", encoding="utf-8")
    preset = {"contract": "data-provision", "lang": "en"}
    keys = (ENTER                                   # perspective: provider
            + "2026-13-01" + ENTER                  # rejected as typed…
            + BACKSPACE * 5 + "12-01" + ENTER       # …corrected
            + "Sample Retail K.K." + ENTER
            + CTRL_C)
    result, transcript = run_interview(library, path, keys, preset)
    assert isinstance(result, KeyboardInterrupt)
    first = saved(path)
    assert str(first["date"]) == "2026-12-01"
    assert first["parties"] == [{"role": "provider", "name": "Sample Retail K.K."}]

    keys = "1-3-1 Kasumigaseki, Tokyo" + ENTER + CTRL_C
    result, _ = run_interview(library, path, keys)
    assert isinstance(result, KeyboardInterrupt)
    assert saved(path)["parties"][0] == {"role": "provider", "name": "Sample Retail K.K.",
                                         "address": "1-3-1 Kasumigaseki, Tokyo"}


def test_unknown_yet_becomes_a_placeholder(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("fee",))
    models = library.points["fee"].field("model").option_ids("data-provision")
    keys = DOWN * models.index("fixed") + ENTER + ENTER + ENTER   # fixed fee; amount unknown (empty); generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["fee"] == {"model": "fixed", "amount": None}
    assert "● fee.amount" in transcript


def test_number_validation_rejects_text(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-en.yaml", drop=("term",))
    keys = (BACKSPACE * 3 + "twelve" + ENTER + BACKSPACE * 6 + "0" + ENTER + BACKSPACE + "18" + ENTER  # months
            + ENTER                                   # auto renew: yes
            + ENTER)                                  # generate
    result, _ = run_interview(library, path, keys)
    assert result == 0
    assert saved(path)["answers"]["term"] == {"months": 18, "auto_renew": True}


def test_interview_messages_are_data(library):
    """No question text in Python: every point the interview asks has its question in both languages."""
    for point in library.points.values():
        if point.ask:
            assert point.question and point.question["ja"] and point.question["en"], point.id
            for f in point.fields:
                assert (f.label or f.question), f"{point.id}.{f.id}"


def test_perspective_sets_opening_positions_and_review_flags_concessions(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("derived-data",))   # drafted for the recipient
    result, transcript = run_interview(library, path, ENTER + ENTER, ui="ja")   # accept the default; generate
    assert result == 0
    assert saved(path)["answers"]["derived-data"] == library.points["derived-data"].perspective_defaults["recipient"]
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("derived-data",))
    options = library.points["derived-data"].option_ids("data-provision")
    to_consent = DOWN * (options.index("consent-required") - options.index("recipient-free"))
    result, transcript = run_interview(library, path, to_consent + ENTER + ENTER + "y", ui="ja")
    assert result == 0
    review = transcript[transcript.index("== 回答の確認 =="):]
    assert any("派生データ" in line and "⚠ 相手方に譲歩" in line for line in review.splitlines())


def test_neutral_perspective_and_no_pack_are_saved_as_null(library, tmp_path):
    path = tmp_path / "answers.yaml"
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    packs = [p for p, folder in find_packs().items() if "data-provision" in load_library(packs=[folder]).packs[p]["contracts"]]
    keys = (ENTER if packs else "") + DOWN * 2 + ENTER + CTRL_C     # "none" is the pack question's default
    result, _ = run_interview(library, path, keys, {"contract": "data-provision", "lang": "ja"}, ui="ja")
    assert isinstance(result, KeyboardInterrupt)
    data = saved(path)
    assert "usecase" in data and data["usecase"] is None
    assert "perspective" in data and data["perspective"] is None
