"""Messages a lawyer can act on: the command line (misspelt options and commands, file names that
are not .docx, --pdf), YAML mistakes located at the key and explained, and `packs validate`
pointing at the line and the word that is wrong."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ENV, EXAMPLES, MINIMAL_ANSWERS as BASE, ROOT

from contractkit.cli import main

EXAMPLE = (EXAMPLES / "data-provision-ja.yaml").read_text(encoding="utf-8")


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(folder):
    return sorted(p.name for p in folder.iterdir())


# -- the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (["biuld", "deal.yaml"], "contractkit: 'biuld' is not a command (did you mean 'build'?); valid choices: build, interview"),
    (["packs", "valdate"], "'valdate' is not an action of 'contractkit packs' (did you mean 'validate'?); valid choices: list, show, new, validate, test"),
    (["interview", "--lang", "jp"], "'jp' is not a value of --lang (did you mean 'ja'?); valid choices: ja, en"),
    (["build", "deal.yaml", "-o"], "build: -o/--output needs a value"),
    (["build", "deal.yaml", "other.yaml"], "build: unexpected argument 'other.yaml'"),
    (["--bogus"], "contractkit: unknown option '--bogus'\n"),
])
def test_usage_mistakes_are_named_with_what_to_type(capsys, tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, *args)
    assert code == 2 and expected in err, err
    assert "usage:" not in err and "error:" not in err
    assert files(tmp_path) == []


@pytest.mark.parametrize("args", [
    ["build", "deal.yaml", "-o", "deal.docx", "--ouput", "x.docx"],
    ["build", "--ouput", "deal.docx", "deal.yaml"],       # the misspelt option's value takes the answers' place
])
def test_a_misspelt_option_is_the_only_thing_reported(capsys, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deal.yaml").write_text(EXAMPLE, encoding="utf-8")
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert "build: unknown option '--ouput' (did you mean '--output'?)" in err, err
    assert "options of contractkit build: --batch, --clean, --draft-date, --draft-header, --force" in err
    assert "deal.yaml" not in err and "unrecognized" not in err
    assert files(tmp_path) == ["deal.yaml"]


@pytest.mark.parametrize("args,expected", [
    (["-o", "draft.pdf"], "-o draft.pdf: contractkit writes Word files, so the name must end in .docx; for a PDF as "
                          "well, add --pdf (needs LibreOffice): contractkit build ANSWERS.yaml -o draft.docx --pdf"),
    (["-o", "draft.doc"], "-o draft.doc: a Word file's name must end in .docx (e.g. draft.docx)"),
    (["-o", "draft"], "-o draft: a Word file's name must end in .docx (e.g. draft.docx)"),
    (["-o", "draft.docx", "--memo", "memo.pdf"], "--memo memo.pdf: a Word file's name must end in .docx (e.g. memo.docx)"),
])
def test_a_draft_is_never_written_under_another_name(capsys, tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deal.yaml").write_text(EXAMPLE, encoding="utf-8")
    code, out, err = cli(capsys, "build", "deal.yaml", *args)
    assert code == 2 and f"contractkit: {expected}" in err, err
    assert files(tmp_path) == ["deal.yaml"]


def test_the_interview_refuses_a_draft_name_that_is_not_docx(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "interview", "--answers", "deal.yaml", "-o", "deal.pdf")
    assert code == 2 and "contractkit: -o deal.pdf: contractkit writes Word files, so the name must end in .docx" in err
    assert files(tmp_path) == []


def test_an_upper_case_docx_name_is_fine(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deal.yaml").write_text(EXAMPLE, encoding="utf-8")
    code, out, err = cli(capsys, "build", "deal.yaml", "-o", "DRAFT.DOCX")
    assert code == 0, err
    assert "wrote DRAFT.DOCX" in out


def test_pdf_without_libreoffice_says_so_and_writes_nothing(tmp_path):
    (tmp_path / "deal.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "bin").mkdir()
    env = {**ENV, "PATH": str(tmp_path / "bin")}
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", "deal.yaml", "-o", "deal.docx", "--pdf"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert "contractkit: --pdf needs LibreOffice (the soffice program), which is not installed here" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert files(tmp_path) == ["bin", "deal.yaml"]


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="LibreOffice is not installed (CI installs it)")
def test_pdf_with_libreoffice_writes_the_word_draft_and_its_pdf(tmp_path):
    (tmp_path / "deal.yaml").write_text(EXAMPLE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", "deal.yaml", "-o", "deal.pdf", "--pdf"],
                          capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "wrote deal.docx: データ提供契約書" in proc.stdout
    assert "wrote deal.pdf: a PDF of the draft (converted by LibreOffice)" in proc.stdout
    assert (tmp_path / "deal.pdf").read_bytes().startswith(b"%PDF-")
    import docx
    assert "データ提供契約書" in docx.Document(tmp_path / "deal.docx").paragraphs[0].text
    assert files(tmp_path) == ["deal.docx", "deal.pdf", "deal.yaml"]      # no temporary folder left
    again = subprocess.run([sys.executable, "-m", "contractkit", "build", "deal.yaml", "-o", "deal.docx", "--pdf"],
                           capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=120)
    assert again.returncode == 2 and "already exists; use --force" in again.stderr


def test_docs_command_lists_and_prints_the_documents(capsys):
    code, out, err = cli(capsys, "docs")
    assert code == 0, err
    assert f"contractkit's documentation is in {ROOT / 'docs'}:" in out
    for name in ("answers-format", "clause-format", "writing-packs"):
        assert f"  {name} " in out
    code, out, err = cli(capsys, "docs", "answers-format")
    assert code == 0 and out == (ROOT / "docs" / "answers-format.md").read_text(encoding="utf-8")
    code, out, err = cli(capsys, "docs", "answer-format")
    assert code == 2 and "no document 'answer-format' (did you mean 'answers-format'?)" in err


def test_packs_help_names_the_tutorial_command(capsys):
    with pytest.raises(SystemExit):
        main(["packs", "--help"])
    assert "contractkit docs writing-packs" in capsys.readouterr().out


# -- YAML mistakes ---------------------------------------------------------------------------


YAML_CASES = {
    "empty text": (BASE.replace("  purpose: 保守", "  purpose:"),
                   "answers.yaml:9:3: nothing is written after 'purpose:'; it needs text"),
    "empty choice": (BASE.replace("language: ja", "language:"),
                     "answers.yaml:2:1: nothing is written after 'language:'; it needs one language; valid choices: ja, en, ja+en"),
    "empty last key": (BASE + "  processing:\n",
                       "answers.yaml:12:3: nothing is written after 'processing:'; it needs one option of 'processing'; "
                       "valid choices: allowed, purpose-only, prohibited"),
    "indented less": (BASE.replace("  data-scope:", " data-scope:"),
                      "answers.yaml:10:2: invalid YAML: the indentation does not match the lines above: this line starts "
                      "in column 2; lines of one mapping or list start in the same column: column 3 ('purpose', line 9), "
                      "column 1 ('answers', line 8)"),
    "indented more": (BASE.replace("  data-scope:", "   data-scope:"),
                      "answers.yaml:10:4: invalid YAML: this line is indented more than 'purpose' on line 9, so it reads "
                      "as more of that line's text; start 'data-scope' in column 3, like the key above it"),
    "list item indented less": (BASE.replace("    name: 甲社", "   name: 甲社"),
                                "answers.yaml:5:4: invalid YAML: the indentation does not match the lines above: this "
                                "line starts in column 4; lines of one mapping or list start in the same column: column 5 "
                                "('role', line 4)"),
    "colon in a text": (BASE.replace("保守", "保守: 部品"), "answers.yaml:9:14: invalid YAML: a second ': ' on this line: "
                                                        "a text that contains ': ' must be in quotes"),
    "tab": (BASE.replace("  purpose:", "\tpurpose:"), "answers.yaml:9:1: invalid YAML: a tab character: indent with spaces only"),
    "unclosed quote": (BASE.replace("保守", "'保守"), "answers.yaml:9:12: invalid YAML: this quote is never closed"),
    "text after a quote": (BASE.replace("保守", "'保守' 等"), "answers.yaml:9:17: invalid YAML: more text after a closing quote"),
    "unclosed brace": (BASE.replace("{model: free}", "{model: free"),
                       "answers.yaml:12:1: invalid YAML: the {…} opened on line 11, column 8 is not closed where it should be"),
}


@pytest.mark.parametrize("case", YAML_CASES)
def test_yaml_mistakes_are_located_and_explained(capsys, tmp_path, monkeypatch, case):
    text, expected = YAML_CASES[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "build", "answers.yaml", "-o", "d.docx")
    assert code == 2 and f"contractkit: {expected}" in err, err
    assert "<block" not in err and "expected <" not in err and "Traceback" not in err
    assert files(tmp_path) == ["answers.yaml"]


def test_an_explicit_null_is_still_reported_at_its_value(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.yaml").write_text(BASE + "  processing: null\n", encoding="utf-8")
    code, out, err = cli(capsys, "build", "answers.yaml", "-o", "d.docx")
    assert code == 2 and "answers.yaml:12:15: needs one option of 'processing', not an empty value" in err, err


# -- packs validate --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scaffold(tmp_path_factory):
    base = tmp_path_factory.mktemp("packs")
    assert main(["packs", "new", "cold-chain", "--contract", "data-provision", "--dir", str(base)]) == 0
    return base / "cold-chain"


def broken(scaffold, tmp_path, file, old, new):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    text = (pack / file).read_text(encoding="utf-8")
    assert old in text
    (pack / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


CLAUSE = "clauses/cold-chain-notes.yaml"
LINE9 = "      両当事者は、本契約に基づく取引に関する（業界固有の事項）について、年1回見直しを行うものとする。\n"


def test_a_schema_error_in_a_clause_is_not_also_a_missing_clause(capsys, scaffold, tmp_path):
    pack = broken(scaffold, tmp_path, CLAUSE, "heading:", "heding:")
    code, out, err = cli(capsys, "packs", "validate", str(pack))
    assert code == 1
    assert f"{CLAUSE}:4:1: 'heding' is not a known key (did you mean 'heading'?)" in err
    assert "no clause" not in err and "problems" not in err


def test_a_misspelt_after_points_at_it_with_did_you_mean(capsys, scaffold, tmp_path):
    pack = broken(scaffold, tmp_path, "pack.yaml", "after: purpose", "after: delivry")
    lines = (pack / "pack.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "after: delivry" in t)
    code, out, err = cli(capsys, "packs", "validate", str(pack))
    assert code == 1
    assert (f"pack.yaml:{line}:{lines[line - 1].index('delivry') + 1}: 'delivry' is not an article of data-provision "
            "(did you mean 'delivery'?); valid: purpose, definitions") in err, err


def test_a_misspelt_name_in_a_text_is_reported_at_its_line_and_column(capsys, scaffold, tmp_path):
    pack = broken(scaffold, tmp_path, CLAUSE, LINE9, LINE9 + "      {{ recipent }}は、{{ ref('confidentialty') }}に従う。\n")
    code, out, err = cli(capsys, "packs", "validate", str(pack))
    assert code == 1
    assert f"{CLAUSE}:10:10: 'recipent' is not a point, role or helper (did you mean 'recipient'?)" in err, err
    assert f"{CLAUSE}:10:31: ref('confidentialty'): no clause 'confidentialty' (did you mean 'confidentiality'?)" in err


def test_a_jinja_syntax_error_is_reported_at_the_line_of_the_typo(capsys, scaffold, tmp_path):
    pack = broken(scaffold, tmp_path, CLAUSE, LINE9, LINE9 + "      二行目。\n      {{ ref('purpose') }\n")
    code, out, err = cli(capsys, "packs", "validate", str(pack))
    assert code == 1
    assert f"{CLAUSE}:11:7: Jinja template syntax error: unexpected '}}'" in err, err
