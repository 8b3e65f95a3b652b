"""`review`: the draft the other side sent back, read as positions on the guideline's decision
points.

THEIRS is read article by article, as `update` reads a draft (the paragraphs' styles say article
heading, 項, 号; an article is known by its heading's bookmark, `draft.bookmark_name`, or by its
heading's text when the bookmark was lost). Their version is THEIRS with every tracked change
accepted; the base is THEIRS with every change rejected, or, for a clean copy (no tracked
changes), the draft OURS builds. A bilingual (ja+en) draft is read from its table, both columns.

For each article they changed, the clause is rendered under every other option of every position
(a point, or a field of a mapping, or one option more or less of a multi-select), each answer
changed alone in the build pipeline (`memo._coherent_alternative`: resolve and assemble, every
other answer kept; each alternative draft made once and shared by every article). Their text is
that option's if it is the same (text normalised: NFKC, spaces, references by their target);
otherwise the closest option is named with its similarity (difflib's ratio, Japanese by
character, English by word) and the edits are quoted as free edits. A recognised proposal is
weighed against our side: whom it favours, the guideline's usual position, and whether it is
within the fallback the memo allows (our `concede:` order). Their comments are quoted with the
article they sit in.

With `--answers-out`, OURS is written again (round-trip, comments and order kept) with the
accepted proposals applied, so that `redline OURS NEW` is our counter-draft.
"""
from __future__ import annotations

import copy
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .draft import Article, Bilingual, Hole, Paragraph, Ref, bookmark_name, old_place_bookmark, segment_text
from .errors import UserError
from .point_types import type_of

CHANGED, ADDED, REMOVED, MOVED = "changed", "added", "removed", "moved"


@dataclass
class Match:
    """An option of a position whose text their article has (exact) or is nearest to (ratio)."""

    point: str
    field: str | None
    value: object
    exact: bool
    ratio: float
    words: dict = field(default_factory=dict)     # point, option, favours, usual, ours, standing

    @property
    def key(self) -> str:
        return f"{self.point}.{self.field}" if self.field else self.point


@dataclass
class Finding:
    status: str                 # CHANGED, ADDED, REMOVED, MOVED (its text as ours, its place another)
    clause_id: str | None       # None: an article no clause of ours writes
    number: int                 # in their draft (ours for a removed article)
    heading: str
    points: list                # the positions whose options change this article ("point" or "point.field")
    match: Match | None
    edits: list                 # (old, new) quoted text: the free edits
    lang: str = "ja"


@dataclass
class Comment:
    where: str                  # the article (第７条（派生データ）/ Article 7 (Derived Data)), or outside
    author: str
    text: str


@dataclass
class Review:
    """What `review` found: the model of the report (written by docx/review.py) and the summary."""

    library: object
    resolved: object
    theirs: str
    answers: str
    tracked: bool
    title: str
    findings: list
    comments: list
    lang: str
    stale: bool = False          # a clean copy whose stamp names other answers than OURS

    @property
    def proposals(self) -> dict:
        """The recognised proposals: position → value, in the order of the articles."""
        out: dict = {}
        for f in self.findings:
            if f.match and f.match.exact:
                out.setdefault(f.match.key, f.match)
        return out


# -- tracked changes: accept all, reject all ---------------------------------------------------

def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _child(element, name):
    from .reading import is_w
    return next((c for c in element if is_w(c, name)), None)


