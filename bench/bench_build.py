"""Time whole processes: `contractkit build` of a Japanese data-provision example against a bare
python-docx script writing the same paragraphs, and `contractkit --help`. Prints medians and the
ratio; run from anywhere: python3 bench/bench_build.py [--runs N]."""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data-provision-ja.yaml"


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        draft = tmp / "draft.docx"
        build = [sys.executable, "-m", "contractkit", "build", str(EXAMPLE), "-o", str(draft), "--force"]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)   # warms the library cache

        import docx
        paragraphs = [p.text for p in docx.Document(str(draft)).paragraphs]
        (tmp / "paragraphs.json").write_text(json.dumps(paragraphs, ensure_ascii=False), encoding="utf-8")
        bare = [sys.executable, str(ROOT / "bench" / "bare_docx.py"), str(tmp / "paragraphs.json"), str(tmp / "bare.docx")]

        timed(bare, 2)
        t_bare = timed(bare, args.runs)
        t_build = timed(build, args.runs)
        t_help = timed([sys.executable, "-m", "contractkit", "--help"], args.runs)
        cold = tmp / "cold-cache"
        t_cold_cache = timed(["env", f"CONTRACTKIT_CACHE_DIR={cold}", *build], 1)
    print(f"paragraphs written:                 {len(paragraphs)}")
    print(f"bare python-docx script (median):   {t_bare * 1000:7.1f} ms")
    print(f"contractkit build (median):         {t_build * 1000:7.1f} ms")
    print(f"ratio build / bare:                 {t_build / t_bare:7.2f}x   (target <= 1.8x)")
    print(f"contractkit --help (median):        {t_help * 1000:7.1f} ms")
    print(f"build with an empty library cache:  {t_cold_cache * 1000:7.1f} ms   (once after the clause files change)")


if __name__ == "__main__":
    main()
