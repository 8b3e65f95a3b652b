"""Time from starting `contractkit interview` to its first question, in a pseudo-terminal.
Target: <= 300 ms. Run: python3 bench/bench_interview.py [--runs N]."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs + 1):
            started = time.perf_counter()
            child = pexpect.spawn(sys.executable, ["-m", "contractkit", "interview", "--ui", "en",
                                                   "--answers", f"a{i}.yaml"], cwd=tmp, env=env, timeout=10)
            child.expect("Which contract are you drafting")
            elapsed = time.perf_counter() - started
            child.sendintr()
            child.expect(pexpect.EOF)
            if i:  # the first run warms the library cache
                times.append(elapsed)
    print(f"time to the first question (median of {args.runs}): {statistics.median(times) * 1000:.0f} ms"
          f"   (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; target <= 300 ms)")


if __name__ == "__main__":
    main()
