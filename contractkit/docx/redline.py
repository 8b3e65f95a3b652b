"""A redline: the NEW draft written with native Word tracked changes against OLD (w:ins, w:del,
w:moveFrom / w:moveTo, each with w:author and w:date), from the comparison in contractkit.redline.

A paragraph wholly inserted or deleted has its paragraph mark inserted or deleted too (w:pPr/
w:rPr/w:ins|w:del), so that accepting or rejecting every change leaves no empty paragraph; in a
bilingual draft whole rows are inserted or deleted (w:trPr/w:ins|w:del). Equal text and
references are written from NEW (references with NEW's numbers: Word renumbers fields anyway).
A moved article's heading has its own bookmark at the new place (inside the moveTo) and
`draft.old_place_bookmark` of it at the old (inside the moveFrom), and every reference to it
changes its field's code from the one to the other (Writer.runs): accept-all is exactly NEW, and
after reject-all each reference points at the paragraph OLD's points at."""
from __future__ import annotations

import re
from itertools import zip_longest

from .. import redline as rl
from ..draft import Bilingual, Draft, Ref, old_place_bookmark
from . import styles as st
from .document import (TABLE_BORDERS, column_widths, commented, commented_articles, comments_xml, ref_instruction,
                       segments_xml, usable_width, wrap_body)
from .ooxml import as_deleted, esc, field, instruction_run, paragraph, run
from .package import draft_header_text, stamp_properties, utc_now, write_package


class Marks:
    """Revision ids, the author and the date of every change of one redline."""

    def __init__(self, author: str, date: str):
        self.author, self.date, self.next = author, date, 1

    def attrs(self) -> str:
        self.next += 1
        return f'w:id="{self.next}" w:author="{esc(self.author)}" w:date="{self.date}"'

    def wrap(self, tag: str, content: str) -> str:
        if not content:
            return ""
        if tag in ("del", "moveFrom"):
            content = as_deleted(content)
        return f"<w:{tag} {self.attrs()}>{content}</w:{tag}>"

    def mark(self, tag: str) -> str:
        return f"<w:{tag} {self.attrs()}/>"


def _with_mark(ppr: str, mark: str) -> str:
    """Paragraph properties `ppr` with `mark` (a revision of the paragraph mark) first in their w:rPr."""
    if not mark:
        return ppr
    if "<w:rPr>" in ppr:
        return ppr.replace("<w:rPr>", "<w:rPr>" + mark, 1)
    return ppr + f"<w:rPr>{mark}</w:rPr>"


def with_old_properties(marks: Marks, xml: str, old_style: str, old_ppr: str = "") -> str:
    """A paragraph `xml` (as `ooxml.paragraph` writes it) whose properties differ from OLD's
    (`old_style`, `old_ppr`: its numbering, as the old draft wrote it) carries OLD's in a
    w:pPrChange, so that rejecting the change restores them (a 項 that became a 号, say)."""
    start, end = xml.index("<w:pPr>") + len("<w:pPr>"), xml.index("</w:pPr>")
    old = f'<w:pStyle w:val="{old_style}"/>' + _RPR.sub("", old_ppr)
    if _RPR.sub("", xml[start:end]) == old:
        return xml
    return f'{xml[:end]}<w:pPrChange {marks.attrs()}><w:pPr>{old}</w:pPr></w:pPrChange>{xml[end:]}'


_RPR = re.compile(r"<w:rPr>.*?</w:rPr>|<w:rPr/>", re.S)

TAG = {rl.INSERTED: "ins", rl.DELETED: "del", rl.MOVED_FROM: "moveFrom", rl.MOVED_TO: "moveTo"}


