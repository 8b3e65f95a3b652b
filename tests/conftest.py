import copy
import functools
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# a small answers file the input-error tests start from (each breaks one thing in it)
MINIMAL_ANSWERS = """\
contract: data-provision
language: ja
parties:
  - role: provider
    name: 甲社
  - role: recipient
    name: 乙社
answers:
  purpose: 保守
  data-scope: 稼働データ
  fee: {model: free}
"""


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """This run's library cache, for the tests and the processes they start (ENV): never the
    user's ~/.cache, which other checkouts fill and prune. The xdist workers of a run share it
    (entries are written whole and renamed), so each library is compiled once a run."""
    base = tmp_path_factory.getbasetemp()
    cache = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cache"
    ENV["CONTRACTKIT_CACHE_DIR"] = str(cache)
    with pytest.MonkeyPatch.context() as m:      # compiled here once, so no child process waits for it
        m.setenv("CONTRACTKIT_CACHE_DIR", str(cache))
        from contractkit.library import load_library
        load_library()
    return cache


@pytest.fixture(autouse=True)
def _private_cache(_session_cache, monkeypatch):
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(_session_cache))


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory):
    """One LibreOffice profile for this test process (an xdist worker has its own: soffice cannot
    run twice on one profile), so each conversion skips creating a new one."""
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout (with the shipped library its build hook compiles), built once
    a test process; the tests that install it share an xdist_group ("wheel"), so once a run."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    [built] = out.glob("contractkit-*.whl")
    return built


@pytest.fixture(scope="session")
def library():
    from contractkit.library import build_library, data_root
    return build_library(data_root())


def dump_yaml(data) -> str:
    from ruamel.yaml import YAML
    out = io.StringIO()
    YAML().dump(data, out)
    return out.getvalue()


@functools.cache
def _example(name: str) -> dict:
    from ruamel.yaml import YAML
    return YAML(typ="safe").load((EXAMPLES / name).read_text(encoding="utf-8"))


def load_example(name: str) -> dict:
    """A shipped example's answers, a fresh copy each time (the file is parsed once a process)."""
    return copy.deepcopy(_example(name))


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def in_both_languages(ja: dict, en: dict) -> dict:
    """A ja+en answers file from a Japanese and an English one: each Japanese text paired with the
    English text at the same place ({ja: ..., en: ...}); the rest as the Japanese file has it."""
    def pair(a, b):
        if isinstance(a, str) and JAPANESE.search(a):
            if isinstance(b, str) and not JAPANESE.search(b):
                return {"ja": a, "en": b}
            # an amount or a rate keeps a figure with its unit (the money forms refuse a bare one)
            figures = sorted(re.findall(r"[0-9][0-9,.]*%?", a), key=len)
            money = "" if not figures else f" {figures[-1]}" if figures[-1].endswith("%") else f" JPY {figures[-1]}"
            return {"ja": a, "en": "(English text)" + money}
        if isinstance(a, dict):
            return {k: pair(v, b.get(k) if isinstance(b, dict) else None) for k, v in a.items()}
        if isinstance(a, list):
            return [pair(v, b[i] if isinstance(b, list) and i < len(b) else None) for i, v in enumerate(a)]
        return a
    data = pair(ja, en)
    data["language"] = "ja+en"
    return data


def survivors(draft) -> list[str]:
    """The articles the survival article's first sentence lists (a later one may limit their period)."""
    survival = next(a for a in draft.articles if a.clause_id == "survival")
    found = []
    for segment in survival.paragraphs[0].segments:
        if isinstance(segment, str) and ("However" in segment or "ただし" in segment):
            break
        if hasattr(segment, "target"):
            found.append(segment.target)
    return found


def articles_text(draft, *clause_ids: str) -> str:
    """How the draft writes a reference to these articles: 第８条及び第１２条 / "Articles 8 and 12"
    ("Article 8" alone; three or more: 第８条、第１２条及び第１５条 / "Articles 8, 12 and 15")."""
    numbers = [next(a.number for a in draft.articles if a.clause_id == c) for c in clause_ids]
    if draft.lang == "ja":
        items = [f"第{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" for n in numbers]
        return items[0] if len(items) == 1 else "、".join(items[:-1]) + "及び" + items[-1]
    items = [str(n) for n in numbers]
    return f"Article {items[0]}" if len(items) == 1 else "Articles " + ", ".join(items[:-1]) + " and " + items[-1]


def mentions(text: str, draft, clause_id: str) -> bool:
    """Whether `text` refers to that article, alone or as an item of a list ("Articles 8, 12 and 15")."""
    n = next(a.number for a in draft.articles if a.clause_id == clause_id)
    if draft.lang == "ja":
        return f"第{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" in text
    return re.search(rf"\bArticles? (?:\d+(?:, | and ))*{n}\b(?!\.\d)", text) is not None


def example_with(example: str, **changes) -> dict:
    """A shipped example with some answers changed (a_b= sets point a-b; None leaves it out)."""
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        point = key.replace("_", "-")
        if value is None:
            data["answers"].pop(point, None)
        else:
            data["answers"][point] = value
    return data


def article_text(draft, clause_id: str) -> str:
    """The text of that article of an assembled draft, its references as they read, holes as ●."""
    from contractkit.assemble import Ref
    found = [a for a in draft.articles if a.clause_id == clause_id]
    assert found, f"{clause_id} is not in the draft: {[a.clause_id for a in draft.articles]}"

    def text(segments):
        return "".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segments)
    return "\n".join(text(p.segments) + "".join(text(i) for i in p.items) for p in found[0].paragraphs)


