"""Reading a .docx the way Word reads it: the parts found through [Content_Types].xml and the
relationships (never by guessing names), every XML part parsed by a real XML parser, elements
matched by namespace URI (never by prefix), and bounds on what an untrusted file may make us
read. `check`, `verify` and `packs test` read drafts only through this module."""
from __future__ import annotations

import posixpath
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .errors import UserError

# Bounds on an untrusted package: a zip bomb gets a one-line message, not our memory
MAX_PARTS = 5000
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024

W_NSS = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
         "http://purl.oclc.org/ooxml/wordprocessingml/main")          # transitional, strict
R_NSS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         "http://purl.oclc.org/ooxml/officeDocument/relationships")
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_TYPES = ("document.main+xml", "template.main+xml", "document.macroEnabled.main+xml",
              "template.macroEnabledTemplate.main+xml")


@dataclass(frozen=True)
class Rel:
    id: str
    kind: str          # the last segment of the relationship type: "header", "comments", "oleObject" …
    target: str        # a part name (no leading slash), or the URL of an external target
    external: bool


def local(element) -> str:
    """An element's or attribute's local name ('' for comments and processing instructions)."""
    tag = element.tag if not isinstance(element, str) else element
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def is_w(element, *names: str) -> bool:
    """A WordprocessingML element (transitional or strict namespace) of one of `names`."""
    return namespace(element) in W_NSS and local(element) in names


def w_attr(element, name: str, default=None):
    """A w: attribute; an unqualified one as well (which a hand-written part in the default
    namespace has), as a reader that must not miss anything."""
    for ns in W_NSS:
        value = element.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return element.get(name, default)


def w_children(element, *names: str) -> list:
    return [c for c in element if is_w(c, *names)]


def w_child(element, name: str):
    return next((c for c in element if is_w(c, name)), None)


def w_iter(element, *names: str):
    for ns in W_NSS:
        yield from element.iter(*[f"{{{ns}}}{n}" for n in names])


def r_attrs(element) -> list[str]:
    """The values of an element's attributes in the relationships namespace (r:id, r:embed …)."""
    return [v for k, v in element.attrib.items() if k.startswith("{") and k[1:].split("}")[0] in R_NSS]


def on(element) -> bool:
    """An ST_OnOff property element: present means on, unless w:val says false/0/off."""
    value = w_attr(element, "val")
    return value is None or value.strip().lower() not in ("false", "0", "off")


