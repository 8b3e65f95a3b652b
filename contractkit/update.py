"""`update`: after contractkit or a pack is upgraded, the same answers rebuilt, and the new draft
written as a redline against the old one, to show what the library change did.

The old library is gone, so the old draft's text is read from its .docx: its draft model is
recovered from the paragraphs contractkit wrote (their styles say title, preamble, article
heading, 項, 号, closing, date, signature), each article known by its heading's bookmark, which
the stamp's clause list (contractkit.clauses: clause:variant, in order) names. A reference is its
REF field (its target known by the bookmark it points at), an open answer its highlighted ●. The
schedules hold the answers' records, which an update does not change: they are taken from the
new build. A docx contractkit did not build (no stamp, or an article heading with no clause
bookmark) is refused with the place that is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .draft import Article, Bilingual, Draft, Hole, Paragraph, Ref, bookmark_name
from .errors import UserError

TITLE, PREAMBLE, CLOSING, DATE = "ckTitle", "ckPreamble", "ckClosing", "ckDate"
ARTICLE, PARA_FIRST, PARA, ITEM_FIRST, ITEM = "ckArticle", "ckParagraphFirst", "ckParagraph", "ckItemFirst", "ckItem"
SIGNATURE_HEAD, SIGNATURE = "ckSignatureHead", "ckSignature"
BODY_STYLES = {TITLE, PREAMBLE, CLOSING, DATE, ARTICLE, PARA_FIRST, PARA, ITEM_FIRST, ITEM, SIGNATURE_HEAD, SIGNATURE}


@dataclass
class Stamp:
    version: str
    answers_sha256: str
    clauses: list          # "clause:variant", in the draft's order


def read_stamp(path: Path, package) -> Stamp:
    from .reading import local
    part = package.part_of("", "custom-properties")
    props = {p.get("name"): "".join(p.itertext()) for p in package.xml(part) if local(p) == "property"} if part else {}
    if not props.get("contractkit.clauses") or not props.get("contractkit.version"):
        raise UserError(f"{path}: no contractkit stamp (contractkit.version, contractkit.clauses in its custom "
                        "properties), so contractkit did not build it (or the stamp was removed); update rebuilds "
                        "only a draft contractkit built: give that draft")
    return Stamp(props["contractkit.version"], props.get("contractkit.answers_sha256", ""),
                 [c for c in props["contractkit.clauses"].split(",") if c])


def _style(p) -> str | None:
    from .reading import w_attr, w_child
    ppr = w_child(p, "pPr")
    style = w_child(ppr, "pStyle") if ppr is not None else None
    return w_attr(style, "val") if style is not None else None


def _segments(p, bookmarks: dict, lang: str) -> tuple[list, list]:
    """A paragraph's segments (text, Ref, Hole), and the bookmarks that start in it."""
    from .reading import is_w, run_text, w_attr, w_child
    out: list = []
    starts: list = []
    field: dict | None = None

    def text(t: str) -> None:
        if not t:
            return
        if out and isinstance(out[-1], str):
            out[-1] += t
        else:
            out.append(t)

    for el in p:
        if is_w(el, "bookmarkStart"):
            starts.append(w_attr(el, "name"))
            continue
        if not is_w(el, "r"):
            continue
        char = w_child(el, "fldChar")
        if char is not None:
            kind = w_attr(char, "fldCharType")
            if kind == "begin":
                field = {"instr": "", "cached": "", "in_result": False}
            elif kind == "separate" and field is not None:
                field["in_result"] = True
            elif kind == "end" and field is not None:
                words = field["instr"].split()
                if words and words[0] == "REF" and len(words) > 1:
                    name = words[1]
                    target, schedule = bookmarks.get(name, (name, name.startswith("ckSch_")))
                    out.append(Ref(target, name, field["cached"], schedule=schedule, bare="\\t" in words))
                else:
                    text(field["cached"])
                field = None
            continue
        instr = w_child(el, "instrText")
        if field is not None and instr is not None:
            field["instr"] += instr.text or ""
            continue
        t = run_text(el)
        if field is not None and field["in_result"]:
            field["cached"] += t
            continue
        rpr = w_child(el, "rPr")
        if rpr is not None and w_child(rpr, "highlight") is not None and t == ("●" if lang == "ja" else "[●]"):
            out.append(Hole(""))
            continue
        text(t)
    return out, starts


