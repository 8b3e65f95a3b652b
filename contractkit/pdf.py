"""`build --pdf`: a PDF of the Word draft, converted by LibreOffice when it is installed."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import BuildError, UserError

TIMEOUT_SECONDS = 300
MISSING = ("--pdf needs LibreOffice (the soffice program), which is not installed here: install it "
           "(Debian/Ubuntu: apt install libreoffice-writer-nogui), or build the .docx without --pdf "
           "and save it as PDF from Word")


def office() -> str:
    """The LibreOffice program, or the UserError saying it is missing."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise UserError(MISSING)


def convert(docx: Path, pdf: Path, program: str) -> None:
    """Write `pdf` from `docx`; the PDF appears whole (converted beside it, then renamed) or not at all."""
    import tempfile

    work = Path(tempfile.mkdtemp(prefix=f".{pdf.name}.", dir=pdf.parent))
    try:
        try:
            proc = subprocess.run([program, f"-env:UserInstallation={(work.resolve() / 'profile').as_uri()}", "--headless",
                                   "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                                  capture_output=True, text=True, timeout=TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BuildError(f"{pdf}: LibreOffice did not finish the PDF within {TIMEOUT_SECONDS} s; "
                             f"the Word draft {docx} is written") from None
        except OSError as exc:
            raise BuildError(f"{pdf}: LibreOffice could not be started ({exc.strerror}); "
                             f"the Word draft {docx} is written") from None
        made = work / (docx.stem + ".pdf")
        if proc.returncode != 0 or not made.is_file():
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BuildError(f"{pdf}: LibreOffice could not convert the draft ({detail[0]}); "
                             f"the Word draft {docx} is written")
        os.replace(made, pdf)
    finally:
        shutil.rmtree(work, ignore_errors=True)
