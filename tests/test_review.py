"""`contractkit review`: the draft the other side sent back read as positions on the decision
points. Every THEIRS here is a real file: a redline our own writer made from OURS to their
answers (tracked), or a draft built from OURS edited with python-docx (a clean copy: an article
given another option's text, a figure changed by hand, a comment added). Review must name the
point and option, quote a free edit as one, quote their comments; --answers-out must keep OURS'
comments and give, through `redline OURS NEW`, exactly the accepted change."""
import copy
import re
import shutil
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from conftest import ENV, EXAMPLES
from test_redline import document, paragraphs, resolve_changes

from contractkit.build import build
from contractkit.redline import make_redline
from contractkit.review import ADDED, CHANGED, MOVED, REMOVED, review


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "contractkit", *map(str, args)], capture_output=True, text=True,
                          env=ENV, cwd=cwd, timeout=300)


def ours(tmp_path, example: str, name: str = "ours.yaml"):
    """A shipped example, comments and all, as OURS."""
    path = tmp_path / name
    shutil.copy(EXAMPLES / example, path)
    return path


def variant(tmp_path, source, name: str, **lines):
    """`source` with answer lines replaced: key=(old line's start, new line), text otherwise kept."""
    text = source.read_text(encoding="utf-8")
    for old, new in lines.values():
        assert old in text, old
        text = re.sub(re.escape(old) + r"[^\n#]*", new.replace("\\", "\\\\") + "  ", text, count=1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tracked(tmp_path, our_yaml, their_yaml, name="theirs.docx"):
    """Their draft as a redline (our writer) of OURS to THEIRS' answers."""
    out = tmp_path / name
    make_redline(our_yaml, their_yaml, out, force=True)
    return out


def article_range(document_, bookmark):
    ps = document_.paragraphs
    start = next(i for i, p in enumerate(ps) if any(b.get(qn("w:name")) == bookmark
                                                    for b in p._p.iter(qn("w:bookmarkStart"))))
    end = next(i for i in range(start + 1, len(ps)) if ps[i].style.style_id == "ckArticle")
    return ps[start + 1:end]


def splice(ours_docx, alt_docx, bookmark, out):
    """OURS' draft with one article's paragraphs replaced by those of another build, untracked,
    as the other side would retype it (python-docx, saved as a new file)."""
    mine, theirs = docx.Document(str(ours_docx)), docx.Document(str(alt_docx))
    old, new = article_range(mine, bookmark), article_range(theirs, bookmark)
    anchor = old[0]._p
    for p in new:
        anchor.addprevious(copy.deepcopy(p._p))
    for p in old:
        p._p.getparent().remove(p._p)
    mine.save(str(out))
    return out


def edit_run(document_, old: str, new: str):
    for p in document_.paragraphs:
        for r in p.runs:
            if old in r.text:
                r.text = r.text.replace(old, new, 1)
                return p
    raise AssertionError(f"no run with {old!r}")


# -- tracked: their round as our own redline ---------------------------------------------------------

def test_a_tracked_change_to_another_option_is_named_with_its_point_and_option(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml", d=("derived-data: ", "derived-data: consent-required"))
    theirs = tracked(tmp_path, mine, theirs_yaml)
    result = review(theirs, mine)
    assert result.tracked
    [finding] = result.findings
    assert (finding.status, finding.clause_id, finding.heading) == (CHANGED, "derived-data", "派生データ")
    assert "derived-data" in finding.points
    assert (finding.match.point, finding.match.field, finding.match.value, finding.match.exact) == \
        ("derived-data", None, "consent-required", True)
    assert finding.edits == []
    # in words: whom it favours, and that our memo's fallback allows it (the recipient concedes to it)
    assert finding.match.words["favours"] == "データ提供者に有利"
    assert finding.match.words["within"] is True
    assert list(result.proposals) == ["derived-data"]
    assert not result.stale
    # a comment they add to the tracked draft, in a hyperlink-wrapped run too, is theirs and quoted
    edited = docx.Document(str(theirs))
    heading = next(p for p in edited.paragraphs if p.style.style_id == "ckArticle" and "派生データ" in p.text)
    edited.add_comment(heading.runs[-1], text="派生データは当社の承諾制としたい。", author="サンプル工機", initials="SK")
    link = etree.SubElement(heading._p, qn("w:hyperlink"))
    link.append(copy.deepcopy(next(r._r for r in heading.runs if r._r.find(qn("w:t")) is not None)))
    link[-1].find(qn("w:t")).text = "（注）"
    edited.save(str(theirs))
    again = review(theirs, mine)
    [comment] = again.comments
    number = str(finding.number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert (comment.where, comment.author, comment.text) == \
        (f"第{number}条（派生データ）（注）", "サンプル工機", "派生データは当社の承諾制としたい。")
    # the heading's text in the hyperlink is read: their heading is edited, so no option's text is theirs
    [edited_finding] = again.findings
    assert "注" in edited_finding.heading and not edited_finding.match.exact
    assert edited_finding.match.key == "derived-data" and edited_finding.match.value == "consent-required"


def test_an_added_and_a_removed_article_are_read_as_the_option_that_brings_or_drops_them(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    with_interest = variant(tmp_path, mine, "interest.yaml",
                            p=("payment-terms: ", "payment-terms: {schedule: one-off, late_interest: statutory}"))
    added = review(tracked(tmp_path, mine, with_interest, "added.docx"), mine)
    by_status = {f.status: f for f in added.findings}
    assert by_status[ADDED].clause_id == "late-payment" and by_status[ADDED].heading == "遅延損害金"
    assert (by_status[ADDED].match.key, by_status[ADDED].match.value, by_status[ADDED].match.exact) == \
        ("payment-terms.late_interest", "statutory", True)
    # the survival article names it: the same proposal
    assert {f.match.key for f in added.findings} == {"payment-terms.late_interest"}
    removed = review(tracked(tmp_path, with_interest, mine, "removed.docx"), with_interest)
    gone = [f for f in removed.findings if f.status == REMOVED]
    assert [f.clause_id for f in gone] == ["late-payment"]
    assert (gone[0].match.key, gone[0].match.value, gone[0].match.exact) == ("payment-terms.late_interest", "none", True)


def test_a_multi_select_and_a_mapping_field_are_recognised_one_change_at_a_time(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml", w=("warranty: ", "warranty: [authority]"),
                          l=("liability: ", "liability: {cap: none, scope: direct-ordinary, gross_negligence_carve_out: true}"))
    result = review(tracked(tmp_path, mine, theirs_yaml), mine)
    found = {f.clause_id: f.match for f in result.findings if f.match and f.match.exact}
    assert any(m.key == "warranty" and m.value == ["authority"] for m in found.values()), found
    assert any(m.key == "liability.cap" and m.value == "none" for m in found.values()), found
    assert set(result.proposals) == {"warranty", "liability.cap"}


def test_two_points_changed_in_one_article_give_the_closest_option_with_its_figure(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    # the liability article reads both the cap and the scope: no single option's text is theirs
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml",
                          l=("liability: ", "liability: {cap: none, scope: all, gross_negligence_carve_out: true}"))
    result = review(tracked(tmp_path, mine, theirs_yaml), mine)
    [finding] = [f for f in result.findings if f.clause_id == "liability"]
    assert finding.match is not None and not finding.match.exact
    assert finding.match.key in ("liability.cap", "liability.scope")
    assert 0.5 < finding.match.ratio < 1
    assert finding.edits, "the edits are quoted as free edits"
    assert "liability.cap" not in result.proposals and "liability.scope" not in result.proposals


# -- untracked: a clean copy edited with python-docx -------------------------------------------------

def test_an_untracked_copy_is_compared_with_the_draft_rebuilt_from_ours(tmp_path):
    mine = ours(tmp_path, "data-provision-en.yaml")
    alt = variant(tmp_path, mine, "alt.yaml", d=("derived-data: ", "derived-data: license-back"))
    build(mine, tmp_path / "ours.docx", force=True)
    build(alt, tmp_path / "alt.docx", force=True)
    theirs = splice(tmp_path / "ours.docx", tmp_path / "alt.docx", "ck_derived_data", tmp_path / "theirs.docx")
    edited = docx.Document(str(theirs))
    paragraph = edit_run(edited, "within 14 days", "within 21 days")
    edited.add_comment(paragraph.runs[0], text="We need three weeks to cure.", author="Acme Legal", initials="AL")
    edited.save(str(theirs))
    result = review(theirs, mine)
    assert not result.tracked
    by_id = {f.clause_id: f for f in result.findings}
    assert set(by_id) == {"derived-data", "termination"}
    derived = by_id["derived-data"]
    assert (derived.heading, derived.match.point, derived.match.value, derived.match.exact) == \
        ("Derived Data", "derived-data", "license-back", True)
    free = by_id["termination"]
    assert free.match is None
    assert free.edits == [("14", "21")]
    [comment] = result.comments
    assert (comment.author, comment.text) == ("Acme Legal", "We need three weeks to cure.")
    assert comment.where == f"Article {free.number} (Termination)"


def test_a_clean_copy_built_from_other_answers_says_so(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    alt = variant(tmp_path, mine, "alt.yaml", d=("derived-data: ", "derived-data: consult"))
    build(alt, tmp_path / "alt.docx", force=True)
    result = review(tmp_path / "alt.docx", mine)
    assert result.stale and not result.tracked
    [finding] = result.findings
    assert (finding.match.key, finding.match.value, finding.match.exact) == ("derived-data", "consult", True)
    out = cli("review", "alt.docx", "--answers", "ours.yaml", cwd=tmp_path)
    assert "この契約書案は ours.yaml の現在の回答から作成されたものではない" in out.stdout


def test_the_command_in_japanese_quotes_free_edits_and_comments(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    build(mine, tmp_path / "ours.docx", force=True)
    edited = docx.Document(str(tmp_path / "ours.docx"))
    paragraph = edit_run(edited, "10日", "30日")
    edited.add_comment(paragraph.runs[0], text="確認期間は30日としたい。", author="サンプル工機 法務部", initials="SK")
    edited.save(str(tmp_path / "theirs.docx"))
    result = cli("review", "theirs.docx", "--answers", "ours.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1か条変更" in out and "コメント1件" in out
    assert "（本データの確認）" in out
    assert "選択肢によらない修正（自由修正）" in out and "「10」→「30」" in out
    assert "サンプル工機 法務部: 「確認期間は30日としたい。」" in out
    assert "ガイドライン解説" not in out          # our own guideline comments are not theirs


# -- the outputs: report, answers out, our counter-redline ----------------------------------------

def test_answers_out_keeps_our_comments_and_redline_shows_exactly_the_accepted_change(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml", d=("derived-data: ", "derived-data: consent-required"),
                          t=("third-party: ", "third-party: prohibited"))
    tracked(tmp_path, mine, theirs_yaml)
    result = cli("review", "theirs.docx", "--answers", "ours.yaml", "-o", "review.docx", "--answers-out", "new.yaml",
                 "--accept", "derived-data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--accept derived-data third-party" in result.stdout      # the hint names both proposals
    before = mine.read_text(encoding="utf-8").splitlines()
    after = (tmp_path / "new.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][1].startswith("  derived-data: consent-required")
    assert changed[0][1].endswith("# 乙が派生データを保有し、甲に利用を許諾する")       # its comment kept
    assert [line for line in before if "#" in line and "derived-data" not in line] == \
        [line for line in after if "#" in line and "derived-data" not in line]
    # our counter-draft: accept-all of `redline OURS NEW` is the draft NEW builds, and only 派生データ changed
    counter = make_redline(mine, tmp_path / "new.yaml", tmp_path / "counter.docx")
    assert [c.new.clause_id for c in counter["changed"]] == ["derived-data"]
    assert not counter["inserted"] and not counter["deleted"]
    build(tmp_path / "new.yaml", tmp_path / "new.docx", force=True)
    accepted = resolve_changes(document(tmp_path / "counter.docx"), accept=True)
    assert paragraphs(accepted) == paragraphs(document(tmp_path / "new.docx"))
    # the report: internal on every page, the article and the proposal in its table
    report = docx.Document(str(tmp_path / "review.docx"))
    header = " ".join(p.text for s in report.sections for p in s.header.paragraphs)
    assert "社内限り" in header
    cells = " ".join(c.text for t in report.tables for row in t.rows for c in row.cells)
    assert "第８条（派生データ）" in cells and "derived-data: consent-required" in cells
    assert "third-party: prohibited" in cells
    from test_word_compat import findings
    assert findings(tmp_path / "review.docx") == []          # Word opens it without repair


def test_accept_all_in_english_and_a_mapping_field_keeps_the_flow_mapping(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml",
                          p=("payment-terms: ", "payment-terms: {schedule: one-off, late_interest: statutory}"))
    tracked(tmp_path, mine, theirs_yaml)
    result = cli("review", "theirs.docx", "--answers", "ours.yaml", "--answers-out", "new.yaml", "--accept-all",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(x for x in (tmp_path / "new.yaml").read_text(encoding="utf-8").splitlines() if "payment-terms" in x)
    assert line.startswith("  payment-terms: {schedule: one-off, late_interest: statutory}")
    assert line.endswith("# 一括払い、遅延損害金の条項は置かない")
    counter = make_redline(mine, tmp_path / "new.yaml", tmp_path / "counter.docx")
    assert [c.new.clause_id for c in counter["inserted"]] == ["late-payment"]


def test_english_terminal_summary(tmp_path):
    mine = ours(tmp_path, "data-provision-en.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml", t=("third-party: ", "third-party: with-consent"))
    tracked(tmp_path, mine, theirs_yaml)
    result = cli("review", "theirs.docx", "--answers", "ours.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "articles changed:" in result.stdout
    assert re.search(r"  Article \d+ \(Provision to Third Parties\) \[changed; clause third-party;", result.stdout)
    assert "they propose third-party: with-consent" in result.stdout
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", result.stdout)    # English only


def test_a_bilingual_draft_is_reviewed_article_by_article(tmp_path):
    mine = ours(tmp_path, "data-provision-bilingual.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml", d=("derived-data: ", "derived-data: consult"))
    theirs = tracked(tmp_path, mine, theirs_yaml)
    result = review(theirs, mine)
    [finding] = result.findings
    assert (finding.clause_id, finding.match.key, finding.match.value, finding.match.exact) == \
        ("derived-data", "derived-data", "consult", True)
    # a clean copy: nothing changed against the rebuild
    build(mine, tmp_path / "ours.docx", force=True)
    clean = review(tmp_path / "ours.docx", mine)
    assert clean.findings == [] and not clean.stale and not clean.tracked
    out = cli("review", "theirs.docx", "--answers", "ours.yaml", "-o", "report.docx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "第８条（派生データ）" in out.stdout
    from test_word_compat import findings
    assert findings(tmp_path / "report.docx") == []


def test_a_heading_that_lost_its_bookmark_is_found_by_its_text(tmp_path):
    mine = ours(tmp_path, "data-provision-en.yaml")
    alt = variant(tmp_path, mine, "alt.yaml", d=("derived-data: ", "derived-data: license-back"))
    build(mine, tmp_path / "ours.docx", force=True)
    build(alt, tmp_path / "alt.docx", force=True)
    theirs = splice(tmp_path / "ours.docx", tmp_path / "alt.docx", "ck_derived_data", tmp_path / "theirs.docx")
    edited = docx.Document(str(theirs))
    for p in edited.paragraphs:
        for b in list(p._p.iter(qn("w:bookmarkStart"))) + list(p._p.iter(qn("w:bookmarkEnd"))):
            if p.style.style_id == "ckArticle":
                b.getparent().remove(b)
    edited.save(str(theirs))
    [finding] = review(theirs, mine).findings
    assert (finding.clause_id, finding.match.value, finding.match.exact) == ("derived-data", "license-back", True)


def test_an_article_of_their_own_is_reported_added_with_its_text(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    build(mine, tmp_path / "ours.docx", force=True)
    edited = docx.Document(str(tmp_path / "ours.docx"))
    paras = edited.paragraphs
    headings = [i for i, p in enumerate(paras) if p.style.style_id == "ckArticle"]
    last = paras[headings[-1]]
    own = [p for p in paras[headings[-1] + 1:]]
    own = own[:next(i for i, p in enumerate(own) if not p.style.style_id.startswith(("ckParagraph", "ckItem")))]
    body = own[-1]                        # the last article's last paragraph: theirs goes after it
    heading, text = copy.deepcopy(last._p), copy.deepcopy(own[0]._p)
    for b in list(heading.iter(qn("w:bookmarkStart"))) + list(heading.iter(qn("w:bookmarkEnd"))):
        b.getparent().remove(b)
    for element, words in ((heading, "（特約）"), (text, "乙は、本データを用いた成果を甲に毎年報告する。")):
        runs = list(element.iter(qn("w:t")))
        runs[0].text = words
        for extra in runs[1:]:
            extra.text = ""
    body._p.addnext(heading)
    heading.addnext(text)
    edited.add_comment(edited.paragraphs[1].runs[0], text="前文の日付は未定です。", author="相手方", initials="X")
    edited.save(str(tmp_path / "theirs.docx"))
    result = review(tmp_path / "theirs.docx", mine)
    [added] = result.findings
    assert (added.status, added.clause_id, added.heading, added.match) == (ADDED, None, "特約", None)
    assert ("", "乙は、本データを用いた成果を甲に毎年報告する。") in added.edits
    assert added.number == len(headings) + 1
    [comment] = result.comments
    assert (comment.where, comment.text) == ("条項外", "前文の日付は未定です。")


def test_an_article_they_moved_is_reported_moved(tmp_path):
    mine = ours(tmp_path, "data-provision-en.yaml")
    build(mine, tmp_path / "ours.docx", force=True)
    edited = docx.Document(str(tmp_path / "ours.docx"))
    paras = edited.paragraphs
    headings = [i for i, p in enumerate(paras) if p.style.style_id == "ckArticle"]
    # the third article (heading and paragraphs) put after the fifth, untracked
    block = [p._p for p in paras[headings[2]:headings[3]]]
    after = paras[headings[5] - 1]._p
    for element in reversed(block):
        after.addnext(element)
    moved_heading = paras[headings[2]].text
    edited.save(str(tmp_path / "theirs.docx"))
    result = review(tmp_path / "theirs.docx", mine)
    [finding] = result.findings
    assert finding.status == MOVED and finding.number == 5 and moved_heading.endswith(finding.heading)
    out = cli("review", "theirs.docx", "--answers", "ours.yaml", cwd=tmp_path)
    assert "; moved: 1" in out.stdout and f"Article 5 ({finding.heading}) [moved (its text as ours)" in out.stdout


# -- bad input -----------------------------------------------------------------------------------

def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path):
    mine = ours(tmp_path, "data-provision-ja.yaml")
    theirs_yaml = variant(tmp_path, mine, "theirs.yaml", d=("derived-data: ", "derived-data: consent-required"))
    tracked(tmp_path, mine, theirs_yaml)
    (tmp_path / "notes.docx").write_text("not a zip", encoding="utf-8")
    docx.Document().save(str(tmp_path / "plain.docx"))
    shutil.copy(EXAMPLES / "ai-nda-ja.yaml", tmp_path / "nda.yaml")
    shutil.copy(EXAMPLES / "data-provision-en.yaml", tmp_path / "en.yaml")
    (tmp_path / "taken.docx").write_bytes(b"mine")
    cases = [
        (["notes.docx", "--answers", "ours.yaml"], "not a Word"),
        (["ours.yaml", "--answers", "ours.yaml"], "not a Word draft"),
        (["plain.docx", "--answers", "ours.yaml"], "no contractkit stamp"),
        (["theirs.docx", "--answers", "nda.yaml"], "not a draft of contract type ai-nda"),
        (["theirs.docx", "--answers", "en.yaml"], "a draft in ja"),
        (["theirs.docx", "--answers", "ours.yaml", "-o", "taken.docx"], "already exists; use --force"),
        (["theirs.docx", "--answers", "ours.yaml", "-o", "r.docx", "--answers-out", "n.yaml", "--accept", "derived-dta"],
         "did you mean 'derived-data'"),
        (["theirs.docx", "--answers", "ours.yaml", "--answers-out", "n.yaml"], "--accept POINT… or --accept-all"),
        (["theirs.docx", "--answers", "ours.yaml", "--accept", "derived-data"], "--answers-out"),
        (["theirs.docx", "--answers", "ours.yaml", "--answers-out", "ours.yaml", "--accept-all", "--force"],
         "one of the inputs"),
    ]
    for args, expected in cases:
        result = cli("review", *args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert expected in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "n.yaml").exists()
    assert (tmp_path / "taken.docx").read_bytes() == b"mine"
    assert (tmp_path / "ours.yaml").read_text(encoding="utf-8") == (EXAMPLES / "data-provision-ja.yaml").read_text(encoding="utf-8")


def test_resolving_a_paragraph_property_change_puts_back_the_old_properties_or_drops_the_mark():
    from lxml import etree
    from contractkit.review import resolve_changes
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<w:body xmlns:w="{w}"><w:p><w:pPr><w:pStyle w:val="Item"/>'
           f'<w:pPrChange w:id="1" w:author="a"><w:pPr><w:pStyle w:val="Clause"/></w:pPr></w:pPrChange>'
           f'</w:pPr><w:r><w:t>x</w:t></w:r></w:p></w:body>')
    for accept, style in ((True, "Item"), (False, "Clause")):
        root = etree.fromstring(xml)
        resolve_changes(root, accept)
        assert root.find(f".//{{{w}}}pPrChange") is None
        assert [e.get(f"{{{w}}}val") for e in root.iter(f"{{{w}}}pStyle")] == [style]


@pytest.mark.parametrize("example", ["data-provision-en.yaml", "data-provision-bilingual.yaml"])
def test_an_article_moved_in_a_tracked_draft_is_reported_moved_and_its_references_no_change(tmp_path, example):
    """THEIRS: our redline writer's move of an article the others refer to (tracked): the references
    point at its old place's bookmark in the base (reject-all) and at its own in their version, and
    are one reference still; so the move is the only finding."""
    from contractkit.build import draft_model
    from contractkit.docx import WriteOptions, write as write_model
    from contractkit.draft import Bilingual
    from contractkit.redline import Redline
    mine = ours(tmp_path, example)
    old, _, library = draft_model(mine)
    new = copy.deepcopy(old)
    for draft in ([new.ja, new.en] if isinstance(new, Bilingual) else [new]):
        ids = [a.clause_id for a in draft.articles]
        draft.articles.insert(9, draft.articles.pop(ids.index("provision-form")))
        for i, a in enumerate(draft.articles):
            a.number = i + 1
    write_model(Redline(old, new, "Them"), tmp_path / "theirs.docx", WriteOptions(library.style))
    result = review(tmp_path / "theirs.docx", mine)
    assert [(f.status, f.clause_id) for f in result.findings] == [(MOVED, "provision-form")]
