"""`update`: after contractkit or a pack is upgraded, the same answers rebuilt, and the new draft
written as a redline against the old one, to show what the library change did.

The old library is gone, so the old draft's text is read from its .docx: its draft model is
recovered from the paragraphs contractkit wrote (their styles say title, preamble, article
heading, 項, 号, closing, date, signature), each article known by its heading's bookmark, which
the stamp's clause list (contractkit.clauses: clause:variant, in order) names. A reference is its
REF field (its target known by the bookmark it points at), an open answer its highlighted ●. A
schedule (別紙) is read back too, so that a library change to one (a column heading, an option's
label, its title) shows in the redline: its heading (別紙1（title） / Schedule 1: title, inside the
bookmark the REF fields point at) and the table after it, the first row its column headings, a
schedule known by its bookmark (the point whose records it holds is the new build's schedule of
that bookmark). A docx contractkit did not build (no stamp, an article heading with no clause
bookmark, a schedule heading with no schedule bookmark or no table of contractkit's after it) is
refused with the place that is wrong. A ja+en draft is read from its side-by-side table, each
column into its own draft model, and from its schedules, each column's own (`read_bilingual`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .draft import Article, Bilingual, Draft, Hole, Paragraph, Ref, Schedule, bookmark_name
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


def _model_name(name: str) -> str:
    """The model's bookmark a ja+en draft's English column writes as `name` (docx.bilingual.en_bookmark)."""
    if name.startswith("ckSchEN_"):
        return "ckSch_" + name.removeprefix("ckSchEN_")
    return "ck_" + name.removeprefix("ckEN_") if name.startswith("ckEN_") else name


def _segments(p, bookmarks: dict, lang: str, column: bool = False) -> tuple[list, list]:
    """A paragraph's segments (text, Ref, Hole), and the bookmarks that start in it (`column`: a
    ja+en draft's English column, whose references point at bookmarks of its own)."""
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
                    known = _model_name(name) if column else name    # a target the new build does not refer to
                    target, schedule, *model = bookmarks.get(name, (known, known.startswith("ckSch_"), known))
                    # (a bilingual draft's English column points at its own bookmarks: the model's name is given)
                    out.append(Ref(target, model[0] if model else name, field["cached"], schedule=schedule,
                                   bare="\\t" in words))
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


def _open(path: Path):
    """The stamp, the w:body (None: none) and the language of the draft at `path`."""
    from .reading import document_lang, is_w, open_package
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
    return stamp, next((b for b in root if is_w(b, "body")), None), lang


def read_draft(path, new: Draft) -> tuple[Draft, Stamp]:
    """The draft model of the .docx at `path` (a ja or en draft contractkit built), with `new`'s
    contract; and its stamp."""
    from .reading import is_w
    path = Path(path)
    stamp, body, lang = _open(path)
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
        raise UserError(f"{path}: a ja+en draft (side by side), but the answers build a {new.lang} draft; give "
                        "the answers the draft was built from (language: ja+en)")
    if not articles:
        raise UserError(f"{path}: no articles contractkit wrote (paragraphs in the style ckArticle); update needs "
                        "the draft as contractkit built it")
    _name_holes(articles, new)
    outside = [*preamble, *closing, *date_line, *[p for block in signatures for p in block]]
    _name_in_order(outside, [*new.preamble, *new.closing, *new.date_line, *[p for block in new.signatures for p in block]], "outside")
    schedules = read_schedules(path, body, lang, new.schedules, targets)
    old = Draft(new.contract, new.kind, lang, title, preamble, articles, closing, date_line, signatures,
                stamp.clauses, [], stamp.answers_sha256, schedules=schedules, term_ids=new.term_ids,
                comment_author=new.comment_author)
    return old, stamp


def _targets(drafts, names=lambda name: name) -> dict:
    """The bookmarks references point at: (target, schedule?, the model's bookmark) by the name in
    the REF field (`names`: a column's name for the model's bookmark)."""
    targets = {}
    for draft in drafts:
        for a in draft.articles:
            for para in a.paragraphs:
                for seg in [x for segs in [para.segments, *para.items] for x in segs]:
                    if isinstance(seg, Ref):
                        targets[names(seg.bookmark)] = (seg.target, seg.schedule, seg.bookmark)
        for sch in draft.schedules:
            targets.setdefault(names(sch.bookmark), (f"schedule:{sch.point}", True, sch.bookmark))
    return targets


