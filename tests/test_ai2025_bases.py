"""What the 2025 types' articles let the vendor do, read as a lawyer reads a built draft: in a
customisation the user's data and what is handled for the Work stay an entrustment even where the
personal information the vendor trains on is provided to it as a third party (S2); the vendor's use
of outputs it owns points at the articles that govern use, not at confidentiality (S8); a free
choice of subprocessors permits subcontracting, over the confidentiality articles and in an
addendum as the standard terms provide (R33); and the retail support pack speaks of the base model's
provider only where the base model is someone else's. Real drafts are built and read back."""
import copy

import docx
import pytest

from conftest import (EXAMPLES, JAPANESE, LEFTOVERS, article_number, article_text, assemble_dict, docx_articles, in_both_languages,
                      load_example, resolve_dict, write_answers)
from contractkit.build import build
from contractkit.errors import UserError
from contractkit.rules import select

CUST = {"ja": "ai-customization-ja.yaml", "en": "ai-customization-en.yaml"}
SVC = {"ja": "ai-service-ja.yaml", "en": "ai-service-en.yaml"}
RAG = EXAMPLES.parent / "usecases" / "rag-customer-support" / "examples"


def answers(example, base=EXAMPLES, **changes) -> dict:
    data = copy.deepcopy(load_example(example)) if base is EXAMPLES else \
        __import__("yaml").safe_load((base / example).read_text(encoding="utf-8"))
    for key, value in changes.items():
        point = key.replace("_", "-")
        if isinstance(value, dict) and isinstance(data["answers"].get(point), dict):
            data["answers"][point] = {**data["answers"][point], **value}
        else:
            data["answers"][point] = value
    return data


def built(library, tmp_path, data, name="d.docx"):
    result = build(write_answers(tmp_path, data, name.replace(".docx", ".yaml")), tmp_path / name, library=library)
    document = docx.Document(str(result.output))
    return result, docx_articles(document), "\n".join(p.text for p in document.paragraphs)


def refusal(library, data) -> str:
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    return "\n".join([str(caught.value), *(getattr(caught.value, "problems", None) or [])])


PERSONAL = {"ja": "個人情報の取扱い", "en": "Personal Information"}


# -- S2: a customisation's personal data --------------------------------------------------------

@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("learning", ["opt-in", "opt-out", "allowed"])
@pytest.mark.parametrize("subprocessors", ["allowed", "prohibited"])
def test_a_third_party_provision_in_a_customisation_leaves_the_work_entrusted(library, tmp_path, lang, learning, subprocessors):
    data = answers(CUST[lang], personal_data="included", appi_role="third-party-provision", learning_use=learning,
                   subprocessors=subprocessors, processing_location="any",
                   processing_results={"vendor_reuse": "non-competing", "at_end": "delete"})
    if subprocessors != "listed":
        data["answers"].pop("subprocessor-list", None)
    data["answers"]["user-data"]["confidential_know_how"] = False
    draft = assemble_dict(library, data)
    learning_article = article_number(draft, "ai25-learning-use")
    _, articles, text = built(library, tmp_path, data)
    assert not LEFTOVERS.search(text)
    paragraphs = articles[PERSONAL[lang]]
    assert all(p.strip() for p in paragraphs)
    if lang == "en":
        assert not JAPANESE.search("\n".join(paragraphs))
    entrusted = [p for p in paragraphs if ("委託を受けた者として" if lang == "ja" else "as a person entrusted by User")in p]
    provided = [p for p in paragraphs if ("第三者提供" if lang == "ja" else "as a third party") in p]
    assert len(entrusted) == 1 and len(provided) == 1 and entrusted != provided
    [entrusted], [provided] = entrusted, provided
    # the customisation data and what the vendor handles for the Work: the user's, entrusted
    if lang == "ja":
        assert entrusted.startswith("乙は、本データ、インプット及びアウトプットに含まれる個人情報を、次項に定める学習等のための利用を除き、甲から個人情報の取扱いの委託を受けた者として")
        assert "本業務の遂行及び本件システムの提供のためにのみ取り扱う" in entrusted and "自己の目的のために利用してはならず" in entrusted
        assert "本データ" not in provided and f"{learning_article}に定める範囲内で、学習等のために利用することができる" in provided
        assert ("学習許諾データとして指定したもの" in provided) == (learning == "opt-in")
        assert ("同条の規定にかかわらず、その他の個人情報を学習等のために利用してはならない" in provided) == (learning != "opt-in")
        assert "本人の同意を得た上で" in provided and "個人情報取扱事業者として" in provided
        # the user's own supervision has its basis: a report on the entrusted handling
        assert any("第２項の委託に係る個人情報の取扱いの状況" in p for p in paragraphs)
    else:
        assert entrusted.startswith("Except for its use for Training under the next paragraph, Vendor shall handle the Personal Information in the Subject Data, the Inputs and the Generated Outputs as a person entrusted by User")
        assert "only to perform the Work and provide the Customised System to User" in entrusted
        assert "Subject Data" not in provided and f"within what {learning_article} allows" in provided
        assert ("designated as Designated Data" in provided) == (learning == "opt-in")
        assert ("notwithstanding that Article shall not use any other Personal Information for Training" in provided) == (learning != "opt-in")
        assert any("entrusted to it under paragraph 2" in p for p in paragraphs)
    assert (("処理委託先" if lang == "ja" else "Subprocessors") in entrusted) == (subprocessors != "prohibited")
    # the place-of-processing article follows: the user supervises what it entrusts, the vendor answers for what it trains on
    location = articles["処理及び保存の場所" if lang == "ja" else "Place of Processing and Storage"]
    location = "\n".join(location)
    assert ("委託先の監督その他の安全管理措置" if lang == "ja" else "so that User can supervise its contractor") in location
    assert ("学習等のために自ら利用する個人情報を日本国外で取り扱うときは" if lang == "ja" else
            "the Personal Information it uses for Training on its own account") in location
    # the processing results reused outside competitors carry no personal information
    results = "\n".join(articles["処理成果の取扱い" if lang == "ja" else "Processing Results"])
    assert ("甲の秘密情報及び個人情報を含まない部分" if lang == "ja" else "no Confidential Information of User and no Personal Information") in results
    # the rule model: the personal-data article narrows what the learning-use article allows, and says so
    resolved = resolve_dict(library, data)
    selection = select(library, "ai-customization", resolved.values, lang)
    assert not selection.conflicts
    narrowing = [r for r in selection.rules if r.clause == "ai25-personal-data" and "train-own-ai" in r.acts and "term" in r.times]
    assert narrowing and all(r.modality == "consent" and "ai25-learning-use" in r.overrides for r in narrowing)
    if learning != "opt-in":
        assert any(won in narrowing and lost.clause == "ai25-learning-use" for won, lost in selection.precedences)


