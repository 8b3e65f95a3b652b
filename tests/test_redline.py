"""`contractkit redline`: NEW's draft with Word tracked changes against OLD's. Each redline is
built for real and read back: accept-all and reject-all, applied to its XML here, must give NEW's
and OLD's text exactly; it passes the Word compatibility check and opens in python-docx and
LibreOffice."""
import copy
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, reject, settings, strategies as st
from lxml import etree

from conftest import ENV, EXAMPLES, ROOT, W, dump_yaml, load_example

MOVES = ("moveFrom", "moveTo")
ARTICLE_STYLE = "ckArticle"


# -- accept-all / reject-all, applied to document.xml ----------------------------------------------

def _unwrap(element) -> None:
    parent, index = element.getparent(), element.getparent().index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _mark_of(p, names) -> bool:
    rpr = p.find(f"{W}pPr/{W}rPr")
    return rpr is not None and any(rpr.find(f"{W}{n}") is not None for n in names)


def resolve_changes(root, accept: bool):
    """Every tracked change accepted (`accept`) or rejected, as Word does it: the text of the side
    that goes is removed, a paragraph whose mark goes joins the next one, a row that goes is removed."""
    gone, kept = (("del", "moveFrom"), ("ins", "moveTo")) if accept else (("ins", "moveTo"), ("del", "moveFrom"))
    for change in list(root.iter(f"{W}pPrChange")):     # a paragraph's properties: NEW's kept, or OLD's put back
        ppr = change.getparent()
        if not accept:
            for child in list(ppr):
                if child.tag not in (f"{W}rPr", f"{W}sectPr", f"{W}pPrChange"):
                    ppr.remove(child)
            for k, child in enumerate(change.find(f"{W}pPr")):
                ppr.insert(k, child)
        ppr.remove(change)
    for row in list(root.iter(f"{W}tr")):
        trpr = row.find(f"{W}trPr")
        if trpr is not None and any(trpr.find(f"{W}{n}") is not None for n in gone[:1]):
            row.getparent().remove(row)
    for name in gone:
        for element in list(root.iter(f"{W}{name}")):
            if element.getparent().tag != f"{W}rPr":
                element.getparent().remove(element)
    for p in list(root.iter(f"{W}p")):
        if _mark_of(p, gone):
            following = p.getnext()
            rest = [c for c in p if c.tag != f"{W}pPr"]
            if following is not None and following.tag == f"{W}p":
                ppr = following.find(f"{W}pPr")
                at = 1 if ppr is not None else 0
                for child in reversed(rest):
                    following.insert(at, child)
                p.getparent().remove(p)
            elif len(p.getparent().findall(f"{W}p")) > 1:
                p.getparent().remove(p)
            else:                              # a cell's last paragraph stays
                p.find(f"{W}pPr/{W}rPr").clear()
    for name in kept:
        for element in list(root.iter(f"{W}{name}")):
            if element.getparent().tag in (f"{W}rPr", f"{W}trPr"):
                element.getparent().remove(element)
            else:
                _unwrap(element)
    for trpr in root.iter(f"{W}trPr"):
        for element in trpr.findall(f"{W}ins") + trpr.findall(f"{W}del"):
            trpr.remove(element)
    for name in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"):
        for element in list(root.iter(f"{W}{name}")):
            element.getparent().remove(element)
    for element in root.iter(f"{W}delText", f"{W}delInstrText"):
        element.tag = f"{W}t" if element.tag == f"{W}delText" else f"{W}instrText"
    for rpr in list(root.iter(f"{W}rPr")):
        if len(rpr) == 0 and rpr.getparent().tag == f"{W}pPr":
            rpr.getparent().remove(rpr)
    return root


