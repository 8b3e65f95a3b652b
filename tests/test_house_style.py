"""House style and pages: the closing, date and signature blocks keep together on one page, a
bilingual heading row keeps with the next row, a firm's template gives the title and headings
their faces and keeps page numbers, and the optional "draft" header. Each test builds a real
draft and reads its XML back (and, where LibreOffice is installed, its pages)."""
import copy
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from conftest import ENV, EXAMPLES, ROOT, W, load_example, dump_yaml
from test_render_pdf import needs_office

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read(name))


def part_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def style_of(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(f"{W}val") if s is not None else ""


def keeps_next(p, styles) -> bool:
    """keepNext on the paragraph, or on its style (through basedOn)."""
    own = p.find(f"{W}pPr/{W}keepNext")
    if own is not None:
        return own.get(f"{W}val", "true") not in ("0", "false")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    sid = style_of(p)
    while sid in by_id:
        keep = by_id[sid].find(f"{W}pPr/{W}keepNext")
        if keep is not None:
            return keep.get(f"{W}val", "true") not in ("0", "false")
        based = by_id[sid].find(f"{W}basedOn")
        sid = based.get(f"{W}val") if based is not None else None
    return False


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def build(tmp_path, example, name="draft.docx", **kw):
    from contractkit.build import build as run_build
    return run_build(example if isinstance(example, Path) else EXAMPLES / example, tmp_path / name, force=True, **kw).output


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "ai-development-en.yaml", "ai-nda-ja.yaml"])
def test_closing_date_and_signatures_keep_with_next_through_the_block(library, tmp_path, example):
    draft = build(tmp_path, example, library=library)
    body, styles = part(draft, "word/document.xml").find(f"{W}body"), part(draft, "word/styles.xml")
    paras = body.findall(f"{W}p")
    names = [style_of(p) for p in paras]
    start = names.index("ckClosing")
    block = paras[start:]
    assert {"ckClosing", "ckSignatureHead", "ckSignature"} <= set(names[start:])
    assert names.count("ckSignatureHead") >= 2
    # every paragraph from the closing sentence to the last signature line but one keeps with the next
    assert [style_of(p) for p in block[:-1] if not keeps_next(p, styles)] == []
    # and the signature lines keep their own lines together
    assert all(re.search("keepLines", etree.tostring(s).decode()) for s in styles.iter(f"{W}style")
               if s.get(f"{W}styleId") in ("ckClosing", "ckSignatureHead", "ckSignature"))


def test_bilingual_heading_rows_and_the_signature_rows_keep_with_the_next_row(library, tmp_path):
    draft = build(tmp_path, "data-provision-bilingual.yaml", library=library)
    root, styles = part(draft, "word/document.xml"), part(draft, "word/styles.xml")
    rows = list(next(root.iter(f"{W}tbl")).iter(f"{W}tr"))     # the two-column agreement (the schedules follow it)
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    heading_rows = [i for i, r in enumerate(rows) if any(style_of(p) == "ckCellHeading" for p in r.iter(f"{W}p"))]
    assert len(heading_rows) > 10
    for i in heading_rows:
        assert all(keeps_next(p, styles) for p in rows[i].iter(f"{W}p")), text(rows[i])
        assert i + 1 < len(rows) and not any(style_of(p) == "ckCellHeading" for p in rows[i + 1].iter(f"{W}p"))
    closing = next(i for i, r in enumerate(rows) if "証として" in text(r) or "IN WITNESS" in text(r).upper())
    assert len(rows) - closing >= 3                            # the closing row and two signature rows
    for row in rows[closing:-1]:
        assert all(keeps_next(p, styles) for p in row.iter(f"{W}p") if text(p)), text(row)
    # an ordinary paragraph row does not keep with the next (the table still breaks across pages)
    body_rows = [r for i, r in enumerate(rows[:closing]) if i not in heading_rows and i - 1 not in heading_rows]
    assert any(not keeps_next(p, styles) for r in body_rows for p in r.iter(f"{W}p"))


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in out.split("\f")]


