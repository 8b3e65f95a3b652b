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

documentation: contractkit docs (the answers format, the clause format, the pack tutorial)
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
internal), no tracked changes, no placeholders (●) left, no hidden, white-on-white or 1-pt text,
no names in the properties, no document variables, no custom properties beyond contractkit's
stamp; embedded objects are flagged for a check by hand. Exit 0 when it is, 1 with each finding
(part and place), 2 when the file cannot be read.

example:
  contractkit build deal.yaml -o deal.docx --clean && contractkit check deal.docx
"""

VERIFY_HELP = """\
Rebuild a draft from its answers file and compare every part: the stamp (contractkit version,
answers hash, clauses), body, headers, footers, comments, fields, styles, numbering, properties.
Exit 0 when they match, 1 with each part and place that differs.

examples:
  contractkit verify deal.docx deal.yaml
  contractkit verify deal.docx deal.yaml --reference-docx firm-template.dotx
"""

REDLINE_HELP = """\
Write the NEW draft with Word tracked changes against OLD: a redline to send in a negotiation
round. OLD and NEW are answers files, or drafts contractkit built (their answers file is found
beside them by the draft's stamp). Articles are compared by clause, not number: renumbering is no
change, an added or removed article is one insertion or deletion, a moved article a move;
inside a paragraph, words (English) or runs of kanji, kana and punctuation (Japanese). Accepting
every change gives NEW, rejecting every change OLD.

examples:
  contractkit redline round1.yaml round2.yaml -o round2-redline.docx
  contractkit redline round1.docx round2.yaml -o redline.docx --author "Acme Legal" --clean
"""

UPDATE_HELP = """\
After contractkit or a pack is upgraded: rebuild the draft from the same answers and write it
with Word tracked changes against the old draft, to show what the library change did. The old
draft's text is read from the .docx itself (its stamp names the contractkit version and clause
variants that made it); the report printed names each article that changed. A ja, en or ja+en
draft (side by side: both columns marked).

example:
  contractkit update deal.docx --answers deal.yaml -o deal-updated.docx
"""

REVIEW_HELP = """\
Read the draft the other side sent back (with tracked changes and comments, or a clean copy edited
without tracking) against our answers: for each article they changed, added or removed, the clause
and decision points behind it, and whether their text is another option's (exactly, or the closest
option with its similarity), whom it favours and whether our memo's fallback allows it; edits that
are no option's text are quoted as free edits, and their comments with the article they sit in.
With -o, the same as an internal report (.docx); with --answers-out, our answers with the
proposals we accept, so that `contractkit redline OURS.yaml NEW.yaml` is our counter-draft.

examples:
  contractkit review their-draft.docx --answers ours.yaml
  contractkit review their-draft.docx --answers ours.yaml -o review.docx --answers-out round3.yaml --accept derived-data
"""

PACKS_HELP = """\
Industry use-case packs add defaults, questions, definitions, clauses and guidance for one kind
of deal. A pack is a folder of YAML files (the tutorial: contractkit docs writing-packs); an
answers file uses one with `usecase: ID`. Packs are found in usecases/, in --pack-path folders
and in the folders of CONTRACTKIT_PACK_PATH.

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
  contractkit build deal.yaml -o deal.docx --pdf     # also deal.pdf, converted by LibreOffice
"""

DOCS_HELP = """\
The documentation installed with contractkit: where it is, and each document. Name one to print
it (e.g. contractkit docs answers-format).
"""


class UsageError(Exception):
    """A command line argparse cannot read, with what to do about it."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(_usage_message(self.prog, message))


