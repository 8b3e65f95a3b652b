"""The interview's groups (a template's `interview: groups`): asked in that order, a progress line as
each group starts counting only the groups with a question to ask, checked by the library check;
and a point whose `when` reads a mapping's field that only its default gives (liability-floor)."""
import copy
import dataclasses
import re
import shutil

import docx
import pytest
from prompt_toolkit.input import create_pipe_input

from conftest import article_text, assemble_dict, example_with, load_example, write_answers
from test_interview_full import Autopilot, Plan, Scripted, ScriptedAutopilot

GROUPS_JA = ["インプット（入力データ）", "アウトプット（出力）", "処理成果（学習済みモデルと学習の成果）", "個人情報",
             "セキュリティ", "その他"]
GROUPS_EN = ["Inputs", "Outputs", "Processing results (the model and what it learns)", "Personal data", "Security",
             "The rest"]
LINE = re.compile(r"^\[(\d+)/(\d+)\] (.+)$")


def logged_interview(library, path, contract, lang, plan, ui="ja"):
    """The interview run on an autopilot; returns the log of what it said and which slot it
    asked (once answered), in one sequence: ("say", text) and ("slot", slot)."""
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview

    log = []

    class Logged(Interview):
        def ask_slot(self, slot):
            super().ask_slot(slot)
            log.append(("slot", slot))     # (after it: a group's line is said as its first question is asked)

    with create_pipe_input() as pipe:
        term = ScriptedAutopilot(pipe, plan)
        term.say = lambda text="": (log.append(("say", text)), term.transcript.append(text))
        session = Logged(library, AnswersDocument(path), term, ui, path.with_suffix(".docx"),
                         {"contract": contract, "lang": lang})
        assert session.run() == 0
    return log


def group_lines(log):
    return [LINE.match(text).groups() for kind, text in log if kind == "say" and LINE.match(text)]


def points_asked(log):
    return list(dict.fromkeys(slot[1] for kind, slot in log if kind == "slot" and slot[0] in ("point", "field", "role")))


def with_groups(library, contract, groups):
    """The library with `contract`'s template given other groups (a scratch template)."""
    lib = copy.copy(library)
    lib.templates = {**library.templates, contract: dataclasses.replace(library.templates[contract], groups=groups)}
    return lib


@pytest.mark.parametrize("ui, labels", [("ja", GROUPS_JA), ("en", GROUPS_EN)])
def test_ai_use_is_asked_group_by_group_with_a_line_as_each_group_starts(library, tmp_path, ui, labels):
    path = tmp_path / "answers.yaml"
    log = logged_interview(library, path, "ai-use", ui, Scripted(ui), ui=ui)
    assert group_lines(log) == [(str(i), "6", label) for i, label in enumerate(labels, 1)]
    # the questions come in the groups' order, each group's after its line and before the next line
    groups = library.interview_groups("ai-use")
    home = {p.id: i for i, (_g, points) in enumerate(groups) for p in points}
    asked = points_asked(log)
    assert [home[p] for p in asked] == sorted(home[p] for p in asked)
    assert asked[:3] == ["data-scope", "user-data", "input-data-use"]
    current = None
    for kind, item in log:
        if kind == "say" and LINE.match(item):
            current = labels.index(LINE.match(item).group(3))
        elif kind == "slot" and item[0] in ("point", "field", "role"):
            assert current == home[item[1]], (item, current)
    # the per-question counter of a template without groups is not shown
    said = "\n".join(text for kind, text in log if kind == "say")
    assert not re.search(r"［\d+/\d+］", said)
    # the answers file keeps the interview's order
    from ruamel.yaml import YAML
    written = list(YAML(typ="safe").load(path.read_text(encoding="utf-8"))["answers"])
    assert [p for p in written if p in home] == sorted((p for p in written if p in home), key=lambda p: (home[p], asked.index(p)))


def test_ai_service_is_asked_in_the_checklists_order(library, tmp_path):
    log = logged_interview(library, tmp_path / "answers.yaml", "ai-service", "en", Scripted("en"), ui="en")
    assert group_lines(log) == [(str(i), "6", label) for i, label in enumerate(
        ["Inputs", "Outputs", "Processing results (learning use and logs)", "Personal data",
         "Security (subprocessors and locations too)", "The rest"], 1)]
    home = {p.id: i for i, (_g, points) in enumerate(library.interview_groups("ai-service")) for p in points}
    asked = points_asked(log)
    assert [home[p] for p in asked] == sorted(home[p] for p in asked)
    assert asked[:2] == ["input-scope", "input-warranty"] and "learning-use" in asked
    # the rest: what a question depends on first (the standard terms after the service form)
    assert asked.index("service-form") < asked.index("term")


