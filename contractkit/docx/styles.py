"""styles.xml and numbering.xml from templates/styles/*.yaml: the paragraph styles a draft uses,
and the one multilevel list (article / 項 / 号) linked to them, so Word renumbers by itself."""
from __future__ import annotations

from .ooxml import W_NS, XML_HEAD, esc

# Word and LibreOffice both count a skipped list level as an implicit item: an item (号) right
# under an unnumbered first paragraph would push the next 項 from ２ to ３. So the first paragraph
# and its items have levels of their own, above the numbered 項 and their items:
#   0 article 第１条 · 1 first paragraph (no number) · 2 its items （１）
#   3 numbered 項 ２, ３ … (restarts after 0–2) · 4 their items （１）
ARTICLE, PARA_FIRST, ITEM_FIRST, PARA, ITEM = "ckArticle", "ckParagraphFirst", "ckItemFirst", "ckParagraph", "ckItem"
TITLE, PREAMBLE, CLOSING, DATE, SIGNATURE, SIGNATURE_HEAD, FOOTER = (
    "ckTitle", "ckPreamble", "ckClosing", "ckDate", "ckSignature", "ckSignatureHead", "ckFooter")
HEADER, CELL, CELL_HEAD, MEMO_HEADING = "ckHeader", "ckCell", "ckCellHeading", "ckMemoHeading"
MEMO_CELL, MEMO_CELL_HEAD, SCHEDULE_HEAD = "ckMemoCell", "ckMemoCellHeading", "ckScheduleHeading"
NUM_ID = 1
CELL_SPACING = '<w:spacing w:before="40" w:after="40" w:line="264" w:lineRule="auto"/>'   # 2 pt around, 1.1 lines

# Per language: list level texts and formats, and indents in characters of the body size
LEVELS = {
    "ja": [
        dict(fmt="decimalFullWidth", text="第%1条", start=1, suff="nothing", left=0, hanging=0, style=ARTICLE),
        dict(fmt="decimalFullWidth", text="", start=1, suff="nothing", left=1, hanging=0, style=PARA_FIRST),
        dict(fmt="decimalFullWidth", text="（%3）", start=1, suff="nothing", left=4, hanging=3, style=ITEM_FIRST),
        dict(fmt="decimalFullWidth", text="%4\u3000", start=2, suff="nothing", left=1, hanging=1, style=PARA),
        dict(fmt="decimalFullWidth", text="（%5）", start=1, suff="nothing", left=4, hanging=3, style=ITEM),
    ],
    "en": [
        dict(fmt="decimal", text="Article %1", start=1, suff="tab", left=0, hanging=0, style=ARTICLE, tab=6),
        dict(fmt="decimal", text="", start=1, suff="nothing", left=0, hanging=0, style=PARA_FIRST),
        dict(fmt="lowerLetter", text="(%3)", start=1, suff="tab", left=3, hanging=3, style=ITEM_FIRST),
        dict(fmt="decimal", text="%1.%4", start=1, suff="tab", left=3, hanging=3, style=PARA),
        dict(fmt="lowerLetter", text="(%5)", start=1, suff="tab", left=6, hanging=3, style=ITEM),
    ],
}


def _fonts(east_asia: str, latin: str) -> str:
    return (f'<w:rFonts w:ascii="{esc(latin)}" w:hAnsi="{esc(latin)}" '
            f'w:eastAsia="{esc(east_asia)}" w:cs="{esc(latin)}"/>')


def styles_xml(style: dict, lang: str) -> str:
    fonts = style["fonts"][lang]
    size = round(fonts["size_pt"] * 2)
    return (XML_HEAD + f'<w:styles xmlns:w="{W_NS}">'
            '<w:docDefaults><w:rPrDefault><w:rPr>'
            f'{_fonts(fonts["east_asia"], fonts["latin"])}<w:kern w:val="2"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            f'<w:lang w:val="{fonts["lang"]}" w:eastAsia="ja-JP" w:bidi="ar-SA"/>'
            '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:jc w:val="{"both" if lang == "ja" else "left"}"/>'
            '</w:pPr></w:pPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
            '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
            '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
            '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>'
            + "".join(ck_styles(style, lang)) + "</w:styles>")


