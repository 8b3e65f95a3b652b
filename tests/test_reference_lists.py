"""Lists of article references: English reads "Articles 8, 12 and 15" (and "Articles 8 and 12"),
Japanese 「第８条、第１２条及び第１５条」, each number a REF field to its article's heading bookmark
with the right number cached; a single reference stays "Article 8". Built drafts read back."""
import re
import shutil
import subprocess
import sys

import docx
import pytest
from lxml import etree

from conftest import ENV, EXAMPLES, W, bilingual_references, docx_xml

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def fields(path):
    """Every REF field to an article of a one-language draft, in body order: (bookmark, switches, cached),
    and the bookmarks of the article headings in order (article 1 first)."""
    body = etree.fromstring(docx_xml(path).encode())
    marks = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart") if b.get(f"{W}name").startswith("ck_")]
    out = []
    for instr in body.iter(f"{W}instrText"):
        words = instr.text.split()
        if words[0] == "REF" and words[1].startswith("ck_"):
            cached = instr.getparent().getnext().getnext()
            out.append((words[1], words[2:], "".join(cached.itertext())))
    return out, marks


def paragraph_with(path, start: str) -> str:
    return next(p.text for p in docx.Document(str(path)).paragraphs if p.text.startswith(start))


def build(library, tmp_path, name, **kwargs):
    from contractkit.build import build as build_draft
    return build_draft(EXAMPLES / name, tmp_path / (name.replace(".yaml", ".docx")), force=True, library=library, **kwargs)


def test_english_list_names_articles_once_and_each_number_is_a_bare_ref(library, tmp_path):
    result = build(library, tmp_path, "data-provision-en.yaml")
    text = paragraph_with(result.output, "The provisions of ")
    listed = re.match(r"The provisions of Articles ((?:\d+, )+\d+ and \d+) shall survive", text)
    assert listed, text
    assert "Article " not in listed.group(1) and "Articles Article" not in text
    # a single reference keeps its word
    assert re.search(r"the period for which Article \d+ survives", text), text
    refs, marks = fields(result.output)
    numbers = [int(n) for n in re.split(r", | and ", listed.group(1))]
    # in the survival paragraph, each listed number is a bare REF field to the article it names
    para = next(p for p in docx.Document(str(result.output)).paragraphs if p.text.startswith("The provisions of "))
    own = [(i.text.split()[1], i.text.split()[2:]) for i in para._p.iter(f"{W}instrText")]
    assert [marks.index(t) + 1 for t, sw in own if "\\t" in sw] == numbers
    assert len([1 for t, sw in own if "\\t" not in sw]) == 1          # "Article 18 survives"
    for target, switches, cached in refs:
        assert switches == (["\\n", "\\t", "\\h"] if "\\t" in switches else ["\\n", "\\h"])
        n = marks.index(target) + 1
        assert cached == (str(n) if "\\t" in switches else f"Article {n}")


def test_two_articles_read_articles_x_and_y(library, tmp_path):
    result = build(library, tmp_path, "ai-poc-en.yaml")
    text = "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)
    pairs = re.findall(r"Articles (\d+) and (\d+)\b", text)
    assert pairs, "the PoC draft lists two articles somewhere"
    assert not re.search(r"Article \d+ and Article \d+|Article \d+, Article \d+", text)
    refs, marks = fields(result.output)
    bare = {cached for target, switches, cached in refs if "\\t" in switches}
    assert {n for pair in pairs for n in pair} <= bare


def test_japanese_lists_keep_the_whole_number(library, tmp_path):
    result = build(library, tmp_path, "data-provision-ja.yaml")
    text = "\n".join(p.text for p in docx.Document(str(result.output)).paragraphs)
    assert re.search(r"第[０-９]+条(、第[０-９]+条)+及び第[０-９]+条の規定は、なお効力を有する", text)
    refs, marks = fields(result.output)
    assert refs
    for target, switches, cached in refs:
        assert switches == ["\\n", "\\h"]
        assert cached == f"第{str(marks.index(target) + 1).translate(FULLWIDTH)}条"


def test_bilingual_columns_list_articles_each_in_its_own_way(library, tmp_path):
    result = build(library, tmp_path, "data-provision-bilingual.yaml")
    rows = docx.Document(str(result.output)).tables[0].rows
    survival = next(r for r in rows if r.cells[1].text.startswith("The provisions of "))
    assert re.match(r"The provisions of Articles (\d+, )+\d+ and \d+ shall survive", survival.cells[1].text)
    assert re.search(r"第[０-９]+条(、第[０-９]+条)+及び第[０-９]+条の規定は", survival.cells[0].text)
    numbers, refs = bilingual_references(result.output, bare=True)
    assert any(bare for *_, bare in refs)
    for column, target, cached, bare in refs:
        n = numbers[target]
        if column == 0:
            assert not bare and cached == f"第{str(n).translate(FULLWIDTH)}条"
        else:
            assert target.startswith("ckEN_") and cached == (str(n) if bare else f"Article {n}")


def test_clean_english_draft_passes_check_and_verify(library, tmp_path):
    result = build(library, tmp_path, "data-provision-en.yaml", clean=True)
    for command in (["check", result.output], ["verify", result.output, EXAMPLES / "data-provision-en.yaml"]):
        done = subprocess.run([sys.executable, "-m", "contractkit", *map(str, command)], capture_output=True, text=True,
                              env=ENV, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr


def test_verify_names_a_bare_reference_turned_into_a_full_one(library, tmp_path):
    """The \\t switch is part of what verify compares: a list item edited back to "Article 12" is named."""
    import zipfile
    result = build(library, tmp_path, "data-provision-en.yaml", clean=True)
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(result.output) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b" \\n \\t \\h ", b" \\n \\h ", 1)
            out.writestr(item, data)
    done = subprocess.run([sys.executable, "-m", "contractkit", "verify", str(edited), str(EXAMPLES / "data-provision-en.yaml")],
                          capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 1 and "word/document.xml" in done.stdout + done.stderr, done.stdout + done.stderr


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="needs LibreOffice and poppler-utils")
def test_pdf_reads_articles_once(library, tmp_path):
    """LibreOffice recomputes REF fields and knows no \\t: --pdf converts a copy with the bare numbers
    as their cached text, so the PDF reads as Word shows the draft."""
    from contractkit.pdf import convert, office
    result = build(library, tmp_path, "data-provision-en.yaml")
    pdf = tmp_path / "draft.pdf"
    convert(result.output, pdf, office())
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert re.search(r"The provisions of Articles (\d+, )+\d+ and \d+ shall survive", text), text[:2000]
    assert "Articles Article" not in text and re.search(r"Article \d+ survives", text)
