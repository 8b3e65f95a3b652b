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


def review_keys(library, path, slot, ui="en"):
    """The keys that pick `slot` (e.g. ("point", "fee"), ("date",)) in the review's list."""
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    session = Interview(library, AnswersDocument(path), Terminal(), ui, path)
    entries = session.review_entries()
    index = next(i for i, (_l, _w, slots) in enumerate(entries) if slot in slots)
    return DOWN * (1 + index) + ENTER


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
    warranty_caution = library.points["warranty"].options[[o["id"] for o in library.points["warranty"].options].index("accuracy")]
    after = transcript[transcript.index("Draft written:"):]       # the build's cautions, printed at the end
    assert f"⚠ Caution: {warranty_caution['warn']['en']}" in after
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
    order = list(saved(path)["answers"])
    forms = library.points["provision-form"].option_ids("data-provision")
    to_joint_use = DOWN * (forms.index("joint-use") - forms.index("license"))
    to_license = "\x1b[A" * (forms.index("joint-use") - forms.index("license"))
    keys = (review_keys(library, path, ("point", "provision-form"), "ja")
            + to_joint_use + ENTER                     # licence → joint use: exclusivity no longer applies
            + ENTER)                                   # generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    answers = saved(path)["answers"]
    assert answers["provision-form"] == "joint-use" and "exclusivity" not in answers
    assert list(answers) == [k for k in order if k != "exclusivity"]     # changed in place, not moved to the end

    keys = (review_keys(library, path, ("point", "provision-form"), "ja")
            + to_license + ENTER                       # back to a licence: exclusivity is asked again
            + DOWN + ENTER                             # exclusive
            + ENTER + "y")                             # generate; overwrite the draft
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    answers = saved(path)["answers"]
    assert answers["provision-form"] == "license" and answers["exclusivity"] == "exclusive"
    assert [k for k in answers if k != "exclusivity"] == [k for k in order if k != "exclusivity"]
    keys_in_order = [p.id for p in library.points_in_order("data-provision")]
    earlier = set(keys_in_order[:keys_in_order.index("exclusivity")])
    written = list(answers)
    assert written.index("exclusivity") == 1 + max(i for i, k in enumerate(written) if k in earlier)
    assert written[-1] != "exclusivity"               # not appended at the end
    assert re.findall(r"［(\d+)/(\d+)］", transcript) == [("1", "1"), ("2", "2")]   # provision-form, exclusivity
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
                                              "rules": "other", "institution": "JCAA", "seat": "Tokyo"})
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
    line = next(line for line in transcript.splitlines() if "●" in line and line.endswith("fee.amount"))
    fee = library.points["fee"]
    assert fee.question["ja"] in line and fee.field("amount").label["ja"] in line   # in the drafter's words


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
    assert "== 回答の確認 ==" in transcript
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    entries = Interview(library, AnswersDocument(path), Terminal(), "ja", path).review_entries()   # the review's list
    assert any("派生データ" in label and "⚠ 相手方に譲歩" in words for label, words, _slots in entries)


def test_neutral_perspective_is_null_and_no_pack_writes_no_usecase_key(library, tmp_path):
    path = tmp_path / "answers.yaml"
    keys = ENTER + DOWN * 2 + ENTER + CTRL_C     # "none" is the pack question's default; perspective: neutral
    result, transcript = run_interview(library, path, keys, {"contract": "data-provision", "lang": "ja"}, ui="ja")
    assert isinstance(result, KeyboardInterrupt)
    assert "ユースケース" not in transcript        # the pack question is a prompt, not printed
    text = path.read_text(encoding="utf-8")
    assert "usecase" not in text                 # no pack: no empty `usecase:` key
    assert "perspective: null" in text.splitlines()
    # resumed, the pack question is not asked again: the next question is the date (a text prompt)
    result, _ = run_interview(library, path, "２０２６－１２－０１" + ENTER + CTRL_C, ui="ja")
    assert isinstance(result, KeyboardInterrupt)
    assert str(saved(path)["date"]) == "2026-12-01"     # full-width digits, as a Japanese IME types them
    assert "usecase" not in saved(path)


