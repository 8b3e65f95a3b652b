"""The real `contractkit interview` in a pseudo-terminal (pexpect), as a lawyer runs it."""
import subprocess
import sys

import pexpect

from conftest import ENV, docx_xml

PTY_ENV = {**ENV, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": "ja_JP.UTF-8"}
REQUIRED = "入力してください"
WRITTEN = "契約書の案を作成しました"
TEXTS = iter(["本機械の保守及び性能改善", "本機械のセンサーが取得する稼働データ"] + ["テスト"] * 20)


def spawn(tmp_path, *args):
    return pexpect.spawn(sys.executable, ["-m", "contractkit", "interview", *args], cwd=str(tmp_path),
                         env=PTY_ENV, encoding="utf-8", timeout=20, dimensions=(40, 120))


def answer_everything(child, until=WRITTEN, budget=200):
    """Accept each question's default (the guideline's usual position); type a text where one is required."""
    for _ in range(budget):
        index = child.expect([REQUIRED, until, pexpect.TIMEOUT, pexpect.EOF], timeout=0.15)
        if index == 0:
            child.send(next(TEXTS) + "\r")
        elif index == 1:
            return
        elif index == 2:
            child.send("\r")
        else:
            raise AssertionError("the interview ended early:\n" + (child.before or ""))
    raise AssertionError("the interview did not finish")


def answer_up_to_the_providers_address(child):
    """The side (default), the contract date and the provider's name; stops at its address."""
    child.expect("どちらの立場で起案しますか")
    child.send("\r")
    child.expect("契約日")
    child.send("2026-12-01\r")
    child.expect("データ提供者の名称")
    child.send("株式会社サンプル工機\r")
    child.expect("データ提供者の住所")


def packs_for(contract):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    return [p for p, folder in find_packs().items() if contract in load_library(packs=[folder]).packs[p]["contracts"]]


def choose_no_pack(child, contract):
    """The pack question offers "none" first (the default), then the packs for the contract type."""
    if packs_for(contract):
        child.expect("ユースケース・パック")
        child.expect("使わない")
        child.send("\r")


def stamp(path):
    import re
    return re.search(r'name="contractkit.clauses"><vt:lpwstr>([^<]*)<', docx_xml(path, "docProps/custom.xml")).group(1)


def test_complete_japanese_interview_matches_build(tmp_path):
    child = spawn(tmp_path, "--contract", "data-provision", "--lang", "ja", "--ui", "ja", "-o", "draft.docx")
    choose_no_pack(child, "data-provision")
    answer_everything(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = tmp_path / "answers.yaml"
    assert (tmp_path / "draft.docx").exists() and answers.exists()
    rebuilt = tmp_path / "rebuilt.docx"
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", str(answers), "-o", str(rebuilt)],
                          capture_output=True, text=True, env=ENV, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert stamp(rebuilt) == stamp(tmp_path / "draft.docx")
    # drafted for the provider (the first side offered): the provider's opening position
    assert "derived-data:consent-required" in stamp(rebuilt)


def test_interrupted_interview_resumes(tmp_path):
    child = spawn(tmp_path, "--contract", "data-provision", "--lang", "ja", "--ui", "ja")
    choose_no_pack(child, "data-provision")
    answer_up_to_the_providers_address(child)
    child.sendintr()
    child.expect("--resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    text = (tmp_path / "answers.yaml").read_text(encoding="utf-8")
    assert "株式会社サンプル工機" in text and "2026-12-01" in text

    child = spawn(tmp_path, "--resume", "--ui", "ja")
    child.expect("データ提供者の住所")       # continues at the first unanswered question
    answer_everything(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "answers.docx").exists()


def test_without_a_terminal_it_points_to_build(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "contractkit", "interview"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=ENV, cwd=tmp_path)
    assert proc.returncode == 2
    assert "contractkit build ANSWERS.yaml" in proc.stderr
    assert not list(tmp_path.iterdir())