def _usage_message(prog: str, message: str) -> str:
    import re

    from .schema import did_you_mean

    choice = re.match(r"argument ([^:]+): invalid choice: '(.*)' \(choose from (.*)\)$", message)
    if choice:
        what, word, valid = choice.groups()
        valid = [v.strip().strip("'") for v in valid.split(",")]
        kind = {"COMMAND": "command", "ACTION": f"action of '{prog}'"}.get(what, f"value of {what}")
        kind = ("an " if kind[0] in "aeiou" else "a ") + kind
        return (f"'{word}' is not {kind}{did_you_mean(word, valid)}; valid choices: {', '.join(valid)} "
                f"(see: {prog} --help)")
    lead = prog.removeprefix("contractkit").strip()
    lead = f"{lead}: " if lead else ""
    needs = re.match(r"argument ([^:]+): expected one argument$", message)
    if needs:
        return f"{lead}{needs.group(1)} needs a value (see: {prog} --help)"
    return f"{lead}{message} (see: {prog} --help)"


def _extras_message(prog: str, sub: argparse.ArgumentParser, extras: list[str]) -> str:
    """Arguments nothing took: the misspelt options (with did-you-mean), else the surplus ones. A
    misspelt option's value is then left over too; the option is the mistake, so only it is named."""
    from .schema import did_you_mean

    options = [o for action in sub._actions for o in action.option_strings]
    lead = prog.removeprefix("contractkit").strip() or "contractkit"
    unknown = [e for e in extras if e.startswith("-") and e != "-"]
    if unknown:
        where = f"{lead}: " if lead != "contractkit" else ""
        lines = [f"{where}unknown option '{o.split('=')[0]}'{did_you_mean(o.split('=')[0], options)}" for o in unknown]
        long_options = sorted({o for o in options if o.startswith("--")})
        return "\n".join(lines) + f"\n  options of {prog}: {', '.join(long_options)} (see: {prog} --help)"
    return (f"{lead}: unexpected argument{'s' if len(extras) > 1 else ''} {', '.join(repr(e) for e in extras)} "
            f"(see: {prog} --help)")


def _tracked_options(parser, author_help: str) -> None:
    """The options of a command that writes a draft with tracked changes (redline, update)."""
    parser.add_argument("--author", metavar="NAME", help=author_help)
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--clean", action="store_true", help="no guideline comments")
    parser.add_argument("--reference-docx", metavar="FILE", help="write it on the firm's own Word template (.docx or .dotx)")
    _draft_header_options(parser)


def _draft_header_options(sub: argparse.ArgumentParser, verify: bool = False) -> None:
    what = "the draft header the draft was built with" if verify else (
        'a "draft" header on every page: ドラフト VERSION（date） / Draft VERSION (date)')
    sub.add_argument("--draft-header", metavar="VERSION", help=what + ", e.g. --draft-header v2")
    sub.add_argument("--draft-date", metavar="YYYY-MM-DD", help="the date in the draft header (default: today)")


