"""The articles a complete AI service agreement needs (issue 12): service level and outages, security
of the input data, subcontractors and cloud providers, sensitive personal information, export of
data at the end, revision of the fee, and a damages cap counted over a window of months. Each option
is built into a real draft and its text read back, in Japanese and English; combinations that make no
sense are refused at the answer with the reason."""
import copy
import re

import pytest
from ruamel.yaml import YAML

from conftest import LEFTOVERS, ROOT, articles_text, assemble_dict, docx_text, docx_xml, in_both_languages, load_example, resolve_dict, survivors, write_answers
from contractkit.assemble import Ref
from contractkit.errors import UserError

FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def with_answers(example: str, **changes) -> dict:
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        data["answers"][key.replace("_", "-")] = value
    return data


def text_of(article) -> str:
    return "\n".join("".join(s if isinstance(s, str) else s.text if isinstance(s, Ref) else "●" for s in segs)
                     for p in article.paragraphs for segs in [p.segments, *p.items])


def article(draft, clause_id: str) -> str:
    return text_of(next(a for a in draft.articles if a.clause_id == clause_id))


def ids(draft) -> list[str]:
    return [a.clause_id for a in draft.articles]


def num(draft, clause_id: str) -> str:
    n = next(a.number for a in draft.articles if a.clause_id == clause_id)
    return f"第{str(n).translate(FULL)}条" if draft.lang == "ja" else f"Article {n}"


def refusal(library, data) -> str:
    with pytest.raises(UserError) as caught:
        resolve_dict(library, data)
    return "\n".join([str(caught.value), *(caught.value.problems or [])])


# the user's answers file with personal data (the vendor may not keep it for improvement then)
PERSONAL = {"personal_data": "included", "user_data": {"warranty": "authority-only", "at_end": "delete", "confidential_know_how": False}}


# -- service level and outages ---------------------------------------------------------------------

@pytest.mark.parametrize("example", ["ai-use-ja.yaml", "ai-use-en.yaml"])
def test_each_service_level_reads_as_promised(library, example):
    ja = "ja" in example
    texts = {}
    for level in ("best-efforts", "target", "committed"):
        draft = assemble_dict(library, with_answers(example, service_level={"level": level, "availability": "99.9%",
                                                                            "incident": "notify-restore", "remedy": "none"}))
        texts[level] = article(draft, "use-service-level")
        assert not LEFTOVERS.search(texts[level])
    assert ("保証しない" if ja else "does not warrant") in texts["best-efforts"] and "99.9%" not in texts["best-efforts"]
    assert ("目標として" if ja else "with the aim that") in texts["target"] and "99.9%" in texts["target"]
    assert ("義務に違反したことにはならない" if ja else "is not in itself a breach") in texts["target"]
    assert ("提供しなければならない" if ja else "shall provide the AI Service so that") in texts["committed"]
    assert ("3か月連続して" if ja else "three consecutive months") in texts["committed"]
    for level in texts:   # no written report was chosen, and no reduction or refund
        assert ("報告書" if ja else "a report setting out its cause") not in texts[level]
        assert ("返金" if ja else "refund") not in texts[level]


def test_a_committed_level_reduces_the_fee_or_refunds_it_and_counts_against_damages(library):
    reduction = assemble_dict(library, with_answers("ai-use-ja.yaml", service_level={
        "level": "committed", "availability": "99.5%", "incident": "written-report", "report_days": 10, "remedy": "fee-reduction"}))
    text = article(reduction, "use-service-level")
    assert "サービス障害が復旧した日から10日以内に" in text
    assert "翌月以降に甲が支払うべき対価から減額する" in text
    assert f"{num(reduction, 'use-additional-learning')}による減額がある場合には、減額後の額とする" in text   # pooled discount first
    assert f"{num(reduction, 'use-ai-liability')}及び{num(reduction, 'liability')}の定めるところにより損害の賠償を請求することを妨げない" in text
    assert "use-service-level" in survivors(reduction)      # a deduction still owed after the end is refunded

    refund = assemble_dict(library, with_answers("ai-use-en.yaml", service_level={
        "level": "committed", "availability": "99.5%", "incident": "notify-restore", "remedy": "refund"}))
    text = article(refund, "use-service-level")
    assert "within 30 days after receiving User's request, refund to User" in text
    assert f"where the consideration under {num(refund, 'fee')} is not set per month" in text   # a fixed fee
    assert "any damages for the same event shall be reduced by the amount refunded" in text
    assert "use-service-level" in survivors(refund)

    target = assemble_dict(library, with_answers("ai-use-en.yaml", service_level={"level": "target", "incident": "notify-restore"}))
    assert "use-service-level" not in survivors(target)


