"""`check` and `verify` against doctored drafts: each made at test time from a real built draft
by editing its XML parts (lxml, or bytes where the point is a spelling lxml would normalise),
each run through the real command with a generous timeout, each expected to name what it found
and never to print a traceback."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ENV, EXAMPLES, load_example, write_answers

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
TIMEOUT = 120    # a hang, not a benchmark


def settled(tmp_path, example: str) -> Path:
    """An example's answers with the open fee amount decided, so the clean draft has no ●."""
    data = load_example(example)
    data["answers"]["fee"]["amount"] = "金100万円" if not example.endswith("-en.yaml") else "JPY 1,000,000"
    if data["language"] == "ja+en":      # a text per language, and the schedule's open period decided
        data["answers"]["fee"]["amount"] = {"ja": "金100万円", "en": "JPY 1,000,000"}
        for record in data["answers"]["data-scope"]:
            record["period"] = record["period"] or {"ja": "2026年1月1日以降", "en": "from January 1, 2026"}
    return write_answers(tmp_path, data, name=example)


@pytest.fixture(scope="module")
def clean(tmp_path_factory, library):
    """A --clean Japanese draft with nothing left open: `check` says it is ready to send."""
    from contractkit.build import build
    out = tmp_path_factory.mktemp("hostile-drafts")
    answers = settled(out, "data-provision-ja.yaml")
    return {"draft": build(answers, out / "clean.docx", library=library, clean=True).output, "answers": answers}


def run(*args) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "contractkit", *map(str, args)], capture_output=True, text=True,
                          env=ENV, timeout=TIMEOUT)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def xml(data: bytes):
    return etree.fromstring(data)


def tostring(root, encoding="UTF-8") -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding=encoding, standalone=True)


def doctor(src: Path, dst: Path, edit=None, add=None, drop=(), rename=None) -> Path:
    """A copy of the package `src` with parts edited (name → function(bytes) → bytes), added,
    dropped or renamed."""
    edit, add, rename = edit or {}, add or {}, rename or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in drop:
                continue
            data = zin.read(item.filename)
            if item.filename in edit:
                data = edit[item.filename](data)
            zout.writestr(rename.get(item.filename, item.filename), data)
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def body_edit(func):
    """An edit of document.xml through lxml: func(root) changes the tree in place."""
    def edit(data):
        root = xml(data)
        func(root)
        return tostring(root)
    return edit


def first_text_run(root):
    """The first run of the article text (the first paragraph after an article heading)."""
    heading = next(p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "ckArticle")
    return heading.getnext().find(f"{W}r")


def set_rpr(run, *children):
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.Element(f"{W}rPr")
        run.insert(0, rpr)
    for child in children:
        rpr.append(child)
    return run


def w(tag, **attrs):
    return etree.Element(f"{W}{tag}", {f"{W}{k}": v for k, v in attrs.items()})


def with_rel(rels: bytes, rid: str, kind: str, target: str, external=False) -> bytes:
    root = xml(rels)
    attrs = dict(Id=rid, Type=f"{R_NS}/{kind}", Target=target)
    if external:
        attrs["TargetMode"] = "External"
    etree.SubElement(root, f"{{{PKG_REL}}}Relationship", attrs)
    return tostring(root)


def with_type(types: bytes, part=None, content_type=None, extension=None) -> bytes:
    root = xml(types)
    if extension:
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)
    else:
        etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=part, ContentType=content_type)
    return tostring(root)


def replace_once(old: bytes, new: bytes):
    def edit(data):
        assert old in data
        return data.replace(old, new, 1)
    return edit


def in_first_paragraph(markup: str):
    """Put raw markup (a spelling lxml would not write) right after the first article text's pPr."""
    def edit(data):
        root = xml(data)
        marker = "CKMARKER"
        run = first_text_run(root)
        run.addprevious(etree.Comment(marker))
        return tostring(root).replace(f"<!--{marker}-->".encode(), markup.encode(), 1)
    return edit


INS = '<w:r><w:t>inserted</w:t></w:r>'
DATE = 'w:date="2026-11-30T09:00:00Z"'

