"""The compiled library's cache: the library shipped in the wheel is used by an installed package
with an empty cache (and only while it matches the files), a pack's entry rebuilds the same
library as a fresh build, and the cache folder stays within its bounds."""
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ENV, EXAMPLES, ROOT, docx_text


def entries(cache_dir):
    return sorted(cache_dir.glob("library-*.pickle"))


def library_state(library):
    """Everything a library holds, comparable: its data in order, and the names of its templates."""
    import dataclasses
    names = [f.name for f in dataclasses.fields(library) if f.name != "codes"]
    assert {"points", "clauses", "templates", "packs", "warnings"} <= set(names)
    return [(n, list(getattr(library, n)) if isinstance(getattr(library, n), dict) else None, getattr(library, n))
            for n in names] + [sorted(library.codes)]


def seeded_cache(tmp_path):
    """An empty cache folder but for the core library's entry (from this session's cache, where
    it is compiled once)."""
    from contractkit.library import _pack_set, data_root, load_library
    load_library()
    cache = tmp_path / "cache"
    cache.mkdir()
    for entry in entries(Path(os.environ["CONTRACTKIT_CACHE_DIR"])):
        if entry.name.startswith(f"library-{_pack_set(data_root(), [])}-"):
            shutil.copy(entry, cache)
    assert len(entries(cache)) == 1
    return cache


@pytest.fixture
def library_root(tmp_path):
    for sub in ("clauses", "templates"):
        shutil.copytree(ROOT / sub, tmp_path / "lib" / sub)
    return tmp_path / "lib"


def test_shipped_library_is_used_while_it_matches_and_an_edit_is_compiled(library_root, library, tmp_path, monkeypatch):
    from contractkit import library as lib
    from contractkit import library_check
    shipped = lib.write_shipped_library(library_root, library_root / lib.SHIPPED_DIR) / "library.pickle"
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(tmp_path / "cache"))

    class NoBuilding(library_check.LibraryBuilder):
        def __init__(self, *args, **kwargs):
            raise AssertionError("the library was compiled although the shipped one matches")

    with monkeypatch.context() as m:
        m.setattr(library_check, "LibraryBuilder", NoBuilding)
        loaded = lib.load_library(library_root)
        assert library_state(loaded) == library_state(library)      # = a fresh build of the same files
        assert [e.read_bytes() for e in entries(tmp_path / "cache")] == [shipped.read_bytes()]   # copied for the next run
        assert library_state(lib.load_library(library_root)) == library_state(library)
        # compiled for another Jinja (or Python, or engine), it is not used
        m.setattr(lib, "_jinja_version", lambda: "0.0-other")
        assert lib._shipped_library(library_root, tmp_path / "other" / "library-x-y.pickle") is None
        assert not (tmp_path / "other").exists()

    # an edited clause file no longer matches the shipped library: it is compiled, with the edit
    path = library_root / "clauses" / "common" / "consultation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("協議", "真摯に協議", 1), encoding="utf-8")
    shutil.rmtree(tmp_path / "cache")
    edited = lib.load_library(library_root)
    assert edited.clauses["consultation"].heading["ja"] == "真摯に協議"
    assert len(entries(tmp_path / "cache")) == 1 and entries(tmp_path / "cache")[0].read_bytes() != shipped.read_bytes()


@pytest.fixture(scope="module")
def packs(tmp_path_factory, library):
    """Five scaffolded packs."""
    from contractkit.packs import new_pack
    base = tmp_path_factory.mktemp("many-packs")
    return [new_pack(f"pack-{i}", "data-provision", base, library).resolve() for i in range(5)]


def test_a_pack_entry_rebuilds_exactly_the_fresh_library(tmp_path, monkeypatch):
    from contractkit.build import build
    from contractkit.library import build_library, load_library
    pack = ROOT / "usecases" / "taxi-probe-data"
    fresh = build_library(ROOT, packs=[pack], base=load_library())
    cache = seeded_cache(tmp_path)
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(cache))
    first = load_library(packs=[pack])                 # compiled, and cached as what it adds to the core
    again = load_library(packs=[pack])                 # from that entry
    assert library_state(first) == library_state(again) == library_state(fresh)
    core_entry, pack_entry = sorted(entries(cache), key=lambda p: p.stat().st_size, reverse=True)
    assert pack_entry.stat().st_size < core_entry.stat().st_size / 5
    example = pack / "examples" / "data-provision-ja.yaml"
    build(example, tmp_path / "cached.docx", library=again)
    build(example, tmp_path / "fresh.docx", library=fresh)
    assert docx_text(tmp_path / "cached.docx") == docx_text(tmp_path / "fresh.docx")


