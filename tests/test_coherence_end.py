"""Issue 10, what applies after the end: what ending or terminating a transfer does to the data
already transferred, the articles that still bind a party while it holds the data, and the
survival article of every shipped example, read back from the built Word drafts."""
from pathlib import Path

import pytest
from lxml import etree

from conftest import EXAMPLES, W, assemble_dict, docx_xml, dump_yaml, load_example, resolve_dict, survivors, example_with as answers, article_text as article, article_number as number


def build_docx(library, data: dict, path: Path) -> Path:
    from contractkit.build import build
    source = path.with_suffix(".yaml")
    source.write_text(dump_yaml(data), encoding="utf-8")
    return build(source, path, library=library).output


def articles_in_docx(path: Path) -> dict[str, list]:
    """A one-language draft read back from its document.xml: article bookmark (ck_…) → its body
    paragraphs, each as a list of ('text', str) and ('ref', bookmark) in reading order."""
    body = etree.fromstring(docx_xml(path).encode())
    found, current = {}, None
    for para in body.iter(f"{W}p"):
        style = para.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "ckArticle":
            mark = para.find(f".//{W}bookmarkStart")
            current = mark.get(f"{W}name") if mark is not None else None
            found[current] = []
            continue
        if current is None:
            continue
        parts = []
        for node in para.iter(f"{W}t", f"{W}instrText"):
            if node.tag == f"{W}instrText" and node.text.split()[0] == "REF":
                parts.append(("ref", node.text.split()[1]))
            elif node.tag == f"{W}t":
                parts.append(("text", node.text or ""))
        found[current].append(parts)
    return found


def paragraph_text(parts) -> str:
    return "".join(v for k, v in parts if k == "text")


def surviving_in_docx(path: Path) -> list[str]:
    """The clause IDs the survival article of a built draft lists (before its proviso on periods)."""
    found = articles_in_docx(path)
    if "ck_survival" in found:
        paragraph = found["ck_survival"][0]
    else:   # terms of use: a paragraph of the termination article, which applies after an exit itself
        paragraph = next(p for p in found["ck_platform_termination"]
                         if any(w in paragraph_text(p) for w in ("なお効力を有する", "continue to apply in relation to")))
    listed = []
    for kind, value in paragraph:
        if kind == "text" and ("ただし" in value or "However" in value):
            break
        if kind == "ref":
            listed.append(value.removeprefix("ck_").replace("_", "-"))
    return listed


# -- a transfer at the end: it stands, or a termination for non-payment undoes it ------------

TRANSFER = dict(provision_form="transfer", exclusivity=None, processing=None, derived_data=None, third_party=None,
                after_termination=None, management=None, leak_mitigation=None, cross_border=None, outsourcing=None)
FIXED = {"ja": {"model": "fixed", "amount": "金100万円"}, "en": {"model": "fixed", "amount": "JPY 1,000,000"}}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_transfer_stands_after_the_contract_ends_and_the_price_is_still_owed(library, lang, tmp_path):
    data = answers(f"data-provision-{lang}.yaml", fee=FIXED[lang], transfer_end="stays", **TRANSFER)
    resolved = resolve_dict(library, data)
    assert not resolved.selection.conflicts
    draft = assemble_dict(library, data)
    ids = [a.clause_id for a in draft.articles]
    assert "transfer-end" in ids and "after-termination" not in ids
    assert ids.index("transfer-end") == ids.index("termination") + 1      # where the after-termination article stands
    form = number(draft, "provision-form")
    docx = articles_in_docx(build_docx(library, data, tmp_path / "transfer.docx"))
    texts = [paragraph_text(p) for p in docx["ck_transfer_end"]]
    assert [k for p in docx["ck_transfer_end"] for k, v in p if k == "ref"] and \
        {v for p in docx["ck_transfer_end"] for k, v in p if k == "ref"} == {"ck_provision_form"}
    if lang == "ja":
        assert texts[0] == (f"本契約が期間満了、解除その他の事由により終了した場合であっても、本契約の終了前に乙に引き渡された本データについての"
                            f"{form}の規定による権利の譲渡は、その効力を失わず、本データに関する権利は甲に復帰しない。乙は、本契約の終了後も、"
                            "同条の定めるところにより本データを利用することができ、甲は、本契約の終了後も、同条に定める義務を負う。")
        assert texts[1] == "本契約の終了は、本契約の終了前に引き渡された本データについて乙が負う対価の支払義務に影響を及ぼさない。"
    else:
        assert texts[0].startswith(f"The expiry, termination or other ending of this Agreement shall not undo the assignment under {form} "
                                   "of the rights in the Subject Data delivered to Recipient before the end")
        assert texts[1] == ("The ending of this Agreement shall not affect Recipient's obligation to pay the consideration for "
                            "the Subject Data delivered before the end.")
    assert not any(word in "".join(texts) for word in ("消去", "返還", "delete", "return"))
    # the article applies after the end, and so do the fee and the transfer itself
    assert {"transfer-end", "provision-form", "fee"} <= set(survivors(draft))


