"""The negotiation memo as a .docx: landscape, a table of every decision point, the fallback
texts and open items, and "internal" in the header of every page."""
from __future__ import annotations

from pathlib import Path

from . import styles as st
from .document import header_xml, wrap_body
from .ooxml import paragraph, run
from .package import package_parts, write_parts

WIDTHS = (0.22, 0.17, 0.14, 0.12, 0.2, 0.15)   # shares of the table width per column


def _cell(texts: list[str], width: int, head: bool = False) -> str:
    style = st.MEMO_CELL_HEAD if head else st.MEMO_CELL
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>' if head else ""
    paras = "".join(paragraph(style, run(t)) for t in (texts or [""]))
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paras}</w:tc>'


def _table(header: list[str], rows: list[list[list[str]]], total: int, shares=WIDTHS) -> str:
    widths = [round(total * w) for w in shares]
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = ('<w:tr><w:trPr><w:tblHeader/></w:trPr>' + "".join(_cell([h], w, True) for h, w in zip(header, widths)) + "</w:tr>")
    body = "".join("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(_cell(c, w) for c, w in zip(row, widths)) + "</w:tr>"
                   for row in rows)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblBorders>{border}</w:tblBorders>'
            f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{head}{body}</w:tbl>')


def internal_page(library, resolved, lang):
    """What every internal landscape document (memo, review report) starts from: the messages in its
    language, the table width in twips, and the side it is drafted for."""
    m = {k: v[lang] for k, v in library.ui["messages"].items()}
    page = library.style["page"]
    usable_mm = page["height_mm"] - page["margins_mm"]["left"] - page["margins_mm"]["right"]  # landscape width
    side = next((r["label"][lang] for r in library.templates[resolved.contract].roles if r["id"] == resolved.perspective),
                m["perspective_none"])
    return m, round(usable_mm * 1440 / 25.4), side


def write_memo(library, resolved, draft, rows: list[dict], target: Path) -> None:
    lang = resolved.lang
    style = library.style
    m, total, side = internal_page(library, resolved, lang)
    title = m["memo_title"].format(title=draft.title)
    guideline = (library.templates[resolved.contract].words.get("guideline") or {}).get(lang) or m["guideline_name"]
    body = [paragraph(st.TITLE, run(title)), paragraph(st.PREAMBLE, run(m["memo_intro"].format(side=side, guideline=guideline)))]
    header = [m["memo_point"], m["memo_chosen"], m["memo_usual"], m["memo_stance"], m["memo_fallback"], m["memo_warnings"]]
    body.append(_table(header, [[[r["point"]], [r["chosen"]], [r["usual"]], [r["stance"]], [r["fallback"]], r["warnings"]]
                                for r in rows], total))
    with_text = [r for r in rows if r.get("fallback_text")]
    if with_text:
        body.append(paragraph(st.MEMO_HEADING, run(m["memo_fallback_texts"])))
        for r in with_text:
            body.append(paragraph(st.MEMO_CELL_HEAD, run(f"{r['point']} → {r['fallback']}")))
            body += [paragraph(st.MEMO_CELL, run(line)) for line in r["fallback_text"].split("\n")]   # paragraphs, not a separator typed in an answer
    general = [w for w in resolved.warnings if not w["point"]]
    if general:
        body.append(paragraph(st.MEMO_HEADING, run(m["memo_general_warnings"])))
        body += [paragraph(st.MEMO_CELL, run(("・" if lang == "ja" else "• ") + w["text"][lang])) for w in general]
    body.append(paragraph(st.MEMO_HEADING, run(m["memo_placeholders"])))
    if draft.placeholders:
        body += [paragraph(st.MEMO_CELL, run(f"● {path}（{where}）" if lang == "ja" else f"[●] {path} ({where})"))
                 for path, where in draft.placeholders]
    else:
        body.append(paragraph(st.MEMO_CELL, run(m["memo_no_placeholders"])))
    document = wrap_body(body, style, header=True, landscape=True)
    write_parts(package_parts(document, style, lang, title, {"contractkit.memo_for": draft.title},
                              header=header_xml(m["memo_internal"])), target)