def read_bilingual(path, new: Bilingual) -> tuple[Bilingual, Stamp]:
    """The draft model of a ja+en draft contractkit built (the side-by-side table: a row for the
    preamble, per article a heading row and a row per 項 or 号, each cell's paragraph numbered at the
    list level that says which, then the closing row and a row per signature block) and its
    schedules after it (each column's: the English ones' bookmarks ckSchEN_), with `new`'s
    contract; and its stamp."""
    from .docx.bilingual import ARTICLE as LEVEL_ARTICLE, FIRST, PARA as LEVEL_PARA, en_bookmark
    from .reading import is_w, w_iter
    path = Path(path)
    stamp, body, _lang = _open(path)
    table = next((t for t in body if is_w(t, "tbl") and _bilingual_table(t)), None) if body is not None else None
    if table is None:
        raise UserError(f"{path}: not a ja+en draft (no side-by-side table of articles), but the answers build one "
                        "(language: ja+en); give the answers the draft was built from")
    by_bookmark = {bookmark_name(c.split(":")[0]): tuple(c.split(":", 1)) for c in stamp.clauses}
    # a reference to an article: its clause by the stamp (the new build's references give the schedules' too)
    targets = {"ja": {name: (cid, False, name) for name, (cid, _v) in by_bookmark.items()} | _targets([new.ja]),
               "en": {en_bookmark(name): (cid, False, name) for name, (cid, _v) in by_bookmark.items()}
               | _targets([new.en], en_bookmark)}
    titles = [p for p in body if is_w(p, "p") and _style(p) == TITLE]
    drafts = {}
    rows = [r for r in table if is_w(r, "tr")]
    for k, lang in enumerate(("ja", "en")):
        names = {(en_bookmark(b) if lang == "en" else b): b for b in by_bookmark}
        articles: list[Article] = []
        blocks: list[list[Paragraph]] = []       # the preamble, the closing, each signature block: a row each
        for r, row in enumerate(rows):
            cells = [c for c in row if is_w(c, "tc")]
            if len(cells) != 2:
                raise UserError(f"{path}: row {r + 1} of the side-by-side table has {len(cells)} cells, not 2; update "
                                "needs the draft as contractkit built it")
            paras = list(w_iter(cells[k], "p"))
            numbered = _levels_of(cells[k])
            if all(n is None for n in numbered):
                segments = [_segments(p, targets[lang], lang, lang == "en")[0] for p in paras]
                if articles and not any(segments) and any(n is not None for n in _levels_of(cells[1 - k])):
                    continue                      # the empty side of an article's row (the other column's 号)
                blocks.append([Paragraph(s) for s in segments if s or len(paras) > 1])
                continue
            for n, p in zip(numbered, paras):
                segments, starts = _segments(p, targets[lang], lang, lang == "en")
                if n == LEVEL_ARTICLE:
                    name = next((names[b] for b in starts if b in names), None)
                    heading = "".join(x for x in segments if isinstance(x, str))
                    if name is None:
                        raise UserError(f"{path}: row {r + 1}: the article heading '{heading}' has no bookmark of a "
                                        "clause in the draft's stamp (contractkit.clauses), so contractkit did not "
                                        "write it or it was edited by hand; update needs the draft as contractkit built it")
                    if lang == "ja" and heading.startswith("（") and heading.endswith("）"):
                        heading = heading[1:-1]
                    cid, variant = by_bookmark[name]
                    articles.append(Article(cid, variant, len(articles) + 1, heading, name, []))
                elif not articles:
                    raise UserError(f"{path}: row {r + 1}: a numbered paragraph before any article heading; update "
                                    "needs the draft as contractkit built it")
                elif n in (FIRST, LEVEL_PARA):
                    articles[-1].paragraphs.append(Paragraph(segments))
                elif articles[-1].paragraphs:
                    articles[-1].paragraphs[-1].items.append(segments)
                else:
                    raise UserError(f"{path}: row {r + 1}: a 号 before any 項; update needs the draft as contractkit "
                                    "built it")
        if not blocks or not articles:
            raise UserError(f"{path}: no articles contractkit wrote in the side-by-side table; update needs the draft "
                            "as contractkit built it")
        model = getattr(new, lang)
        preamble, closing, signatures = blocks[0], (blocks[1] if len(blocks) > 1 else []), blocks[2:]
        title = "".join(x for x in _segments(titles[k], {}, lang)[0] if isinstance(x, str)) if len(titles) > k else ""
        _name_holes(articles, model)
        outside = [*preamble, *closing, *[p for block in signatures for p in block]]
        _name_in_order(outside, [*model.preamble, *model.closing, *model.date_line,
                                 *[p for block in model.signatures for p in block]], "outside")
        schedules = read_schedules(path, body, lang, model.schedules, targets[lang], lang == "en")
        drafts[lang] = Draft(model.contract, model.kind, lang, title, preamble, articles, closing, [], signatures,
                             stamp.clauses, [], stamp.answers_sha256, schedules=schedules,
                             term_ids=model.term_ids, comment_author=model.comment_author)
    return Bilingual(drafts["ja"], drafts["en"]), stamp


