"""Guidance in the draft: a guideline comment on every article, --clean for the other side,
`check` before sending, `verify` against the answers."""
import re
import zipfile

import docx
import pytest

from conftest import EXAMPLES, W, bilingual_references, docx_xml


@pytest.fixture(scope="module")
def drafts(tmp_path_factory, library):
    from contractkit.build import build
    out = tmp_path_factory.mktemp("guidance")
    return {
        "ja": build(EXAMPLES / "data-provision-ja.yaml", out / "ja.docx", library=library).output,
        "en": build(EXAMPLES / "ai-development-en.yaml", out / "en.docx", library=library).output,
        "clean": build(EXAMPLES / "data-provision-ja.yaml", out / "clean.docx", library=library, clean=True).output,
    }


@pytest.mark.parametrize("which", ["ja", "en"])
def test_every_article_carries_a_guideline_comment(drafts, which):
    document = docx.Document(str(drafts[which]))
    headings = [p for p in document.paragraphs if p.style.name == "CK Article Heading"]
    comments = list(document.comments)
    assert len(comments) == len(headings) > 15
    assert all(c.author.startswith("contractkit") and c.text.strip() for c in comments)
    chosen = "選択" if which == "ja" else "Chosen"
    assert sum(chosen in c.text for c in comments) >= 10


def test_comment_names_the_choice_alternatives_and_whom_they_favour(drafts):
    document = docx.Document(str(drafts["ja"]))
    derived = next(c for c in document.comments if c.text.startswith("論点: 派生データ"))
    assert "ライセンスバック" in derived.text
    assert "他の選択肢" in derived.text and "データ受領者に有利" in derived.text
    assert "ガイドラインの考え方" in derived.text


def test_clean_draft_has_no_comments_and_passes_check(drafts):
    from contractkit.checks import check_draft
    assert not list(docx.Document(str(drafts["clean"])).comments)
    with zipfile.ZipFile(drafts["clean"]) as zf:
        assert "word/comments.xml" not in zf.namelist()
    assert check_draft(drafts["clean"]) == [] or all("placeholder" in f for f in check_draft(drafts["clean"]))


def test_default_draft_fails_check_with_each_finding(drafts, tmp_path):
    from contractkit.checks import check_draft
    findings = check_draft(drafts["ja"])
    assert any("comment" in f for f in findings)
    assert any("placeholder left" in f for f in findings)   # the fee amount is still open
    # a draft someone edited: tracked change, hidden text and an internal property
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(drafts["clean"]) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b'<w:body><w:p><w:ins w:id="9" w:author="x" w:date="2026-01-01T00:00:00Z">'
                                                 b'<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r></w:ins></w:p>', 1)
            if item.filename == "docProps/custom.xml":
                data = data.replace(b"</Properties>", b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" '
                                                      b'name="InternalMatterNo"><vt:lpwstr>M-12</vt:lpwstr></property></Properties>')
            dst.writestr(item, data)
    findings = check_draft(edited)
    assert any("tracked change" in f for f in findings)
    assert any("hidden text" in f for f in findings)
    assert any("InternalMatterNo" in f for f in findings)


def test_check_command_exit_codes(drafts, tmp_path):
    import subprocess, sys
    from conftest import ENV
    from contractkit.build import build
    ready = build(EXAMPLES / "data-provision-en.yaml", tmp_path / "ready.docx", clean=True).output
    ok = subprocess.run([sys.executable, "-m", "contractkit", "check", str(ready)], capture_output=True, text=True, env=ENV)
    assert ok.returncode == 0 and "ready to send" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "contractkit", "check", str(drafts["ja"])], capture_output=True, text=True, env=ENV)
    assert bad.returncode == 1 and "not ready to send" in bad.stdout
    missing = subprocess.run([sys.executable, "-m", "contractkit", "check", str(tmp_path / "nope.docx")],
                             capture_output=True, text=True, env=ENV)
    assert missing.returncode == 2 and missing.stderr.strip().endswith("nope.docx: no such file")
    not_docx = subprocess.run([sys.executable, "-m", "contractkit", "check", str(EXAMPLES / "data-provision-ja.yaml")],
                              capture_output=True, text=True, env=ENV)
    assert not_docx.returncode == 2 and "not a Word document" in not_docx.stderr


