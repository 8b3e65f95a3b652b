"""The fast YAML path must never disagree with the line-reporting loader: whatever it returns is
exactly what ruamel.yaml would have given (same values, same types), and whatever it is unsure of
it leaves to ruamel.yaml (None), so errors keep their file:line:col."""
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from contractkit.errors import UserError
from contractkit.fast_yaml import load_plain
from contractkit.loading import MAX_DEPTH, PlainTree, load_data, load_yaml, position
from contractkit.schema import plain

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p for folder in ("examples", "usecases", "clauses", "templates", "tests/hostile")
                 for p in (ROOT / folder).rglob("*.yaml"))


def typed(value):
    """The value with every leaf's type made visible (True == 1 and 1 == 1.0 in Python)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def careful(text):
    try:
        return ("ok", typed(plain(load_yaml(text, "t.yaml"))))
    except UserError as exc:
        return ("error", str(exc))


def assert_agrees(text):
    fast = load_plain(text, MAX_DEPTH)
    if fast is not None:
        assert careful(text) == ("ok", typed(fast)), text


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_the_same_both_ways(path):
    assert_agrees(path.read_bytes().decode("utf-8", "replace"))


def test_the_shipped_examples_take_the_fast_path():
    for path in (ROOT / "examples").glob("*.yaml"):
        assert isinstance(load_data(path.read_text(encoding="utf-8"), str(path)), PlainTree), path


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                       # anchors and aliases
    "a: !!python/object:os.system 1\n",       # tags
    "a: !custom x\n",
    "a: 1\na: 2\n",                           # duplicate keys
    "? [a, b]\n: 1\n",                        # a list as a key
    "1: one\n",                               # a number as a key
    "a: 2026-02-30\n",                        # not a date
    "a: 0x1F\nb: 1_000\nc: .inf\nd: +1\ne: 1e3\nf: 012\n",  # numbers whose YAML 1.2 reading is subtle
    "a: 1\n---\nb: 2\n",                      # two documents
    "%YAML 1.1\n---\na: yes\n",                # YAML 1.1 reads yes as true
    "a: [1, 2\n",                             # broken
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)),   # too deep
    "a: >#\n", "a: |-#x\n",                  # '#' right after a block scalar's indicator: an error to ruamel.yaml
])
def test_anything_unusual_is_left_to_the_careful_loader(text):
    assert load_plain(text, MAX_DEPTH) is None


def test_plain_values_come_out_as_yaml_1_2_reads_them():
    text = ("s: yes\nt: true\nn: null\ne:\ni: -12\nf: 3.5\nd: 2026-12-01\nq: '007'\nj: 稼働データ（主軸負荷）\n"
            "lit: |\n  一行目\n  二行目\nlist: [a, 'b', 3]\nmap: {k: v}\n")
    assert load_plain(text, MAX_DEPTH) == {
        "s": "yes", "t": True, "n": None, "e": None, "i": -12, "f": 3.5, "d": dt.date(2026, 12, 1), "q": "007",
        "j": "稼働データ（主軸負荷）", "lit": "一行目\n二行目\n", "list": ["a", "b", 3], "map": {"k": "v"}}
    assert_agrees(text)


def test_positions_are_found_when_an_error_needs_them():
    text = "contract: data-provision\nanswers:\n  derived-data: nobody\n"
    tree = load_data(text, "deal.yaml")
    assert isinstance(tree, PlainTree)
    assert position(tree, ("answers", "derived-data")) == (3, 17)


SCALAR_CHARS = "0123456789.-+:_eExXoObB~ntrufalsTRUEFALSNyYoiIZ% ,#&*!|>'\"[]{}@`=<\\\t稼働"


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "derived-data", "x y", "'q'", "null", "1"]),
                          st.text(SCALAR_CHARS, max_size=12),
                          st.sampled_from(["{}", "'{}'", '"{}"', "[{}]", "\n  - {}", "\n  k: {}"])),
                max_size=6))
def test_generated_documents_read_the_same_both_ways(entries):
    text = "".join(f"{key}: {shape.format(value)}\n" for key, value, shape in entries)
    assert_agrees(text)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text("ab1-: \n'\"[]{},#&*!?|>.~%@`0eE+\\\u3000稼ー\r\x85\u2028\t", max_size=40))
def test_arbitrary_text_reads_the_same_both_ways(text):
    assert_agrees(text)
