"""The review report as a .docx: what the other side changed, article by article, read as
positions on the decision points; their free edits and comments. Internal, like the memo: the
same landscape page, table and "internal" header on every page."""
from __future__ import annotations

from . import styles as st
from .document import header_xml, wrap_body
from .memo import _table, internal_page
from .ooxml import paragraph, run
from .package import package_parts, write_parts

WIDTHS = (0.2, 0.2, 0.3, 0.3)   # article, decision points, their proposal, our position


def write_review(review, target) -> None:
    from ..review import counts_text, finding_words
    lang = review.lang
    library = review.library
    style = library.style
    resolved = review.resolved
    m, total, side = internal_page(library, resolved, lang)
    title = m["review_title"].format(title=review.title)
    base = m["review_base_tracked"] if review.tracked else m["review_base_rebuilt"]
    body = [paragraph(st.TITLE, run(title)),
            paragraph(st.PREAMBLE, run(m["review_intro"].format(theirs=review.theirs, answers=review.answers,
                                                                base=base, side=side)))]
    body.append(paragraph(st.PREAMBLE, run(counts_text(review))))
    if review.stale:
        body.append(paragraph(st.PREAMBLE, run(m["review_stale"].format(answers=review.answers))))
    rows = []
    words = [(finding, finding_words(review, finding)) for finding in review.findings]
    for finding, w in words:
        rows.append([[w["name"], f"{w['status']}（{w['clause']}）" if lang == "ja" else f"{w['status']} ({w['clause']})"],
                     [w["points"]], [w["proposal"] or m["review_free"]], w["position"] or ["—"]])
    if rows:
        body.append(_table([m["review_article"], m["review_points"], m["review_proposal"], m["review_position"]],
                           rows, total, WIDTHS))
    else:
        body.append(paragraph(st.MEMO_CELL, run(m["review_none"])))
    with_edits = [(f, w) for f, w in words if w["edits"]]
    if with_edits:
        body.append(paragraph(st.MEMO_HEADING, run(m["review_free"])))
        for _finding, w in with_edits:
            body.append(paragraph(st.MEMO_CELL_HEAD, run(w["name"])))
            body += [paragraph(st.MEMO_CELL, run(line)) for line in w["edits"]]
    if review.comments:
        body.append(paragraph(st.MEMO_HEADING, run(m["review_comments"])))
        body += [paragraph(st.MEMO_CELL, run(m["review_comment"].format(where=c.where, author=c.author, text=c.text)))
                 for c in review.comments]
    document = wrap_body(body, style, header=True, landscape=True)
    write_parts(package_parts(document, style, lang, title, {"contractkit.review_of": review.theirs},
                              header=header_xml(m["memo_internal"])), target)