class Writer:
    """The runs of a redline's paragraphs in one language (`bookmark`: the names the references
    point at, as the column's headings carry them; `moved`: the model's bookmarks of the moved
    articles, whose old place carries `old_place_bookmark` of the name)."""

    def __init__(self, marks: Marks, lang: str, bookmark=None, rpr: str = "", moved=frozenset()):
        self.marks, self.lang, self.bookmark, self.rpr, self.moved = marks, lang, bookmark, rpr, moved

    def name(self, bookmark: str) -> str:
        return self.bookmark(bookmark) if self.bookmark else bookmark

    def runs(self, segments: list, side: str = "=") -> str:
        """The runs of `segments`, text of OLD only (`side` "-": deleted or moved away), of NEW only
        ("+") or of both ("="). A reference to a moved article points at its old place in OLD's text
        and at its new place in NEW's; in text of both its instruction is a tracked change from the
        one to the other (w:ins of w:instrText, then w:del of w:delInstrText, as ECMA-376's example of
        delInstrText has it), so that rejecting every change leaves it pointing where OLD's does. Its
        cached number is NEW's (no change). (LibreOffice keeps a field's first instruction and drops
        the change: NEW's, so that its accept-all points where NEW's does, as before.)"""
        if not self.moved:
            return segments_xml(segments, self.lang, self.bookmark, self.rpr)
        out = []
        for seg in segments:
            if not (isinstance(seg, Ref) and seg.bookmark in self.moved):
                out.append(segments_xml([seg], self.lang, self.bookmark, self.rpr))
                continue
            name = self.name(seg.bookmark)
            old, new = ref_instruction(seg, old_place_bookmark(name)), ref_instruction(seg, name)
            code = None
            if side == "=":
                code = (self.marks.wrap("ins", instruction_run(new, self.rpr))
                        + self.marks.wrap("del", instruction_run(old, self.rpr)))
            out.append(field(old if side == "-" else new, seg.text, self.rpr, code))
        return "".join(out)

    def content(self, status: str, old: list | None, new: list | None) -> tuple[str, str]:
        """(runs, paragraph-mark revision) of one paragraph."""
        if status in TAG:
            added = status in (rl.INSERTED, rl.MOVED_TO)
            xml = self.runs(new if added else old, "+" if added else "-")
            return self.marks.wrap(TAG[status], xml), self.marks.mark(TAG[status])
        if status == rl.SAME:
            return self.runs(new), ""
        out = []
        for op, segments in rl.inline(old, new, self.lang):
            xml = self.runs(segments, op)
            out.append(xml if op == "=" else self.marks.wrap("del" if op == "-" else "ins", xml))
        return "".join(out), ""

    def para(self, style: str, status: str, old, new, ppr: str = "", wrap=None, old_style: str | None = None) -> str:
        """A paragraph; `old_style`: OLD's style, when OLD has the paragraph too (its change is marked)."""
        content, mark = self.content(status, old, new)
        if wrap:
            content = wrap(content)
        xml = paragraph(style, content, _with_mark(ppr, mark))
        return xml if old_style is None or old_style == style else with_old_properties(self.marks, xml, old_style, ppr)


def bookmarked(content: str, status: str, name: str, bookmark_id: int, comment_id, rpr: str = "") -> str:
    """An article heading's runs `content` inside its bookmark `name` (and its comment's range,
    unless OLD's text only). In a heading inserted, deleted or moved as a whole the bookmark is
    inside the revision: it goes when the revision goes (the insertion or move here rejected, the
    deletion or move away accepted), as the article does, and stays when it stays."""
    start, end = f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{esc(name)}"/>', f'<w:bookmarkEnd w:id="{bookmark_id}"/>'
    if status in TAG and content:
        cut, tag = content.index(">") + 1, TAG[status]
        content = content[:cut] + start + content[cut:-len(f"</w:{tag}>")] + end + f"</w:{tag}>"
        return content if status in (rl.DELETED, rl.MOVED_FROM) else commented(content, comment_id, rpr)
    return commented(start + content + end, comment_id, rpr)


def heading_segments(article, lang: str) -> list:
    return [article.heading if lang == "en" else f"（{article.heading}）"]