def test_a_free_transfer_has_no_price_to_keep_owing(library):
    draft = assemble_dict(library, answers("data-provision-ja.yaml", fee={"model": "free"}, liability={"cap": "none"},
                                           **TRANSFER))
    assert resolve_dict(library, answers("data-provision-ja.yaml", fee={"model": "free"}, liability={"cap": "none"},
                                         **TRANSFER)).values["transfer-end"] == "stays"      # the default
    text = article(draft, "transfer-end")
    assert "効力を失わず" in text and "対価" not in text
    assert "fee" not in survivors(draft)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_termination_for_non_payment_undoes_the_transfer_of_what_is_unpaid_and_says_so(library, lang, tmp_path):
    data = answers(f"data-provision-{lang}.yaml", fee=FIXED[lang], transfer_end="unwinds-if-unpaid", **TRANSFER)
    selection = resolve_dict(library, data).selection
    assert not selection.conflicts
    unpaid = {(p, r.modality) for r in selection.rules if "unpaid-data" in r.objects for p in r.parties}
    assert unpaid == {("recipient", "forbidden"), ("provider", "allowed")}
    draft = assemble_dict(library, data)
    form, termination = number(draft, "provision-form"), number(draft, "termination")
    paragraphs = [paragraph_text(p) for p in articles_in_docx(build_docx(library, data, tmp_path / "unwind.docx"))["ck_transfer_end"]]
    assert len(paragraphs) == 4
    if lang == "ja":
        assert paragraphs[0].startswith("本契約が期間満了、解除その他の事由により終了した場合であっても、次項に定める場合を除き、")
        assert paragraphs[1].startswith(f"前項の規定にかかわらず、乙が本契約に基づく対価の支払を遅滞したことを理由として甲が{termination}の規定により"
                                        "本契約を解除したときは、本データのうち当該解除の時までにその対価の全額が支払われていないもの（以下「未払データ」という。）")
        assert f"甲は、未払データについて{form}に定める義務を負わない。" in paragraphs[1]
        assert paragraphs[2].startswith(f"前項の場合、乙は、{form}の規定にかかわらず、未払データを以後利用し")
        assert "第三者の権利を害するものではない" in paragraphs[3] and "対価の額に相当する金銭を甲に支払わなければならない" in paragraphs[3]
    else:
        assert paragraphs[0].startswith("Except as provided in the following paragraph, the expiry, termination or other ending")
        assert paragraphs[1].startswith(f"Notwithstanding the preceding paragraph, if Provider terminates this Agreement under {termination} "
                                        "because Recipient has failed to pay the consideration under this Agreement when due")
        assert "(the “Unpaid Data”)" in paragraphs[1]
        assert paragraphs[2].startswith(f"In the case under the preceding paragraph, notwithstanding {form}, Recipient shall no longer use")
        assert "do not prejudice the rights of any third party" in paragraphs[3]
    assert not any(p.startswith(("ただし", "However")) for p in paragraphs)
    assert "transfer-end" in survivors(draft)


