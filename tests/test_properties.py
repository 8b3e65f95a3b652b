"""Property tests over the whole answer space: for every contract type, answers drawn from every
option of every point (with and without packs; in Japanese, English and both side by side) build
a draft that python-docx reopens, with no template leftovers, every cross-reference pointing at
the right article, and a stamp that lists exactly the articles present; and no two articles of
it contradict each other (the rule model's check, which every build runs: a contradiction is a
refusal, and fails here). Combinations the library declares unavailable (an option's `when`)
are drawn too and must be refused at the answer; they count as rejected examples.

Profiles: `ci` (default, a few minutes for all types) and `long`
(`HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_properties.py`: 2,000 examples per type)."""
import os
import re
import zipfile

import docx
import pytest
from lxml import etree
from hypothesis import HealthCheck, event, given, reject, settings, strategies as st

from conftest import LEFTOVERS, W
from contractkit.errors import UserError

# answers the rule model refuses at the answer: an option not available with the others, or two
# articles that would contradict each other where another answer resolves it (a contradiction no
# single answer resolves is a defect of the library, and fails)
REFUSED = re.compile(r"answers\.yaml:\d+:\d+: (two articles contradict each other.*answers that resolve it: "
                     r"|二つの条項が矛盾している.*これを解消する回答："
                     r"|'[\w-]+' is not available for |the default of '[\w.-]+', '[\w-]+', is not available"
                     r"|「[\w-]+」は、これらの回答の下では「[\w.-]+」に選べない|「[\w.-]+」の既定値「[\w-]+」は、これらの回答の下では選べない)")

settings.register_profile("ci", max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CONTRACTS = ["data-provision", "data-creation", "data-sharing", "ai-nda", "ai-poc", "ai-development", "ai-use", "ai-service", "ai-customization"]
TEXTS = ["本機械の保守及び性能改善", "稼働データ（主軸負荷、振動及び温度）", "quality improvement of the products",
         "金100万円", "Tokyo", "月1回", "A & B <Co.> \"quoted\""]
_libraries = {}


def library_with(pack):
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    if pack not in _libraries:
        _libraries[pack] = load_library(packs=[find_packs()[pack]] if pack else [])
    return _libraries[pack]


def packs_for(contract):
    from contractkit.packs import find_packs
    return [p for p in find_packs() if contract in library_with(p).packs[p]["contracts"]]


def value_strategy(decision, contract, roles, text=None):
    """`text(multiline)`: the strategy for free text in a field that is multi-line or not
    (default: ordinary texts of the drafts). Each point type draws its own values
    (contractkit/point_types.py); this gives them the texts."""
    from contractkit.point_types import type_of
    return type_of(decision).strategy(decision, contract, roles, _Samples(contract, roles, text))


class _Samples:
    """The texts a point type's strategy draws: an amount or a rate as its `form:` says (the money
    check's refusals are tested in test_point_types), else ordinary or `text` texts."""

    def __init__(self, contract, roles, text):
        self.contract, self.roles, self._text = contract, roles, text

    def text(self, decision):
        from contractkit.point_types import sample_texts
        given = st.sampled_from(TEXTS) if self._text is None else self._text(decision.multiline)
        money = sample_texts(decision)
        if money:
            return st.sampled_from(money).map(lambda v: dict(v) if isinstance(v, dict) else v)   # no YAML alias
        return given

    def of(self, decision):
        return value_strategy(decision, self.contract, self.roles, self._text)


# a bilingual draft's texts, one per language ({ja: …, en: …}: a Japanese text alone is refused there)
JA_TEXTS = ["本機械の保守及び性能改善", "稼働データ（主軸負荷、振動及び温度）", "金100万円", "月1回", "東京都千代田区"]
EN_TEXTS = ["quality improvement of the products", "operating data (spindle load and vibration)", "JPY 1,000,000",
            "monthly", "Tokyo", "A & B <Co.> \"quoted\""]
BILINGUAL_TEXT = st.builds(lambda ja, en: {"ja": ja, "en": en}, st.sampled_from(JA_TEXTS), st.sampled_from(EN_TEXTS))
JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f]")


