"""Every shipped example builds into a draft a lawyer can open: text, numbering, fields, properties."""
import re
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES, LEFTOVERS, docx_text, docx_xml

EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if "bilingual" not in p.name)
pytestmark = pytest.mark.xdist_group("examples")       # one worker builds the drafts of `built` once


@pytest.fixture(scope="module")
def built(tmp_path_factory, library):
    from contractkit.build import build
    out = tmp_path_factory.mktemp("drafts")
    return {name: build(EXAMPLES / name, out / (Path(name).stem + ".docx"), library=library) for name in EXAMPLE_FILES}


def test_at_least_two_examples_per_contract_in_both_languages():
    for contract in ("data-provision", "data-creation", "data-sharing", "ai-nda", "ai-poc", "ai-development", "ai-use", "ai-service", "ai-customization"):
        assert {f"{contract}-ja.yaml", f"{contract}-en.yaml"} <= set(EXAMPLE_FILES)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example_text_has_no_template_leftovers(built, name):
    result = built[name]
    text = docx_text(result.output)
    assert result.articles >= 15
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    for line in text.splitlines():
        assert line == line.strip() or line.startswith("　"), repr(line)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example_is_a4_with_mincho_and_no_theme_fonts(built, name):
    path = built[name].output
    document = docx.Document(str(path))
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5
    styles = docx_xml(path, "word/styles.xml")
    assert 'w:eastAsia="ＭＳ 明朝"' in styles
    assert "Theme" not in styles and "theme" not in styles
    assert 'w:eastAsia="ja-JP"' in styles
    lang = "ja-JP" if name.endswith("-ja.yaml") else "en-US"
    assert f'<w:lang w:val="{lang}"' in styles


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_numbering_is_linked_to_styles(built, name):
    path = built[name].output
    numbering = docx_xml(path, "word/numbering.xml")
    assert numbering.index("<w:abstractNum ") < numbering.index("<w:num ")
    levels = re.findall(r'<w:lvl w:ilvl="(\d)">(.*?)</w:lvl>', numbering)
    assert [lvl for lvl, _ in levels] == ["0", "1", "2", "3", "4"]
    text = {lvl: re.search(r'<w:lvlText w:val="([^"]*)"/>', body).group(1) for lvl, body in levels}
    by_level = dict(levels)
    if name.endswith("-ja.yaml"):
        # article 第１条; first 項 unnumbered, its 号 （１）; later 項 from ２, their 号 （１）
        assert text == {"0": "第%1条", "1": "", "2": "（%3）", "3": "%4\u3000", "4": "（%5）"}
        assert all('w:numFmt w:val="decimalFullWidth"' in by_level[l] for l in "01234")
        assert 'w:start w:val="2"' in by_level["3"]
    else:
        assert text == {"0": "Article %1", "1": "", "2": "(%3)", "3": "%1.%4", "4": "(%5)"}
        assert "lowerLetter" in by_level["2"] and "lowerLetter" in by_level["4"]
    styles = docx_xml(path, "word/styles.xml")
    for lvl, body in levels:
        style = re.search(r'<w:pStyle w:val="(\w+)"/>', body).group(1)
        style_xml = re.search(rf'w:styleId="{style}">(.*?)</w:style>', styles).group(1)
        assert f'<w:ilvl w:val="{lvl}"/><w:numId w:val="1"/>' in style_xml
    # paragraphs never carry their own numbers: only the styles do, so Word renumbers by itself
    assert "<w:numPr>" not in docx_xml(path)


