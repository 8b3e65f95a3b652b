"""The .docx package: parts, relationships, properties (with the reproducibility stamp), and
an atomic write (temp file + rename) so a reader never sees half a draft."""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
import zipfile
from pathlib import Path

from .. import __version__
from ..assemble import Draft
from .document import comments_xml, commented_articles, document_xml, footer_xml
from .ooxml import W_NS, XML_HEAD, esc
from .styles import numbering_xml, styles_xml

CT = "application/vnd.openxmlformats-officedocument"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def stamp_properties(draft: Draft) -> dict[str, str]:
    return {
        "contractkit.version": __version__,
        "contractkit.answers_sha256": draft.answers_sha256,
        "contractkit.clauses": ",".join(draft.stamp),
    }


def _content_types(with_comments: bool) -> str:
    overrides = {
        "/word/document.xml": f"{CT}.wordprocessingml.document.main+xml",
        "/word/styles.xml": f"{CT}.wordprocessingml.styles+xml",
        "/word/numbering.xml": f"{CT}.wordprocessingml.numbering+xml",
        "/word/settings.xml": f"{CT}.wordprocessingml.settings+xml",
        "/word/footer1.xml": f"{CT}.wordprocessingml.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": f"{CT}.extended-properties+xml",
        "/docProps/custom.xml": f"{CT}.custom-properties+xml",
    }
    if with_comments:
        overrides["/word/comments.xml"] = f"{CT}.wordprocessingml.comments+xml"
    return (XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items()) + "</Types>")


def _rels(items: list[tuple[str, str, str]]) -> str:
    return (XML_HEAD + f'<Relationships xmlns="{PKG_REL}">'
            + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
            + "</Relationships>")


def _core(draft: Draft, now: str) -> str:
    return (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{esc(draft.title)}</dc:title><dc:creator>contractkit</dc:creator>'
            f'<cp:lastModifiedBy>contractkit</cp:lastModifiedBy><dc:language>{"ja-JP" if draft.lang == "ja" else "en-US"}</dc:language>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')


def _app() -> str:
    return (XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f'<Application>contractkit {__version__}</Application></Properties>')


def _custom(props: dict[str, str]) -> str:
    items = "".join(f'<property fmtid="{CUSTOM_FMTID}" pid="{i + 2}" name="{esc(k)}"><vt:lpwstr>{esc(v)}</vt:lpwstr></property>'
                    for i, (k, v) in enumerate(props.items()))
    return (XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' + items + "</Properties>")


def _settings() -> str:
    return (XML_HEAD + f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/>'
            '<w:characterSpacingControl w:val="compressPunctuation"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            '</w:settings>')


def docx_parts(draft: Draft, style: dict, comments: bool = True) -> list[tuple[str, str]]:
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    draft.created = now
    with_comments = comments and bool(commented_articles(draft))
    document_rels = [
        ("rIdStyles", f"{REL}/styles", "styles.xml"),
        ("rIdNumbering", f"{REL}/numbering", "numbering.xml"),
        ("rIdSettings", f"{REL}/settings", "settings.xml"),
        ("rIdFooter1", f"{REL}/footer", "footer1.xml"),
    ]
    if with_comments:
        document_rels.append(("rIdComments", f"{REL}/comments", "comments.xml"))
    parts = [
        ("[Content_Types].xml", _content_types(with_comments)),
        ("_rels/.rels", _rels([
            ("rId1", f"{REL}/officeDocument", "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
            ("rId4", f"{REL}/custom-properties", "docProps/custom.xml"),
        ])),
        ("word/document.xml", document_xml(draft, style, with_comments)),
        ("word/_rels/document.xml.rels", _rels(document_rels)),
        ("word/styles.xml", styles_xml(style, draft.lang)),
        ("word/numbering.xml", numbering_xml(style, draft.lang)),
        ("word/settings.xml", _settings()),
        ("word/footer1.xml", footer_xml()),
        ("docProps/core.xml", _core(draft, now)),
        ("docProps/app.xml", _app()),
        ("docProps/custom.xml", _custom(stamp_properties(draft))),
    ]
    if with_comments:
        parts.append(("word/comments.xml", comments_xml(draft)))
    return parts


def write_docx(draft: Draft, style: dict, target: Path, comments: bool = True) -> None:
    parts = docx_parts(draft, style, comments)
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, xml in parts:
                    zf.writestr(name, xml.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
