"""document.xml: the body of the draft, from the assembled structure."""
from __future__ import annotations

from ..draft import Draft, Hole, Paragraph, Ref
from . import styles as st
from .ooxml import R_NS, W_NS, XML_HEAD, esc, field, paragraph, run, twips

HIGHLIGHT = '<w:highlight w:val="yellow"/>'


def placeholder_text(lang: str) -> str:
    return "●" if lang == "ja" else "[●]"


def segments_xml(segments: list, lang: str, bookmark=None, rpr: str = "") -> str:
    """Runs for text, REF fields for cross-references (to `bookmark(name)` where the article
    headings carry other names, as in a bilingual draft's English column), highlighted ● for holes;
    every run with the run properties `rpr` (a language mark) last among its own."""
    out = []
    for seg in segments:
        if isinstance(seg, str):
            out.append(run(seg, rpr))
        elif isinstance(seg, Ref):
            out.append(field(ref_instruction(seg, bookmark(seg.bookmark) if bookmark else seg.bookmark), seg.text, rpr))
        elif isinstance(seg, Hole):
            out.append(run(placeholder_text(lang), HIGHLIGHT + rpr))
    return "".join(out)


def ref_instruction(ref: Ref, target: str) -> str:
    """The instruction of the REF field of `ref`, pointing at bookmark `target`: an article's number
    is its list's (\\n), alone when bare (\\t leaves out the list's text, "Article "); a schedule's
    is the text of its bookmark (別紙 + SEQ)."""
    switches = "\\h" if ref.schedule else "\\n \\t \\h" if ref.bare else "\\n \\h"
    return f"REF {target} {switches}"


def heading_xml(article, lang: str, bookmark_id: int, bookmark_name: str | None = None, rpr: str = "") -> str:
    """An article heading's text (its number is the list's), inside the bookmark references point at."""
    heading = article.heading if lang == "en" else f"（{article.heading}）"
    return (f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{esc(bookmark_name or article.bookmark)}"/>{run(heading, rpr)}'
            f'<w:bookmarkEnd w:id="{bookmark_id}"/>')


def _article_xml(article, lang: str, bookmark_id: int, comment_id: int | None) -> list[str]:
    parts = [paragraph(st.ARTICLE, commented(heading_xml(article, lang, bookmark_id), comment_id))]
    # English numbers every paragraph of a multi-paragraph article (3.1, 3.2); Japanese leaves
    # the first 項 unnumbered and numbers the rest from ２
    numbered_first = lang == "en" and len(article.paragraphs) > 1
    for i, para in enumerate(article.paragraphs):
        first = i == 0 and not numbered_first
        parts.append(paragraph(st.PARA_FIRST if first else st.PARA, segments_xml(para.segments, lang)))
        item_style = st.ITEM_FIRST if first else st.ITEM
        parts += [paragraph(item_style, segments_xml(item, lang)) for item in para.items]
    return parts


def _plain(paragraphs: list[Paragraph], style: str, lang: str) -> list[str]:
    out = []
    for p in paragraphs:
        out.append(paragraph(style, segments_xml(p.segments, lang)))
        out += [paragraph(style, segments_xml(item, lang)) for item in p.items]
    return out


def commented(content: str, comment_id: int | None, rpr: str = "") -> str:
    """`content` anchored to comment `comment_id` (unchanged when there is none)."""
    if comment_id is None:
        return content
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (f'<w:commentRangeStart w:id="{comment_id}"/>{content}<w:commentRangeEnd w:id="{comment_id}"/>'
            f'<w:r>{props}<w:commentReference w:id="{comment_id}"/></w:r>')


def commented_articles(draft: Draft) -> list:
    return [a for a in draft.articles if a.comment]


def document_xml(draft: Draft, style: dict, comments: bool = True, sect: str | None = None, header: bool = False) -> str:
    lang = draft.lang
    body = [paragraph(st.TITLE, run(draft.title))]
    body += _plain(draft.preamble, st.PREAMBLE, lang)
    comment_ids = {id(a): i for i, a in enumerate(commented_articles(draft))} if comments else {}
    for i, article in enumerate(draft.articles):
        body += _article_xml(article, lang, i + 1, comment_ids.get(id(article)))
    body += _closing_xml(draft)
    body += schedules_xml(draft, usable_width(style, sect), len(draft.articles) + 1)
    if draft.schedules:
        body.append("<w:p/>")        # a body does not end in a table
    return wrap_body(body, style, header=header, sect=sect)


def _closing_xml(draft: Draft) -> list[str]:
    lang, body = draft.lang, []
    body += _plain(draft.closing, st.CLOSING, lang)
    body += _plain(draft.date_line, st.DATE, lang)
    for block in draft.signatures:
        for j, p in enumerate(block):
            body.append(paragraph(st.SIGNATURE_HEAD if j == 0 else st.SIGNATURE, segments_xml(p.segments, lang)))
    return body