@pytest.mark.parametrize("fee", [{"model": "free"}, {"model": "revenue-share", "amount": "3%"}])
def test_no_monthly_fee_means_no_reduction_or_refund(library, fee):
    data = with_answers("ai-use-en.yaml", fee=fee, liability={"cap": "fixed-amount", "amount": "JPY 1,000,000"},
                        fee_revision={"revision": "agreement"} if fee["model"] != "free" else None,
                        service_level={"level": "committed", "remedy": "refund"})
    if fee["model"] == "free":
        data["answers"].pop("fee-revision")
    data["answers"]["usage-conditions"]["user"] = "any-purpose"
    message = refusal(library, data)
    assert re.search(r"answers\.yaml:\d+:\d+: 'refund' is not available for 'service-level\.remedy'", message)
    assert "no monthly fee to refund" in message
    data["answers"]["service-level"]["remedy"] = "none"
    text = article(assemble_dict(library, data), "use-service-level")
    assert "refund" not in text and "shall provide the AI Service so that" in text


# -- security of the input data --------------------------------------------------------------------

@pytest.mark.parametrize("example", ["ai-use-ja.yaml", "ai-use-en.yaml"])
def test_security_measures_each_option_and_the_leak_notice(library, example):
    ja = "ja" in example
    texts = {m: article(assemble_dict(library, with_answers(example, input_data_security={"measures": m, "notice_hours": 12})),
                        "use-data-security") for m in ("reasonable", "specified", "audited")}
    assert ("業界の水準に照らして" if ja else "by industry standards") in texts["reasonable"]
    assert ("暗号化" if ja else "encrypting") not in texts["reasonable"]
    for m in ("specified", "audited"):
        assert ("暗号化" if ja else "encrypting the Input Data in transit and at rest") in texts[m]
    assert ("監査することができる" if ja else "audit those measures") in texts["audited"]
    assert ("監査" if ja else "audit") not in texts["specified"]
    for t in texts.values():
        assert ("遅くとも知った時から12時間以内に" if ja else "within 12 hours of becoming aware") in t


def test_a_leak_of_personal_information_also_follows_the_personal_data_article(library):
    draft = assemble_dict(library, with_answers("ai-use-en.yaml", **PERSONAL))
    assert f"Personal Information as defined in {num(draft, 'personal-data')}, a Security Incident" in article(draft, "use-data-security")
    assert "use-data-security" in survivors(draft)   # binds the vendor while it still holds the data
    none = assemble_dict(library, load_example("ai-use-en.yaml"))
    assert "Personal Information" not in article(none, "use-data-security")


# -- subcontractors and cloud providers ------------------------------------------------------------

