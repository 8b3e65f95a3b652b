"""A bilingual draft (language: ja+en): Japanese on the left, English on the right, row by row
per article and paragraph. Each column is numbered by a Word list of its own (第１条 / Article 1,
項 / 1.1, 号 / (a)): a list counts only its own paragraphs, so the two run down the table side by
side and both renumber when an article is inserted. Cross-references are REF fields to each
column's own article bookmarks."""
from __future__ import annotations

from itertools import zip_longest
from pathlib import Path

from ..draft import Draft
from . import styles as st
from .document import (commented, commented_articles, comments_xml, heading_xml, schedules_xml, segments_xml,
                       usable_width, wrap_body)
from .ooxml import paragraph, run
from .package import draft_header_text, stamp_properties, utc_now, write_package

# English in a Japanese document: wrap at word boundaries and do not stretch lines to the grid
LATIN = '<w:wordWrap w:val="1"/><w:snapToGrid w:val="0"/>'
LEFT = '<w:jc w:val="left"/>'
EN_LANG = '<w:lang w:val="en-US"/>'
EN_MARK = f"<w:rPr>{EN_LANG}</w:rPr>"
# list levels (see styles.LEVELS): article, first paragraph, its items, numbered 項, their items
ARTICLE, FIRST, FIRST_ITEM, PARA, ITEM = range(5)


def en_bookmark(name: str) -> str:
    """The English column's bookmark for an article (or a schedule) whose Japanese heading carries `name`."""
    if name.startswith("ckSch_"):
        return ("ckSchEN_" + name.removeprefix("ckSch_"))[:40]
    return ("ckEN_" + name.removeprefix("ck_"))[:40]


def _rpr(lang: str) -> str:
    """Every English run is marked English (a field's too), or LibreOffice sets Latin words as Japanese text."""
    return EN_LANG if lang == "en" else ""


KEEP = "<w:keepNext/>"


def _p(style: str, content: str, lang: str, align: str = LEFT, numbered: str = "", keep: bool = False) -> str:
    """A cell paragraph of runs built with `_rpr(lang)`; `numbered`: its numPr (which comes first
    among these properties, after keepNext: `keep`, the row stays on the page of the next one)."""
    # the paragraph mark's language is the list number's too ("Article 1" set as Latin text)
    return paragraph(style, content, (KEEP if keep else "") + numbered + (LATIN + align + EN_MARK if lang == "en" else ""))


def _num(level: int, num_id: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _levels(article, lang: str) -> list[tuple[int, list]]:
    """(list level, segments) for each paragraph and item of an article, as the single-language
    draft numbers them: English numbers every paragraph of a multi-paragraph article (3.1, 3.2),
    Japanese leaves the first 項 unnumbered."""
    out = []
    numbered_first = lang == "en" and len(article.paragraphs) > 1
    for i, para in enumerate(article.paragraphs):
        first = i == 0 and not numbered_first
        out.append((FIRST if first else PARA, para.segments))
        out += [(FIRST_ITEM if first else ITEM, item) for item in para.items]
    return out


def _cell(content: list[str], width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(content) or "<w:p/>"}</w:tc>'


def _row(left: list[str], right: list[str], width: int) -> str:
    props = "<w:trPr><w:cantSplit/></w:trPr>"
    return f"<w:tr>{props}{_cell(left, width)}{_cell(right, width)}</w:tr>"


def _paras(paragraphs, style: str, lang: str, keep: bool = False) -> list[str]:
    bookmark = en_bookmark if lang == "en" else None
    out = []
    for p in paragraphs:
        out.append(_p(style, segments_xml(p.segments, lang, bookmark, _rpr(lang)), lang, keep=keep))
        out += [_p(style, segments_xml(item, lang, bookmark, _rpr(lang)), lang, keep=keep) for item in p.items]
    return out


def _table(ja: Draft, en: Draft, comment_ids: dict[int, int], num_ids: dict[str, int], half: int) -> str:
    rows = [_row(_paras(ja.preamble, st.CELL, "ja"), _paras(en.preamble, st.CELL, "en"), half)]
    for i, (a_ja, a_en) in enumerate(zip(ja.articles, en.articles)):
        head_ja = commented(heading_xml(a_ja, "ja", 2 * i), comment_ids.get(id(a_ja)))
        head_en = commented(heading_xml(a_en, "en", 2 * i + 1, en_bookmark(a_en.bookmark), EN_LANG),
                            comment_ids.get(id(a_en)), EN_LANG)
        # a heading row never ends a page: every paragraph of a row keeps with the next, so Word
        # and LibreOffice keep the row with the next row
        rows.append(_row([_p(st.CELL_HEAD, head_ja, "ja", numbered=_num(ARTICLE, num_ids["ja"]), keep=True)],
                         [_p(st.CELL_HEAD, head_en, "en", numbered=_num(ARTICLE, num_ids["en"]), keep=True)], half))
        for left, right in zip_longest(_levels(a_ja, "ja"), _levels(a_en, "en")):
            cell_ja = [_p(st.CELL, segments_xml(left[1], "ja"), "ja", numbered=_num(left[0], num_ids["ja"]))] if left else []
            cell_en = [_p(st.CELL, segments_xml(right[1], "en", en_bookmark, EN_LANG), "en",
                          numbered=_num(right[0], num_ids["en"]))] if right else []
            rows.append(_row(cell_ja, cell_en, half))
    # the closing, date and signature rows keep together (through the last signature row)
    signatures = list(zip(ja.signatures, en.signatures))
    rows.append(_row(_paras(ja.closing + ja.date_line, st.CELL, "ja", keep=bool(signatures)),
                     _paras(en.closing + en.date_line, st.CELL, "en", keep=bool(signatures)), half))
    for i, (s_ja, s_en) in enumerate(signatures):
        last = i == len(signatures) - 1
        rows.append(_row(_paras(s_ja, st.CELL, "ja", keep=not last), _paras(s_en, st.CELL, "en", keep=not last), half))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{half * 2}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{"".join(rows)}</w:tbl>')


def write_bilingual(ja: Draft, en: Draft, style: dict, target: Path, comments: bool = True,
                    reference: Path | None = None, draft_header: tuple[str, str] | None = None) -> None:
    header = draft_header_text(draft_header, ("ja", "en"))
    ids: dict[int, int] = {}
    if comments:  # the Japanese reasoning on the left heading, the English on the right
        ids = {id(a): i for i, a in enumerate(commented_articles(ja) + commented_articles(en))}

    def document(sect: str | None, num_ids: dict[str, int]) -> str:
        width = usable_width(style, sect)
        table = _table(ja, en, ids, num_ids, width // 2)
        body = [paragraph(st.TITLE, run(ja.title)), _p(st.TITLE, run(en.title, EN_LANG), "en", align=""), table, "<w:p/>"]
        # the schedules: each in Japanese, then in English (two texts, each referred to by its own column)
        first = 2 * len(ja.articles)
        ja_schedules = schedules_xml(ja, width, first)
        en_schedules = schedules_xml(en, width, first + len(ja.schedules), en_bookmark, EN_LANG, LATIN + LEFT + EN_MARK)
        for k in range(0, max(len(ja_schedules), len(en_schedules)), 2):
            body += ja_schedules[k:k + 2] + en_schedules[k:k + 2]
        if ja.schedules or en.schedules:
            body.append("<w:p/>")
        return wrap_body(body, style, header=bool(header), sect=sect)

    ja.created = en.created = utc_now()
    write_package(target, style, "ja", f"{ja.title} / {en.title}", stamp_properties(ja), document,
                  comments_xml(ja, en) if ids else None, reference, lists=("ja", "en"), header=header)