def document(path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def paragraphs(root, cached: bool = True) -> list[tuple]:
    """(style, numbered, text) of every paragraph, tables' too, in order; a field as its cached
    result, or (`cached` False) as the bookmark it refers to (OLD's numbers are Word's to update)."""
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        numbered = p.find(f"{W}pPr/{W}numPr") is not None
        text, state, instruction = [], None, ""
        for element in p.iter(f"{W}t", f"{W}instrText", f"{W}fldChar", f"{W}br", f"{W}tab"):
            tag = etree.QName(element).localname
            if tag == "fldChar":
                kind = element.get(f"{W}fldCharType")
                state = {"begin": "instr", "separate": "result", "end": None}[kind]
                if kind == "begin":
                    instruction = ""
                if kind == "separate" and not cached:
                    text.append("{" + instruction.split()[1] + "}")
            elif tag == "instrText":
                instruction += element.text or ""
            elif tag in ("br", "tab"):
                text.append("\n" if tag == "br" else "\t")
            elif state != "result" or cached:
                text.append(element.text or "")
        out.append((style.get(f"{W}val") if style is not None else None, numbered, "".join(text)))
    return out


def properties(root) -> list[bytes]:
    """Every paragraph's properties (style, numbering, keep, language settings), in order; its
    paragraph mark's run properties left out (where the revision of the mark is)."""
    out = []
    for p in root.iter(f"{W}p"):
        ppr = p.find(f"{W}pPr")
        out.append(b"".join(etree.tostring(c) for c in ppr if c.tag != f"{W}rPr") if ppr is not None else b"")
    return out


def bookmarks(root) -> list[str]:
    return sorted(b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart"))


def referenced(root) -> set[str]:
    """The bookmarks the document's fields (REF, PAGEREF) and hyperlinks (w:anchor) point at."""
    out = set()
    for instr in root.iter(f"{W}instrText", f"{W}delInstrText"):
        words = (instr.text or "").split()
        if len(words) > 1 and words[0] in ("REF", "PAGEREF"):
            out.add(words[1])
    return out | {h.get(f"{W}anchor") for h in root.iter(f"{W}hyperlink") if h.get(f"{W}anchor")}


def bookmark_places(root) -> dict[str, str]:
    """Each bookmark's name → the text (fields as the bookmarks they point at) of the paragraph it
    starts in: where a REF field's number comes from."""
    out = {}
    for p in root.iter(f"{W}p"):
        for start in p.iter(f"{W}bookmarkStart"):
            [(_, _, text)] = paragraphs(_alone(p), cached=False)
            out[start.get(f"{W}name")] = text
    return out


def _alone(p):
    """A copy of paragraph `p` as a tree of its own (`paragraphs` iterates a root)."""
    holder = etree.Element(f"{W}body")
    holder.append(copy.deepcopy(p))
    return holder


def assert_bookmarks_hold(resolved, draft) -> None:
    """After accept-all or reject-all: the bookmarks are the draft's, each in the paragraph it stands
    in there, and every field and hyperlink points at one that is there."""
    wanted = document(draft)
    assert bookmarks(resolved) == bookmarks(wanted)
    assert bookmark_places(resolved) == bookmark_places(wanted)
    missing = referenced(resolved) - set(bookmarks(resolved))
    assert not missing, f"fields point at bookmarks that are gone: {sorted(missing)}"


def as_named_in(rejected, old: Path):
    """`rejected` (reject-all of a redline) with each moved article's old-place bookmark
    (draft.old_place_bookmark: the redline's one rename) and the fields and hyperlinks pointing at it
    given the name OLD has, so that it compares with OLD: each field then points at the paragraph
    OLD's points at, and each bookmark stands where OLD has it. Only names of OLD's bookmarks are
    given back; a bookmark of the article's own name left beside the old-place one would stand twice."""
    from contractkit.draft import old_place_bookmark
    names = {old_place_bookmark(b): b for b in bookmarks(document(old))}
    for start in rejected.iter(f"{W}bookmarkStart"):
        start.set(f"{W}name", names.get(start.get(f"{W}name"), start.get(f"{W}name")))
    for instr in rejected.iter(f"{W}instrText"):
        words = (instr.text or "").split()
        if len(words) > 1 and words[0] in ("REF", "PAGEREF") and words[1] in names:
            instr.text = instr.text.replace(f" {words[1]} ", f" {names[words[1]]} ", 1)
    for link in rejected.iter(f"{W}hyperlink"):
        if link.get(f"{W}anchor") in names:
            link.set(f"{W}anchor", names[link.get(f"{W}anchor")])
    return rejected


def assert_accepts(redline: Path, new: Path) -> None:
    accepted = resolve_changes(document(redline), accept=True)
    assert paragraphs(accepted) == paragraphs(document(new))
    assert properties(accepted) == properties(document(new))
    assert_bookmarks_hold(accepted, new)


def assert_round_trip(redline: Path, old: Path, new: Path) -> None:
    """Accept-all gives NEW (text, styles, numbering, fields' cached numbers, bookmarks, exactly);
    reject-all gives OLD's text, each field pointing at the paragraph OLD's points at, each bookmark
    where OLD has it (a moved article's under its old-place name: as_named_in); no bookmark name
    stands twice in the redline (Word would ignore all but the first)."""
    names = [b.get(f"{W}name") for b in document(redline).iter(f"{W}bookmarkStart")]
    assert len(names) == len(set(names)), f"a bookmark name twice: {sorted(n for n in set(names) if names.count(n) > 1)}"
    assert_accepts(redline, new)
    rejected = resolve_changes(document(redline), accept=False)
    missing = referenced(rejected) - set(bookmarks(rejected))      # before the rename: fields resolve as they are
    assert not missing, f"after reject-all, fields point at bookmarks that are gone: {sorted(missing)}"
    rejected = as_named_in(rejected, old)
    assert [t for _, _, t in paragraphs(rejected, cached=False)] == [t for _, _, t in paragraphs(document(old), cached=False)]
    assert properties(rejected) == properties(document(old))       # each paragraph's style and numbering OLD's
    assert_bookmarks_hold(rejected, old)


def revisions(path) -> dict[str, int]:
    root = document(path)
    return {n: sum(1 for e in root.iter(f"{W}{n}") if e.getparent().tag not in (f"{W}rPr", f"{W}trPr"))
            for n in ("ins", "del", *MOVES)}


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "contractkit", *map(str, args)], capture_output=True, text=True,
                          env=ENV, cwd=cwd or ROOT, timeout=300)