def test_verify_passes_on_a_fresh_draft_and_fails_on_an_edited_one(drafts, tmp_path):
    from contractkit.checks import verify_draft
    assert verify_draft(drafts["ja"], EXAMPLES / "data-provision-ja.yaml") == []
    assert verify_draft(drafts["clean"], EXAMPLES / "data-provision-ja.yaml") == []
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(drafts["ja"]) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("名古屋地方裁判所".encode(), "東京地方裁判所".encode())
            dst.writestr(item, data)
    differences = verify_draft(edited, EXAMPLES / "data-provision-ja.yaml")
    assert len(differences) == 1 and "text differs" in differences[0] and "名古屋地方裁判所" in differences[0]
    other = verify_draft(drafts["ja"], EXAMPLES / "data-provision-en.yaml")
    assert any("contractkit.answers_sha256" in d for d in other)


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "ai-development-en.yaml"])
def test_memo_has_a_row_per_point_each_with_a_fallback(library, tmp_path, example):
    from contractkit.answers import load_answers
    from contractkit.assemble import assemble
    from contractkit.build import build
    from contractkit.memo import memo_rows
    resolved = load_answers(EXAMPLES / example, library)
    rows = memo_rows(library, resolved, assemble(library, resolved))
    asked = [p for p in library.points_in_order(resolved.contract) if p.id in resolved.values]
    assert list(dict.fromkeys(r["point_id"] for r in rows)) == [p.id for p in asked] and len(asked) > 15
    liability = [r["field"] for r in rows if r["point_id"] == "liability"]   # each position its own row
    assert {"cap", "scope", "gross_negligence_carve_out"} <= set(liability)
    assert all(r["fallback"] for r in rows)
    assert any(r.get("fallback_text") for r in rows)   # the text a concession would put in the draft
    memo = tmp_path / "memo.docx"
    build(EXAMPLES / example, tmp_path / "d.docx", library=library, memo=memo)
    document = docx.Document(str(memo))
    table = document.tables[0]
    assert len(table.rows) == len(rows) + 1
    internal = "社内限り" if example.endswith("-ja.yaml") else "INTERNAL"
    assert internal in document.sections[0].header.paragraphs[0].text
    assert document.sections[0].page_width > document.sections[0].page_height   # landscape


def test_memo_flags_what_gives_ground_to_the_other_side(library):
    from conftest import load_example, resolve_dict
    from contractkit.assemble import assemble
    from contractkit.memo import memo_rows
    answers = load_example("data-provision-ja.yaml")        # drafted for the recipient
    answers["answers"]["derived-data"] = "consent-required"  # favours the provider
    resolved = resolve_dict(library, answers)
    rows = {r["point"]: r for r in memo_rows(library, resolved, assemble(library, resolved))}
    derived = rows[library.points["derived-data"].question["ja"]]
    assert "相手方に譲歩" in derived["stance"]
    # the recipient's concession order goes on past consent-required to an agreement to agree,
    # its last resort: the memo offers that one step, no further
    order = library.points["derived-data"].concede["recipient"]
    assert order[-2:] == ["consent-required", "consult"]
    assert derived["fallback"].startswith("別途協議して定める")
    answers["answers"]["derived-data"] = "consult"         # the last it can accept: nothing left to give
    resolved = resolve_dict(library, answers)
    rows = {r["point"]: r for r in memo_rows(library, resolved, assemble(library, resolved))}
    assert rows[library.points["derived-data"].question["ja"]]["fallback"].startswith("既に譲歩済み")



def test_memo_describes_answers_in_the_drafts_language_without_fields_that_do_not_apply(library):
    from conftest import load_example, resolve_dict
    from contractkit.assemble import assemble
    from contractkit.memo import memo_rows
    resolved = resolve_dict(library, load_example("data-provision-ja.yaml"))       # disputes go to court
    rows = {r["point"]: r for r in memo_rows(library, resolved, assemble(library, resolved))}
    disputes = library.points["disputes"]
    chosen = rows[disputes.question["ja"]]["chosen"]
    labels = {f.id: f.label["ja"] for f in disputes.fields}
    assert f"{labels['court']}：名古屋地方裁判所" in chosen
    assert labels["institution"] not in chosen and labels["seat"] not in chosen
    assert "; " not in chosen and ": " not in chosen

def test_bilingual_draft_rows_pair_the_languages(library, tmp_path):
    from contractkit.build import build
    result = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "bi.docx", library=library)
    document = docx.Document(str(result.output))
    titles = document.paragraphs[:2]
    assert [t.text for t in titles] == ["データ提供契約書", "Data Provision Agreement"]
    assert all(t.paragraph_format.alignment is None for t in titles)   # both centred by the title style
    table = document.tables[0]

    def level(paragraph):
        num = paragraph._p.find(f"{W}pPr/{W}numPr")
        return None if num is None else (num.find(f"{W}numId").get(f"{W}val"), num.find(f"{W}ilvl").get(f"{W}val"))

    heads = [(r.cells[0].paragraphs[0], r.cells[1].paragraphs[0]) for r in table.rows
             if level(r.cells[0].paragraphs[0]) == ("1", "0")]
    assert len(heads) == result.articles
    assert all(level(en) == ("2", "0") for _, en in heads)        # each column numbered by its own list
    assert (heads[0][0].text, heads[0][1].text) == ("（目的）", "Purpose")
    assert any("正文" in j.text and "Governing Language" in e.text for j, e in heads)
    monolingual = build(EXAMPLES / "data-provision-ja.yaml", tmp_path / "ja.docx", library=library)
    assert "prevailing-language" not in ",".join(monolingual.stamp)