@needs_office
def test_libreoffice_never_leaves_a_signature_block_alone_on_the_last_page(library, tmp_path, office_profile):
    """The work description grows line by line, so the closing meets the page end somewhere in
    these drafts: on every one the closing sentence and both signature blocks share a page."""
    from test_render_pdf import FONTS_CONF
    answers = load_example("ai-poc-ja.yaml")
    drafts = []
    for extra in range(0, 33, 3):
        changed = copy.deepcopy(answers)
        scope = changed["answers"]["work-scope"]
        scope["description"] = scope["description"] + "".join(f"\n作業{i + 1}：評価の記録" for i in range(extra))
        source = tmp_path / f"poc-{extra:02d}.yaml"
        source.write_text(dump_yaml(changed), encoding="utf-8")
        drafts.append(build(tmp_path, source, f"poc-{extra:02d}.docx", library=library, clean=True))
    subprocess.run(["soffice", f"-env:UserInstallation={office_profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, drafts)],
                   check=True, capture_output=True, env={**ENV, "FONTCONFIG_FILE": str(FONTS_CONF)}, timeout=300)
    pushed = 0
    for d in drafts:
        paras = part(d, "word/document.xml").find(f"{W}body").findall(f"{W}p")
        names = [style_of(p) for p in paras]
        start = names.index("ckClosing")
        flat = [re.sub(r"\s+", "", text(p)) for p in paras]
        before, closing, rest = flat[start - 1][-12:], flat[start][:12], [t[:10] for t in flat[start + 1:] if t]
        pages = _pages(d.with_suffix(".pdf"))
        on = [i for i, page in enumerate(pages) if closing in page]
        assert len(on) == 1, (d.name, closing)
        assert all(line in pages[on[0]] for line in rest), (d.name, [line for line in rest if line not in pages[on[0]]])
        pushed += before not in pages[on[0]]                      # the last article ends a page before
    assert pushed >= 1                                            # some draft did meet the page end there


def firm_template(path: Path, title_font=None, heading_font=None, footer=None) -> Path:
    """A firm's template made by python-docx: its Title and Heading 1 in faces of the firm's own
    (or no faces at all), and a footer of `footer` ("page": a PAGE field; text; None: none)."""
    document = docx.Document()
    styles = document.styles.element
    for sid, face in (("Title", title_font), ("Heading1", heading_font)):
        style = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == sid)
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        if rfonts is not None:
            rfonts.getparent().remove(rfonts)
        if face:
            rpr = style.find(f"{W}rPr")
            element = etree.SubElement(rpr, f"{W}rFonts")
            rpr.insert(0, element)
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                element.set(f"{W}{attr}", face)
    if footer == "page":
        p = document.sections[0].footer.paragraphs[0]
        fld = etree.SubElement(p._p, f"{W}fldSimple")
        fld.set(f"{W}instr", " PAGE ")
        etree.SubElement(etree.SubElement(fld, f"{W}r"), f"{W}t").text = "1"
    elif footer:
        document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(path))
    return path


def ck_style(draft: Path, sid: str):
    return next(s for s in part(draft, "word/styles.xml").iter(f"{W}style") if s.get(f"{W}styleId") == sid)


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-bilingual.yaml"])
def test_on_a_firms_template_the_title_and_headings_take_the_firms_faces(library, tmp_path, example):
    firm = firm_template(tmp_path / "firm.docx", title_font="游明朝 Demibold", heading_font="BIZ UDゴシック")
    draft = build(tmp_path, example, library=library, reference=firm)
    title = ck_style(draft, "ckTitle").find(f"{W}rPr/{W}rFonts")
    heading = ck_style(draft, "ckArticle").find(f"{W}rPr/{W}rFonts")
    assert {title.get(f"{W}ascii"), title.get(f"{W}eastAsia")} == {"游明朝 Demibold"}
    assert {heading.get(f"{W}ascii"), heading.get(f"{W}eastAsia")} == {"BIZ UDゴシック"}
    styles = etree.tostring(part(draft, "word/styles.xml"), encoding="unicode")
    assert "Times New Roman" not in styles and "ＭＳ 明朝" not in styles
    # python-docx reads the title paragraph in that style
    assert docx.Document(str(draft)).paragraphs[0].style.style_id == "ckTitle"


def test_a_template_without_heading_faces_gives_its_body_face_and_the_plain_build_keeps_its_own(library, tmp_path):
    firm = firm_template(tmp_path / "firm.docx")
    draft = build(tmp_path, "data-provision-en.yaml", library=library, reference=firm)
    assert ck_style(draft, "ckTitle").find(f"{W}rPr/{W}rFonts") is None
    assert ck_style(draft, "ckArticle").find(f"{W}rPr/{W}rFonts") is None
    plain = build(tmp_path, "data-provision-en.yaml", "plain.docx", library=library)
    assert ck_style(plain, "ckArticle").find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "Times New Roman"