def test_a_group_with_no_question_to_ask_is_not_counted(library, tmp_path):
    """A group whose points do not apply with the answers so far has no line and no number; once an
    answer makes it apply, it counts."""
    groups = [
        {"id": "inputs", "label": {"ja": "入力", "en": "Inputs"}, "points": ["data-scope", "user-data"]},
        {"id": "personal", "label": {"ja": "個人情報", "en": "Personal data"}, "points": ["personal-data"]},
        {"id": "sensitive", "label": {"ja": "要配慮個人情報", "en": "Sensitive data"},
         "points": ["sensitive-data", "sensitive-data-use"]},
    ]
    lib = with_groups(library, "ai-use", groups)
    assert [g["id"] for g, _p in lib.interview_groups("ai-use")] == ["inputs", "personal", "sensitive", "rest"]

    log = logged_interview(lib, tmp_path / "none.yaml", "ai-use", "ja", Scripted("ja"))   # no personal data (the default)
    assert group_lines(log) == [("1", "3", "入力"), ("2", "3", "個人情報"), ("3", "3", "その他")]
    assert "sensitive-data" not in points_asked(log)

    included = Scripted("ja", picks=[("データに個人情報が含まれるか", "included")])
    log = logged_interview(lib, tmp_path / "included.yaml", "ai-use", "ja", included)
    assert not included.picks, "the personal-data question was not asked"
    # counted with the answers so far: three groups until personal data is included, then four
    assert group_lines(log) == [("1", "3", "入力"), ("2", "3", "個人情報"), ("3", "4", "要配慮個人情報"), ("4", "4", "その他")]
    asked = points_asked(log)
    assert asked.index("personal-data") < asked.index("sensitive-data")


def test_the_rest_asks_each_point_after_the_points_its_condition_reads(library):
    """Without groups (and in "the rest"), a point comes after what its `when` reads, else by theme."""
    for contract in library.templates:
        order = [p.id for p in library.points_in_order(contract)]
        for index, pid in enumerate(order):
            point = library.points[pid]
            for read in point.reads:
                if read in order and pid not in library.points[read].reads:
                    assert order.index(read) < index, (contract, pid, read)
    assert library.points["sensitive-data"].reads == ["personal-data"]
    assert library.points["liability-floor"].reads == ["liability"]
    order = [p.id for p in library.points_in_order("ai-development")]
    assert order.index("work-scope") < order.index("delivery-form") and order.index("fee") < order.index("early-end-fee")


@pytest.fixture
def library_copy(tmp_path):
    from contractkit.library import data_root
    for sub in ("clauses", "templates"):
        shutil.copytree(data_root() / sub, tmp_path / sub)
    return tmp_path


def _place(text, needle, nth=0):
    """1-based line and column of the `nth` occurrence of `needle` in a file's text."""
    lines = text.splitlines()
    hits = [(i + 1, line.index(needle) + 1) for i, line in enumerate(lines) if needle in line]
    return hits[nth]


