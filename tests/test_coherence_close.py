"""Issue 10, the last rules: the OSS override, the platform's audit and disputes article, what the
holder of created data keeps after the end, obtaining data other than as agreed (the taxi and maker
packs), and the caps the AI liability clauses rely on. Each test builds the Word file from an
answers file that used to contradict itself and reads the articles back."""
import docx
import pytest

from conftest import ROOT, docx_articles, dump_yaml, example_with, resolve_dict


def build(tmp_path, data: dict, name: str = "answers"):
    """The built Word file's articles ({heading: [paragraphs]}) and the resolved answers."""
    from contractkit.answers import library_for, read_answers, resolve
    from contractkit.build import build as build_file
    source = tmp_path / f"{name}.yaml"
    source.write_text(dump_yaml(data), encoding="utf-8")
    result = build_file(source, tmp_path / f"{name}.docx", force=True)
    tree = read_answers(source)
    resolved = resolve(tree, library_for(tree, (), str(source), source), str(source), tmp_path)
    return docx_articles(docx.Document(str(result.output))), resolved


def body(articles: dict, heading: str) -> str:
    found = [k for k in articles if heading in k]
    assert len(found) == 1, (heading, list(articles))
    return "\n".join(articles[found[0]])


def number(resolved, clause_id: str) -> str:
    n = resolved.selection.ids.index(clause_id) + 1
    return f"第{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}条" if resolved.lang == "ja" else f"Article {n}"


def precedences(resolved) -> set:
    return {(won.clause, lost.clause) for won, lost in resolved.selection.precedences}


def survives(articles: dict, resolved, clause_id: str) -> bool:
    """Whether the survival article's list (before its proviso on periods) names that article."""
    import re
    text = body(articles, "Survival") if resolved.lang == "en" else body(articles, "存続条項")
    listed = re.split(r"However|ただし", text)[0]
    n = resolved.selection.ids.index(clause_id) + 1
    if resolved.lang == "ja":
        return number(resolved, clause_id) in listed
    return re.search(rf"(?<![\d.]){n}(?![\d.])", listed.split("shall survive")[0]) is not None


# -- the OSS licence terms prevail over the deliverables' use, bans and copyright --------------------

@pytest.mark.parametrize("oss", [True, False])
def test_oss_terms_prevail_over_use_conditions_bans_and_copyright_and_say_so(tmp_path, oss):
    data = example_with("ai-development-en.yaml", oss=oss, copyright="shared", reuse_model="prohibited",
                        usage_conditions={"user": "internal-purpose", "vendor_reuse": "prohibited", "exclusivity_months": 0},
                        prohibited_acts=["reverse-engineering", "distillation"])
    articles, resolved = build(tmp_path, data)
    assert not resolved.selection.conflicts
    assert {("dev-oss", "dev-usage-conditions"), ("dev-oss", "dev-prohibited-acts"), ("dev-oss", "dev-copyright")} <= precedences(resolved)
    text = body(articles, "Open-Source Software")
    usage, bans, copyright = (number(resolved, c).split()[1] for c in ("dev-usage-conditions", "dev-prohibited-acts", "dev-copyright"))
    assert f"otwithstanding Articles {usage} and {bans} and any other provision of this Agreement" in text
    assert f"othing in Article {copyright} vests the copyright in the OSS in, or transfers it to, either party." in text
    assert survives(articles, resolved, "dev-oss")


def test_oss_override_in_japanese_names_the_articles_it_prevails_over(tmp_path):
    data = example_with("ai-development-ja.yaml", oss=True,
                        usage_conditions={"user": "internal-purpose", "vendor_reuse": "non-competing", "exclusivity_months": 0})
    articles, resolved = build(tmp_path, data)
    text = body(articles, "オープンソースソフトウェア")
    usage = number(resolved, "dev-usage-conditions")
    assert f"{usage}及び{number(resolved, 'dev-prohibited-acts')}その他本契約の定めにかかわらず、当該ライセンスの条件が優先して適用され" in text
    assert f"{number(resolved, 'dev-copyright')}の規定は、OSSに係る著作権をいずれの当事者にも帰属させ、又は移転させるものではない。" in text
    assert "本契約の他の定めにかかわらず" not in text


# -- the platform: audit information and the records a disputing participant asks for ----------------

def test_dispute_information_prevails_over_the_operators_confidentiality_and_says_so(tmp_path):
    data = example_with("data-sharing-en.yaml", audit_disputes=["audit", "participant-disputes-own"])
    articles, resolved = build(tmp_path, data)
    assert ("audit-disputes", "platform-confidentiality") in precedences(resolved)
    text = body(articles, "Audits and Disputes")
    assert f"at the request of a Participant party to the dispute and notwithstanding {number(resolved, 'platform-confidentiality')}," in text
    assert "shall not use information learned through an audit" in text
    # with mediation instead, the operator discloses nothing, and the article does not say it prevails
    articles, resolved = build(tmp_path, example_with("data-sharing-en.yaml", audit_disputes=["complaints-desk"]), "mediation")
    assert ("audit-disputes", "platform-confidentiality") not in precedences(resolved)
    assert "notwithstanding" not in body(articles, "Audits and Disputes")


# -- data creation: what the holder keeps after the end ---------------------------------------------

