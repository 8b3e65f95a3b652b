"""Use-case packs: shipped packs validate and pass their own tests; a scaffold works at once;
every kind of broken or hostile pack gets a located error quickly and nothing is written."""
import shutil
import subprocess
import sys

import pytest

from conftest import ENV, ROOT


def shipped_packs():
    return sorted(p.parent.name for p in (ROOT / "usecases").glob("*/pack.yaml"))


HANG = 600          # seconds: only catches a hang (a cold library build took 60 s at load 13)


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "contractkit", *args], capture_output=True, text=True, env=ENV,
                          cwd=cwd or ROOT, timeout=HANG)


@pytest.mark.parametrize("pack_id", shipped_packs())
def test_shipped_pack_validates_and_passes_its_tests(pack_id):
    from contractkit.packs import test_pack, validate_pack
    folder = ROOT / "usecases" / pack_id
    library = validate_pack(folder)
    pack = library.packs[pack_id]
    assert len(pack.get("examples") or []) >= 2
    langs = set()
    for example in pack["examples"]:
        from ruamel.yaml import YAML
        data = YAML(typ="safe").load((folder / example["file"]).read_text(encoding="utf-8"))
        langs.add(data.get("language"))
        assert data["usecase"] == pack_id
    assert {"ja", "en"} <= langs
    report = test_pack(folder, library)
    failures = [(e["file"], e["failures"]) for e in report["examples"] if e["failures"]]
    assert not failures
    assert report["unreached"] == []     # every clause variant and option of the pack has an example



def test_a_reader_that_stops_early_gets_no_traceback():
    # `contractkit packs list | head -1`: the reader is gone before contractkit writes (it closes
    # the pipe long before the child has even started)
    proc = subprocess.Popen([sys.executable, "-m", "contractkit", "packs", "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=ROOT)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait()
    assert "Traceback" not in stderr
    assert proc.returncode in (0, 141)

def test_eight_packs_ship():
    assert set(shipped_packs()) >= {
        "machine-tool-operating-data", "maker-data-trained-model", "industrial-robot-ai", "hvac-anomaly-detection",
        "taxi-probe-data", "e-receipt-data", "data-marketplace", "care-pose-estimation"}


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory):
    base = tmp_path_factory.mktemp("packs")
    proc = run("packs", "new", "cold-chain", "--contract", "data-provision", "--dir", str(base))
    assert proc.returncode == 0, proc.stderr
    return base / "cold-chain"


def test_scaffold_validates_tests_and_builds(scaffold, tmp_path):
    assert run("packs", "validate", str(scaffold)).returncode == 0
    proc = run("packs", "test", str(scaffold))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "examples/data-provision-ja.yaml: ok" in proc.stdout
    assert "no example reaches: cold-chain-notes:without-review" in proc.stdout
    proc = run("build", str(scaffold / "examples" / "data-provision-ja.yaml"), "-o", str(tmp_path / "d.docx"))
    assert proc.returncode == 0, proc.stderr
    proc = run("packs", "show", "cold-chain", "--pack-path", str(scaffold.parent), "--ui", "en")
    assert "Questions it adds:" in proc.stdout and "cold-chain-review" in proc.stdout
    proc = run("packs", "list", "--pack-path", str(scaffold.parent))
    assert "cold-chain" in proc.stdout and "data-provision" in proc.stdout


def test_scaffold_refuses_to_overwrite(scaffold):
    proc = run("packs", "new", "cold-chain", "--dir", str(scaffold.parent))
    assert proc.returncode == 2 and "already exists" in proc.stderr


def break_pack(scaffold, tmp_path, file, old, new):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    path = pack / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


CLAUSE = "clauses/cold-chain-notes.yaml"
BROKEN = {
    "bad yaml": ("pack.yaml", "contracts: [data-provision]", "contracts: [data-provision", "pack.yaml:10:1: invalid YAML"),
    "unknown field": ("pack.yaml", "guidance:", "guidence:", "pack.yaml:13:1: 'guidence' is not a known key (did you mean 'guidance'?)"),
    "jinja syntax error": (CLAUSE, "年1回見直しを行うものとする。", "年1回{% if %}見直す。", f"{CLAUSE}:9:7: Jinja template syntax error"),
    "undefined name": (CLAUSE, "年1回見直しを行うものとする。", "{{ purpos }}を見直す。", "'purpos' is not a point, role or helper (did you mean 'purpose'?)"),
    "dangling reference": (CLAUSE, "年1回見直しを行うものとする。", "{{ ref('no-such-article') }}に従う。", "ref('no-such-article'): no clause 'no-such-article'"),
    "path outside the pack": ("pack.yaml", "file: examples/data-provision-ja.yaml", "file: ../../etc/passwd", "'../../etc/passwd' is outside the pack's folder"),
    "include": (CLAUSE, "年1回見直しを行うものとする。", "{% include '../../secret.yaml' %}", "templates cannot include, import or extend"),
    "alias bomb": ("pack.yaml", "defaults: {}", "defaults: &a [*a, *a]", "pack.yaml:16:11: anchors (&a) are not allowed"),
    "python tag": ("pack.yaml", "defaults: {}", "defaults: !!python/object/apply:os.system ['touch /tmp/pwned']", "YAML tags (!!python/object/apply:os.system) are not allowed"),
    "variant no option selects": (CLAUSE, "  without-review:", "  without-reveiw:", "no option of 'cold-chain-review' selects variant 'without-reveiw'"),
    "duplicate id": (CLAUSE, "id: cold-chain-notes", "id: cold-chain-notes\nreplaces: false\n", None),
    "caution that cannot be evaluated": (CLAUSE, "id: cold-chain-notes", "id: cold-chain-notes\nwarnings:\n  - id: cold-chain-broken\n"
                                         "    when: \"liability.cap > 3\"\n    text: {ja: 上限を確認すること。, en: Check the cap.}",
                                         "the caution 'cold-chain-broken' cannot be evaluated in data-provision"),
}


@pytest.mark.parametrize("case", [c for c in BROKEN if BROKEN[c][3]])
def test_broken_pack_gets_a_located_error_quickly(scaffold, tmp_path, case):
    file, old, new, expected = BROKEN[case]
    pack = break_pack(scaffold, tmp_path, file, old, new)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    proc = run("packs", "validate", str(pack))
    assert proc.returncode == 1
    assert expected in proc.stderr, proc.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("payload,expected", [
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "longer than"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "characters"),
    ("{{ 'x' * 10 ** 9 }}", "at most"),
])
def test_hostile_pack_templates_are_stopped_and_nothing_is_written(scaffold, tmp_path, payload, expected):
    pack = break_pack(scaffold, tmp_path, CLAUSE, "年1回見直しを行うものとする。", payload)
    out = tmp_path / "out.docx"
    proc = run("build", str(pack / "examples" / "data-provision-ja.yaml"), "-o", str(out))
    assert proc.returncode == 1
    assert expected in proc.stderr and f"{CLAUSE}:" in proc.stderr
    assert not out.exists()


