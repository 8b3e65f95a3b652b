"""A redline against one build, in one run (the library loaded once, as for a batch):

  redline   `make_redline` of two 26-article ai-nda drafts differing in three points (both
            resolved and assembled, compared, written with tracked changes)
  build     one `build` of the NEW answers file                           target: redline <= 3x build

and, where it is installed (`--python-redlines VENV_PYTHON`), python-redlines (Docxodus engine)
comparing the two built drafts: its time, its output's size, its changes. Run:
python3 bench/bench_redline.py [--runs N] [--python-redlines /tmp/venv/bin/python]."""
from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "ai-nda-ja.yaml"

PYTHON_REDLINES = r"""
import sys, time
from python_redlines.engines import XmlPowerToolsEngine
try:
    from python_redlines.engines import DocxodusEngine as Engine
except ImportError:
    Engine = XmlPowerToolsEngine
old, new, out = sys.argv[1:4]
engine = Engine()
started = time.perf_counter()
result = engine.run_redline("bench", open(old, "rb").read(), open(new, "rb").read())
took = time.perf_counter() - started
data = result[0] if isinstance(result, tuple) else result
open(out, "wb").write(data)
print(Engine.__name__, took)
"""


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def changes(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    return {tag: xml.count(f"<w:{tag} ") for tag in ("ins", "del", "moveFrom", "moveTo")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python-redlines", metavar="PYTHON", help="a python with python-redlines installed")
    args = parser.parse_args()
    from ruamel.yaml import YAML

    from contractkit.build import build
    from contractkit.library import build_library, data_root
    from contractkit.redline import make_redline

    library = build_library(data_root())
    yaml = YAML()
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-redline-"))
    old, new = tmp / "old.yaml", tmp / "new.yaml"
    with old.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    changed = copy.deepcopy(data)
    changed["answers"]["nda-direction"] = "user-discloses"
    changed["answers"]["secret-definition"] = "all-disclosed"
    changed["answers"]["confidentiality"] = {"survival_years": 5}
    with new.open("w", encoding="utf-8") as fh:
        yaml.dump(changed, fh)
    build(old, tmp / "old.docx", library=library, force=True)
    build(new, tmp / "new.docx", library=library, force=True)
    one_build = median_time(lambda: build(new, tmp / "b.docx", library=library, force=True), args.runs)
    redline = median_time(lambda: make_redline(old, new, tmp / "r.docx", force=True, library=library), args.runs)
    summary = make_redline(old, new, tmp / "r.docx", force=True, library=library)
    with zipfile.ZipFile(tmp / "new.docx") as z:
        articles = z.read("word/document.xml").decode().count('w:val="ckArticle"')
    result = {"articles": articles, "build_s": round(one_build, 4), "redline_s": round(redline, 4), "ratio": round(redline / one_build, 2),
              "redline_kb": round((tmp / "r.docx").stat().st_size / 1024, 1), "changes": changes(tmp / "r.docx"),
              "articles_changed": {k: len(v) for k, v in summary.items()}}
    if args.python_redlines:
        done = subprocess.run([args.python_redlines, "-c", PYTHON_REDLINES, str(tmp / "old.docx"), str(tmp / "new.docx"),
                               str(tmp / "pr.docx")], capture_output=True, text=True)
        if done.returncode == 0:
            engine, took = done.stdout.split()
            result["python_redlines"] = {"engine": engine, "s": round(float(took), 3),
                                         "kb": round((tmp / "pr.docx").stat().st_size / 1024, 1),
                                         "changes": changes(tmp / "pr.docx")}
        else:
            result["python_redlines"] = {"error": done.stderr.strip().splitlines()[-1:]}
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