def build(answers: Path, out: Path, **kw) -> Path:
    from contractkit.build import build as make
    return make(answers, out, force=True, **kw).output


def redline(old: Path, new: Path, out: Path, summary: bool = False, **kw):
    """The redline written at `out` (`summary`: what make_redline says it changed, instead)."""
    from contractkit.redline import make_redline
    said = make_redline(old, new, out, force=True, **kw)
    return said if summary else out


def write(tmp_path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def pair(tmp_path, example: str, **changes):
    """OLD: a shipped example; NEW: the same with `changes` to its answers (None removes one)."""
    data = load_example(example)
    old = write(tmp_path, "old.yaml", data)
    changed = copy.deepcopy(data)
    for point, value in changes.items():
        if value is None:
            changed["answers"].pop(point, None)
        else:
            changed["answers"][point.replace("_", "-")] = value
    return old, write(tmp_path, "new.yaml", changed)


def check_all(tmp_path, old_yaml, new_yaml, **kw) -> Path:
    from test_word_compat import findings
    old = build(old_yaml, tmp_path / "old.docx", clean=kw.get("clean", False), reference=kw.get("reference"))
    new = build(new_yaml, tmp_path / "new.docx", clean=kw.get("clean", False), reference=kw.get("reference"))
    out = redline(old_yaml, new_yaml, tmp_path / "redline.docx", **kw)
    docx.Document(str(out))                      # python-docx opens it
    assert findings(out) == []                   # Word opens it without repair
    assert_round_trip(out, old, new)
    return out


# -- pairs of answers files ----------------------------------------------------------------------

def test_one_point_changed_is_marked_inside_its_article_only(tmp_path):
    old, new = pair(tmp_path, "data-provision-ja.yaml", derived_data="consent-required")
    out = check_all(tmp_path, old, new)
    marks = revisions(out)
    assert marks["ins"] >= 1 and marks["del"] >= 1 and marks["moveFrom"] == 0
    root = document(out)
    from contractkit.docx import styles
    changed = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in root.iter(f"{W}p")
               if p.find(f".//{W}ins") is not None or p.find(f".//{W}del") is not None}
    assert changed and changed <= {styles.PARA, styles.PARA_FIRST, styles.ITEM, styles.ITEM_FIRST}, changed
    # a phrase, not the whole paragraph: 「自由に」 out, 「、本目的の範囲内で」 in, the rest unmarked
    phrases = [("".join(p.find(f"{W}del").itertext()), "".join(p.find(f"{W}ins").itertext()),
                "".join(t.text for t in p.findall(f"{W}r/{W}t"))) for p in root.iter(f"{W}p")
               if p.find(f"{W}ins") is not None and p.find(f"{W}del") is not None]
    assert ("自由に", "、本目的の範囲内で", "乙は、派生データを利用することができる。") in phrases, phrases
    # the author is the perspective's party (recipient), the date is now
    authors = {e.get(f"{W}author") for e in root.iter(f"{W}ins", f"{W}del")}
    assert authors == {load_example("data-provision-ja.yaml")["parties"][1]["name"]}


def test_several_points_in_english_are_marked_word_by_word(tmp_path):
    old, new = pair(tmp_path, "data-provision-en.yaml", derived_data="consent-required", warranty=["authority"])
    out = check_all(tmp_path, old, new, author="Acme Legal")
    root = document(out)
    assert {e.get(f"{W}author") for e in root.iter(f"{W}ins", f"{W}del")} == {"Acme Legal"}
    inserted = ["".join(e.itertext()) for e in root.iter(f"{W}ins") if e.getparent().tag == f"{W}p"]
    assert inserted and all(len(t.split()) < 40 for t in inserted), inserted


def test_an_added_pack_article_is_one_insertion_and_renumbering_is_no_change(tmp_path, library):
    data = load_example("../usecases/machine-tool-operating-data/examples/data-provision-en.yaml")
    new = write(tmp_path, "new.yaml", data)
    plain = copy.deepcopy(data)
    del plain["usecase"]
    plain["answers"] = {k: v for k, v in plain["answers"].items() if k in library.points}
    old = write(tmp_path, "old.yaml", plain)
    out = check_all(tmp_path, old, new)
    root = document(out)
    inserted = [p for p in root.iter(f"{W}p") if _mark_of(p, ("ins",))]
    headings = [p for p in inserted if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == ARTICLE_STYLE]
    assert headings, "the pack's articles are inserted, heading and all"
    for heading in headings:     # the heading's whole text is one insertion, its mark inserted too
        assert all(r.getparent().tag == f"{W}ins" for r in heading.iter(f"{W}r") if r.find(f"{W}t") is not None)
    # articles after the inserted ones are renumbered (references show other numbers in OLD and NEW),
    # yet no reference is marked: none deleted and inserted again, none marked inside a paragraph
    before, after = _ref_numbers(document(tmp_path / "old.docx")), _ref_numbers(document(tmp_path / "new.docx"))
    assert any(before[t] != after[t] for t in before.keys() & after.keys()), "the pair renumbers references"
    def targets(p, tag: str) -> set:
        return {i.text.split()[1] for change in p.findall(f"{W}{tag}")
                for i in change.iter(f"{W}instrText", f"{W}delInstrText") if (i.text or "").split()[:1] == ["REF"]}
    renumbered = [targets(p, "del") & targets(p, "ins") for p in root.iter(f"{W}p")]
    assert not any(renumbered), renumbered
    summary = redline(old, new, tmp_path / "again.docx", summary=True)
    pack_articles = [c.new.clause_id for c in summary["inserted"]]
    assert len(headings) == len(pack_articles) and not summary["deleted"] and not summary["moved-to"]


