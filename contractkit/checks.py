"""Reading a .docx back: is it safe to send to the other side (`check`), and was it built from
these answers (`verify`). Works on any draft, including one a lawyer has since edited in Word."""
from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from .errors import UserError

STAMP = ("contractkit.version", "contractkit.answers_sha256", "contractkit.clauses")
BODY_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _parts(path: Path) -> dict[str, str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml")}
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, IsADirectoryError) as exc:
        raise UserError(f"{path}: not a Word document ({exc})") from None


def paragraphs(xml: str) -> list[str]:
    out = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
        out.append(html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))))
    return out


def custom_properties(parts: dict) -> dict[str, str]:
    xml = parts.get("docProps/custom.xml", "")
    return {html.unescape(name): html.unescape(value) for name, value in
            re.findall(r'<property [^>]*name="([^"]*)"[^>]*>\s*<vt:\w+>([^<]*)</vt:\w+>', xml)}


def check_draft(path: Path) -> list[str]:
    """Each reason the draft is not ready for the counterparty; empty when it is."""
    parts = _parts(Path(path))
    findings = []
    comments = len(re.findall(r"<w:comment ", parts.get("word/comments.xml", "")))
    if comments:
        findings.append(f"{comments} comment(s): internal notes; rebuild with --clean or delete them in Word")
    for name, xml in sorted(parts.items()):
        if not BODY_PARTS.match(name):
            continue
        changes = len(re.findall(r"<w:(ins|del|moveFrom|moveTo) ", xml))
        if changes:
            findings.append(f"{name}: {changes} tracked change(s): accept or reject them")
        if re.search(r"<w:vanish/>|<w:vanish w:val=\"(1|true|on)\"", xml):
            findings.append(f"{name}: hidden text")
        for text in paragraphs(xml):
            if "●" in text:
                findings.append(f"{name}: placeholder left: {text[:60]}")
    if re.search(r"<w:vanish/>", parts.get("word/styles.xml", "")):
        findings.append("word/styles.xml: a style hides its text")
    for name in custom_properties(parts):
        if name not in STAMP:
            findings.append(f"custom property '{name}': internal information; remove it (File > Properties)")
    return findings


def verify_draft(draft: Path, answers: Path, pack_path=()) -> list[str]:
    """The differences between a draft and a fresh build of `answers`; empty when they match."""
    import tempfile

    from .build import build

    parts = _parts(Path(draft))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(answers, Path(tmp) / "fresh.docx", pack_path=pack_path)
        fresh_parts = _parts(fresh.output)
    differences = []
    have, want = custom_properties(parts), custom_properties(fresh_parts)
    for key in STAMP:
        if have.get(key) != want.get(key):
            differences.append(f"stamp {key}: the draft has {have.get(key, '(none)')!r}, the answers give {want.get(key)!r}")
    old, new = paragraphs(parts.get("word/document.xml", "")), paragraphs(fresh_parts["word/document.xml"])
    for i, (a, b) in enumerate(zip(old, new)):
        if a != b:
            differences.append(f"text differs at paragraph {i + 1}: the draft has {a[:70]!r}, the answers give {b[:70]!r}")
            break
    if len(old) != len(new):
        differences.append(f"the draft has {len(old)} paragraphs, the answers give {len(new)}")
    return differences