@pytest.mark.parametrize("at_end", ["return", "keep-derived"])
def test_the_holder_of_created_data_keeps_it_after_the_end_and_says_it_prevails(tmp_path, at_end):
    data = example_with("data-creation-en.yaml", after_termination=at_end, data_custody={"holder": "party-b", "access": "continuous"})
    articles, resolved = build(tmp_path, data)
    assert not resolved.selection.conflicts
    assert ("data-custody", "after-termination") in precedences(resolved)
    text = body(articles, "Custody of and Access to the Subject Data")
    assert (f"Notwithstanding {number(resolved, 'after-termination')}, after the end of this Agreement Party B may keep the"
            " Subject Data it holds (other than any received from Party A)") in text
    assert survives(articles, resolved, "data-custody")
    assert number(resolved, "data-custody").split()[1] in body(articles, "Confidentiality")   # it gives way to the custody article


def test_when_everything_is_deleted_the_holder_deletes_too_and_custody_ends_with_the_term(tmp_path):
    data = example_with("data-creation-ja.yaml", after_termination="delete")
    articles, resolved = build(tmp_path, data)
    text = body(articles, "本データの保管及びアクセス")
    assert f"甲が保管する本データは、本契約が終了したときは、{number(resolved, 'after-termination')}の定めるところにより消去されるものとする。" in text
    assert not survives(articles, resolved, "data-custody")


# -- obtaining data other than as agreed (the rule model's act "obtain") -----------------------------

def test_the_taxi_recipient_may_not_obtain_the_processing_method(tmp_path):
    data = _pack_example("taxi-probe-data", "data-provision-en.yaml")
    articles, resolved = build(tmp_path, data)
    rules = [r for r in resolved.selection.rules if r.clause == "tx-recombination" and "obtain" in r.acts]
    assert rules and rules[0].objects == ["processing-method"] and rules[0].modality == "forbidden"
    assert "shall not obtain, or ask Provider to disclose, information on how the Location Data was processed" in \
        body(articles, "Combination with Other Data and Re-identification").replace("the Provider", "Provider")


def test_the_maker_packs_model_outlives_the_raw_data_and_the_vendor_may_not_restore_it(tmp_path):
    data = _pack_example("maker-data-trained-model", "ai-development-ja.yaml")
    articles, resolved = build(tmp_path, data)
    acts = {(tuple(r.objects), a, r.modality) for r in resolved.selection.rules if r.clause == "mdm-data-contribution" for a in r.acts}
    assert (("user-data",), "obtain", "forbidden") in acts and (("trained-model",), "keep", "allowed") in acts
    assert "消去又は返還の対象とならない" in body(articles, "本データの寄与及び学習済みモデルにおける取扱い")
    assert survives(articles, resolved, "mdm-data-contribution")


def _pack_example(pack: str, name: str, **answers) -> dict:
    from ruamel.yaml import YAML
    data = YAML(typ="safe").load((ROOT / "usecases" / pack / "examples" / name).read_text(encoding="utf-8"))
    data["answers"].update(answers)
    return data


# -- money: the caps the AI liability and indemnity clauses rely on ---------------------------------

FEES_CAP = {"cap": "fees-paid", "scope": "direct-ordinary", "gross_negligence_carve_out": True}


@pytest.mark.parametrize("example, changes, clause", [
    ("ai-development-en.yaml", dict(ai_liability={"bearer": "vendor-bears", "claim_months": 12}), "dev-ai-liability"),
    ("ai-development-ja.yaml", dict(ip_infringement="vendor-indemnifies"), "dev-ip-infringement"),
    ("ai-use-en.yaml", dict(ai_liability={"bearer": "vendor-fault-only", "claim_months": 12}), "use-ai-liability"),
    ("ai-use-en.yaml", dict(ip_infringement="vendor-indemnifies"), "use-ip-infringement"),
])
def test_a_free_deal_refuses_the_fee_based_cap_an_ai_liability_clause_relies_on(library, example, changes, clause):
    from contractkit.errors import UserError
    liability = dict(FEES_CAP, **({"months": 12, "minimum": "JPY 1,000,000"} if example.startswith("ai-use") else {}))
    data = example_with(example, fee={"model": "free"}, liability=liability, **changes)
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    message = str(caught.value) + " ".join(str(line) for line in getattr(caught.value, "lines", None) or [])
    assert f"'{clause}'" in message and "'fee'" in message and "liability.cap: fixed-amount" in message, message
    # the same clause under a fixed-amount cap builds
    assert not resolve_dict(library, example_with(example, fee={"model": "free"}, liability=dict(FEES_CAP, cap="fixed-amount",
                                                                                               amount="JPY 1,000,000"), **changes)).selection.conflicts


def test_the_participants_cap_relies_on_the_operators_fees_and_a_free_platform_caps_at_the_floor(tmp_path, library):
    resolved = resolve_dict(library, example_with("data-sharing-en.yaml"))
    caps = [r for r in resolved.selection.rules if r.clause == "platform-liability" and r.objects == ["damages-cap"]]
    fee, liability = resolved.values["fee"]["model"], resolved.values["liability"]["cap"]
    assert bool(caps) == (fee != "free" and liability == "fees-paid")
    if caps:
        assert caps[0].needs["objects"] == ["fees"] and caps[0].needs["parties"] == ["operator"]
    data = example_with("data-sharing-en.yaml", fee={"model": "free"}, liability_floor="JPY 1,000,000",
                        liability={"cap": "fees-paid", "scope": "direct-ordinary"})
    articles, resolved = build(tmp_path, data)
    assert not resolved.selection.conflicts
    assert "under the preceding paragraph is limited to JPY 1,000,000." in body(articles, "Damages")