def _ref_numbers(root) -> dict[str, str]:
    """Each REF field's target → the number it shows (its cached result), the last one read."""
    out, target, state = {}, None, None
    for element in root.iter(f"{W}instrText", f"{W}fldChar", f"{W}t"):
        tag = etree.QName(element).localname
        if tag == "fldChar":
            state = {"begin": "instr", "separate": "result", "end": None}[element.get(f"{W}fldCharType")]
            if state == "instr":
                target = None
        elif tag == "instrText" and (element.text or "").split()[:1] == ["REF"]:
            target = element.text.split()[1]
            out[target] = ""
        elif tag == "t" and state == "result" and target:
            out[target] += element.text or ""
    return out


@pytest.mark.parametrize("clean", [False, True])
def test_bilingual_redline_accepts_to_new_and_rejects_to_old(tmp_path, clean):
    old, new = pair(tmp_path, "data-provision-bilingual.yaml", derived_data="consent-required", warranty=["authority"])
    out = check_all(tmp_path, old, new, clean=clean)
    assert revisions(out)["ins"] > 0
    with zipfile.ZipFile(out) as z:
        assert ("word/comments.xml" in z.namelist()) is not clean


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml"])
def test_with_and_without_comments(tmp_path, example):
    old, new = pair(tmp_path, example, derived_data="consent-required")
    with_comments = check_all(tmp_path, old, new)
    with zipfile.ZipFile(with_comments) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
    root = document(with_comments)
    ids = {e.get(f"{W}id") for e in root.iter(f"{W}commentReference")}
    assert ids == {c.get(f"{W}id") for c in comments}
    clean = check_all(tmp_path, old, new, clean=True)
    with zipfile.ZipFile(clean) as z:
        assert "word/comments.xml" not in z.namelist()


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-bilingual.yaml"])
def test_on_a_firms_template(tmp_path, example):
    from test_guidance import firm_template
    template = firm_template(tmp_path / "firm.docx")
    old, new = pair(tmp_path, example, derived_data="consent-required")
    out = check_all(tmp_path, old, new, reference=template)
    with zipfile.ZipFile(out) as z:
        header = b"".join(z.read(n) for n in z.namelist() if n.startswith("word/header"))
    assert "SAMPLE法律事務所".encode() in header


def test_identical_answers_give_no_changes(tmp_path):
    old, new = pair(tmp_path, "ai-use-ja.yaml")
    out = check_all(tmp_path, old, new)
    assert revisions(out) == {"ins": 0, "del": 0, "moveFrom": 0, "moveTo": 0}


# -- moves and removals, on the model ----------------------------------------------------------------

def test_a_moved_article_is_a_move_and_a_removed_one_one_deletion(tmp_path, library):
    from conftest import assemble_dict
    from contractkit.docx import WriteOptions, write as write_model
    from contractkit.redline import Redline
    data = load_example("data-provision-en.yaml")
    old = assemble_dict(library, data)
    new = copy.deepcopy(old)
    refs = {s.target for a in old.articles for p in a.paragraphs for segs in [p.segments, *p.items] for s in segs
            if hasattr(s, "target")}
    moved = new.articles.pop(3)
    new.articles.insert(7, moved)
    removed = next(a for a in new.articles[4:] if a.clause_id not in refs and a is not moved)
    new.articles.remove(removed)
    for i, a in enumerate(new.articles):
        a.number = i + 1
    options = WriteOptions(library.style)
    for name, model in (("old", old), ("new", new)):
        write_model(model, tmp_path / f"{name}.docx", options)
    write_model(Redline(old, new, "Tester"), tmp_path / "redline.docx", options)
    out = tmp_path / "redline.docx"
    from test_word_compat import findings
    assert findings(out) == []
    assert_round_trip(out, tmp_path / "old.docx", tmp_path / "new.docx")
    root = document(out)
    move_from = [p for p in root.iter(f"{W}p") if _mark_of(p, ("moveFrom",))]
    move_to = [p for p in root.iter(f"{W}p") if _mark_of(p, ("moveTo",))]
    assert move_from and len(move_from) == len(move_to)
    assert len(list(root.iter(f"{W}moveFromRangeStart"))) == 1 == len(list(root.iter(f"{W}moveToRangeStart")))
    deleted = [p for p in root.iter(f"{W}p") if _mark_of(p, ("del",))]
    assert deleted[0].find(f"{W}pPr/{W}pStyle").get(f"{W}val") == ARTICLE_STYLE
    assert "".join(deleted[0].itertext()).strip() == removed.heading