def test_subcontracting_consent_notice_or_free_and_where_the_data_is_kept(library):
    def sub(example, subcontractors, location, **more):
        draft = assemble_dict(library, with_answers(example, service_subcontracting={"subcontractors": subcontractors, "location": location}, **more))
        return article(draft, "use-subcontracting"), draft

    text, draft = sub("ai-use-ja.yaml", "consent", "japan")
    assert "甲の書面による承諾を得なければならない" in text and "日本国内に所在する設備においてのみ" in text
    assert f"{num(draft, 'confidentiality')}の規定にかかわらず、乙は、本条に従って再委託した業務の遂行に必要な範囲に限り" in text
    text, _ = sub("ai-use-ja.yaml", "notice", "notified")
    assert "30日前までに" in text and "14日以内に、合理的な理由を示して書面により異議を述べる" in text
    assert "国又は地域の名称" in text and "外国にある第三者" not in text   # no personal information
    text, draft = sub("ai-use-en.yaml", "free", "notified", **PERSONAL)
    assert "at its own discretion" in text and "object" not in text
    assert f"Input Data that contains Personal Information as defined in {num(draft, 'personal-data')}, Vendor shall obtain User's written consent" in text
    assert "provision to third parties in foreign countries" in text
    assert "Cloud Providers" in text


def test_subcontracting_declares_what_it_lets_the_vendor_do_with_the_data(library):
    from contractkit.rules import select
    resolved = resolve_dict(library, with_answers("ai-use-en.yaml", service_subcontracting={"subcontractors": "consent", "location": "japan"}, **PERSONAL))
    rules = [r for r in select(library, resolved.contract, resolved.values, resolved.lang).rules if r.clause == "use-subcontracting"]
    said = {(o, a, r.modality) for r in rules for o in r.objects for a in r.acts}
    assert ("input-data", "entrust", "consent") in said and ("personal-data", "entrust", "consent") in said


# -- sensitive personal information ----------------------------------------------------------------

def test_sensitive_personal_information_is_a_fact_asked_only_with_personal_data(library):
    assert library.points["sensitive-data"].fact
    assert "sensitive-data" not in resolve_dict(library, load_example("ai-use-ja.yaml")).values
    draft = assemble_dict(library, with_answers("ai-use-ja.yaml", **PERSONAL))
    assert "use-sensitive-data" not in ids(draft)   # personal information, but no sensitive kind: no article


@pytest.mark.parametrize("example", ["ai-use-ja.yaml", "ai-use-en.yaml"])
def test_sensitive_data_for_the_service_only_or_for_training_with_express_consent(library, example):
    ja = "ja" in example
    only = assemble_dict(library, with_answers(example, sensitive_data="included", **PERSONAL))
    text = article(only, "use-sensitive-data")
    lead = f"{num(only, 'use-additional-learning')}及び{num(only, 'use-input-data')}の規定にかかわらず" if ja else \
        f"Notwithstanding {articles_text(only, 'use-additional-learning', 'use-input-data')}"
    assert lead in text
    assert ("本件サービスの提供のためにのみ利用する" if ja else "only to provide the AI Service") in text
    assert ("30日以内に消去しなければならない" if ja else "delete it within 30 days") in text
    assert ("あらかじめ本人の同意を得て取得した" if ja else "acquired with the prior consent of the data subjects") in text
    assert "use-sensitive-data" in survivors(only)
    learning = assemble_dict(library, with_answers(example, sensitive_data="included", sensitive_data_use="consented-learning", **PERSONAL))
    text = article(learning, "use-sensitive-data")
    assert ("本人の明示の同意" if ja else "expressly consented") in text
    assert ("同意を撤回したとき" if ja else "withdraws the consent") in text
    assert ("30日以内に消去" if ja else "within 30 days") not in text


def test_training_on_sensitive_data_needs_some_training_to_exist(library):
    data = with_answers("ai-use-en.yaml", sensitive_data="included", sensitive_data_use="consented-learning",
                        additional_learning="none", input_data_use=["service-provision"], **PERSONAL)
    message = refusal(library, data)
    assert "'consented-learning' is not available for 'sensitive-data-use'" in message
    assert "no training to use sensitive data for" in message


@pytest.fixture(scope="module")
def care_library():
    from contractkit.library import build_library, data_root
    return build_library(data_root(), packs=[ROOT / "usecases" / "care-pose-estimation"])


