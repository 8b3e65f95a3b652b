"""Speed and memory, side by side in one run, against the tool a user would otherwise pick
(a bare python-docx script writing the same paragraphs; docxtpl costs 1.39x that as a process):

  cold build     whole `contractkit build` process vs the bare script process   target <= 1.35x
  --help         whole process                                                   target <= 80 ms
  batch          `build --batch` of 200 answers files, per draft, vs the bare
                 in-process python-docx write of the same text                   target <= 1.5x
  peak RSS       of one build process                                            target <= 120 MB
  packs          loading every shipped pack (`packs list`)

Run: python3 bench/bench_build.py [--runs N]. Record the figures in bench/README.md."""
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
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data-provision-ja.yaml"
PACKAGE = ROOT / "contractkit"
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@contextmanager
def byte_compiled(package: Path):
    """The package's .pyc files written (as `pip install` writes them), and removed again afterwards
    where this run made them."""
    before = set(package.rglob("*.pyc"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    try:
        yield
    finally:
        for pyc in set(package.rglob("*.pyc")) - before:
            pyc.unlink()
        for cache in package.rglob("__pycache__"):
            if not any(cache.iterdir()):
                cache.rmdir()


def timed(cmd: list[str], runs: int) -> float:
    return side_by_side([cmd], runs)[0]


def side_by_side(cmds: list[list[str]], runs: int) -> list[float]:
    """Median time of each command, run in turns (a, b, a, b, …) so that the machine's drift
    between rounds weighs on all of them alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            started = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
            times[i].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def peak_rss_mb(cmd: list[str]) -> float:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True, env=ENV)
    return int(out.stdout.strip()) / 1024


def bare_in_process(paragraphs: list[str], n: int, outdir: Path) -> float:
    import docx
    started = time.perf_counter()
    for i in range(n):
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(str(outdir / f"bare{i}.docx"))
    return (time.perf_counter() - started) / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        draft = tmp / "draft.docx"
        build = [sys.executable, "-m", "contractkit", "build", str(EXAMPLE), "-o", str(draft), "--force"]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)  # warm cache

        import docx
        paragraphs = [p.text for p in docx.Document(str(draft)).paragraphs]
        (tmp / "paragraphs.json").write_text(json.dumps(paragraphs, ensure_ascii=False), encoding="utf-8")
        bare = [sys.executable, str(ROOT / "bench" / "bare_docx.py"), str(tmp / "paragraphs.json"), str(tmp / "bare.docx")]

        timed(bare, 2)
        # pip install byte-compiles the package, as it did python-docx for the bare script; a checkout
        # run with PYTHONDONTWRITEBYTECODE=1 (as on the project machine) compiles every module on every run
        source = None
        if not any(PACKAGE.rglob("__pycache__")):
            source = side_by_side([bare, build], args.runs)
        with byte_compiled(PACKAGE):
            t_bare, t_build = side_by_side([bare, build], args.runs)
        t_help = timed([sys.executable, "-m", "contractkit", "--help"], args.runs)
        t_packs = timed([sys.executable, "-m", "contractkit", "packs", "list"], max(3, args.runs // 4))
        rss = peak_rss_mb(build)
        t_cold_cache = timed(["env", f"CONTRACTKIT_CACHE_DIR={tmp / 'cold'}", *build], 1)

        batch_in, batch_out = tmp / "batch", tmp / "batch-out"
        batch_in.mkdir()
        for i in range(args.batch):
            shutil.copy(EXAMPLE, batch_in / f"deal{i:03}.yaml")
        t_batch = timed([sys.executable, "-m", "contractkit", "build", "--batch", str(batch_in), "-o", str(batch_out),
                         "--force"], 1) / args.batch
        (tmp / "bare-out").mkdir()
        t_bare_in = bare_in_process(paragraphs, min(args.batch, 100), tmp / "bare-out")

    print(f"paragraphs written:                  {len(paragraphs)}")
    print(f"bare python-docx script (process):   {t_bare * 1000:7.1f} ms")
    print(f"contractkit build (process):         {t_build * 1000:7.1f} ms   ratio {t_build / t_bare:.2f}x (target <= 1.35x)")
    if source is not None:
        print(f"  … without bytecode (a checkout):   {source[1] * 1000:7.1f} ms   ratio {source[1] / source[0]:.2f}x"
              f" (vs the bare script's {source[0] * 1000:.1f} ms in the same rounds)")
    print(f"contractkit --help:                  {t_help * 1000:7.1f} ms   (target <= 80 ms)")
    print(f"batch, per draft ({args.batch} files):       {t_batch * 1000:7.1f} ms   vs bare in-process write "
          f"{t_bare_in * 1000:.1f} ms: ratio {t_batch / t_bare_in:.2f}x (target <= 1.5x)")
    print(f"peak RSS of a build:                 {rss:7.1f} MB   (target <= 120 MB)")
    print(f"loading every shipped pack:          {t_packs * 1000:7.1f} ms   (packs list)")
    print(f"build with an empty library cache:   {t_cold_cache * 1000:7.1f} ms   (once after a clause file changes)")


if __name__ == "__main__":
    main()