# (id, edits to the clean draft, what check must say)
TRACKED = [
    ("ins-newline", {"word/document.xml": in_first_paragraph(f'<w:ins\n w:id="901" w:author="Taro Yamada" {DATE}>{INS}</w:ins>')},
     ["tracked change", "Taro Yamada", "第１条 paragraph 1"]),
    ("ins-other-prefix", {"word/document.xml": in_first_paragraph(
        f'<x:ins xmlns:x="{W_NS}" x:id="902" x:author="Hanako"><x:r><x:t>inserted</x:t></x:r></x:ins>')},
     ["tracked change", "w:ins", "Hanako"]),
    ("del", {"word/document.xml": in_first_paragraph(f'<w:del w:id="903" w:author="A" {DATE}><w:r><w:delText>old</w:delText></w:r></w:del>')},
     ["tracked change", "w:del"]),
    ("rPrChange", {"word/document.xml": body_edit(lambda root: set_rpr(first_text_run(root), w("b"), etree.fromstring(
        f'<w:rPrChange xmlns:w="{W_NS}" w:id="904" w:author="A" {DATE}><w:rPr/></w:rPrChange>')))},
     ["tracked change", "w:rPrChange"]),
    ("pPrChange", {"word/document.xml": body_edit(lambda root: first_text_run(root).getparent().find(f"{W}pPr").append(
        etree.fromstring(f'<w:pPrChange xmlns:w="{W_NS}" w:id="905" w:author="A" {DATE}><w:pPr/></w:pPrChange>')))},
     ["tracked change", "w:pPrChange"]),
    ("moveTo", {"word/document.xml": in_first_paragraph(f'<w:moveTo w:id="906" w:author="A" {DATE}>{INS}</w:moveTo>')},
     ["tracked change", "w:moveTo"]),
]

HIDDEN = [
    ("vanish-space", '<w:r><w:rPr><w:vanish /></w:rPr><w:t>secret one</w:t></w:r>', ["hidden text", "w:vanish", "secret one"]),
    ("vanish-single-quotes", "<w:r><w:rPr><w:vanish w:val='true'/></w:rPr><w:t>secret two</w:t></w:r>",
     ["hidden text", "secret two"]),
    ("vanish-on", '<w:r><w:rPr><w:vanish w:val="on"></w:vanish></w:rPr><w:t>secret three</w:t></w:r>', ["hidden text"]),
    ("webHidden", '<w:r><w:rPr><w:webHidden/></w:rPr><w:t>web only</w:t></w:r>', ["hidden text", "w:webHidden", "web only"]),
    ("specVanish", '<w:r><w:rPr><w:specVanish/></w:rPr><w:t>special</w:t></w:r>', ["hidden text", "w:specVanish"]),
    ("white-text", '<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>white words</w:t></w:r>', ["white text", "white words"]),
    ("white-on-white-shading", '<w:r><w:rPr><w:color w:val="ffffff"/><w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/>'
     '</w:rPr><w:t>shaded</w:t></w:r>', ["white text", "shaded"]),
    ("same-as-highlight", '<w:r><w:rPr><w:color w:val="FFFF00"/><w:highlight w:val="yellow"/></w:rPr><w:t>on yellow</w:t></w:r>',
     ["text coloured #FFFF00 on #FFFF00", "on yellow"]),
    ("theme-white", '<w:r><w:rPr><w:color w:val="000000" w:themeColor="background1"/></w:rPr><w:t>theme white</w:t></w:r>',
     ["white text", "theme white"]),
    ("one-point", '<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>tiny print</w:t></w:r>', ["1-pt text", "tiny print"]),
]


@pytest.mark.parametrize("case,edits,expected", TRACKED, ids=[c[0] for c in TRACKED])
def test_check_finds_every_spelling_of_a_tracked_change(clean, tmp_path, case, edits, expected):
    done = run("check", doctor(clean["draft"], tmp_path / f"{case}.docx", edit=edits))
    assert done.returncode == 1, done.stdout
    assert "not ready to send" in done.stdout
    found = [line for line in done.stdout.splitlines() if "tracked change" in line]
    assert found and all(e in found[0] for e in expected), done.stdout
    assert "word/document.xml" in found[0]


@pytest.mark.parametrize("case,markup,expected", HIDDEN, ids=[c[0] for c in HIDDEN])
def test_check_finds_hidden_invisible_and_tiny_text(clean, tmp_path, case, markup, expected):
    done = run("check", doctor(clean["draft"], tmp_path / f"{case}.docx",
                               edit={"word/document.xml": in_first_paragraph(markup)}))
    assert done.returncode == 1, done.stdout
    line = next((x for x in done.stdout.splitlines() if expected[0] in x), "")
    assert all(e in line for e in expected), done.stdout
    assert "word/document.xml" in line and "第１条 paragraph 1" in line


def test_visible_colours_and_sizes_pass(clean, tmp_path):
    """White on a dark shading, red text, 8-pt text and a vanish switched off are all legible."""
    markup = ('<w:r><w:rPr><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:fill="1F3864"/></w:rPr><w:t>banner</w:t></w:r>'
              '<w:r><w:rPr><w:color w:val="C00000"/><w:sz w:val="16"/></w:rPr><w:t>red small</w:t></w:r>'
              '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r>')
    done = run("check", doctor(clean["draft"], tmp_path / "legible.docx", edit={"word/document.xml": in_first_paragraph(markup)}))
    assert done.returncode == 0 and "ready to send" in done.stdout, done.stdout


