"""The docs work when followed: the pack tutorial is executed step by step in an empty folder (its
files written, its edits made, its commands run) and every output it shows must be what the
command prints; the answers-format reference builds and lists the points the library has; the
README links only to files in the repository; the docs are installed with the package."""
import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ENV, ROOT

DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
EDIT = re.compile(r"^✎ `([^`]+)`: `([^`]+)` → `([^`]+)`$", re.M)
FILE = re.compile(r"^# file: (\S+)$")
APPEND = re.compile(r"^# add at the end of (\S+)$")


def tutorial_steps(text: str) -> list[tuple]:
    """The tutorial's steps in order: ("file", path, text), ("append", path, text), ("edit", path,
    old, new) and ("run", command, expected output lines)."""
    found = []
    for match in FENCE.finditer(text):
        lang, body = match.group(1), match.group(2)
        first = body.split("\n", 1)[0]
        if lang == "yaml" and FILE.match(first):
            found.append((match.start(), ("file", FILE.match(first).group(1), body)))
        elif lang == "yaml" and APPEND.match(first):
            found.append((match.start(), ("append", APPEND.match(first).group(1), body)))
        elif lang == "console":
            command, output = None, []
            for line in body.rstrip("\n").split("\n"):
                if line.startswith("$ "):
                    if command is not None:
                        found.append((match.start(), ("run", command, output)))
                    command, output = line[2:], []
                else:
                    output.append(line)
            found.append((match.start(), ("run", command, output)))
    for match in EDIT.finditer(text):
        found.append((match.start(), ("edit", *match.groups())))
    return [step for _, step in sorted(found, key=lambda item: item[0])]


def output_pattern(lines: list[str]) -> re.Pattern:
    """The output as shown: '…' stands for any text, a line of '…' alone for any lines."""
    parts = []
    for line in lines:
        if line == "…":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*".join(re.escape(piece) for piece in line.split("…")) + r"\n")
    return re.compile("".join(parts))


@pytest.fixture
def shell(tmp_path):
    """`contractkit` on PATH as this checkout's `python3 -m contractkit`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "contractkit"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m contractkit "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    return work, {**ENV, "PATH": f"{bin_dir}{os.pathsep}{ENV.get('PATH', '')}"}


def test_the_pack_tutorial_works_when_followed(shell):
    work, env = shell
    steps = tutorial_steps((DOCS / "writing-packs.md").read_text(encoding="utf-8"))
    kinds = [s[0] for s in steps]
    assert kinds.count("run") >= 15 and kinds.count("file") >= 5 and kinds.count("edit") >= 8, kinds
    for step in steps:
        if step[0] == "file":
            path = work / step[1]
            assert path.parent.is_dir(), f"{step[1]}: the tutorial writes it before its folder exists"
            path.write_text(step[2], encoding="utf-8")
        elif step[0] == "append":
            with open(work / step[1], "a", encoding="utf-8") as out:
                out.write(step[2])
        elif step[0] == "edit":
            path = work / step[1]
            text = path.read_text(encoding="utf-8")
            assert step[2] in text, f"✎ {step[1]}: the text to replace is not there: {step[2]}"
            path.write_text(text.replace(step[2], step[3], 1), encoding="utf-8")
        else:
            command, expected = step[1], step[2]
            proc = subprocess.run(["bash", "-c", command], cwd=work, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=300)
            assert "Traceback" not in proc.stdout, proc.stdout
            assert output_pattern(expected).fullmatch(proc.stdout), \
                f"$ {command}\n--- the tutorial shows:\n" + "\n".join(expected) + f"\n--- it prints:\n{proc.stdout}"
    assert (work / "cold-chain-ja.docx").is_file() and (work / "deals" / "acme.docx").is_file()
    import docx
    text = "\n".join(p.text for p in docx.Document(work / "deals" / "acme.docx").paragraphs)
    assert "温度逸脱の報告" in text and "毎月末日までに" in text


def test_the_tutorial_shows_the_interviews_real_pack_question():
    from ruamel.yaml import YAML
    messages = YAML(typ="safe").load((ROOT / "templates" / "interview.yaml").read_text(encoding="utf-8"))["messages"]
    text = (DOCS / "writing-packs.md").read_text(encoding="utf-8")
    shown = text[text.index("? " + messages["usecase"]["ja"]):].split("```")[0].splitlines()
    assert shown[1] == " » " + messages["usecase_none"]["ja"]       # "none" first: the interview's order
    assert shown[2].startswith("   低温物流の温度記録データ — ")


def test_the_answers_format_example_builds(tmp_path):
    text = (DOCS / "answers-format.md").read_text(encoding="utf-8")
    example = next(body for lang, body in FENCE.findall(text) if lang == "yaml" and body.startswith("# Data provision"))
    (tmp_path / "deal.yaml").write_text(example, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", "deal.yaml", "-o", "deal.docx"],
                          capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "wrote deal.docx: データ提供契約書" in proc.stdout and "● fee.amount" in proc.stdout


def test_the_answers_format_lists_every_point_of_every_contract_type(library):
    text = (DOCS / "answers-format.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^- `([a-z-]+)`: (.+)$", text.split("<!-- points")[1].split("<!-- /points")[0], re.M))
    assert listed == {c: ", ".join(p.id for p in library.points_for(c)) for c in library.templates}
    roles = text.split("| contract type | roles |")[1].split("\n\n")[0]
    for template in library.templates.values():
        for role in template.roles:
            assert f"`{role['id']}`" in roles


def test_the_readme_and_docs_link_only_to_files_in_the_repository():
    for doc in [ROOT / "README.md", *DOCS.glob("*.md")]:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text and "/work/" not in text, doc
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if not target.startswith("http"):
                assert (doc.parent / target).exists(), f"{doc.name} links to {target}, which is not in the repository"
    assert "(docs/answers-format.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.xdist_group("wheel")
def test_the_docs_are_installed_with_the_package(tmp_path, wheel):
    """Build the wheel (conftest), install it elsewhere, and ask the installed copy where its docs are."""
    pytest.importorskip("hatchling")
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-m", "contractkit", "docs"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    docs = target / "contractkit" / "_data" / "docs"
    assert f"contractkit's documentation is in {docs}:" in proc.stdout
    assert sorted(p.name for p in docs.glob("*.md")) == sorted(p.name for p in DOCS.glob("*.md"))
    for doc in DOCS.glob("*.md"):
        assert f"  {doc.stem} " in proc.stdout
    assert f"example answers files, one for every contract type: {target / 'contractkit' / '_data' / 'examples'}" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "contractkit", "docs", "writing-packs"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.stdout == (DOCS / "writing-packs.md").read_text(encoding="utf-8")