def test_the_library_check_refuses_a_bad_group(library_copy):
    from contractkit.library import build_library
    path = library_copy / "templates" / "ai-use.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("points: [data-scope, user-data, input-data-use]",
                        "points: [data-scop, user-data, input-data-use, exclusivity-limit-months]")
    text = text.replace("points: [input-data-security, service-subcontracting]",
                        "points: [input-data-security, service-subcontracting, user-data]")
    text = text.replace("points: [personal-data, sensitive-data, sensitive-data-use]",
                        "points: [sensitive-data, personal-data, sensitive-data-use]")
    text = text.replace("    - id: security\n", "    - id: outputs\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as info:
        build_library(library_copy)
    problems = "\n".join(getattr(info.value, "problems", None) or [str(info.value)])
    line, col = _place(text, "data-scop,")
    assert f"templates/ai-use.yaml:{line}:{col}: 'data-scop' is not a point of ai-use (did you mean 'data-scope'?); valid: " \
           "additional-learning, ai-liability, antisocial," in problems
    line, col = _place(text, "exclusivity-limit-months")
    assert f"templates/ai-use.yaml:{line}:{col}: 'exclusivity-limit-months' is never asked (ask: false)" in problems
    line, col = _place(text, "user-data]")
    assert (f"templates/ai-use.yaml:{line}:{col}: 'user-data' is already in the group 'inputs': a point belongs to one "
            "group; points no group names: antisocial, confidentiality, data-export, data-scope,") in problems
    line, col = _place(text, "[sensitive-data,")
    assert (f"templates/ai-use.yaml:{line}:{col + 1}: 'sensitive-data' would be asked before 'personal-data', which its "
            "condition reads: move 'personal-data' before it, or 'sensitive-data' after it") in problems
    line, col = _place(text, "id: outputs", 1)
    assert f"templates/ai-use.yaml:{line}:{col + 4}: the group ID 'outputs' is already group 2's" in problems


def test_a_group_asking_a_point_before_one_it_reads_in_the_rest_says_to_name_it(library_copy):
    from contractkit.library import build_library
    path = library_copy / "templates" / "ai-use.yaml"
    text = path.read_text(encoding="utf-8").replace("points: [data-scope, user-data, input-data-use]",
                                                     "points: [data-scope, user-data, input-data-use, fee-revision]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as info:
        build_library(library_copy)
    problems = "\n".join(getattr(info.value, "problems", None) or [str(info.value)])
    line, col = _place(text, "fee-revision]")
    assert (f"templates/ai-use.yaml:{line}:{col}: 'fee-revision' would be asked before 'fee', which its condition reads: "
            "name 'fee' in this group before 'fee-revision', or in an earlier group") in problems


# -- liability-floor: a point-level `when` on a mapping's field (`liability.cap`) -----------------

def test_liability_floor_is_asked_exactly_when_the_cap_is_by_the_fees(library, tmp_path):
    from ruamel.yaml import YAML
    question = library.points["liability-floor"].question["en"]

    log = logged_interview(library, tmp_path / "fees.yaml", "data-sharing", "en", Scripted("en"), ui="en")
    asked = points_asked(log)
    assert "liability-floor" in asked and asked.index("liability") < asked.index("liability-floor")
    answers = YAML(typ="safe").load((tmp_path / "fees.yaml").read_text(encoding="utf-8"))["answers"]
    assert answers["liability"]["cap"] == "fees-paid" and answers["liability-floor"]   # typed (Plan types a sum)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "fees.docx")).paragraphs)
    assert answers["liability-floor"] in text

    plan = Scripted("en", picks=[("Cap on damages", "fixed-amount")])
    log = logged_interview(library, tmp_path / "fixed.yaml", "data-sharing", "en", plan, ui="en")
    assert not plan.picks
    assert "liability-floor" not in points_asked(log)
    answers = YAML(typ="safe").load((tmp_path / "fixed.yaml").read_text(encoding="utf-8"))["answers"]
    assert answers["liability"]["cap"] == "fixed-amount" and "liability-floor" not in answers
    assert question not in "\n".join(text for kind, text in log if kind == "say")


def test_a_build_without_liability_floor_uses_its_default(library, tmp_path):
    from contractkit.build import build
    # the cap left at its default (fees-paid): the floor applies, and without an answer is its default, a placeholder
    data = example_with("data-sharing-ja.yaml", liability_floor=None)
    assert "liability" not in data["answers"]
    path = write_answers(tmp_path, data)
    result = build(path, tmp_path / "floor.docx", library=library)
    assert any(p == "liability-floor" for p, _w in result.placeholders), result.placeholders
    draft = assemble_dict(library, data)
    assert "●" in article_text(draft, "platform-liability")
    # given: written into the article
    given = assemble_dict(library, load_example("data-sharing-ja.yaml"))
    assert "金100万円" in article_text(given, "platform-liability")
    # a cap of a fixed amount: the floor does not apply, and is kept out even if answered
    data = example_with("data-sharing-ja.yaml", liability={"cap": "fixed-amount", "amount": "金500万円"})
    from conftest import resolve_dict
    resolved = resolve_dict(library, data)
    assert "liability-floor" not in resolved.values
    text = article_text(assemble_dict(library, data), "platform-liability")
    assert "金500万円" in text and "金100万円" not in text and "●" not in text


def test_the_real_interview_shows_each_groups_line_in_a_terminal(tmp_path):
    """`contractkit interview` in a pseudo-terminal: the lines of ai-use's groups, in order."""
    import pexpect

    from test_interview_pty import answer_everything, choose_no_pack, plain, spawn
    child = spawn(tmp_path, "--contract", "ai-use", "--lang", "ja", "--ui", "ja", "-o", "draft.docx")
    choose_no_pack(child, "ai-use")
    answer_everything(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and (tmp_path / "draft.docx").exists()
    shown = plain(child.logfile_read.getvalue())
    lines = list(dict.fromkeys(re.findall(r"\[(\d)/(\d)\] (\S+)", shown)))
    assert lines == [(str(i), "6", label) for i, label in enumerate(GROUPS_JA, 1)], lines