def test_white_text_in_a_dark_table_cell_passes_and_on_a_white_one_does_not(clean, tmp_path):
    def table(fill):
        def add(root):
            paragraph = first_text_run(root).getparent()
            paragraph.addnext(etree.fromstring(
                f'<w:tbl xmlns:w="{W_NS}"><w:tblPr/><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:tcPr>'
                f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr><w:p><w:r><w:rPr><w:color w:val="FFFFFF"/>'
                '</w:rPr><w:t>cell words</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'))
        return {"word/document.xml": body_edit(add)}
    dark = run("check", doctor(clean["draft"], tmp_path / "dark.docx", edit=table("1F3864")))
    assert dark.returncode == 0, dark.stdout
    white = run("check", doctor(clean["draft"], tmp_path / "white.docx", edit=table("FFFFFF")))
    assert white.returncode == 1 and 'white text at "cell words"' in white.stdout, white.stdout


def hiding_style(kind: str, style_id: str, based_on: str | None = None, vanish=True):
    def edit(data):
        root = xml(data)
        style = etree.SubElement(root, f"{W}style", {f"{W}type": kind, f"{W}styleId": style_id})
        etree.SubElement(style, f"{W}name", {f"{W}val": style_id})
        if based_on:
            etree.SubElement(style, f"{W}basedOn", {f"{W}val": based_on})
        if vanish:
            etree.SubElement(etree.SubElement(style, f"{W}rPr"), f"{W}vanish")
        return tostring(root)
    return edit


def test_check_finds_text_hidden_by_a_character_style(clean, tmp_path):
    def apply(root):
        set_rpr(first_text_run(root), w("rStyle", val="Quiet"))
    draft = doctor(clean["draft"], tmp_path / "char-style.docx", edit={
        "word/styles.xml": hiding_style("character", "Quiet"), "word/document.xml": body_edit(apply)})
    done = run("check", draft)
    assert done.returncode == 1
    assert any("hidden text (w:vanish from style 'Quiet') at 第１条 paragraph 1" in x for x in done.stdout.splitlines()), done.stdout


def test_check_finds_text_hidden_by_a_paragraph_style_it_is_based_on(clean, tmp_path):
    """A paragraph style based on one that hides: the paragraph is hidden although its own
    style says nothing."""
    def apply(root):
        paragraph = first_text_run(root).getparent()
        paragraph.find(f"{W}pPr/{W}pStyle").set(f"{W}val", "Innocent")
    draft = doctor(clean["draft"], tmp_path / "para-style.docx", edit={
        "word/styles.xml": lambda d: hiding_style("paragraph", "Innocent", "Hider", vanish=False)(
            hiding_style("paragraph", "Hider")(d)),
        "word/document.xml": body_edit(apply)})
    done = run("check", draft)
    assert done.returncode == 1
    assert any("from style 'Hider'" in x and "第１条 paragraph 1" in x for x in done.stdout.splitlines()), done.stdout


def test_an_unused_hiding_style_is_not_a_finding(clean, tmp_path):
    draft = doctor(clean["draft"], tmp_path / "unused.docx", edit={"word/styles.xml": hiding_style("character", "Unused")})
    assert run("check", draft).returncode == 0