@st.composite
def answers_for(draw, contract, text=None, language=None):
    language = language or draw(st.sampled_from(["ja", "en", "ja+en"]))
    if text is None and language == "ja+en":
        text = lambda multiline: BILINGUAL_TEXT      # noqa: E731
    pack = draw(st.sampled_from([None, *packs_for(contract)]))
    library = library_with(pack)
    template = library.templates[contract]
    roles = [r["id"] for r in template.roles]
    answers = {}
    for point in library.points_for(contract):
        if point.ask:
            answers[point.id] = draw(value_strategy(point, contract, roles, text))
    names, addresses = ["株式会社サンプル", "Acme K.K.", None], ["東京都千代田区"]
    representatives = ["代表取締役　山田太郎", None]
    if language == "ja+en":
        names, addresses = [{"ja": "株式会社サンプル", "en": "Sample K.K."}, "Acme K.K.", None], [{"ja": "東京都千代田区", "en": "Tokyo"}]
        representatives = [{"ja": "代表取締役　山田太郎", "en": "Taro Yamada, President"}, None]
    def fresh(usual):           # a mapping of its own each time (one object twice would dump as a YAML alias)
        return st.sampled_from(usual).map(lambda v: dict(v) if isinstance(v, dict) else v)
    party_text = fresh if text is None else (lambda usual: st.one_of(text(False), fresh(usual)))
    parties = [{"role": r["id"], "name": draw(party_text(names)), "address": draw(party_text(addresses)),
                "representative": draw(party_text(representatives))}
               for r in template.roles if r.get("signs", True)]
    data = {"contract": contract, "language": language, "parties": parties,
            "answers": answers, "perspective": draw(st.sampled_from([None, *roles]))}
    if pack:
        data["usecase"] = pack
    return pack, data


