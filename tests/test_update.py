"""`contractkit update DRAFT.docx --answers A.yaml -o NEW.docx`: a draft built by one library,
rebuilt from the same answers by a changed library (a scratch copy, named by CONTRACTKIT_DATA),
written as a redline whose accept-all is the new build and whose reject-all is the old draft's
text, read back from the .docx. The old library is gone when update runs: the old draft is read
from its .docx alone."""
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ENV, EXAMPLES, ROOT, W
from test_redline import assert_round_trip, bookmarks, document, paragraphs, resolve_changes, revisions

PHRASE = {"ja": ("引き続き効力を有する。", "引き続き完全な効力を有する。"),
          "en": ("the rest of that provision remain in effect.", "the rest of that provision remain in full force and effect.")}
ADDED = {"ja": "電子署名の方法については、両当事者が別途協議の上定める。",
         "en": "The parties shall agree on the method of electronic signature separately."}



def built_then_updated(tmp_path, example_file, library_of):
    """A draft built from a shipped example (a copy kept as deal-as-sent.docx), the same answers rebuilt
    with the library `library_of` makes (in tmp_path), and `update` of the old draft with it: (old,
    new, updated, the run)."""
    answers = tmp_path / "deal.yaml"
    shutil.copy(EXAMPLES / example_file, answers)
    old = tmp_path / "deal.docx"
    assert cli("build", answers, "-o", old).returncode == 0
    shutil.copy(old, tmp_path / "deal-as-sent.docx")
    library = library_of(tmp_path)
    new = tmp_path / "deal-new.docx"
    assert cli("build", answers, "-o", new, data=library).returncode == 0
    out = tmp_path / "deal-updated.docx"
    result = cli("update", old, "--answers", answers, "-o", out, data=library)
    assert result.returncode == 0, result.stderr
    return old, new, out, result

