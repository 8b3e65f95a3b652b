"""The pack articles follow the rule model: where a pack article narrows what a base article allows
(a withdrawn member's or resident's data, the user's production know-how), it declares so in its
rules and its text says which article it prevails over; the survival article lists the pack
articles that keep applying after the end. Each test builds a real draft from a pack example with
the answers that used to contradict, and reads the Word file back."""
import shutil

import docx
import pytest
from ruamel.yaml import YAML

from conftest import ROOT, articles_text, dump_yaml

USECASES = ROOT / "usecases"


def example(pack: str, name: str, **answers) -> dict:
    data = YAML(typ="safe").load((USECASES / pack / "examples" / name).read_text(encoding="utf-8"))
    data.pop("from", None)
    data["answers"].update(answers)
    return data


def build_draft(tmp_path, data: dict, library=None):
    """Build the Word file; (its paragraphs as Word shows them, the assembled draft)."""
    from conftest import assemble_dict
    from contractkit.build import build
    from contractkit.library import load_library
    from contractkit.packs import find_packs
    answers = tmp_path / "answers.yaml"
    answers.write_text(dump_yaml(data), encoding="utf-8")
    result = build(answers, tmp_path / "draft.docx", force=True, library=library)
    library = library or load_library(packs=[find_packs()[data["usecase"]]])
    return [p.text for p in docx.Document(str(result.output)).paragraphs], assemble_dict(library, data)


def number(draft, clause_id: str) -> str:
    """第８条 / Article 8: how a reference to that article reads."""
    n = next(i + 1 for i, a in enumerate(draft.articles) if a.clause_id == clause_id)
    return f"第{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" if draft.lang == "ja" else f"Article {n}"


def article(paragraphs: list[str], draft, clause_id: str) -> list[str]:
    """The paragraphs of that article in the Word file (each of its paragraphs, found by its text)."""
    from contractkit.assemble import Ref
    found = []
    for p in next(a for a in draft.articles if a.clause_id == clause_id).paragraphs:
        text = "".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in p.segments)
        assert text in paragraphs, text
        found.append(text)
    return found


def targets(draft, clause_id: str) -> set[str]:
    from contractkit.assemble import Ref
    a = next(a for a in draft.articles if a.clause_id == clause_id)
    return {s.target for p in a.paragraphs for segs in [p.segments, *p.items] for s in segs if isinstance(s, Ref)}


def survivors_of(draft) -> list[str]:
    from conftest import survivors
    return survivors(draft)


# 1. A withdrawn member's derived data is deleted even where the derived-data article lets the
#    recipient use it freely and the end-of-contract article lets it keep derived data.
def test_withdrawal_deletes_derived_data_notwithstanding_the_derived_data_and_end_articles(tmp_path):
    data = example("e-receipt-data", "data-provision-ja.yaml", **{
        "er-opt-out": "delete", "derived-data": "recipient-free", "after-termination": "keep-derived"})
    paragraphs, draft = build_draft(tmp_path, data)
    withdrawal = article(paragraphs, draft, "er-opt-out")
    said = f"{number(draft, 'derived-data')}及び{number(draft, 'after-termination')}の規定にかかわらず、通知を受けた日から10営業日以内に"
    assert any(said in p and "派生データを削除し" in p for p in withdrawal), withdrawal
    assert {"derived-data", "after-termination"} <= targets(draft, "er-opt-out")
    assert "er-opt-out" in survivors_of(draft)      # derived data kept after the end is still deleted on withdrawal


# 2. After a transfer the data is the recipient's own: the withdrawal article says it prevails over
#    the transfer article (the derived-data and end-of-contract articles are not in the draft).
def test_withdrawal_after_a_transfer_prevails_over_the_transfer_article(tmp_path):
    data = example("e-receipt-data", "data-provision-en.yaml", **{"er-opt-out": "delete", "provision-form": "transfer"})
    paragraphs, draft = build_draft(tmp_path, data)
    withdrawal = article(paragraphs, draft, "er-opt-out")
    assert any(p.startswith(f"Notwithstanding {articles_text(draft, 'provision-form', 'transfer-end')}, on receiving notice of a Withdrawal")
               for p in withdrawal), withdrawal
    assert "er-opt-out" in survivors_of(draft)


# 3. Statistics only after a withdrawal, even where the processing article allows use beyond the Purpose.
def test_statistics_only_after_withdrawal_prevails_over_free_processing(tmp_path):
    data = example("e-receipt-data", "data-provision-ja.yaml", **{"er-opt-out": "aggregate-only", "processing": "allowed"})
    paragraphs, draft = build_draft(tmp_path, data)
    withdrawal = article(paragraphs, draft, "er-opt-out")
    assert any(f"その後は、{number(draft, 'processing')}の規定にかかわらず、既に提供を受けた" in p for p in withdrawal), withdrawal


# 4. A resident's withdrawal stops training on the resident's data and images, notwithstanding
#    pooled learning and the images kept for learning.
def test_residents_withdrawal_stops_training_notwithstanding_pooled_learning_and_kept_images(tmp_path):
    data = example("care-pose-estimation", "ai-use-retain-ja.yaml", **{"care-consent": "written-with-withdrawal"})
    assert data["answers"]["care-image-handling"] == "retain-for-learning"
    paragraphs, draft = build_draft(tmp_path, data)
    line = next(p for p in article(paragraphs, draft, "care-consent") if "当該通知を受けた後は" in p)
    assert "当該居住者に係る入力データ及び居住者画像を学習に用いてはならず" in line, line
    overridden = ["use-input-data", "use-additional-learning", "care-images", "personal-data"]
    assert all(number(draft, c) in line for c in overridden), line
    assert set(overridden) <= targets(draft, "care-consent")
    assert "care-consent" in survivors_of(draft)


# 5. Know-how kept as confidential information may not reach third parties through derived data that
#    the derived-data article lets the maker pass on freely: the article now says it prevails.
def test_know_how_as_confidential_information_prevails_over_free_derived_data(tmp_path):
    data = example("machine-tool-operating-data", "data-provision-en.yaml", **{
        "mt-know-how": "confidential-treatment", "derived-data": "recipient-free"})
    paragraphs, draft = build_draft(tmp_path, data)
    assert f"This Article prevails over {number(draft, 'derived-data')}." in article(paragraphs, draft, "mt-know-how")
    assert "mt-know-how" in survivors_of(draft)


# The declarations are live: a pack whose withdrawal article no longer says it prevails is refused,
# naming both articles.
def test_a_pack_article_that_drops_its_precedence_is_refused_naming_both_articles(tmp_path):
    from contractkit.errors import BuildError, UserError
    from contractkit.library import load_library
    pack = tmp_path / "e-receipt-data"
    shutil.copytree(USECASES / "e-receipt-data", pack)
    clause = pack / "clauses" / "er-opt-out.yaml"
    text = clause.read_text(encoding="utf-8")
    assert text.count("    overrides: [derived-data, after-termination]\n") == 1
    clause.write_text(text.replace("    overrides: [derived-data, after-termination]\n", ""), encoding="utf-8")
    library = load_library(packs=[pack])
    data = example("e-receipt-data", "data-provision-ja.yaml", **{"er-opt-out": "delete", "derived-data": "recipient-free"})
    with pytest.raises((UserError, BuildError)) as caught:
        build_draft(tmp_path, data, library=library)
    message = str(caught.value) + " ".join(str(p) for p in getattr(caught.value, "lines", None) or [])
    # in the answers' language (ja), by the draft's own headings
    assert "二つの条項が矛盾している" in message and "'er-opt-out'（同意の撤回及び配信停止" in message and "'derived-data'" in message, message