def _draft_header(args) -> tuple[str, str] | None:
    """(version, ISO date) from --draft-header and --draft-date, or None; bad values refused."""
    import datetime as dt
    import re

    from .errors import UserError
    from .markers import XML_INVALID

    version, day = getattr(args, "draft_header", None), getattr(args, "draft_date", None)
    if version is None:
        if day is not None:
            raise UserError("--draft-date is the date of a draft header: give the version too, e.g. "
                            "--draft-header v2 --draft-date 2026-12-01")
        return None
    version = version.strip()
    if not version or len(version) > 40 or re.search(f"[{XML_INVALID}\\s]", version.replace(" ", "")):
        raise UserError(f"--draft-header {args.draft_header!r}: give a short version on one line (at most 40 "
                        "characters), e.g. --draft-header v2")
    try:
        day = dt.date.fromisoformat(day).isoformat() if day is not None else dt.date.today().isoformat()
    except ValueError:
        raise UserError(f"--draft-date {args.draft_date}: not a date; write it as YYYY-MM-DD, e.g. 2026-12-01") from None
    return version, day


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="contractkit", description=MAIN_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
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
    build.add_argument("--memo-lang", choices=["ja", "en"], help="the memo's language for a bilingual (ja+en) draft "
                                                               "(default ja; a one-language draft's memo is in its language)")
    build.add_argument("--reference-docx", metavar="FILE", help="build on the firm's own Word template (.docx or .dotx): "
                       "its page setup, header, footer and styles are kept")
    build.add_argument("--pdf", action="store_true", help="also write a PDF of the draft beside it (DRAFT.pdf), "
                       "converted by LibreOffice; says so when LibreOffice is not installed")
    _draft_header_options(build)

    interview = commands.add_parser("interview", help="answer the guideline's questions in the terminal, then build",
                                    description=INTERVIEW_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    interview.add_argument("-o", "--output", metavar="DRAFT.docx", help="the draft to write at the end "
                           "(default: the answers file's name with .docx)")
    interview.add_argument("--answers", metavar="FILE", help="the answers file to write after every answer, or a "
                           "partial one to continue (default: answers.yaml)")
    interview.add_argument("--contract", metavar="TYPE", help="contract type (data-provision, data-creation, data-sharing, ai-nda, ai-poc, ai-development, ai-use, ai-service, ai-customization)")
    interview.add_argument("--usecase", metavar="ID", help="an industry use-case pack")
    interview.add_argument("--lang", choices=["ja", "en", "ja+en"], help="language of the draft (ja+en: side by side)")
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
    verify.add_argument("--reference-docx", metavar="FILE", help="the firm's template the draft was built on")
    _draft_header_options(verify, verify=True)

    redline = commands.add_parser("redline", help="NEW's draft with Word tracked changes against OLD's",
                                  description=REDLINE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    redline.add_argument("old", metavar="OLD", help="the earlier answers file (or a draft contractkit built)")
    redline.add_argument("new", metavar="NEW", help="the later answers file (or a draft contractkit built)")
    redline.add_argument("-o", "--output", metavar="REDLINE.docx", required=True, help="where to write the redline")
    _tracked_options(redline, "the changes' author (default: the name of the party whose side the answers take, "
                              "`perspective`; else contractkit)")
    update = commands.add_parser("update", help="rebuild after an upgrade, as a redline against the old draft",
                                 description=UPDATE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    update.add_argument("draft", metavar="DRAFT.docx", help="the old draft (as contractkit built it)")
    update.add_argument("--answers", metavar="A.yaml", required=True, help="the answers file it was built from")
    update.add_argument("-o", "--output", metavar="NEW.docx", required=True, help="where to write the updated draft")
    _tracked_options(update, "the changes' author (default: contractkit and its version)")

    review = commands.add_parser("review", help="the other side's changes read back as decision points",
                                 description=REVIEW_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("theirs", metavar="THEIRS.docx", help="the draft they sent back")
    review.add_argument("--answers", metavar="OURS.yaml", required=True, help="our answers file the draft was built from")
    review.add_argument("-o", "--output", metavar="REPORT.docx", help="also write the internal review report")
    review.add_argument("--answers-out", metavar="NEW.yaml", help="write our answers with the accepted proposals")
    review.add_argument("--accept", nargs="+", metavar="POINT", help="the proposals to accept (a point, or point.field)")
    review.add_argument("--accept-all", action="store_true", help="accept every recognised proposal")
    review.add_argument("--force", action="store_true", help="overwrite existing files")

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
    for sub in (build, interview, verify, redline, update, review, show, new, *[packs_commands.choices[n] for n in ("list", "validate", "test")]):
        sub.add_argument("--pack-path", action="append", default=[], metavar="DIR",
                         help="another folder of packs (also CONTRACTKIT_PACK_PATH)")
    docs = commands.add_parser("docs", help="where the installed documentation is, and each document",
                               description=DOCS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    docs.add_argument("name", nargs="?", metavar="NAME", help="print this document (e.g. answers-format)")
    parser.subcommands = {name: sub for name, sub in commands.choices.items()}
    parser.subcommands.update({f"packs {name}": sub for name, sub in packs_commands.choices.items()})
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:
            name = " ".join(n for n in (args.command, getattr(args, "packs_command", None)) if n)
            raise UsageError(_extras_message(f"contractkit {name}".strip(), parser.subcommands.get(name, parser), extras))
    except UsageError as exc:
        print(f"contractkit: {exc}", file=sys.stderr)
        return 2
    if args.command is None:
        parser.print_help()
        return 2
    from .errors import UserError

    try:
        if args.command == "docs":
            return _docs(args)
        if args.command == "build":
            return _build(args)
        if args.command == "interview":
            return _interview(args)
        if args.command == "packs":
            return _packs(args)
        if args.command in ("check", "verify"):
            return _check_or_verify(args)
        if args.command == "redline":
            return _redline(args)
        if args.command == "update":
            return _update(args)
        if args.command == "review":
            return _review(args)
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
        if args.pdf:
            raise UserError("--pdf converts one draft at a time: build the drafts with --batch, then each PDF with "
                            "contractkit build ANSWERS.yaml -o DRAFT.docx --pdf")
        if args.draft_header is not None:
            raise UserError("--draft-header marks one draft at a time: build it with "
                            "contractkit build ANSWERS.yaml -o DRAFT.docx --draft-header VERSION")
        return _batch(args)
    if not args.answers:
        raise UserError("build needs an answers file (or --batch DIR)")
    answers = Path(args.answers)
    output = Path(args.output) if args.output else Path(answers.stem + ".docx")
    pdf = program = None
    if args.pdf:
        from .build import check_target
        from .pdf import office

        program = office()                  # before anything is written
        pdf = output if output.suffix.lower() == ".pdf" else output.with_suffix(".pdf")
        output = output.with_suffix(".docx") if output.suffix.lower() == ".pdf" else output
        _docx_name("-o", output)
        check_target(pdf, args.force)
    else:
        _docx_name("-o", output)
    if args.memo:
        _docx_name("--memo", Path(args.memo))
    if args.memo_lang and not args.memo:
        raise UserError(f"--memo-lang {args.memo_lang} is the language of the memo; add --memo MEMO.docx")
    draft_header = _draft_header(args)
    result = build(answers, output, force=args.force, pack_path=args.pack_path, clean=args.clean,
                   memo=Path(args.memo) if args.memo else None, memo_lang=args.memo_lang,
                   reference=Path(args.reference_docx) if args.reference_docx else None,
                   draft_header=draft_header)
    print(f"wrote {result.output}: {result.title}, {result.articles} articles", flush=True)
    if pdf is not None:
        from .pdf import convert
        convert(result.output, pdf, program)
        print(f"wrote {pdf}: a PDF of the draft (converted by LibreOffice)", flush=True)
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


def _docx_name(option: str, path: Path) -> None:
    """Drafts and memos are Word files, so their names end in .docx: a draft.pdf that is really
    Word would open nowhere."""
    from .errors import UserError

    if path.suffix.lower() == ".docx":
        return
    if path.suffix.lower() == ".pdf" and option == "-o":
        raise UserError(f"{option} {path}: contractkit writes Word files, so the name must end in .docx; for a PDF "
                        f"as well, add --pdf (needs LibreOffice): contractkit build ANSWERS.yaml -o "
                        f"{path.with_suffix('.docx')} --pdf")
    raise UserError(f"{option} {path}: a Word file's name must end in .docx (e.g. {path.with_suffix('.docx').name})")


def _docs_dir() -> Path | None:
    """docs/ beside the package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parent
    for folder in (package / "_data" / "docs", package.parent / "docs"):
        if folder.is_dir() and any(folder.glob("*.md")):
            return folder
    return None


def _docs(args) -> int:
    from .errors import UserError

    folder = _docs_dir()
    if folder is None:
        raise UserError("contractkit's documentation is not installed with this copy; it is in the docs/ folder "
                        "of the source")
    found = {p.stem: p for p in sorted(folder.glob("*.md"))}
    if args.name:
        from .schema import did_you_mean
        name = args.name.removesuffix(".md")
        if name not in found:
            raise UserError(f"no document '{args.name}'{did_you_mean(name, found)}; documents: {', '.join(found)}")
        sys.stdout.write(found[name].read_text(encoding="utf-8"))
        return 0
    print(f"contractkit's documentation is in {folder}:")
    for name, path in found.items():
        title = next((line.lstrip("# ").strip() for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# ")), "")
        print(f"  {name:18} {path.name:22} {title}")
    print("print one with: contractkit docs NAME")
    examples = folder.parent / "examples"
    if examples.is_dir():
        print(f"example answers files, one for every contract type: {examples}")
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


def _redline(args) -> int:
    from .redline import CHANGED, DELETED, INSERTED, MOVED_TO, make_redline

    summary = make_redline(Path(args.old), Path(args.new), Path(args.output), author=args.author, clean=args.clean,
                           reference=Path(args.reference_docx) if args.reference_docx else None, force=args.force,
                           pack_path=args.pack_path, draft_header=_draft_header(args))
    counts = ", ".join(f"{len(summary[k])} {word}" for k, word in ((CHANGED, "changed"), (INSERTED, "added"),
                                                                    (DELETED, "removed"), (MOVED_TO, "moved")))
    print(f"{args.output}: redline of {args.new} against {args.old}: articles {counts}")
    return 0


def _update(args) -> int:
    from .update import make_update, report

    summary = make_update(Path(args.draft), Path(args.answers), Path(args.output), author=args.author,
                          clean=args.clean, reference=Path(args.reference_docx) if args.reference_docx else None,
                          force=args.force, pack_path=args.pack_path, draft_header=_draft_header(args))
    print(f"{args.output}: {args.answers} rebuilt, with tracked changes against {args.draft}")
    for line in report(summary):
        print(line)
    return 0


def _review(args) -> int:
    from .review import make_review, summary_lines

    result, accepted = make_review(Path(args.theirs), Path(args.answers), args.output, args.answers_out,
                                   accept=args.accept, accept_all=args.accept_all, force=args.force,
                                   pack_path=args.pack_path)
    m = {k: v[result.lang] for k, v in result.library.ui["messages"].items()}
    for line in summary_lines(result):
        print(line)
    if args.output:
        print(m["review_report"].format(file=args.output))
    if args.answers_out:
        print(m["review_accepted"].format(file=args.answers_out, points=" ".join(accepted), ours=args.answers))
    return 0


def _check_or_verify(args) -> int:
    from .checks import check_draft, verify_draft

    if args.command == "check":
        findings = check_draft(Path(args.draft))
        for finding in findings:
            print(f"{args.draft}: {finding}")
        print(f"{args.draft}: {'not ready to send' if findings else 'ready to send'}")
        return 1 if findings else 0
    differences = verify_draft(Path(args.draft), Path(args.answers), pack_path=args.pack_path,
                               reference=Path(args.reference_docx) if args.reference_docx else None,
                               draft_header=_draft_header(args))
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

    if args.output:
        _docx_name("-o", Path(args.output))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("the interview needs a terminal to ask its questions; without one, write an answers file "
                        "(see examples/) and run: contractkit build ANSWERS.yaml -o DRAFT.docx")
    answers = Path(args.answers or "answers.yaml")
    if args.resume and not answers.exists():
        raise UserError(f"{answers}: nothing to resume (no such file); start with: contractkit interview --answers {answers}")
    if answers.exists() and not (args.resume or args.answers):
        raise UserError(f"{answers} already exists: continue it with --resume, or start another with --answers NEW.yaml")
    from .answers_file import AnswersDocument
    from .interview import Interview
    from .library import load_library
    from .prompts import Terminal

    doc = AnswersDocument(answers)
    kept = doc.resolved_settings()   # -o, --ui, --pack-path of the run that wrote the file
    output = Path(args.output) if args.output else kept.get("output") or answers.with_suffix(".docx")
    args.ui = args.ui or kept.get("ui")
    args.pack_path = args.pack_path or kept.get("pack_path", [])
    doc.keep_settings(output if (args.output or "output" in kept) else None, args.ui, args.pack_path)
    library = load_library()
    from .schema import did_you_mean
    if args.contract and args.contract not in library.templates:
        raise UserError(f"--contract: '{args.contract}' is not a contract type{did_you_mean(args.contract, library.templates)}; "
                        f"valid choices: {', '.join(library.templates)}")
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
        if answers.exists() and doc.settings_line():
            print(session.msg("resume_keeps", options=doc.settings_line().split(":", 1)[1].strip()), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
