"""Small builders for WordprocessingML, and the one way text enters the package: `xml_text`
(escaped; a character XML cannot store is refused, never dropped) and `run` (line breaks and
tabs as <w:br/> and <w:tab/> inside the run, so no text ever makes a paragraph of its own).
Writers compose these; none edits XML it has already built."""
from __future__ import annotations

import re

from ..errors import BuildError
from ..markers import SEPARATORS, XML_INVALID, describe_char

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
TWIPS_PER_MM = 1440 / 25.4

_INVALID = re.compile(f"[{XML_INVALID}]")
_SPECIAL = re.compile(f"[{XML_INVALID}{SEPARATORS}\t]")       # what a run cannot take as it is
_BREAKS = re.compile(f"(\r\n|[{SEPARATORS}\t])")


class UnwritableText(BuildError):
    """Text that no .docx can hold reached the writer (answers are checked long before, with the
    place in the answers file; this is the last guard, so that no draft is ever malformed)."""


def _escape(text: str) -> str:
    # str.replace is many times faster than str.translate on Japanese text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xml_text(text: str) -> str:
    """`text` escaped for an XML element or attribute; refused if XML cannot store a character of it."""
    bad = _INVALID.search(text)
    if bad is not None:
        context = _INVALID.sub("?", text[max(0, bad.start() - 20):bad.end() + 20])
        raise UnwritableText(f"the draft's text contains {describe_char(bad.group())}, which Word cannot store "
                             f"(near '{context}'); nothing was written")
    return _escape(text)


esc = xml_text


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _run_content(text: str) -> str:
    if _SPECIAL.search(text) is None:               # the usual case: one search, then escape
        return f'<w:t xml:space="preserve">{_escape(text)}</w:t>'
    out = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece == "\r\n" or (len(piece) == 1 and piece in SEPARATORS):
            out.append("<w:br/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{xml_text(piece)}</w:t>')
    return "".join(out)


def run(text: str, rpr: str = "") -> str:
    """A run of `text` with run properties `rpr`; its line breaks are breaks within the paragraph."""
    if not text:
        return ""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f"<w:r>{props}{_run_content(text)}</w:r>"


def field(instruction: str, cached: str, rpr: str = "", code: str | None = None) -> str:
    """A complex field whose cached result is already right, so no update is needed to read it;
    `code`: the runs of its instruction as given (a tracked change of it), instead of `instruction`'s."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'{instruction_run(instruction, rpr) if code is None else code}'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run(cached, rpr)}'
            f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')


def instruction_run(instruction: str, rpr: str = "") -> str:
    """The run of a complex field's instruction (field code)."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:instrText xml:space="preserve"> {xml_text(instruction)} </w:instrText></w:r>'


def paragraph(style: str, content: str, ppr_extra: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr_extra}</w:pPr>{content}</w:p>'


def as_deleted(xml: str) -> str:
    """Runs built by `run` and `field`, as deleted text (a tracked deletion holds w:delText and
    w:delInstrText, never w:t or w:instrText). Text never holds a raw '<', so the tags are ours."""
    return (xml.replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
            .replace("<w:instrText ", "<w:delInstrText ").replace("</w:instrText>", "</w:delInstrText>"))
