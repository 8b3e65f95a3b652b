"""Look at the draft as its reader will: LibreOffice computes the numbers and fields Word shows."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

RENDER = ROOT.parent / "shared" / "tools" / "render.sh"
FONTS_CONF = ROOT / "tests" / "fonts-ja.conf"
needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs it)")
pytestmark = pytest.mark.xdist_group("render-pdf")     # one worker converts the drafts of `rendered` once


def to_pdf(docx: Path, outdir: Path, *more: Path, profile: Path | None = None) -> Path:
    """The PDF of `docx` (and of `more`, converted in the same soffice run) in `outdir`."""
    profile = profile or outdir / "lo-profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    subprocess.run(["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(docx), *map(str, more)],
                   check=True, capture_output=True, env=env, timeout=300)
    for made in (docx, *more):
        assert (outdir / (made.stem + ".pdf")).exists(), made
    return outdir / (docx.stem + ".pdf")


RENDERED = ["data-provision-ja.yaml", "ai-development-ja.yaml", "data-sharing-en.yaml", "data-provision-bilingual.yaml"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, library, office_profile):
    """The drafts of these examples built, and all converted in one soffice run: name → (build result, PDF)."""
    from contractkit.build import build
    out = tmp_path_factory.mktemp("rendered")
    results = {name: build(EXAMPLES / name, out / (Path(name).stem + ".docx"), library=library) for name in RENDERED}
    outputs = [r.output for r in results.values()]
    to_pdf(outputs[0], out, *outputs[1:], profile=office_profile)
    return {name: (r, out / (r.output.stem + ".pdf")) for name, r in results.items()}


@needs_office
@pytest.mark.parametrize("example", ["data-provision-ja.yaml", "ai-development-ja.yaml", "data-sharing-en.yaml"])
def test_libreoffice_shows_numbers_references_and_a_cjk_face(rendered, example):
    result, pdf = rendered[example]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    if example.endswith("-ja.yaml"):
        assert "第１条" in text and "第２条" in text and f"第{str(result.articles).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" in text
        assert re.search(r"\n\s*２\s", text), "the second paragraph of an article is numbered ２"
        assert "（１）" in text
        assert "IPAMincho" in fonts or "IPAexMincho" in fonts
    else:
        assert "Article 1" in text and f"Article {result.articles}" in text
        assert "[●]" in text  # the operator's liability cap is still open in this example


@needs_office
def test_bilingual_draft_shows_both_languages_side_by_side(rendered):
    result, pdf = rendered["data-provision-bilingual.yaml"]
    assert "prevailing-language:ja" in result.stamp
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "データ提供契約書" in text and "Data Provision Agreement" in text
    assert re.search(r"第１条（目的）\s+Article 1\s+Purpose", text)
    assert "（正文）" in text and "本契約が優先する" in text and "Japanese version prevails;" in text
    assert "IPAMincho" in fonts or "IPAexMincho" in fonts
