"""A bilingual draft (language: ja+en): Japanese on the left, English on the right, row by row
per article and paragraph. Numbers and cross-references are written out in each column, since a
Word list cannot run down two columns of one table."""
from __future__ import annotations

import re
from itertools import zip_longest
from pathlib import Path

from ..assemble import Draft, article_number_text
from . import styles as st
from .document import commented, commented_articles, comments_xml, segments_xml, wrap_body
from .ooxml import paragraph, run, twips
from .package import stamp_properties, utc_now, write_package

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# English in a Japanese document: wrap at word boundaries and do not stretch lines to the grid
LATIN = '<w:wordWrap w:val="1"/><w:snapToGrid w:val="0"/>'
LEFT = '<w:jc w:val="left"/>'


def _p(style: str, content: str, lang: str, align: str = LEFT) -> str:
    if lang == "en":  # runs marked English, or LibreOffice breaks Latin words like Japanese text
        content = (content.replace("</w:rPr><w:t ", '<w:lang w:val="en-US"/></w:rPr><w:t ')
                   .replace("<w:r><w:t ", '<w:r><w:rPr><w:lang w:val="en-US"/></w:rPr><w:t '))
    return paragraph(style, content, LATIN + align if lang == "en" else "")


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


def _row(left: list[str], right: list[str], width: int) -> str:
    props = "<w:trPr><w:cantSplit/></w:trPr>"
    return f"<w:tr>{props}{_cell(left, width)}{_cell(right, width)}</w:tr>"


def _paras(paragraphs, style: str, lang: str) -> list[str]:
    out = []
    for p in paragraphs:
        out.append(_p(style, segments_xml(p.segments, lang, refs_as_fields=False), lang))
        out += [_p(style, segments_xml(item, lang, refs_as_fields=False), lang) for item in p.items]
    return out


def _usable_width(style: dict, sect: str | None) -> int:
    """Twips between the margins: of a reference template's section when there is one."""
    if sect:
        width = re.search(r'<w:pgSz\b[^>]*\bw:w="(\d+)"', sect)
        margins = re.search(r"<w:pgMar\b[^>]*>", sect)
        left = re.search(r'\bw:left="(\d+)"', margins.group(0)) if margins else None
        right = re.search(r'\bw:right="(\d+)"', margins.group(0)) if margins else None
        if width and left and right:
            return int(width.group(1)) - int(left.group(1)) - int(right.group(1))
    page = style["page"]
    return twips(page["width_mm"] - page["margins_mm"]["left"] - page["margins_mm"]["right"])


def _table(ja: Draft, en: Draft, comment_ids: dict[int, int], half: int) -> str:
    rows = [_row(_paras(ja.preamble, st.CELL, "ja"), _paras(en.preamble, st.CELL, "en"), half)]
    for a_ja, a_en in zip(ja.articles, en.articles):
        head_ja = run(f"{article_number_text(a_ja.number, 'ja')}（{a_ja.heading}）")
        head_en = run(f"{article_number_text(a_en.number, 'en')}  {a_en.heading}")
        rows.append(_row([paragraph(st.CELL_HEAD, commented(head_ja, comment_ids.get(id(a_ja))))],
                         [_p(st.CELL_HEAD, commented(head_en, comment_ids.get(id(a_en))), "en")], half))
        for left, right in zip_longest(_numbered(a_ja, "ja"), _numbered(a_en, "en")):
            rows.append(_row([paragraph(st.CELL, run(left[0]) + segments_xml(left[1], "ja", False))] if left else [],
                             [_p(st.CELL, run(right[0]) + segments_xml(right[1], "en", False), "en")] if right else [],
                             half))
    rows.append(_row(_paras(ja.closing + ja.date_line, st.CELL, "ja"), _paras(en.closing + en.date_line, st.CELL, "en"), half))
    for s_ja, s_en in zip(ja.signatures, en.signatures):
        rows.append(_row(_paras(s_ja, st.CELL, "ja"), _paras(s_en, st.CELL, "en"), half))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{half * 2}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{"".join(rows)}</w:tbl>')


def write_bilingual(ja: Draft, en: Draft, style: dict, target: Path, comments: bool = True,
                    reference: Path | None = None) -> None:
    ids: dict[int, int] = {}
    if comments:  # the Japanese reasoning on the left heading, the English on the right
        ids = {id(a): i for i, a in enumerate(commented_articles(ja) + commented_articles(en))}

    def document(sect: str | None) -> str:
        table = _table(ja, en, ids, _usable_width(style, sect) // 2)
        body = [paragraph(st.TITLE, run(ja.title)), _p(st.TITLE, run(en.title), "en", align=""), table, "<w:p/>"]
        return wrap_body(body, style, sect=sect)

    ja.created = en.created = utc_now()
    write_package(target, style, "ja", f"{ja.title} / {en.title}", stamp_properties(ja), document,
                  comments_xml(ja, en) if ids else None, reference)
