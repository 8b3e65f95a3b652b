"""Reading a .docx back: is it safe to send to the other side (`check`), and was it built from
these answers (`verify`). Works on any draft, including one a lawyer has since edited in Word.
Every part is read as Word reads it (contractkit/reading.py): through the content types and the
relationships, with an XML parser, by namespace URI."""
from __future__ import annotations

from pathlib import Path

from .reading import (W_NSS, Package, Places, at, document_lang, is_w, local, namespace, nearest_paragraph, on, open_package,
                      paragraph_text, quote, r_attrs, run_text, w_attr, w_child, w_children, w_iter)

STAMP = ("contractkit.version", "contractkit.answers_sha256", "contractkit.clauses")
OURS = "contractkit"            # the author and last-modified-by contractkit writes
STORIES = ("header", "footer", "footnotes", "endnotes", "comments")
TRACKED = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
           "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellIns", "cellDel",
           "cellMerge", "customXmlInsRangeStart", "customXmlDelRangeStart", "customXmlMoveFromRangeStart",
           "customXmlMoveToRangeStart", "moveFromRangeStart", "moveToRangeStart")
HIDING = ("vanish", "webHidden", "specVanish")
CANNOT = "cannot inspect; remove it or check it by hand"
EMBEDDED = {  # relationship kinds whose target contractkit cannot read
    "oleObject": "an embedded object", "package": "an embedded file", "aFChunk": "imported content (altChunk)",
    "control": "an ActiveX control", "activeXControlBinary": "an ActiveX control", "vbaProject": "macros",
    "subDocument": "a linked sub-document", "attachedTemplate": "an attached template",
    "thumbnail": "a preview picture of the first page",
}
HIGHLIGHTS = {"black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
              "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080",
              "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
              "darkGray": "808080", "lightGray": "C0C0C0"}
TINY = 2                        # half-points: 1 pt text cannot be read
PER_KIND = 5                    # findings of one kind in one part before "… and N more"


# --- check ------------------------------------------------------------------------------------
def check_draft(path: Path) -> list[str]:
    """Each reason the draft is not ready for the counterparty; empty when it is. A draft that
    cannot be read at all raises UserError (exit 2)."""
    with open_package(Path(path)) as package:
        return Checker(package).run()