def test_check_finds_an_empty_custom_property(clean, tmp_path):
    draft = doctor(clean["draft"], tmp_path / "empty-prop.docx", edit={"docProps/custom.xml": replace_once(
        b"</Properties>", b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" name="MatterNo"/></Properties>')})
    done = run("check", draft)
    assert done.returncode == 1 and "custom property 'MatterNo' (empty)" in done.stdout, done.stdout


def test_check_finds_comments_written_in_the_default_namespace(clean, tmp_path):
    comments = (f'<?xml version="1.0" encoding="UTF-8"?><comments xmlns="{W_NS}"><comment id="0" author="Taro Yamada">'
                '<p><r><t>our walk-away price is 80</t></r></p></comment></comments>').encode()
    draft = doctor(clean["draft"], tmp_path / "default-ns-comments.docx", add={"word/comments.xml": comments}, edit={
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdX", "comments", "comments.xml"),
        "[Content_Types].xml": lambda d: with_type(d, "/word/comments.xml", f"{WML}.comments+xml")})
    done = run("check", draft)
    assert done.returncode == 1 and "word/comments.xml: 1 comment(s) by Taro Yamada" in done.stdout, done.stdout


def test_check_finds_a_comments_part_nothing_points_at(clean, tmp_path):
    comments = f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="X"><w:p/></w:comment></w:comments>'.encode()
    draft = doctor(clean["draft"], tmp_path / "loose-comments.docx", add={"word/comments2.xml": comments})
    done = run("check", draft)
    assert done.returncode == 1
    assert "word/comments2.xml: a part nothing points at" in done.stdout, done.stdout


def renamed(clean, tmp_path, name="renamed.docx", encoding=None):
    """The clean draft with its main part called word/main.xml (found only through the
    relationships) carrying a tracked change; in `encoding` if given."""
    def main(data):
        root = xml(in_first_paragraph(f'<w:ins w:id="1" w:author="A" {DATE}>{INS}</w:ins>')(data))
        return tostring(root, encoding=encoding or "UTF-8")
    def types(data):
        return data.replace(b'PartName="/word/document.xml"', b'PartName="/word/main.xml"')
    return doctor(clean["draft"], tmp_path / name, edit={
        "word/document.xml": main, "[Content_Types].xml": types,
        "_rels/.rels": replace_once(b'Target="word/document.xml"', b'Target="word/main.xml"')},
        rename={"word/document.xml": "word/main.xml", "word/_rels/document.xml.rels": "word/_rels/main.xml.rels"})


def test_check_finds_the_main_part_by_its_relationship(clean, tmp_path):
    done = run("check", renamed(clean, tmp_path))
    assert done.returncode == 1
    assert "word/main.xml: 1 tracked change(s)" in done.stdout, done.stdout


@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-16LE"])
def test_check_reads_a_utf16_main_part(clean, tmp_path, encoding):
    draft = tmp_path / "utf16.docx"
    def main(data):
        root = xml(in_first_paragraph(f'<w:ins w:id="1" w:author="A" {DATE}>{INS}</w:ins>')(data))
        text = tostring(root, encoding="UTF-16")
        if encoding == "UTF-16LE":      # the declaration says UTF-16LE, and there is no BOM
            text = etree.tostring(root, encoding="unicode").join(
                ['<?xml version="1.0" encoding="UTF-16LE"?>', ""]).encode("utf-16-le")
        return text
    doctor(clean["draft"], draft, edit={"word/document.xml": main})
    assert zipfile.ZipFile(draft).read("word/document.xml")[:2] in (b"\xff\xfe", b"<\x00")
    done = run("check", draft)
    assert done.returncode == 1 and "word/document.xml: 1 tracked change(s)" in done.stdout, done.stdout


def core_with(**values):
    def edit(data):
        root = xml(data)
        for el in root:
            name = etree.QName(el).localname
            if name in values:
                el.text = values.pop(name)
        for name, value in values.items():
            ns = "http://purl.org/dc/elements/1.1/" if name in ("creator", "subject", "description") else \
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
            etree.SubElement(root, f"{{{ns}}}{name}").text = value
        return tostring(root)
    return edit


@pytest.mark.parametrize("field,label", [("creator", "author"), ("lastModifiedBy", "last modified by")])
def test_check_finds_a_persons_name_in_the_core_properties(clean, tmp_path, field, label):
    draft = doctor(clean["draft"], tmp_path / f"{field}.docx", edit={"docProps/core.xml": core_with(**{field: "Taro Yamada"})})
    done = run("check", draft)
    assert done.returncode == 1 and f"docProps/core.xml: {label} 'Taro Yamada'" in done.stdout, done.stdout


@pytest.mark.parametrize("field", ["Company", "Manager"])
def test_check_finds_company_and_manager(clean, tmp_path, field):
    def edit(data):
        root = xml(data)
        etree.SubElement(root, f"{{{root.nsmap[None]}}}{field}").text = "Sample Law Office"
        return tostring(root)
    done = run("check", doctor(clean["draft"], tmp_path / f"{field}.docx", edit={"docProps/app.xml": edit}))
    assert done.returncode == 1 and f'docProps/app.xml: {field} "Sample Law Office"' in done.stdout, done.stdout


def test_check_finds_document_variables(clean, tmp_path):
    def edit(data):
        root = xml(data)
        variables = etree.SubElement(root, f"{W}docVars")
        etree.SubElement(variables, f"{W}docVar", {f"{W}name": "ClientMatter", f"{W}val": "2026-0042 floor price"})
        return tostring(root)
    done = run("check", doctor(clean["draft"], tmp_path / "docvars.docx", edit={"word/settings.xml": edit}))
    assert done.returncode == 1 and "word/settings.xml: document variable 'ClientMatter'" in done.stdout, done.stdout


def test_check_flags_an_embedded_object_it_cannot_inspect(clean, tmp_path):
    obj = (f'<w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="{R_NS}">'
           '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Icon" r:id="rIdOle1"/>'
           '</w:object></w:r>')
    draft = doctor(clean["draft"], tmp_path / "ole.docx", add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0secret"}, edit={
        "word/document.xml": in_first_paragraph(obj),
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdOle1", "oleObject", "embeddings/oleObject1.bin"),
        "[Content_Types].xml": lambda d: with_type(d, content_type="application/vnd.openxmlformats-officedocument.oleObject",
                                                   extension="bin")})
    done = run("check", draft)
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if "embedded object" in x)
    assert "word/embeddings/oleObject1.bin" in line and "第１条 paragraph 1" in line and "cannot inspect" in line


def test_check_flags_an_alt_chunk_it_cannot_inspect(clean, tmp_path):
    def add_chunk(root):
        body = root.find(f"{W}body")
        chunk = etree.SubElement(body, f"{W}altChunk", {f"{{{R_NS}}}id": "rIdChunk"})
        body.remove(chunk)
        body.insert(3, chunk)
    draft = doctor(clean["draft"], tmp_path / "altchunk.docx", add={"word/chunk.htm": b"<html><body>old draft</body></html>"}, edit={
        "word/document.xml": body_edit(add_chunk),
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdChunk", "aFChunk", "chunk.htm"),
        "[Content_Types].xml": lambda d: with_type(d, "/word/chunk.htm", "text/html")})
    done = run("check", draft)
    assert done.returncode == 1
    assert any("altChunk" in x and "word/chunk.htm" in x and "cannot inspect" in x for x in done.stdout.splitlines()), done.stdout


def test_check_finds_a_placeholder_in_the_glossary(clean, tmp_path):
    glossary = (f'<?xml version="1.0" encoding="UTF-8"?><w:glossaryDocument xmlns:w="{W_NS}"><w:docParts><w:docPart>'
                '<w:docPartPr><w:name w:val="fee"/><w:category><w:name w:val="General"/><w:gallery w:val="autoTxt"/></w:category>'
                '</w:docPartPr><w:docPartBody><w:p><w:r><w:t>対価は●円</w:t></w:r></w:p></w:docPartBody></w:docPart>'
                '</w:docParts></w:glossaryDocument>').encode()
    draft = doctor(clean["draft"], tmp_path / "glossary.docx", add={"word/glossary/document.xml": glossary}, edit={
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdG", "glossaryDocument", "glossary/document.xml"),
        "[Content_Types].xml": lambda d: with_type(d, "/word/glossary/document.xml", f"{WML}.document.glossary+xml")})
    done = run("check", draft)
    assert done.returncode == 1
    assert any(x.startswith(f"{draft}: word/glossary/document.xml: placeholder left") and "対価は●円" in x
               for x in done.stdout.splitlines()), done.stdout


def test_check_finds_a_placeholder_in_a_footer(clean, tmp_path):
    draft = doctor(clean["draft"], tmp_path / "footer.docx", edit={"word/footer1.xml": replace_once(
        b"</w:p>", "<w:r><w:t>案件番号●</w:t></w:r></w:p>".encode())})
    done = run("check", draft)
    assert done.returncode == 1 and "word/footer1.xml: placeholder left" in done.stdout, done.stdout


@pytest.mark.parametrize("kind", ["one-huge-part", "many-parts"])
def test_check_refuses_a_zip_bomb_in_one_line(clean, tmp_path, kind):
    bomb = tmp_path / f"{kind}.docx"
    with zipfile.ZipFile(clean["draft"]) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        if kind == "one-huge-part":
            with zout.open("word/media/image1.png", "w", force_zip64=True) as fh:
                block = b"\0" * 2**20
                for _ in range(300):        # 300 MB of zeros, 300 KB compressed
                    fh.write(block)
        else:
            for i in range(6000):
                zout.writestr(f"customXml/x{i}.xml", b"")
    done = run("check", bomb)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "zip bomb" in lines[0] and done.stdout == "", done.stderr


@pytest.mark.parametrize("case", ["not-well-formed", "dtd-entities", "no-main-part"])
def test_check_reports_an_unreadable_package_in_one_line(clean, tmp_path, case):
    edits, drop = {}, ()
    if case == "not-well-formed":
        edits = {"word/styles.xml": lambda d: d[:-20]}
    elif case == "dtd-entities":
        edits = {"word/document.xml": lambda d: d.replace(
            b"?>", b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1)}
    else:
        edits = {"_rels/.rels": lambda d: d.replace(b"/officeDocument", b"/somethingElse")}
    done = run("check", doctor(clean["draft"], tmp_path / f"{case}.docx", edit=edits, drop=drop))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


# --- drafts that must pass --------------------------------------------------------------------------
def firm_template(path: Path, dotx=False) -> Path:
    from test_guidance import firm_template as make
    return make(path, dotx)


@pytest.mark.parametrize("example,reference", [
    ("data-provision-ja.yaml", None), ("data-provision-en.yaml", None), ("data-provision-bilingual.yaml", None),
    ("data-provision-ja.yaml", "docx"), ("data-provision-en.yaml", "dotx"), ("data-provision-bilingual.yaml", "docx")])
def test_a_clean_draft_passes_check_and_verify(library, tmp_path, example, reference):
    from contractkit.build import build
    answers = settled(tmp_path, example)
    template = firm_template(tmp_path / "firm.docx", dotx=reference == "dotx") if reference else None
    draft = build(answers, tmp_path / "clean.docx", library=library, clean=True, reference=template).output
    done = run("check", draft)
    assert done.returncode == 0 and done.stdout.strip() == f"{draft}: ready to send", done.stdout
    args = ["verify", draft, answers] + (["--reference-docx", template] if template else [])
    done = run(*args)
    assert done.returncode == 0 and done.stdout.strip().endswith(f"matches {answers}"), done.stdout


def test_every_example_built_clean_has_nothing_but_its_open_placeholders(library, tmp_path):
    """No false alarm on any shipped example: a --clean draft's only findings are the ● its
    answers leave open, and only where build says there are some."""
    from contractkit.build import build
    from contractkit.checks import check_draft
    examples = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "staged-ja").glob("*.yaml"))
    assert len(examples) > 10
    for example in examples:
        result = build(example, tmp_path / (example.stem + ".docx"), library=library, clean=True, force=True)
        findings = check_draft(result.output)
        assert all("placeholder left" in f for f in findings), (example.name, findings)
        assert bool(findings) == bool(result.placeholders), (example.name, findings, result.placeholders)