def resolve_changes(root, accept: bool) -> None:
    """Every tracked change of `root` (a document part) accepted or rejected, as Word does it: the
    text of the side that goes is removed, a paragraph whose mark goes joins the next one, a table
    row that goes is removed."""
    from .reading import is_w, local
    gone, kept = (("del", "moveFrom"), ("ins", "moveTo")) if accept else (("ins", "moveTo"), ("del", "moveFrom"))
    for change in [e for e in root.iter() if is_w(e, "pPrChange")]:   # NEW's properties kept, or OLD's put back
        ppr = change.getparent()
        if not accept:
            for child in [c for c in ppr if not is_w(c, "rPr", "sectPr", "pPrChange")]:
                ppr.remove(child)
            old = _child(change, "pPr")
            for k, child in enumerate(list(old) if old is not None else []):
                ppr.insert(k, child)
        ppr.remove(change)
    for row in [r for r in root.iter() if is_w(r, "tr")]:
        trpr = _child(row, "trPr")
        if trpr is not None and _child(trpr, gone[0]) is not None:
            row.getparent().remove(row)
    for element in [e for e in root.iter() if is_w(e, *gone)]:
        if element.getparent() is not None and not is_w(element.getparent(), "rPr", "trPr"):
            element.getparent().remove(element)
    for p in [p for p in root.iter() if is_w(p, "p")]:
        ppr = _child(p, "pPr")
        rpr = _child(ppr, "rPr") if ppr is not None else None
        if rpr is None or not any(is_w(c, *gone) for c in rpr):
            continue
        following = p.getnext()
        rest = [c for c in p if not is_w(c, "pPr")]
        if following is not None and is_w(following, "p"):
            at = 1 if _child(following, "pPr") is not None else 0
            for child in reversed(rest):
                following.insert(at, child)
            p.getparent().remove(p)
        elif sum(1 for c in p.getparent() if is_w(c, "p")) > 1:
            p.getparent().remove(p)
        else:                                  # a cell's last paragraph stays
            rpr.clear()
    for element in [e for e in root.iter() if is_w(e, *kept)]:
        if is_w(element.getparent(), "rPr", "trPr"):
            element.getparent().remove(element)
        else:
            _unwrap(element)
    for element in [e for e in root.iter() if is_w(e, "rPr", "trPr")]:
        for mark in [c for c in element if is_w(c, *gone)]:
            element.remove(mark)
    for element in [e for e in root.iter() if is_w(e, "moveFromRangeStart", "moveFromRangeEnd",
                                                     "moveToRangeStart", "moveToRangeEnd")]:
        element.getparent().remove(element)
    for element in [e for e in root.iter() if is_w(e, "delText", "delInstrText")]:
        element.tag = element.tag[:-len(local(element))] + ("t" if local(element) == "delText" else "instrText")


def unwrap_containers(root) -> None:
    """Runs inside a hyperlink, smart tag, custom XML or content control, as Word edits leave
    them, put in their paragraph, so that the reader sees their text."""
    from .reading import is_w
    for sdt in [e for e in root.iter() if is_w(e, "sdt")]:
        content = _child(sdt, "sdtContent")
        for child in [c for c in sdt if c is not content]:
            sdt.remove(child)
        if content is not None:
            _unwrap(content)
        _unwrap(sdt)
    for element in [e for e in root.iter() if is_w(e, "hyperlink", "smartTag", "customXml") and
                    is_w(e.getparent(), "p", "hyperlink", "smartTag", "customXml", "ins", "del")]:
        for props in [c for c in element if is_w(c, "smartTagPr", "customXmlPr")]:
            element.remove(props)
        _unwrap(element)


def has_changes(root) -> bool:
    from .reading import is_w
    return any(is_w(e, "ins", "del", "moveFrom", "moveTo") for e in root.iter())


# -- reading THEIRS --------------------------------------------------------------------------------

@dataclass
class Read:
    """One side (language) of a draft read from Word: its articles, and where each comment sits."""

    articles: list                              # Article (clause_id None: not one of our clauses)
    comment_at: dict                            # comment id → index into articles (None: outside)


def _heading_key(text: str) -> str:
    text = norm(text)
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def read_sides(root, lang: str, known: dict, headings: dict) -> dict:
    """{lang: Read} of a draft's document part: one language, or both columns of a ja+en draft.
    `known`: bookmark → clause id; `headings`: per language, normalised heading → clause id (for
    a heading whose bookmark was lost)."""
    from .reading import is_w, w_iter
    from .update import ARTICLE, ITEM, ITEM_FIRST, PARA, PARA_FIRST, _segments, _style
    body = next((b for b in root if is_w(b, "body")), None)
    if body is None:
        raise UserError("its main part has no document body (w:body), so it is no draft contractkit wrote")
    targets = {name: (cid, False, bookmark_name(cid)) for name, cid in known.items()}    # a reference: to the article
    table = next((t for t in body if is_w(t, "tbl") and any(_style(p) == "ckCellHeading" for p in w_iter(t, "p"))), None)
    if table is None:
        return {lang: _read_column([p for p in body if is_w(p, "p")], lang, known, headings, targets,
                                   {ARTICLE}, {PARA_FIRST, PARA}, {ITEM_FIRST, ITEM})}
    columns: dict = {"ja": [], "en": []}
    for row in (r for r in table if is_w(r, "tr")):
        cells = [c for c in row if is_w(c, "tc")]
        for side, cell in zip(("ja", "en"), cells):
            columns[side] += [p for p in cell if is_w(p, "p")]
    return {side: _read_column(paras, side, known, headings, targets, {"ckCellHeading"}, {"ckCell"}, set(),
                               numbered_only=True)
            for side, paras in columns.items()}