def test_bilingual_columns_are_word_lists_with_references_of_their_own(library, tmp_path):
    from lxml import etree
    from contractkit.build import build
    result = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "bi.docx", library=library)
    numbering = etree.fromstring(docx_xml(result.output, "word/numbering.xml").encode())
    texts = {a.get(f"{W}abstractNumId"): a.find(f"{W}lvl/{W}lvlText").get(f"{W}val")
             for a in numbering.findall(f"{W}abstractNum")}
    nums = {n.get(f"{W}numId"): texts[n.find(f"{W}abstractNumId").get(f"{W}val")] for n in numbering.findall(f"{W}num")}
    assert nums == {"1": "第%1条", "2": "Article %1"}
    numbers, refs = bilingual_references(result.output, bare=True)
    assert len([m for m in numbers if m.startswith("ck_")]) == len([m for m in numbers if m.startswith("ckEN_")]) == result.articles
    counts = [0, 0]
    for column, target, cached, bare in refs:
        prefix, pattern = [("ck_", r"第[０-９]+条"), ("ckEN_", r"\d+" if bare else r"Article \d+")][column]
        assert target.startswith(prefix) and target in numbers
        assert re.fullmatch(pattern, cached)
        counts[column] += 1
    assert counts[0] == counts[1] > 0


def test_bilingual_draft_comments_each_column_and_clean_drops_them(library, tmp_path):
    from contractkit.build import build
    from contractkit.checks import check_draft as check
    result = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "bi.docx", library=library)
    comments = list(docx.Document(str(result.output)).comments)
    assert len(comments) == 2 * result.articles
    assert sum("派生データ" in c.text for c in comments) >= 1
    assert sum("derived data" in c.text.lower() for c in comments) >= 1
    clean = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "clean.docx", library=library, clean=True)
    assert not list(docx.Document(str(clean.output)).comments)
    assert not any("comment" in finding for finding in check(clean.output))
    assert any("comment" in finding for finding in check(result.output))


def test_bilingual_draft_on_a_reference_docx_fits_the_firms_margins(library, tmp_path):
    from contractkit.build import build
    reference = firm_template(tmp_path / "firm.docx")
    result = build(EXAMPLES / "data-provision-bilingual.yaml", tmp_path / "bi.docx", library=library, reference=reference)
    document = docx.Document(str(result.output))
    assert document.sections[0].header.paragraphs[0].text == "SAMPLE法律事務所　ドラフト"
    assert abs(document.sections[0].left_margin.mm - 35) < 0.5
    assert "old internal comment" not in "".join(c.text for c in document.comments)
    grid = [round(col.width.mm) for col in document.tables[0].columns]
    assert grid == [70, 70]     # (210 - 35 - 35) / 2, not the style file's page

def firm_template(path, dotx=False):
    from docx.shared import Mm
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(35)
    section.header.paragraphs[0].text = "SAMPLE法律事務所　ドラフト"
    old = document.add_paragraph("旧案件の本文（残ってはならない）")
    document.add_comment(old.runs, text="old internal comment", author="Partner")
    document.core_properties.author = "Old Author"
    document.save(str(path))
    if dotx:  # a Word template: the main part says so
        rewritten = path.with_suffix(".dotx")
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(rewritten, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(b"document.main+xml", b"template.main+xml")
                dst.writestr(item, data)
        return rewritten
    return path


@pytest.mark.parametrize("dotx", [False, True])
def test_reference_docx_keeps_house_style_and_drops_the_old_body(library, tmp_path, dotx):
    from contractkit.build import build
    reference = firm_template(tmp_path / "firm.docx", dotx)
    result = build(EXAMPLES / "data-provision-ja.yaml", tmp_path / "d.docx", library=library, reference=reference)
    document = docx.Document(str(result.output))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "SAMPLE法律事務所　ドラフト"
    assert abs(section.left_margin.mm - 35) < 0.5
    assert all(c.author.startswith("contractkit") for c in document.comments)
    assert "old internal comment" not in "".join(c.text for c in document.comments)
    assert document.core_properties.author == "contractkit"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "旧案件" not in text and "第" not in text.splitlines()[0]
    assert document.paragraphs[0].text == "データ提供契約書"
    assert {"ckArticle", "ckParagraph", "ckItem"} <= {s.style_id for s in document.styles}
    numbering = docx_xml_part(result.output, "word/numbering.xml")
    assert "第%1条" in numbering
    body = docx_xml_part(result.output, "word/document.xml")
    assert "REF ck_data_scope" in body or "REF ck_" in body


def docx_xml_part(path, part):
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")
