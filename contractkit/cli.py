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

CHECK_HELP = """\
Check that a draft is safe to send to the other side: no comments (the guideline notes are
internal), no tracked changes, no placeholders (●) left, no hidden text, and no custom
properties beyond contractkit's stamp. Exit 0 when it is, 1 with each finding.

example:
  contractkit build deal.yaml -o deal.docx --clean && contractkit check deal.docx
"""

VERIFY_HELP = """\
Rebuild a draft from its answers file and compare: the stamp (contractkit version, answers hash,
clauses) and the text. Exit 0 when they match, 1 with what differs.

example:
  contractkit verify deal.docx deal.yaml
"""

PACKS_HELP = """\
Industry use-case packs add defaults, questions, definitions, clauses and guidance for one kind
of deal. A pack is a folder of YAML files (see docs/writing-packs.md); an answers file uses one
with `usecase: ID`. Packs are found in usecases/, in --pack-path folders and in the folders of
CONTRACTKIT_PACK_PATH.

examples:
  contractkit packs list
  contractkit packs show machine-tool-operating-data
  contractkit packs new cold-chain-logistics --contract data-provision --dir my-packs
  contractkit packs validate my-packs/cold-chain-logistics
  contractkit packs test my-packs/cold-chain-logistics
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
    build.add_argument("answers", metavar="ANSWERS.yaml", nargs="?", help="the answers file")
    build.add_argument("--batch", metavar="DIR", help="build every answers file in DIR (one process); -o names the output folder")
    build.add_argument("-o", "--output", metavar="DRAFT.docx",
                       help="where to write the draft (default: the answers file's name with .docx, here)")
    build.add_argument("--force", action="store_true", help="overwrite an existing draft")
    build.add_argument("--clean", action="store_true", help="no guideline comments (a draft to send to the other side)")
    build.add_argument("--memo", metavar="MEMO.docx", help="also write the internal negotiation memo")
    build.add_argument("--reference-docx", metavar="FILE", help="build on the firm's own Word template (.docx or .dotx): "
                       "its page setup, header, footer and styles are kept")

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

    check = commands.add_parser("check", help="is a draft safe to send to the other side?",
                                description=CHECK_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("draft", metavar="DRAFT.docx")
    verify = commands.add_parser("verify", help="was a draft built from these answers, unchanged?",
                                 description=VERIFY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify.add_argument("draft", metavar="DRAFT.docx")
    verify.add_argument("answers", metavar="ANSWERS.yaml")

    packs = commands.add_parser("packs", help="list, show, scaffold, validate and test use-case packs",
                                description=PACKS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    packs_commands = packs.add_subparsers(dest="packs_command", metavar="ACTION")
    packs_commands.add_parser("list", help="the packs found, where from, their contract types")
    show = packs_commands.add_parser("show", help="what a pack sets and adds")
    show.add_argument("pack_id", metavar="ID")
    show.add_argument("--ui", choices=["ja", "en"], help="language (default: from the locale)")
    new = packs_commands.add_parser("new", help="scaffold a pack that validates and builds at once")
    new.add_argument("pack_id", metavar="ID")
    new.add_argument("--contract", default="data-provision", metavar="TYPE", help="its contract type (default data-provision)")
    new.add_argument("--dir", default=".", metavar="DIR", help="where to create the pack's folder (default: here)")
    for name, text in (("validate", "check a pack's files: schema, templates, names, references"),
                       ("test", "build every example of a pack and check what it must say")):
        action = packs_commands.add_parser(name, help=text)
        action.add_argument("path", nargs="?", metavar="PATH", help="a pack's folder, or a folder of packs (default: all found)")
    for sub in (build, interview, show, new, *[packs_commands.choices[n] for n in ("list", "validate", "test")]):
        sub.add_argument("--pack-path", action="append", default=[], metavar="DIR",
                         help="another folder of packs (also CONTRACTKIT_PACK_PATH)")
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
        if args.command == "packs":
            return _packs(args)
        if args.command in ("check", "verify"):
            return _check_or_verify(args)
    except UserError as exc:
        print(f"contractkit: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("contractkit: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`contractkit packs list | head`): stop quietly, as other tools do
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:           # (MemoryError and RecursionError too) the last resort: one line
        return _internal_error(exc)
    return 2


def _internal_error(exc: BaseException) -> int:
    import os
    if os.environ.get("CONTRACTKIT_DEBUG"):
        import traceback
        traceback.print_exception(exc, file=sys.stderr)
    text = " ".join(str(exc).split())[:300] or ("out of memory" if isinstance(exc, MemoryError) else "(no message)")
    print(f"contractkit: internal error: {type(exc).__name__}: {text} — rerun with CONTRACTKIT_DEBUG=1 for the "
          "traceback and report it", file=sys.stderr)
    return 1


def _build(args) -> int:
    from .build import build
    from .errors import UserError

    if args.batch:
        return _batch(args)
    if not args.answers:
        raise UserError("build needs an answers file (or --batch DIR)")
    answers = Path(args.answers)
    output = Path(args.output) if args.output else Path(answers.stem + ".docx")
    result = build(answers, output, force=args.force, pack_path=args.pack_path, clean=args.clean,
                   memo=Path(args.memo) if args.memo else None,
                   reference=Path(args.reference_docx) if args.reference_docx else None)
    print(f"wrote {result.output}: {result.title}, {result.articles} articles", flush=True)
    if args.memo:
        print(f"wrote {args.memo}: the negotiation memo (internal: never send it to the other side)", flush=True)
    for warning in result.warnings:
        where = f" [{warning['point']}]" if warning["point"] else ""
        print(f"warning{where}: {warning['text'][result.lang]}", file=sys.stderr)
    if result.placeholders:
        print(f"placeholders left ({len(result.placeholders)}): fill them in before sending")
        for path, where in result.placeholders:
            print(f"  ● {path}  ({where})")
    return 0


def _batch(args) -> int:
    from .build import build_batch
    from .errors import UserError

    if not args.output:
        raise UserError("--batch needs -o OUTDIR, the folder for the drafts")
    show = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if show:
            width = 30
            filled = width * done // max(total, 1)
            print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:40}", end="", file=sys.stderr, flush=True)

    results, failures = build_batch(Path(args.batch), Path(args.output), force=args.force, pack_path=args.pack_path,
                                    clean=args.clean, progress=progress)
    if show:
        print(file=sys.stderr)
    print(f"wrote {len(results)} drafts to {args.output}")
    for name, message in failures:
        print(f"contractkit: {message}", file=sys.stderr)
    return 1 if failures else 0


def _check_or_verify(args) -> int:
    from .checks import check_draft, verify_draft

    if args.command == "check":
        findings = check_draft(Path(args.draft))
        for finding in findings:
            print(f"{args.draft}: {finding}")
        print(f"{args.draft}: {'not ready to send' if findings else 'ready to send'}")
        return 1 if findings else 0
    differences = verify_draft(Path(args.draft), Path(args.answers))
    for difference in differences:
        print(f"{args.draft}: {difference}")
    print(f"{args.draft}: {'differs from' if differences else 'matches'} {args.answers}")
    return 1 if differences else 0


def _packs(args) -> int:
    from . import packs
    from .errors import UserError
    from .library import load_library

    if args.packs_command is None:
        print(PACKS_HELP)
        return 2
    if args.packs_command == "list":
        found = packs.find_packs(args.pack_path)
        for pack_id, folder in found.items():
            try:
                contracts = ", ".join(load_library(packs=[folder]).packs[pack_id]["contracts"])
            except UserError:
                contracts = "(does not validate: run contractkit packs validate)"
            print(f"{pack_id:32} {contracts:40} {folder}")
        if not found:
            print("no packs found")
        return 0
    if args.packs_command == "show":
        library = load_library(packs=[packs.find_pack(args.pack_id, args.pack_path)])
        print("\n".join(packs.describe_pack(library, args.pack_id, _ui_language(args.ui))))
        return 0
    if args.packs_command == "new":
        target = packs.new_pack(args.pack_id, args.contract, Path(args.dir), load_library())
        print(f"created {target}: edit its files, then run\n  contractkit packs validate {target}\n  contractkit packs test {target}")
        return 0
    folders = packs.pack_folders(Path(args.path) if args.path else None, args.pack_path)
    failed = False
    for folder in folders:
        try:
            library = packs.validate_pack(folder)
        except UserError as exc:
            failed = True
            print(f"{folder}: INVALID\n{exc}", file=sys.stderr)
            continue
        if args.packs_command == "validate":
            print(f"{folder}: ok")
            continue
        report = packs.test_pack(folder, library)
        for example in report["examples"]:
            status = "ok" if not example["failures"] else "FAILED"
            print(f"{example['file']}: {status}")
            for failure in example["failures"]:
                print(f"  {failure}")
            failed = failed or bool(example["failures"])
        if report["unreached"]:
            print(f"{folder}: no example reaches: {', '.join(report['unreached'])}")
    return 1 if failed else 0


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
                        {"contract": args.contract, "usecase": args.usecase, "lang": args.lang,
                         "pack_path": args.pack_path})
    try:
        return session.run()
    except (KeyboardInterrupt, EOFError):
        print("\n" + (session.msg("saved", file=answers) if answers.exists() else session.msg("not_built")), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