@pytest.mark.parametrize("fee", [{"model": "free"}, {"model": "revenue-share", "amount": "売上の5%"}])
def test_undoing_a_transfer_for_non_payment_is_refused_where_nothing_can_be_unpaid(library, tmp_path, fee):
    from contractkit.errors import UserError
    data = answers("data-provision-ja.yaml", fee=fee, liability={"cap": "none"}, transfer_end="unwinds-if-unpaid", **TRANSFER)
    path = tmp_path / "answers.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    from contractkit.build import build
    with pytest.raises(UserError) as caught:
        build(path, tmp_path / "out.docx", library=library)
    message = "\n".join([str(caught.value), *getattr(caught.value, "problems", [])])
    line = next(l for l in message.splitlines() if "transfer-end" in l)
    assert line.startswith(f"{path}:") and line.split(":")[1].isdigit() and line.split(":")[2].isdigit(), line
    assert "「unwinds-if-unpaid」は、これらの回答の下では「transfer-end」に選べない" in line
    assert "収益分配型の対価では支払が完了する時点がない" in line
    assert not (tmp_path / "out.docx").exists()


def test_the_end_of_a_transfer_is_asked_only_after_a_transfer(library):
    from contractkit.answers import current_values, evaluate
    point = library.points["transfer-end"]
    for form, asked in [("transfer", True), ("license", False), ("joint-use", False)]:
        values = current_values(library, "data-provision", "ja", {"provision-form": form}, ["provider", "recipient"])
        context = {k.replace("-", "_"): v for k, v in values.items()}
        assert evaluate(library, point, ("when",), context) is asked, form
        assert evaluate(library, library.points["after-termination"], ("when",), context) is not asked, form
    assert point.concede == {"provider": ["unwinds-if-unpaid", "stays"], "recipient": ["stays", "unwinds-if-unpaid"]}


# -- duties that follow the data: management and leaks bind the holder while it holds it -----

@pytest.mark.parametrize("example, sentence", [
    ("data-provision-ja.yaml", "本条の規定は、本契約の終了後も、乙が本データ（その複製物を含む。）を保有する間は、なお効力を有する。"),
    ("data-provision-en.yaml", "This Article shall continue to apply after this Agreement ends for as long as Recipient holds any of the Subject Data (including copies)."),
    ("data-creation-ja.yaml", "本条の規定は、本契約の終了後も、各当事者が本データ（その複製物を含む。）を保有する間は、なお効力を有する。"),
    ("data-creation-en.yaml", "This Article shall continue to apply to each party after this Agreement ends for as long as it holds any of the Subject Data (including copies)."),
])
def test_management_and_leak_duties_last_while_the_data_is_held_after_the_end(library, example, sentence):
    """Deleting or returning takes time, and a provider may let the recipient keep the data: the
    security duties and the leak procedure must not stop at the end while the data is still held."""
    data = answers(example, after_termination="delete")
    draft = assemble_dict(library, data)
    for clause_id in ("management", "leak-mitigation"):
        assert article(draft, clause_id).splitlines()[-1] == sentence, clause_id
        assert clause_id in survivors(draft), clause_id
    assert not resolve_dict(library, data).selection.conflicts


# -- the survival article of every shipped example -------------------------------------------

MUST_SURVIVE = {   # present in the draft ⇒ listed: disclaimers, use rights, OSS terms, money, caps, the data at the end
    "performance", "dev-performance", "use-performance", "dev-oss", "copyright", "dev-copyright", "patents", "dev-patents",
    "dev-usage-conditions", "use-usage-conditions", "use-output-rights", "use-prohibited-acts", "dev-prohibited-acts",
    "nda-assessment", "nda-no-license", "nda-return", "nda-obligations", "confidentiality", "platform-confidentiality",
    "liability", "platform-liability", "operator-duties", "dev-ai-liability", "use-ai-liability", "dev-ip-infringement",
    "use-ip-infringement", "third-party-claims", "warranty", "platform-warranty", "non-conformity", "late-payment",
    "early-end-fee", "completion", "dev-completion", "after-termination", "transfer-end", "user-data-end", "withdrawal",
    "derived-data", "platform-derived-data", "management", "leak-mitigation", "disputes", "platform-disputes",
}
MUST_NOT_SURVIVE = {   # present ⇒ not listed: what only governs the term (and a licence, exclusive or not)
    "purpose", "data-scope", "term", "termination", "delivery", "data-acceptance", "processing", "third-party", "outsourcing",
    "cross-border", "subcontracting", "use-subcontracting", "use-service", "dev-work", "work-scope", "poc-cooperation",
    "contract-nature", "dev-nature", "delivery-form", "nda-copies", "antisocial", "force-majeure", "counterparts",
    "platform-registration", "platform-term", "platform-rights", "creation-setup",
}
NEVER_LISTED = {   # the survival article itself, and the articles that only define or number things
    "survival", "definitions", "platform-definitions", "interpretation", "counterparts", "signing", "prevailing-language",
}
PACKS = EXAMPLES.parent / "usecases"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if "bilingual" not in p.name) + sorted(
    str(p.relative_to(PACKS)) for p in PACKS.glob("*/examples/*.yaml") if "bilingual" not in p.name)