class Checker:
    def __init__(self, package: Package):
        self.package = package
        self.findings: list[str] = []
        self.lang = document_lang(package)
        self.reached = package.reachable()

    def add(self, text: str) -> None:
        self.findings.append(text)

    def run(self) -> list[str]:
        pkg = self.package
        for name in pkg.names:          # every XML part must parse, reached or not
            if pkg.is_xml(name):
                pkg.xml(name)
        main = pkg.main
        glossary = pkg.part_of(main, "glossaryDocument")
        stories = [(main, main)] + [(p, main) for kind in STORIES for p in pkg.related(main, kind)]
        if glossary:
            stories += [(glossary, glossary)] + [(p, glossary) for kind in STORIES for p in pkg.related(glossary, kind)]
        self.comments(main)
        for story, owner in stories:
            self.story(story, owner, glossary=story == glossary)
        for name in pkg.names:
            if pkg.is_xml(name) and not name.endswith(".rels") and name not in dict(stories):
                self.tracked(name, pkg.xml(name), None)
        self.settings(main)
        self.properties()
        self.embedded()
        self.custom_xml()
        self.unreached()
        return self.findings

    # comments and the names of those who wrote them
    def comments(self, main: str) -> None:
        pkg = self.package
        parts = set(pkg.related(main, "comments"))
        parts |= {n for n in pkg.names if pkg.content_type(n).endswith(".comments+xml")}
        for part in sorted(parts):
            found = [c for c in pkg.xml(part).iter() if is_w(c, "comment")]
            authors = sorted({w_attr(c, "author") for c in found if w_attr(c, "author")})
            by = f" by {', '.join(authors)}" if authors else ""
            self.add(f"{part}: {len(found)} comment(s){by}: internal notes; rebuild with --clean or delete them in Word")
        for kind in ("commentsExtended", "commentsIds", "commentsExtensible", "people"):
            for part in pkg.related(main, kind):
                if kind == "people":
                    names = sorted({v for p in pkg.xml(part).iter() if local(p) == "person"
                                    for k, v in p.attrib.items() if local(k) == "author"})
                    if names:
                        self.add(f"{part}: the names of {len(names)} reviewer(s): {', '.join(names)}; remove them")
                elif not parts:
                    self.add(f"{part}: comment data without comments; remove it")

    # a story: tracked changes, placeholders, hidden, white or tiny text
    def story(self, part: str, owner: str, glossary: bool) -> None:
        pkg = self.package
        root = pkg.xml(part)
        places = Places(root, self.lang) if part == pkg.main else None
        styles = Styles(pkg.xml(s) if (s := pkg.part_of(owner, "styles")) else None)
        self.tracked(part, root, places)
        placeholders, hidden, invisible, tiny, stored = [], [], [], [], []
        background = self.page_colour(root) if part == pkg.main else "FFFFFF"
        for p in w_iter(root, "p"):
            text = paragraph_text(p)
            deleted = "".join(run_text(r, deleted=True) for r in w_iter(p, "r") if nearest_paragraph(r) is p)
            if "●" in text or "●" in deleted:
                placeholders.append(p)
            if glossary and text.strip() and not self.placeholder_part(p):
                stored.append(p)
            pstyle = Styles.pstyle(p)
            for r in w_children_deep(p):
                words = run_text(r, deleted=True)
                if not words.strip():
                    continue
                props = styles.run_props(pstyle, r)
                why = [f"w:{k}" + (f" from style '{props[k][1]}'" if props[k][1] else "") for k in HIDING
                       if k in props and props[k][0]]
                if why:
                    hidden.append((p, words, ", ".join(why)))
                colour = props.get("color", (None,))[0]
                behind = props.get("highlight", (None,))[0] or props.get("shd", (None,))[0] or self.shading(p) \
                    or background
                if colour and _close(colour, behind):
                    name = "white text" if _close(colour, "FFFFFF") else f"text coloured #{colour} on #{behind}"
                    invisible.append((p, words, name))
                size = props.get("sz", (None,))[0]
                if size is not None and size <= TINY:
                    tiny.append((p, words, f"{size / 2:g}-pt text"))
        where = (lambda e: places.of(e)) if places else (lambda e: quote(paragraph_text(e)) if
                                                          is_w(e, "p") else quote(paragraph_text(nearest_paragraph(e))))
        self.listed(part, [f"placeholder left at {where(p)}: fill it in" for p in placeholders])
        for kind, found in (("hidden text", hidden), ("invisible", invisible), ("unreadable", tiny)):
            self.listed(part, [f"{what} at {where(p)}: {quote(words)}: the other side can reveal it; delete it"
                               if kind != "hidden text" else
                               f"hidden text ({what}) at {where(p)}: {quote(words)}; delete it"
                               for p, words, what in found])
        if stored:
            self.listed(part, [f"text stored in a building block, not shown in the draft: {quote(paragraph_text(p))}; "
                               "remove the building blocks (glossary) or check them by hand" for p in stored])

    def listed(self, part: str, items: list[str]) -> None:
        for item in items[:PER_KIND]:
            self.add(f"{part}: {item}")
        if len(items) > PER_KIND:
            self.add(f"{part}: … and {len(items) - PER_KIND} more like these")

    def tracked(self, part: str, root, places) -> None:
        changes = [e for e in root.iter() if is_w(e, *TRACKED)]
        if not changes:
            return
        authors = sorted({a for e in changes if (a := w_attr(e, "author"))})
        by = f" by {', '.join(authors)}" if authors else ""
        kinds = sorted({f"w:{local(e)}" for e in changes})
        first = places.of(changes[0]) if places else (quote(paragraph_text(nearest_paragraph(changes[0])))
                                                      if nearest_paragraph(changes[0]) is not None else "")
        where = f", the first {at(first)}" if first else ""
        self.add(f"{part}: {len(changes)} tracked change(s){by} ({', '.join(kinds)}){where}: accept or reject them")

    @staticmethod
    def placeholder_part(p) -> bool:
        """A building block Word keeps for a content control's prompt text."""
        node = p
        while node is not None and not is_w(node, "docPart"):
            node = node.getparent()
        if node is None:
            return False
        return any(is_w(g, "gallery") and w_attr(g, "val") == "placeholder" for g in node.iter())

    @staticmethod
    def page_colour(root) -> str:
        background = w_child(root, "background")
        colour = w_attr(background, "color") if background is not None else None
        return _hex(colour) or "FFFFFF"

    @staticmethod
    def shading(p):
        """The fill behind a paragraph: its own shading, its table cell's, its table's."""
        node = p
        while node is not None:
            props = w_child(node, {"p": "pPr", "tc": "tcPr", "tbl": "tblPr"}.get(local(node), "")) \
                if is_w(node, "p", "tc", "tbl") else None
            shd = w_child(props, "shd") if props is not None else None
            fill = _hex(w_attr(shd, "fill")) if shd is not None else None
            if fill:
                return fill
            node = node.getparent()
        return None

    # settings: document variables, an attached template's path
    def settings(self, main: str) -> None:
        pkg = self.package
        for part in pkg.related(main, "settings"):
            self.listed(part, [f"document variable '{w_attr(var, 'name')}' = {quote(w_attr(var, 'val') or '')}: "
                               "internal information; remove it" for var in w_iter(pkg.xml(part), "docVar")])

    # core, extended and custom properties
    def properties(self) -> None:
        pkg = self.package
        for part in pkg.related("", "core-properties"):
            for el in pkg.xml(part):
                name, value = local(el), (el.text or "").strip()
                if name in ("creator", "lastModifiedBy") and value and value != OURS:
                    label = "author" if name == "creator" else "last modified by"
                    self.add(f"{part}: {label} '{value}': a name the other side should not see; remove it "
                             "(File > Info > Check for Issues > Inspect Document)")
                elif name in ("subject", "description", "keywords", "category", "contentStatus", "identifier") and value:
                    self.add(f"{part}: {name} {quote(value)}: internal information; remove it (File > Properties)")
        for part in pkg.related("", "extended-properties"):
            for el in pkg.xml(part):
                if local(el) in ("Company", "Manager", "HyperlinkBase") and (el.text or "").strip():
                    self.add(f"{part}: {local(el)} {quote(el.text)}: internal information; remove it (File > Properties)")
        for part in pkg.related("", "custom-properties"):
            found = []
            for prop in pkg.xml(part):
                if local(prop) != "property":
                    continue
                name = prop.get("name")
                value = "".join(prop.itertext()).strip()
                if name not in STAMP:
                    what = f"= {quote(value)}" if value else "(empty)"
                    found.append(f"custom property '{name}' {what}: internal information; remove it (File > Properties)")
            self.listed(part, found)

    def embedded(self) -> None:
        pkg = self.package
        places = Places(pkg.xml(pkg.main), self.lang)
        for source in ["", *self.reached]:
            if source and not pkg.is_xml(source):
                continue
            for rel in pkg.rels(source):
                if rel.kind not in EMBEDDED:
                    continue
                where = ""
                if source == pkg.main:
                    user = next((e for e in pkg.xml(source).iter() if rel.id in r_attrs(e)), None)
                    where = f" {at(places.of(user))}" if user is not None else ""
                if rel.external:
                    self.add(f"{source or 'the package'}: {EMBEDDED[rel.kind]} '{rel.target}' outside the file{where}: "
                             "it names a place on your computer or network; remove it")
                else:
                    self.add(f"{source or 'the package'}: {EMBEDDED[rel.kind]} {rel.target}{where}: {CANNOT}")
        for el in pkg.xml(pkg.main).iter():
            if is_w(el, "object", "altChunk", "control") and not r_attrs(el) and not any(r_attrs(c) for c in el.iter()):
                self.add(f"{pkg.main}: w:{local(el)} {at(places.of(el))}: {CANNOT}")

    def custom_xml(self) -> None:
        """Custom XML data (document-management metadata, a form's data): empty stores are fine."""
        pkg = self.package
        for part, (kind, _) in sorted(self.reached.items()):
            if kind != "customXml" or not pkg.is_xml(part):
                continue
            root = pkg.xml(part)
            if len(root) or (root.text or "").strip():
                self.add(f"{part}: custom XML data {quote(' '.join(root.itertext()) or local(root[0]))}: "
                         f"internal information; {CANNOT}")

    def unreached(self) -> None:
        pkg = self.package
        reached = set(self.reached) | {"[Content_Types].xml", "_rels/.rels"}
        reached |= {Package.rels_name(p) for p in self.reached}
        for name in pkg.names:
            if name not in reached and not any(name.lower() == r.lower() for r in reached):
                self.add(f"{name}: a part nothing points at: Word does not show it, but anyone who unzips the "
                         "draft can read it; remove it")