SCHEDULE_HEADING = {"ja": re.compile(r"別紙(\d+)（(.*)）", re.S), "en": re.compile(r"Schedule (\d+): (.*)", re.S)}


def read_schedules(path: Path, body, lang: str, new: list, targets: dict, column: bool = False) -> list:
    """The schedules contractkit wrote after the signature blocks (`column`: a ja+en draft's English
    ones, whose bookmarks are ckSchEN_): per heading paragraph (ckScheduleHeading: 別紙1（title） /
    Schedule 1: title, the number inside the schedule's bookmark), the table after it, its first
    row the column headings (ckCellHeading), each other row a record (ckCell), a paragraph a cell.
    Each is the point of the schedule in `new` (the new build's) with the same bookmark, its holes
    named after that one's, in order."""
    from .docx.bilingual import en_bookmark
    from .docx.styles import CELL, CELL_HEAD, SCHEDULE_HEAD
    from .reading import is_w, w_children
    written = en_bookmark if column else (lambda name: name)
    ours, theirs = written("ckSch_"), "ckSch_" if column else "ckSchEN_"
    by_name = {written(s.bookmark): s for s in new}
    out: list = []
    n = 0
    for element in body if body is not None else ():
        if not is_w(element, "p"):
            continue
        n += 1
        if _style(element) != SCHEDULE_HEAD:
            continue
        segments, starts = _segments(element, targets, lang, column)
        heading = "".join(s for s in segments if isinstance(s, str))
        where = f"{path}: paragraph {n}: the schedule heading '{heading}'"
        name = next((b for b in starts if b.startswith(ours)), None)
        if name is None and any(b.startswith(theirs) for b in starts):
            continue                      # the other column's schedule
        shown = SCHEDULE_HEADING[lang].fullmatch(heading)
        if name is None or shown is None:
            what = (f"has no schedule's bookmark ({ours}…)" if name is None else
                    "is not a schedule's number and title " + ("(別紙1（title）)" if lang == "ja" else "(Schedule 1: title)"))
            raise UserError(f"{where} {what}, so contractkit did not write it or it was edited by hand; update "
                            "needs the draft as contractkit built it")
        table = element.getnext()
        rows = w_children(table, "tr") if table is not None and is_w(table, "tbl") else []
        if not rows:
            raise UserError(f"{where} is not followed by the schedule's table; update needs the draft as contractkit "
                            "built it")
        cells: list = []          # per row, per cell: its paragraph's segments
        for r, row in enumerate(rows):
            paras = [w_children(c, "p") for c in w_children(row, "tc")]
            style, what = (CELL, f"a record of {len(cells[0])} cells") if cells else (CELL_HEAD, "a row of column headings")
            if (not paras or (cells and len(paras) != len(cells[0]))
                    or any(len(p) != 1 or _style(p[0]) != style for p in paras)):
                raise UserError(f"{where}: row {r + 1} of its table is not {what} (a paragraph in the style {style} per "
                                "cell) as contractkit writes it; update needs the draft as contractkit built it")
            cells.append([_segments(p[0], targets, lang, column)[0] for p in paras])
        model = by_name.get(name)
        rows = cells[1:]
        _name_in_order([Paragraph(c) for row in rows for c in row],
                       [Paragraph(c) for row in model.rows for c in row] if model else [], name)
        point = model.point if model else _model_name(name).removeprefix("ckSch_").replace("__", ".").replace("_", "-")
        out.append(Schedule(point, int(shown[1]), shown[2], model.bookmark if model else _model_name(name),
                            ["".join(x for x in c if isinstance(x, str)) for c in cells[0]], rows))
    return out