def _read_column(paras, lang, known, headings, targets, heads, bodies, items, numbered_only=False) -> Read:
    from .reading import is_w, w_attr
    from .update import _segments, _style
    articles: list = []
    comment_at: dict = {}
    article = None
    for p in paras:
        style = _style(p)
        ids = [w_attr(e, "id") for e in p.iter() if is_w(e, "commentRangeStart", "commentReference")]
        segments, starts = _segments(p, targets, lang)
        if style in heads:
            heading = "".join(segment_text(s, lang) for s in segments).strip()
            # the last: a heading whose article went with a rejected change keeps that heading's bookmark before its own
            cid = next((known[b] for b in reversed(starts) if b in known), None)
            if cid is None:
                cid = headings.get(lang, {}).get(_heading_key(heading))
            if lang == "ja" and heading.startswith("（") and heading.endswith("）"):
                heading = heading[1:-1]
            article = Article(cid, "", len(articles) + 1, heading, bookmark_name(cid) if cid else "", [])
            articles.append(article)
        elif article is not None and style in bodies and (not numbered_only or _numbered(p)):
            article.paragraphs.append(Paragraph(segments))
        elif article is not None and style in items and article.paragraphs:
            article.paragraphs[-1].items.append(segments)
        elif article is not None and numbered_only and style in bodies:
            article = None                      # the closing row after the last article
        for i in ids:
            comment_at.setdefault(i, len(articles) - 1 if article is not None else None)
    return Read(articles, comment_at)


def _numbered(p) -> bool:
    from .reading import is_w
    ppr = _child(p, "pPr")
    return ppr is not None and any(is_w(c, "numPr") for c in ppr)


def read_comments(package) -> dict:
    """id → (author, initials, text) of the comments part, if any."""
    from .reading import is_w, paragraph_text, w_attr
    part = package.part_of(package.main, "comments")
    if not part:
        return {}
    out = {}
    for c in package.xml(part):
        if is_w(c, "comment"):
            text = "\n".join(paragraph_text(p) for p in c if is_w(p, "p")).strip()
            out[w_attr(c, "id")] = (w_attr(c, "author") or "", w_attr(c, "initials") or "", text)
    return out


# -- text, compared --------------------------------------------------------------------------------

def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _key_text(segments: list) -> str:
    """A paragraph as compared: its text, a reference by the article it points at (not its
    number), an open answer as ●."""
    out = []
    for s in segments:
        if isinstance(s, str):
            out.append(s)
        elif isinstance(s, Ref):       # the English column's bookmark (ckEN_) names the same article
            out.append(f"\ue000{_same_bookmark(s.bookmark)}\ue001")
        else:
            out.append("●")
    return norm("".join(out))


def _same_bookmark(name: str) -> str:
    return re.sub(r"^ck(Sch)?EN_", lambda m: f"ck{m.group(1) or ''}_", name or "")


def lines(article: Article) -> list[str]:
    return [_key_text([article.heading])] + [_key_text(segs) for p in article.paragraphs for segs in [p.segments, *p.items]]


def shown(segments: list, lang: str) -> str:
    return " ".join("".join(segment_text(s, lang) for s in segments).split())


def _units(text: str, lang: str) -> list:
    return list(text) if lang == "ja" else re.findall(r"\w+|[^\w\s]", text)


def similarity(a: dict, b: dict) -> float:
    """How alike two articles are: {lang: lines} each; Japanese by character, English by word."""
    ua = [u for lang in sorted(a) for u in _units("\n".join(a[lang]), lang)]
    ub = [u for lang in sorted(b) for u in _units("\n".join(b.get(lang, [])), lang)]
    return difflib.SequenceMatcher(None, ua, ub, autojunk=False).ratio()


def free_edits(old: Article | None, new: Article | None, lang: str) -> list[tuple[str, str]]:
    """The edits from `old` to `new` as (old, new) text: each changed paragraph's changed stretch
    (from its first difference to its last), whole paragraphs added or removed."""
    from .redline import CHANGED as PAIRED, DELETED, INSERTED, align

    def units(article):
        if article is None:
            return []
        return [[article.heading]] + [segs for p in article.paragraphs for segs in [p.segments, *p.items]]

    out = []
    for status, a, b in align(units(old), units(new), key=_key_text):
        if status == DELETED:
            out.append((shown(a, lang), ""))
        elif status == INSERTED:
            out.append(("", shown(b, lang)))
        elif status == PAIRED and _key_text(a) != _key_text(b):
            ta, tb = shown(a, lang), shown(b, lang)
            ua, ub = _units_keep(ta, lang), _units_keep(tb, lang)
            ops = [op for op in difflib.SequenceMatcher(None, ua, ub, autojunk=False).get_opcodes() if op[0] != "equal"]
            if ops:
                out.append(("".join(ua[ops[0][1]:ops[-1][2]]).strip(), "".join(ub[ops[0][3]:ops[-1][4]]).strip()))
    return out