def article_number(draft, clause_id: str) -> str:
    """第８条 / Article 8: how a reference to that one article reads."""
    from contractkit.assemble import article_number_text
    return article_number_text(next(a.number for a in draft.articles if a.clause_id == clause_id), draft.lang)


def docx_articles(document) -> dict[str, list[str]]:
    """{heading text: [paragraph texts]} in order, read from a built Word file's article heading style."""
    out, current = {}, None
    for p in document.paragraphs:
        if p.style.name == "CK Article Heading":
            current = p.text.strip("（）")
            out[current] = []
        elif current is not None and p.style.name.startswith(("CK Paragraph", "CK Item")):
            out[current].append(p.text)
    return out


def memo_fallbacks(library, data: dict):
    """Each fallback the memo offers for these answers: (point, option, the answers with it taken)."""
    from contractkit.assemble import assemble
    from contractkit.memo import memo_rows
    resolved = resolve_dict(library, data)
    for row in memo_rows(library, resolved, assemble(library, resolved)):
        if "fallback_answer" in row:
            point_id, field, option = row["fallback_answer"]
            current, changed = resolved.values[point_id], copy.deepcopy(data)
            changed["answers"][point_id] = {k: v for k, v in {**current, field: option}.items() if v is not None} \
                if field else option
            yield point_id, option, changed


def resolve_dict(library, answers: dict, shown="answers.yaml"):
    """The answers resolved as `build` reads an answers file: written out, then loaded by
    load_data (libyaml's fast path; positions found when an error needs them)."""
    from contractkit.answers import resolve
    from contractkit.loading import load_data
    return resolve(load_data(dump_yaml(answers), shown), library, shown)


def assemble_dict(library, answers: dict):
    from contractkit.assemble import assemble
    return assemble(library, resolve_dict(library, answers))


def draft_plain_text(draft) -> str:
    """The text of an assembled draft as a reader sees it (numbers of references included)."""
    from contractkit.assemble import Ref

    def seg_text(segments):
        return "".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segments)

    lines = [draft.title]
    blocks = [draft.preamble] + [a.paragraphs for a in draft.articles] + [draft.closing, draft.date_line] + draft.signatures
    headings = iter([f"{a.number} {a.heading}" for a in draft.articles])
    for i, block in enumerate(blocks):
        if 0 < i <= len(draft.articles):
            lines.append(next(headings))
        for p in block:
            lines.append(seg_text(p.segments))
            lines += ["  " + seg_text(item) for item in p.items]
    return "\n".join(lines)


def docx_xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")


def bilingual_references(path: Path, bare: bool = False) -> tuple[dict[str, int], list[tuple]]:
    """A bilingual draft's article bookmarks (name → article number, ck_… on the Japanese headings,
    ckEN_… on the English) and its cross-references to them as (column, REF target, cached text)
    (those to schedules: schedule_references); with `bare`, a fourth item says whether the field
    shows the number alone (REF … \\t: "Articles 8, 12 and 15")."""
    from lxml import etree
    body = etree.fromstring(docx_xml(path).encode())
    marks = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    numbers = {}
    for prefix in ("ck_", "ckEN_"):
        numbers.update({m: i + 1 for i, m in enumerate(m for m in marks if m.startswith(prefix))})
    refs = []
    for row in body.iter(f"{W}tr"):
        for column, cell in enumerate(row.findall(f"{W}tc")):
            for instr in cell.iter(f"{W}instrText"):
                cached = instr.getparent().getnext().getnext()        # separate, then the cached result
                if not instr.text.split()[1].startswith("ckSch"):
                    found = (column, instr.text.split()[1], "".join(cached.itertext()))
                    refs.append(found + ("\\t" in instr.text.split(),) if bare else found)
    return numbers, refs


def schedule_references(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A draft's schedules: heading bookmark → the number Word shows (別紙1 / Schedule 1: the text
    inside the bookmark, a SEQ field's cached result included), and every REF field to a schedule
    as (target, cached text)."""
    from lxml import etree
    body = etree.fromstring(docx_xml(path).encode())
    headings = {}
    for start in body.iter(f"{W}bookmarkStart"):
        name = start.get(f"{W}name")
        if not name.startswith("ckSch"):
            continue
        text, node = [], start.getnext()
        while node is not None and not (node.tag == f"{W}bookmarkEnd" and node.get(f"{W}id") == start.get(f"{W}id")):
            text += [t.text for t in node.iter(f"{W}t")]
            node = node.getnext()
        headings[name] = "".join(text)
    refs = []
    for instr in body.iter(f"{W}instrText"):
        words = instr.text.split()
        if words[0] == "REF" and words[1].startswith("ckSch"):
            cached = instr.getparent().getnext().getnext()
            refs.append((words[1], "".join(cached.itertext())))
    return headings, refs


def docx_text(path: Path) -> str:
    import docx
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def write_answers(tmp_path: Path, answers: dict, name="answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_yaml(answers), encoding="utf-8")
    return path


LEFTOVERS = re.compile(r"\{\{|\{%|%\}|\}\}|\bNone\b|undefined|\ue000|\ue001|\ue002")