def cli(*args, data=None, cwd=None):
    env = {k: v for k, v in ENV.items() if k != "CONTRACTKIT_DATA"}
    if data is not None:
        env["CONTRACTKIT_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "contractkit", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=300)


def changed_library(tmp: Path) -> Path:
    """A copy of the library in which severability's wording changed and counterparts gained a 項."""
    from contractkit.library import data_root
    root = tmp / "library"
    for sub in ("clauses", "templates"):
        shutil.copytree(data_root() / sub, root / sub)
    path = root / "clauses" / "common" / "severability.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in PHRASE.values():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    path = root / "clauses" / "common" / "counterparts.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for k, line in enumerate(lines):
        out.append(line)
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        for lang in ("ja", "en"):          # a last 項 of each variant's text
            if line.startswith("      ") and not nxt.startswith("      ") and _in_lang(lines, k, lang):
                out.append("      " + ADDED[lang])
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


def _in_lang(lines, k, lang) -> bool:
    for j in range(k, -1, -1):
        if lines[j].strip() in ("ja: |", "en: |"):
            return lines[j].strip() == f"{lang}: |"
    return False


def body_text(path) -> list[str]:
    return [t for _, _, t in paragraphs(document(path))]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_update_shows_the_library_change_as_a_redline(tmp_path, lang):
    old, new, out, result = built_then_updated(tmp_path, f"data-provision-{lang}.yaml", changed_library)
    old_copy = tmp_path / "deal-as-sent.docx"       # the old draft as it was before the update
    assert "changed: severability" in result.stdout
    assert "changed: counterparts" in result.stdout
    assert result.stdout.count("changed:") == 2, result.stdout
    assert old.read_bytes() == old_copy.read_bytes()          # the old draft is left as it was
    assert_round_trip(out, old, new)
    marks = revisions(out)
    assert marks["ins"] == 2 and marks["del"] == marks["moveFrom"] == 0, marks   # both changes add words only
    accepted = "\n".join(t for _, _, t in paragraphs(resolve_changes(document(out), accept=True)))
    rejected = "\n".join(t for _, _, t in paragraphs(resolve_changes(document(out), accept=False)))
    assert PHRASE[lang][1] in accepted and ADDED[lang] in accepted
    assert PHRASE[lang][1] not in rejected and ADDED[lang] not in rejected and PHRASE[lang][0] in rejected
    # the changed phrase is marked as those words, not the whole paragraph; the added 項 whole
    inserted = sorted("".join(t.text or "" for t in ins.iter(f"{W}t")) for ins in document(out).iter(f"{W}ins")
                      if ins.getparent().tag not in (f"{W}rPr", f"{W}trPr"))
    assert inserted == sorted([ADDED[lang], "完全な" if lang == "ja" else "full force and "]), inserted


def test_update_with_no_library_change_marks_nothing(tmp_path):
    answers = tmp_path / "deal.yaml"
    shutil.copy(EXAMPLES / "ai-development-ja.yaml", answers)
    old = tmp_path / "deal.docx"
    assert cli("build", answers, "-o", old).returncode == 0
    out = tmp_path / "same.docx"
    result = cli("update", old, "--answers", answers, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "no article changed" in result.stdout
    assert revisions(out).get("ins", 0) == 0 and revisions(out).get("del", 0) == 0
    assert body_text(out) == body_text(old)


OLD_VERSION = "0.0.9-old"


def variant_library(tmp: Path) -> Path:
    """A copy of the library in which severability has variants by `signing` (its one text, 'default',
    now 'seal' and 'electronic', the latter's wording changed), so that a draft signed electronically
    is rebuilt with variant 'electronic' of it."""
    from contractkit.library import data_root
    root = tmp / "library"
    for sub in ("clauses", "templates"):
        shutil.copytree(data_root() / sub, root / sub)
    path = root / "clauses" / "common" / "severability.yaml"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("variants:\n  default:\n", 1)
    body, tail = rest.split("\nguidance:", 1)
    changed = body
    for old, new in PHRASE.values():
        assert old in changed
        changed = changed.replace(old, new)
    path.write_text(f"{head}select: signing\nvariants:\n  seal:\n{body}\n  electronic:\n{changed}\nguidance:{tail}",
                    encoding="utf-8")
    return root


def restamp(draft: Path, version: str) -> None:
    """`draft` with its stamp's contractkit.version rewritten to `version` (as an older contractkit
    would have stamped it)."""
    with zipfile.ZipFile(draft) as z:
        parts = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(draft, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/custom.xml":
                text = data.decode("utf-8")
                stamped, n = re.subn(r'(name="contractkit\.version"><vt:lpwstr>)[^<]*', rf"\g<1>{version}", text)
                assert n == 1, text
                data = stamped.encode("utf-8")
            z.writestr(info, data)


def test_update_reports_what_made_the_old_draft_and_the_variant_that_changed(tmp_path):
    """update names the contractkit that stamped the old draft and the one that rebuilt it, and a
    clause whose variant changed with both variant ids."""
    from contractkit import __version__
    answers = tmp_path / "deal.yaml"
    shutil.copy(EXAMPLES / "data-provision-en.yaml", answers)
    assert "signing: electronic" in answers.read_text(encoding="utf-8")
    old = tmp_path / "deal.docx"
    assert cli("build", answers, "-o", old).returncode == 0
    restamp(old, OLD_VERSION)
    library = variant_library(tmp_path)
    out = tmp_path / "deal-updated.docx"
    result = cli("update", old, "--answers", answers, "-o", out, data=library)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"old draft: contractkit {OLD_VERSION}; now: contractkit {__version__}" in lines, result.stdout
    assert "  changed: severability (Severability), variant default → electronic" in lines, result.stdout
    assert result.stdout.count("variant ") == 1, result.stdout
    # the updated draft is stamped by this contractkit, with the new variant
    with zipfile.ZipFile(out) as z:
        custom = z.read("docProps/custom.xml").decode("utf-8")
    assert f"<vt:lpwstr>{__version__}</vt:lpwstr>" in custom and "severability:electronic" in custom


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*-j[a].yaml")) + sorted(p.stem for p in EXAMPLES.glob("*-en.yaml")))
def test_the_model_read_back_from_a_draft_is_the_model_that_built_it(tmp_path, name):
    """Every example draft (holes, schedules, references to articles and schedules, items) read
    back from its .docx gives the draft model its answers build: an update with no library change
    has nothing to mark."""
    from contractkit.build import draft_model
    from contractkit.cli import main
    from contractkit.update import read_draft
    answers = tmp_path / f"{name}.yaml"
    shutil.copy(EXAMPLES / f"{name}.yaml", answers)
    out = tmp_path / f"{name}.docx"
    assert main(["build", str(answers), "-o", str(out)]) == 0
    new, _, _ = draft_model(answers)
    old, stamp = read_draft(out, new)
    assert stamp.clauses == new.stamp
    for part in ("title", "preamble", "closing", "date_line", "signatures"):
        assert getattr(old, part) == getattr(new, part), part
    assert [a.clause_id for a in old.articles] == [a.clause_id for a in new.articles]
    for a, b in zip(old.articles, new.articles):
        assert (a.variant, a.number, a.heading, a.bookmark, a.paragraphs) == (b.variant, b.number, b.heading, b.bookmark, b.paragraphs), a.clause_id
    assert old.schedules == new.schedules           # read from the .docx: columns, rows, holes named as the new build's
    assert old.schedules is not new.schedules


def test_a_docx_contractkit_did_not_build_is_refused_with_its_place(tmp_path):
    import docx
    foreign = tmp_path / "theirs.docx"
    d = docx.Document()
    d.add_paragraph("第1条（目的）")
    d.save(foreign)
    answers = tmp_path / "deal.yaml"
    shutil.copy(EXAMPLES / "data-provision-ja.yaml", answers)
    result = cli("update", foreign, "--answers", answers, "-o", tmp_path / "out.docx")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{foreign}: no contractkit stamp" in result.stderr
    assert not (tmp_path / "out.docx").exists()
    # a draft whose article heading lost its bookmark (edited by hand): the paragraph is named
    built = tmp_path / "deal.docx"
    assert cli("build", answers, "-o", built).returncode == 0
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b'w:name="ck_purpose"', b'w:name="mine"')
            dst.writestr(item, data)
    result = cli("update", broken, "--answers", answers, "-o", tmp_path / "out.docx")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{broken}: paragraph " in result.stderr and "has no bookmark of a clause" in result.stderr
    # a ja+en draft (side by side) is named as one, not taken for a draft contractkit did not build
    bilingual = tmp_path / "both.yaml"
    shutil.copy(EXAMPLES / "data-provision-bilingual.yaml", bilingual)
    assert cli("build", bilingual, "-o", tmp_path / "both.docx").returncode == 0
    result = cli("update", tmp_path / "both.docx", "--answers", answers, "-o", tmp_path / "out.docx")
    assert result.returncode != 0 and "a ja+en draft (side by side)" in result.stderr
    result = cli("update", tmp_path / "missing.docx", "--answers", answers, "-o", tmp_path / "out.docx")
    assert result.returncode != 0 and "no such file" in result.stderr and "Traceback" not in result.stderr


def columns(root, accept: bool) -> dict[str, list[str]]:
    """The text of each column's paragraphs (ja: left cells, en: right), of the side-by-side table
    after accept-all or reject-all."""
    resolved = resolve_changes(root, accept=accept)
    table = next(resolved.iter(f"{W}tbl"))
    out = {"ja": [], "en": []}
    for row in table.iter(f"{W}tr"):
        for lang, cell in zip(("ja", "en"), row.findall(f"{W}tc")):
            out[lang] += [t for _, _, t in paragraphs(cell)]
    return out


def test_update_of_a_bilingual_draft_shows_the_change_in_both_columns(tmp_path):
    old, new, out, result = built_then_updated(tmp_path, "data-provision-bilingual.yaml", changed_library)
    assert result.stdout.count("changed:") == 2 and "changed: severability" in result.stdout, result.stdout
    from test_word_compat import findings
    assert findings(out) == []
    assert_round_trip(out, old, new)
    # per column: accept-all is the new build's text, reject-all the old draft's
    for accept, draft in ((True, new), (False, old)):
        assert columns(document(out), accept) == columns(document(draft), True), accept
    accepted, rejected = columns(document(out), True), columns(document(out), False)
    for lang in ("ja", "en"):
        text, gone = "\n".join(accepted[lang]), "\n".join(rejected[lang])
        assert PHRASE[lang][1] in text and ADDED[lang] in text
        assert PHRASE[lang][1] not in gone and ADDED[lang] not in gone and PHRASE[lang][0] in gone
        other = "en" if lang == "ja" else "ja"
        assert ADDED[lang] not in "\n".join(accepted[other])       # each column in its own language
    inserted = sorted("".join(t.text or "" for t in ins.iter(f"{W}t")) for ins in document(out).iter(f"{W}ins")
                      if ins.getparent().tag not in (f"{W}rPr", f"{W}trPr"))
    assert inserted == sorted([ADDED["ja"], ADDED["en"], "完全な", "full force and "]), inserted
    assert revisions(out)["del"] == 0


def test_update_refuses_a_draft_and_answers_of_different_kinds(tmp_path):
    single, both = tmp_path / "deal.yaml", tmp_path / "both.yaml"
    shutil.copy(EXAMPLES / "data-provision-ja.yaml", single)
    shutil.copy(EXAMPLES / "data-provision-bilingual.yaml", both)
    assert cli("build", single, "-o", tmp_path / "deal.docx").returncode == 0
    result = cli("update", tmp_path / "deal.docx", "--answers", both, "-o", tmp_path / "out.docx")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'deal.docx'}: not a ja+en draft" in result.stderr, result.stderr
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("name", ["data-provision-bilingual", "ai-service-bilingual", "ai-development-en", "ai-use-en"])
def test_the_model_read_back_from_a_bilingual_draft_is_the_model_that_built_it(tmp_path, name):
    """A ja+en draft read back from its side-by-side table gives, column by column, the draft
    models its answers build (the closing and date line as one block, as their cell holds them)."""
    from contractkit.build import draft_model
    from contractkit.cli import main
    from contractkit.update import read_bilingual
    answers = tmp_path / f"{name}.yaml"
    text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
    answers.write_text(text.replace("\nlanguage: en\n", "\nlanguage: ja+en\n"), encoding="utf-8")
    out = tmp_path / f"{name}.docx"
    assert main(["build", str(answers), "-o", str(out)]) == 0
    new, _, _ = draft_model(answers)
    old, stamp = read_bilingual(out, new)
    assert stamp.clauses == new.ja.stamp
    for lang in ("ja", "en"):
        a, b = getattr(old, lang), getattr(new, lang)
        assert (a.lang, a.title, a.preamble, a.signatures) == (b.lang, b.title, b.preamble, b.signatures), lang
        assert a.closing + a.date_line == b.closing + b.date_line, lang
        assert [x.clause_id for x in a.articles] == [x.clause_id for x in b.articles]
        for x, y in zip(a.articles, b.articles):
            assert (x.variant, x.number, x.heading, x.bookmark, x.paragraphs) == \
                (y.variant, y.number, y.heading, y.bookmark, y.paragraphs), (lang, x.clause_id)
        assert a.schedules == b.schedules and a.schedules is not b.schedules, lang



# -- schedules (別紙): read back from the old .docx, so that a library change to one shows -----------

SCHEDULE_EDITS = {   # per draft: a file of the library and its edits; the texts they change; the schedules changed
    "ja": ("ai-customization-ja", "clauses/ai2025/cust-processing-results.yaml",
           [("label: {ja: 権利の帰属, en: Held by}", "label: {ja: 権利の帰属先, en: Held by}"),      # a column heading
            ("label: {ja: 共有, en: Joint}", "label: {ja: 両当事者の共有, en: Joint}")],          # an option in a cell
           [("権利の帰属", "権利の帰属先"), ("共有", "両当事者の共有")], ["別紙3（処理成果）"]),
    "en": ("ai-customization-en", "clauses/ai2025/ai25-processing-location.yaml",
           [('label: {ja: "設備の運営者", en: "Operator of the facility"}',
             'label: {ja: "設備の運営者", en: "Operator of the facilities"}'),
            ("schedule: {ja: 処理及び保存の場所, en: Places of Processing and Storage}",       # the schedule's title
             "schedule: {ja: 処理及び保存の場所, en: Places of Processing and of Storage}")],
           [("Operator of the facility", "Operator of the facilities"),
            ("Schedule 2: Places of Processing and Storage", "Schedule 2: Places of Processing and of Storage")],
           ["Schedule 2: Places of Processing and of Storage"]),
    "ja+en": ("ai-service-bilingual", "clauses/ai2025/ai25-subprocessors.yaml",
              [('label: {ja: "委託する処理", en: "Processing entrusted"}',
                'label: {ja: "委託する処理の内容", en: "Processing it is entrusted with"}')],
              [("委託する処理", "委託する処理の内容"), ("Processing entrusted", "Processing it is entrusted with")],
              ["別紙1（処理委託先の一覧）", "Schedule 1: List of Subprocessors"]),
}


def schedule_library(tmp: Path, name: str, edits: list) -> Path:
    """A copy of the library in which a schedule changed: the file `name` with `edits` (old, new)."""
    from contractkit.library import data_root
    root = tmp / "library"
    for sub in ("clauses", "templates"):
        shutil.copytree(data_root() / sub, root / sub)
    path = root / name
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return root


def schedule_tables(root) -> list:
    """(heading paragraph, table) of each schedule (a table after a paragraph in the schedule heading style)."""
    out = []
    for table in root.iter(f"{W}tbl"):
        heading = table.getprevious()
        style = heading.find(f"{W}pPr/{W}pStyle") if heading is not None else None
        if style is not None and style.get(f"{W}val") == "ckScheduleHeading":
            out.append((heading, table))
    return out


def schedule_text(root) -> list:
    """Each schedule's heading and its rows' cells, as text."""
    return [(paragraphs(heading)[0][2], [[paragraphs(cell)[0][2] for cell in row.findall(f"{W}tc")]
                                          for row in table.findall(f"{W}tr")])
            for heading, table in schedule_tables(root)]


def marks_in(element) -> int:
    return sum(1 for _ in element.iter(f"{W}ins", f"{W}del"))


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_update_shows_a_library_change_to_a_schedule(tmp_path, lang):
    example, name, edits, texts, changed = SCHEDULE_EDITS[lang]
    old, new, out, result = built_then_updated(tmp_path, f"{example}.yaml", lambda root: schedule_library(root, name, edits))
    assert result.stdout.count("changed:") == 1 and "changed: schedule " in result.stdout, result.stdout
    from test_word_compat import findings
    assert findings(out) == []
    # accept-all is the new build, its schedules too; reject-all the old draft's text, its old schedule with it
    assert_round_trip(out, old, new)
    accepted, rejected = resolve_changes(document(out), accept=True), resolve_changes(document(out), accept=False)
    assert schedule_text(accepted) == schedule_text(document(new))
    assert schedule_text(rejected) == schedule_text(document(old)) != schedule_text(document(new))

    def units(root) -> set:
        return {x for heading, rows in schedule_text(root) for x in [heading, *[c for row in rows for c in row]]}

    for was, now in texts:
        assert was in units(rejected) and now not in units(rejected), was
        assert now in units(accepted) and was not in units(accepted), now
    # the changed schedule is marked (its heading row: a column heading changed), the others are not
    redline_tables, headings = schedule_tables(document(out)), [h for h, _ in schedule_text(accepted)]
    assert len(redline_tables) == len(headings) > len(changed)
    for (heading, table), title in zip(redline_tables, headings):
        assert (marks_in(heading) + marks_in(table) > 0) == (title in changed), title
        assert (marks_in(table.find(f"{W}tr")) > 0) == (title in changed), title
        assert (marks_in(heading) > 0) == (title in changed and lang == "en"), title     # its title changed



@pytest.mark.parametrize("example", ["ai-customization-ja", "ai-service-bilingual"])
def test_a_schedule_that_gained_a_column_keeps_its_heading_and_bookmark(tmp_path, example):
    """Word tracks no column added to a table: the schedule keeps its heading (and the bookmark its
    REF fields point at), and its table holds the old rows, each deleted, then the new ones, each
    inserted; accept-all is the new build and reject-all the old draft, every reference to the
    schedule pointing at its heading in both."""
    answers = tmp_path / "deal.yaml"
    shutil.copy(EXAMPLES / f"{example}.yaml", answers)
    old = tmp_path / "deal.docx"
    assert cli("build", answers, "-o", old).returncode == 0
    field = '        label: {ja: "処理の場所", en: "Where it processes"}\n'
    library = schedule_library(tmp_path, "clauses/ai2025/ai25-subprocessors.yaml", [(field, field + (
        '      - id: contact\n        type: text\n        nullable: true\n        label: {ja: "連絡先", en: "Contact"}\n'))])
    new = tmp_path / "deal-new.docx"
    assert cli("build", answers, "-o", new, data=library).returncode == 0
    out = tmp_path / "deal-updated.docx"
    result = cli("update", old, "--answers", answers, "-o", out, data=library)
    assert result.returncode == 0, result.stderr
    assert "changed: schedule subprocessor-list" in result.stdout, result.stdout
    from test_word_compat import findings
    assert findings(out) == []
    assert_round_trip(out, old, new)       # the bookmarks too: each where the draft has it, none a field misses
    names = ["ckSch_subprocessor_list"] + (["ckSchEN_subprocessor_list"] if example.endswith("bilingual") else [])
    for resolved in (resolve_changes(document(out), accept=True), resolve_changes(document(out), accept=False)):
        assert set(names) <= set(bookmarks(resolved)), names
        from test_redline import referenced
        assert set(names) <= referenced(resolved)        # the articles do refer to it
    tables = schedule_tables(document(out))
    assert len(tables) == len(schedule_tables(document(new)))
    changed = [(heading, table) for heading, table in tables
               if any(b.get(f"{W}name") in names for b in heading.iter(f"{W}bookmarkStart"))]
    assert len(changed) == len(names)
    old_tables = {paragraphs(h)[0][2]: t for h, t in schedule_tables(document(old))}
    new_tables = {paragraphs(h)[0][2]: t for h, t in schedule_tables(document(new))}
    for heading, table in changed:
        assert marks_in(heading) == 0        # the heading stays, unmarked
        title = paragraphs(heading)[0][2]
        rows = table.findall(f"{W}tr")
        kinds = [next(m for m in ("del", "ins") if row.find(f"{W}trPr/{W}{m}") is not None) for row in rows]
        before, after = len(old_tables[title].findall(f"{W}tr")), len(new_tables[title].findall(f"{W}tr"))
        assert kinds == ["del"] * before + ["ins"] * after, kinds
        cells = [len(row.findall(f"{W}tc")) for row in rows]
        grid = len(table.findall(f"{W}tblGrid/{W}gridCol"))
        width = len(old_tables[title].find(f"{W}tr").findall(f"{W}tc"))
        assert set(cells[:before]) == {width} and set(cells[before:]) == {width + 1}, cells
        for row in rows:      # each row spans the whole grid
            assert sum(int(c.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) if c.find(f"{W}tcPr/{W}gridSpan") is not None
                       else 1 for c in row.findall(f"{W}tc")) == grid


def edited(built: Path, out: Path, *replacements) -> Path:
    """A copy of the draft `built` with its document.xml edited (bytes replaced), as by hand."""
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                for old, new in replacements:
                    assert old in data, old
                    data = data.replace(old, new)
            dst.writestr(item, data)
    return out


def test_a_schedule_contractkit_did_not_write_is_refused_with_its_place(tmp_path):
    answers = tmp_path / "deal.yaml"
    shutil.copy(EXAMPLES / "ai-customization-ja.yaml", answers)
    built = tmp_path / "deal.docx"
    assert cli("build", answers, "-o", built).returncode == 0
    for replacements, message in (
            ([(b'w:name="ckSch_subprocessor_list"', b'w:name="mine"')],
             "the schedule heading '別紙2（処理委託先の一覧）' has no schedule's bookmark (ckSch_…)"),
            ([(">（処理委託先の一覧）<".encode(), ">：処理委託先の一覧<".encode())],
             "the schedule heading '別紙2：処理委託先の一覧' is not a schedule's number and title (別紙1（title）)"),
            ([(b'w:val="ckCellHeading"', b'w:val="ckCell"')],
             "the schedule heading '別紙1（本件システムの構成）': row 1 of its table is not a row of column headings")):
        broken = edited(built, tmp_path / "broken.docx", *replacements)
        result = cli("update", broken, "--answers", answers, "-o", tmp_path / "out.docx")
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert f"{broken}: paragraph " in result.stderr and message in result.stderr, result.stderr
        assert not (tmp_path / "out.docx").exists()
        broken.unlink()