def test_care_pack_assumes_sensitive_data_and_refuses_mere_notice(care_library):
    library = care_library
    pack = ROOT / "usecases" / "care-pose-estimation" / "examples"
    data = YAML(typ="safe").load((pack / "ai-use-ja.yaml").read_text(encoding="utf-8"))
    draft = assemble_dict(library, data)
    text = article(draft, "use-sensitive-data")
    assert "本人の明示の同意" in text and "要配慮個人情報" in text
    data["answers"]["care-consent"] = "notice-only"
    message = refusal(library, data)
    assert "「notice-only」は、これらの回答の下では「care-consent」に選べない" in message and "要配慮個人情報が含まれ得るため" in message


# -- export of data at the end ---------------------------------------------------------------------

@pytest.mark.parametrize("example", ["ai-use-ja.yaml", "ai-use-en.yaml"])
def test_export_free_at_cost_or_not_at_all(library, example):
    ja = "ja" in example
    none = assemble_dict(library, with_answers(example, data_export={"export": "none"}))
    assert "use-data-export" not in ids(none)
    free = assemble_dict(library, with_answers(example, data_export={"export": "free", "days": 45}))
    text = article(free, "use-data-export")
    assert ("本契約の終了の日から45日を経過する日まで" if ja else "until 45 days after it ends") in text
    assert ("無償で" if ja else "free of charge") in text and ("見積り" if ja else "estimate") not in text
    overriding = f"{num(free, 'use-input-data')}の規定にかかわらず" if ja else f"Notwithstanding {num(free, 'use-input-data')}"
    assert overriding in text       # the vendor keeps the data after the end, only to hand it over
    assert "use-data-export" in survivors(free)
    cost = article(assemble_dict(library, with_answers(example, data_export={"export": "at-cost", "days": 30})), "use-data-export")
    assert ("見積りの額を支払う" if ja else "pay Vendor the amount of the estimate") in cost and ("無償" if ja else "free of charge") not in cost


def test_exported_data_leaves_out_what_the_sensitive_data_article_deletes(library):
    draft = assemble_dict(library, with_answers("ai-use-ja.yaml", data_export={"export": "free", "days": 30}, sensitive_data="included", **PERSONAL))
    assert f"（{num(draft, 'use-sensitive-data')}に従って消去すべきものを除く。以下「保存データ」という。）" in article(draft, "use-data-export")


# -- revision of the fee ---------------------------------------------------------------------------

@pytest.mark.parametrize("example", ["ai-use-ja.yaml", "ai-use-en.yaml"])
def test_fee_revision_by_agreement_at_renewal_or_on_notice(library, example):
    ja = "ja" in example
    agreed = assemble_dict(library, with_answers(example, fee_revision={"revision": "agreement"}))
    text = article(agreed, "use-fee-revision")
    assert ("両当事者が書面により合意した場合に限り" if ja else "only by written agreement") in text
    renewal = assemble_dict(library, with_answers(example, fee_revision={"revision": "at-renewal", "notice_days": 60}))
    text = article(renewal, "use-fee-revision")
    assert (f"{num(renewal, 'term')}の規定にかかわらず" if ja else f"Notwithstanding {num(renewal, 'term')}") in text
    assert ("満了日の60日前までに" if ja else "at least 60 days before the current term expires") in text
    assert ("本契約を延長しないことができる" if ja else "prevent the extension of this Agreement") in text
    notice = assemble_dict(library, with_answers(example, fee_revision={"revision": "on-notice", "notice_days": 45}))
    text = article(notice, "use-fee-revision")
    assert ("改定日の45日前までに" if ja else "at least 45 days before the Revision Date") in text
    assert ("違約金その他の金銭を支払う義務を負わず" if ja else "shall then owe no penalty") in text
    assert "use-fee-revision" in survivors(notice) and "use-fee-revision" not in survivors(renewal)
    pooled = ("減額の割合は、本条による改定の対象とならない" if ja else "rate of the reduction under")
    assert (pooled in text) == bool(load_example(example)["answers"].get("pooled-discount"))