def _units_keep(text: str, lang: str) -> list:
    """The units an edit is quoted in, as the redline marks them: words, or runs of one kind of
    Japanese character (so 10日 → 30日 quotes 10 → 30, not 1 → 3)."""
    from .redline import _EN, _JA
    return (_JA if lang == "ja" else _EN).findall(text)


# -- the options of a position, rendered ---------------------------------------------------------

def candidates(decision, chosen, contract: str) -> list:
    """Every other answer a position could take: another option, the other yes/no, one option
    more or less of a multi-select."""
    return type_of(decision).candidates(decision, chosen, contract)


class Alternatives:
    """The drafts the answers build with one position changed, each made once (by the build
    pipeline: resolve and assemble) and read by every article that needs it."""

    def __init__(self, library, resolutions: dict):
        self.library, self.resolutions = library, resolutions     # {lang: resolved}
        self.cache: dict = {}
        first = next(iter(resolutions.values()))
        from .memo import negotiable
        self.positions = []                       # (point, decision, chosen, path)
        for point in library.points_in_order(first.contract):
            if point.id in first.values and not point.fact:
                for decision, chosen, path in negotiable(point, first.values[point.id]):
                    if not decision.fact:
                        self.positions.append((point, decision, chosen, path))

    def drafts(self, point, value, path, chosen_value) -> dict | None:
        """{lang: Draft} with this one answer changed (None: contractkit would not build it)."""
        import json
        key = (point.id, path, json.dumps(value, sort_keys=True, default=str))
        if key not in self.cache:
            from .memo import _coherent_alternative
            out = {}
            for lang, resolved in self.resolutions.items():
                draft = _coherent_alternative(self.library, resolved, point, resolved.values[point.id], path, value)
                if draft is None:
                    out = None
                    break
                out[lang] = draft
            self.cache[key] = out
        return self.cache[key]


def _article_lines(drafts: dict, clause_id: str) -> dict | None:
    out = {}
    for lang, draft in drafts.items():
        article = next((a for a in draft.articles if a.clause_id == clause_id), None)
        if article is None:
            return None
        out[lang] = lines(article)
    return out


# -- the review ------------------------------------------------------------------------------------

