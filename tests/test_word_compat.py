"""Word is stricter than LibreOffice: an element out of schema order, a missing required part or a
stale Word-2010 part makes it offer to "repair" a draft, and a lawyer stops trusting the tool.
openxml-audit checks each kind of document contractkit writes the way the Open XML SDK does,
plus Word's known repair triggers; every finding fails the test."""
import pytest
from openxml_audit import OpenXmlValidator

from conftest import EXAMPLES, ROOT
from test_guidance import firm_template


def findings(path) -> list[str]:
    # a fresh validator for each file: openxml-audit 0.8 caches cross-part ids by id(package), so a
    # reused validator can answer for a new file with the ids of a collected one at the same address
    validator = OpenXmlValidator(max_errors=50)
    return [f"{e.part_uri or ''} {e.path or ''}: {e.description}" for e in validator.validate(str(path)).errors]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_draft_opens_in_word_without_repair(library, tmp_path, example):
    from contractkit.build import build
    result = build(EXAMPLES / example, tmp_path / "draft.docx", library=library, memo=tmp_path / "memo.docx")
    assert findings(result.output) == []
    assert findings(tmp_path / "memo.docx") == []


@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "data-provision-bilingual.yaml"])
@pytest.mark.parametrize("dotx", [False, True])
def test_a_draft_on_a_firms_template_opens_in_word_without_repair(library, tmp_path, example, dotx):
    from contractkit.build import build
    reference = firm_template(tmp_path / "firm.docx", dotx)
    result = build(EXAMPLES / example, tmp_path / "draft.docx", library=library, reference=reference)
    assert findings(result.output) == []


def test_a_clean_draft_opens_in_word_without_repair(library, tmp_path):
    from contractkit.build import build
    result = build(EXAMPLES / "ai-development-en.yaml", tmp_path / "clean.docx", library=library, clean=True)
    assert findings(result.output) == []


PACK_EXAMPLES = sorted((ROOT / "usecases").glob("*/examples/*.yaml"))


@pytest.mark.parametrize("example", PACK_EXAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_pack_example_draft_opens_in_word_without_repair(tmp_path, example):
    from contractkit.build import build
    result = build(example, tmp_path / "draft.docx")
    assert findings(result.output) == []