def _entry_count(path: Path) -> int | None:
    """The number of entries the zip's end-of-central-directory record declares (before zipfile
    reads the whole directory into memory), or None where it cannot tell."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    count = struct.unpack("<H", tail[at + 10:at + 12])[0]
    return None if count == 0xFFFF else count


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


class Package:
    """An opened .docx (or .dotx/.docm): its parts, content types and relationships."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.shown = str(path)
        try:
            count = _entry_count(self.path)
            if count is not None and count > MAX_PARTS:
                raise self._bomb(f"{count} parts")
            self.zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise UserError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UserError(f"{path}: not a Word document (a folder)") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            if _starts_with(self.path, b"\xd0\xcf\x11\xe0"):
                raise UserError(f"{path}: a password-protected or old-format (.doc) Word file, which cannot be read; "
                                "save it as an unprotected .docx") from None
            raise UserError(f"{path}: not a Word document ({exc})") from None
        try:
            self._index()
        except BaseException:
            self.zip.close()
            raise

    def _index(self) -> None:
        path = self.shown
        infos = [i for i in self.zip.infolist() if not i.filename.endswith("/")]
        if len(infos) > MAX_PARTS:
            raise self._bomb(f"{len(infos)} parts")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_BYTES or any(i.file_size > MAX_PART_BYTES for i in infos):
            raise self._bomb(f"{declared:,} bytes uncompressed")
        # part names are case-insensitive (OPC); a zip may spell them as it likes
        self._info = {}
        for info in infos:
            key = info.filename.lstrip("/").lower()
            if key in self._info:
                raise UserError(f"{path}: not a Word document (the part {info.filename} is in it twice)")
            self._info[key] = info
        self._read_total = 0
        self._bytes: dict[str, bytes] = {}
        self._xml: dict[str, object] = {}
        self._rels: dict[str, list[Rel]] = {}
        self._types()
        self.main = self._main_part()

    def _bomb(self, what: str) -> UserError:
        return UserError(f"{self.shown}: refused to read: {what}, far beyond any Word document "
                         f"(at most {MAX_PARTS} parts, {MAX_TOTAL_BYTES // 2**20} MB uncompressed); a zip bomb?")

    # --- parts ------------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return sorted(i.filename.lstrip("/") for i in self._info.values())

    def has(self, name: str) -> bool:
        return name.lower() in self._info

    def name(self, name: str) -> str:
        """The part's name as the zip spells it."""
        return self._info[name.lower()].filename.lstrip("/")

    def read(self, name: str) -> bytes:
        key = name.lower()
        if key in self._bytes:
            return self._bytes[key]
        info = self._info.get(key)
        if info is None:
            raise UserError(f"{self.shown}: not a Word document (the part {name} it refers to is missing)")
        try:
            with self.zip.open(info) as fh:      # the declared size may lie: read no more than allowed
                data = fh.read(min(MAX_PART_BYTES, MAX_TOTAL_BYTES - self._read_total) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise UserError(f"{self.shown}: {info.filename}: cannot be read ({exc})") from None
        self._read_total += len(data)
        if len(data) > MAX_PART_BYTES or self._read_total > MAX_TOTAL_BYTES:
            raise self._bomb(f"{info.filename} inflates beyond {len(data):,} bytes")
        self._bytes[key] = data
        return data

    def content_type(self, name: str) -> str:
        override = self._overrides.get("/" + name.lower())
        if override:
            return override
        return self._defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def is_xml(self, name: str) -> bool:
        ct = self.content_type(name)
        return ct.endswith("xml") or name.lower().endswith((".xml", ".rels"))

    def xml(self, name: str):
        """The parsed root element of an XML part (any encoding its declaration or BOM names);
        a part that is not well-formed, or declares a DTD, cannot be read."""
        key = name.lower()
        if key not in self._xml:
            from lxml import etree
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                     remove_blank_text=False)
            try:
                root = etree.fromstring(self.read(name), parser)
            except (etree.XMLSyntaxError, ValueError) as exc:
                raise UserError(f"{self.shown}: {self.name(name)} is not well-formed XML ({exc}); "
                                "Word cannot open it either") from None
            if root.getroottree().docinfo.doctype:
                raise UserError(f"{self.shown}: {self.name(name)} declares a DTD, which Word never writes "
                                "and does not open") from None
            self._xml[key] = root
        return self._xml[key]

    # --- content types and relationships -----------------------------------------------------
    def _types(self) -> None:
        if not self.has("[Content_Types].xml"):
            raise UserError(f"{self.shown}: not a Word document (no [Content_Types].xml)")
        root = self.xml("[Content_Types].xml")
        self._defaults, self._overrides = {}, {}
        for item in root:
            if namespace(item) != CT_NS:
                continue
            if local(item) == "Default" and item.get("Extension"):
                self._defaults[item.get("Extension").lower()] = item.get("ContentType", "")
            elif local(item) == "Override" and item.get("PartName"):
                self._overrides["/" + unquote(item.get("PartName")).lstrip("/").lower()] = item.get("ContentType", "")

    @staticmethod
    def rels_name(source: str) -> str:
        folder, base = posixpath.split(source)
        return posixpath.join(folder, "_rels", base + ".rels")

    def rels(self, source: str = "") -> list[Rel]:
        """The relationships of a part ('' for the package's own)."""
        if source in self._rels:
            return self._rels[source]
        name = self.rels_name(source) if source else "_rels/.rels"
        out = []
        if self.has(name):
            base = posixpath.dirname(source)
            for item in self.xml(name):
                if local(item) != "Relationship" or namespace(item) != PKG_REL_NS:
                    continue
                target, kind = item.get("Target", ""), item.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
                external = item.get("TargetMode", "") == "External"
                if not external:
                    target = unquote(target.split("#")[0])
                    target = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                    target = posixpath.normpath(target).lstrip("/")
                    if self.has(target):
                        target = self.name(target)
                out.append(Rel(item.get("Id", ""), kind, target, external))
        self._rels[source] = out
        return out

    def related(self, source: str, kind: str) -> list[str]:
        """The parts `source` points at with relationships of `kind` that are in the package."""
        return [r.target for r in self.rels(source) if r.kind == kind and not r.external and self.has(r.target)]

    def _main_part(self) -> str:
        mains = [r.target for r in self.rels("") if r.kind == "officeDocument" and not r.external]
        if not mains:
            raise UserError(f"{self.shown}: not a Word document (no main document in its relationships)")
        main = mains[0]
        if not self.has(main):
            raise UserError(f"{self.shown}: not a Word document (its main document {main} is missing)")
        ct = self.content_type(main)
        if not ct.endswith(MAIN_TYPES) or not (".wordprocessingml." in ct or "ms-word." in ct):
            raise UserError(f"{self.shown}: not a Word document (its main part {main} is '{ct or 'of no type'}')")
        return self.name(main)

    def reachable(self) -> dict[str, tuple[str, str]]:
        """Every part reached through relationships from the package: name → (kind, source)."""
        seen: dict[str, tuple[str, str]] = {}
        todo = [""]
        while todo:
            source = todo.pop()
            for rel in self.rels(source):
                if rel.external or not self.has(rel.target) or rel.target in seen:
                    continue
                seen[rel.target] = (rel.kind, source)
                todo.append(rel.target)
        return seen

    def part_of(self, source: str, kind: str) -> str | None:
        found = self.related(source, kind)
        return found[0] if found else None

    def close(self) -> None:
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_package(path: Path) -> Package:
    return Package(Path(path))