def review(theirs, answers, pack_path=(), library=None) -> Review:
    """Read THEIRS against OURS (`answers`): every article they changed, added or removed, as
    positions on the decision points; their comments."""
    from .answers import library_for, read_answers, resolve
    from .assemble import assemble
    from .build import bilingual_drafts
    from .reading import document_lang, open_package
    from .update import _bilingual_table, read_stamp

    theirs, answers = Path(theirs), Path(answers)
    if not answers.exists():
        raise UserError(f"--answers {answers}: no such file")
    if not theirs.exists():
        raise UserError(f"{theirs}: no such file")
    if theirs.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(f"{theirs}: not a Word draft (.docx); review reads the draft the other side sent back")
    tree = read_answers(answers)
    if library is None or (tree.get("usecase") and tree.get("usecase") not in library.packs):
        library = library_for(tree, pack_path, str(answers), answers)
    if tree.get("language") == "ja+en":
        drafts, resolutions = bilingual_drafts(tree, library, answers)
    else:
        resolved = resolve(tree, library, str(answers), answers.parent)
        resolutions = {resolved.lang: resolved}
        drafts = {resolved.lang: assemble(library, resolved)}
    try:
        with open_package(theirs) as pkg:
            stamp = read_stamp(theirs, pkg)
            root = pkg.xml(pkg.main)
            comments = read_comments(pkg)
            lang_of_draft = document_lang(pkg)
    except UserError as exc:
        raise UserError(str(exc).replace("update rebuilds only a draft contractkit built: give that draft",
                                         "review reads a draft contractkit built")) from None
    except Exception as exc:  # noqa: BLE001 (a file that is no Word package)
        raise UserError(f"{theirs}: not a Word draft ({exc})") from None
    first = next(iter(drafts.values()))
    ours_ids = {a.clause_id for a in first.articles}
    stamped = {c.split(":", 1)[0] for c in stamp.clauses}
    foreign = sorted(stamped - ours_ids - set(library.templates[first.contract].articles))
    if foreign or not stamped & ours_ids:
        raise UserError(f"{theirs}: not a draft of contract type {first.contract} (that of {answers}): its stamp names "
                        f"articles that type never has ({', '.join(foreign[:3]) or ', '.join(sorted(stamped)[:3])}); "
                        "give the answers of the deal it was drafted from")
    if len(drafts) == 1 and lang_of_draft != first.lang and not _bilingual_table(root):
        raise UserError(f"{theirs}: a draft in {lang_of_draft}, but {answers} builds one in {first.lang}; give the "
                        "answers of the deal it was drafted from")
    from .docx.bilingual import en_bookmark
    # an article's bookmark in either column, and the one its old place has in a redline that moved it
    known = {name: cid for cid in library.clauses for own in (bookmark_name(cid), en_bookmark(bookmark_name(cid)))
             for name in (own, old_place_bookmark(own))}
    headings = {lang: {_heading_key(a.heading): a.clause_id for a in d.articles} for lang, d in drafts.items()}
    tracked = has_changes(root)
    unwrap_containers(root)
    accepted = copy.deepcopy(root)
    resolve_changes(accepted, accept=True)
    try:
        theirs_sides = read_sides(accepted, first.lang, known, headings)
    except UserError as exc:
        raise UserError(f"{theirs}: {exc}") from None
    if set(theirs_sides) != set(drafts):
        raise UserError(f"{theirs}: a {'ja+en' if len(theirs_sides) > 1 else next(iter(theirs_sides))} draft, but "
                        f"{answers} builds a {'ja+en' if len(drafts) > 1 else first.lang} one; give the answers of "
                        "the deal it was drafted from")
    if tracked:
        rejected = copy.deepcopy(root)
        resolve_changes(rejected, accept=False)
        base_sides = {lang: r.articles for lang, r in read_sides(rejected, first.lang, known, headings).items()}
    else:
        base_sides = {lang: d.articles for lang, d in drafts.items()}
    lang = "ja" if "ja" in drafts else first.lang
    findings = _findings(library, resolutions, drafts, base_sides, {k: r.articles for k, r in theirs_sides.items()}, lang)
    # their comments (ours, the guideline notes, have contractkit's author and initials)
    ours = {d.comment_author for d in drafts.values()} | set(library.ui["messages"]["comment_author"].values())
    quoted = []
    for cid, (author, initials, text) in comments.items():
        if initials == "CK" and author in ours:
            continue
        index = next((r.comment_at[cid] for r in theirs_sides.values() if cid in r.comment_at), None)
        side = next((k for k, r in theirs_sides.items() if cid in r.comment_at), lang)
        where = _article_name(theirs_sides[side].articles[index], side) if index is not None else \
            library.ui["messages"]["review_outside"][lang]
        quoted.append(Comment(where, author or "?", " ".join(text.split())))
    # a clean copy is compared with the draft OURS builds now: say so when it was built from other answers
    stale = not tracked and bool(stamp.answers_sha256) and stamp.answers_sha256 != first.answers_sha256
    return Review(library, resolutions[lang], str(theirs), str(answers), tracked, drafts[lang].title, findings,
                  quoted, lang, stale)


def _article_name(article: Article, lang: str) -> str:
    from .draft import article_number_text
    number = article_number_text(article.number, lang)
    return f"{number}（{article.heading}）" if lang == "ja" else f"{number} ({article.heading})"