def test_a_moved_article_is_a_move_in_both_columns_of_a_bilingual_redline(tmp_path, library):
    from contractkit.build import draft_model
    from contractkit.docx import WriteOptions, write as write_model
    from contractkit.redline import Redline
    from test_word_compat import findings
    old, _, _ = draft_model(EXAMPLES / "data-provision-bilingual.yaml", library=library)
    new = copy.deepcopy(old)
    refs = {s.target for a in old.ja.articles for p in a.paragraphs for segs in [p.segments, *p.items] for s in segs
            if hasattr(s, "target")}
    moved_id = new.ja.articles[3].clause_id
    removed_id = next(a.clause_id for a in new.ja.articles[4:] if a.clause_id not in refs)
    for draft in (new.ja, new.en):
        moved = next(a for a in draft.articles if a.clause_id == moved_id)
        draft.articles.remove(moved)
        draft.articles.insert(7, moved)
        draft.articles.remove(next(a for a in draft.articles if a.clause_id == removed_id))
        for i, a in enumerate(draft.articles):
            a.number = i + 1
    options = WriteOptions(library.style)
    for name, model in (("old", old), ("new", new)):
        write_model(model, tmp_path / f"{name}.docx", options)
    out = tmp_path / "redline.docx"
    write_model(Redline(old, new, "Tester"), out, options)
    assert findings(out) == []
    assert_round_trip(out, tmp_path / "old.docx", tmp_path / "new.docx")
    root = document(out)
    rows = list(next(root.iter(f"{W}tbl")).findall(f"{W}tr"))
    moved_rows = {tag: [r for r in rows if r.find(f".//{W}{tag}") is not None] for tag in MOVES}
    article = next(a for a in old.ja.articles if a.clause_id == moved_id)
    height = 1 + sum(1 + len(p.items) for p in article.paragraphs)       # its heading row and a row per 項 and 号
    assert len(moved_rows["moveFrom"]) == len(moved_rows["moveTo"]) == height
    for tag, mark in (("moveFrom", "del"), ("moveTo", "ins")):
        for r in moved_rows[tag]:          # the row goes with the move; both its cells hold the moved text
            assert r.find(f"{W}trPr/{W}{mark}") is not None
            cells = r.findall(f"{W}tc")
            assert all(c.find(f".//{W}{tag}") is not None for c in cells if "".join(c.itertext()).strip())
        heading = "".join(t.text for t in moved_rows[tag][0].iter(f"{W}t", f"{W}delText"))
        assert article.heading in heading and next(a.heading for a in old.en.articles if a.clause_id == moved_id) in heading
    names = {tag: sorted(e.get(f"{W}name") for e in root.iter(f"{W}{tag}RangeStart")) for tag in MOVES}
    assert names["moveFrom"] == names["moveTo"] and len(names["moveFrom"]) >= 2 * height - 1
    assert len(set(names["moveFrom"])) == len(names["moveFrom"])
    for tag in MOVES:                       # every range ends, in the paragraph it starts in
        for start in root.iter(f"{W}{tag}RangeStart"):
            ends = [e.get(f"{W}id") for e in start.getparent().iter(f"{W}{tag}RangeEnd")]
            assert ends == [start.get(f"{W}id")]
    # the removed article: its rows deleted, its text a deletion (no move)
    removed = next(a for a in old.ja.articles if a.clause_id == removed_id)
    deleted = [r for r in rows if r.find(f"{W}trPr/{W}del") is not None and r.find(f".//{W}moveFrom") is None]
    assert removed.heading in "".join(t.text for t in deleted[0].iter(f"{W}delText"))


REWRITTEN = {"ja": "本項は、全面的に書き換えられ、", "en": "This paragraph is rewritten throughout, and now cites "}


