"""Bad answers files get `file:line:col: what is wrong, and the valid choices`, and nothing is written."""
import subprocess
import sys

import pytest

from conftest import ENV, MINIMAL_ANSWERS as BASE, ROOT


CASES = {
    "unknown key": (BASE.replace("language: ja", "language: ja\nlanguag: en"), "answers.yaml:3:1: 'languag' is not a known key (did you mean 'language'?)"),
    "bad contract": (BASE.replace("data-provision", "data-provison"), "answers.yaml:1:11: 'data-provison' is not a valid contract type (did you mean 'data-provision'?); valid choices: data-provision, data-creation, data-sharing"),
    "bad language": (BASE.replace("language: ja", "language: jp"), "answers.yaml:2:11: 'jp' is not a valid language (did you mean 'ja'?); valid choices: ja, en"),
    "unknown point": (BASE + "  derived-date: consult\n", "answers.yaml:12:3: unknown point 'derived-date' (did you mean 'derived-data'?)"),
    "point of another type": (BASE + "  rights-allocation: both-free\n", "answers.yaml:12:3: point 'rights-allocation' does not apply to data-provision (it belongs to data-creation)"),
    "bad option": (BASE + "  derived-data: recipient\n", "answers.yaml:12:17: 'recipient' is not a valid option of 'derived-data' (did you mean 'recipient-free'?); valid choices: recipient-free, license-back, consent-required, consult"),
    "bad multi option": (BASE + "  warranty: [authority, accurasy]\n", "answers.yaml:12:25: 'accurasy' is not a valid option of 'warranty' (did you mean 'accuracy'?)"),
    "multi as scalar": (BASE + "  warranty: authority\n", "answers.yaml:12:13: needs a list such as [authority, accuracy]"),
    "wrong type": (BASE + "  term: {months: twelve}\n", "answers.yaml:12:18: needs a whole number, got text 'twelve'"),
    "unknown field": (BASE + "  liability: {cap: none, scop: all}\n", "answers.yaml:12:26: 'scop' is not a known field of 'liability' (did you mean 'scope'?)"),
    "bool as text": (BASE + "  leak-mitigation: yes please\n", "answers.yaml:12:20: needs true or false"),
    "wrong role": (BASE.replace("role: recipient", "role: reciever"), "answers.yaml:6:11: 'reciever' is not a role of data-provision (did you mean 'recipient'?); valid: provider, recipient"),
    "missing party": (BASE.replace("  - role: recipient\n    name: 乙社\n", ""), "no party with role 'recipient'"),
    "null where no placeholder is allowed": (BASE + "  processing: null\n", "answers.yaml:12:15: needs one option of 'processing', not an empty value"),
    "alias": (BASE + "  processing: &p allowed\n  third-party: *p\n", "answers.yaml:12:15: anchors (&p) are not allowed"),
    "python tag": (BASE + "  purpose: !!python/object/apply:os.system [echo hi]\n", "answers.yaml:12:12: YAML tags (!!python/object/apply:os.system) are not allowed"),
    "malformed yaml": (BASE + "  fee: {model: fixed\n", "answers.yaml:13:1: invalid YAML"),
    "duplicate key": (BASE + "  purpose: again\n", "answers.yaml:12:3: invalid YAML: a key appears twice"),
    "bad date": (BASE.replace("language: ja", "language: ja\ndate: 2026-13-01"), "answers.yaml:3:7: '2026-13-01' is not a valid date"),
    "missing point": (BASE.replace("  data-scope: 稼働データ\n", ""), "1 point(s) are not answered and have no default"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_answers_give_located_errors_and_write_nothing(case, tmp_path, capsys, monkeypatch):
    from contractkit.cli import main
    text, expected = CASES[case]
    answers = tmp_path / "answers.yaml"
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "draft.docx"
    monkeypatch.chdir(tmp_path)
    code = main(["build", "answers.yaml", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_missing_point_names_the_question(tmp_path, capsys):
    from contractkit.cli import main
    (tmp_path / "a.yaml").write_text(BASE.replace("  data-scope: 稼働データ\n", ""), encoding="utf-8")
    assert main(["build", str(tmp_path / "a.yaml"), "-o", str(tmp_path / "d.docx")]) == 2
    err = capsys.readouterr().err
    assert "'data-scope'" in err and "contractkit interview" in err


def test_not_utf8_and_binary_garbage(tmp_path, capsys):
    from contractkit.cli import main
    (tmp_path / "sjis.yaml").write_bytes(BASE.encode("shift_jis"))
    assert main(["build", str(tmp_path / "sjis.yaml"), "-o", str(tmp_path / "d.docx")]) == 2
    assert "sjis.yaml:5:11: the file is not UTF-8" in capsys.readouterr().err
    (tmp_path / "bin.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["build", str(tmp_path / "bin.yaml"), "-o", str(tmp_path / "d.docx")]) == 2
    assert "not a text file" in capsys.readouterr().err
    assert not (tmp_path / "d.docx").exists()


def test_existing_output_is_never_touched_without_force(tmp_path, capsys):
    from contractkit.cli import main
    target = tmp_path / "draft.docx"
    target.write_bytes(b"the lawyer's edited draft")
    example = str(ROOT / "examples" / "data-provision-ja.yaml")
    assert main(["build", example, "-o", str(target)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert target.read_bytes() == b"the lawyer's edited draft"
    assert main(["build", example, "-o", str(target), "--force"]) == 0
    assert target.read_bytes()[:2] == b"PK"


def test_cli_reports_path_articles_and_placeholders(tmp_path):
    out = tmp_path / "draft.docx"
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", str(ROOT / "examples" / "data-provision-ja.yaml"),
                           "-o", str(out)], capture_output=True, text=True, cwd=tmp_path, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}: データ提供契約書, " in proc.stdout and " articles" in proc.stdout
    assert "placeholders left (1)" in proc.stdout and "● fee.amount  (第１６条)" in proc.stdout


def test_help_teaches_with_an_example():
    for args in (["--help"], ["build", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "contractkit", *args], capture_output=True, text=True, env=ENV)
        assert proc.returncode == 0
        assert "contractkit build examples/data-provision-ja.yaml -o draft.docx" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "contractkit"], capture_output=True, text=True, env=ENV)
    assert proc.returncode == 2


def test_help_does_not_import_heavy_modules():
    code = "import sys; from contractkit.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n" \
           "print('HEAVY:' + ','.join(m for m in ('jinja2', 'docx', 'ruamel.yaml', 'questionary') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_batch_builds_every_file_in_one_process_and_reports_each_failure(tmp_path):
    batch = tmp_path / "deals"
    batch.mkdir()
    for name in ("data-provision-ja.yaml", "ai-use-en.yaml"):
        (batch / name).write_text((ROOT / "examples" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (batch / "broken.yaml").write_text(BASE.replace("language: ja", "language: jp"), encoding="utf-8")
    out = tmp_path / "drafts"
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", "--batch", str(batch), "-o", str(out)],
                          capture_output=True, text=True, env=ENV)
    assert proc.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["ai-use-en.docx", "data-provision-ja.docx"]
    assert "wrote 2 drafts" in proc.stdout
    assert "broken.yaml:2:11: 'jp' is not a valid language" in proc.stderr
    assert "[#" not in proc.stderr   # no progress bar without a terminal


BILINGUAL = """\
contract: data-provision
language: ja+en
parties:
  - role: provider
    name: {ja: 甲社, en: "Party A Co., Ltd."}
  - role: recipient
    name: Acme Corp.
answers:
  purpose: {ja: 保守, en: maintenance}
  data-scope: {ja: 稼働データ, en: operating data}
  fee: {model: free}
  liability: {cap: none}
"""


@pytest.mark.parametrize("disputes, where, name", [
    ("{law: japan, forum: court, court: Tokyo District Court}", "court", "the court of disputes"),
    ("{law: other, law_name: the laws of Singapore, forum: court, court: {ja: 東京地方裁判所, en: Tokyo District Court}}",
     "law_name", "the law_name of disputes"),
    ("{law: japan, forum: arbitration, seat: Singapore}", "seat", "the seat of disputes"),
])
def test_a_court_law_or_seat_in_english_only_is_refused_in_a_bilingual_draft(tmp_path, capsys, monkeypatch, disputes, where, name):
    """A party name in Latin letters serves both columns; the name of a court, a law or a seat is
    written in each language, so one given in English only is refused at its place, with the form to write."""
    from contractkit.cli import main
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.yaml").write_text(BILINGUAL + f"  disputes: {disputes}\n", encoding="utf-8")
    code = main(["build", "answers.yaml", "-o", "draft.docx"])
    err = capsys.readouterr().err
    assert code == 2, err
    value = {"court": "Tokyo District Court", "law_name": "the laws of Singapore", "seat": "Singapore"}[where]
    line = len(BILINGUAL.splitlines()) + 1
    column = (BILINGUAL + f"  disputes: {disputes}\n").splitlines()[-1].index(f"{where}: ") + len(where) + 3
    assert (f"answers.yaml:{line}:{column}: '{value}' is {name}, which Japanese and English write differently, and this draft "
            f"is ja+en (Japanese and English side by side): write both, {{ja: <the Japanese name>, en: {value}}}") in err, err
    assert "Acme" not in err                         # the party's Latin name is fine
    assert not (tmp_path / "draft.docx").exists()


def test_a_latin_party_name_serves_both_columns_and_a_court_reads_in_each(tmp_path):
    import docx

    from contractkit.build import build
    answers = tmp_path / "answers.yaml"
    answers.write_text(BILINGUAL + "  disputes: {law: japan, forum: court, court: {ja: 大阪地方裁判所, en: Osaka District Court}}\n",
                       encoding="utf-8")
    build(answers, tmp_path / "draft.docx")
    rows = [[c.text for c in r.cells] for t in docx.Document(str(tmp_path / "draft.docx")).tables for r in t.rows]
    rows = [r for r in rows if len(r) == 2]
    assert any("大阪地方裁判所" in ja and "Osaka District Court" in en and "Osaka" not in ja for ja, en in rows)
    assert any("Acme Corp." in ja and "乙" in ja for ja, _ in rows)
    assert any("Acme Corp." in en for _, en in rows)
