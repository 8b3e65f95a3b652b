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
    "huge-number.yaml": "a number of 5,000 characters; at most 1,000 digits are read",
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
    started = time.process_time()       # the work the input costs, not the wall clock of a shared machine
    code = main(["build", str(HOSTILE / name), "-o", str(out), "--memo", str(tmp_path / "memo.docx")])
    elapsed = time.process_time() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert elapsed < 2, elapsed
    assert re.search(rf"{re.escape(name)}:\d+:\d+: ", err), err
    assert EXPECTED[name] in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    assert not Path("/tmp/pwned").exists()


# ---- messages: at most 50 problems are listed, quickly; no traceback ever reaches a user ----------

def test_fifty_thousand_unknown_keys_list_fifty_problems_and_count_the_rest(tmp_path, capsys, warm_cache):
    from contractkit.cli import main
    source = (HOSTILE.parent.parent / "examples" / "data-provision-ja.yaml").read_text(encoding="utf-8")
    answers = tmp_path / "many.yaml"
    answers.write_text(source.replace("answers:\n", "answers:\n" + "".join(f"  unknown-{i}: 1\n" for i in range(50_000)), 1),
                       encoding="utf-8")
    first = source.splitlines().index("answers:") + 2
    code = main(["build", str(answers), "-o", str(tmp_path / "d.docx")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("contractkit: 50000 problems:\n")
    lines = err.splitlines()
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "  … and 49,950 more"
    assert lines[1].startswith(f"  {answers}:{first}:3: unknown point 'unknown-0'")
    assert lines[50].startswith(f"  {answers}:{first + 49}:3: unknown point 'unknown-49'")
    assert len(err) < 30_000                 # (was 19 MB)
    assert not (tmp_path / "d.docx").exists()


def test_positions_from_the_fast_path_match_the_careful_loader():
    """Located errors of a well-formed file use libyaml's positions: the same as ruamel.yaml's."""
    from contractkit.loading import PlainTree, key_position, load_data, load_yaml, position

    def paths(value, path=()):
        yield path
        if isinstance(value, dict):
            for k, v in value.items():
                yield from paths(v, path + (k,))
            yield path + ("no-such-key",)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from paths(v, path + (i,))

    checked = 0
    for path in sorted((HOSTILE.parent.parent / "examples").rglob("*.yaml"))[:6]:
        text = path.read_text(encoding="utf-8")
        fast, careful = load_data(text, path.name), load_yaml(text, path.name)
        assert isinstance(fast, PlainTree)
        for p in paths(dict(fast)):
            assert position(fast, p) == position(careful, p), p
            if p:
                assert key_position(fast, p) == key_position(careful, p), p
            checked += 1
    assert checked > 200


def test_an_internal_error_is_one_line_and_the_traceback_is_kept_for_debugging(tmp_path, capsys, monkeypatch):
    import contractkit.build
    from contractkit.cli import main

    def broken(*args, **kwargs):
        raise KeyError("no-such-thing")

    monkeypatch.setattr(contractkit.build, "build", broken)
    monkeypatch.delenv("CONTRACTKIT_DEBUG", raising=False)
    assert main(["build", "deal.yaml", "-o", str(tmp_path / "d.docx")]) == 1
    err = capsys.readouterr().err
    assert err == ("contractkit: internal error: KeyError: 'no-such-thing' — rerun with CONTRACTKIT_DEBUG=1 for the "
                   "traceback and report it\n")
    monkeypatch.setenv("CONTRACTKIT_DEBUG", "1")
    assert main(["build", "deal.yaml", "-o", str(tmp_path / "d.docx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "in broken" in err
    assert err.splitlines()[-1].startswith("contractkit: internal error: KeyError")


def test_running_out_of_memory_in_a_template_is_a_one_line_message():
    from contractkit.render import TemplateLimit, compile_source, render_code

    class Exhausting:
        @property
        def text(self):
            raise MemoryError

    code = compile_source("{{ deal.text }}", "t#memory")
    with pytest.raises(TemplateLimit, match="^the template needed more memory than there is$"):
        render_code(code, {"deal": Exhausting()}, "t#memory")


def test_a_link_out_of_the_core_library_is_refused(tmp_path, monkeypatch):
    """The core library's loader reads only its own regular files too (CONTRACTKIT_DATA: another root)."""
    import shutil
    from contractkit.errors import UserError
    from contractkit.library import load_library
    root = HOSTILE.parent.parent
    data = tmp_path / "library"                     # a small library: one clause file, linked out
    (data / "clauses").mkdir(parents=True)
    (data / "templates").mkdir()
    outside = tmp_path / "outside.yaml"
    shutil.copy(sorted((root / "clauses").rglob("*.yaml"))[0], outside)
    victim = data / "clauses" / outside.name
    victim.symlink_to(outside)
    monkeypatch.setenv("CONTRACTKIT_DATA", str(data))
    with pytest.raises(UserError) as caught:
        load_library(data, use_cache=False)
    assert f"{victim.relative_to(data)}: is a link to {outside}, outside {data}" in str(caught.value)