def w_children_deep(p):
    """The runs of a paragraph (inside hyperlinks, fields, content controls, insertions …), not
    those of paragraphs nested in it (text boxes)."""
    return [r for r in w_iter(p, "r") if nearest_paragraph(r) is p]


def _hex(value) -> str | None:
    if not value or value.lower() == "auto":
        return None
    value = value.strip().lstrip("#").upper()
    return value if len(value) == 6 and all(c in "0123456789ABCDEF" for c in value) else None


def _close(a: str, b: str) -> bool:
    """Two colours a reader cannot tell apart (each channel within 0x18)."""
    return all(abs(int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) <= 0x18 for i in (0, 2, 4))


class Styles:
    """The run properties a run gets from the document defaults, its paragraph's style chain,
    its character style chain and its own rPr (the nearest setting wins)."""

    PROPS = (*HIDING, "color", "sz", "shd", "highlight")

    def __init__(self, root):
        self.by_id, self.defaults, self.default_para, self._cache = {}, {}, None, {}
        if root is None:
            return
        for style in w_children(root, "style"):
            self.by_id[w_attr(style, "styleId")] = style
            if w_attr(style, "type") == "paragraph" and on_attr(w_attr(style, "default")):
                self.default_para = w_attr(style, "styleId")
        defaults = w_child(root, "docDefaults")
        rpr_default = w_child(defaults, "rPrDefault") if defaults is not None else None
        rpr = w_child(rpr_default, "rPr") if rpr_default is not None else None
        self.defaults = self.read(rpr, "document defaults") if rpr is not None else {}

    @staticmethod
    def pstyle(p) -> str | None:
        ppr = w_child(p, "pPr")
        style = w_child(ppr, "pStyle") if ppr is not None else None
        return w_attr(style, "val") if style is not None else None

    @staticmethod
    def read(rpr, source) -> dict:
        out = {}
        for el in rpr:
            name = local(el)
            if namespace(el) not in W_NSS or name not in Styles.PROPS:
                continue
            if name in HIDING:
                out[name] = (on(el), source)
            elif name == "color":          # a theme colour wins over val: background1 is white
                theme = w_attr(el, "themeColor")
                white = theme in ("background1", "light1") and not w_attr(el, "themeShade")
                out[name] = ("FFFFFF" if white else _hex(w_attr(el, "val")), source)
            elif name == "sz":
                try:
                    out[name] = (int(w_attr(el, "val")), source)
                except (TypeError, ValueError):
                    pass
            elif name == "shd":
                out[name] = (_hex(w_attr(el, "fill")), source)
            elif name == "highlight":
                out[name] = (HIGHLIGHTS.get(w_attr(el, "val") or ""), source)
        return out

    def chain(self, style_id) -> dict:
        """The run properties a style gives, its basedOn chain included."""
        if style_id in self._cache:
            return self._cache[style_id]
        asked = style_id
        seen, order = set(), []
        while style_id and style_id in self.by_id and style_id not in seen and len(order) < 50:
            seen.add(style_id)
            order.append(self.by_id[style_id])
            based = w_child(self.by_id[style_id], "basedOn")
            style_id = w_attr(based, "val") if based is not None else None
        out = {}
        for style in reversed(order):
            rpr = w_child(style, "rPr")
            if rpr is not None:
                out.update(self.read(rpr, w_attr(style, "styleId")))
        self._cache[asked] = out
        return out

    def run_props(self, pstyle, run) -> dict:
        props = dict(self.defaults)
        props.update(self.chain(pstyle if pstyle in self.by_id else self.default_para))
        rpr = w_child(run, "rPr")
        if rpr is not None:
            rstyle = w_child(rpr, "rStyle")
            if rstyle is not None:
                props.update(self.chain(w_attr(rstyle, "val")))
            props.update({k: (v, None) for k, (v, _) in self.read(rpr, None).items()})
        return props



