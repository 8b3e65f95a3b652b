"""The house style (docs/style-ja.md, docs/style-en.md), one test per rule, over every shipped
clause file (clauses/, usecases/*/clauses/) and every document skeleton (templates/*.yaml): each
Japanese and English text in them, with Jinja tags left out. A finding names the file, line and
key path and quotes the text, so the fix is one edit away."""
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

FILES = sorted([*ROOT.glob("clauses/*/*.yaml"), *ROOT.glob("usecases/*/clauses/*.yaml"), *ROOT.glob("templates/*.yaml")])
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _walk(node, path, lang):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (key,), key if key in ("ja", "en") else lang)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, path + (i,), lang)
    elif isinstance(node, str) and lang:
        yield path, lang, node


def _texts():
    from contractkit.loading import load_data, position
    out = []
    for file in FILES:
        shown = str(file.relative_to(ROOT))
        tree = load_data(file.read_text(encoding="utf-8"), shown)
        for path, lang, text in _walk(tree, (), None):
            line = position(tree, path)[0]
            out.append((f"{shown}:{line}: {'.'.join(map(str, path))}", lang, path, text))
    return out


TEXTS = _texts()


def texts(lang: str, clause_text_only: bool = False):
    """(where, text without Jinja tags) of every text in `lang`; `clause_text_only`: the text that
    becomes 項 and 号 of a draft (variants, and a skeleton's preamble, closing and signatures)."""
    for where, text_lang, path, text in TEXTS:
        if text_lang != lang:
            continue
        if clause_text_only and path[0] not in ("variants", "preamble", "closing", "date_line", "signature"):
            continue
        yield where, JINJA.sub("\ue000", text)


def findings(lang: str, pattern: str, clause_text_only: bool = False, flags=0) -> list[str]:
    found = []
    for where, text in texts(lang, clause_text_only):
        for m in re.finditer(pattern, text, flags):
            found.append(f"{where}: …{text[max(0, m.start() - 25):m.end() + 25]}…")
    return found


def test_the_rules_see_every_shipped_file():
    assert len(FILES) > 100 and {f.parent.name for f in FILES} >= {"common", "data", "ai", "platform", "templates"}
    assert sum(1 for _ in texts("ja", True)) > 200 and sum(1 for _ in texts("en", True)) > 200


# -- Japanese (docs/style-ja.md) ----------------------------------------------------------------

def test_ja_kyogi_no_ue_is_written_with_the_kanji():
    assert findings("ja", "協議のうえ") == []


def test_ja_article_paragraph_and_item_numbers_are_full_width():
    # 第８条 as the draft's own cross-references print it, also for statutes (著作権法第２７条)
    assert findings("ja", r"第[0-9]+(条|項|号)") == []


def test_ja_other_figures_are_half_width():
    # 30日, 12か月, 第10営業日: full-width digits only in 第…条 / 項 / 号
    assert [f for f in findings("ja", r"[０-９]+") if not re.search(r"第[０-９]+(条|項|号)", f)] == []


def test_ja_no_paragraph_starts_with_tadashi():
    # a proviso belongs to the sentence it qualifies: 「…。ただし、…」 in the same 項
    found = []
    for where, text in texts("ja", clause_text_only=True):
        for line in text.splitlines():
            if line.replace("\ue000", "").strip().removeprefix("- ").lstrip().startswith("ただし"):
                found.append(f"{where}: {line.strip()[:40]}")
    assert found == []


# 5. 法令用語の定型: an article does not override itself, a proviso in ます調 is 「この限りではありません」,
# a reference to a paragraph is 「前項の規定により」, a rule is 「…の定めるところによる」
JA_FIXED_PHRASES = {
    "本条の規定にかかわらず": "「前各項の規定にかかわらず」 or the paragraph it overrides",
    "この限りでありません": "「この限りではありません」",
    r"前[二三各]?項により": "「前項の規定により」",
    r"の定めに従う。": "「…の定めるところによる。」",
    r"）（以下「": "one bracket: 「（…を除く。以下「…」という。）」",
    "他方当事者": "「相手方」: the other party of a two-party agreement is always 「相手方」",
}


@pytest.mark.parametrize("pattern", sorted(JA_FIXED_PHRASES))
def test_ja_fixed_legal_phrases(pattern):
    assert findings("ja", pattern, clause_text_only=True) == [], JA_FIXED_PHRASES[pattern]


# -- English (docs/style-en.md) -----------------------------------------------------------------

LITERAL = [r"(for|from|by) (a )?reasons? attributable to", r"benefit of time", r"the same (shall )?appl(y|ies) (below|hereinafter)",
           r"Act of Japan", r"Code of Japan", r"date of (its|this Agreement's) conclusion", r"hereinafter",
           r"(before|after|at|upon) the conclusion of this Agreement", r"this Agreement (was|is) concluded"]