def _moved(marks: Marks, tag: str, paragraphs: list[str], name: str) -> list[str]:
    """A moved article's paragraphs inside a named move range (moveFromRangeStart … End)."""
    if not paragraphs:
        return paragraphs
    start = f'<w:{tag}RangeStart {marks.attrs()} w:name="{name}"/>'
    end_id = marks.next
    end = f'<w:{tag}RangeEnd w:id="{end_id}"/>'
    first = paragraphs[0]
    cut = first.index("</w:pPr>") + len("</w:pPr>")
    paragraphs = [first[:cut] + start + first[cut:]] + paragraphs[1:]
    paragraphs[-1] = paragraphs[-1][:-len("</w:p>")] + end + "</w:p>"
    return paragraphs


def _units(article, lang: str) -> list[tuple[str, list]]:
    """(style, segments) of each paragraph and item of an article, as document._article_xml writes them."""
    out = []
    numbered_first = lang == "en" and len(article.paragraphs) > 1
    for i, para in enumerate(article.paragraphs):
        first = i == 0 and not numbered_first
        out.append((st.PARA_FIRST if first else st.PARA, para.segments))
        out += [(st.ITEM_FIRST if first else st.ITEM, item) for item in para.items]
    return out


def _plain_units(paragraphs, style: str) -> list[tuple[str, list]]:
    return [(style, segs) for p in paragraphs for segs in [p.segments, *p.items]]


def _aligned(w: Writer, old: list, new: list) -> list[str]:
    out = []
    for status, a, b in rl.align(old, new, key=lambda u: rl.plain(u[1])):
        style = (b or a)[0]
        out.append(w.para(style, status, a and a[1], b and b[1], old_style=a[0] if a and b else None))
    return out


def _article_paragraphs(w: Writer, change, bookmark_id: int, comment_id, bookmark_name=None) -> list[str]:
    lang = w.lang
    status, old, new = change.status, change.old, change.new
    whole = status in TAG
    article = new if status in (rl.INSERTED, rl.MOVED_TO, rl.SAME) else old

    def head(content: str) -> str:
        name = bookmark_name(article.bookmark) if bookmark_name else article.bookmark
        if status == rl.MOVED_FROM:
            # a name is one bookmark (ECMA-376 17.13.6.2: of bookmarks sharing a name the first in
            # document order is kept), so the old place has a name of its own, which OLD's text of the
            # references points at (Writer.runs); the comment stands at the new place only
            name = old_place_bookmark(name)
        return bookmarked(content, status, name, bookmark_id, comment_id, w.rpr)


    heading_status = status if whole else (rl.SAME if old.heading == new.heading else rl.CHANGED)
    out = [w.para(st.ARTICLE, heading_status, old and heading_segments(old, lang), new and heading_segments(new, lang),
                  wrap=head)]
    if whole:
        out += [w.para(style, status, segs, segs) for style, segs in _units(article, lang)]
    else:
        out += _aligned(w, _units(old, lang), _units(new, lang))
    return out


def document_xml(old: Draft, new: Draft, marks: Marks, style: dict, comments: bool, sect, header: bool) -> str:
    lang = new.lang
    changes = rl.articles(old.articles, new.articles)
    w = Writer(marks, lang, moved={c.new.bookmark for c in changes if c.status == rl.MOVED_TO})
    body = [w.para(st.TITLE, rl.SAME if old.title == new.title else rl.CHANGED, [old.title], [new.title])]
    body += _aligned(w, _plain_units(old.preamble, st.PREAMBLE), _plain_units(new.preamble, st.PREAMBLE))
    comment_ids = {a.clause_id: i for i, a in enumerate(commented_articles(new))} if comments else {}
    bookmark_id, move = len(new.articles) + len(new.schedules) + 10, 0
    for change in changes:
        bookmark_id += 1
        cid = (change.new or change.old).clause_id
        paras = _article_paragraphs(w, change, bookmark_id, comment_ids.get(cid) if change.new is not None else None)
        if change.status in (rl.MOVED_FROM, rl.MOVED_TO):
            paras = _moved(marks, TAG[change.status], paras, f"ckMove_{cid.replace('-', '_')}"[:40])
        body += paras
    closing_old = (_plain_units(old.closing, st.CLOSING) + _plain_units(old.date_line, st.DATE)
                   + [(st.SIGNATURE_HEAD if j == 0 else st.SIGNATURE, p.segments) for b in old.signatures for j, p in enumerate(b)])
    closing_new = (_plain_units(new.closing, st.CLOSING) + _plain_units(new.date_line, st.DATE)
                   + [(st.SIGNATURE_HEAD if j == 0 else st.SIGNATURE, p.segments) for b in new.signatures for j, p in enumerate(b)])
    body += _aligned(w, closing_old, closing_new)
    body += schedules_xml(w, old, new, usable_width(style, sect), bookmark_id + 1)
    body += closing_paragraph(marks, old, new)
    return wrap_body(body, style, header=header, sect=sect)