def test_fee_revision_at_renewal_needs_a_renewal_and_a_free_service_has_none(library):
    data = with_answers("ai-use-en.yaml", term={"months": 12, "auto_renew": False}, fee_revision={"revision": "at-renewal"})
    message = refusal(library, data)
    assert "'at-renewal' is not available for 'fee-revision.revision'" in message and "does not renew automatically" in message
    free = with_answers("ai-use-ja.yaml", fee={"model": "free"}, liability={"cap": "none"}, service_level={"level": "target"})
    free["answers"].pop("fee-revision")
    draft = assemble_dict(library, free)
    assert "use-fee-revision" not in ids(draft)


# -- the damages cap of a service ------------------------------------------------------------------

def test_a_service_cap_counts_a_window_of_months_even_for_a_fixed_fee(library):
    data = with_answers("ai-use-en.yaml", fee={"model": "fixed", "amount": "JPY 300,000 per month"},
                        liability={"cap": "fees-paid", "months": 6, "minimum": "JPY 2,000,000"})
    text = article(assemble_dict(library, data), "liability")
    assert "paid or payable under this Agreement in the 6 months before the day on which the event" in text
    assert "JPY 2,000,000" in text and "whether or not it has fallen due" not in text
    data["answers"]["liability"] = {"cap": "fees-paid"}
    ja = with_answers("ai-use-ja.yaml", liability={"cap": "fees-paid"})
    text = article(assemble_dict(library, ja), "liability")
    assert "事由が生じた日の前12か月間に本契約に基づき支払われ" in text


# -- the whole draft, as Word opens it -------------------------------------------------------------

def test_an_unusual_combination_builds_in_both_languages_and_reads_back_from_word(library, tmp_path):
    from contractkit.build import build
    data = with_answers("ai-use-ja.yaml", sensitive_data="included", sensitive_data_use="consented-learning",
                        service_level={"level": "committed", "availability": "99.9%", "incident": "written-report", "remedy": "refund"},
                        input_data_security={"measures": "audited", "notice_hours": 6},
                        service_subcontracting={"subcontractors": "free", "location": "notified"},
                        data_export={"export": "free", "days": 90}, fee_revision={"revision": "on-notice", "notice_days": 120}, **PERSONAL)
    data = in_both_languages(data, load_example("ai-use-en.yaml"))
    build(write_answers(tmp_path, data), tmp_path / "draft.docx", library=library)
    xml = docx_xml(tmp_path / "draft.docx")
    from lxml import etree
    words = "".join(etree.fromstring(xml.encode()).itertext())
    assert not LEFTOVERS.search(words)
    for needle in ("サービスレベル及び障害対応", "Service Level and Outages", "要配慮個人情報の取扱い", "Sensitive Personal Information",
                   "再委託及びクラウド事業者", "Export of Data at the End", "対価の改定", "Revision of the Fee",
                   "99.9%", "6時間以内に", "until 90 days after it ends", "改定日の120日前までに"):
        assert needle in words, needle


def test_a_japanese_draft_of_the_new_articles_reads_back_from_word(library, tmp_path):
    from contractkit.build import build
    build(write_answers(tmp_path, load_example("ai-use-ja.yaml")), tmp_path / "ja.docx", library=library)
    text = docx_text(tmp_path / "ja.docx")
    for heading in ("サービスレベル及び障害対応", "入力データの安全管理", "再委託及びクラウド事業者", "対価の改定", "終了時のデータの引渡し"):
        assert heading in text
    assert "協議のうえ" not in text and "None" not in text


def test_know_how_in_the_input_data_reaches_subcontractors_only_with_notice_or_consent(library):
    draft = assemble_dict(library, load_example("ai-use-ja.yaml"))    # know-how: only notified staff may see the data
    assert f"{num(draft, 'use-input-data')}及び{num(draft, 'confidentiality')}の規定にかかわらず" in article(draft, "use-subcontracting")
    message = refusal(library, with_answers("ai-use-ja.yaml", service_subcontracting={"subcontractors": "free", "location": "japan"}))
    assert "「free」は、これらの回答の下では「service-subcontracting.subcontractors」に選べない" in message and "ノウハウ" in message
