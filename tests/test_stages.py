"""The staged path: a later stage names `from:` an earlier answers file and takes over what means
the same; AI warnings the drafter must see."""
import subprocess
import sys

import pytest

from conftest import ENV, EXAMPLES, dump_yaml, load_example

STAGED = EXAMPLES / "staged-ja"


@pytest.mark.parametrize("name", ["1-nda.yaml", "2-poc.yaml", "3-development.yaml", "4-use.yaml"])
def test_four_stage_chain_builds(library, tmp_path, name):
    from contractkit.build import build
    result = build(STAGED / name, tmp_path / "d.docx", library=library)
    assert result.articles >= 15


def test_later_stage_takes_over_what_means_the_same(library):
    from contractkit.answers import load_answers
    nda = load_answers(STAGED / "1-nda.yaml", library)
    poc = load_answers(STAGED / "2-poc.yaml", library)
    use = load_answers(STAGED / "4-use.yaml", library)
    assert poc.parties == nda.parties and use.parties == nda.parties
    assert poc.lang == "ja" and poc.perspective == nda.perspective
    for pid in ("purpose", "data-scope", "secret-definition", "confidentiality", "disputes", "signing"):
        assert poc.origins[pid] == "from" and poc.values[pid] == nda.values[pid], pid
    # points a stage settles anew are not taken over
    assert poc.origins["term"] == "answers" and poc.values["term"]["months"] == 4
    assert "next-stage" not in use.values
    # carried over two stages (PoC → development → use), unless the later file answers it
    assert use.origins["user-data"] == "from" and use.values["user-data"] == poc.values["user-data"]
    assert use.origins["liability"] == "from" and use.origins["usage-conditions"] == "answers"


def test_changing_an_earlier_stage_changes_the_stamp(library, tmp_path):
    from contractkit.answers import load_answers
    for name in ("1-nda.yaml", "2-poc.yaml"):
        (tmp_path / name).write_text((STAGED / name).read_text(encoding="utf-8"), encoding="utf-8")
    before = load_answers(tmp_path / "2-poc.yaml", library).sha256
    nda = (tmp_path / "1-nda.yaml").read_text(encoding="utf-8").replace("nda-direction: mutual", "nda-direction: user-discloses")
    (tmp_path / "1-nda.yaml").write_text(nda.replace("secret-definition: marked", "secret-definition: all-disclosed"), encoding="utf-8")
    after = load_answers(tmp_path / "2-poc.yaml", library)
    assert after.sha256 != before and after.values["secret-definition"] == "all-disclosed"


def test_bad_earlier_stage_is_located(library, tmp_path):
    (tmp_path / "nda.yaml").write_text("contract: ai-nda\nlanguage: jp\n", encoding="utf-8")
    (tmp_path / "poc.yaml").write_text("contract: ai-poc\nfrom: nda.yaml\n", encoding="utf-8")
    (tmp_path / "loop.yaml").write_text("contract: ai-poc\nfrom: loop.yaml\n", encoding="utf-8")
    from contractkit.answers import load_answers
    from contractkit.errors import UserError
    with pytest.raises(UserError) as info:
        load_answers(tmp_path / "poc.yaml", library)
    assert "nda.yaml:2:11: 'jp' is not a valid language" in str(info.value)
    with pytest.raises(UserError) as info:
        load_answers(tmp_path / "loop.yaml", library)
    assert "comes back to this file" in str(info.value)


def test_interview_from_an_earlier_stage_asks_only_what_is_new(library, tmp_path):
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    (tmp_path / "nda.yaml").write_text((STAGED / "1-nda.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    doc = AnswersDocument(tmp_path / "poc.yaml")
    doc.set("contract", "ai-poc")
    doc.set("from", "nda.yaml")
    session = Interview(library, doc, Terminal(), "ja", tmp_path / "poc.docx")
    _, pending = session.pending()
    asked = {p.id for p in pending}
    assert {"work-scope", "contract-nature", "completion", "user-data", "copyright", "fee", "term"} <= asked
    assert not asked & {"purpose", "data-scope", "secret-definition", "confidentiality", "disputes", "signing", "liability"}


def build_with(library, tmp_path, example, **answers):
    data = load_example(example)
    data["answers"].update(answers)
    path = tmp_path / "a.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", str(path), "-o", str(tmp_path / "d.docx"), "--force"],
                          capture_output=True, text=True, env=ENV)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.mark.parametrize("answers,needle", [
    ({"contract-nature": "contract-for-work"}, "warning [contract-nature]:"),
    ({"performance": "guaranteed-metrics"}, "warning [performance]:"),
    ({"ai-liability": {"bearer": "vendor-bears", "claim_months": 12}}, "warning [ai-liability.bearer]:"),
    ({"usage-conditions": {"user": "any-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 36}}, "独占禁止法"),
    ({"usage-conditions": {"user": "any-purpose", "vendor_reuse": "allowed", "exclusivity_months": 0},
      "user-data": {"warranty": "authority-only", "at_end": "delete", "confidential_know_how": True}}, "ノウハウ"),
])
def test_build_prints_the_warnings_the_drafter_must_see(library, tmp_path, answers, needle):
    quiet = build_with(library, tmp_path, "ai-development-ja.yaml")
    loud = build_with(library, tmp_path, "ai-development-ja.yaml", **answers)
    assert needle in loud and loud.count("warning") > quiet.count("warning")