def read_draft(path, new: Draft) -> tuple[Draft, Stamp]:
    """The draft model of the .docx at `path` (a ja or en draft contractkit built), with `new`'s
    contract and schedules; and its stamp."""
    from .reading import document_lang, is_w, open_package, w_iter
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(f"{path}: not a Word draft (.docx); update reads the old draft contractkit built")
    try:
        with open_package(path) as pkg:
            stamp = read_stamp(path, pkg)
            root = pkg.xml(pkg.main)
            lang = document_lang(pkg)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 (a file that is no Word package)
        raise UserError(f"{path}: not a Word draft ({exc})") from None
    body = next((b for b in root if is_w(b, "body")), None)
    by_bookmark = {bookmark_name(c.split(":")[0]): tuple(c.split(":", 1)) for c in stamp.clauses}
    targets = {name: (cid, False) for name, (cid, _v) in by_bookmark.items()}
    for a in new.articles:                     # a reference the new build makes: its target by its bookmark
        for para in a.paragraphs:
            for seg in [x for segs in [para.segments, *para.items] for x in segs]:
                if isinstance(seg, Ref):
                    targets[seg.bookmark] = (seg.target, seg.schedule)
    for s in new.schedules:
        targets.setdefault(s.bookmark, (f"schedule:{s.point}", True))
    title, preamble, closing, date_line, signatures, articles = "", [], [], [], [], []
    article: Article | None = None
    for n, p in enumerate(x for x in body if is_w(x, "p")) if body is not None else ():
        style = _style(p)
        if style not in BODY_STYLES:
            continue
        segments, starts = _segments(p, targets, lang)
        if style == TITLE:
            title = "".join(s for s in segments if isinstance(s, str))
        elif style == PREAMBLE:
            preamble.append(Paragraph(segments))
        elif style == ARTICLE:
            name = next((b for b in starts if b in by_bookmark), None)
            if name is None:
                heading = "".join(s for s in segments if isinstance(s, str))
                raise UserError(f"{path}: paragraph {n + 1}: the article heading '{heading}' has no bookmark of a "
                                "clause in the draft's stamp (contractkit.clauses), so contractkit did not write "
                                "it or it was edited by hand; update needs the draft as contractkit built it")
            cid, variant = by_bookmark[name]
            heading = "".join(s for s in segments if isinstance(s, str))
            if lang == "ja" and heading.startswith("（") and heading.endswith("）"):
                heading = heading[1:-1]
            article = Article(cid, variant, len(articles) + 1, heading, name, [])
            articles.append(article)
        elif style in (PARA_FIRST, PARA):
            if article is None:
                raise UserError(f"{path}: paragraph {n + 1}: a 項 before any article heading; update needs the "
                                "draft as contractkit built it")
            article.paragraphs.append(Paragraph(segments))
        elif style in (ITEM_FIRST, ITEM):
            if article is None or not article.paragraphs:
                raise UserError(f"{path}: paragraph {n + 1}: a 号 before any 項; update needs the draft as "
                                "contractkit built it")
            article.paragraphs[-1].items.append(segments)
        elif style == CLOSING:
            closing.append(Paragraph(segments))
        elif style == DATE:
            date_line.append(Paragraph(segments))
        elif style == SIGNATURE_HEAD:
            signatures.append([Paragraph(segments)])
        elif style == SIGNATURE and signatures:
            signatures[-1].append(Paragraph(segments))
    if not articles and body is not None and any(is_w(t, "tbl") and _bilingual_table(t) for t in body):
        raise UserError(f"{path}: a ja+en draft (side by side); update reads a ja or an en draft. Build the "
                        "Japanese and English drafts (language: ja, language: en) and update each")
    if not articles:
        raise UserError(f"{path}: no articles contractkit wrote (paragraphs in the style ckArticle); update needs "
                        "the draft as contractkit built it")
    _name_holes(articles, new)
    outside = [*preamble, *closing, *date_line, *[p for block in signatures for p in block]]
    _name_in_order(outside, [*new.preamble, *new.closing, *new.date_line, *[p for block in new.signatures for p in block]], "outside")
    old = Draft(new.contract, new.kind, lang, title, preamble, articles, closing, date_line, signatures,
                stamp.clauses, [], stamp.answers_sha256, schedules=new.schedules, term_ids=new.term_ids,
                comment_author=new.comment_author)
    return old, stamp


def _bilingual_table(table) -> bool:
    from .reading import w_iter
    """A side-by-side table: article headings in its cells, each inside a clause's bookmark."""
    from .reading import is_w, w_attr
    return any(_style(p) == "ckCellHeading" and any(is_w(b, "bookmarkStart") and (w_attr(b, "name") or "").startswith("ck_")
                                                    for b in p)
               for p in w_iter(table, "p"))


def _name_holes(articles: list, new: Draft) -> None:
    """An open answer's ● carries no name in the docx: each takes the name of the hole at the same
    place among the holes of the same article in the new build (they come from the same answers)."""
    by_id = {a.clause_id: a for a in new.articles}
    for article in articles:
        _name_in_order(article.paragraphs, by_id[article.clause_id].paragraphs if article.clause_id in by_id else [],
                       article.clause_id)