def on_attr(value) -> bool:
    return value is not None and value.strip().lower() in ("1", "true", "on")


# --- verify -----------------------------------------------------------------------------------
PREFIXES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "http://purl.oclc.org/ooxml/wordprocessingml/main": "w",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "cp",
    "http://purl.org/dc/elements/1.1/": "dc", "http://purl.org/dc/terms/": "dcterms",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "ep",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "cup",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": "vt",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi",
}
# what legitimately changes between two builds of the same answers
VOLATILE_ATTRS = ("rsidR", "rsidRPr", "rsidRDefault", "rsidP", "rsidDel", "rsidSect", "rsidTr", "paraId", "textId")
VOLATILE_ELEMENTS = ("rsids", "proofErr", "created", "modified")
MAX_DIFFERENCES = 8             # per part, before "… and N more"
STORY_KINDS = ("officeDocument", "header", "footer", "footnotes", "endnotes", "comments", "glossaryDocument")


def verify_draft(draft: Path, answers: Path, pack_path=(), reference: Path | None = None,
                 draft_header: tuple[str, str] | None = None) -> list[str]:
    """The differences between a draft and a fresh build of `answers` (with the guideline
    comments if the draft has any, else --clean; on `reference` if given; with `draft_header`),
    part by part; empty when they match."""
    import tempfile

    from .build import build

    with open_package(Path(draft)) as have, tempfile.TemporaryDirectory() as tmp:
        clean = not any((w_attr(c, "author") or "").startswith(OURS) for part in have.related(have.main, "comments")
                        for c in have.xml(part).iter() if is_w(c, "comment"))   # no guideline comments: --clean
        fresh = build(answers, Path(tmp) / "fresh.docx", pack_path=pack_path, clean=clean, reference=reference,
                      draft_header=draft_header)
        with open_package(fresh.output) as want:
            comparison = Comparison(have, want)
            differences = comparison.run()
            if reference is None and differences and comparison.more_styles():
                differences.append("(the draft has styles the rebuilt one lacks: was it built on a firm's template? "
                                   "name it with --reference-docx)")
    return differences