def check_draft(library, data, tmp_path):
    if data["language"] == "ja+en":
        return check_bilingual_draft(library, data, tmp_path)
    from conftest import resolve_dict
    from contractkit.assemble import assemble
    from contractkit.docx import write_docx
    resolved = resolve_dict(library, data)
    draft = assemble(library, resolved)
    path = tmp_path / "draft.docx"
    write_docx(draft, library.style, path)
    document = docx.Document(str(path))                 # python-docx reopens it
    text = "\n".join(p.text for p in document.paragraphs)
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        custom = zf.read("docProps/custom.xml").decode("utf-8")
    bookmarks = re.findall(r'w:bookmarkStart w:id="\d+" w:name="(ck_\w+)"', body)
    assert len(bookmarks) == len(draft.articles) == len(set(bookmarks))
    numbers = {b: i + 1 for i, b in enumerate(bookmarks)}
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    found = re.findall(r'REF (ck_\w+) \\n (\\t )?\\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                       r'</w:r><w:r><w:t xml:space="preserve">([^<]*)<', body)
    assert len(found) == body.count(" REF ck_")
    for bookmark, bare, cached in found:
        assert bookmark in numbers
        n = numbers[bookmark]
        assert not (bare and draft.lang == "ja"), "Japanese repeats 第…条 in a list of articles"
        assert cached == (f"第{str(n).translate(fullwidth)}条" if draft.lang == "ja" else str(n) if bare else f"Article {n}")
    stamp = re.search(r'name="contractkit.clauses"><vt:lpwstr>([^<]*)<', custom).group(1).split(",")
    assert ["ck_" + s.split(":")[0].replace("-", "_") for s in stamp] == bookmarks
    check_schedules(path, len(draft.schedules), draft.lang)
    assert sorted(s.point for s in draft.schedules) == listed_records(library, resolved)
    for schedule in draft.schedules:
        assert len(schedule.rows) == len(_records_of(resolved.values, schedule.point))


def listed_records(library, resolved) -> list[str]:
    """The answers given as a list of records (data items, deliverables, service specifications,
    fee items), as `point` or `point.field`: each must make a schedule the draft refers to, none
    silently left out."""
    found = []
    for pid, value in resolved.values.items():
        point = library.points[pid]
        if point.type == "records" and isinstance(value, list):
            found.append(pid)
        elif point.type == "mapping" and isinstance(value, dict):
            found += [f"{pid}.{f.id}" for f in point.fields if f.type == "records" and isinstance(value.get(f.id), list)]
    return sorted(found)


def _records_of(values: dict, path: str) -> list:
    pid, _, field = path.partition(".")
    return values[pid][field] if field else values[pid]


def check_schedules(path, count: int, lang: str = "ja+en"):
    """Every schedule is numbered in order and referred to by a REF field with its number cached;
    every REF field to a schedule points at one."""
    from conftest import schedule_references
    headings, refs = schedule_references(path)
    for prefix, word in (("ckSch_", "Schedule " if lang == "en" else "別紙"), ("ckSchEN_", "Schedule ")):
        names = [n for n in headings if n.startswith(prefix)]
        assert [headings[n] for n in names] == [f"{word}{i + 1}" for i in range(len(names))]
        assert {t for t, _ in refs if t.startswith(prefix)} == set(names)
    assert len(headings) == count * (2 if any(n.startswith("ckSchEN_") for n in headings) else 1)
    assert all(t in headings and cached == headings[t] for t, cached in refs)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_any_answers_build_a_sound_draft(contract, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(contract)

    @given(answers_for(contract))
    def run(case):
        pack, data = case
        try:
            check_draft(library_with(pack), data, tmp)
        except UserError as exc:   # answers the rule model refuses, at the answer: not a draft to check
            if not REFUSED.search(str(exc)):
                raise
            reject()

    run()


def check_bilingual_draft(library, data, tmp_path):
    """A ja+en draft: each column's headings bookmarked, each column's references pointing at its
    own headings with that column's number cached, the stamp listing the articles in order."""
    from conftest import bilingual_references, dump_yaml
    from contractkit.build import build
    answers = tmp_path / "answers.yaml"
    answers.write_text(dump_yaml(data), encoding="utf-8")
    result = build(answers, tmp_path / "bilingual.docx", force=True, library=library)
    document = docx.Document(str(result.output))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    numbers, refs = bilingual_references(result.output, bare=True)
    ja = [m for m in numbers if m.startswith("ck_")]
    en = [m for m in numbers if m.startswith("ckEN_")]
    assert len(ja) == len(en) == result.articles
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    for column, target, cached, bare in refs:
        assert target.startswith(("ck_", "ckEN_")[column]) and target in numbers
        n = numbers[target]
        assert not (bare and column == 0), "the Japanese column repeats 第…条 in a list of articles"
        assert cached == (f"第{str(n).translate(fullwidth)}条" if column == 0 else str(n) if bare else f"Article {n}")
    assert ["ck_" + s.split(":")[0].replace("-", "_") for s in result.stamp] == ja
    # two real texts: nothing Japanese in the English column, or in an English schedule
    english = [r.cells[1].text for r in document.tables[0].rows]
    english += [p.text for p in document.paragraphs if p.text.startswith("Schedule ")]
    english += [c.text for t in document.tables[1:] for r in t.rows for c in r.cells if not JAPANESE.search(t.rows[0].cells[0].text)]
    japanese = [t for t in english if JAPANESE.search(t)]
    assert not japanese, japanese
    check_schedules(result.output, sum(1 for p in document.paragraphs if p.text.startswith("Schedule ")))
    # every list of records answered makes a schedule in each column, with one row per record
    from conftest import resolve_dict
    resolved = resolve_dict(library, data)
    listed = listed_records(library, resolved)
    titles = [p.text for p in document.paragraphs if p.text.startswith("Schedule ")]
    assert len(titles) == len(listed), (titles, listed)
    sizes = sorted(len(_records_of(resolved.values, path)) + 1 for path in listed)
    assert sorted(len(t.rows) for t in document.tables[1:] if not JAPANESE.search(t.rows[0].cells[0].text)) == sizes


# Any Unicode in every free-text answer and party field: control characters, lone surrogates,
# non-characters, every line separator, and the pieces that look like structure (- , 第９９条).
BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"]
UNWRITABLE = ([chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [chr(c) for c in range(0x7F, 0xA0) if c != 0x85]
              + ["\ud800", "\udfff", "\ufffe", "\uffff"])
LOOKALIKES = ["\n- ", "\n第９９条　", "\n２　", "- ", "第９９条", "\t", "\ue000", "\ue001R\ue002", "●", "&<>\"'", "{{ x }}"]
WRITABLE_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="".join(UNWRITABLE + BREAKS))


def _pieces(*pieces) -> st.SearchStrategy:
    return st.lists(st.one_of(*pieces, st.sampled_from(TEXTS)), max_size=6).map("".join)


def _framed(middle: st.SearchStrategy) -> st.SearchStrategy:
    """Between two ordinary texts: never blank, and no word a name or a noun phrase may not end or begin with."""
    return st.tuples(st.sampled_from(TEXTS), middle, st.sampled_from(TEXTS)).map("".join)


LINE_TEXT = _framed(_pieces(st.text(WRITABLE_CHARS, max_size=4), st.sampled_from([p for p in LOOKALIKES if "\n" not in p])))
MULTI_TEXT = _framed(_pieces(st.text(WRITABLE_CHARS, max_size=4), st.sampled_from(LOOKALIKES + BREAKS)))
ANY_TEXT = _pieces(st.text(st.characters(exclude_categories=()), max_size=4), st.sampled_from(LOOKALIKES + BREAKS + UNWRITABLE))


@st.composite
def texts_for(draw, contract):
    """(writable, pack, answers): text a draft can hold where it stands (line breaks only in
    multi-line fields), or anything anywhere."""
    writable = draw(st.booleans())
    text = (lambda multiline: MULTI_TEXT if multiline else LINE_TEXT) if writable else (lambda multiline: ANY_TEXT)
    return (writable, *draw(answers_for(contract, text)))


def _flat(text: str) -> str:
    """The same text on one line, as far as the draft's structure can tell."""
    from contractkit.markers import SEPARATORS
    return re.sub(f"\r\n|[{SEPARATORS}]", " ", text.rstrip(SEPARATORS))


def _texts(value, change):
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {k: v if k in ("role", "contract", "language", "usecase", "perspective") else _texts(v, change)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v, change) for v in value]
    return value


def _structure(path) -> list:
    """The style of every paragraph of every XML part (each part must parse), and python-docx reopens it."""
    docx.Document(str(path))
    styles = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(zf.read(name))
                styles += [(name, p.get(f"{W}val")) for p in root.iter(f"{W}pStyle")]
    return styles


@pytest.mark.parametrize("contract", CONTRACTS)
def test_any_text_gives_a_well_formed_draft_or_a_located_refusal(contract, tmp_path_factory):
    """Every draft parses with lxml and reopens with python-docx, with the paragraphs of the same
    answers written on one line (so an answer's line break never made a 項 or 号); or the build is
    refused with the place in the answers file."""
    from conftest import dump_yaml
    from contractkit.build import build
    from contractkit.errors import UserError
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    tmp = tmp_path_factory.mktemp(contract)

    @given(texts_for(contract))
    def run(case):
        writable, pack, data = case
        library = library_with(pack)
        answers = tmp / "answers.yaml"
        answers.write_text(dump_yaml(_texts(data, DoubleQuotedScalarString)), encoding="utf-8")   # "\ud800" escapes
        for name in ("d.docx", "m.docx"):
            (tmp / name).unlink(missing_ok=True)
        try:
            build(answers, tmp / "d.docx", library=library, memo=tmp / "m.docx")
        except UserError as exc:
            event("refused")
            if writable:      # refused for another reason (a choice these answers rule out), never for its text
                message = "\n".join([exc.args[0], *exc.problems])
                assert "Word cannot store" not in message and "one line in the draft" not in message, exc
            assert type(exc) is UserError, exc                          # input, not a broken build
            located = re.compile(rf"{re.escape(str(answers))}:\d+:\d+: ")
            assert located.match(str(exc)) or exc.problems and all(located.match(p) for p in exc.problems), exc
            assert not (tmp / "d.docx").exists() and not (tmp / "m.docx").exists()
            return
        event("built")
        flat = tmp / "flat.yaml"
        flat.write_text(dump_yaml(_texts(_texts(data, _flat), DoubleQuotedScalarString)), encoding="utf-8")
        build(flat, tmp / "flat.docx", force=True, library=library, memo=tmp / "flat-memo.docx")
        assert _structure(tmp / "d.docx") == _structure(tmp / "flat.docx")
        assert _structure(tmp / "m.docx") == _structure(tmp / "flat-memo.docx")

    run()