@pytest.mark.parametrize("phrase", LITERAL)
def test_en_no_literal_translation(phrase):
    assert findings("en", phrase, flags=re.I) == []


def test_en_quotation_marks_are_curly_and_paired():
    assert findings("en", '"') == []
    unpaired = [f"{where}: {text[:60]}…" for where, text in texts("en") if text.count("“") != text.count("”")]
    assert unpaired == []


def test_en_no_straight_single_quotation_marks():
    # a straight single quote opening a quotation (an apostrophe, Party's, stays)
    assert findings("en", r"(^|[\s(])'[A-Za-z]") == []


def test_en_lists_of_articles_are_joined_by_refs_not_by_hand():
    # "Article {{ ref(…) }}" doubles the word, and ref() joined by hand misses the list style:
    # lists of this agreement's articles are refs([...]); a statute's read "Articles 27 and 28"
    found = []
    for where, lang, path, text in TEXTS:
        if lang == "en" and (re.search(r"Articles? \{\{ *refs?\(", text)
                             or re.search(r"ref\([^)]*\) *\}\}(,| and| or) *\{\{ *ref\(", text)):
            found.append(where)
        if lang == "en" and re.search(r"Article \d+(, Article \d+)*,? (and|or) Article \d+", JINJA.sub("", text)):
            found.append(where)
    assert found == []


# -- defined terms, on real drafts ----------------------------------------------------------------

EN_EXAMPLES = sorted(p for p in EXAMPLES.glob("*.yaml") if "-en" in p.name) + sorted(
    p for p in ROOT.glob("usecases/*/examples/*.yaml") if "-en" in p.name or "english" in p.name)
JA_EXAMPLES = sorted(p for p in EXAMPLES.glob("*-ja.yaml")) + sorted(EXAMPLES.glob("staged-ja/*.yaml"))


def draft_paragraphs(example: Path) -> list[str]:
    """The body of a draft as a reader sees it, paragraph by paragraph (headings left out: a
    heading names the subject of its article, it does not use a term)."""
    from contractkit.answers import library_for, read_answers, resolve
    from contractkit.assemble import Ref, assemble
    tree = read_answers(example)
    library = library_for(tree, (), str(example), example)
    draft = assemble(library, resolve(tree, library, str(example), example.parent))

    def seg_text(segments):
        return "".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segments)

    out = []
    for block in [draft.preamble] + [a.paragraphs for a in draft.articles] + [draft.closing]:
        for p in block:
            out.append(seg_text(p.segments))
            out += [seg_text(item) for item in p.items]
    return out


def draft_text(example: Path) -> str:
    return "\n".join(draft_paragraphs(example))


@pytest.mark.parametrize("example", EN_EXAMPLES + JA_EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_terms_defined_in_the_text_are_defined_once_and_before_use(example):
    paragraphs = draft_paragraphs(example)
    ja = example in JA_EXAMPLES
    defining = r"以下「([^」]+)」という" if ja else r"\((?:the |an? |each |together, the )?“([^”]+)”\)|; “([^”]+)”\)"
    problems, seen = [], set()
    for i, paragraph in enumerate(paragraphs):
        for m in re.finditer(defining, paragraph):
            term = next(g for g in m.groups() if g)
            if term in seen:
                problems.append(f"{term!r} defined twice: {paragraph[:60]}…")
            seen.add(term)
            # (a term's words inside a name are no use of it: the AI Service Agreement, the Act on
            # the Protection of Personal Information)
            # (nor is a use that points forward to the definition: "Personal Information as defined
            # in Article 24", 「第２４条に定める不可抗力」)
            use = (rf"(?<![A-Za-z])(?<!Protection of ){re.escape(term)}(?![a-z])(?! Agreement)(?!,? as defined in )"
                   rf"(?<!に定める{re.escape(term)})")
            earlier = next((p for p in paragraphs[:i] if re.search(use, p)), None)
            if earlier is not None:
                problems.append(f"{term!r} used before it is defined: {earlier[:80]}…")
    assert problems == []


@pytest.mark.parametrize("example", EN_EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_en_defined_terms_are_used_consistently(example):
    text = draft_text(example)
    problems = []
    if "“APPI”" in text:
        after = text[text.index("“APPI”"):]
        if "Act on the Protection of Personal Information" in after:
            problems.append("the APPI is named in full after it is defined")
    elif "APPI" in text:
        problems.append("APPI is used but never defined")
    # a defined term in lower case with "the" points at the same thing under another name ("a
    # trained model", "trained models" in general stay)
    for term in ("Trained Model", "Provided Data", "Derived Data", "Deliverables", "AI Output", "Input Data",
                 "Training Dataset", "Subject Data"):
        if f"“{term}”" in text:
            lower = re.findall(rf"\b[Tt]he {term.lower()}\b(?!s)", text)
            if lower:
                problems.append(f"{term!r} is a defined term but also appears as {lower[0]!r}")
    assert problems == []
