"""The writing layer: answer text no draft can hold is refused at its place in the answers file;
an answer's line breaks never make a new 項 or 号; outputs are written whole, as a pair, never
over an input, and a file-system error is one line with exit 2 and nothing left behind."""
import errno
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from conftest import ENV, ROOT, W, dump_yaml, load_example

LOCATED = re.compile(r"^contractkit: [^\n]*answers\.yaml:\d+:\d+: ")
# every character class no draft can hold: C0 controls but tab, line feed and carriage return; C1
# controls but NEL; both ends of both surrogate halves; the two non-characters XML excludes
UNWRITABLE = ([chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [chr(c) for c in range(0x7F, 0xA0) if c != 0x85]
              + ["\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff"])
SEPARATORS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"]


def quoted(value):
    r"""Every text double-quoted, so that odd characters are written as YAML escapes ("\ud800",
    "\N"): in plain or single-quoted YAML a raw NEL or U+2028 would be folded into a space."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString
    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, dict):
        return {k: quoted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [quoted(v) for v in value]
    return value


def answers_with(tmp_path: Path, change, example="data-provision-ja.yaml") -> Path:
    data = load_example(example)
    change(data)
    path = tmp_path / "answers.yaml"
    path.write_text(dump_yaml(quoted(data)), encoding="utf-8")
    return path


def run_main(capsys, *args) -> tuple[int, str, str]:
    from contractkit.cli import main
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str, expected: str, folder: Path, keep: set[str] = frozenset({"answers.yaml"})):
    """Exit 2, one line naming what is wrong, no traceback, and nothing written in `folder`."""
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err, err
    assert {p.name for p in folder.iterdir()} == set(keep), list(folder.iterdir())


# -- characters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("char", UNWRITABLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_character_word_cannot_store_is_refused_where_it_stands(char, tmp_path, capsys):
    def change(data):
        data["answers"]["purpose"] = f"品質改善{char}及び開発"
    answers = answers_with(tmp_path, change)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "m.docx")
    assert_refused(code, err, f"U+{ord(char):04X}", tmp_path)
    assert LOCATED.match(err), err
    assert "the purpose contains" in err and "remove it" in err


@pytest.mark.parametrize("where", ["name", "address", "representative"])
@pytest.mark.parametrize("sep", SEPARATORS, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_a_line_break_in_a_party_field_is_refused(where, sep, tmp_path, capsys):
    def change(data):
        data["parties"][1][where] = f"アクメ精密{sep}- 株式会社"
    answers = answers_with(tmp_path, change)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx")
    assert_refused(code, err, f"the {where} of party 2 is one line in the draft, but contains a line break", tmp_path)
    assert LOCATED.match(err), err


def test_a_line_break_in_a_single_line_mapping_field_is_refused(tmp_path, capsys):
    def change(data):
        data["answers"]["disputes"]["court"] = "名古屋地方裁判所\n第９９条　東京地方裁判所"
    answers = answers_with(tmp_path, change)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx")
    assert_refused(code, err, "the court of disputes is one line in the draft", tmp_path)
    assert LOCATED.match(err), err


def test_the_line_break_a_yaml_block_scalar_ends_with_is_not_a_line_break(tmp_path, capsys):
    text = load_example_text().replace("    name: アクメ精密株式会社", "    name: |\n      アクメ精密株式会社")
    answers = tmp_path / "answers.yaml"
    answers.write_text(text, encoding="utf-8")
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx")
    assert code == 0, err
    assert "アクメ精密株式会社（以下「乙」という。）" in "\n".join(p.text for p in docx.Document(tmp_path / "d.docx").paragraphs)


def load_example_text() -> str:
    return (ROOT / "examples" / "data-provision-ja.yaml").read_text(encoding="utf-8")


# -- multi-line answers ---------------------------------------------------------------------------

def article_paragraphs(path: Path, heading: str) -> list:
    """The paragraphs (python-docx) of the article whose heading reads `heading`."""
    paragraphs = docx.Document(path).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "CK Article Heading" and heading in p.text)
    out = []
    for p in paragraphs[start + 1:]:
        if p.style.name == "CK Article Heading":
            break
        out.append(p)
    return out


@pytest.mark.parametrize("sep", SEPARATORS, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_a_multi_line_description_stays_one_item_with_line_breaks(sep, tmp_path, capsys):
    """creation-setup.description is `multiline: true`: its lines, even ones that read like a 号
    ("- …") or an article ("第９９条 …"), stay breaks inside the one item the clause gives it."""
    lines = ["甲の工場に設置したセンサーにより稼働データを取得する", "- 取得の頻度は毎秒とする", "第９９条　乙が解析する"]

    def change(data):
        data["answers"]["creation-setup"]["description"] = sep.join(lines)
    answers = answers_with(tmp_path, change, "data-creation-ja.yaml")
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "m.docx")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "d.docx", "m.docx"]
    (tmp_path / "plain").mkdir()
    plain = answers_with(tmp_path / "plain", lambda d: d["answers"]["creation-setup"].update(description="センサーによる取得"),
                         "data-creation-ja.yaml")
    assert run_main(capsys, "build", plain, "-o", tmp_path / "plain.docx")[0] == 0
    built = article_paragraphs(tmp_path / "d.docx", "（データの創出）")
    reference = article_paragraphs(tmp_path / "plain.docx", "（データの創出）")
    assert [p.style.name for p in built] == [p.style.name for p in reference]        # no extra 項 or 号
    (item,) = [p for p in built if "稼働データを取得する" in p.text]
    assert item.style.name == "CK Item (first paragraph)"
    assert len(item._p.findall(f".//{W}br")) == 2
    assert item.text == "\n".join(lines)
    memo = etree.fromstring(zipfile.ZipFile(tmp_path / "m.docx").read("word/document.xml"))
    assert "- 取得の頻度は毎秒とする" not in ["".join(p.itertext()).strip() for p in memo.iter(f"{W}p")]


@pytest.mark.parametrize("sep", SEPARATORS, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_a_multi_line_purpose_is_refused_it_is_one_line_of_a_sentence(sep, tmp_path, capsys):
    """The purpose is a noun phrase inside 「…（以下「本目的」という。）」: "- " or "第９９条" on a line
    of its own would make a new 号 or 項, so a purpose is one line."""
    def change(data):
        data["answers"]["purpose"] = sep.join(["工作機械向け交換部品の品質改善", "- 新製品の開発", "第９９条　保守"])
    answers = answers_with(tmp_path, change)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "m.docx")
    assert_refused(code, err, "the purpose is one line in the draft, but contains a line break", tmp_path)
    assert LOCATED.match(err), err


def test_a_multi_line_description_in_a_bilingual_draft(tmp_path, capsys):
    def change(data):
        data["contract"], data["language"] = "ai-poc", "ja+en"
        data["answers"]["work-scope"]["description"] = {"ja": "異常検知モデルの試作\n- 検証用データの整備",
                                                         "en": "a trial model\n- preparing the test data"}
    answers = answers_with(tmp_path, change, "ai-poc-en.yaml")
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx")
    assert code == 0, err
    (tmp_path / "plain").mkdir()
    plain = answers_with(tmp_path / "plain", lambda d: d.update(language="ja+en"), "ai-poc-en.yaml")
    assert run_main(capsys, "build", plain, "-o", tmp_path / "plain.docx")[0] == 0
    rows = [len(t.rows) for t in docx.Document(tmp_path / "d.docx").tables]
    assert rows == [len(t.rows) for t in docx.Document(tmp_path / "plain.docx").tables]
    body = etree.fromstring(zipfile.ZipFile(tmp_path / "d.docx").read("word/document.xml"))
    broken = [p for p in body.iter(f"{W}p") if p.find(f".//{W}br") is not None]
    # the answer in each language, in its column
    assert [("".join(p.itertext())) for p in broken] == ["異常検知モデルの試作- 検証用データの整備",
                                                         "a trial model- preparing the test data"]


def test_the_writer_refuses_what_slipped_past_the_answers(tmp_path):
    """The last guard: text no XML can hold never reaches a package, whatever put it there."""
    from contractkit.docx.ooxml import UnwritableText, run, xml_text
    for char in ("\x01", "\ud800", "\uffff"):
        with pytest.raises(UnwritableText, match=f"U\\+{ord(char):04X}"):
            run(f"text{char}")
        with pytest.raises(UnwritableText):
            xml_text(char)
    assert run("a\nb\tc") == ('<w:r><w:t xml:space="preserve">a</w:t><w:br/><w:t xml:space="preserve">b</w:t>'
                              '<w:tab/><w:t xml:space="preserve">c</w:t></w:r>')


# -- outputs --------------------------------------------------------------------------------------

def test_the_output_may_not_be_the_answers_file(tmp_path, capsys):
    answers = answers_with(tmp_path, lambda d: None)
    before = answers.read_bytes()
    code, _, err = run_main(capsys, "build", answers, "-o", answers, "--force")
    assert_refused(code, err, "a Word file's name must end in .docx", tmp_path)   # refused by its name first
    os.link(answers, tmp_path / "deal.docx")                 # the same file under another name
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "deal.docx", "--force")
    assert_refused(code, err, "is the answers file itself", tmp_path, {"answers.yaml", "deal.docx"})
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", answers, "--force")
    assert_refused(code, err, "--memo", tmp_path, {"answers.yaml", "deal.docx"})
    assert answers.read_bytes() == before


def test_the_memo_may_not_be_the_draft(tmp_path, capsys):
    answers = answers_with(tmp_path, lambda d: None)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "sub" / ".." / "d.docx")
    assert_refused(code, err, "is also the draft", tmp_path)
    (tmp_path / "d.docx").write_bytes(b"old")
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "d.docx", "--force")
    assert_refused(code, err, "is also the draft", tmp_path, {"answers.yaml", "d.docx"})
    assert (tmp_path / "d.docx").read_bytes() == b"old"


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in, even as root (/sys refuses root too)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys")):
        try:
            fd = os.open(candidate / ".probe", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return candidate
        os.close(fd)
        os.unlink(candidate / ".probe")
    pytest.skip("no folder here refuses this process")


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, capsys):
    answers = answers_with(tmp_path, lambda d: None)
    locked = unwritable_folder(tmp_path)
    keep = {"answers.yaml", "locked"}
    code, _, err = run_main(capsys, "build", answers, "-o", locked / "d.docx")
    assert_refused(code, err, f"{locked / 'd.docx'}: cannot write it: permission denied", tmp_path, keep)
    # the draft's folder is fine, the memo's is not: neither is written
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", locked / "m.docx")
    assert_refused(code, err, f"{locked / 'm.docx'}: cannot write it", tmp_path, keep)
    (tmp_path / "locked").chmod(0o755)


def test_a_full_disk_leaves_neither_the_draft_nor_the_memo(tmp_path, capsys, monkeypatch):
    import contractkit.files as files
    answers = answers_with(tmp_path, lambda d: None)
    real, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:                                  # the second file of the pair: the memo
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)
    monkeypatch.setattr(files.os, "fsync", fsync)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "m.docx")
    assert_refused(code, err, f"{tmp_path / 'm.docx'}: cannot write it: the disk is full; nothing was written", tmp_path)


def test_a_failed_pair_with_force_puts_the_old_files_back(tmp_path, capsys, monkeypatch):
    import contractkit.files as files
    answers = answers_with(tmp_path, lambda d: None)
    (tmp_path / "d.docx").write_bytes(b"old draft")
    (tmp_path / "m.docx").write_bytes(b"old memo")
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:                                  # the memo cannot be put in place
            raise OSError(errno.EROFS, "Read-only file system")
        return real(src, dst)
    monkeypatch.setattr(files.os, "replace", replace)
    code, _, err = run_main(capsys, "build", answers, "-o", tmp_path / "d.docx", "--memo", tmp_path / "m.docx", "--force")
    assert_refused(code, err, "read-only file system", tmp_path, {"answers.yaml", "d.docx", "m.docx"})
    assert (tmp_path / "d.docx").read_bytes() == b"old draft"
    assert (tmp_path / "m.docx").read_bytes() == b"old memo"


@pytest.fixture
def small_disk(tmp_path):
    """A 48 KiB tmpfs (where this process may mount one), to be filled up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here (the in-process test covers a full disk)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_really_full_disk(tmp_path, small_disk):
    answers = answers_with(tmp_path, lambda d: None)
    (small_disk / "filler").write_bytes(b"\0" * 40 * 1024)
    done = subprocess.run([sys.executable, "-m", "contractkit", "build", str(answers), "-o", str(small_disk / "d.docx"),
                           "--memo", str(small_disk / "m.docx")], capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if not line.startswith("warning")] == [
        f"contractkit: {small_disk / 'd.docx'}: cannot write it: the disk is full; nothing was written"]
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_four_builds_to_one_new_target_at_once_one_writes(tmp_path):
    answers = answers_with(tmp_path, lambda d: None)
    target = tmp_path / "new.docx"
    procs = [subprocess.Popen([sys.executable, "-m", "contractkit", "build", str(answers), "-o", str(target)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
             for _ in range(4)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    wrote = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] != 0]
    assert len(wrote) == 1, results
    assert wrote[0][1].startswith(f"wrote {target}")
    for code, out, err in refused:
        assert code == 2 and out == "" and "Traceback" not in err
        assert err.strip() == f"contractkit: {target} already exists; use --force to overwrite it"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "new.docx"]
    assert docx.Document(target).paragraphs[0].text == "データ提供契約書"


def test_batch_onto_a_file_is_one_line(tmp_path, capsys):
    folder = tmp_path / "deals"
    folder.mkdir()
    answers_with(folder, lambda d: None)
    (tmp_path / "drafts").write_text("not a folder")
    code, _, err = run_main(capsys, "build", "--batch", folder, "-o", tmp_path / "drafts")
    assert_refused(code, err, "is a file; with --batch, -o names the folder for the drafts", tmp_path, {"deals", "drafts"})
    code, _, err = run_main(capsys, "build", "--batch", tmp_path / "drafts", "-o", tmp_path / "out")
    assert_refused(code, err, "is a file, not a folder of answers files", tmp_path, {"deals", "drafts"})
    locked = unwritable_folder(tmp_path)
    code, _, err = run_main(capsys, "build", "--batch", folder, "-o", locked / "out")
    assert_refused(code, err, "cannot create this folder: permission denied", tmp_path, {"deals", "drafts", "locked"})
    (tmp_path / "locked").chmod(0o755)


def test_a_lone_surrogate_given_through_the_interview_is_saved_escaped_and_refused_at_its_place(library, tmp_path):
    from contractkit.answers_file import AnswersDocument
    from contractkit.errors import UserError
    from test_interview import ENTER, prefilled, run_interview
    path = prefilled(library, tmp_path, "data-provision-ja.yaml")
    AnswersDocument(path).set_answer("purpose", "品質改善\ud800")    # as the interview saves a typed answer
    assert '"品質改善\\uD800"' in path.read_text(encoding="utf-8")
    with pytest.raises(UserError) as refused:
        run_interview(library, path, ENTER, ui="ja")                 # the review: build the draft
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: the purpose contains a lone surrogate U\+D800", str(refused.value))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.yaml"]