def test_a_third_party_provision_with_nothing_to_provide_is_refused_in_a_customisation(library):
    data = answers(CUST["en"], personal_data="included", appi_role="third-party-provision", learning_use="prohibited")
    message = refusal(library, data)
    assert "answers.yaml:" in message and "third-party-provision" in message
    assert "entrustment" in message and "learning-use" in message
    # the same answers in an AI service keep their caution (the vendor's own uses are the agreement's)
    service = answers(SVC["ja"], personal_data="included", appi_role="third-party-provision", learning_use="prohibited")
    assert "third-party-provision-without-own-use" in {w["id"] for w in resolve_dict(library, service).warnings}


def test_the_bilingual_customisation_reads_in_both_columns(library, tmp_path):
    ja = answers(CUST["ja"], personal_data="included", appi_role="third-party-provision", learning_use="opt-out",
                 subprocessors="allowed", processing_location="any", output_rights="shared",
                 processing_results={"vendor_reuse": "non-competing"})
    en = answers(CUST["en"], personal_data="included", appi_role="third-party-provision", learning_use="opt-out",
                 subprocessors="allowed", processing_location="any", output_rights="shared",
                 processing_results={"vendor_reuse": "non-competing"})
    data = in_both_languages(ja, en)
    data["answers"].pop("subprocessor-list", None)
    data["answers"]["user-data"]["confidential_know_how"] = False
    data["answers"]["base-model"]["terms"] = "vendor-responsible"
    result = build(write_answers(tmp_path, data), tmp_path / "bi.docx", library=library)
    rows = [[c.text for c in row.cells] for t in docx.Document(str(result.output)).tables for row in t.rows]
    assert not LEFTOVERS.search("\n".join(c for r in rows for c in r))
    wanted = {"（個人情報の取扱い）", "（処理委託先）", "（アウトプットに関する権利）", "（処理成果の取扱い）", "（処理及び保存の場所）"}
    current, seen = None, set()
    for row in rows:
        if len(row) != 2:
            continue
        if row[0].startswith("（") and row[0].endswith("）"):
            current = row[0]
            continue
        if current in wanted:
            seen.add(current)
            assert row[0].strip() and row[1].strip()
            assert not JAPANESE.search(row[1]), (current, row[1])
    assert seen == wanted


# -- S8: the vendor's use of outputs it owns -----------------------------------------------------

@pytest.mark.parametrize("example", [CUST["ja"], CUST["en"], SVC["ja"], SVC["en"]])
@pytest.mark.parametrize("holder", ["vendor", "shared"])
def test_the_vendors_use_of_outputs_points_at_the_articles_that_govern_use(library, tmp_path, example, holder):
    data = answers(example, output_rights=holder)
    draft = assemble_dict(library, data)
    ja = example.endswith("-ja.yaml")
    confidentiality = article_number(draft, "ai25-confidentiality")
    learning, retention = article_number(draft, "ai25-learning-use"), article_number(draft, "ai25-retention")
    _, articles, _ = built(library, tmp_path, data)
    paragraphs = articles["アウトプットに関する権利" if ja else "Rights in Generated Outputs"]
    [use] = [p for p in paragraphs if ("書面による承諾を得なければならない" if ja else "prior written consent") in p and
             ("製品若しくはサービス" if ja else "products or services") in p]
    if ja:
        assert f"{confidentiality}に従い" not in use
        assert use.startswith(f"乙は、{learning}及び{retention}に定めるところによるほか、アウトプットを利用し")
        assert f"アウトプットを第三者に提供することについての承諾は、{confidentiality}に定める開示についての承諾を兼ねる。" in use
    else:
        assert f"in accordance with {confidentiality}" not in use
        assert use.startswith(f"Except as provided in Articles {learning[8:]} and {retention[8:]}, before using the Generated Outputs")
        assert use.endswith(f"is also the consent to their disclosure that {confidentiality} requires.")
    # and the confidentiality article is the one that asks for consent to disclosure
    secrecy = article_text(draft, "ai25-confidentiality")
    assert ("事前の書面による承諾を得ることなく、第三者に開示し" if ja else "prior written consent") in secrecy