def test_pack_replacing_a_core_article(scaffold, tmp_path, library):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    (pack / "clauses" / "consultation.yaml").write_text(
        "id: consultation\nreplaces: true\nheading: {ja: 協議及び業界団体の調停, en: Consultation and Mediation}\n"
        "variants:\n  default:\n    ja: |\n      当事者は、協議が調わないときは、業界団体の調停に付するものとする。\n"
        "    en: |\n      Failing agreement, the parties shall refer the matter to mediation by the industry association.\n",
        encoding="utf-8")
    from contractkit.build import build
    from conftest import docx_text
    result = build(pack / "examples" / "data-provision-ja.yaml", tmp_path / "d.docx", pack_path=[tmp_path])
    assert "業界団体の調停" in docx_text(result.output)
    assert "consultation:default" in result.stamp


# ---- a pack is a closed folder: nothing outside it is read, nothing but regular files ---------

OUTSIDE_TEXT = "OUTSIDE-TEXT-MUST-NOT-LAND"


def run_bounded(*args, cwd):
    """The CLI in a child process, with a generous timeout that only catches a hang."""
    proc = subprocess.run([sys.executable, "-m", "contractkit", *args], capture_output=True, text=True, env=ENV,
                          cwd=cwd, timeout=HANG)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def link_out(scaffold, tmp_path, what):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(pack / "clauses", elsewhere / "clauses")
    shutil.copy(pack / "pack.yaml", elsewhere / "pack.yaml")
    notes = elsewhere / "clauses" / "cold-chain-notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("年1回見直しを行うものとする。", OUTSIDE_TEXT), encoding="utf-8")
    target = {"clause file": "clauses/cold-chain-notes.yaml", "clauses folder": "clauses", "pack.yaml": "pack.yaml"}[what]
    shutil.rmtree(pack / target) if (pack / target).is_dir() else (pack / target).unlink()
    (pack / target).symlink_to(elsewhere / target)
    return pack


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def pack_cache_files(cache, pack):
    """The cache entries of the library with this pack (the core's own entry may be there: it is sound)."""
    import hashlib
    pack_set = hashlib.sha256(str(pack.resolve()).encode()).hexdigest()[:8]
    return list(cache.glob(f"library-{pack_set}-*"))


