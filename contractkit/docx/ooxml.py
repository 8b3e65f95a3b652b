"""Small builders for WordprocessingML strings."""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
TWIPS_PER_MM = 1440 / 25.4

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def esc(text: str) -> str:
    return text.translate(_ESCAPES)


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def run(text: str, rpr: str = "") -> str:
    if not text:
        return ""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def field(instruction: str, cached: str, rpr: str = "") -> str:
    """A complex field whose cached result is already right, so no update is needed to read it."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{props}<w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run(cached, rpr)}'
            f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')


def paragraph(style: str, content: str, ppr_extra: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr_extra}</w:pPr>{content}</w:p>'