class Comparison:
    def __init__(self, have: Package, want: Package):
        self.have, self.want = have, want
        self.out: list[str] = []
        self.lang = document_lang(want)

    def run(self) -> list[str]:
        have, want = self.have, self.want
        self.stamp()
        kinds_have, kinds_want = self.kinds(have), self.kinds(want)
        names = {self.key(have, n): n for n in have.names}
        wanted = {self.key(want, n): n for n in want.names}
        for key in sorted(wanted, key=lambda k: (k != "(main)", k)):
            mine = names.get(key)
            if mine is None:
                self.out.append(f"{wanted[key]}: missing (the rebuilt draft has it)")
                continue
            kind = kinds_want.get(wanted[key], "")
            if kind != kinds_have.get(mine, ""):
                self.out.append(f"{mine}: is a '{kinds_have.get(mine) or 'loose'}' part, in the rebuilt draft a "
                                f"'{kind or 'loose'}' part")
            self.part(mine, wanted[key], kind)
        for key in sorted(set(names) - set(wanted)):
            self.out.append(f"{names[key]}: a part the rebuilt draft does not have "
                            f"({kinds_have.get(names[key]) or 'nothing points at it'})")
        return self.out

    def more_styles(self) -> bool:
        def ids(pkg):
            part = pkg.part_of(pkg.main, "styles")
            return {w_attr(e, "styleId") for e in pkg.xml(part) if is_w(e, "style")} if part else set()
        return bool(ids(self.have) - ids(self.want))

    @staticmethod
    def key(pkg: Package, name: str) -> str:
        if name == pkg.main:
            return "(main)"
        if name.endswith(".rels") and Package.rels_name(pkg.main).lower() == name.lower():
            return "(main rels)"
        return name.lower()

    @staticmethod
    def kinds(pkg: Package) -> dict[str, str]:
        return {name: kind for name, (kind, _) in pkg.reachable().items()}

    def stamp(self) -> None:
        have, want = self.props(self.have), self.props(self.want)
        for key in STAMP:
            if have.get(key) != want.get(key):
                self.out.append(f"stamp {key}: the draft has {have.get(key, '(none)')!r}, the answers give {want.get(key)!r}")

    @staticmethod
    def props(pkg: Package) -> dict[str, str]:
        part = pkg.part_of("", "custom-properties")
        if not part:
            return {}
        return {p.get("name"): "".join(p.itertext()) for p in pkg.xml(part) if local(p) == "property"}

    def listed(self, part: str, items: list[str]) -> None:
        self.out += [f"{part}: {item}" for item in items[:MAX_DIFFERENCES]]
        if len(items) > MAX_DIFFERENCES:
            self.out.append(f"{part}: … and {len(items) - MAX_DIFFERENCES} more differences")

    def part(self, mine: str, theirs: str, kind: str) -> None:
        have, want = self.have, self.want
        if not have.is_xml(mine) or not want.is_xml(theirs):
            if have.read(mine) != want.read(theirs):
                self.out.append(f"{mine}: its content differs from the rebuilt draft's")
            return
        if have.content_type(mine) != want.content_type(theirs):
            self.out.append(f"{mine}: content type {have.content_type(mine)!r}, in the rebuilt draft "
                            f"{want.content_type(theirs)!r}")
        if have.read(mine) == want.read(theirs) and self.rel_targets(have, mine) == self.rel_targets(want, theirs):
            return                      # the same bytes pointing at the same parts: nothing to describe
        a, b = have.xml(mine), want.xml(theirs)
        self.targets = (self.rel_targets(have, mine), self.rel_targets(want, theirs))
        if mine == "[Content_Types].xml":
            return                      # compared part by part above
        if mine.endswith(".rels"):
            self.listed(mine, self.relationships(have, mine, want, theirs))
        elif kind in STORY_KINDS:
            self.listed(mine, self.story(a, b, mine == have.main))
        elif kind == "styles":
            self.listed(mine, self.keyed(a, b, self.style_key, "style", self.flat))
        elif kind == "numbering":
            self.listed(mine, self.keyed(a, b, self.numbering_key, "list", self.flat))
        elif kind in ("core-properties", "extended-properties"):
            fa = {_name(e.tag): (e.text or "").strip() for e in a if local(e) not in VOLATILE_ELEMENTS}
            fb = {_name(e.tag): (e.text or "").strip() for e in b if local(e) not in VOLATILE_ELEMENTS}
            self.listed(mine, [f"{k}: {fb.get(k, '(none)')!r} → {fa.get(k, '(none)')!r}" for k in sorted(set(fa) | set(fb))
                               if fa.get(k) != fb.get(k)])
        elif kind == "custom-properties":
            mine_props, their_props = self.props(have), self.props(want)
            self.listed(mine, [f"custom property '{k}': {their_props.get(k, '(none)')!r} → {mine_props.get(k, '(none)')!r}"
                               for k in sorted(set(mine_props) | set(their_props), key=str)
                               if k not in STAMP and mine_props.get(k) != their_props.get(k)])
        else:
            self.listed(mine, describe(self.flat(a, 0), self.flat(b, 1)))

    @staticmethod
    def rel_targets(pkg: Package, part: str) -> dict[str, str]:
        return {r.id: ("(main)" if r.target == pkg.main else r.target) for r in pkg.rels(part)} if part != "[Content_Types].xml" else {}

    def flat(self, element, side: int) -> list[str]:
        return flatten(element, self.targets[side])

    def relationships(self, have, mine, want, theirs) -> list[str]:
        def items(pkg, rels_part):
            source = rels_part.replace("_rels/", "").removesuffix(".rels")
            source = "" if source == ".rels" or rels_part == "_rels/.rels" else source.lstrip("/")
            main = pkg.main
            return sorted(f"{r.kind} → {'(main)' if r.target == main else r.target}{' (external)' if r.external else ''}"
                          for r in pkg.rels(source))
        a, b = items(have, mine), items(want, theirs)
        return [f"a relationship the rebuilt draft does not have: {x}" for x in a if x not in b] + \
               [f"missing relationship: {x}" for x in b if x not in a]

    # a story part, paragraph by paragraph
    def story(self, a, b, is_main: bool) -> list[str]:
        import difflib

        whole_a, whole_b = self.flat(a, 0), self.flat(b, 1)
        if whole_a == whole_b:
            return []
        pa, pb = [p for p in w_iter(a, "p")], [p for p in w_iter(b, "p")]
        fa, fb = [" | ".join(self.flat(p, 0)) for p in pa], [" | ".join(self.flat(p, 1)) for p in pb]
        places_a = Places(a, self.lang) if is_main else None
        places_b = Places(b, self.lang) if is_main else None

        def where(places, p, i):
            if places is not None:
                place = places.where.get(p)
                if place:
                    return place
            return f"paragraph {i + 1}" + (f" ({quote(paragraph_text(p))})" if paragraph_text(p).strip() else "")

        out = []
        head, tail = _common(fa, fb)
        middle = difflib.SequenceMatcher(None, fa[head:len(fa) - tail], fb[head:len(fb) - tail], autojunk=False)
        for op, i1, i2, j1, j2 in middle.get_opcodes():
            if op == "equal":
                continue
            i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
            pairs = list(zip(range(i1, i2), range(j1, j2)))
            for i, j in pairs:
                out.append(f"{where(places_b, pb[j], j)}: {self.paragraph(pa[i], pb[j])}")
            for i in range(i1 + len(pairs), i2):
                out.append(f"{where(places_a, pa[i], i)}: a paragraph the rebuilt draft does not have: "
                           f"{quote(paragraph_text(pa[i]), 60)}")
            for j in range(j1 + len(pairs), j2):
                out.append(f"{where(places_b, pb[j], j)}: missing: {quote(paragraph_text(pb[j]), 60)}")
        if not out:                     # the paragraphs match: what is around them (sections, tables)?
            out = describe(whole_a, whole_b)
        return out

    def paragraph(self, a, b) -> str:
        hidden_a, hidden_b = hidden_runs(a), hidden_runs(b)
        if hidden_a != hidden_b:
            extra = [t for t in hidden_a if t not in hidden_b]
            if extra:
                return f"a hidden run {quote(extra[0])} (the rebuilt draft has none there)"
            return f"the rebuilt draft has a hidden run {quote(hidden_b[0])} there, the draft does not"
        ta, tb = paragraph_text(a), paragraph_text(b)
        if ta != tb:
            old, new = excerpt(tb, ta)
            return f"text differs: {old!r} → {new!r}"
        fields_a, fields_b = fields(a), fields(b)
        if fields_a != fields_b:
            for x, y in zip(fields_a + [""] * len(fields_b), fields_b + [""] * len(fields_a)):
                if x != y:
                    if x.split()[:1] == y.split()[:1] == ["REF"] and len(x.split()) > 1 and len(y.split()) > 1:
                        return f"a REF field points at {x.split()[1]}, the rebuilt draft at {y.split()[1]}"
                    return f"field {x or '(none)'!r}, in the rebuilt draft {y or '(none)'!r}"
        sa, sb = Styles.pstyle(a), Styles.pstyle(b)
        if sa != sb:
            return f"paragraph style {sa or '(none)'!r}, in the rebuilt draft {sb or '(none)'!r}"
        return "formatting differs: " + "; ".join(describe(self.flat(a, 0), self.flat(b, 1))[:2])

    # styles and numbering, definition by definition
    @staticmethod
    def style_key(el):
        if is_w(el, "style"):
            return f"style '{w_attr(el, 'styleId')}'"
        return f"w:{local(el)}" if is_w(el) else None

    @staticmethod
    def numbering_key(el):
        if is_w(el, "abstractNum"):
            return f"list definition {w_attr(el, 'abstractNumId')}"
        if is_w(el, "num"):
            return f"list {w_attr(el, 'numId')}"
        return f"w:{local(el)}" if is_w(el) else None

    @staticmethod
    def keyed(a, b, key, what, flat) -> list[str]:
        ka = {key(el): el for el in a if key(el)}
        kb = {key(el): el for el in b if key(el)}
        out = []
        for k in kb:
            if k not in ka:
                out.append(f"{k}: missing")
            elif flat(ka[k], 0) != flat(kb[k], 1):
                out.append(f"{k}: " + "; ".join(describe(flat(ka[k], 0), flat(kb[k], 1))[:2]))
        out += [f"{k}: a {what} the rebuilt draft does not have" for k in ka if k not in kb]
        return out


