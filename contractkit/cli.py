"""The command line: parses arguments, prints, sets exit codes. Nothing else."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

MAIN_HELP = """\
contractkit drafts data and AI contracts following METI's Contract Guidelines on Utilization
of AI and Data (AI・データの利用に関する契約ガイドライン). Write the decisions of a deal in an
answers file (YAML), and build a Word draft to negotiate from.

example:
  contractkit build examples/data-provision-ja.yaml -o draft.docx

exit codes: 0 ok, 1 build error, 2 usage or input error
"""

BUILD_HELP = """\
Build a Word draft from an answers file. The file names the contract type, language, parties
and the answers to the guideline's decision points; points left out take the guideline's usual
position, and a point with no default is reported as missing. Nothing is written on error, and
an existing file is never touched without --force.

examples:
  contractkit build examples/data-provision-ja.yaml -o draft.docx
  contractkit build deal.yaml -o deal.docx --force
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contractkit", description=MAIN_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"contractkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build a Word draft from an answers file", description=BUILD_HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("answers", metavar="ANSWERS.yaml", help="the answers file")
    build.add_argument("-o", "--output", metavar="DRAFT.docx",
                       help="where to write the draft (default: the answers file's name with .docx, here)")
    build.add_argument("--force", action="store_true", help="overwrite an existing draft")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from .errors import UserError

    try:
        if args.command == "build":
            return _build(args)
    except UserError as exc:
        print(f"contractkit: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("contractkit: interrupted; nothing was written", file=sys.stderr)
        return 130
    return 2


def _build(args) -> int:
    from .build import build

    answers = Path(args.answers)
    output = Path(args.output) if args.output else Path(answers.stem + ".docx")
    result = build(answers, output, force=args.force)
    print(f"wrote {result.output}: {result.title}, {result.articles} articles", flush=True)
    for warning in result.warnings:
        where = f" [{warning['point']}]" if warning["point"] else ""
        print(f"warning{where}: {warning['text'][result.lang]}", file=sys.stderr)
    if result.placeholders:
        print(f"placeholders left ({len(result.placeholders)}): fill them in before sending")
        for path, where in result.placeholders:
            print(f"  ● {path}  ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