def test_paragraph_styles_follow_the_article_structure(built, library):
    """An article whose first paragraph has items: the items take the first paragraph's item
    level, the next paragraph the numbered level (so it shows ２, not ３)."""
    from conftest import assemble_dict, load_example
    path = built["data-provision-ja.yaml"].output
    body = docx_xml(path)
    draft = assemble_dict(library, load_example("data-provision-ja.yaml"))
    article = next(a for a in draft.articles if a.paragraphs[0].items and len(a.paragraphs) > 1)
    start = body.index(f'w:name="{article.bookmark}"')
    styles = re.findall(r'<w:pStyle w:val="(\w+)"/>', body[start:])
    n_items = len(article.paragraphs[0].items)
    assert styles[:1 + n_items + 1] == ["ckParagraphFirst"] + ["ckItemFirst"] * n_items + ["ckParagraph"]


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_headings_bookmarks_and_references(built, name):
    path = built[name].output
    body = docx_xml(path)
    headings = re.findall(r'<w:pStyle w:val="ckArticle"/></w:pPr>(?:<w:commentRangeStart w:id="\d+"/>)?<w:bookmarkStart w:id="\d+" w:name="(ck_\w+)"/>', body)
    assert len(headings) == built[name].articles
    assert all(len(b) <= 40 for b in headings) and len(set(headings)) == len(headings)
    stamp_ids = [entry.split(":")[0] for entry in built[name].stamp]
    assert headings == ["ck_" + cid.replace("-", "_") for cid in stamp_ids]
    refs = re.findall(r'<w:instrText xml:space="preserve"> REF (ck_\w+) \\n (\\t )?\\h </w:instrText></w:r>'
                      r'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">([^<]*)</w:t>', body)
    assert refs, "the survival article refers to other articles"
    assert len(refs) == body.count("> REF ck_")
    ja = name.endswith("-ja.yaml")
    for bookmark, bare, cached in refs:
        number = headings.index(bookmark) + 1
        expected = f"第{str(number).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" if ja else f"Article {number}"
        assert cached == (str(number) if bare and not ja else expected)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_properties_and_stamp(built, name):
    path = built[name].output
    document = docx.Document(str(path))
    assert document.core_properties.title == built[name].title
    assert "python-docx" not in (document.core_properties.author + document.core_properties.comments)
    custom = docx_xml(path, "docProps/custom.xml")
    assert 'name="contractkit.version"' in custom
    sha = re.search(r'name="contractkit.answers_sha256"><vt:lpwstr>([0-9a-f]{64})<', custom)
    assert sha
    clauses = re.search(r'name="contractkit.clauses"><vt:lpwstr>([^<]*)<', custom).group(1)
    assert clauses.split(",") == built[name].stamp
    assert all(re.fullmatch(r"[a-z0-9-]+:[a-z0-9-]+", e) for e in built[name].stamp)
    with zipfile.ZipFile(path) as zf:
        assert not [n for n in zf.namelist() if "thumbnail" in n.lower()]
    footer = docx_xml(path, "word/footer1.xml")
    assert " PAGE " in footer


def test_same_answers_give_same_stamp(built, library, tmp_path):
    from contractkit.build import build
    again = build(EXAMPLES / "data-provision-ja.yaml", tmp_path / "again.docx", library=library)
    first = built["data-provision-ja.yaml"]
    assert again.stamp == first.stamp
    assert docx_text(again.output) == docx_text(first.output)


def test_placeholders_are_highlighted_and_reported(built):
    result = built["data-provision-ja.yaml"]
    assert [w for p, w in result.placeholders if p == "fee.amount"] == ["第１６条"]
    body = docx_xml(result.output)
    assert '<w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">●</w:t>' in body
    en = built["data-creation-en.yaml"]
    assert any(p == "parties.party-b.representative" for p, _ in en.placeholders)
    assert "[●]" in docx_text(en.output)


def test_japanese_draft_reads_as_a_japanese_contract(built):
    text = docx_text(built["data-provision-ja.yaml"].output)
    assert text.splitlines()[0] == "データ提供契約書"
    assert "株式会社サンプル工機（以下「甲」という。）" in text
    assert "（以下「本契約」という。）" in text
    assert "2026年12月1日" in text
    assert "代表取締役　山田太郎　　　　印" in text
    assert "（定義）" in text and "（目的）" in text


def test_terms_of_use_speak_as_the_operator(built):
    text = docx_text(built["data-sharing-ja.yaml"].output)
    assert text.splitlines()[0] == "データマーケット利用規約"
    assert "当社" in text and "参加者" in text
    assert "甲" not in text and "乙" not in text
    assert "附則" in text


BILINGUAL_FILES = sorted(p.name for p in EXAMPLES.glob("*bilingual.yaml"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@pytest.mark.parametrize("name", BILINGUAL_FILES)
def test_a_bilingual_example_has_no_japanese_in_its_english_column(library, tmp_path, name):
    from docx.oxml.ns import qn

    from contractkit.build import build
    result = build(EXAMPLES / name, tmp_path / "bi.docx", library=library)
    body = docx.Document(str(result.output)).element.body
    table = body.find(qn("w:tbl"))            # the articles, side by side; the schedules follow in each language
    text = lambda tc: "".join(t.text or "" for t in tc.iter(qn("w:t")))
    rows = [[text(tc) for tc in tr.findall(qn("w:tc"))] for tr in table.iter(qn("w:tr"))]
    assert len(rows) > 60 and all(len(r) == 2 for r in rows)
    japanese = [en for ja, en in rows if JAPANESE.search(en)]
    assert japanese == [], japanese[:3]
    one_sided = [ja or en for ja, en in rows if bool(ja.strip()) != bool(en.strip())]
    assert one_sided == []
    assert not LEFTOVERS.search(docx_text(result.output)) and "●" not in docx_text(result.output)