@pytest.mark.parametrize("example", ["data-provision-en.yaml", "data-provision-ja.yaml", "data-provision-bilingual.yaml"])
def test_reject_all_of_a_move_leaves_the_article_s_bookmark_at_its_old_place(tmp_path, library, example):
    """Two articles the others refer to moved, one to a later place and one to an earlier one; an
    article referring to both removed; a paragraph referring to one rewritten (deleted and inserted
    whole). At its new place a moved article carries its own bookmark, inside the moveTo; at its
    old place a name of its own (draft.old_place_bookmark), inside the moveFrom; every reference
    to it points at the old place in OLD's text of the redline and at the new place in NEW's, a
    reference in text of both with its instruction a tracked change (w:delInstrText in a w:del,
    w:instrText in a w:ins, in the field's code). So accept-all is exactly NEW, bookmarks included,
    and after reject-all every reference points at the old place, the paragraph OLD's points at."""
    from contractkit.build import draft_model
    from contractkit.docx import WriteOptions, write as write_model
    from contractkit.draft import Bilingual, Ref, old_place_bookmark
    from contractkit.redline import Redline
    from test_word_compat import findings
    old, _, _ = draft_model(EXAMPLES / example, library=library)
    new = copy.deepcopy(old)
    later, earlier, removed = "provision-form", "derived-data", "survival"
    for draft in ([new.ja, new.en] if isinstance(new, Bilingual) else [new]):
        ids = [a.clause_id for a in draft.articles]
        assert ids.index(later) < 7 and ids.index(earlier) > 3
        draft.articles.insert(9, draft.articles.pop(ids.index(later)))
        moved = draft.articles.pop([a.clause_id for a in draft.articles].index(earlier))
        draft.articles.insert(2, moved)
        draft.articles.remove(next(a for a in draft.articles if a.clause_id == removed))
        paragraph = next(p for a in draft.articles if a.clause_id not in (later, earlier) for p in a.paragraphs
                         if any(isinstance(s, Ref) and s.target == earlier for s in p.segments))
        paragraph.segments = [REWRITTEN[draft.lang], next(s for s in paragraph.segments if isinstance(s, Ref)), "."]
        for i, a in enumerate(draft.articles):
            a.number = i + 1
    options = WriteOptions(library.style)
    for name, model in (("old", old), ("new", new), ("redline", Redline(old, new, "Tester"))):
        write_model(model, tmp_path / f"{name}.docx", options)
    out = tmp_path / "redline.docx"
    assert findings(out) == []
    assert_round_trip(out, tmp_path / "old.docx", tmp_path / "new.docx")
    root = document(out)
    names = {"ja": lambda n: n, "en": __import__("contractkit.docx.bilingual", fromlist=["en_bookmark"]).en_bookmark}
    columns = ("ja", "en") if isinstance(new, Bilingual) else (None,)
    for cid in (later, earlier):
        for column in columns:
            name = names[column or "ja"](f"ck_{cid.replace('-', '_')}")
            starts = {b.get(f"{W}name"): b for b in root.iter(f"{W}bookmarkStart")}
            assert starts[name].getparent().tag == f"{W}moveTo"
            assert starts[old_place_bookmark(name)].getparent().tag == f"{W}moveFrom"
            # a reference in text of both: the new target inserted, the old deleted, in the field's code
            tracked = [(i, i.getnext()) for i in root.iter(f"{W}ins")
                       if len(i) == 1 and i.find(f"{W}r/{W}instrText") is not None and i.getnext() is not None]
            assert any(i.find(f"{W}r/{W}instrText").text.split()[1] == name
                       and d.tag == f"{W}del" and d.find(f"{W}r/{W}delInstrText").text.split()[1] == old_place_bookmark(name)
                       and i.getprevious().find(f"{W}fldChar").get(f"{W}fldCharType") == "begin"
                       and d.getnext().find(f"{W}fldChar").get(f"{W}fldCharType") == "separate"
                       for i, d in tracked), name
    # reject-all as it is, before as_named_in: every reference points at a bookmark that is there,
    # the moved articles' at their old places' names
    rejected = resolve_changes(document(out), accept=False)
    assert referenced(rejected) <= set(bookmarks(rejected))
    assert {old_place_bookmark(f"ck_{c.replace('-', '_')}") for c in (later, earlier)} <= referenced(rejected)


def test_an_old_place_s_bookmark_is_a_valid_name_of_its_own():
    from contractkit.docx.bilingual import en_bookmark
    from contractkit.draft import bookmark_name, old_place_bookmark
    assert old_place_bookmark(bookmark_name("derived-data")) == "ck_derived_data_old"
    names = [bookmark_name("x" * 36 + k) for k in "ab"] + [en_bookmark(bookmark_name("y" * 34 + k)) for k in "ab"]
    assert len(set(names)) == 4 and all(len(n) == 40 for n in names)
    olds = [old_place_bookmark(n) for n in names]
    assert len(set(olds + names)) == 8
    assert all(len(n) <= 40 and n[0].isalpha() and " " not in n for n in olds)


def _paragraph_to_item(draft) -> str:
    """The first article of two or more 項 whose second has no 号: that 項 made the first's 号 (its
    text unchanged, its style or list level not). Returns the article's clause id."""
    article = next(a for a in draft.articles if len(a.paragraphs) == 2 and not a.paragraphs[1].items
                   and not a.paragraphs[0].items)
    second = article.paragraphs.pop(1)
    article.paragraphs[0].items.append(second.segments)
    return article.clause_id


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-en.yaml", "data-provision-bilingual.yaml"])
def test_a_paragraph_whose_numbering_changed_keeps_its_old_properties_for_reject(tmp_path, library, example):
    from contractkit.build import draft_model
    from contractkit.docx import WriteOptions, write as write_model
    from contractkit.draft import Bilingual
    from contractkit.redline import Redline
    from test_word_compat import findings
    old, _, _ = draft_model(EXAMPLES / example, library=library)
    new = copy.deepcopy(old)
    drafts = [new.ja, new.en] if isinstance(new, Bilingual) else [new]
    assert len({_paragraph_to_item(d) for d in drafts}) == 1
    options = WriteOptions(library.style)
    for name, model in (("old", old), ("new", new)):
        write_model(model, tmp_path / f"{name}.docx", options)
    out = tmp_path / "redline.docx"
    write_model(Redline(old, new, "Tester"), out, options)
    assert findings(out) == []
    assert_round_trip(out, tmp_path / "old.docx", tmp_path / "new.docx")    # reject-all: OLD's pPr, accept-all NEW's
    changes = list(document(out).iter(f"{W}pPrChange"))
    # ja: the 項 became a 号; en: the article's first 項 is no longer numbered 1.1 too (a lone 項), so two
    expected = {"data-provision-ja.yaml": 1, "data-provision-en.yaml": 2, "data-provision-bilingual.yaml": 1 + 2}
    assert len(changes) == expected[example], [etree.tostring(c) for c in changes]
    assert revisions(out) == {"ins": 0, "del": 0, "moveFrom": 0, "moveTo": 0}     # the text did not change
    for change in changes:
        assert change.get(f"{W}author") == "Tester" and change.get(f"{W}date")
        old_ppr, new_ppr = change.find(f"{W}pPr"), change.getparent()
        assert etree.tostring(old_ppr.find(f"{W}pStyle")) != etree.tostring(new_ppr.find(f"{W}pStyle")) or \
            etree.tostring(old_ppr.find(f"{W}numPr")) != etree.tostring(new_ppr.find(f"{W}numPr"))


