"""Issue 12, the data types: the articles each lacked (payment terms, late payment, inspection of the
data provided, contractors, claims by third parties; on the platform, prohibited acts, removal of
infringing data, rights in the platform, collection of fees, minors and consumers). Each option is
built into a real draft and read back from the .docx, in Japanese and English."""
import copy
import re

import pytest

from conftest import LEFTOVERS, docx_text, dump_yaml, load_example


def build_text(tmp_path, library, example: str, **changes) -> str:
    from contractkit.build import build
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        data["answers"][key.replace("_", "-")] = value
    path = tmp_path / "answers.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    out = tmp_path / "draft.docx"
    build(path, out, library=library)
    import docx
    paragraphs = docx.Document(str(out)).paragraphs
    text = Draft(docx_text(out))
    text.headings = {p.text for p in paragraphs if p.style.name == "CK Article Heading"}
    out.unlink()
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    return text


class Draft(str):
    """A draft's text, knowing which of its lines are article headings (numbered by Word, not typed)."""
    headings: set = set()


def refused(tmp_path, library, example: str, **changes) -> str:
    from contractkit.build import build
    from contractkit.errors import UserError
    data = copy.deepcopy(load_example(example))
    for key, value in changes.items():
        data["answers"][key.replace("_", "-")] = value
    path = tmp_path / "answers.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        build(path, tmp_path / "refused.docx", library=library)
    assert not (tmp_path / "refused.docx").exists()
    return "\n".join([caught.value.args[0], *(caught.value.problems or [])])