def _findings(library, resolutions, drafts, base_sides, theirs_sides, lang) -> list:
    langs = sorted(theirs_sides)
    base = {k: {a.clause_id: a for a in v if a.clause_id} for k, v in base_sides.items()}
    alternatives = None
    out = []

    def all_lines(articles_by_lang, cid):
        return {k: lines(articles_by_lang[k][cid]) for k in langs if cid in articles_by_lang[k]}

    theirs_by = {k: {a.clause_id: a for a in v if a.clause_id} for k, v in theirs_sides.items()}
    for index, article in enumerate(theirs_sides[lang]):
        cid = article.clause_id
        if cid and cid in base[lang]:
            if all_lines(theirs_by, cid) == all_lines(base, cid):
                continue
            status = CHANGED
        else:
            status = ADDED
        if alternatives is None:
            alternatives = Alternatives(library, resolutions)
        theirs_lines = {k: lines(theirs_sides[k][index]) for k in langs if index < len(theirs_sides[k])}
        old = base[lang].get(cid) if status == CHANGED else None
        match, points = _match(library, alternatives, resolutions[lang], drafts, cid, theirs_lines, lang,
                               all_lines(base, cid) if status == CHANGED else None)
        edits = [] if match and match.exact else free_edits(old, article, lang)
        out.append(Finding(status, cid, article.number, article.heading, points, match, edits, lang))
    theirs_ids = {a.clause_id for a in theirs_sides[lang] if a.clause_id}
    for article in base_sides[lang]:
        if article.clause_id and article.clause_id not in theirs_ids:
            if alternatives is None:
                alternatives = Alternatives(library, resolutions)
            match, points = _match(library, alternatives, resolutions[lang], drafts, article.clause_id, None, lang,
                                   all_lines(base, article.clause_id))
            edits = [] if match and match.exact else free_edits(article, None, lang)
            out.append(Finding(REMOVED, article.clause_id, article.number, article.heading, points, match, edits, lang))
    # an article they moved (its place among the others changed) with its text as ours
    from .redline import MOVED_TO, articles as align_articles
    reported = {f.clause_id for f in out}
    for change in align_articles([a for a in base_sides[lang] if a.clause_id], [a for a in theirs_sides[lang] if a.clause_id]):
        if change.status == MOVED_TO and change.new.clause_id not in reported:
            out.append(Finding(MOVED, change.new.clause_id, change.new.number, change.new.heading, [], None, [], lang))
    return out


def _match(library, alternatives, resolved, drafts, cid, theirs_lines, lang, base_lines):
    """The option of a position whose article `cid` reads as theirs (None: they removed it), or
    the nearest one; and the positions whose options change the article."""
    best, points = None, []
    if cid is None:                     # an article of their own: the nearest article any option brings
        return None, []
    for point, decision, chosen, path in alternatives.positions:
        for value in candidates(decision, chosen, resolved.contract):
            alt = alternatives.drafts(point, value, path, chosen)
            if alt is None:
                continue
            alt_lines = _article_lines(alt, cid)
            if alt_lines == base_lines:
                continue                 # this option leaves the article as ours
            key = f"{point.id}.{path[0]}" if path else point.id
            if key not in points:
                points.append(key)
            if theirs_lines is None:
                exact, ratio = alt_lines is None, 1.0 if alt_lines is None else 0.0
            elif alt_lines is None:
                continue
            else:
                exact = alt_lines == theirs_lines
                ratio = 1.0 if exact else similarity(theirs_lines, alt_lines)
            if best is None or (exact and not best.exact) or (exact == best.exact and ratio > best.ratio):
                best = Match(point.id, path[0] if path else None, value, exact, ratio)
    if best is not None and not best.exact and theirs_lines is not None and base_lines is not None:
        if best.ratio <= similarity(theirs_lines, base_lines):
            best = None                  # nearer ours than any option: a free edit only
    if best is not None:
        best.words = _words(library, resolved, best, lang)
    # the clause's own points first (a text point too: purpose, data scope), then the others that change it
    clause = library.clauses.get(cid)
    home = [p for p in dict.fromkeys([*(clause.points if clause else []), *([clause.select] if clause and clause.select else [])])
            if p in resolved.values]
    home = [k for p in home for k in ([x for x in points if x.split(".")[0] == p] or [p])]
    return best, list(dict.fromkeys([*home, *points]))


