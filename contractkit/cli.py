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

INTERVIEW_HELP = """\
Answer the guideline's decision points in the terminal. Each question explains what the
guideline says and whom each option favours; the answers file is saved after every answer, so
Ctrl-C loses nothing. At the end you review every answer, change any of them, and build.

examples:
  contractkit interview -o draft.docx
  contractkit interview --contract data-provision --lang ja --answers deal.yaml -o deal.docx
  contractkit interview --answers deal.yaml --resume
  contractkit interview --contract ai-poc --from nda.yaml --answers poc.yaml -o poc.docx
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

    interview = commands.add_parser("interview", help="answer the guideline's questions in the terminal, then build",
                                    description=INTERVIEW_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    interview.add_argument("-o", "--output", metavar="DRAFT.docx", help="the draft to write at the end "
                           "(default: the answers file's name with .docx)")
    interview.add_argument("--answers", metavar="FILE", help="the answers file to write after every answer, or a "
                           "partial one to continue (default: answers.yaml)")
    interview.add_argument("--contract", metavar="TYPE", help="contract type (data-provision, data-creation, data-sharing, ai-nda, ai-poc, ai-development, ai-use)")
    interview.add_argument("--usecase", metavar="ID", help="an industry use-case pack")
    interview.add_argument("--lang", choices=["ja", "en"], help="language of the draft")
    interview.add_argument("--ui", choices=["ja", "en"], help="language of the questions (default: from the locale)")
    interview.add_argument("--from", dest="from_stage", metavar="EARLIER.yaml",
                           help="start from an earlier stage's answers (e.g. the NDA's for a PoC): parties, "
                                "purpose, data and every answer that means the same are taken over")
    interview.add_argument("--resume", action="store_true", help="continue an interrupted interview")
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
        if args.command == "interview":
            return _interview(args)
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


def _ui_language(choice: str | None) -> str:
    import os
    if choice:
        return choice
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def _interview(args) -> int:
    from .errors import UserError

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("the interview needs a terminal to ask its questions; without one, write an answers file "
                        "(see examples/) and run: contractkit build ANSWERS.yaml -o DRAFT.docx")
    answers = Path(args.answers or "answers.yaml")
    if args.resume and not answers.exists():
        raise UserError(f"{answers}: nothing to resume (no such file); start with: contractkit interview --answers {answers}")
    if answers.exists() and not (args.resume or args.answers):
        raise UserError(f"{answers} already exists: continue it with --resume, or start another with --answers NEW.yaml")
    output = Path(args.output) if args.output else answers.with_suffix(".docx")

    from .answers_file import AnswersDocument
    from .interview import Interview
    from .library import load_library
    from .prompts import Terminal

    library = load_library()
    from .schema import did_you_mean
    if args.contract and args.contract not in library.templates:
        raise UserError(f"--contract: '{args.contract}' is not a contract type{did_you_mean(args.contract, library.templates)}; "
                        f"valid choices: {', '.join(library.templates)}")
    doc = AnswersDocument(answers)
    if args.from_stage:
        import os
        earlier = Path(args.from_stage)
        if not earlier.is_file():
            raise UserError(f"--from: {earlier}: no such file")
        if not args.contract and not doc.get("contract"):
            raise UserError("--from needs --contract: the type of the next stage (e.g. --contract ai-poc)")
        doc.set("from", os.path.relpath(earlier.resolve(), answers.resolve().parent))
    session = Interview(library, doc, Terminal(), _ui_language(args.ui), output,
                        {"contract": args.contract, "usecase": args.usecase, "lang": args.lang})
    try:
        return session.run()
    except (KeyboardInterrupt, EOFError):
        print("\n" + (session.msg("saved", file=answers) if answers.exists() else session.msg("not_built")), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
