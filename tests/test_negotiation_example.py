"""examples/negotiation/README.md: every command of its sh blocks runs, in a copy of the folder,
as a lawyer would type it there; the redlines it writes read back as the README says (accept-all
is the later round's draft, reject-all the earlier one's)."""
import re
import shlex
import shutil
import subprocess
import sys

from conftest import ENV, EXAMPLES
from test_redline import assert_round_trip, revisions

FOLDER = EXAMPLES / "negotiation"


def commands() -> list[list[str]]:
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]


def test_the_readme_lists_every_answers_file_of_the_folder():
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in FOLDER.glob("*.yaml"))
    assert files == ["round1-ours.yaml", "round2-theirs.yaml", "round3-ours.yaml"]
    for name in files:
        assert f"`{name}`" in text


def test_the_readme_commands_run_and_give_what_it_says(tmp_path):
    for path in FOLDER.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    listed = commands()
    assert [c[:2] for c in listed] == [["contractkit", "build"], ["contractkit", "redline"], ["contractkit", "redline"],
                                      ["contractkit", "review"], ["contractkit", "redline"],
                                      ["contractkit", "redline"], ["contractkit", "build"], ["contractkit", "update"]]
    outputs = {}
    for command in listed:
        result = subprocess.run([sys.executable, "-m", "contractkit", *command[1:]], capture_output=True, text=True,
                                env=ENV, cwd=tmp_path, timeout=300)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
        output = command[command.index("-o") + 1]
        assert (tmp_path / output).exists(), command
        outputs[output] = result.stdout
    assert "1 added" in outputs["round2-redline.docx"] and "4 changed" in outputs["round2-redline.docx"]
    assert "3 changed, 0 added, 0 removed" in outputs["round3-redline.docx"]
    assert "no article changed" in outputs["round1-updated.docx"]
    # review: their mark-up read back as the three points they changed, each an option's text
    said = outputs["round2-review.docx"]
    for line in ("第８条（派生データ）", "derived-data: consent-required", "第９条（第三者提供）", "third-party: prohibited",
                 "第１７条（遅延損害金）", "payment-terms.late_interest: statutory", "第２６条（存続条項）"):
        assert line in said, line
    assert "4か条変更、1か条追加、0か条削除、コメント0件" in said
    assert "自由修正" not in said
    derived = next(x for x in said.splitlines() if "derived-data: consent-required" in x)
    assert "データ提供者に有利" in derived and "当方の譲歩の範囲内" in derived
    # --answers-out: our answers with the accepted proposal, one line changed, its comment kept
    ours_lines = (tmp_path / "round1-ours.yaml").read_text(encoding="utf-8").splitlines()
    accepted_lines = (tmp_path / "round3-accepted.yaml").read_text(encoding="utf-8").splitlines()
    assert [(a, b) for a, b in zip(ours_lines, accepted_lines) if a != b] == [
        ("  payment-terms: {schedule: one-off, late_interest: none}   # 一括払い、遅延損害金の条項は置かない",
         "  payment-terms: {schedule: one-off, late_interest: statutory} # 一括払い、遅延損害金の条項は置かない")]
    assert len(ours_lines) == len(accepted_lines)
    # the counter-draft shows exactly the accepted proposal: the article it brings, the survival article naming it
    assert "1 changed, 1 added, 0 removed" in outputs["round3-accepted-redline.docx"]
    # and with our halfway offer on derived data it is round3-ours.yaml, as the README says
    from contractkit.answers import load_answers
    from contractkit.library import load_library
    halfway = tmp_path / "round3-halfway.yaml"
    halfway.write_text((tmp_path / "round3-accepted.yaml").read_text(encoding="utf-8").replace(
        "derived-data: license-back", "derived-data: consult"), encoding="utf-8")
    library = load_library()
    assert load_answers(halfway, library).sha256 == load_answers(tmp_path / "round3-ours.yaml", library).sha256
    # the redline from the draft we sent is the one from our answers
    assert revisions(tmp_path / "round2-redline-from-draft.docx") == revisions(tmp_path / "round2-redline.docx")
    # accept-all is the later round, reject-all the earlier one (their round built here for the comparison)
    assert subprocess.run([sys.executable, "-m", "contractkit", "build", "round2-theirs.yaml", "-o", "round2-theirs.docx"],
                          env=ENV, cwd=tmp_path, capture_output=True, timeout=300).returncode == 0
    assert_round_trip(tmp_path / "round2-redline.docx", tmp_path / "round1-ours.docx", tmp_path / "round2-theirs.docx")
    assert_round_trip(tmp_path / "round3-redline.docx", tmp_path / "round2-theirs.docx", tmp_path / "round3-ours.docx")
    # the author of their round's changes is their party; of ours, our party
    import zipfile
    with zipfile.ZipFile(tmp_path / "round2-redline.docx") as z:
        assert 'w:author="株式会社サンプル工機"' in z.read("word/document.xml").decode()
    with zipfile.ZipFile(tmp_path / "round3-redline.docx") as z:
        assert 'w:author="アクメ精密株式会社"' in z.read("word/document.xml").decode()