def edit(pack):
    clause = next((pack / "clauses").rglob("*.yaml"))
    clause.write_text(clause.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def test_the_cache_keeps_one_entry_per_pack_set_and_stays_under_its_bound(packs, tmp_path, monkeypatch):
    from contractkit import library as lib
    cache = seeded_cache(tmp_path)
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(cache))
    core_size = entries(cache)[0].stat().st_size
    (cache / "library-e3b0c442-0123456789abcdef.pickle").write_bytes(b"\x80" * 3_000_000)   # an older format's
    for pack in packs:
        lib.load_library(packs=[pack])
    assert len(entries(cache)) == 1 + len(packs)
    pack_size = max(e.stat().st_size for e in entries(cache) if e.stat().st_size < core_size)

    edit(packs[0])                                     # an edited pack replaces its own entry
    lib.load_library(packs=[packs[0]])
    assert len(entries(cache)) == 1 + len(packs)

    # a bound for the core and two packs: the least recently used packs go, the folder stays under it
    bound = core_size + 2 * pack_size + 1000
    monkeypatch.setattr(lib, "MAX_CACHE_BYTES", bound)
    for pack in packs[1:]:
        edit(pack)
        lib.load_library(packs=[pack])
        assert sum(e.stat().st_size for e in cache.iterdir()) <= bound
    assert len(entries(cache)) == 3
    assert any(e.stat().st_size == core_size for e in entries(cache))      # the core's entry is kept
    assert library_state(lib.load_library(packs=[packs[-1]])) == library_state(
        lib.build_library(ROOT, packs=[packs[-1]], base=lib.load_library()))


def test_an_oversized_entry_is_never_cached_and_a_damaged_one_is_rebuilt(packs, tmp_path, monkeypatch):
    from contractkit import library as lib
    cache = seeded_cache(tmp_path)
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(cache))
    with monkeypatch.context() as m:
        m.setattr(lib, "MAX_ENTRY_BYTES", 1000)
        assert "pack-0" in lib.load_library(packs=[packs[0]]).packs
        assert len(entries(cache)) == 1
    lib.load_library(packs=[packs[0]])
    [entry] = [e for e in entries(cache) if e.stat().st_size < 1_000_000]
    size = entry.stat().st_size
    entry.write_bytes(entry.read_bytes()[:size // 2])
    assert "pack-0" in lib.load_library(packs=[packs[0]]).packs
    assert entry.stat().st_size == size


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel):
    """contractkit installed from a wheel built from this checkout (conftest), in a fresh virtual
    environment (the dependencies come from the running interpreter's site-packages)."""
    base = tmp_path_factory.mktemp("installed")
    venv.create(base / "venv", system_site_packages=True, with_pip=False)
    python = base / "venv" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    return python


@pytest.mark.xdist_group("wheel")
def test_installed_wheel_builds_from_the_shipped_library_with_an_empty_cache(installed, tmp_path):
    env = {k: v for k, v in ENV.items() if k not in ("PYTHONPATH", "CONTRACTKIT_DATA")}
    env["CONTRACTKIT_CACHE_DIR"] = str(tmp_path / "cache")
    example = EXAMPLES / "data-provision-ja.yaml"
    proc = subprocess.run([str(installed), "-X", "importtime", "-m", "contractkit", "build", str(example), "-o",
                           str(tmp_path / "installed.docx")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "contractkit.library" in imported
    assert "contractkit.library_check" not in imported and "ruamel" not in imported   # nothing compiled
    where = subprocess.run([str(installed), "-c", "import contractkit.library as l; print(l.data_root())"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.strip()
    assert where.endswith("site-packages/contractkit/_data")
    assert len(entries(tmp_path / "cache")) == 1
    # every shipped pack too: loading them all compiles nothing
    proc = subprocess.run([str(installed), "-X", "importtime", "-m", "contractkit", "packs", "list"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "taxi-probe-data" in proc.stdout
    assert "contractkit.library_check" not in proc.stderr and "ruamel" not in proc.stderr
    assert len(entries(tmp_path / "cache")) == 1 + len(list((ROOT / "usecases").glob("*/pack.yaml")))
    checkout = subprocess.run([sys.executable, "-m", "contractkit", "build", str(example), "-o", str(tmp_path / "checkout.docx")],
                              capture_output=True, text=True, cwd=ROOT,
                              env={**ENV, "CONTRACTKIT_CACHE_DIR": os.environ["CONTRACTKIT_CACHE_DIR"]})
    assert checkout.returncode == 0, checkout.stderr
    assert docx_text(tmp_path / "installed.docx") == docx_text(tmp_path / "checkout.docx")
    assert docx_text(tmp_path / "installed.docx").count("\n") > 100


@pytest.mark.xdist_group("wheel")
def test_installed_interview_asks_its_first_question_without_compiling(installed, tmp_path):
    import pexpect
    env = {k: v for k, v in ENV.items() if k not in ("PYTHONPATH", "CONTRACTKIT_DATA")}
    env.update(CONTRACTKIT_CACHE_DIR=str(tmp_path / "cache"), PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = pexpect.spawn(str(installed), ["-X", "importtime", "-m", "contractkit", "interview", "--ui", "en",
                                           "--answers", "a.yaml"], cwd=str(tmp_path), env=env, timeout=60,
                          encoding="utf-8")
    child.expect("Which contract are you drafting")
    assert "contractkit.library" in child.before
    assert "contractkit.library_check" not in child.before      # (ruamel.yaml is there: the answers file's)
    child.sendintr()
    child.expect(pexpect.EOF)
    assert len(entries(tmp_path / "cache")) == 1