def closing_paragraph(marks: Marks, old: Draft, new: Draft) -> list[str]:
    """The empty paragraph after the schedules (a body does not end in a table): inserted or deleted
    with them when only one draft has schedules."""
    if not (old.schedules or new.schedules):
        return []
    if old.schedules and new.schedules:
        return ["<w:p/>"]
    return [f"<w:p><w:pPr><w:rPr>{marks.mark('ins' if new.schedules else 'del')}</w:rPr></w:pPr></w:p>"]


def schedules_xml(w: Writer, old: Draft, new: Draft, width: int, bookmark_id: int, bookmark=None, ppr: str = "") -> list[str]:
    """The schedules, matched by the point whose records they hold: column headings and rows
    compared by their text. A schedule whose columns are not as many as OLD's (a field added or
    removed; Word tracks no column added to a table) keeps its heading, with the bookmark the REF
    fields point at, and has one table: OLD's rows, each deleted, then NEW's, each inserted, on a
    grid of both tables' column edges (a cell spans the grid columns between its edges), so that
    accept-all and reject-all each leave that schedule's table under its bookmark."""
    from .document import SCHEDULE_SEQ
    from .ooxml import field
    lang, marks, rpr, out = w.lang, w.marks, w.rpr, []
    by_old = {s.point: s for s in old.schedules}
    new_points = {s.point for s in new.schedules}
    # NEW's order; a schedule only OLD has before the one it preceded in OLD
    before: dict[str, list] = {}
    pending: list = []
    for s in old.schedules:
        if s.point in new_points:
            before[s.point], pending = pending, []
        else:
            pending.append((s, None))
    listed = [x for s in new.schedules for x in before.get(s.point, []) + [(by_old.get(s.point), s)]] + pending
    for k, (before, after) in enumerate(listed):
        schedule = after or before
        status = rl.INSERTED if before is None else rl.DELETED if after is None else rl.SAME
        regrid = status == rl.SAME and len(before.columns) != len(after.columns)
        name = bookmark(schedule.bookmark) if bookmark else schedule.bookmark
        word = "別紙" if lang == "ja" else "Schedule "
        seq = field(f"SEQ {SCHEDULE_SEQ[lang]} " + "\\* ARABIC", str(schedule.number), rpr)
        title_old = before and [(f"（{before.title}）" if lang == "ja" else f": {before.title}")]
        title_new = after and [(f"（{after.title}）" if lang == "ja" else f": {after.title}")]
        start, end = f'<w:bookmarkStart w:id="{bookmark_id + k}" w:name="{esc(name)}"/>', f'<w:bookmarkEnd w:id="{bookmark_id + k}"/>'
        number = run(word, rpr) + seq
        if status in TAG:        # the bookmark inside the deletion (insertion), so that it goes with it
            number = marks.wrap(TAG[status], start + number + end)
        else:
            number = start + number + end
        title_status = status if status in TAG else rl.SAME if title_old == title_new else rl.CHANGED
        title, mark = w.content(title_status, title_old, title_new)
        out.append(paragraph(st.SCHEDULE_HEAD, number + title, _with_mark(ppr, mark if status in TAG else "")))
        old_widths = column_widths(before, width) if before else None
        new_widths = column_widths(after, width) if after else None
        widths = new_widths or old_widths
        if regrid:       # the grid: every column edge of either table
            edges = sorted(set(_edges(old_widths)) | set(_edges(new_widths)))
            grid_widths = [b - a for a, b in zip([0] + edges, edges)]
        else:
            edges, grid_widths = _edges(widths), widths
        grid = "".join(f'<w:gridCol w:w="{x}"/>' for x in grid_widths)

        def cell(content: str, x: int, head: bool = False, mark: str = "", span: int = 1) -> str:
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if head else ""
            spanned = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            return (f'<w:tc><w:tcPr><w:tcW w:w="{x}" w:type="dxa"/>{spanned}{shade}</w:tcPr>'
                    f'{paragraph(st.CELL_HEAD if head else st.CELL, content, _with_mark(ppr, mark))}</w:tc>')

        def row(status: str, old_cells, new_cells, head: bool = False, widths=widths) -> str:
            props = "<w:tblHeader/>" if head else "<w:cantSplit/>"
            if status in (rl.INSERTED, rl.DELETED):
                props += marks.mark(TAG[status])
            spans = _spans(widths, edges)
            cells = []
            for a, b, x, span in zip_longest(old_cells or [], new_cells or [], widths, spans):
                if x is None:
                    continue
                s = status if status in TAG else rl.SAME if a == b else rl.CHANGED
                content, mark = w.content(s, a or [], b or [])
                cells.append(cell(content, x, head, mark, span))
            return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"

        def head_cells(s):
            return s and [[c] for c in s.columns]

        if regrid:
            rows = [row(rl.DELETED, head_cells(before), None, head=True, widths=old_widths)]
            rows += [row(rl.DELETED, r, None, widths=old_widths) for r in before.rows]
            rows += [row(rl.INSERTED, None, head_cells(after), head=True)]
            rows += [row(rl.INSERTED, None, r) for r in after.rows]
        else:
            rows = [row(status, head_cells(before), head_cells(after), head=True)]
            if status in TAG:
                rows += [row(status, r, r) for r in schedule.rows]
            else:
                for s, a, b in rl.align(before.rows, after.rows, key=lambda r: "\t".join(rl.plain(c) for c in r)):
                    rows.append(row(s, a, b))
        out.append(f'<w:tbl><w:tblPr><w:tblW w:w="{sum(grid_widths)}" w:type="dxa"/><w:tblBorders>{TABLE_BORDERS}</w:tblBorders>'
                   f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
    return out


def _edges(widths: list[int]) -> list[int]:
    """Where each column of `widths` ends, from the table's left edge."""
    out, at = [], 0
    for x in widths:
        at += x
        out.append(at)
    return out


def _spans(widths: list[int], edges: list[int]) -> list[int]:
    """How many grid columns (ending at `edges`) each column of `widths` spans."""
    out, k = [], 0
    for end in _edges(widths):
        j = edges.index(end, k)
        out.append(j + 1 - k)
        k = j + 1
    return out


def write_redline(old, new, options, target, author: str) -> None:
    """Write NEW with tracked changes against OLD (both `Draft`s, or both `Bilingual`)."""
    date = utc_now()
    marks = Marks(author, date)
    if isinstance(new, Bilingual):
        from .bilingual import write_bilingual_redline
        return write_bilingual_redline(old, new, options, target, marks)
    header = draft_header_text(options.draft_header, (new.lang,))
    new.created = date
    with_comments = options.comments and bool(commented_articles(new))
    write_package(target, options.style, new.lang, new.title, stamp_properties(new),
                  lambda sect, num_ids: document_xml(old, new, marks, options.style, with_comments, sect, bool(header)),
                  comments_xml(new) if with_comments else None, options.reference, header=header)