def _words(library, resolved, match: Match, lang: str) -> dict:
    """A proposal in words: the point, the option, whom it favours, the guideline's usual
    position, ours, and where it stands against our fallback."""
    from .describe import describe_value
    from .memo import _label, concession_order, fallback_candidates
    from .values import default_for
    m = {k: v[lang] for k, v in library.ui["messages"].items()}
    point = library.points[match.point]
    decision = next(f for f in point.fields if f.id == match.field) if match.field else point
    contract, perspective = resolved.contract, resolved.perspective
    ours = resolved.values[point.id]
    chosen = ours.get(match.field) if match.field else ours
    question = (point.label or point.question or {}).get(lang, point.id)
    if match.field:
        question = f"{question} — {(decision.label or {}).get(lang, decision.id)}"
    option, favours = _label(library, contract, decision, match.value, lang)
    has, usual = default_for(decision, contract, lang)
    if not has and match.field:
        has_point, usual_point = default_for(point, contract, lang)
        has, usual = (True, usual_point.get(match.field)) if has_point and isinstance(usual_point, dict) and \
            match.field in usual_point else (False, None)
    words = {"point": question, "option": option, "favours": favours,
             "usual": describe_value(library, contract, decision, usual, lang) if has and usual is not None else "—",
             "ours": _label(library, contract, decision, chosen, lang)[0]}
    order = concession_order(decision, contract, perspective) if perspective else []
    fallbacks = fallback_candidates(decision, chosen, contract, perspective, usual if has else None)
    same = type_of(decision).same
    fallback = _label(library, contract, decision, fallbacks[0], lang)[0] if fallbacks else "—"
    if not type_of(decision).multiple and match.value in order and chosen in order and \
            order.index(match.value) < order.index(chosen):
        words["standing"] = m["review_better"]
    elif any(same(match.value, f) for f in fallbacks):
        words["standing"] = m["review_within"].format(fallback=fallback)
    elif order or fallbacks:
        words["standing"] = m["review_beyond"].format(fallback=fallback)
    else:
        words["standing"] = m["review_no_order"]
    words["within"] = any(same(match.value, f) for f in fallbacks)
    return words


# -- in words ------------------------------------------------------------------------------------

def finding_words(review: Review, finding: Finding) -> dict:
    """A finding in words: its article's name, status, clause and points; their proposal (or the
    closest option); our position against it; the free edits, one line each."""
    from .draft import article_number_text
    m = {k: v[review.lang] for k, v in review.library.ui["messages"].items()}
    lang = review.lang
    number = article_number_text(finding.number, lang)
    out = {"name": f"{number}（{finding.heading}）" if lang == "ja" else f"{number} ({finding.heading})",
           "status": m[f"review_{finding.status}"], "clause": finding.clause_id or "—",
           "points": ", ".join(finding.points) or "—", "proposal": "", "position": [], "edits": []}
    match = finding.match
    if match is not None:
        w = match.words
        option = w["option"] + (m["review_favours"].format(favours=w["favours"]) if w["favours"] else "")
        if match.exact:
            out["proposal"] = m["review_propose"].format(point=match.key, value=value_text(match.value), option=option)
            out["position"] = [m["review_ours"].format(ours=w["ours"]), m["review_usual"].format(usual=w["usual"]),
                               w["standing"]]
        else:
            out["proposal"] = m["review_closest"].format(point=match.key, value=value_text(match.value), option=option,
                                                         ratio=f"{match.ratio:.2f}")
    for old, new in finding.edits:
        if not old:
            out["edits"].append(m["review_free_added"].format(text=new))
        elif not new:
            out["edits"].append(m["review_removed_text"].format(text=old))
        else:
            out["edits"].append(m["review_free_edit"].format(old=old, new=new))
    return out


def finding_lines(review: Review, finding: Finding) -> list[str]:
    """A finding as the terminal says it: the article, then its proposal and our position, or
    its free edits."""
    m = {k: v[review.lang] for k, v in review.library.ui["messages"].items()}
    w = finding_words(review, finding)
    head = f"{w['name']} [{w['status']}; {m['review_clause']} {w['clause']}; {m['review_points']}: {w['points']}]"
    out = [head]
    if w["proposal"]:
        sep = "。" if review.lang == "ja" else "; "
        out.append(sep.join([w["proposal"], *w["position"]]))
    if w["edits"]:
        out.append(m["review_free"])
        out += ["  " + e for e in w["edits"]]
    return out


