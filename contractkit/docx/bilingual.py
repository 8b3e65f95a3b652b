"""A bilingual draft (language: ja+en): Japanese on the left, English on the right, row by row
per article and paragraph. Each column is numbered by a Word list of its own (第１条 / Article 1,
項 / 1.1, 号 / (a)): a list counts only its own paragraphs, so the two run down the table side by
side and both renumber when an article is inserted. Cross-references are REF fields to each
column's own article bookmarks."""
from __future__ import annotations

from itertools import zip_longest
from pathlib import Path

from ..draft import Bilingual, Draft
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


def write_bilingual_redline(old: Bilingual, new: Bilingual, options, target: Path, marks) -> None:
    """A bilingual redline: NEW's table with tracked changes against OLD's, row by row (articles
    matched by clause id in both columns; a whole row inserted or deleted is marked on the row). A
    moved article's rows are deleted at its old place and inserted at its new one, their text a
    move (w:moveFrom / w:moveTo), each cell's inside a move range named after the article, its
    column and its row, the same name at both places."""
    from .. import redline as rl
    from ..draft import old_place_bookmark
    from .redline import Writer, _moved, _with_mark, bookmarked, closing_paragraph, heading_segments, with_old_properties
    from .redline import schedules_xml as redline_schedules

    style = options.style
    header = draft_header_text(options.draft_header, ("ja", "en"))
    ids: dict[str, int] = {}
    if options.comments:
        ids = {(lang, a.clause_id): i for i, (lang, a) in enumerate(
            [("ja", a) for a in commented_articles(new.ja)] + [("en", a) for a in commented_articles(new.en)])}
    changes = rl.articles(old.ja.articles, new.ja.articles)
    moved = {c.new.bookmark for c in changes if c.status == rl.MOVED_TO}
    writers = {"ja": Writer(marks, "ja", moved=moved), "en": Writer(marks, "en", en_bookmark, EN_LANG, moved=moved)}

    def cell_paras(lang: str, status: str, old_units, new_units, keep: bool = False, alone: bool = False) -> list[str]:
        """A cell's paragraphs: units are (style or level, segments); `alone`: the cell's only paragraph
        keeps its mark (a cell holds at least one paragraph)."""
        w = writers[lang]
        out = []
        pairs = rl.align(old_units or [], new_units or [], key=lambda u: rl.plain(u[1]))
        for s, a, b in pairs:
            s = status if status in WHOLE else s
            content, mark = w.content(s, a and a[1], b and b[1])
            level = (b or a)[0]
            numbered = _num(level, num_ids[lang]) if isinstance(level, int) else ""     # a deleted one: OLD's, for reject
            if status in WHOLE:
                mark = ""            # the row carries the change
            one_sided = alone and len(pairs) == 1 and status not in WHOLE and s in (rl.INSERTED, rl.DELETED)
            latin = LATIN + LEFT + EN_MARK if lang == "en" else ""
            xml = paragraph(st.CELL if isinstance(level, int) else level, content,
                            _with_mark((KEEP if keep else "") + numbered + latin,
                                       "" if alone and len(pairs) == 1 and not one_sided else mark))
            if a is not None and b is not None and a[0] != b[0]:     # a 項 that became a 号, say: OLD's numbering kept
                old_level = a[0]
                old_numbered = _num(old_level, num_ids[lang]) if isinstance(old_level, int) else ""
                xml = with_old_properties(marks, xml, st.CELL if isinstance(old_level, int) else old_level,
                                          (KEEP if keep else "") + old_numbered + latin)
            out.append(xml)
            if one_sided:
                # the column has a paragraph on one side only: the other side's empty cell paragraph
                # (as its draft writes it) comes and goes with it, so accepting or rejecting leaves that one
                other = marks.mark("ins" if s == rl.DELETED else "del")
                out.append(f"<w:p><w:pPr><w:rPr>{other}</w:rPr></w:pPr></w:p>")
        return out

    def row(status: str, left: list[str], right: list[str], width: int) -> str:
        props = "<w:cantSplit/>" + (marks.mark(TAG[status]) if status in (rl.INSERTED, rl.DELETED) else "")
        return f"<w:tr><w:trPr>{props}</w:trPr>{_cell(left, width)}{_cell(right, width)}</w:tr>"

    def units(paragraphs) -> list:
        return [(st.CELL, segs) for p in paragraphs for segs in [p.segments, *p.items]]

    def article_rows(change, change_en, half: int, bookmark_ids, move_name: str) -> list[str]:
        status = change.status
        whole = status in WHOLE
        row_status = {rl.MOVED_FROM: rl.DELETED, rl.MOVED_TO: rl.INSERTED}.get(status, status)
        rows_out = []         # (row status, left cell's paragraphs, right cell's)
        heads = []
        for lang, ch, bid in (("ja", change, bookmark_ids[0]), ("en", change_en, bookmark_ids[1])):
            w = writers[lang]
            a, b = ch.old, ch.new
            hs = status if whole else (rl.SAME if a.heading == b.heading else rl.CHANGED)
            content, _ = w.content(hs, a and heading_segments(a, lang), b and heading_segments(b, lang))
            article = b if b is not None and status != rl.MOVED_FROM else a
            name = en_bookmark(article.bookmark) if lang == "en" else article.bookmark
            # a moved article's old place: a bookmark of its own (see docx.redline.Writer.runs)
            name = old_place_bookmark(name) if status == rl.MOVED_FROM else name
            comment = ids.get((lang, b.clause_id)) if b is not None else None
            content = bookmarked(content, status if status in (rl.MOVED_FROM, rl.MOVED_TO) else rl.SAME, name, bid,
                                 comment, EN_LANG if lang == "en" else "")
            heads.append(_p(st.CELL_HEAD, content, lang, numbered=_num(ARTICLE, num_ids[lang]), keep=True))
        rows_out.append((row_status if whole else rl.SAME, [heads[0]], [heads[1]]))
        old_rows = list(zip_longest(_levels(change.old, "ja"), _levels(change_en.old, "en"))) if change.old else []
        new_rows = list(zip_longest(_levels(change.new, "ja"), _levels(change_en.new, "en"))) if change.new else []
        if whole:
            pairs = [(status, r, r) for r in (new_rows if row_status == rl.INSERTED else old_rows)]
        else:
            pairs = rl.align(old_rows, new_rows, key=lambda r: "\t".join(rl.plain(u[1]) if u else "" for u in r))
        for s, a, b in pairs:
            cells = []
            for k, lang in enumerate(("ja", "en")):
                ua, ub = a and a[k], b and b[k]
                cells.append(cell_paras(lang, s, [ua] if ua else [], [ub] if ub else [], alone=True))
            rows_out.append((row_status if whole else s if s in (rl.INSERTED, rl.DELETED) else rl.SAME, *cells))
        if status in (rl.MOVED_FROM, rl.MOVED_TO):
            tag = "moveFrom" if status == rl.MOVED_FROM else "moveTo"
            rows_out = [(s, _moved(marks, tag, left, f"{move_name}_ja{r}"), _moved(marks, tag, right, f"{move_name}_en{r}"))
                        for r, (s, left, right) in enumerate(rows_out)]
        return [row(s, left, right, half) for s, left, right in rows_out]

    def document(sect: str | None, ids_of_lists: dict[str, int]) -> str:
        nonlocal num_ids
        num_ids = ids_of_lists
        width = usable_width(style, sect)
        half = width // 2
        rows = [row(rl.SAME, cell_paras("ja", rl.SAME, units(old.ja.preamble), units(new.ja.preamble), alone=True),
                    cell_paras("en", rl.SAME, units(old.en.preamble), units(new.en.preamble), alone=True), half)]
        en_old = {a.clause_id: a for a in old.en.articles}
        en_new = {a.clause_id: a for a in new.en.articles}
        bid = 10
        moves = {a.clause_id: k for k, a in enumerate(new.ja.articles)}
        for change in changes:
            cid = (change.new or change.old).clause_id
            change_en = rl.ArticleChange(change.status, en_old.get(cid) if change.old else None,
                                         en_new.get(cid) if change.new else None)
            rows += article_rows(change, change_en, half, (bid, bid + 1), f"ckMove{moves.get(cid, 0)}")
            bid += 2
        closing_old = units(old.ja.closing + old.ja.date_line), units(old.en.closing + old.en.date_line)
        closing_new = units(new.ja.closing + new.ja.date_line), units(new.en.closing + new.en.date_line)
        keep = bool(new.ja.signatures)
        rows.append(row(rl.SAME, cell_paras("ja", rl.SAME, closing_old[0], closing_new[0], keep, True),
                        cell_paras("en", rl.SAME, closing_old[1], closing_new[1], keep, True), half))
        signatures = list(zip_longest(zip(old.ja.signatures, old.en.signatures), zip(new.ja.signatures, new.en.signatures)))
        for i, (a, b) in enumerate(signatures):
            s = rl.SAME if a and b else rl.INSERTED if b else rl.DELETED
            last = i == len(signatures) - 1
            rows.append(row(s, cell_paras("ja", s, a and units(a[0]), b and units(b[0]), not last, True),
                            cell_paras("en", s, a and units(a[1]), b and units(b[1]), not last, True), half))
        table = (f'<w:tbl><w:tblPr><w:tblW w:w="{half * 2}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
                 '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
                 f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{"".join(rows)}</w:tbl>')
        title = writers["ja"].para(st.TITLE, rl.SAME if old.ja.title == new.ja.title else rl.CHANGED, [old.ja.title], [new.ja.title])
        title_en = writers["en"].para(st.TITLE, rl.SAME if old.en.title == new.en.title else rl.CHANGED, [old.en.title],
                                      [new.en.title], ppr=LATIN + EN_MARK)
        body = [title, title_en, table, "<w:p/>"]
        ja_s = redline_schedules(writers["ja"], old.ja, new.ja, width, bid + 1)
        en_s = redline_schedules(writers["en"], old.en, new.en, width, bid + 100, en_bookmark, LATIN + LEFT + EN_MARK)
        for k in range(0, max(len(ja_s), len(en_s)), 2):
            body += ja_s[k:k + 2] + en_s[k:k + 2]
        body += closing_paragraph(marks, old.ja, new.ja)
        return wrap_body(body, style, header=bool(header), sect=sect)

    num_ids: dict[str, int] = {}
    TAG = {rl.INSERTED: "ins", rl.DELETED: "del"}
    WHOLE = (rl.INSERTED, rl.DELETED, rl.MOVED_FROM, rl.MOVED_TO)     # an article's rows all marked
    new.ja.created = new.en.created = marks.date
    write_package(target, style, "ja", f"{new.ja.title} / {new.en.title}", stamp_properties(new.ja), document,
                  comments_xml(new.ja, new.en) if ids else None, options.reference, lists=("ja", "en"), header=header)