def article(text: Draft, heading: str) -> str:
    """The paragraphs of the article with that heading, up to the next article's heading."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line in text.headings and heading in line)
    body = []
    for line in lines[start + 1:]:
        if line in text.headings:
            break
        body.append(line)
    assert body, heading
    return "\n".join(body)


# -- payment terms and late payment ---------------------------------------------------------------

def test_one_off_fee_without_late_payment_clause_has_no_late_payment_article(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", payment_terms={"schedule": "one-off", "late_interest": "none"})
    assert "遅延損害金" not in text
    assert "各暦月につき" not in text and "各契約年度" not in text


def test_monthly_fee_and_statutory_late_payment_ja(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml",
                      payment_terms={"schedule": "monthly", "late_interest": "statutory"})
    fee = article(text, "（対価）")
    assert "本契約の対価として、各暦月につき" in fee
    assert "各暦月の末日以後に、当該暦月分の対価について前項の請求書を発行するものとする。" in fee
    late = article(text, "（遅延損害金）")
    assert "支払期日の翌日における法定利率の割合による遅延損害金を支払うものとする。" in late
    assert late.startswith("乙が第")


def test_yearly_fee_and_agreed_rate_en(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-en.yaml", fee={"model": "fixed", "amount": "JPY 3,000,000"},
                      payment_terms={"schedule": "yearly", "late_interest": "agreed", "rate": "10% per annum"})
    assert "JPY 3,000,000 for each contract year (each period of one year from the Effective Date)" in text
    assert "invoice under the preceding paragraph for each contract year on or after the first day of that contract year" in text
    late = article(text, "Late Payment")
    assert "late-payment damages on the unpaid amount at the rate of 10% per annum, for the period from the day after the due date" in late


def test_the_agreed_rate_defaults_per_language(tmp_path, library):
    ja = build_text(tmp_path, library, "data-provision-ja.yaml", payment_terms={"late_interest": "agreed"})
    assert "年14.6%の割合による遅延損害金" in ja
    en = build_text(tmp_path, library, "data-provision-en.yaml", fee={"model": "fixed", "amount": "JPY 1"},
                    payment_terms={"late_interest": "agreed"})
    assert "at the rate of 14.6% per annum" in en


def test_a_free_deal_has_no_payment_terms_or_late_payment(tmp_path, library):
    # fee: free, so the point is not asked and an answer to it changes nothing
    text = build_text(tmp_path, library, "data-creation-ja.yaml", payment_terms={"schedule": "monthly", "late_interest": "statutory"})
    assert "遅延損害金" not in text and "各暦月につき" not in text


@pytest.mark.parametrize("payer, ja_payer, en_payer", [("party-b", "乙", "Party B"), ("party-a", "甲", "Party A")])
def test_data_creation_fee_runs_the_way_recorded(tmp_path, library, payer, ja_payer, en_payer):
    ja_payee, en_payee = {"乙": ("甲", "Party A"), "甲": ("乙", "Party B")}[ja_payer]
    ja = build_text(tmp_path, library, "data-creation-ja.yaml", fee={"model": "fixed", "amount": "金100万円"},
                    fee_payer=payer, payment_terms={"late_interest": "statutory"})
    assert f"{ja_payer}は、{ja_payee}に対し、本契約の対価として、金100万円" in article(ja, "（対価）")
    assert article(ja, "（遅延損害金）").startswith(f"{ja_payer}が第")
    en = build_text(tmp_path, library, "data-creation-en.yaml", fee={"model": "usage-based", "amount": "JPY 10 per record"},
                    fee_payer=payer, payment_terms={"late_interest": "statutory"})
    assert f"{en_payer} shall pay {en_payee} for each calendar month an amount calculated by applying JPY 10 per record" in en
    assert article(en, "Late Payment").startswith(f"If {en_payer} fails to pay")


# -- inspection of the data provided --------------------------------------------------------------

def test_deemed_inspection_ja_conditions_the_one_off_invoice(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", acceptance={"check": "deemed", "days": 7})
    body = article(text, "（本データの確認）")
    assert "提供を受けた日から7日以内（以下「確認期間」という。）" in body
    assert "乙が確認期間内に前項の通知をしないとき" in body
    assert "確認が完了した後でなければ、第" in body and "条に定める請求書を発行することができない。" in body
    # the delivery article no longer checks on receipt by itself
    assert "受領した後速やかに" not in text


def test_written_inspection_en_and_no_invoice_condition_for_a_monthly_fee(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-en.yaml", fee={"model": "fixed", "amount": "JPY 1"},
                      payment_terms={"schedule": "monthly", "late_interest": "none"}, acceptance={"check": "written", "days": 14})
    body = article(text, "Inspection of the Subject Data")
    assert "Within 14 days after receiving Subject Data" in body
    assert "complete when Recipient notifies Provider in writing or by electronic means that it conforms" in body
    assert "may not be issued until the inspection" not in body


def test_no_inspection_article_leaves_the_check_on_receipt(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", acceptance={"check": "none"},
                      delivery={"method": "file-transfer", "frequency": "毎月1回"})
    assert "（本データの確認）" not in text and "確認期間" not in text
    assert "受領した後速やかに" in text


# -- contractors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("option, ja, en", [
    ("consent", "あらかじめ甲の書面による承諾を得なければならない。", "provided that it first obtains the written consent of Provider"),
    ("notice", "委託の開始前に甲に書面又は電磁的方法により通知しなければならない。", "before the work begins, it notifies Provider"),
    ("free", "甲の承諾を得ることなく、本データの取扱い", "without the consent of Provider"),
])
def test_contractors_each_option(tmp_path, library, option, ja, en):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", third_party="with-consent", outsourcing=option)
    body = article(text, "（委託先）")
    assert ja in body and "乙は、委託先の行為について、自らの行為として甲に対して責任を負う。" in body
    text = build_text(tmp_path, library, "data-provision-en.yaml", third_party="with-consent", outsourcing=option)
    assert en in article(text, "Contractors")


def test_contractors_where_third_parties_are_banned(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", third_party="prohibited", outsourcing="consent")
    assert "条に従い本データの取扱いの全部又は一部を第三者（以下「委託先」という。）に委託するときは" in article(text, "（委託先）")
    assert re.search(r"answers\.yaml:\d+:\d+: 「notice」は、これらの回答の下では「outsourcing」に選べない", refused(tmp_path, library, "data-provision-ja.yaml", third_party="prohibited", outsourcing="notice"))


def test_contractors_in_data_creation_bind_each_party(tmp_path, library):
    text = build_text(tmp_path, library, "data-creation-en.yaml", third_party="with-consent", outsourcing="notice")
    body = article(text, "Contractors")
    assert body.startswith("Each party may entrust")
    assert "obligations equivalent to those it owes under this Agreement" in body


def test_no_contractors_article_after_a_transfer(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", provision_form="transfer")
    assert "（委託先）" not in text


# -- claims by third parties ----------------------------------------------------------------------

def test_claims_by_third_parties_with_and_without_a_non_infringement_warranty(tmp_path, library):
    plain = article(build_text(tmp_path, library, "data-provision-ja.yaml", warranty=["authority"]), "（第三者との紛争）")
    assert plain.startswith("乙は、自らによる本データ")
    assert "前二項の規定は適用せず" not in plain
    carved = article(build_text(tmp_path, library, "data-provision-ja.yaml", warranty=["authority", "non-infringement"]),
                     "（第三者との紛争）")
    assert "甲が第" in carved and "前二項の規定は適用せず" in carved
    en = article(build_text(tmp_path, library, "data-creation-en.yaml", warranty=["authority", "non-infringement"]),
                 "Claims by Third Parties")
    assert en.startswith("If a party receives a claim from")
    assert "The preceding two paragraphs do not apply" in en


# -- data-sharing: prohibited conduct and removal of infringing data --------------------------------

def test_prohibited_conduct_and_removal_after_notice_ja(tmp_path, library):
    text = build_text(tmp_path, library, "data-sharing-ja.yaml", takedown="notice-first", personal_data="anonymised")
    body = article(text, "（禁止事項）")
    for item in ("虚偽のデータ", "スクレイピング", "特定の個人又は法人その他の団体を識別し", "匿名加工情報を他の情報と照合し",
                 "第三者の知的財産権", "アクセス制限を回避して"):
        assert item in body, item
    assert "7日以上の期間を定めて弁明又は是正の機会を与えるものとします。" in body
    assert "前項の規定にかかわらず、当社は、権利の侵害が明白であって" in body
    assert "前三項の規定は、第" in body and "条に定める措置を妨げるものではありません。" in body


def test_immediate_removal_en_and_no_anonymised_item_without_anonymised_data(tmp_path, library):
    text = build_text(tmp_path, library, "data-sharing-en.yaml", takedown="immediate", personal_data="none")
    body = article(text, "Prohibited Conduct")
    assert "collect data from it, by automated means (including crawlers, scraping and other programs)" in body
    assert "may, without prior notice, immediately remove the data from the Platform" in body
    assert "anonymously processed information" not in body
    assert "Notwithstanding the preceding paragraph" not in body


# -- data-sharing: rights in the platform ---------------------------------------------------------

@pytest.mark.parametrize("option, ja, en", [
    ("operator-may-use", "当社が本プラットフォーム及び本サービスの改善のために無償で利用することができる", "The Operator may use free of charge"),
    ("consent", "当該参加者の同意を得た場合に限り", "only with that Participant's consent"),
])
def test_rights_in_the_platform_and_feedback(tmp_path, library, option, ja, en):
    body = article(build_text(tmp_path, library, "data-sharing-ja.yaml", feedback=option), "（本プラットフォームに関する権利）")
    assert "リバースエンジニアリング、逆コンパイル若しくは逆アセンブルをしてはならず" in body and ja in body
    assert "提供データ及び派生データの利用権限は、第" in body
    body = article(build_text(tmp_path, library, "data-sharing-en.yaml", feedback=option), "Rights in the Platform")
    assert en in body


# -- data-sharing: minors and consumers on an open platform ---------------------------------------

def test_minors_and_consumers_only_on_an_open_platform(tmp_path, library):
    assert "（未成年者及び消費者である参加者）" not in build_text(tmp_path, library, "data-sharing-ja.yaml",
                                                                eligibility="approved-applicants")
    text = build_text(tmp_path, library, "data-sharing-ja.yaml", eligibility="open", minors="consent-required")
    body = article(text, "（未成年者及び消費者である参加者）")
    assert "あらかじめ法定代理人の同意を得なければならない" in body
    assert "消費者契約法に定める消費者に該当する場合" in body and "当社の故意又は重大な過失" in body
    en = article(build_text(tmp_path, library, "data-sharing-en.yaml", eligibility="open", minors="not-allowed"),
                 "Minors and Consumer Participants")
    assert en.startswith("Minors may not register on the Platform.")
    assert "within the meaning of the Consumer Contract Act" in en


# -- data-sharing: payment of data fees -------------------------------------------------------------

def test_operator_collects_data_fees_and_deducts_its_commission(tmp_path, library):
    text = build_text(tmp_path, library, "data-sharing-ja.yaml", payment_collection="operator-collects")   # revenue-share
    body = article(text, "（データ利用料の支払）")
    assert "提供参加者に代わって受領する権限を付与するものとします。" in body
    assert "当社に支払った時に、当該データ利用料に係る提供参加者に対する債務を免れるものとします。" in body
    assert "条に定める利用料金及び振込手数料を差し引いた額" in body


def test_direct_payment_of_data_fees_en(tmp_path, library):
    text = build_text(tmp_path, library, "data-sharing-en.yaml", license_scope="provider-designates", payment_collection="direct")
    body = article(text, "Payment for the Use of Provided Data")
    assert "directly to the Providing Participant" in body and "is not a party to any failure to pay them" in body
    assert "Payment for the Use of Provided Data" not in build_text(tmp_path, library, "data-sharing-en.yaml")   # all-participants


# -- data-sharing: withdrawal and the licences already granted ------------------------------------

def test_withdrawal_ends_licences_already_granted_unless_data_is_kept(tmp_path, library):
    ja = article(build_text(tmp_path, library, "data-sharing-ja.yaml", withdrawal="delete"), "（退会時のデータの取扱い）")
    assert "利用条件に退会等の後の利用についての定めがある場合を除き、退会等の日に終了するものとします。" in ja
    en = article(build_text(tmp_path, library, "data-sharing-en.yaml", withdrawal="return"), "Data on Withdrawal and Closure")
    assert "granted to other Participants under Article" in en and "ends on the day of the Exit." in en
    kept = article(build_text(tmp_path, library, "data-sharing-ja.yaml", withdrawal="keep-for-remaining"), "（退会時のデータの取扱い）")
    assert "退会等の日に終了する" not in kept and "引き続き当該利用参加者が利用することができる" in kept


# -- data-creation: who holds the data, how the other gets it, and which way the fee runs ----------

@pytest.mark.parametrize("access, ja, en", [
    ("continuous", "乙が甲の指定する方法により本データにアクセスし、これを取得することができる状態を維持する",
     "keep the Subject Data available for Party B to access and retrieve"),
    ("periodic", "毎月末日までに創出された本データの複製物を、翌月15日までに", "by the 15th day of each month Party A shall provide Party B"),
    ("on-request", "求めを受けた日から14日以内に", "Within 14 days after a request by Party B"),
])
def test_custody_and_access_each_option(tmp_path, library, access, ja, en):
    body = article(build_text(tmp_path, library, "data-creation-ja.yaml", data_custody={"holder": "party-a", "access": access}),
                   "（本データの保管及びアクセス）")
    assert body.startswith("本データは、甲が管理するシステムにおいて保管するものとし") and ja in body
    body = article(build_text(tmp_path, library, "data-creation-en.yaml", data_custody={"holder": "party-a", "access": access}),
                   "Custody of and Access to the Subject Data")
    assert en in body


def test_custody_by_party_b_and_none_where_one_party_controls(tmp_path, library):
    body = article(build_text(tmp_path, library, "data-creation-ja.yaml", data_custody={"holder": "party-b", "access": "on-request"}),
                   "（本データの保管及びアクセス）")
    assert body.startswith("本データは、乙が管理するシステムにおいて保管する") and "費用は、甲の負担とする。" in body
    text = build_text(tmp_path, library, "data-creation-ja.yaml", rights_allocation="one-party-license", rights_holder="party-b")
    assert "（本データの保管及びアクセス）" not in text
    assert "乙は、甲から求められたときは" in article(text, "（本データの利用権限）")


def test_rights_allocation_says_the_fee_is_the_exception_to_free_use(tmp_path, library):
    free = article(build_text(tmp_path, library, "data-creation-ja.yaml"), "（本データの利用権限）")   # fee: free
    assert "各当事者は、自らの利用目的の範囲内で本データを利用することについて" in free
    paid = article(build_text(tmp_path, library, "data-creation-ja.yaml", fee={"model": "fixed", "amount": "金100万円"}),
                   "（本データの利用権限）")
    assert "各当事者は、第" in paid and "条に定める対価を除き、自らの利用目的の範囲内で本データを利用することについて" in paid
    licensed = article(build_text(tmp_path, library, "data-creation-en.yaml", rights_allocation="one-party-license",
                                  rights_holder="party-a", fee={"model": "fixed", "amount": "JPY 1,000,000"}),
                       "Rights to Use the Data")
    assert "grants Party B a non-exclusive licence" in licensed and "royalty-free" not in licensed
    assert "for the consideration set out in Article" in licensed


def test_a_controlling_party_that_pays_the_licensee_is_cautioned(library):
    from conftest import resolve_dict
    answers = copy.deepcopy(load_example("data-creation-en.yaml"))
    answers["answers"].update({"rights-allocation": "one-party-license", "rights-holder": "party-a",
                               "fee": {"model": "fixed", "amount": "JPY 1"}, "fee-payer": "party-a"})
    assert "controller-pays-licensee" in [w["id"] for w in resolve_dict(library, answers).warnings]
    answers["answers"]["fee-payer"] = "party-b"
    assert "controller-pays-licensee" not in [w["id"] for w in resolve_dict(library, answers).warnings]


def test_the_data_marketplace_pack_leaves_consumers_to_its_own_article(tmp_path, library):
    """The pack protects individuals in dm-individuals; the core article on an open platform then keeps
    only the rule on minors and refers to it, rather than saying the Consumer Contract Act twice."""
    from contractkit.build import build
    from conftest import ROOT
    out = tmp_path / "dm.docx"
    build(ROOT / "usecases" / "data-marketplace" / "examples" / "data-sharing-en.yaml", out)
    text = docx_text(out)
    assert text.count("within the meaning of the Consumer Contract Act") == 1
    start = text.index("Minors and Consumer Participants")
    assert "Minors may not register on the Platform." in text[start:start + 600]
    assert "Consumer Contract Act is governed by Article" in text[start:start + 600]