def resolved_and_library(library, data):
    """An example's answers resolved (a pack example, from its file, with its pack loaded)."""
    from contractkit.answers import library_for, read_answers, resolve
    if not isinstance(data, Path):
        return resolve_dict(library, data), library
    tree = read_answers(data)
    library = library_for(tree, (), str(data), data)
    return resolve(tree, library, str(data), data.parent), library


@pytest.fixture(scope="module")
def built(tmp_path_factory, library):
    out = tmp_path_factory.mktemp("survival")
    from contractkit.build import build
    drafts = {name: (load_example(name), build_docx(library, load_example(name), out / f"{Path(name).stem}.docx"))
              for name in EXAMPLE_FILES if "/" not in name}
    for name in (n for n in EXAMPLE_FILES if "/" in n):   # in place: a staged example reads the stage it follows
        drafts[name] = (PACKS / name, build(PACKS / name, out / f"{name.replace('/', '-')[:-5]}.docx").output)
    # an exclusive licence, and a transfer: the one must stop at the end, the other not
    for name, changes in [("exclusive-ja", dict(exclusivity="exclusive")),
                          ("transfer-en", dict(fee=FIXED["en"], transfer_end="unwinds-if-unpaid", **TRANSFER))]:
        data = answers(f"data-provision-{name.split('-')[1]}.yaml", **changes)
        drafts[name] = (data, build_docx(library, data, out / f"{name}.docx"))
    return drafts


@pytest.mark.parametrize("name", EXAMPLE_FILES + ["exclusive-ja", "transfer-en"])
def test_the_survival_article_lists_what_must_survive_and_nothing_that_must_not(library, built, name):
    data, path = built[name]
    present = [m.removeprefix("ck_").replace("_", "-") for m in articles_in_docx(path)]
    listed = surviving_in_docx(path)
    assert len(set(listed)) == len(listed) and listed == sorted(listed, key=present.index), "once each, in the draft's order"
    if "platform-termination" in present:
        listed = sorted(listed + ["platform-termination"], key=present.index)   # its paragraph applies itself after an exit
    missing = [c for c in present if c in MUST_SURVIVE and c not in listed and c != "survival"]
    assert not missing, f"{name}: must survive but is not listed: {missing}"
    wrong = [c for c in listed if c in MUST_NOT_SURVIVE]
    assert not wrong, f"{name}: listed but governs only the term: {wrong}"
    own = [c for c in listed if c in NEVER_LISTED or c.startswith(("definitions", "signing"))]
    assert not own, f"{name}: the survival article lists itself or an article that only defines or numbers things: {own}"
    resolved, library = resolved_and_library(library, data)
    values = resolved.values
    fee = (values.get("fee") or {}).get("model", "fixed")
    for money in ("fee", "platform-fee"):
        if money in present:
            assert (money in listed) == (fee != "free"), f"{name}: {money} with a {fee} fee"
    if "provision-form" in present:
        transfer = values.get("provision-form") == "transfer"
        assert ("provision-form" in listed) == transfer, f"{name}: a licence (exclusive or not) ends with the agreement"
    if "revenue-cost" in present:
        assert ("revenue-cost" in listed) == (values["revenue-cost"]["revenue"] == "ratio"), name
    # and the draft read back agrees with the rule model
    from contractkit.rules import answer_context
    context = {**answer_context(resolved.values, resolved.contract, resolved.lang), "has": set(resolved.selection.ids).__contains__}
    assert sorted(listed, key=present.index) == resolved.selection.surviving(library, context)