def test_a_draft_with_comments_verifies_against_a_rebuild_with_comments(library, tmp_path):
    from contractkit.build import build
    draft = build(EXAMPLES / "data-provision-ja.yaml", tmp_path / "d.docx", library=library).output
    done = run("verify", draft, EXAMPLES / "data-provision-ja.yaml")
    assert done.returncode == 0, done.stdout


# --- verify: an edited part is named ----------------------------------------------------------------
def retarget(root):
    instr = next(i for i in root.iter(f"{W}instrText") if i.text.split()[0] == "REF")
    old = instr.text.split()[1]
    instr.text = instr.text.replace(old, "ck_liability")


def add_comment(clean, tmp_path):
    comments = (f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="Taro Yamada" w:date="2026-11-30T09:00:00Z">'
                '<w:p><w:r><w:t>do not concede</w:t></w:r></w:p></w:comment></w:comments>').encode()
    return {"add": {"word/comments.xml": comments}, "edit": {
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdC", "comments", "comments.xml"),
        "[Content_Types].xml": lambda d: with_type(d, "/word/comments.xml", f"{WML}.comments+xml")}}


VERIFY = [
    ("footer", {"edit": {"word/footer1.xml": replace_once(b"<w:r><w:fldChar", b"<w:r><w:t>Seite </w:t></w:r><w:r><w:fldChar")}},
     ["word/footer1.xml: paragraph 1", "text differs: '1' → 'Seite 1'"]),
    ("comment", None, ["word/comments.xml: a part the rebuilt draft does not have",
                       "word/_rels/document.xml.rels: a relationship the rebuilt draft does not have: comments"]),
    ("style", {"edit": {"word/styles.xml": lambda d: tostring(_style_size(xml(d)))}},
     ["word/styles.xml: style 'ckParagraph'", "w:sz"]),
    ("numbering", {"edit": {"word/numbering.xml": replace_once("第%1条".encode(), "第%1項".encode())}},
     ["word/numbering.xml: list definition", "第%1項"]),
    ("hidden-run", {"edit": {"word/document.xml": body_edit(lambda root: set_rpr(first_text_run(root), w("vanish")))}},
     ["word/document.xml: 第１条 paragraph 1: a hidden run"]),
    ("added-hidden-run", {"edit": {"word/document.xml": in_first_paragraph(
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>floor price 80</w:t></w:r>')}},
     ["word/document.xml: 第１条 paragraph 1: a hidden run \"floor price 80\""]),
    ("ref", {"edit": {"word/document.xml": body_edit(retarget)}}, ["word/document.xml: 第", "a REF field points at ck_liability, "
                                                                   "the rebuilt draft at ck_"]),
    ("core-title", {"edit": {"docProps/core.xml": core_with(title="Draft v7 (internal)")}},
     ["docProps/core.xml", "Draft v7 (internal)"]),
    ("document-title", {"edit": {"word/document.xml": replace_once("データ提供契約書".encode(), "データ提供契約書（案）".encode())}},
     ["word/document.xml: paragraph 1", "text differs: 'データ提供契約書' → 'データ提供契約書（案）'"]),
    ("custom-property", {"edit": {"docProps/custom.xml": replace_once(
        b"</Properties>", b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" name="Matter"><vt:lpwstr '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">M-1</vt:lpwstr></property></Properties>')}},
     ["docProps/custom.xml: custom property 'Matter'"]),
]


def _style_size(root):
    style = next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == "ckParagraph")
    rpr = style.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.SubElement(style, f"{W}rPr")
    etree.SubElement(rpr, f"{W}sz", {f"{W}val": "30"})
    return root


@pytest.mark.parametrize("case,edits,expected", VERIFY, ids=[c[0] for c in VERIFY])
def test_verify_names_the_part_and_place_that_differ(clean, tmp_path, case, edits, expected):
    edits = edits or add_comment(clean, tmp_path)
    draft = doctor(clean["draft"], tmp_path / f"{case}.docx", **edits)
    done = run("verify", draft, clean["answers"])
    assert done.returncode == 1 and done.stdout.strip().endswith(f"differs from {clean['answers']}"), done.stdout
    for e in expected:
        assert e in done.stdout, done.stdout


def test_verify_names_an_edited_header_of_a_draft_on_a_firms_template(library, tmp_path):
    from contractkit.build import build
    answers = settled(tmp_path, "data-provision-ja.yaml")
    template = firm_template(tmp_path / "firm.docx")
    draft = build(answers, tmp_path / "d.docx", library=library, clean=True, reference=template).output
    edited = doctor(draft, tmp_path / "edited.docx", edit={"word/header1.xml": replace_once(
        "ドラフト".encode(), "最終版".encode())})
    done = run("verify", edited, answers, "--reference-docx", template)
    assert done.returncode == 1
    assert "word/header1.xml: paragraph 1" in done.stdout and "text differs" in done.stdout and "最終版" in done.stdout


def test_verify_refuses_a_zip_bomb_in_one_line(clean, tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(clean["draft"]) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        for i in range(6000):
            zout.writestr(f"x/{i}.xml", b"")
    done = run("verify", bomb, clean["answers"])
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "zip bomb" in done.stderr


def test_check_finds_reviewer_names_in_the_people_part(clean, tmp_path):
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    people = (f'<w15:people xmlns:w15="{w15}"><w15:person w15:author="Taro Yamada">'
              '<w15:presenceInfo w15:providerId="None" w15:userId="Taro Yamada"/></w15:person></w15:people>').encode()
    draft = doctor(clean["draft"], tmp_path / "people.docx", add={"word/people.xml": people}, edit={
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdP", "people", "people.xml").replace(
            f"{R_NS}/people".encode(), b"http://schemas.microsoft.com/office/2011/relationships/people"),
        "[Content_Types].xml": lambda d: with_type(d, "/word/people.xml", f"{WML}.people+xml")})
    done = run("check", draft)
    assert done.returncode == 1 and "word/people.xml: the names of 1 reviewer(s): Taro Yamada" in done.stdout, done.stdout


def test_check_finds_an_attached_templates_path(clean, tmp_path):
    path = "file:///C:/Users/taro.yamada/AppData/Roaming/Microsoft/Templates/M&A-2026.dotm"
    draft = doctor(clean["draft"], tmp_path / "attached.docx", edit={
        "word/settings.xml": replace_once(b"<w:zoom", f'<w:attachedTemplate xmlns:r="{R_NS}" r:id="rIdT"/><w:zoom'.encode())},
        add={
        "word/_rels/settings.xml.rels": with_rel(f'<Relationships xmlns="{PKG_REL}"/>'.encode(), "rIdT", "attachedTemplate",
                                                 path, external=True)})
    done = run("check", draft)
    assert done.returncode == 1 and "taro.yamada" in done.stdout and "outside the file" in done.stdout, done.stdout


def test_check_finds_custom_xml_data_but_not_an_empty_store(clean, tmp_path):
    store = b'<properties xmlns="urn:example:dms"><matter>2026-0042</matter><client>Acme</client></properties>'
    empty = b'<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"/>'
    results = {}
    for name, data in (("data", store), ("empty", empty)):
        draft = doctor(clean["draft"], tmp_path / f"custom-xml-{name}.docx", add={"customXml/item1.xml": data}, edit={
            "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdCx", "customXml", "../customXml/item1.xml")})
        results[name] = run("check", draft)
    assert results["data"].returncode == 1 and "customXml/item1.xml: custom XML data" in results["data"].stdout
    assert "2026-0042" in results["data"].stdout
    assert results["empty"].returncode == 0, results["empty"].stdout


def test_check_finds_hidden_text_in_a_text_box_and_in_a_header(clean, tmp_path):
    box = ('<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:rPr><w:vanish/>'
           '</w:rPr><w:t>boxed secret</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    header = (f'<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:rPr><w:color w:val="FEFEFE"/></w:rPr><w:t>header note</w:t></w:r></w:p>'
              '</w:hdr>').encode()
    draft = doctor(clean["draft"], tmp_path / "box.docx", add={"word/header9.xml": header}, edit={
        "word/document.xml": in_first_paragraph(box),
        "word/_rels/document.xml.rels": lambda d: with_rel(d, "rIdH9", "header", "header9.xml"),
        "[Content_Types].xml": lambda d: with_type(d, "/word/header9.xml", f"{WML}.header+xml")})
    done = run("check", draft)
    assert done.returncode == 1
    assert any("hidden text" in x and "boxed secret" in x and "第１条 paragraph 1" in x for x in done.stdout.splitlines())
    assert any(x.startswith(f"{draft}: word/header9.xml: white text") and "header note" in x for x in done.stdout.splitlines())


def test_verify_says_when_a_draft_looks_built_on_a_template(library, tmp_path):
    from contractkit.build import build
    answers = settled(tmp_path, "data-provision-en.yaml")
    draft = build(answers, tmp_path / "d.docx", library=library, clean=True, reference=firm_template(tmp_path / "f.docx")).output
    done = run("verify", draft, answers)
    assert done.returncode == 1 and "--reference-docx" in done.stdout, done.stdout


def test_check_names_a_password_protected_file(tmp_path):
    protected = tmp_path / "protected.docx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)   # an OLE compound file: Word's encryption
    done = run("check", protected)
    assert done.returncode == 2 and "password-protected" in done.stderr and len(done.stderr.strip().splitlines()) == 1


# --- packs test reads drafts the same way -----------------------------------------------------------
def test_draft_text_is_what_python_docx_reads(clean):
    import docx
    from contractkit.reading import main_text
    assert main_text(clean["draft"]).splitlines() == [p.text for p in docx.Document(str(clean["draft"])).paragraphs]


def test_packs_test_reports_text_a_draft_lacks_or_must_not_have(tmp_path):
    assert run("packs", "new", "cold-chain", "--dir", tmp_path).returncode == 0
    pack = tmp_path / "cold-chain" / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("contains: [（業界固有の事項）]", "contains: [（業界固有の事項）, 存在しない文言]\n"
                                 "    absent: [本契約]", 1), encoding="utf-8")
    done = run("packs", "test", tmp_path / "cold-chain")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "missing text: 存在しない文言" in done.stdout and "text that must not appear: 本契約" in done.stdout
    assert "missing text: （業界固有の事項）" not in done.stdout


def test_mangled_parts_give_findings_or_one_error_never_a_crash(clean, tmp_path):
    """Every XML part of a real draft, cut, garbled or stripped of attributes at random places:
    check returns findings or raises the one-line UserError, nothing else."""
    import random
    from contractkit.checks import check_draft, verify_draft
    from contractkit.errors import UserError
    rng = random.Random(11)
    with zipfile.ZipFile(clean["draft"]) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    outcomes = {"findings": 0, "ready": 0, "error": 0}
    for i in range(60):
        name = rng.choice(names)

        def mangle(data, how=i % 4):
            if how == 0:                                   # cut somewhere
                return data[:rng.randrange(len(data))]
            root = xml(data)
            elements = list(root.iter())
            victim = rng.choice(elements)
            if how == 1:                                   # attributes gone
                victim.attrib.clear()
            elif how == 2:                                 # attribute values garbled
                for key in victim.attrib:
                    victim.set(key, rng.choice(["", "-1", "zz", "999999999999", "●"]))
            elif victim.getparent() is not None:           # an element moved under another
                target = rng.choice(elements)
                if victim not in list(target.iterancestors()) and target is not victim:
                    target.append(victim)
            return tostring(root)
        draft = doctor(clean["draft"], tmp_path / f"m{i}.docx", edit={name: mangle})
        try:
            findings = check_draft(draft)
            outcomes["findings" if findings else "ready"] += 1
        except UserError as exc:
            assert "\n" not in str(exc)
            outcomes["error"] += 1
        if i < 8:                                          # verify reads the same way
            try:
                assert isinstance(verify_draft(draft, clean["answers"]), list)
            except UserError as exc:
                assert "\n" not in str(exc)
    assert outcomes["error"] > 0 and sum(outcomes.values()) == 60
