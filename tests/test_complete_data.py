"""Issue 12, the data types: the articles each lacked (payment terms, late payment, inspection of the
data provided, contractors, claims by third parties; on the platform, prohibited acts, removal of
infringing data, rights in the platform, collection of fees, minors and consumers). Each option is
built into a real draft and read back from the .docx, in Japanese and English."""
import copy

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
    text = docx_text(out)
    out.unlink()
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    return text


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


def article(text: str, heading: str) -> str:
    """The paragraphs of the article with that heading, up to the next heading (第N条 / Article N)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.rstrip().endswith(heading))
    body = []
    for line in lines[start + 1:]:
        if line.startswith("第") and "条" in line[:5] and "（" in line or line.startswith("Article ") and len(line) < 80:
            break
        body.append(line)
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
    assert "JPY 3,000,000 for each contract year (each period of one year from the effective date of this Agreement)" in text
    assert "invoice under the preceding paragraph for each contract year on or after the first day of that contract year" in text
    late = article(text, "Late Payment")
    assert "late-payment damages on the unpaid amount at the rate of 10% per annum from the day after the due date" in late


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
    assert f"{en_payer} shall pay {en_payee} for each calendar month an amount calculated on the basis of JPY 10 per record" in en
    assert article(en, "Late Payment").startswith(f"If {en_payer} fails to pay")


# -- inspection of the data provided --------------------------------------------------------------

def test_deemed_inspection_ja_conditions_the_one_off_invoice(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", acceptance={"check": "deemed", "days": 7})
    body = article(text, "（提供データの確認）")
    assert "提供を受けた日から7日以内（以下「確認期間」という。）" in body
    assert "乙が確認期間内に前項の通知をしないとき" in body
    assert "確認が完了した後でなければ、第" in body and "条に定める請求書を発行することができない。" in body
    # the delivery article no longer checks on receipt by itself
    assert "受領した後速やかに" not in text


def test_written_inspection_en_and_no_invoice_condition_for_a_monthly_fee(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-en.yaml", fee={"model": "fixed", "amount": "JPY 1"},
                      payment_terms={"schedule": "monthly", "late_interest": "none"}, acceptance={"check": "written", "days": 14})
    body = article(text, "Inspection of the Data Provided")
    assert "Within 14 days after receiving Subject Data" in body
    assert "complete when Recipient notifies Provider in writing or by electronic means that it conforms" in body
    assert "may not be issued until the inspection" not in body


def test_no_inspection_article_leaves_the_check_on_receipt(tmp_path, library):
    text = build_text(tmp_path, library, "data-provision-ja.yaml", acceptance={"check": "none"},
                      delivery={"method": "file-transfer", "frequency": "毎月1回"})
    assert "提供データの確認" not in text and "確認期間" not in text
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
    assert "answers.yaml:41:16: 'notice' is not available for 'outsourcing'" in refused(tmp_path, library, "data-provision-ja.yaml", third_party="prohibited", outsourcing="notice")


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
