"""The .docx package: parts, relationships and properties (with the reproducibility stamp),
written into a file object that files.write_together puts in place only when it is complete."""
from __future__ import annotations

import datetime as _dt
import zipfile
from pathlib import Path

from .. import __version__
from ..draft import Draft
from .document import comments_xml, commented_articles, document_xml, footer_xml, header_xml
from .ooxml import W_NS, XML_HEAD, esc
from .styles import NUM_ID, numbering_xml, styles_xml

CT = "application/vnd.openxmlformats-officedocument"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp_properties(draft: Draft) -> dict[str, str]:
    return {
        "contractkit.version": __version__,
        "contractkit.answers_sha256": draft.answers_sha256,
        "contractkit.clauses": ",".join(draft.stamp),
    }


def _content_types(overrides: dict[str, str]) -> str:
    return (XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides.items()) + "</Types>")


def _rels(items: list[tuple[str, str, str]]) -> str:
    return (XML_HEAD + f'<Relationships xmlns="{PKG_REL}">'
            + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
            + "</Relationships>")


def _core(title: str, lang: str, now: str) -> str:
    return (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{esc(title)}</dc:title><dc:creator>contractkit</dc:creator>'
            f'<cp:lastModifiedBy>contractkit</cp:lastModifiedBy><dc:language>{"ja-JP" if lang == "ja" else "en-US"}</dc:language>'
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


def _font_table(style: dict, lang: str) -> str:
    """The faces the styles name; East Asian faces carry the Japanese charset so that Word
    substitutes a Japanese face where they are not installed."""
    fonts = style["fonts"][lang]
    east_asian = {fonts["east_asia"], fonts.get("heading_east_asia", fonts["east_asia"])}
    names = dict.fromkeys([fonts["latin"], fonts.get("heading_latin", fonts["latin"]), *sorted(east_asian)])
    entries = "".join(f'<w:font w:name="{esc(name)}">' + ('<w:charset w:val="80"/>' if name in east_asian else "")
                      + "</w:font>" for name in names)
    return XML_HEAD + f'<w:fonts xmlns:w="{W_NS}">{entries}</w:fonts>'


def _theme(style: dict, lang: str) -> str:
    """A plain Office theme whose fonts are the draft's own, so nothing falls back to a theme face."""
    fonts = style["fonts"][lang]
    colours = {"dk2": "44546A", "lt2": "E7E6E6", "accent1": "4472C4", "accent2": "ED7D31", "accent3": "A5A5A5",
               "accent4": "FFC000", "accent5": "5B9BD5", "accent6": "70AD47", "hlink": "0563C1", "folHlink": "954F72"}
    scheme = ('<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
              + "".join(f'<a:{k}><a:srgbClr val="{v}"/></a:{k}>' for k, v in colours.items()))

    def face(latin: str, east_asia: str) -> str:
        return f'<a:latin typeface="{esc(latin)}"/><a:ea typeface="{esc(east_asia)}"/><a:cs typeface=""/>'

    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    return (XML_HEAD + '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="contractkit">'
            f'<a:themeElements><a:clrScheme name="contractkit">{scheme}</a:clrScheme>'
            '<a:fontScheme name="contractkit">'
            f'<a:majorFont>{face(fonts.get("heading_latin", fonts["latin"]), fonts.get("heading_east_asia", fonts["east_asia"]))}</a:majorFont>'
            f'<a:minorFont>{face(fonts["latin"], fonts["east_asia"])}</a:minorFont></a:fontScheme>'
            '<a:fmtScheme name="contractkit">'
            f'<a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
            f'<a:lnStyleLst>{line * 3}</a:lnStyleLst>'
            f'<a:effectStyleLst>{"<a:effectStyle><a:effectLst/></a:effectStyle>" * 3}</a:effectStyleLst>'
            f'<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst>'
            '</a:fmtScheme></a:themeElements></a:theme>')


def package_parts(document: str, style: dict, lang: str, title: str, custom: dict[str, str],
                  comments: str | None = None, header: str | None = None,
                  lists: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """Every part of a .docx around a body: styles and numbering from the style file, footer page
    numbers, an optional header and comments, and the properties."""
    now = utc_now()
    main = f"{CT}.wordprocessingml"
    word_parts = [  # (part, content type, relationship id, relationship type, xml)
        ("styles.xml", f"{main}.styles+xml", "rIdStyles", "styles", styles_xml(style, lang)),
        ("numbering.xml", f"{main}.numbering+xml", "rIdNumbering", "numbering", numbering_xml(style, lists or (lang,))),
        ("settings.xml", f"{main}.settings+xml", "rIdSettings", "settings", _settings()),
        ("fontTable.xml", f"{main}.fontTable+xml", "rIdFonts", "fontTable", _font_table(style, lang)),
        ("theme/theme1.xml", f"{CT}.theme+xml", "rIdTheme", "theme", _theme(style, lang)),
        ("footer1.xml", f"{main}.footer+xml", "rIdFooter1", "footer", footer_xml()),
    ]
    if header:
        word_parts.append(("header1.xml", f"{main}.header+xml", "rIdHeader1", "header", header))
    if comments:
        word_parts.append(("comments.xml", f"{main}.comments+xml", "rIdComments", "comments", comments))
    overrides = {"word/document.xml": f"{main}.document.main+xml",
                 **{f"word/{p}": t for p, t, *_ in word_parts},
                 "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
                 "docProps/app.xml": f"{CT}.extended-properties+xml",
                 "docProps/custom.xml": f"{CT}.custom-properties+xml"}
    return [
        ("[Content_Types].xml", _content_types(overrides)),
        ("_rels/.rels", _rels([
            ("rId1", f"{REL}/officeDocument", "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
            ("rId4", f"{REL}/custom-properties", "docProps/custom.xml"),
        ])),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _rels([(rid, f"{REL}/{kind}", p) for p, _, rid, kind, _ in word_parts])),
        *[(f"word/{p}", xml) for p, _, _, _, xml in word_parts],
        ("docProps/core.xml", _core(title, lang, now)),
        ("docProps/app.xml", _app()),
        ("docProps/custom.xml", _custom(custom)),
    ]


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def draft_header_text(draft_header: tuple[str, str] | None, langs: tuple[str, ...]) -> str | None:
    """The "draft" header (--draft-header VERSION, --draft-date): ドラフト v2（2026年12月1日） /
    Draft v2 (December 1, 2026), both for a bilingual draft; None without one."""
    if draft_header is None:
        return None
    version, day = draft_header[0], _dt.date.fromisoformat(draft_header[1])
    texts = {"ja": f"ドラフト {version}（{day.year}年{day.month}月{day.day}日）",
             "en": f"Draft {version} ({MONTHS[day.month - 1]} {day.day}, {day.year})"}   # as the date line writes it
    return " / ".join(texts[lang] for lang in langs)


def write_docx(draft: Draft, style: dict, target: Path, comments: bool = True, reference: Path | None = None,
               draft_header: tuple[str, str] | None = None) -> None:
    draft.created = utc_now()
    with_comments = comments and bool(commented_articles(draft))
    header = draft_header_text(draft_header, (draft.lang,))
    write_package(target, style, draft.lang, draft.title, stamp_properties(draft),
                  lambda sect, num_ids: document_xml(draft, style, with_comments, sect=sect, header=bool(header)),
                  comments_xml(draft) if with_comments else None, reference, header=header)


def write_package(target: Path, style: dict, lang: str, title: str, custom: dict[str, str], document,
                  comments: str | None, reference: Path | None, lists: tuple[str, ...] | None = None,
                  header: str | None = None) -> None:
    """Write a draft whose document.xml is `document(sect, num_ids)` (`sect`: a template's section
    properties, or None for the style file's page; `num_ids`: the numId of each language's list in
    `lists`), alone or on a firm's reference template; `header`: the text of a draft header."""
    lists = lists or (lang,)
    if reference is None:
        num_ids = {list_lang: NUM_ID + i for i, list_lang in enumerate(lists)}
        parts = package_parts(document(None, num_ids), style, lang, title, custom, comments=comments, lists=lists,
                              header=header_xml(header) if header else None)
    else:
        from .reference import reference_parts
        parts = reference_parts(Path(reference), style, lang, title, custom, document, comments, lists, header=header)
    write_parts(parts, target)


def write_parts(parts: list[tuple[str, str]], target) -> None:
    """The package into `target`, a binary file object (files.write_together gives one that
    becomes the file only when everything is written) or a path."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts:
            zf.writestr(name, xml.encode("utf-8") if isinstance(xml, str) else xml)