def value_text(value) -> str:
    """An answer as the answers file spells it: consent-required, true, [authority, safety]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def counts_text(review: Review) -> str:
    m = {k: v[review.lang] for k, v in review.library.ui["messages"].items()}
    counts = {s: sum(1 for f in review.findings if f.status == s) for s in (CHANGED, ADDED, REMOVED, MOVED)}
    text = m["review_summary"].format(changed=counts[CHANGED], added=counts[ADDED], removed=counts[REMOVED],
                                      comments=len(review.comments))
    return text + (m["review_summary_moved"].format(moved=counts[MOVED]) if counts[MOVED] else "")


def summary_lines(review: Review) -> list[str]:
    m = {k: v[review.lang] for k, v in review.library.ui["messages"].items()}
    out = [f"{review.theirs}: " + counts_text(review)]
    if review.stale:
        out.append("  " + m["review_stale"].format(answers=review.answers))
    if not review.findings:
        out.append("  " + m["review_none"])
    for finding in review.findings:
        first, *rest = finding_lines(review, finding)
        out.append("  " + first)
        out += ["    " + line for line in rest]
    if review.comments:
        out.append("  " + m["review_comments"])
        out += ["    " + m["review_comment"].format(where=c.where, author=c.author, text=c.text) for c in review.comments]
    if review.proposals:
        out.append("  " + m["review_accept_hint"].format(points=" ".join(review.proposals)))
    return out


# -- our answers, with what we accept ------------------------------------------------------------

def accepted_answers(review: Review, answers: Path, accept: list | None, accept_all: bool, target: Path) -> tuple[str, list]:
    """OURS' text with the accepted proposals applied (round-trip: comments and order kept), and
    the positions accepted. The result is resolved before anything is written."""
    from .answers import resolve
    from .answers_file import AnswersDocument, _yaml_value
    from .loading import load_data
    proposals = review.proposals
    if accept_all:
        chosen = list(proposals)
    else:
        chosen = []
        for name in accept or []:
            hits = [k for k in proposals if k == name or k.split(".")[0] == name]
            if not hits:
                from .schema import did_you_mean
                valid = ", ".join(proposals) or "none (no change of theirs is an option's text)"
                raise UserError(f"--accept {name}: not a proposal of theirs recognised in {review.theirs}"
                                f"{did_you_mean(name, list(proposals))}; recognised: {valid}")
            chosen += [k for k in hits if k not in chosen]
    if not chosen:
        raise UserError("--answers-out: nothing to accept (no change of theirs is an option's text); "
                        "edit the answers file by hand for their free edits")
    document = AnswersDocument(answers)
    from ruamel.yaml.comments import CommentedMap
    if not isinstance(document.data.get("answers"), dict):
        document.data["answers"] = CommentedMap()
    given = document.data["answers"]
    for key in chosen:
        match = proposals[key]
        if match.field:
            current = given.get(match.point)
            if not isinstance(current, dict):
                given[match.point] = current = CommentedMap()
                current.fa.set_flow_style()
            current[match.field] = _yaml_value(match.value)
        else:
            given[match.point] = _yaml_value(match.value)
    text = document.dump()
    tree = load_data(text, str(target))
    resolve(tree, review.library, str(target), answers.parent, **({"lang_override": review.lang}
                                                                    if tree.get("language") == "ja+en" else {}))
    return text, chosen


def make_review(theirs, answers, output=None, answers_out=None, accept=None, accept_all: bool = False,
                force: bool = False, pack_path=()) -> tuple[Review, list]:
    """Review THEIRS against OURS; write the report (`output`) and our answers with the accepted
    proposals (`answers_out`), both or neither. Returns the review and the positions accepted."""
    from .build import _same_file, check_target
    from .files import write_together
    theirs, answers = Path(theirs), Path(answers)
    if (accept or accept_all) and answers_out is None:
        raise UserError("--accept and --accept-all say what goes into --answers-out NEW.yaml: give it")
    if accept and accept_all:
        raise UserError("--accept POINT… or --accept-all, not both")
    targets = [Path(t) for t in (output, answers_out) if t is not None]
    if output is not None and Path(output).suffix.lower() != ".docx":
        raise UserError(f"-o {output}: the review report is a Word file; give a name ending in .docx")
    if answers_out is not None and Path(answers_out).suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"--answers-out {answers_out}: an answers file; give a name ending in .yaml")
    if answers_out is not None and not (accept or accept_all):
        raise UserError(f"--answers-out {answers_out}: say which proposals to accept: --accept POINT… or --accept-all")
    for t in targets:
        for given in (theirs, answers):
            if _same_file(t, given):
                raise UserError(f"{t} is one of the inputs ({given}); give it a name of its own")
        check_target(t, force)
    if len(targets) == 2 and _same_file(targets[0], targets[1]):
        raise UserError(f"-o and --answers-out are the same file ({targets[0]}); give each a name of its own")
    result = review(theirs, answers, pack_path=pack_path)
    outputs, chosen = [], []
    if answers_out is not None:
        text, chosen = accepted_answers(result, answers, accept, accept_all, Path(answers_out))
        outputs.append((Path(answers_out), lambda fh: fh.write(text.encode("utf-8"))))
    if output is not None:
        from .docx import WriteOptions, write
        outputs.append((Path(output), lambda fh: write(result, fh, WriteOptions(result.library.style))))
    if outputs:
        write_together(outputs, force)
    return result, chosen