def page_fields(root) -> int:
    return (sum(" PAGE " in (t.text or "") for t in root.iter(f"{W}instrText"))
            + sum("PAGE" in (f.get(f"{W}instr") or "").split() for f in root.iter(f"{W}fldSimple")))


def default_part(draft: Path, kind: str):
    """The default header or footer of the draft's section: its part name and root."""
    sect = part(draft, "word/document.xml").find(f"{W}body/{W}sectPr")
    refs = [r for r in sect.findall(f"{W}{kind}Reference") if r.get(f"{W}type") == "default"]
    assert len(refs) == 1
    rels = part(draft, "word/_rels/document.xml.rels")
    target = next(r.get("Target") for r in rels if r.get("Id") == refs[0].get(f"{R}id"))
    name = "word/" + target.lstrip("/").removeprefix("word/")
    return name, part(draft, name)


@pytest.mark.parametrize("footer", [None, "Confidential – SAMPLE法律事務所", "page"])
def test_page_numbers_stay_on_a_firms_template(library, tmp_path, footer):
    firm = firm_template(tmp_path / "firm.docx", footer=footer)
    draft = build(tmp_path, "data-provision-ja.yaml", library=library, reference=firm)
    name, root = default_part(draft, "footer")
    assert name in part_names(draft)
    assert page_fields(root) == 1                                # added once where missing, never twice
    if footer and footer != "page":
        assert text(root).startswith(footer)                     # the firm's own footer text stays first
    assert "1" in text(root)                                     # the field's result is already there
    assert docx.Document(str(draft)).sections[0].footer.is_linked_to_previous is False


def section_parts(draft: Path, kind: str) -> dict:
    """The draft section's headers or footers by type (default, first, even): type → (part name, root)."""
    sect = part(draft, "word/document.xml").find(f"{W}body/{W}sectPr")
    rels = {r.get("Id"): r.get("Target") for r in part(draft, "word/_rels/document.xml.rels")}
    out = {}
    for ref in sect.findall(f"{W}{kind}Reference"):
        name = "word/" + rels[ref.get(f"{R}id")].lstrip("/").removeprefix("word/")
        out[ref.get(f"{W}type")] = (name, part(draft, name))
    return out


def paged_firm_template(path: Path, footers: str) -> Path:
    """A firm's template whose section has a different first page (w:titlePg) and different even
    pages (w:evenAndOddHeaders); `footers`: "text" (each its own words, no page number), "page"
    (each its own words and PAGE field) or "none" (no footer at all)."""
    document = docx.Document()
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.different_first_page_header_footer = True
    if footers != "none":
        for kind, footer in (("default", section.footer), ("first", section.first_page_footer), ("even", section.even_page_footer)):
            p = footer.paragraphs[0]
            p.text = f"SAMPLE法律事務所 {kind}"
            if footers == "page":
                fld = etree.SubElement(p._p, f"{W}fldSimple")
                fld.set(f"{W}instr", " PAGE ")
                etree.SubElement(etree.SubElement(fld, f"{W}r"), f"{W}t").text = "1"
    document.save(str(path))
    return path