def _levels_of(cell) -> list:
    """The list level of each paragraph of a table cell (None: not numbered)."""
    from .reading import w_attr, w_child, w_iter
    out = []
    for p in w_iter(cell, "p"):
        ppr = w_child(p, "pPr")
        num = w_child(ppr, "numPr") if ppr is not None else None
        level = w_child(num, "ilvl") if num is not None else None
        out.append(int(w_attr(level, "val")) if level is not None else None)
    return out


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
    the clauses whose variant changed, the articles inserted, deleted, moved and changed, and the
    schedules changed, added and removed."""
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
    if isinstance(new_model, Bilingual):          # side by side: both columns, each against its old text
        old_model, stamp = read_bilingual(draft, new_model)
        first_new, first_old = new_model.ja, old_model.ja
    else:
        old_model, stamp = read_draft(draft, new_model)
        if old_model.lang != new_model.lang:
            raise UserError(f"--answers {answers}: language {new_model.lang}, but {draft} is in {old_model.lang}; "
                            "give the answers the draft was built from")
        first_new, first_old = new_model, old_model
    if author is None:
        author = f"contractkit {_version()}"
    options = WriteOptions(library.style, comments=not clean, reference=reference, draft_header=draft_header)
    write_together([(output, lambda fh: write(Redline(old_model, new_model, author), fh, options))], force)
    changes = align_articles(first_old.articles, first_new.articles)
    if isinstance(new_model, Bilingual):          # an article changed in either column
        english = {c.new.clause_id: c for c in align_articles(old_model.en.articles, new_model.en.articles)
                   if c.status == SAME}
        changed = {cid for cid, c in english.items() if _text(c.old) != _text(c.new)}
    else:
        changed = set()
    old_variants = dict(c.split(":", 1) for c in stamp.clauses)
    new_variants = dict(c.split(":", 1) for c in first_new.stamp)
    summary = {status: [c for c in changes if c.status == status] for status in (INSERTED, DELETED, MOVED_TO)}
    summary[CHANGED] = [c for c in changes if c.status == SAME and (_text(c.old) != _text(c.new)
                                                                    or c.new.clause_id in changed)]
    summary["variants"] = [(cid, old_variants[cid], new_variants[cid]) for cid in new_variants
                           if cid in old_variants and old_variants[cid] != new_variants[cid]]
    summary["schedules"] = _schedule_changes([first_old, *([old_model.en] if isinstance(old_model, Bilingual) else [])],
                                             [first_new, *([new_model.en] if isinstance(new_model, Bilingual) else [])])
    summary["versions"] = (stamp.version, _version())
    # the resolved answers differ when a pack's defaults changed, or when the answers file is another one
    summary["answers_changed"] = bool(stamp.answers_sha256) and stamp.answers_sha256 != first_new.answers_sha256
    return summary


def _schedule_changes(old: list, new: list) -> list:
    """(changed | added | removed, the schedule) of each schedule the library change touched, in
    NEW's order (the first column's schedule; a ja+en draft's changed in either column)."""
    from .redline import plain

    def text(s: Schedule):
        return s.title, s.columns, [[plain(c) for c in row] for row in s.rows]

    before = [{s.point: s for s in d.schedules} for d in old]
    after = [{s.point: s for s in d.schedules} for d in new]
    out = [("changed", s) for s in new[0].schedules if s.point in before[0]
           and any(text(b[s.point]) != text(a[s.point]) for b, a in zip(before, after) if s.point in b and s.point in a)]
    out += [("added", s) for s in new[0].schedules if s.point not in before[0]]
    return out + [("removed", s) for s in old[0].schedules if s.point not in after[0]]


def _version() -> str:
    from . import __version__
    return __version__


def report(summary: dict, lang: str = "en") -> list[str]:
    """The lines `update` prints: versions, then each article and schedule the library change touched."""
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
    lines += [f"  {status + ':':<8} schedule {s.point} ({s.title})" for status, s in summary["schedules"]]
    if summary["answers_changed"]:
        lines.append("  note: the answers resolve differently now (a pack's default changed, or these are not the "
                     "answers the draft was built from), so the redline shows that too")
    if len(lines) == 1:
        lines.append("  no article changed: the library change leaves this draft as it was")
    return lines