SCHEDULE_SEQ = {"ja": "ckSchedule", "en": "ckScheduleEN"}
TABLE_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def schedules_xml(draft: Draft, width: int, bookmark_id: int, bookmark=None, rpr: str = "", ppr: str = "") -> list[str]:
    """Each schedule on a page of its own: its heading (別紙1（title） / Schedule 1: title, the
    number a SEQ field inside the bookmark the articles' REF fields point at, so Word renumbers it)
    and a table of its records, the column headings repeated on every page."""
    lang, out = draft.lang, []
    for k, schedule in enumerate(draft.schedules):
        name = bookmark(schedule.bookmark) if bookmark else schedule.bookmark
        word = "別紙" if lang == "ja" else "Schedule "
        title = f"（{schedule.title}）" if lang == "ja" else f": {schedule.title}"
        seq = field(f"SEQ {SCHEDULE_SEQ[lang]} " + "\\* ARABIC", str(schedule.number), rpr)
        number = (f'<w:bookmarkStart w:id="{bookmark_id + k}" w:name="{esc(name)}"/>{run(word, rpr)}{seq}'
                  f'<w:bookmarkEnd w:id="{bookmark_id + k}"/>')
        out.append(paragraph(st.SCHEDULE_HEAD, number + run(title, rpr), ppr))
        widths = column_widths(schedule, width)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

        def cell(content: str, w: int, head: bool = False) -> str:
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if head else ""
            return (f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>'
                    f'{paragraph(st.CELL_HEAD if head else st.CELL, content, ppr)}</w:tc>')

        rows = ['<w:tr><w:trPr><w:tblHeader/></w:trPr>'
                + "".join(cell(run(c, rpr), w, True) for c, w in zip(schedule.columns, widths)) + "</w:tr>"]
        rows += ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                 + "".join(cell(segments_xml(c, lang, bookmark, rpr), w) for c, w in zip(row, widths)) + "</w:tr>"
                 for row in schedule.rows]
        out.append(f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{TABLE_BORDERS}</w:tblBorders>'
                   f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
    return out


def column_widths(schedule, width: int) -> list[int]:
    """Each column by the length of its longest text (full-width characters count double; its square
    root, within a third and three times an even share): a 項目 / 内容 table gives the content room."""
    import unicodedata

    def span(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    def cell(segments) -> int:
        return sum(span(s) if isinstance(s, str) else 2 for s in segments)

    count = len(schedule.columns)
    longest = [max([span(head)] + [cell(row[i]) for row in schedule.rows]) for i, head in enumerate(schedule.columns)]
    even = width / count
    raw = [max(1, n) ** 0.5 for n in longest]     # softened: a long text wraps, a short label need not
    scale = width / sum(raw)
    shares = [min(max(n * scale, even / 3), even * 3) for n in raw]
    factor = width / sum(shares)
    widths = [int(s * factor) for s in shares]
    widths[-1] += width - sum(widths)
    return widths


def usable_width(style: dict, sect: str | None) -> int:
    """Twips between the margins: of a reference template's section when there is one."""
    if sect:
        from lxml import etree
        w = f"{{{W_NS}}}"
        element = etree.fromstring(sect)
        size, margins = element.find(f"{w}pgSz"), element.find(f"{w}pgMar")
        try:
            return int(size.get(f"{w}w")) - int(margins.get(f"{w}left")) - int(margins.get(f"{w}right"))
        except (AttributeError, TypeError, ValueError):
            pass                    # the template gives no page width or margins: the style file's page
    page = style["page"]
    return twips(page["width_mm"] - page["margins_mm"]["left"] - page["margins_mm"]["right"])


def wrap_body(body: list[str], style: dict, header: bool = False, landscape: bool = False, sect: str | None = None) -> str:
    """document.xml around body paragraphs: page size, margins, footer (and header) references
    (or `sect`, a house-style template's own section properties)."""
    if sect is not None:
        return (XML_HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>' + "".join(body) + sect
                + "</w:body></w:document>")
    page = style["page"]
    m = page["margins_mm"]
    header_ref = '<w:headerReference w:type="default" r:id="rIdHeader1"/>' if header else ""
    width, height = (page["height_mm"], page["width_mm"]) if landscape else (page["width_mm"], page["height_mm"])
    orient = ' w:orient="landscape"' if landscape else ""
    sect = (f'<w:sectPr>{header_ref}<w:footerReference w:type="default" r:id="rIdFooter1"/>'
            f'<w:pgSz w:w="{twips(width)}" w:h="{twips(height)}"{orient}/>'
            f'<w:pgMar w:top="{twips(m["top"])}" w:right="{twips(m["right"])}" w:bottom="{twips(m["bottom"])}" '
            f'w:left="{twips(m["left"])}" w:header="851" w:footer="567" w:gutter="0"/>'
            f'<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="360"/></w:sectPr>')
    return (XML_HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
            + "".join(body) + sect + "</w:body></w:document>")


def header_xml(text: str) -> str:
    return (XML_HEAD + f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + paragraph(st.HEADER, run(text)) + "</w:hdr>")


def footer_xml() -> str:
    return (XML_HEAD + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            + paragraph(st.FOOTER, field("PAGE", "1")) + "</w:ftr>")


def comments_xml(*drafts: Draft) -> str:
    """One Word comment per article: the guideline's notes on the choice it embodies. Ids run on
    across `drafts` (a bilingual draft comments both columns)."""
    items = []
    articles = [(draft, article) for draft in drafts for article in commented_articles(draft)]
    for i, (draft, article) in enumerate(articles):
        paras = []
        for j, line in enumerate(article.comment.splitlines()):
            ref = '<w:r><w:annotationRef/></w:r>' if j == 0 else ""
            paras.append(f"<w:p>{ref}{run(line)}</w:p>")
        items.append(f'<w:comment w:id="{i}" w:author="{esc(draft.comment_author)}" w:initials="CK" '
                     f'w:date="{draft.created}">{"".join(paras)}</w:comment>')
    return XML_HEAD + f'<w:comments xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + "".join(items) + "</w:comments>"