def hidden_runs(p) -> list[str]:
    out = []
    for r in w_children_deep(p):
        rpr = w_child(r, "rPr")
        if rpr is not None and any(on(e) for e in rpr if is_w(e, *HIDING)) and run_text(r, deleted=True).strip():
            out.append(run_text(r, deleted=True))
    return out


def fields(p) -> list[str]:
    """The instructions of a paragraph's fields (complex and simple), whitespace normalised."""
    out, current = [], None
    for el in p.iter():
        if is_w(el, "fldSimple"):
            out.append(" ".join((w_attr(el, "instr") or "").split()))
        elif is_w(el, "fldChar"):
            kind = w_attr(el, "fldCharType")
            if kind == "begin":
                current = []
            elif kind in ("separate", "end") and current is not None:
                out.append(" ".join("".join(current).split()))
                current = None
        elif is_w(el, "instrText") and current is not None:
            current.append(el.text or "")
    return out


def excerpt(old: str, new: str, context: int = 12) -> tuple[str, str]:
    """The part of two texts that differs, with a little context either side."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    lo = max(0, start - context)

    def cut(text):
        hi = len(text) - end + context
        return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")
    return cut(old), cut(new)


def _name(tag: str) -> str:
    if not isinstance(tag, str):
        return ""
    if tag.startswith("{"):
        uri, name = tag[1:].split("}", 1)
        return f"{PREFIXES.get(uri, '{' + uri + '}')}:{name}"
    return tag


def flatten(root, targets: dict | None = None) -> list[str]:
    """An element as a list of lines, one per element: its path, attributes and text, with
    prefixes canonical (the namespace URI decides), relationship ids as the parts they point at
    (`targets`), and what legitimately changes left out."""
    out = []
    targets = targets or {}

    def walk(el, path):
        if not isinstance(el.tag, str) or local(el) in VOLATILE_ELEMENTS:
            return
        name = _name(el.tag)
        here = f"{path}/{name}" if path else name
        attrs = sorted((_name(k), targets.get(v, v) if _name(k).startswith("r:") else v) for k, v in el.attrib.items()
                       if local(k) not in VOLATILE_ATTRS and not (local(el) == "comment" and local(k) == "date"))
        text = (el.text or "").strip() if len(el) == 0 else (el.text or "").strip()
        line = here + "".join(f" {k}={v!r}" for k, v in attrs) + (f" text={text!r}" if text else "")
        out.append(line)
        for child in el:
            walk(child, here)
    walk(root, "")
    return out


def describe(a: list[str], b: list[str]) -> list[str]:
    """What the draft's lines `a` have that the rebuilt `b` do not, and the other way round."""
    import difflib
    if a == b:
        return []
    start, end = _common(a, b)
    a, b = a[start:len(a) - end], b[start:len(b) - end]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op in ("replace", "delete"):
            out += [f"the draft has {_short(x)}" + (f" where the rebuilt draft has {_short(b[j1])}" if op == "replace" and j1 < j2 else "")
                    for x in a[i1:i1 + 1]]
        else:
            out.append(f"the draft lacks {_short(b[j1])}")
    return out


def _common(a: list, b: list) -> tuple[int, int]:
    """The lengths of the common head and tail of two lists (difflib is slow on long inputs)."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _short(line: str, width: int = 100) -> str:
    path, _, rest = line.partition(" ")
    tail = "/".join(path.split("/")[-2:])
    text = f"{tail} {rest}".strip()
    return text if len(text) <= width else text[:width] + "…"