def _name_in_order(paragraphs: list, new_paragraphs: list, where: str) -> None:
    def holes(paras) -> list:
        return [s for p in paras for segs in [p.segments, *p.items] for s in segs if isinstance(s, Hole)]

    names = [h.path for h in holes(new_paragraphs)]
    for k, hole in enumerate(holes(paragraphs)):
        hole.path = names[k] if k < len(names) else f"{where}#{k}"


def make_update(draft, answers, output, author: str | None = None, clean: bool = False, reference=None,
                force: bool = False, pack_path=(), draft_header=None, library=None) -> dict:
    """Write OUTPUT: the draft `answers` builds now, with tracked changes against the old `draft`
    (a .docx contractkit built from those answers). Returns what changed: the stamp's versions,
    the clauses whose variant changed, and the articles inserted, deleted, moved and changed."""
    from .build import check_target, draft_model
    from .docx import WriteOptions, write
    from .files import write_together
    from .redline import CHANGED, DELETED, INSERTED, MOVED_TO, SAME, Redline, _text, articles as align_articles

    output, draft, answers = Path(output), Path(draft), Path(answers)
    if output.suffix.lower() != ".docx":
        raise UserError(f"-o {output}: an update is a Word file; give a name ending in .docx")
    if not answers.exists():
        raise UserError(f"--answers {answers}: no such file")
    for given in (draft, answers):
        if given.exists() and output.exists() and given.resolve() == output.resolve():
            raise UserError(f"-o {output} is one of the inputs; give the updated draft a name of its own")
    check_target(output, force)
    new_model, resolved, library = draft_model(answers, library=library, pack_path=pack_path)
    if isinstance(new_model, Bilingual):
        raise UserError(f"--answers {answers}: language ja+en; update reads a ja or an en draft. Update the "
                        "Japanese and English drafts one at a time (language: ja, language: en)")
    old_model, stamp = read_draft(draft, new_model)
    if old_model.lang != new_model.lang:
        raise UserError(f"--answers {answers}: language {new_model.lang}, but {draft} is in {old_model.lang}; "
                        "give the answers the draft was built from")
    if author is None:
        author = f"contractkit {_version()}"
    options = WriteOptions(library.style, comments=not clean, reference=reference, draft_header=draft_header)
    write_together([(output, lambda fh: write(Redline(old_model, new_model, author), fh, options))], force)
    changes = align_articles(old_model.articles, new_model.articles)
    old_variants = dict(c.split(":", 1) for c in stamp.clauses)
    new_variants = dict(c.split(":", 1) for c in new_model.stamp)
    summary = {status: [c for c in changes if c.status == status] for status in (INSERTED, DELETED, MOVED_TO)}
    summary[CHANGED] = [c for c in changes if c.status == SAME and _text(c.old) != _text(c.new)]
    summary["variants"] = [(cid, old_variants[cid], new_variants[cid]) for cid in new_variants
                           if cid in old_variants and old_variants[cid] != new_variants[cid]]
    summary["versions"] = (stamp.version, _version())
    # the resolved answers differ when a pack's defaults changed, or when the answers file is another one
    summary["answers_changed"] = bool(stamp.answers_sha256) and stamp.answers_sha256 != new_model.answers_sha256
    return summary


def _version() -> str:
    from . import __version__
    return __version__


def report(summary: dict, lang: str = "en") -> list[str]:
    """The lines `update` prints: versions, then each article the library change touched."""
    from .redline import CHANGED, DELETED, INSERTED, MOVED_TO
    old_v, new_v = summary["versions"]
    lines = [f"old draft: contractkit {old_v}; now: contractkit {new_v}"]
    variants = {cid: (a, b) for cid, a, b in summary["variants"]}

    def name(article) -> str:
        return f"{article.clause_id} ({article.heading})"

    for c in summary[CHANGED]:
        extra = f", variant {variants[c.new.clause_id][0]} → {variants[c.new.clause_id][1]}" if c.new.clause_id in variants else ""
        lines.append(f"  changed: {name(c.new)}{extra}")
    lines += [f"  added:   {name(c.new)}" for c in summary[INSERTED]]
    lines += [f"  removed: {name(c.old)}" for c in summary[DELETED]]
    lines += [f"  moved:   {name(c.new)}" for c in summary[MOVED_TO]]
    if summary["answers_changed"]:
        lines.append("  note: the answers resolve differently now (a pack's default changed, or these are not the "
                     "answers the draft was built from), so the redline shows that too")
    if len(lines) == 1:
        lines.append("  no article changed: the library change leaves this draft as it was")
    return lines