@pytest.mark.parametrize("footers", ["text", "page", "none"])
def test_page_numbers_on_every_page_of_a_firms_template_with_first_and_even_pages(library, tmp_path, footers):
    firm = paged_firm_template(tmp_path / "firm.docx", footers)
    draft = build(tmp_path, "data-provision-ja.yaml", library=library, reference=firm)
    settings = part(draft, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None          # the firm's setting stays
    assert part(draft, "word/document.xml").find(f"{W}body/{W}sectPr/{W}titlePg") is not None
    found = section_parts(draft, "footer")
    assert set(found) == {"default", "first", "even"}
    assert len({name for name, _ in found.values()}) == 3
    for kind, (name, root) in found.items():
        assert page_fields(root) == 1, (kind, name)                   # added once where missing, never twice
        if footers == "none":
            assert text(root) == "1", kind                             # a footer of ours: the page number
        else:
            assert text(root).startswith(f"SAMPLE法律事務所 {kind}")      # the firm's own footer stays first
    # python-docx reads each footer back as a footer of its own
    section = docx.Document(str(draft)).sections[0]
    assert section.different_first_page_header_footer
    for footer in (section.footer, section.first_page_footer, section.even_page_footer):
        assert footer.is_linked_to_previous is False


def test_the_draft_header_is_on_first_and_even_pages_too(library, tmp_path):
    firm = paged_firm_template(tmp_path / "firm.docx", "text")
    document = docx.Document(str(firm))
    document.sections[0].first_page_header.paragraphs[0].text = "表紙"
    document.save(str(firm))
    draft = build(tmp_path, "data-provision-ja.yaml", library=library, reference=firm, draft_header=("v2", "2026-12-01"))
    headers = section_parts(draft, "header")
    assert set(headers) == {"default", "first", "even"}
    assert [text(p) for p in headers["first"][1].iter(f"{W}p")] == ["表紙", "ドラフト v2（2026年12月1日）"]
    for kind in ("default", "even"):
        assert [text(p) for p in headers[kind][1].iter(f"{W}p")][-1] == "ドラフト v2（2026年12月1日）"
    done = run_cli("verify", draft, EXAMPLES / "data-provision-ja.yaml", "--reference-docx", firm,
                   "--draft-header", "v2", "--draft-date", "2026-12-01")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_office
def test_libreoffice_prints_a_page_number_on_every_page_of_such_a_template(library, tmp_path, office_profile):
    from test_render_pdf import to_pdf
    firm = paged_firm_template(tmp_path / "firm.docx", "none")
    draft = build(tmp_path, "data-provision-ja.yaml", library=library, reference=firm)
    pdf = to_pdf(draft, tmp_path, profile=office_profile)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert page.strip().splitlines()[-1].strip() == str(number), (number, page.strip().splitlines()[-1])


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "contractkit", *map(str, args)], capture_output=True, text=True,
                          env=ENV, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("example,expected", [
    ("data-provision-ja.yaml", "ドラフト v2（2026年12月1日）"),
    ("data-provision-en.yaml", "Draft v2 (December 1, 2026)"),
    ("data-provision-bilingual.yaml", "ドラフト v2（2026年12月1日） / Draft v2 (December 1, 2026)")])
def test_the_draft_header_shows_version_and_date_and_verify_needs_the_same(library, tmp_path, example, expected):
    draft = build(tmp_path, example, library=library, draft_header=("v2", "2026-12-01"))
    _, root = default_part(draft, "header")
    assert text(root) == expected
    assert [style_of(p) for p in root.iter(f"{W}p")] == ["ckHeader"]
    plain = build(tmp_path, example, "plain.docx", library=library)
    assert not [n for n in part_names(plain) if "header" in n]
    done = run_cli("verify", draft, EXAMPLES / example, "--draft-header", "v2", "--draft-date", "2026-12-01")
    assert done.returncode == 0, done.stdout
    done = run_cli("verify", draft, EXAMPLES / example, "--draft-header", "v3", "--draft-date", "2026-12-01")
    assert done.returncode == 1 and "header" in done.stdout and "'v2'" not in done.stderr


def test_the_draft_header_goes_below_a_firms_own_header(library, tmp_path):
    firm = firm_template(tmp_path / "firm.docx")
    document = docx.Document(str(firm))
    document.sections[0].header.paragraphs[0].text = "SAMPLE法律事務所"
    document.save(str(firm))
    draft = build(tmp_path, "data-provision-ja.yaml", library=library, reference=firm, draft_header=("第3版", "2027-01-06"))
    _, root = default_part(draft, "header")
    assert [text(p) for p in root.iter(f"{W}p")] == ["SAMPLE法律事務所", "ドラフト 第3版（2027年1月6日）"]


def test_draft_header_options_are_checked_with_the_fix(tmp_path):
    out = tmp_path / "d.docx"
    for args, says in ((["--draft-header", ""], "--draft-header ''"),
                       (["--draft-header", "v2", "--draft-date", "2026-13-01"], "YYYY-MM-DD"),
                       (["--draft-date", "2026-12-01"], "give the version too")):
        done = run_cli("build", EXAMPLES / "data-provision-ja.yaml", "-o", out, *args)
        assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not out.exists()
    done = run_cli("build", EXAMPLES / "data-provision-ja.yaml", "-o", out, "--draft-header", "v2")
    assert done.returncode == 0, done.stderr
    _, root = default_part(out, "header")
    assert re.fullmatch(r"ドラフト v2（\d{4}年\d{1,2}月\d{1,2}日）", text(root))