def ck_styles(style: dict, lang: str, num_id: int = NUM_ID, house_fonts: dict[str, str] | None = None) -> list[str]:
    """The paragraph styles a draft uses (all `ck…`), the list levels linked to them by `num_id`.
    `house_fonts` (on a firm's template): the faces of the title and of headings, as the
    template's own Title and Heading 1 give them (an `<w:rFonts>`, or "" to inherit its body face),
    in place of the style file's."""
    fonts = style["fonts"][lang]
    size = round(fonts["size_pt"] * 2)
    char = round(fonts["size_pt"] * 20)  # one full-width character, in twips
    heading_fonts = _fonts(fonts.get("heading_east_asia", fonts["east_asia"]), fonts.get("heading_latin", fonts["latin"]))
    title_fonts = heading_fonts
    if house_fonts is not None:
        title_fonts, heading_fonts = house_fonts.get("title", ""), house_fonts.get("heading", "")
    levels = {lvl["style"]: lvl for lvl in LEVELS[lang]}

    def ind(left_chars: float, hanging_chars: float = 0, first_chars: float = 0) -> str:
        extra = f' w:hanging="{round(hanging_chars * char)}"' if hanging_chars else (
            f' w:firstLine="{round(first_chars * char)}"' if first_chars else ' w:firstLine="0"')
        return f'<w:ind w:left="{round(left_chars * char)}"{extra}/>'

    def pstyle(sid, name, ppr="", rpr="", based="Normal", next_style=None, numbered=False, keep_next=False,
               keep_lines=False):
        # pPr children have a fixed order in the schema (keepNext, keepLines before numPr before
        # spacing, ind, jc, outlineLvl): Word reports anything else as unreadable content
        keep = ("<w:keepNext/>" if keep_next else "") + ("<w:keepLines/>" if keep_lines else "")
        num = f'<w:numPr><w:ilvl w:val="{list(levels).index(sid)}"/><w:numId w:val="{num_id}"/></w:numPr>' if numbered else ""
        nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
        return (f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
                f'<w:basedOn w:val="{based}"/>{nxt}<w:qFormat/><w:pPr>{keep}{num}{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')

    body_styles = [
        pstyle(TITLE, "CK Title", '<w:spacing w:before="0" w:after="480"/><w:jc w:val="center"/>',
               f'{title_fonts}<w:b/><w:sz w:val="{round(fonts["title_size_pt"] * 2)}"/>'),
        pstyle(PREAMBLE, "CK Preamble", f'<w:spacing w:after="240"/>{ind(0, first_chars=1)}'),
        pstyle(ARTICLE, "CK Article Heading",
               f'<w:spacing w:before="240" w:after="60"/>{ind(0)}<w:outlineLvl w:val="0"/>',
               f'{heading_fonts}<w:b/>', next_style=PARA_FIRST, numbered=True, keep_next=True),
        pstyle(PARA_FIRST, "CK Paragraph (first)", "", next_style=PARA, numbered=True),
        pstyle(ITEM_FIRST, "CK Item (first paragraph)", "", numbered=True),
        pstyle(PARA, "CK Paragraph", "", numbered=True),
        pstyle(ITEM, "CK Item", "", next_style=ITEM, numbered=True),
        # the closing sentence, the date and every signature block keep together on one page (a
        # signature block is never left alone on the last page): keep-with-next through the block
        pstyle(CLOSING, "CK Closing", f'<w:spacing w:before="360" w:after="240"/>{ind(0, first_chars=1)}',
               keep_next=True, keep_lines=True),
        pstyle(DATE, "CK Date", f'<w:spacing w:after="240"/>{ind(2)}', keep_next=True),
        pstyle(SIGNATURE_HEAD, "CK Signature (first line)", f'<w:spacing w:before="360"/>{ind(18 if lang == "ja" else 0)}',
               next_style=SIGNATURE, keep_next=True, keep_lines=True),
        pstyle(SIGNATURE, "CK Signature", ind(19 if lang == "ja" else 2), keep_next=True, keep_lines=True),
        pstyle(FOOTER, "CK Footer", '<w:jc w:val="center"/>', f'<w:sz w:val="{size - 2}"/>'),
        pstyle(HEADER, "CK Header", '<w:jc w:val="center"/>', f'<w:b/><w:color w:val="C00000"/><w:sz w:val="{size - 2}"/>'),
        # table text keeps single spacing: on the document grid every line of a small face takes a full grid line.
        # The text of a contract (a bilingual draft's columns, a schedule) is at the body size; the memo's smaller
        pstyle(CELL, "CK Table Cell", f'<w:snapToGrid w:val="0"/>{CELL_SPACING}<w:jc w:val="left"/>'),
        pstyle(CELL_HEAD, "CK Table Heading", f'<w:snapToGrid w:val="0"/>{CELL_SPACING}<w:jc w:val="left"/>', '<w:b/>'),
        pstyle(MEMO_CELL, "CK Memo Cell", f'<w:snapToGrid w:val="0"/>{CELL_SPACING}<w:jc w:val="left"/>',
               f'<w:sz w:val="{size - 4}"/>'),
        pstyle(MEMO_CELL_HEAD, "CK Memo Cell Heading", f'<w:snapToGrid w:val="0"/>{CELL_SPACING}<w:jc w:val="left"/>',
               f'<w:b/><w:sz w:val="{size - 4}"/>'),
        # a schedule (別紙) starts on a page of its own, after the signature blocks
        pstyle(SCHEDULE_HEAD, "CK Schedule Heading", f'<w:pageBreakBefore/><w:spacing w:before="0" w:after="240"/>{ind(0)}',
               f'{heading_fonts}<w:b/>', keep_next=True),
        pstyle(MEMO_HEADING, "CK Memo Heading", '<w:spacing w:before="240" w:after="120"/>', f'{heading_fonts}<w:b/>',
               keep_next=True),
    ]
    return body_styles