def test_japanese_is_compared_in_runs_of_one_kind_of_character():
    from contractkit.redline import inline, tokens
    assert tokens(["乙は、本データを第三者に開示してはならない。"], "ja") == \
        ["乙", "は", "、", "本", "データ", "を", "第三者", "に", "開示", "してはならない", "。"]
    ops = inline(["乙は、本データを利用できる。"], ["乙は、本データを自由に利用できる。"], "ja")
    assert ops == [("=", ["乙は、本データを"]), ("+", ["自由"]), ("=", ["に"]), ("=", ["利用できる。"])] or \
        [op for op, _ in ops].count("+") == 1


def test_a_reference_renumbered_is_no_change():
    from contractkit.draft import Ref
    from contractkit.redline import inline
    ops = inline(["see ", Ref("fee", "ck_fee", "Article 5")], ["see ", Ref("fee", "ck_fee", "Article 6")], "en")
    assert [op for op, _ in ops] == ["="] and ops[0][1][1].text == "Article 6"


# -- the command ------------------------------------------------------------------------------------

def test_the_command_takes_drafts_and_finds_their_answers(tmp_path):
    old, new = pair(tmp_path, "data-provision-ja.yaml", derived_data="consent-required")
    build(old, tmp_path / "old.docx")
    done = run_cli("redline", "old.docx", "new.yaml", "-o", "r.docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 changed" in done.stdout
    assert_round_trip(tmp_path / "r.docx", tmp_path / "old.docx", build(new, tmp_path / "new.docx"))
    # a draft whose answers are gone: a located error, nothing written
    (tmp_path / "old.yaml").unlink()
    done = run_cli("redline", "old.docx", "new.yaml", "-o", "r2.docx", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("contractkit: old.docx: built from answers stamped ")
    assert "Traceback" not in done.stderr and not (tmp_path / "r2.docx").exists()


def test_the_command_refuses_what_cannot_be_compared(tmp_path):
    old, _ = pair(tmp_path, "data-provision-ja.yaml")
    other = write(tmp_path, "en.yaml", load_example("data-provision-en.yaml"))
    done = run_cli("redline", old, other, "-o", tmp_path / "r.docx")
    assert done.returncode == 2 and "language differs" in done.stderr, done.stderr
    done = run_cli("redline", old, old, "-o", tmp_path / "r.pdf")
    assert done.returncode == 2 and ".docx" in done.stderr
    (tmp_path / "exists.docx").write_bytes(b"x")
    done = run_cli("redline", old, old, "-o", tmp_path / "exists.docx")
    assert done.returncode == 2 and "--force" in done.stderr
    assert (tmp_path / "exists.docx").read_bytes() == b"x"


def libreoffice_resaved(files: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Each of `files` opened by LibreOffice and saved again as .docx, in one soffice run."""
    from test_render_pdf import FONTS_CONF
    outdir.mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}, timeout=300)
    return [outdir / f.name for f in files]


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_libreoffice_reads_the_tracked_changes_of_every_kind_of_pair(tmp_path, library, office_profile):
    """The redlines of a pair differing in one point (ja), in several (en), in added pack articles
    (en), in several points side by side (ja+en) and on a firm's template, opened in LibreOffice and
    saved again (one soffice run): LibreOffice read every change, as accept-all and reject-all of
    what it saved give NEW's and OLD's text (python-docx, the Word check and the exact round trip of
    these kinds of pair: the tests above)."""
    pack = load_example("../usecases/machine-tool-operating-data/examples/data-provision-en.yaml")
    plain = copy.deepcopy(pack)
    del plain["usecase"]
    plain["answers"] = {k: v for k, v in plain["answers"].items() if k in library.points}
    from test_guidance import firm_template
    template = firm_template(tmp_path / "firm.docx")
    cases = {"one-point-ja": ("data-provision-ja.yaml", {"derived_data": "consent-required"}, {}),
             "several-en": ("data-provision-en.yaml", {"derived_data": "consent-required", "warranty": ["authority"]}, {}),
             "pack-en": ((plain, pack), None, {}),
             "several-ja-en": ("data-provision-bilingual.yaml", {"derived_data": "consult", "third_party": "prohibited"}, {}),
             "firm-ja": ("data-provision-ja.yaml", {"derived_data": "consult"}, {"reference": template, "clean": True})}
    made = {}
    for name, (example, changes, kw) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        if changes is None:
            old, new = write(folder, "old.yaml", example[0]), write(folder, "new.yaml", example[1])
        else:
            old, new = pair(folder, example, **changes)
        made[name] = (build(old, folder / "old.docx", **kw), build(new, folder / "new.docx", **kw),
                      redline(old, new, tmp_path / f"{name}.docx", **kw))
    resaved = libreoffice_resaved([r for _, _, r in made.values()], tmp_path / "lo", office_profile)
    for (name, (old, new, ours)), theirs in zip(made.items(), resaved):
        marks = revisions(theirs)
        assert marks["ins"] > 0 and marks["del"] > 0, (name, marks)
        accepted = [t for _, _, t in paragraphs(resolve_changes(document(theirs), True), cached=False)]
        assert accepted == [t for _, _, t in paragraphs(document(new), cached=False)], name
        # LibreOffice saves the mark of a deleted paragraph on the paragraph before it, so rejecting
        # in this emulation may join other paragraphs than in ours: OLD's text, as one string
        rejected = [t for _, _, t in paragraphs(resolve_changes(document(theirs), False), cached=False)]
        assert "".join(rejected) == "".join(t for _, _, t in paragraphs(document(old), cached=False)), name


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_libreoffice_reads_a_move_and_keeps_new_s_reference_to_the_moved_article(tmp_path, library, office_profile):
    """LibreOffice drops a tracked change inside a field's code and keeps the field's first
    instruction: the redline puts NEW's first, so that what LibreOffice saved, all accepted, has
    every reference pointing at a bookmark that is there (the moved article's own name)."""
    from contractkit.build import draft_model
    from contractkit.docx import WriteOptions, write as write_model
    from contractkit.redline import Redline
    old, _, _ = draft_model(EXAMPLES / "data-provision-en.yaml", library=library)
    new = copy.deepcopy(old)
    ids = [a.clause_id for a in new.articles]
    new.articles.insert(9, new.articles.pop(ids.index("provision-form")))
    for i, a in enumerate(new.articles):
        a.number = i + 1
    write_model(Redline(old, new, "Tester"), tmp_path / "moved.docx", WriteOptions(library.style))
    [theirs] = libreoffice_resaved([tmp_path / "moved.docx"], tmp_path / "lo", office_profile)
    marks = revisions(theirs)
    assert marks["moveFrom"] > 0 and marks["moveTo"] > 0, marks
    accepted = resolve_changes(document(theirs), True)
    assert "ck_provision_form" in referenced(accepted) and referenced(accepted) <= set(bookmarks(accepted))


# -- property: accept-all of any redline (and update) is NEW, reject-all OLD; in ja, en and ja+en ------

@st.composite
def pairs_for(draw, contract, language=None):
    from test_properties import BILINGUAL_TEXT, answers_for, library_with, value_strategy
    pack, data = draw(answers_for(contract, language=language))
    library = library_with(pack)
    roles = [r["id"] for r in library.templates[contract].roles]
    text = (lambda multiline: BILINGUAL_TEXT) if data["language"] == "ja+en" else None
    changed = copy.deepcopy(data)
    for point in library.points_for(contract):
        if point.ask and draw(st.booleans()):
            changed["answers"][point.id] = draw(value_strategy(point, contract, roles, text))
    return pack, data, changed


@pytest.mark.parametrize("contract", ["data-provision", "data-creation", "data-sharing", "ai-nda", "ai-poc",
                                      "ai-development", "ai-use", "ai-service", "ai-customization"])
def test_any_pair_of_answers_accepts_to_new(contract, tmp_path_factory):
    from contractkit.errors import UserError
    from test_properties import REFUSED
    tmp = tmp_path_factory.mktemp(contract)

    def run(case):
        pack, old_data, new_data = case
        pack_path = ()
        old, new = write(tmp, "old-answers.yaml", old_data), write(tmp, "answers.yaml", new_data)
        try:
            old_docx = build(old, tmp / "old.docx")
            new_docx = build(new, tmp / "new.docx")
        except UserError as exc:
            if not REFUSED.search(str(exc).replace("old-answers.yaml", "answers.yaml")):
                raise
            reject()
        out = redline(old, new, tmp / "redline.docx", pack_path=pack_path)
        assert_round_trip(out, old_docx, new_docx)
        # and `update`, which reads OLD back from its .docx alone (a ja, en or ja+en draft, its
        # schedules too): its accept-all is NEW, its reject-all OLD
        from contractkit.update import make_update
        make_update(old_docx, new, tmp / "update.docx", force=True)
        assert_round_trip(tmp / "update.docx", old_docx, new_docx)

    # the profile's examples shared among the three languages, so that each is drawn whatever the profile
    share = settings(max_examples=max(1, settings().max_examples // 3))
    for language in ("ja", "en", "ja+en"):
        share(given(pairs_for(contract, language))(run))()
