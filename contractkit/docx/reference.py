"""Building a draft on a firm's own Word template (--reference-docx, .docx or .dotx): its page
setup, headers, footers and styles are kept; its old body, comments and properties are not;
the styles and the list the draft needs are added where the template lacks them."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import UserError
from . import styles as st
from .ooxml import R_NS, W_NS, XML_HEAD, field, paragraph, run
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


def _house_fonts(styles) -> dict[str, str]:
    """The faces of the template's Title and Heading 1 (through their basedOn chains), as
    `<w:rFonts>` XML; "" where the template gives none, so the draft inherits its body face."""
    from lxml import etree

    by_id = {s.get(f"{W}styleId"): s for s in styles.findall(f"{W}style")}
    by_name = {(s.find(f"{W}name").get(f"{W}val") or "").lower(): s for s in styles.findall(f"{W}style")
               if s.find(f"{W}name") is not None}

    def fonts(names: tuple[str, ...]) -> str:
        found = [by_id.get(n) if by_id.get(n) is not None else by_name.get(n.lower()) for n in names]
        element = next((e for e in found if e is not None), None)
        seen = set()
        while element is not None and id(element) not in seen:
            seen.add(id(element))
            rfonts = element.find(f"{W}rPr/{W}rFonts")
            if rfonts is not None:
                return etree.tostring(rfonts, encoding="unicode").replace(f' xmlns:w="{W_NS}"', "")
            based = element.find(f"{W}basedOn")
            element = by_id.get(based.get(f"{W}val")) if based is not None else None
        return ""

    return {"title": fonts(("Title", "title")), "heading": fonts(("Heading1", "heading 1"))}


def _has_page_field(part) -> bool:
    instructions = [t.text or "" for t in part.iter(f"{W}instrText")] + [f.get(f"{W}instr") or "" for f in part.iter(f"{W}fldSimple")]
    return any("PAGE" in i.split() for i in instructions)


def reference_parts(reference: Path, style: dict, lang: str, title: str, custom: dict[str, str], document,
                    comments: str | None, lists: tuple[str, ...], header: str | None = None) -> list[tuple[str, bytes | str]]:
    """The reference template's parts around `document(sect, num_ids)` and `comments` (see write_package);
    the template's footer gets page numbers when it has none, and `header` (the text of a draft
    header) is added below the template's own header."""
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
    for xml in ck_styles(style, lang, num_id, house_fonts=_house_fonts(styles)):
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
    if sect is None:
        sect = etree.Element(f"{W}sectPr")

    def on(element) -> bool:
        return element is not None and element.get(f"{W}val", "true") not in ("false", "0", "off")

    # the kinds of header and footer the pages use: a different first page (w:titlePg) and
    # different even pages (w:evenAndOddHeaders, a document setting) each have their own
    settings_part = rel_target("settings")
    settings = _xml(parts[settings_part]) if settings_part in parts else None
    used = ["default"] + (["first"] if on(sect.find(f"{W}titlePg")) else []) \
        + (["even"] if settings is not None and on(settings.find(f"{W}evenAndOddHeaders")) else [])

    def section_part(kind: str, paragraph_xml: str, wanted) -> None:
        """`paragraph_xml` at the end of each header or footer (`kind`) the pages use, unless
        `wanted(part)` is false; a part of our own where the template has none of that type."""
        done = set()
        for page in used:
            ref = next((r for r in sect.findall(f"{W}{kind}Reference") if r.get(f"{W}type", "default") == page), None)
            rel = next((r for r in rels if ref is not None and r.get("Id") == ref.get(f"{{{R_NS}}}id")), None)
            name = "word/" + rel.get("Target").lstrip("/").removeprefix("word/") if rel is not None else None
            if name is not None and name in parts:
                if name not in done:
                    done.add(name)
                    part = _xml(parts[name])
                    if wanted(part):
                        part.append(_xml(f'<w:x xmlns:w="{W_NS}">{paragraph_xml}</w:x>'.encode())[0])
                        parts[name] = _bytes(part)
                continue
            suffix = "1" if page == "default" else page.title()
            name, rid = f"ck{kind.title()}{suffix}.xml", f"rIdCk{kind.title()}{suffix}"
            tag = "hdr" if kind == "header" else "ftr"
            etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=rid, Type=f"{REL}/{kind}", Target=name)
            add_part(f"word/{name}", f"{main}.{kind}+xml",
                     f'{XML_HEAD}<w:{tag} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{paragraph_xml}</w:{tag}>'.encode())
            if ref is not None:
                sect.remove(ref)
            new = etree.Element(f"{W}{kind}Reference", {f"{W}type": page, f"{{{R_NS}}}id": rid}, nsmap={"r": R_NS})
            # header and footer references come first among a section's properties, headers first
            refs = sect.findall(f"{W}headerReference") + (sect.findall(f"{W}footerReference") if kind == "footer" else [])
            if refs:
                refs[-1].addnext(new)
            else:
                sect.insert(0, new)

    section_part("footer", paragraph(st.FOOTER, field("PAGE", "1")), lambda part: not _has_page_field(part))
    if header:
        section_part("header", paragraph(st.HEADER, run(header)), lambda part: True)
    sect_xml = etree.tostring(sect, encoding="unicode")
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
