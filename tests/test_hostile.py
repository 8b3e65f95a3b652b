"""A corpus of broken and malicious answers files: each gets a located, readable error quickly,
and nothing is written. (Broken and hostile packs are in test_packs.py.)"""
import re
import time
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = {
    "alias-bomb.yaml": "anchors (&a) are not allowed",
    "bad-date.yaml": "'2026-02-30' is not a valid date",
    "binary-garbage.yaml": "not a text file",
    "custom-tag.yaml": "YAML tags (!include) are not allowed",
    "cut-mid-mapping.yaml": "invalid YAML",
    "deep-nesting.yaml": "nested more than 40 levels deep",
    "duplicate-key.yaml": "a key appears twice",
    "empty.yaml": "an answers file is a mapping",
    "huge-string.yaml": "at most 2,000,000 are read",
    "long-answer.yaml": "this text is 6,000 characters long",
    "nul-bytes.yaml": "not a text file",
    "python-tag.yaml": "YAML tags (!!python/object/apply:os.system) are not allowed",
    "shift-jis.yaml": "the file is not UTF-8",
    "tab-indent.yaml": "invalid YAML",
    "top-level-list.yaml": "an answers file is a mapping",
    "truncated.yaml": "is not answered",
    "utf-16.yaml": "the file is UTF-16",
    "wrong-types.yaml": "needs a list such as [authority, accuracy]",
    "control-character.yaml": "the purpose contains a control character U+0001 that Word cannot store; remove it",
    "lone-surrogate.yaml": "the purpose contains a lone surrogate U+D800",
    "non-character.yaml": "the data-scope contains the non-character U+FFFE that Word cannot store",
    "separator-in-name.yaml": "the name of party 1 is one line in the draft, but contains a line break U+2028",
    "newline-in-court.yaml": "the court of disputes is one line in the draft, but contains a line break U+000A",
    "form-feed-in-representative.yaml": "the representative of party 2 contains a control character U+000C",
}


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted(EXPECTED)


@pytest.fixture
def warm_cache():
    """The library's cache is built once after a clause changes; the limit is about the input."""
    from contractkit.library import load_library
    load_library()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_answers_get_a_located_error_fast_and_nothing_is_written(name, tmp_path, capsys, warm_cache):
    from contractkit.cli import main
    out = tmp_path / "draft.docx"
    started = time.monotonic()
    code = main(["build", str(HOSTILE / name), "-o", str(out), "--memo", str(tmp_path / "memo.docx")])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert elapsed < 2, elapsed
    assert re.search(rf"{re.escape(name)}:\d+:\d+: ", err), err
    assert EXPECTED[name] in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    assert not Path("/tmp/pwned").exists()