# -- R33: subprocessors 'allowed' ----------------------------------------------------------------

@pytest.mark.parametrize("example", [CUST["ja"], CUST["en"], SVC["ja"], SVC["en"]])
def test_free_subcontracting_is_permitted_over_the_confidentiality_articles(library, tmp_path, example):
    data = answers(example, subprocessors="allowed")
    data["answers"].pop("subprocessor-list", None)
    ja = example.endswith("-ja.yaml")
    draft = assemble_dict(library, data)
    prevailing = [c for c in ("user-data", "confidentiality") if any(a.clause_id == c for a in draft.articles)]
    assert "confidentiality" in prevailing
    _, articles, text = built(library, tmp_path, data)
    assert not LEFTOVERS.search(text)
    first, duties = articles["処理委託先" if ja else "Subprocessors"]
    numbers = [article_number(draft, c) for c in prevailing]
    if ja:
        assert first.startswith(f"乙は、{'及び'.join(numbers)}の規定にかかわらず、自らの判断により処理委託先を選定し")
        assert first.endswith("委託することができる。")
        assert "秘密保持及び安全管理の義務を遵守させなければならず" in duties and "自ら行った場合と同様の責任を負う" in duties
    else:
        shown = numbers[0] if len(numbers) == 1 else f"Articles {numbers[0][8:]} and {numbers[1][8:]}"
        assert first.startswith(f"Notwithstanding {shown}, Vendor may choose Subprocessors at its discretion and entrust to them")
        assert "comply with Vendor's duties of confidentiality and security" in duties and "as if they were its own" in duties


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_free_subcontracting_in_an_addendum_is_as_the_standard_terms_provide(library, tmp_path, lang):
    data = answers("ai-service-addendum-ja.yaml", subprocessors="allowed")
    data["language"] = lang
    data["answers"].pop("subprocessor-list", None)
    draft = assemble_dict(library, data)
    subprocessors = article_number(draft, "ai25-subprocessors")
    _, articles, _ = built(library, tmp_path, data)
    first, duties = articles["処理委託先" if lang == "ja" else "Subprocessors"]
    # the confidentiality article's exception points at an article that permits something
    secrecy = "\n".join(articles["インプット及びアウトプットの秘密保持" if lang == "ja" else "Confidentiality of Inputs and Generated Outputs"])
    if lang == "ja":
        assert first == "乙は、本規約の定めるところにより、自らの判断で、インプット及びアウトプットの処理の全部又は一部を処理委託先に委託することができる。"
        assert f"ただし、{subprocessors}に従い処理委託先に取り扱わせる場合は、この限りでない。" in secrecy
    else:
        assert first.endswith("to Subprocessors as the Standard Terms provide.")
        assert subprocessors in secrecy
    assert duties


# -- the retail support pack and a base model of the vendor's own --------------------------------

@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("terms", ["vendor-own", "vendor-responsible"])
def test_the_support_pack_names_a_base_model_provider_only_where_there_is_one(library, tmp_path, lang, terms):
    data = answers(f"ai-customization-{lang}.yaml", base=RAG, base_model={"terms": terms})
    _, articles, text = built(library, tmp_path, data)
    assert not LEFTOVERS.search(text)
    logs = "\n".join(articles["会話記録の取扱い" if lang == "ja" else "Conversation Records"])
    change = articles["ベースモデルの変更時の再評価" if lang == "ja" else "Re-Evaluation When the Base Model Changes"]
    own = terms == "vendor-own"
    provider = "提供者" if lang == "ja" else "provider"
    assert (provider in logs) != own
    assert (provider in "\n".join(change)) != own
    # the vendor never trains the base model on the records, whoever's it is
    assert ("ベースモデルその他" if lang == "ja" else "the Base Model or any") in logs
    if lang == "ja" and own:
        assert "乙によるベースモデルのバージョンの更新、他のモデルへの切替え" in change[1]
    if lang == "en" and own:
        assert "an update of its version by Vendor, a switch to another model," in change[1]
    # a discontinued earlier version cannot force the vendor's own switch
    forced = "従前のバージョンの提供を終了する" if lang == "ja" else "discontinuing the earlier version"
    if data["answers"].get("rag-reevaluation", "before-switch") == "before-switch":
        assert any(forced in p for p in change) != own