def test_no_question_or_label_of_a_pack_is_wrapped_in_literal_quotes():
    """A label written `"\\"…\\""` in YAML shows its quotes in the interview."""
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    for pack_id, folder in find_packs().items():
        lib = load_library(packs=[folder])
        for point in lib.points.values():
            decisions = [point, *point.fields]
            texts = [d.question for d in decisions] + [d.label for d in decisions]
            texts += [o.get("label") for d in decisions for o in d.options]
            for text in filter(None, texts):
                for words in text.values():
                    assert not (words.startswith(('"', "'")) and words.endswith(('"', "'"))), (pack_id, point.id, words)


ESC, LEFT, CTRL_Z, UP = "\x1b", "\x1b[D", "\x1a", "\x1b[A"


def test_full_width_question_mark_shows_the_explanation_at_a_text_prompt(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("purpose",))
    point = library.points["purpose"]
    keys = "？" + ENTER + "?" + ENTER + "工作機械の保守" + ENTER + ENTER     # full-width, half-width, the answer; generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert transcript.count(point.more["ja"][:40]) == 2
    assert saved(path)["answers"]["purpose"] == "工作機械の保守"


def test_question_mark_in_a_checkbox_explains_and_keeps_what_is_ticked(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-en.yaml", drop=("warranty",))
    point = library.points["warranty"]
    options = point.option_ids("data-provision")
    # tick the second option, ask for the explanation, then tick the last entry: an option (no help entry to tick)
    keys = DOWN + SPACE + "？" + UP + SPACE + ENTER + ENTER
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    assert point.more["en"][:40] in transcript
    assert saved(path)["answers"]["warranty"] == [o for o in options if o in ("authority", options[1], options[-1])]


def test_back_with_esc_left_and_ctrl_z_returns_to_the_previous_question_with_its_answer(library, tmp_path):
    path = tmp_path / "answers.yaml"
    preset = {"contract": "data-provision", "lang": "en"}
    keys = (ENTER                              # pack: none
            + DOWN + ENTER                     # perspective: recipient
            + LEFT                             # ← at the empty date prompt: back to the perspective…
            + ENTER                            # …which offers recipient again: keep it
            + LEFT + LEFT                      # the date again, ←: the perspective; ← in a list: the pack question
            + ENTER + ENTER                    # none again; recipient again
            + "2026-12-01" + ENTER             # date
            + "Sample K.K." + ENTER            # provider's name
            + ESC + BACKSPACE * 4 + "Ltd." + ENTER   # Esc at the address: the name again, with its answer to edit
            + "Tokyo" + ENTER                  # address
            + CTRL_Z                           # Ctrl-Z at the representative: the address again
            + BACKSPACE * 5 + "Osaka" + ENTER
            + CTRL_C)
    result, transcript = run_interview(library, path, keys, preset)
    assert isinstance(result, KeyboardInterrupt), transcript
    data = saved(path)
    assert data["perspective"] == "recipient" and str(data["date"]) == "2026-12-01"
    assert data["parties"] == [{"role": "provider", "name": "Sample Ltd.", "address": "Osaka"}]


def test_back_inside_a_mapping_and_its_fields_saved_at_once(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("fee",))
    models = library.points["fee"].field("model").option_ids("data-provision")
    fixed = DOWN * models.index("fixed")
    result, _ = run_interview(library, path, fixed + ENTER + CTRL_C, ui="ja")   # killed at the amount
    assert isinstance(result, KeyboardInterrupt)
    assert saved(path)["answers"]["fee"] == {"model": "fixed"}                 # the model is not lost
    # resumed: the amount is asked; Esc goes back to the model (fixed is its default), though nothing
    # was asked before in this run; then the amount
    keys = ESC + ENTER + "金100万円" + ENTER + ENTER
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["fee"] == {"model": "fixed", "amount": "金100万円"}


def test_full_width_digits_in_numbers(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("term",))
    keys = BACKSPACE * 3 + "２４" + ENTER + ENTER + ENTER     # months: 24 typed full-width; auto renew; generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["term"]["months"] == 24


def test_review_changes_the_setup_and_the_parties(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-en.yaml")
    before = saved(path)
    name = before["parties"][0]["name"]
    keys = (review_keys(library, path, ("date",)) + BACKSPACE * 12 + "2027-01-15" + ENTER
            + review_keys(library, path, ("perspective",)) + UP + ENTER               # → the side before
            + review_keys(library, path, ("party", "provider", "name"))
            + BACKSPACE * len(name) + "Renamed K.K." + ENTER + ENTER + ENTER          # name; address and representative kept
            + ENTER)                                                                  # generate
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    data = saved(path)
    assert str(data["date"]) == "2027-01-15" and data["language"] == "en"   # to ja+en: test_interview_full.py
    sides = ["provider", "recipient", None]
    assert data["perspective"] == sides[(sides.index(before["perspective"]) - 1) % 3]
    assert data["parties"][0] == {**before["parties"][0], "name": "Renamed K.K."}
    assert data["parties"][1] == before["parties"][1]
    assert data["answers"] == before["answers"]
    assert "Draft written:" in transcript
    from conftest import docx_xml
    body = docx_xml(path.with_suffix(".docx"))
    assert "Renamed K.K." in body and "2027" in body


def test_review_changes_the_pack_and_the_contract_type(library, tmp_path):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    packs = [p for p, folder in find_packs().items() if "data-provision" in load_library(packs=[folder]).packs[p]["contracts"]]
    path = prefilled(library, tmp_path, "data-provision-en.yaml")
    keys = review_keys(library, path, ("usecase",)) + DOWN + ENTER + CTRL_C   # the first pack; its questions follow
    result, transcript = run_interview(library, path, keys)
    assert isinstance(result, KeyboardInterrupt), transcript
    assert saved(path)["usecase"] == packs[0]

    path = prefilled(library, tmp_path, "data-provision-en.yaml")
    keys = (review_keys(library, path, ("usecase",)) + DOWN + ENTER    # the pack…
            + ESC                                                       # …Esc at its first question: the pack question again
            + UP + ENTER                                                # no pack after all
            + ENTER)                                                    # generate
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    data = saved(path)
    assert "usecase" not in data and set(data["answers"]) <= set(library.points)
    assert "Draft written:" in transcript

    path = prefilled(library, tmp_path, "data-provision-en.yaml")
    contracts = list(library.templates)
    new = contracts[(contracts.index("data-provision") + 1) % len(contracts)]
    keys = review_keys(library, path, ("contract",)) + DOWN + ENTER + CTRL_C     # data-provision → the next type
    result, transcript = run_interview(library, path, keys)
    assert isinstance(result, KeyboardInterrupt), transcript
    data = saved(path)
    assert data["contract"] == new
    roles = {r["id"] for r in library.templates[new].roles}
    assert all(p["role"] in roles for p in data.get("parties") or [])         # the old roles' parties are gone
    assert data["answers"] and set(data["answers"]) <= {p.id for p in library.points_for(new)}


def test_resume_keeps_output_ui_and_pack_path(tmp_path):
    from contractkit.answers_file import AnswersDocument
    (tmp_path / "drafts").mkdir()
    doc = AnswersDocument(tmp_path / "deal.yaml")
    doc.keep_settings(tmp_path / "drafts" / "deal.docx", "ja", [str(tmp_path / "my packs")])
    doc.set("contract", "data-provision")
    text = (tmp_path / "deal.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# contractkit interview: -o drafts/deal.docx --ui ja --pack-path 'my packs'"
    again = AnswersDocument(tmp_path / "deal.yaml")
    kept = again.resolved_settings()
    assert kept == {"output": tmp_path / "drafts" / "deal.docx", "ui": "ja", "pack_path": [str(tmp_path / "my packs")]}
    again.set("language", "ja")          # saving again keeps one settings line, above the user's own comments
    assert (tmp_path / "deal.yaml").read_text(encoding="utf-8").count("# contractkit interview:") == 1


def test_records_row_by_row_saved_at_each_field_and_resumed_mid_row(library, tmp_path):
    from test_schedules import _tables_after_signatures
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("data-scope",))
    keys = (ENTER                                            # a list (the default), not one line
            + "主軸負荷" + ENTER + "1秒ごと" + ENTER + "CSV" + ENTER + ENTER + ENTER   # row 1: frequency, period not known
            + DOWN + ENTER                                   # the rows: add a row
            + ENTER                                          # row 2's item: blank is not an answer…
            + "振動" + ENTER + ENTER * 4                      # …typed; the rest not known
            + DOWN * 3 + ENTER + DOWN + ENTER                # row 2: remove it
            + DOWN + ENTER + "温度" + ENTER                  # add a row: its item, then Ctrl-C
            + CTRL_C)
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert isinstance(result, KeyboardInterrupt), transcript
    assert saved(path)["answers"]["data-scope"] == [
        {"item": "主軸負荷", "granularity": "1秒ごと", "format": "CSV", "frequency": None, "period": None},
        {"item": "温度"}]                                   # every field saved as it was given
    assert "2行目を削除しました" in transcript
    # resumed: the half-entered row goes on from its second field, then the rows to end the list
    keys = ENTER + "10秒ごと" + ENTER + ENTER * 3 + ENTER + ENTER     # list; row 2's fields; done; generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    rows = _tables_after_signatures(path.with_suffix(".docx"))[0][1]
    assert rows[1:] == [["主軸負荷", "1秒ごと", "CSV", "●", "●"], ["温度", "10秒ごと", "●", "●", "●"]]


def test_records_are_never_ended_empty_and_may_be_one_line(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("data-scope",))
    keys = (ENTER                                   # a list: its first row at once
            + ESC                                   # Esc at the first field: no empty list, the question again
            + DOWN + ENTER                          # one line of text instead
            + ENTER                                 # blank: asked again
            + "稼働データ" + ENTER + ENTER)          # the text; generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["data-scope"] == "稼働データ"
    from conftest import docx_text
    assert "稼働データ" in docx_text(path.with_suffix(".docx"))


def test_a_row_is_changed_with_its_fields_as_defaults(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("data-scope",))
    keys = (ENTER + "主軸負荷" + ENTER + ENTER * 4                # a list; row 1: the item only
            + DOWN * 2 + ENTER + ESC                            # row 1, Esc: left as it is
            + DOWN * 2 + ENTER + ENTER                          # row 1 again: change it
            + BACKSPACE * 4 + "振動" + ENTER + "1秒" + ENTER      # the item, then the granularity…
            + ESC + ENTER                                       # Esc: the item again, its new text kept
            + ENTER + ENTER * 3                                 # the granularity kept, the rest not known
            + ENTER + ENTER)                                    # done (1 row); generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["data-scope"] == [
        {"item": "振動", "granularity": "1秒", "format": None, "frequency": None, "period": None}]


def test_an_effective_date_is_typed_as_a_date_and_saved_as_one(library, tmp_path):
    """A fixed effective date: an IME's full-width digits are taken, a text that is no date is not
    (the prompt stays until it is one), and the file holds a real date the draft prints in words."""
    import datetime
    path = prefilled(library, tmp_path, "data-provision-en.yaml", drop=("effective-date",))
    keys = (DOWN + DOWN + ENTER                            # start: signing date → the last signature → another date
            + "next spring" + ENTER                        # refused: no date
            + BACKSPACE * len("next spring") + "２０２７－０４－０１" + ENTER
            + ENTER)                                       # review: generate
    result, _ = run_interview(library, path, keys)
    assert result == 0, result
    assert saved(path)["answers"]["effective-date"] == {"start": "fixed-date", "date": datetime.date(2027, 4, 1)}
    import docx
    text = "\n".join(p.text for p in docx.Document(str(path.with_suffix(".docx"))).paragraphs)
    assert "This Agreement takes effect on April 1, 2027 (the “Effective Date”)." in text


def bilingual_prefilled(library, tmp_path, change=None):
    """The bilingual example as written (texts {ja: …, en: …}, the format "CSV" once for both
    columns), with every point it leaves out written at its default, so nothing is left to ask."""
    from contractkit.answers import resolve
    from contractkit.loading import load_yaml
    answers = load_example("data-provision-bilingual.yaml")
    answers["usecase"] = None
    values = resolve(load_yaml(dump_yaml(answers), "x.yaml"), library, "x.yaml", lang_override="en").values
    given = answers["answers"]
    answers["answers"] = {**values, **{k: {**values[k], **v} if isinstance(v, dict) and isinstance(values.get(k), dict) else v
                                       for k, v in given.items()}}
    if change:
        change(answers)
    path = tmp_path / "deal.yaml"
    path.write_text(dump_yaml(answers), encoding="utf-8")
    return path


def test_rows_of_an_answers_file_are_kept_changed_removed_and_added_in_both_languages(library, tmp_path):
    """A list of records written in the answers file is offered as it stands: a row is left as it
    is, one changed (its texts in both languages as defaults), one removed, one added; a text
    without Japanese ("CSV") stays one text for both columns, never lost by pressing Enter."""
    from test_schedules import _tables_after_signatures
    path = bilingual_prefilled(library, tmp_path)
    vibration_ja, vibration_en = "振動（3軸の加速度）", "Vibration (3-axis acceleration)"
    keys = (review_keys(library, path, ("point", "data-scope"))
            + ENTER                                          # a list (as the file has it)
            + DOWN * 2 + ENTER + DOWN * 2 + ENTER            # row 1: leave it as it is
            + DOWN * 3 + ENTER + ENTER                       # row 2: change it
            + BACKSPACE * len(vibration_ja) + "振動" + ENTER + BACKSPACE * len(vibration_en) + "Vibration" + ENTER
            + ENTER * 8                                      # granularity, format, frequency, period: kept (ja, en)
            + DOWN * 4 + ENTER + DOWN + ENTER                # row 3: remove it
            + DOWN + ENTER                                   # add a row
            + "温度" + ENTER + "Temperature" + ENTER
            + "1分ごと" + ENTER + "every minute" + ENTER
            + "CSV" + ENTER + "CSV" + ENTER                  # the same Latin text in both: one text
            + ENTER * 4                                      # frequency, period: not known yet
            + ENTER                                          # done (3 rows)
            + ENTER)                                         # review: generate
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    rows = saved(path)["answers"]["data-scope"]
    assert [r["item"] for r in rows] == [{"ja": "主軸負荷", "en": "Spindle load"}, {"ja": "振動", "en": "Vibration"},
                                         {"ja": "温度", "en": "Temperature"}]
    assert [r["format"] for r in rows] == ["CSV", "CSV", "CSV"]
    assert rows[1]["granularity"] == {"ja": "100ミリ秒ごと", "en": "every 100 milliseconds"}
    assert rows[2]["frequency"] is None and rows[2]["period"] is None
    (_, ja_rows), (_, en_rows) = _tables_after_signatures(path.with_suffix(".docx"))
    assert ja_rows[1:] == [["主軸負荷", "1秒ごと", "CSV", "毎日", "2026年1月1日以降"],
                           ["振動", "100ミリ秒ごと", "CSV", "毎日", "2026年1月1日以降"],
                           ["温度", "1分ごと", "CSV", "●", "●"]]
    assert en_rows[1:] == [["Spindle load", "every second", "CSV", "daily", "from January 1, 2026"],
                           ["Vibration", "every 100 milliseconds", "CSV", "daily", "from January 1, 2026"],
                           ["Temperature", "every minute", "CSV", "[●]", "[●]"]]


def test_a_court_typed_in_english_is_asked_in_japanese_too_a_party_name_is_not(library, tmp_path):
    """In a ja+en draft a court's name is written in each language: one given in English only
    (which the build refuses) is asked again, its Japanese first (a blank is not taken while the
    English is there); a Latin party name ("Acme Corp.") serves both columns and is not asked."""
    def change(answers):
        answers["parties"][1]["name"] = "Acme Corp."
        answers["answers"]["disputes"]["court"] = "Nagoya District Court"
    path = bilingual_prefilled(library, tmp_path, change)
    keys = (ENTER                                            # the Japanese name: blank is refused…
            + "名古屋地方裁判所" + ENTER + ENTER             # …typed; the English kept
            + ENTER)                                         # review: generate
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    data = saved(path)
    assert data["answers"]["disputes"]["court"] == {"ja": "名古屋地方裁判所", "en": "Nagoya District Court"}
    assert data["parties"][1]["name"] == "Acme Corp."
    import docx
    cells = [c.text for t in docx.Document(str(path.with_suffix(".docx"))).tables for r in t.rows for c in r.cells]
    assert any("名古屋地方裁判所を" in c for c in cells) and any("Nagoya District Court" in c for c in cells)
    assert not any("Nagoya District Court" in c and re.search("[ぁ-ん]", c) for c in cells)
    assert any("Acme Corp." in c and "乙" in c for c in cells)      # the Japanese column names the party as written