# --- text ------------------------------------------------------------------------------------
def run_text(run, deleted: bool = False) -> str:
    out = []
    for el in run.iter():
        if is_w(el, "t") or (deleted and is_w(el, "delText")):
            out.append(el.text or "")
        elif is_w(el, "tab", "ptab"):
            out.append("\t")
        elif is_w(el, "br", "cr"):
            out.append("\n")
        elif is_w(el, "noBreakHyphen"):
            out.append("-")
    return "".join(out)


def paragraph_text(paragraph) -> str:
    """A paragraph's text as Word shows it (tracked deletions left out), nested paragraphs
    (text boxes) not included."""
    out = []
    for el in paragraph.iter():
        if is_w(el, "t", "tab", "ptab", "br", "cr", "noBreakHyphen") and nearest_paragraph(el) is paragraph:
            out.append(run_text(el) if not is_w(el, "t") else (el.text or ""))
    return "".join(out)


def nearest_paragraph(element):
    node = element.getparent() if element is not None else None
    while node is not None and not is_w(node, "p"):
        node = node.getparent()
    return node


def paragraphs(root) -> list:
    return list(w_iter(root, "p"))


def story_text(root) -> str:
    """A story part's text, a line per paragraph."""
    return "\n".join(paragraph_text(p) for p in paragraphs(root))


def main_text(path: Path) -> str:
    """The text of a draft's main document, a line per paragraph (tables' cells included)."""
    with open_package(path) as package:
        return story_text(package.xml(package.main))


