"""Killing contractkit (SIGKILL, no chance to clean up) never leaves a half-written draft or
answers file: the target is the old file or the complete new one."""
import os
import random
import signal
import subprocess
import sys
import time
import zipfile

import pexpect

from conftest import ENV, EXAMPLES

OLD = b"the lawyer's previous draft"


def test_build_killed_at_random_points_leaves_old_or_complete_file(tmp_path):
    target = tmp_path / "draft.docx"
    rng = random.Random(20261125)
    outcomes = set()
    for attempt in range(12):
        target.write_bytes(OLD)
        proc = subprocess.Popen([sys.executable, "-m", "contractkit", "build", str(EXAMPLES / "data-provision-ja.yaml"),
                                 "-o", str(target), "--force"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        if data == OLD:
            outcomes.add("old")
            continue
        with zipfile.ZipFile(target) as zf:          # a complete package, never a partial one
            assert zf.testzip() is None
            assert "contractkit.clauses" in zf.read("docProps/custom.xml").decode()
        outcomes.add("new")
    assert outcomes  # both outcomes are fine; a partial file would have failed above


def test_a_killed_writers_temporary_file_is_removed_by_the_next_build(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".draft.docx.{dead.pid}.0.tmp"
    live = tmp_path / f".draft.docx.{os.getpid()}.7.tmp"      # a writer still at work: left alone
    stale.write_bytes(b"PK half a zip")
    live.write_bytes(b"PK being written")
    done = subprocess.run([sys.executable, "-m", "contractkit", "build", str(EXAMPLES / "data-provision-ja.yaml"),
                           "-o", str(tmp_path / "draft.docx")], env=ENV, capture_output=True)
    assert done.returncode == 0
    assert not stale.exists() and live.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "draft.docx"])


def test_interview_killed_midway_resumes_with_every_answer_given(tmp_path):
    from test_interview_pty import answer_up_to_the_providers_address, spawn
    (tmp_path / "answers.yaml").write_text("usecase: null\n", encoding="utf-8")
    child = spawn(tmp_path, "--answers", "answers.yaml", "--contract", "data-provision", "--lang", "ja", "--ui", "ja")
    answer_up_to_the_providers_address(child)
    os.kill(child.pid, signal.SIGKILL)
    child.close()
    text = (tmp_path / "answers.yaml").read_text(encoding="utf-8")
    assert "perspective: provider" in text and "2026-12-01" in text and "株式会社サンプル工機" in text
    assert not [p for p in tmp_path.iterdir() if p.name != "answers.yaml" and not p.name.startswith(".answers.yaml.")]

    child = spawn(tmp_path, "--answers", "answers.yaml", "--resume", "--ui", "ja")
    child.expect("データ提供者の住所")           # the first question not answered before the kill
    child.sendintr()
    child.expect(pexpect.EOF)
