"""document.xml: the body of the draft, from the assembled structure."""
from __future__ import annotations

from ..assemble import Draft, Hole, Paragraph, Ref
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
            out.append(field(f"REF {bookmark(seg.bookmark) if bookmark else seg.bookmark} \\n \\h", seg.text, rpr))
        elif isinstance(seg, Hole):
            out.append(run(placeholder_text(lang), HIGHLIGHT + rpr))
    return "".join(out)


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
    return wrap_body(body, style, header=header, sect=sect)


def _closing_xml(draft: Draft) -> list[str]:
    lang, body = draft.lang, []
    body += _plain(draft.closing, st.CLOSING, lang)
    body += _plain(draft.date_line, st.DATE, lang)
    for block in draft.signatures:
        for j, p in enumerate(block):
            body.append(paragraph(st.SIGNATURE_HEAD if j == 0 else st.SIGNATURE, segments_xml(p.segments, lang)))
    return body


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