def numbering_xml(style: dict, lists: tuple[str, ...]) -> str:
    """One list per language in `lists` (a bilingual draft numbers each column with its own),
    numIds from NUM_ID; the first list is the one the ck… styles are linked to."""
    pairs = [ck_numbering(style, lang, i, NUM_ID + i, link_styles=i == 0) for i, lang in enumerate(lists)]
    return (XML_HEAD + f'<w:numbering xmlns:w="{W_NS}">' + "".join(a for a, _ in pairs)
            + "".join(n for _, n in pairs) + "</w:numbering>")


def ck_numbering(style: dict, lang: str, abstract_id: int = 0, num_id: int = NUM_ID,
                 link_styles: bool = True) -> tuple[str, str]:
    """The multilevel list (article / 項 / 号) as an abstractNum and the num that uses it."""
    char = round(style["fonts"][lang]["size_pt"] * 20)
    lvls = []
    for i, lvl in enumerate(LEVELS[lang]):
        tabs = f'<w:tabs><w:tab w:val="num" w:pos="{round(lvl["tab"] * char)}"/></w:tabs>' if "tab" in lvl else ""
        hanging = f' w:hanging="{round(lvl["hanging"] * char)}"' if lvl["hanging"] else ' w:firstLine="0"'
        lvls.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{lvl["start"]}"/><w:numFmt w:val="{lvl["fmt"]}"/>'
            + (f'<w:pStyle w:val="{lvl["style"]}"/>' if link_styles else "") + f'<w:suff w:val="{lvl["suff"]}"/>'
            f'<w:lvlText w:val="{lvl["text"]}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr>{tabs}<w:ind w:left="{round(lvl["left"] * char)}"{hanging}/></w:pPr></w:lvl>')
    return (f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>',
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