# --- where in the body ------------------------------------------------------------------------
ARTICLE_STYLE, PARA_STYLES, ITEM_STYLES = "ckArticle", ("ckParagraphFirst", "ckParagraph"), ("ckItemFirst", "ckItem")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def quote(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return f'"{text[:width]}…"' if len(text) > width else f'"{text}"'


class Places:
    """Where a paragraph of the main document is, in a lawyer's words: 第５条 paragraph 2 (or
    Article 5 paragraph 2; in a side-by-side draft each column counts its own articles), or a
    short quote of the paragraph outside the articles."""

    def __init__(self, root, lang: str = "ja"):
        self.where: dict = {}      # paragraph element → place (the keys keep lxml's proxies alive)
        counters: dict[int, list[int]] = {}
        everything = paragraphs(root)
        bilingual = any(self._role(p) == "heading" and self._column(p) == 1 for p in everything)
        for p in everything:
            if nearest_paragraph(p) is not None:         # a text box's paragraph: its anchor's place
                continue
            column = self._column(p)
            col_lang = ("ja", "en")[column] if bilingual and column in (0, 1) else lang
            article, para, item = counters.setdefault(column, [0, 0, 0])
            role = self._role(p)
            if role == "heading":
                counters[column] = [article + 1, 0, 0]
                self.where[p] = f"{self.article(article + 1, col_lang)} heading"
                continue
            if article == 0 or role is None:
                continue
            if role == "item":
                counters[column][2] = item + 1
                self.where[p] = f"{self.article(article, col_lang)} paragraph {max(para, 1)} item {item + 1}"
            else:
                counters[column][1:] = [para + 1, 0]
                self.where[p] = f"{self.article(article, col_lang)} paragraph {para + 1}"

    @classmethod
    def _role(cls, p) -> str | None:
        """heading, paragraph or item of an article; None for the title, closing, signatures …"""
        style = cls._style(p)
        level = cls._level(p)
        if style == ARTICLE_STYLE or (style == "ckCellHeading" and level == "0"):
            return "heading"
        if style in ITEM_STYLES or (style == "ckCell" and level in ("2", "4")):
            return "item"
        if style in PARA_STYLES or (style == "ckCell" and level in ("1", "3")):
            return "paragraph"
        return "paragraph" if not (style or "").startswith("ck") else None

    @staticmethod
    def _level(p) -> str | None:
        ppr = w_child(p, "pPr")
        num = w_child(ppr, "numPr") if ppr is not None else None
        level = w_child(num, "ilvl") if num is not None else None
        return w_attr(level, "val") if level is not None else None

    @staticmethod
    def article(number: int, lang: str) -> str:
        return f"第{str(number).translate(FULLWIDTH)}条" if lang == "ja" else f"Article {number}"

    @staticmethod
    def _style(p) -> str | None:
        ppr = w_child(p, "pPr")
        style = w_child(ppr, "pStyle") if ppr is not None else None
        return w_attr(style, "val") if style is not None else None

    @staticmethod
    def _column(p) -> int:
        cell = p.getparent()
        while cell is not None and not is_w(cell, "tc"):
            cell = cell.getparent()
        if cell is None:
            return -1
        row = w_children(cell.getparent(), "tc")
        return row.index(cell) if cell in row else -1

    def of(self, element) -> str:
        """The place of any element of the body: its paragraph's article and paragraph, or a quote."""
        p = element if is_w(element, "p") else nearest_paragraph(element)
        before = ""
        if p is None:                    # a paragraph-level element (w:ins around paragraphs, w:altChunk …)
            following = next((e for e in element.iter() if is_w(e, "p")), None)
            if following is None:
                before = "before "
                following = element.getnext()
                while following is not None and not is_w(following, "p", "tbl"):
                    following = following.getnext()
            if following is None:
                return "the end of the body"
            p = following if is_w(following, "p") else next(w_iter(following, "p"), None)
            if p is None:
                return "a table"
        while nearest_paragraph(p) is not None:
            p = nearest_paragraph(p)
        text = paragraph_text(p)
        place = self.where.get(p)
        if place and text.strip():
            return f"{before}{place} ({quote(text)})"
        return before + (place or (quote(text) if text.strip() else "an empty paragraph"))


def at(place: str) -> str:
    """'at 第５条 paragraph 2', or 'before …' for what stands between paragraphs."""
    return place if place.startswith("before ") else f"at {place}"


def document_lang(package: Package) -> str:
    """The draft's language as its core properties say (contractkit writes ja-JP or en-US)."""
    core = package.part_of("", "core-properties")
    if core:
        for el in package.xml(core).iter():
            if local(el) == "language" and (el.text or "").lower().startswith("en"):
                return "en"
    return "ja"
