"""Building a draft on a firm's own Word template (--reference-docx, .docx or .dotx): its page
setup, headers, footers and styles are kept; its old body, comments and properties are not;
the styles and the list the draft needs are added where the template lacks them."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import UserError
from .ooxml import W_NS, XML_HEAD
from .package import CT, REL, _app, _core, _custom, utc_now
from .styles import ck_numbering, ck_styles

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# the template's comments go; so does Word 2010's stylesWithEffects, which would no longer match
# the styles (Word rebuilds it)
DROPPED = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible", "/people", "/stylesWithEffects")
DOC_PROPS = ("/metadata/core-properties", "/extended-properties", "/custom-properties", "/metadata/thumbnail")
W = f"{{{W_NS}}}"


def _xml(data: bytes):
    from lxml import etree
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _bytes(element) -> bytes:
    from lxml import etree
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def reference_parts(reference: Path, style: dict, lang: str, title: str, custom: dict[str, str], document,
                    comments: str | None, lists: tuple[str, ...]) -> list[tuple[str, bytes | str]]:
    """The reference template's parts around `document(sect, num_ids)` and `comments` (see write_package)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(reference) as zf:
            parts = {n: zf.read(n) for n in zf.namelist()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"--reference-docx {reference}: not a Word document or template ({exc})") from None
    if "word/document.xml" not in parts or "[Content_Types].xml" not in parts:
        raise UserError(f"--reference-docx {reference}: no word/document.xml in it")
    types = _xml(parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o for o in types.findall(f"{{{CT_NS}}}Override")}
    if "/word/document.xml" in overrides:   # a .dotx is a template until its main part says otherwise
        overrides["/word/document.xml"].set("ContentType", f"{CT}.wordprocessingml.document.main+xml")

    def drop_part(name: str) -> None:
        parts.pop(name, None)
        parts.pop(name.replace("word/", "word/_rels/") + ".rels", None)
        if f"/{name}" in overrides:
            types.remove(overrides.pop(f"/{name}"))

    def add_part(name: str, content_type: str, data) -> None:
        parts[name] = data
        if f"/{name}" not in overrides:
            overrides[f"/{name}"] = etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=f"/{name}", ContentType=content_type)

    # the template's own comments and properties go; its page setup, headers and styles stay
    rels = _xml(parts.get("word/_rels/document.xml.rels", f'<Relationships xmlns="{PKG_REL}"/>'.encode()))
    for rel in list(rels):
        if rel.get("Type", "").endswith(DROPPED):
            drop_part("word/" + rel.get("Target").lstrip("/").removeprefix("word/"))
            rels.remove(rel)
    package_rels = _xml(parts["_rels/.rels"])
    for rel in list(package_rels):
        if rel.get("Type", "").endswith(DOC_PROPS):
            drop_part(rel.get("Target").lstrip("/"))
            package_rels.remove(rel)
    for i, (kind, target) in enumerate((("metadata/core-properties", "docProps/core.xml"),
                                        ("extended-properties", "docProps/app.xml"),
                                        ("custom-properties", "docProps/custom.xml"))):
        rel_type = f"http://schemas.openxmlformats.org/package/2006/relationships/{kind}" if kind.startswith("metadata") \
            else f"{REL}/{kind}"
        etree.SubElement(package_rels, f"{{{PKG_REL}}}Relationship", Id=f"rIdCk{i}", Type=rel_type, Target=target)

    def rel_target(kind: str) -> str | None:
        rel = next((r for r in rels if r.get("Type", "").endswith(f"/{kind}")), None)
        return ("word/" + rel.get("Target").lstrip("/").removeprefix("word/")) if rel is not None else None

    def ensure_part(kind: str, name: str, content_type: str, empty: str) -> str:
        target = rel_target(kind)
        if target is None or target not in parts:
            target = f"word/{name}"
            etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=f"rIdCk{kind.title()}",
                             Type=f"{REL}/{kind}", Target=name)
            add_part(target, content_type, (XML_HEAD + empty).encode())
        return target

    main = f"{CT}.wordprocessingml"
    numbering_part = ensure_part("numbering", "numbering.xml", f"{main}.numbering+xml", f'<w:numbering xmlns:w="{W_NS}"/>')
    styles_part = ensure_part("styles", "styles.xml", f"{main}.styles+xml", f'<w:styles xmlns:w="{W_NS}"/>')

    # our lists (one per language column), numbered after the template's own
    numbering = _xml(parts[numbering_part])
    first_abstract = max([int(a.get(f"{W}abstractNumId")) for a in numbering.findall(f"{W}abstractNum")] + [-1]) + 1
    first_num = max([int(n.get(f"{W}numId")) for n in numbering.findall(f"{W}num")] + [0]) + 1
    num_ids = {list_lang: first_num + i for i, list_lang in enumerate(lists)}
    wrap = f'<w:x xmlns:w="{W_NS}">{{}}</w:x>'
    for i, list_lang in enumerate(lists):
        abstract_xml, num_xml = ck_numbering(style, list_lang, first_abstract + i, num_ids[list_lang], link_styles=i == 0)
        abstract = _xml(wrap.format(abstract_xml).encode())[0]
        template_num = numbering.find(f"{W}num")     # abstractNums come before every num
        if template_num is not None:
            template_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(_xml(wrap.format(num_xml).encode())[0])
    parts[numbering_part] = _bytes(numbering)
    num_id = num_ids[lists[0]]

    # the draft's styles where the template has none of that name (a template's ck… style wins)
    styles = _xml(parts[styles_part])
    existing = {s.get(f"{W}styleId") for s in styles.findall(f"{W}style")}
    for xml in ck_styles(style, lang, num_id):
        element = _xml(wrap.format(xml).encode())[0]
        if element.get(f"{W}styleId") not in existing:
            styles.append(element)
        else:
            old = next(s for s in styles.findall(f"{W}style") if s.get(f"{W}styleId") == element.get(f"{W}styleId"))
            styles.replace(old, element)   # numbering must point at this draft's list
    parts[styles_part] = _bytes(styles)

    # the body is the draft's; the last section's properties are the template's
    template_body = _xml(parts["word/document.xml"]).find(f"{W}body")
    sect = template_body.find(f"{W}sectPr") if template_body is not None else None
    sect_xml = etree.tostring(sect, encoding="unicode") if sect is not None else ""
    parts["word/document.xml"] = document(sect_xml, num_ids).encode()
    if comments:
        etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdCkComments", Type=f"{REL}/comments", Target="comments.xml")
        add_part("word/comments.xml", f"{main}.comments+xml", comments.encode())
    parts["word/_rels/document.xml.rels"] = _bytes(rels)
    parts["_rels/.rels"] = _bytes(package_rels)
    add_part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
             _core(title, lang, utc_now()).encode())
    add_part("docProps/app.xml", f"{CT}.extended-properties+xml", _app().encode())
    add_part("docProps/custom.xml", f"{CT}.custom-properties+xml", _custom(custom).encode())
    parts["[Content_Types].xml"] = _bytes(types)
    return [("[Content_Types].xml", parts.pop("[Content_Types].xml"))] + sorted(parts.items())
