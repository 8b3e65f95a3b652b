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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data-provision-ja.yaml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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
        t_bare = timed(bare, args.runs)
        t_build = timed(build, args.runs)
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
    print(f"contractkit --help:                  {t_help * 1000:7.1f} ms   (target <= 80 ms)")
    print(f"batch, per draft ({args.batch} files):       {t_batch * 1000:7.1f} ms   vs bare in-process write "
          f"{t_bare_in * 1000:.1f} ms: ratio {t_batch / t_bare_in:.2f}x (target <= 1.5x)")
    print(f"peak RSS of a build:                 {rss:7.1f} MB   (target <= 120 MB)")
    print(f"loading every shipped pack:          {t_packs * 1000:7.1f} ms   (packs list)")
    print(f"build with an empty library cache:   {t_cold_cache * 1000:7.1f} ms   (once after a clause file changes)")


if __name__ == "__main__":
    main()
