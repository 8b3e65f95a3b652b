"""A bilingual draft (language: ja+en): Japanese on the left, English on the right, row by row
per article and paragraph. Numbers and cross-references are written out in each column, since a
Word list cannot run down two columns of one table."""
from __future__ import annotations

from itertools import zip_longest
from pathlib import Path

from ..assemble import Draft, article_number_text
from . import styles as st
from .document import segments_xml, wrap_body
from .ooxml import paragraph, run
from .package import package_parts, stamp_properties, write_parts

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# English in a Japanese document: wrap at word boundaries and do not stretch lines to the grid
LATIN = '<w:wordWrap w:val="1"/><w:snapToGrid w:val="0"/><w:jc w:val="left"/>'


def _p(style: str, content: str, lang: str) -> str:
    if lang == "en":  # runs marked English, or LibreOffice breaks Latin words like Japanese text
        content = (content.replace("</w:rPr><w:t ", '<w:lang w:val="en-US"/></w:rPr><w:t ')
                   .replace("<w:r><w:t ", '<w:r><w:rPr><w:lang w:val="en-US"/></w:rPr><w:t '))
    return paragraph(style, content, LATIN if lang == "en" else "")


def _numbered(article, lang: str) -> list[tuple[str, list]]:
    """(number prefix, segments) for each paragraph and item of an article, as Word would number them."""
    out = []
    numbered_first = lang == "en" and len(article.paragraphs) > 1
    for i, para in enumerate(article.paragraphs):
        if lang == "ja":
            prefix = "" if i == 0 else f"{str(i + 1).translate(FULLWIDTH)}\u3000"
        else:
            prefix = f"{article.number}.{i + 1} " if numbered_first else ""
        out.append((prefix, para.segments))
        for j, item in enumerate(para.items):
            mark = f"（{str(j + 1).translate(FULLWIDTH)}）" if lang == "ja" else f"({LETTERS[j % 26]}) "
            out.append((mark, item))
    return out


def _cell(content: list[str], width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(content) or "<w:p/>"}</w:tc>'


def _row(left: list[str], right: list[str], width: int, keep_next: bool = False) -> str:
    props = "<w:trPr><w:cantSplit/></w:trPr>"
    return f"<w:tr>{props}{_cell(left, width)}{_cell(right, width)}</w:tr>"


def _paras(paragraphs, style: str, lang: str) -> list[str]:
    out = []
    for p in paragraphs:
        out.append(_p(style, segments_xml(p.segments, lang, refs_as_fields=False), lang))
        out += [_p(style, segments_xml(item, lang, refs_as_fields=False), lang) for item in p.items]
    return out


def write_bilingual(ja: Draft, en: Draft, style: dict, target: Path) -> None:
    page = style["page"]
    usable = round((page["width_mm"] - page["margins_mm"]["left"] - page["margins_mm"]["right"]) * 1440 / 25.4)
    half = usable // 2
    rows = [_row(_paras(ja.preamble, st.CELL, "ja"), _paras(en.preamble, st.CELL, "en"), half)]
    for a_ja, a_en in zip(ja.articles, en.articles):
        rows.append(_row([paragraph(st.CELL_HEAD, run(f"{article_number_text(a_ja.number, 'ja')}（{a_ja.heading}）"))],
                         [_p(st.CELL_HEAD, run(f"{article_number_text(a_en.number, 'en')}  {a_en.heading}"), "en")], half))
        for left, right in zip_longest(_numbered(a_ja, "ja"), _numbered(a_en, "en")):
            rows.append(_row([paragraph(st.CELL, run(left[0]) + segments_xml(left[1], "ja", False))] if left else [],
                             [_p(st.CELL, run(right[0]) + segments_xml(right[1], "en", False), "en")] if right else [],
                             half))
    rows.append(_row(_paras(ja.closing + ja.date_line, st.CELL, "ja"), _paras(en.closing + en.date_line, st.CELL, "en"), half))
    for s_ja, s_en in zip(ja.signatures, en.signatures):
        rows.append(_row(_paras(s_ja, st.CELL, "ja"), _paras(s_en, st.CELL, "en"), half))
    table = (f'<w:tbl><w:tblPr><w:tblW w:w="{half * 2}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
             f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{"".join(rows)}</w:tbl>')
    body = [paragraph(st.TITLE, run(ja.title)), _p(st.TITLE, run(en.title), "en"), table, "<w:p/>"]
    title = f"{ja.title} / {en.title}"
    write_parts(package_parts(wrap_body(body, style), style, "ja", title, stamp_properties(ja)), target)
