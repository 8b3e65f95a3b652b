"""The first minutes, side by side in one run: contractkit installed by a real `pip install .`
into a fresh virtual environment, against the bare python-docx script writing the same text.

  first build      `contractkit build` with an empty cache (a new CONTRACTKIT_CACHE_DIR each run)
                   vs the bare script process                                       target <= 3x
  warm build       the same with the cache left by earlier runs                     target <= 1.35x
  first question   `contractkit interview` to its first question, empty cache        target <= 300 ms
  warm question    the same, warm cache
  packs validate   of a pack whose clause file was just edited (core cached)         target <= 5x
  from a checkout  a build with an empty cache from the source tree (no shipped library: the
                   editable install's first build, once after every clause edit), timed once
  cache size       the cache folder after loading every shipped pack

Every timed command runs in turns with the bare script (bare, a, b, …, bare, a, b, …) so that the
shared machine's drift weighs on all alike; the ratios are of medians from the same rounds.
Run: python3 bench/bench_first.py [--runs N] [--source TREE]. Record the figures in bench/README.md."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data-provision-ja.yaml"
PACK = ROOT / "usecases" / "taxi-probe-data"


def install(venv_dir: Path, source: Path) -> Path:
    """`pip install .` of the source tree into a new virtual environment that sees this
    interpreter's packages (so only contractkit itself is built and installed)."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv_dir)], check=True)
    python = venv_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(source)],
                   check=True)
    found = subprocess.run([str(python), "-c", "import contractkit.library as l; print(l.data_root())"],
                           check=True, capture_output=True, text=True, cwd=venv_dir).stdout.strip()
    assert "site-packages" in found, found
    return python


class Case:
    def __init__(self, name, prepare, run=None):
        self.name, self.prepare, self.run, self.times = name, prepare, run or run_process, []


def run_process(cmd, env) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=env["BENCH_CWD"])
    return time.perf_counter() - started


def to_first_question(cmd, env) -> float:
    import pexpect
    started = time.perf_counter()
    child = pexpect.spawn(cmd[0], cmd[1:], env={**env, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
                          cwd=env["BENCH_CWD"], timeout=60)
    child.expect("Which contract are you drafting")
    elapsed = time.perf_counter() - started
    child.sendintr()
    child.expect(pexpect.EOF)
    return elapsed


def rounds(cases: list[Case], runs: int) -> None:
    for _ in range(runs):
        for case in cases:
            cmd, env = case.prepare()
            case.times.append(case.run(cmd, env))


def median(case: Case) -> float:
    return statistics.median(case.times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the tree to install (e.g. an export of an older commit, to compare)")
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CONTRACTKIT_DATA", "CONTRACTKIT_PACK_PATH")}
    with tempfile.TemporaryDirectory(prefix="contractkit-bench-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        python = install(tmp / "venv", args.source)
        t_install = time.perf_counter() - started
        counter = iter(range(10**6))

        def env_with(cache: Path) -> dict:
            return {**base_env, "CONTRACTKIT_CACHE_DIR": str(cache), "BENCH_CWD": str(tmp)}

        def empty_cache() -> dict:
            return env_with(tmp / f"cold-{next(counter)}")

        warm = env_with(tmp / "warm")
        draft = tmp / "draft.docx"
        build = [str(python), "-m", "contractkit", "build", str(EXAMPLE), "-o", str(draft), "--force"]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL, env=warm, cwd=tmp)

        import docx
        paragraphs = [p.text for p in docx.Document(str(draft)).paragraphs]
        (tmp / "paragraphs.json").write_text(json.dumps(paragraphs, ensure_ascii=False), encoding="utf-8")
        bare = [sys.executable, str(ROOT / "bench" / "bare_docx.py"), str(tmp / "paragraphs.json"), str(tmp / "bare.docx")]

        pack = tmp / "packs" / PACK.name
        shutil.copytree(PACK, pack)
        pack_clause = sorted((pack / "clauses").rglob("*.yaml"))[0]

        def edited_pack():
            with open(pack_clause, "a", encoding="utf-8") as fh:
                fh.write(f"# edit {next(counter)}\n")
            return [str(python), "-m", "contractkit", "packs", "validate", str(pack)], warm

        interview = [str(python), "-m", "contractkit", "interview", "--ui", "en", "--answers"]
        cases = [
            Case("bare", lambda: (bare, warm)),
            Case("first build", lambda: (build, empty_cache())),
            Case("warm build", lambda: (build, warm)),
            Case("first question", lambda: ([*interview, str(tmp / f"q{next(counter)}.yaml")], empty_cache()),
                 to_first_question),
            Case("warm question", lambda: ([*interview, str(tmp / f"q{next(counter)}.yaml")], warm), to_first_question),
            Case("packs validate (edited)", edited_pack),
        ]
        run_process(*edited_pack())          # the pack's entry exists, as after any earlier validate
        load_before = os.getloadavg()[0]
        rounds(cases, args.runs)
        by_name = {c.name: c for c in cases}

        checkout_env = {**empty_cache(), "PYTHONPATH": str(args.source), "BENCH_CWD": str(args.source)}
        t_checkout = run_process([sys.executable, "-m", "contractkit", "build", str(EXAMPLE), "-o", str(tmp / "c.docx"),
                                  "--force"], checkout_env)

        packs_cache = tmp / "all-packs"
        subprocess.run([str(python), "-m", "contractkit", "packs", "list"], check=True, stdout=subprocess.DEVNULL,
                       env=env_with(packs_cache), cwd=tmp)
        sizes = [p.stat().st_size for p in packs_cache.glob("library-*.pickle")]

    t_bare = median(by_name["bare"])
    print(f"load average during the run:             {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    print(f"pip install . into a new venv:           {t_install:7.1f} s")
    print(f"bare python-docx script (process):       {t_bare * 1000:7.1f} ms   ({len(paragraphs)} paragraphs)")
    for name, target in (("first build", 3.0), ("warm build", 1.35), ("packs validate (edited)", 5.0)):
        t = median(by_name[name])
        print(f"{name + ':':<40} {t * 1000:7.1f} ms   ratio {t / t_bare:.2f}x (target <= {target}x)")
    for name in ("first question", "warm question"):
        c = by_name[name]
        print(f"{name + ':':<40} {median(c) * 1000:7.1f} ms   (min {min(c.times) * 1000:.0f}, max {max(c.times) * 1000:.0f};"
              f" target <= 300 ms; {median(c) / t_bare:.2f}x the bare script)")
    print(f"checkout, empty cache (compiles):        {t_checkout * 1000:7.1f} ms   ratio {t_checkout / t_bare:.1f}x (once)")
    print(f"cache after loading all {len(sizes) - 1} packs:          {sum(sizes) / 1e6:7.2f} MB   "
          f"({len(sizes)} entries: core {max(sizes) / 1e6:.2f} MB, packs {min(sizes) / 1e3:.0f}–"
          f"{sorted(sizes)[-2] / 1e3:.0f} KB)")


if __name__ == "__main__":
    main()