@pytest.mark.xdist_group("shared-cache")      # one worker: the core is compiled into `shared_cache` once
@pytest.mark.parametrize("what", ["clause file", "clauses folder", "pack.yaml"])
def test_a_link_out_of_the_pack_is_refused_and_nothing_is_read_or_written(scaffold, tmp_path, shared_cache, what):
    pack = link_out(scaffold, tmp_path, what)
    env = {**ENV, "CONTRACTKIT_CACHE_DIR": str(shared_cache)}
    out = tmp_path / "d.docx"
    for args in (("packs", "validate", str(pack)), ("packs", "test", str(pack)),
                 ("build", str(pack / "examples" / "data-provision-ja.yaml"), "-o", str(out))):
        proc = subprocess.run([sys.executable, "-m", "contractkit", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=HANG)
        assert proc.returncode in (1, 2), proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        assert "outside" in proc.stderr and str(tmp_path / "elsewhere") in proc.stderr, proc.stderr
        assert OUTSIDE_TEXT not in proc.stdout + proc.stderr
    assert not out.exists()
    assert pack_cache_files(shared_cache, pack) == []
    assert list(shared_cache.glob("library-*"))     # the core was cached: the check above looks in the right place


def test_a_link_inside_the_pack_is_fine(scaffold, tmp_path):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    (pack / "shared").mkdir()
    (pack / "clauses" / "cold-chain-notes.yaml").rename(pack / "shared" / "cold-chain-notes.yaml")
    (pack / "clauses" / "cold-chain-notes.yaml").symlink_to(pack / "shared" / "cold-chain-notes.yaml")
    proc = run_bounded("packs", "validate", str(pack), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("where", ["clauses/extra.yaml", "pack.yaml"])
def test_a_fifo_in_a_pack_does_not_hang_validate(scaffold, tmp_path, where):
    import os
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    (pack / where).unlink(missing_ok=True)
    os.mkfifo(pack / where)
    proc = run_bounded("packs", "validate", str(pack), cwd=tmp_path)
    if where == "pack.yaml":
        assert proc.returncode == 2 and "no pack here" in proc.stderr, proc.stderr   # a FIFO is not a pack.yaml
    else:
        assert proc.returncode == 1
        assert f"{where}: is a FIFO, not a file" in proc.stderr, proc.stderr


def test_a_huge_sparse_clause_file_is_refused_by_its_size_before_it_is_read(scaffold, tmp_path):
    import os
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    huge = pack / "clauses" / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.write(b"id: huge\n")
    os.truncate(huge, 2 * 1024 ** 3)                     # 2 GB, sparse: nothing on the disk
    proc = subprocess.run(["/usr/bin/env", "bash", "-c", f"ulimit -v 1500000; exec {sys.executable} -m contractkit packs validate {pack}"],
                          capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=HANG)
    assert proc.returncode == 1, proc.stderr               # 1.5 GB of address space: reading it would fail
    assert "clauses/huge.yaml:1:1: the file is 2,147,483,648 bytes; at most 2,000,000 are read" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_dangling_link_is_a_located_error(scaffold, tmp_path):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    (pack / "clauses" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    proc = run_bounded("packs", "validate", str(pack), cwd=tmp_path)
    assert proc.returncode == 1 and "gone.yaml" in proc.stderr, proc.stderr


@pytest.mark.parametrize("earlier", ["../../../../elsewhere/deal.yaml", "/etc/passwd", "{elsewhere}/deal.yaml"])
def test_an_example_cannot_build_on_a_file_outside_the_pack(scaffold, tmp_path, earlier):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    deal = (pack / "examples" / "data-provision-ja.yaml").read_text(encoding="utf-8")
    (elsewhere / "deal.yaml").write_text(deal, encoding="utf-8")
    earlier = earlier.format(elsewhere=elsewhere)
    example = pack / "examples" / "data-provision-ja.yaml"
    example.write_text(deal.replace("contract: data-provision", f"contract: data-provision\nfrom: {earlier}", 1), encoding="utf-8")
    line = example.read_text(encoding="utf-8").splitlines().index(f"from: {earlier}") + 1
    for action in ("validate", "test"):
        proc = run_bounded("packs", action, str(pack), cwd=tmp_path)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"data-provision-ja.yaml:{line}:7: from: '{earlier}' is outside the pack's folder" in proc.stderr, proc.stderr


def test_an_example_may_build_on_another_file_of_its_pack(scaffold, tmp_path):
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    example = pack / "examples" / "data-provision-ja.yaml"
    deal = example.read_text(encoding="utf-8")
    (pack / "examples" / "earlier.yml").write_text(deal, encoding="utf-8")
    example.write_text(deal.replace("contract: data-provision", "contract: data-provision\nfrom: earlier.yml", 1), encoding="utf-8")
    proc = run_bounded("packs", "test", str(pack), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "examples/data-provision-ja.yaml: ok" in proc.stdout


# ---- templates bounded at compile time: each bomb is a located message, quickly ----------------

COMPILE_BOMBS = {
    "percent width": ("{{ '%0999999999d' % 1 }}", "'%' pads to 999999999 characters; at most 1,000"),
    "format filter width": ("{{ '%999999999s'|format('a') }}", "'%' pads to 999999999 characters; at most 1,000"),
    "str.format width": ("{{ '{:999999999}'.format(1) }}", "the format pads to 999999999 characters; at most 1,000"),
    "25 nested for": ("{% for i in range(1) %}" * 25 + "x" + "{% endfor %}" * 25, "blocks are nested more than 10 deep"),
    "300 nested if": ("{% if true %}" * 300 + "x" + "{% endif %}" * 300, "blocks are nested more than 10 deep"),
    "500 parentheses": ("{{ " + "(" * 500 + "1" + ")" * 500 + " }}", "brackets are nested more than 20 deep"),
    "2000 chained filters": ("{{ 'a'" + "|lower" * 2000 + " }}", "more than 20 filters or tests in a row"),
    "5000-digit literal": ("{{ " + "7" * 5000 + " }}", "a number of 5,000 digits; at most 30 are allowed"),
    "a chain of 150 +": ("{{ 1" + " + 1" * 150 + " }}", "an expression nested 151 deep; at most 40"),
    "2000 nots": ("{{ " + "not " * 2000 + "true }}", "one {{ … }} or {% … %} holds more than 400 parts"),
}


@pytest.mark.parametrize("case", sorted(COMPILE_BOMBS))
def test_a_compile_time_bomb_is_refused_by_validate_and_build(scaffold, tmp_path, shared_cache, case):
    payload, expected = COMPILE_BOMBS[case]
    pack = break_pack(scaffold, tmp_path, CLAUSE, "年1回見直しを行うものとする。", payload)
    env = {**ENV, "CONTRACTKIT_CACHE_DIR": str(shared_cache)}
    out = tmp_path / "out.docx"
    for args in (("packs", "validate", str(pack)), ("build", str(pack / "examples" / "data-provision-ja.yaml"), "-o", str(out))):
        proc = subprocess.run([sys.executable, "-m", "contractkit", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=HANG)
        assert proc.returncode in (1, 2), proc.stdout + proc.stderr
        assert f"{CLAUSE}:9:7: the template is refused: {expected}" in proc.stderr, proc.stderr   # where the text starts
        assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert pack_cache_files(shared_cache, pack) == []


RENDER_BOMBS = {
    "self": ("{{ self }}", "the template printed 'TemplateReference', a TemplateReference, not text"),
    "joiner": ("{{ joiner }}", "the template printed 'Joiner', a type, not text"),
    "cycler": ("{{ cycler }}", "the template printed 'Cycler', a type, not text"),
    "namespace": ("{{ namespace }}", "the template printed 'Namespace', a type, not text"),
    "lipsum": ("{{ lipsum }}", "the template printed 'generate_lorem_ipsum', a function, not text"),
    "computed percent width": ("{{ ('%0' ~ '999999999d') % 1 }}", "'%' pads to 999999999 characters"),
    "center": ("{{ 'x'|center(999999999) }}", "'center' pads to 999,999,999 characters; at most 1,000"),
    "ljust": ("{{ 'x'.ljust(999999999) }}", "'ljust' pads to 999,999,999 characters; at most 1,000"),
    "replace": ("{{ ('x' * 100000)|replace('', 'y' * 100000) }}", "'replace' would build 10,000,200,000 characters"),
    "join": ("{{ ('x' * 100000)|join('y' * 100000) }}", "'join' would build 10,000,000,000 characters"),
}


@pytest.mark.parametrize("case", sorted(RENDER_BOMBS))
def test_a_render_time_bomb_is_a_located_build_error(scaffold, tmp_path, shared_cache, case):
    payload, expected = RENDER_BOMBS[case]
    pack = break_pack(scaffold, tmp_path, CLAUSE, "年1回見直しを行うものとする。", payload)
    env = {**ENV, "CONTRACTKIT_CACHE_DIR": str(shared_cache)}
    out = tmp_path / "out.docx"
    proc = subprocess.run([sys.executable, "-m", "contractkit", "build", str(pack / "examples" / "data-provision-ja.yaml"),
                           "-o", str(out)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=HANG)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{CLAUSE}:9:1: " in proc.stderr and expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "object at 0x" not in proc.stderr
    assert not out.exists()
