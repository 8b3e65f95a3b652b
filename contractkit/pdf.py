"""`build --pdf`: a PDF of the Word draft, converted by LibreOffice when it is installed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
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


# A bare article number (an item of "Articles 8, 12 and 15") is a REF field with \\t, which Word
# honours and LibreOffice does not: LibreOffice recomputes every REF field when it opens a file and
# would print "Articles Article 8, Article 12 …". A PDF is a snapshot, so the copy LibreOffice
# converts has those fields replaced by their result, which contractkit cached right.
_RUN = r'<w:r>(?:(?!</w:r>).)*?'
BARE_REF = re.compile(_RUN + r'<w:fldChar w:fldCharType="begin"/></w:r>' + _RUN
                      + r'<w:instrText xml:space="preserve"> REF \w+ \\n \\t \\h </w:instrText></w:r>' + _RUN
                      + r'<w:fldChar w:fldCharType="separate"/></w:r>(.*?)' + _RUN + r'<w:fldChar w:fldCharType="end"/></w:r>',
                      re.S)


def frozen_copy(docx: Path, target: Path) -> None:
    """`docx` written to `target` with each bare-number REF field replaced by its cached result."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = BARE_REF.sub(lambda m: m.group(1), data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)


def convert(docx: Path, pdf: Path, program: str) -> None:
    """Write `pdf` from `docx`; the PDF appears whole (converted beside it, then renamed) or not at all."""
    import tempfile

    work = Path(tempfile.mkdtemp(prefix=f".{pdf.name}.", dir=pdf.parent))
    try:
        source = work / "in" / docx.name
        source.parent.mkdir()
        frozen_copy(docx, source)
        try:
            proc = subprocess.run([program, f"-env:UserInstallation={(work.resolve() / 'profile').as_uri()}", "--headless",
                                   "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(source)],
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
