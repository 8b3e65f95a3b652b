"""The Japanese text as a lawyer reads it: drafts built from the shipped Japanese examples and from
answers files that combine valid options in unusual ways (tests/data/read-ja/), read back from the
Word file, article by article. One test per class of defect found in the read-through; the general
phrasing rules (no article overriding itself, 「この限りではありません」, 「前項の規定により」) are in
tests/test_style.py as well."""
import re
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES, ROOT, docx_articles as _articles
from contractkit.build import build

DATA = ROOT / "tests" / "data" / "read-ja"
SOURCES = sorted([*EXAMPLES.glob("*-ja.yaml"), *DATA.glob("*.yaml")])


@pytest.fixture(scope="module")
def drafts(library, tmp_path_factory):
    """name → {heading: [paragraph texts]} of the built Word draft, built once per module."""
    out, cache = tmp_path_factory.mktemp("read-ja"), {}

    def get(name):
        if name not in cache:
            source = next(s for s in SOURCES if s.stem == name)
            result = build(source, out / f"{name}.docx", library=library)
            cache[name] = _articles(docx.Document(str(result.output)))
        return cache[name]
    return get


def text(articles, heading):
    return "\n".join(articles[heading])


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_no_article_overrides_itself_and_no_stray_phrasing(drafts, source):
    """「本条の規定にかかわらず」 inside the article it names says nothing; the other checks are the
    phrasing defects the read-through found (「）（以下」 doubled brackets, 「この限りでありません」)."""
    for heading, paragraphs in drafts(source.stem).items():
        body = "\n".join(paragraphs)
        assert "本条の規定にかかわらず" not in body, heading
        assert "）（以下「" not in body, heading
        assert "この限りでありません" not in body, heading
        assert not re.search(r"前[二三各]?項により", body), heading


@pytest.mark.parametrize("name", ["ai-poc-ja", "ai-development-ja", "ai-use-ja", "data-provision-ja", "data-creation-ja"])
def test_the_confidentiality_override_comes_before_the_survival_paragraph(drafts, name):
    paragraphs = drafts(name)["秘密保持"]
    override = next(i for i, p in enumerate(paragraphs) if p.startswith("前各項の規定にかかわらず、本データの利用、開示及び保持については、"))
    survival = next(i for i, p in enumerate(paragraphs) if p.startswith("本条の規定は、本契約の終了後も"))
    assert override == survival - 1


@pytest.mark.parametrize("name, limit", [
    ("ai-nda-ja", "範囲の制限"),                 # scope limited, no cap
    ("dev-work-strict", "額の制限"),             # cap, full damages
    ("ai-poc-ja", "範囲及び額の制限"),           # both
])
def test_the_gross_negligence_carve_out_names_only_the_limits_the_article_sets(drafts, name, limit):
    body = text(drafts(name), "損害賠償")
    assert f"本条に定める損害賠償の{limit}は、損害賠償責任を負う当事者に故意又は重大な過失がある場合には、適用しない。" in body
    assert body.count("制限は、") == 1


def test_input_data_purposes_that_need_consent_are_not_also_banned(drafts):
    body = text(drafts("ai-use-ja"), "入力データの取扱い")
    assert ("乙は、前項各号に掲げる目的以外の目的のために入力データを利用してはならない。ただし、乙は、甲の事前の書面による承諾を得たときは、"
            "次の各号に掲げる目的のために入力データを利用することができる。") in body
    assert "利用してはならず、甲の事前の書面による承諾を得ることなく" not in body


def test_the_nda_report_uses_the_terms_it_defines(drafts):
    articles = drafts("ai-nda-ja")
    assert "本目的に係る検討（以下「本検討」という。）" in text(articles, "検討の実施及び報告書")
    stage = text(articles, "次の段階への移行")
    assert "乙は、本検討を終えたときは、速やかに本報告書を甲に提出することにより、その結果を報告するものとする。" in stage
    assert "甲は、第１項の報告を受けた日から30日以内に" in stage
    assert "本目的に係る検討を終えた" not in stage and "検討の結果の報告を受けた日" not in stage
    assert "甲の役員及び従業員並びに守秘義務を負う弁護士、公認会計士その他の専門家" in text(articles, "検討の実施及び報告書")


def test_exclusivity_periods_say_whether_they_run_past_the_end(drafts):
    development = text(drafts("ai-development-ja"), "本成果物の利用条件")
    assert "乙は、本契約の有効期間中及び業務終了確認日から12か月を経過するまでの間（本契約の終了後を含む。）、" in development
    use = text(drafts("use-pooled-vendor"), "利用条件")
    assert "乙は、本契約の有効期間中であって、本件サービスの提供を開始した日から6か月を経過するまでの間は、" in use
    assert "有効期間中、業務終了確認日から" not in development and "有効期間中、本件サービスの提供を開始した日から" not in use


def test_data_articles_grammar(drafts):
    provision = drafts("data-provision-ja")
    derived = text(provision, "派生データ")
    assert "甲は、乙の書面による承諾を得ることなく、この許諾に基づく権利を第三者に再許諾することができない。" in derived
    assert "この許諾は、" not in derived
    assert "当該第三者を委託先とみなして本条の規定を適用する。" in text(provision, "委託先")
    assert "派生データの取扱いは、第８条の定めるところによる。" in text(provision, "加工及び分析")
    assert "加工・分析" not in provision
    creation = drafts("dc-both-free")
    assert "ただし、本データを第三者に開示し、又は提供することについては、第１０条の定めるところによる。" in text(creation, "本データの利用権限")
    assert "前項の規定により本データとして取り扱うものを除き、" in text(creation, "派生データ")


def test_a_free_data_deal_names_the_data_by_its_defined_term(drafts):
    assert "甲による本データの提供は無償とし、" in text(drafts("dp-joint-exclusive"), "対価")
    assert "本データの創出への関与及び本データの利用は無償とし、" in text(drafts("dc-both-free"), "対価")


def test_a_transfer_binds_the_former_owner_after_the_end_in_plain_words(drafts):
    body = text(drafts("dp-transfer-paid"), "データの譲渡")
    assert "甲は、本データの引渡し後は、本契約の終了後においても、乙の書面による承諾を得た場合を除き、" in body


@pytest.mark.parametrize("name, heading", [("nda-mutual-uncapped", "準拠法及び仲裁"), ("ds-open-free", "準拠法及び仲裁"),
                                           ("ai-nda-ja", "準拠法及び合意管轄"), ("data-sharing-ja", "準拠法及び管轄")])
def test_an_arbitration_clause_is_not_headed_jurisdiction(drafts, name, heading):
    articles = drafts(name)
    assert heading in articles
    assert ("仲裁により最終的に解決" in text(articles, heading)) == heading.endswith("仲裁")


def test_the_any_purpose_dataset_is_not_emptied_by_the_confidentiality_article(drafts):
    """Every piece of 本データ is 甲's confidential information in an AI contract (秘密保持 第２項), so
    an exception for 'the parts that are confidential' left nothing of 'any purpose'."""
    articles = drafts("dev-mandate-open")
    assert "乙が本契約に基づき甲から提供を受けた本データは、秘密である旨の明示の有無にかかわらず、秘密情報に含まれる" in text(articles, "秘密保持")
    body = text(articles, "本データ及び学習用データセットの取扱い")
    assert "学習用データセットを、目的を問わず利用し、第三者に開示し、又は提供することができる。ただし、乙は、学習用データセットを第三者に開示し、又は提供するときは、" in body
    assert "秘密情報又は個人情報に該当する部分については、この限りでない" not in body
    assert "12か月以内に書面により行わなければならない。" in text(articles, "学習済みモデルの利用に関する責任")
    assert "乙に対して書面により" not in text(articles, "学習済みモデルの利用に関する責任")


def test_ai_use_defined_terms_and_licences(drafts):
    sensitive = drafts("use-sensitive-internal")
    assert "個人情報の保護に関する法律（以下「個人情報保護法」という。）" in text(sensitive, "個人情報等の取扱い")
    assert "その他の個人情報保護法に定める要配慮個人情報（以下「要配慮個人情報」という。）" in text(sensitive, "要配慮個人情報の取扱い")
    assert "に従って消去すべきものを除く。以下「保存データ」という。）" in text(sensitive, "終了時のデータの引渡し")
    output = text(drafts("use-pooled-vendor"), "AI生成物の権利")
    assert "AI生成物を本目的の範囲内で利用することを無償かつ非独占的に許諾する。この許諾は、本契約の終了後も存続する。" in output


def test_ai_work_articles_grammar(drafts):
    assert "本目的の範囲内で甲が本成果物を利用するために特許権等を実施する非独占的な権利を、無償で許諾する。" in text(drafts("poc-free-return"), "発明等の取扱い")
    assert "前項の規定により充当する額は、" in text(drafts("ai-poc-ja"), "開発の対価への充当")
    strict = drafts("dev-work-strict")
    assert "本契約において、前各項の手続により本成果物が検収に合格した日（合格したものとみなされた日を含む。）を「業務終了確認日」という。" in text(strict, "検収")
    assert "本契約において、前各項の手続により本業務の終了が確認された日" in text(drafts("ai-development-ja"), "業務の終了確認")


def test_platform_terms_grammar(drafts):
    articles = drafts("data-sharing-ja")
    assert "利用料金の総額と金100万円とのいずれか高い額を上限とします。" in text(articles, "損害賠償")
    assert "この限りではありません" in "\n".join(p for ps in drafts("ds-operator-only").values() for p in ps)


@pytest.mark.parametrize("name", ["data-creation-ja", "dc-both-free", "dc-one-holder", "dc-fee-schedule"])
def test_data_creation_calls_the_other_party_aitekata_throughout(drafts, name):
    # docs/style-ja.md 5: 「相手方」, never 「他方当事者」 beside it for the same idea; 「相手方」 is never a third party's counterparty
    articles = drafts(name)
    body = "\n".join("\n".join(p) for p in articles.values())
    assert "他方当事者" not in body
    assert body.count("相手方") > 20
    if name == "dc-both-free":   # third parties allowed: the disclosing party records to whom it gave the data
        assert "その提供先、時期及び対象となるデータの範囲を記録し" in text(articles, "第三者提供")


def test_operator_only_withdrawal_says_what_each_party_erases_or_keeps(drafts):
    # license-scope operator-only: Participants receive Analysis Results, never other Participants' Provided Data
    body = text(drafts("ds-operator-only"), "退会時のデータの取扱い")
    assert "他の参加者の提供データの利用を中止し" not in body
    assert "本プラットフォームを通じて取得した提供データを返還し、又は消去する" not in body
    assert "当社は、退会等の日以後、当該提供データを用いて新たに分析結果等を作成しないものとします。" in body
    assert "退会参加者は、退会等の日までに本サービスとして提供を受けた分析結果等を、退会等の日以後も本目的の範囲内で利用することができるものとします。" in body
    assert ("本プラットフォームの運営が終了したときは、当社は、終了日までに各提供参加者から求めがあったものについて、その提供データを退会等の場合と"
            "同様の方法により返還した上で、終了日から30日以内に保有する全ての提供データを消去するものとし、参加者は、終了日までに本サービスとして"
            "提供を受けた分析結果等を、終了日以後も本目的の範囲内で利用することができるものとします。") in body


def test_a_data_creation_fee_schedule_names_who_pays_whom(library, tmp_path):
    result = build(DATA / "dc-fee-schedule.yaml", tmp_path / "dc.docx", library=library)
    document = docx.Document(str(result.output))
    fee = text(_articles(document), "対価")
    assert "甲は、乙に対し、本契約の対価として、別紙1に掲げる費目ごとに、同別紙に定める金額（消費税及び地方消費税を除く。）を支払うものとする。" in fee
    assert "別紙1に費目ごとに定める支払期日までに、乙が指定する銀行口座に振り込む方法により支払うものとする。振込手数料は、甲の負担とする。" in fee
    assert [c.text for c in document.tables[-1].rows[2].cells] == ["データ取得作業の月額費用", "金200,000円", "各暦月", "当該暦月の翌月末日"]
    assert any(p.text == "別紙1（対価の明細）" for p in document.paragraphs)


@pytest.mark.parametrize("amount, schedule, expected", [
    ("月額金20万円", "monthly", "乙は、甲に対し、本契約の対価として、月額金20万円（消費税及び地方消費税を除く。）を支払うものとする。"),
    ("金20万円", "monthly", "乙は、甲に対し、本契約の対価として、各暦月につき金20万円（消費税及び地方消費税を除く。）を支払うものとする。"),
    ("売上高の10%", None, "に係る乙の売上高の10%に相当する金額（消費税及び地方消費税を除く。）を支払うものとする。"),
    ("10%", None, "に係る乙の売上高に10%を乗じて得た金額（消費税及び地方消費税を除く。）を支払うものとする。"),
])
def test_the_fee_reads_with_an_amount_that_states_its_period_or_a_rate_that_states_its_base(library, tmp_path, amount, schedule, expected):
    from conftest import dump_yaml, load_example
    data = load_example("data-provision-ja.yaml")
    answers = data["answers"]
    answers["fee"] = {"model": "revenue-share" if "%" in amount else "fixed", "amount": amount}
    answers["derived-data"] = "recipient-free"
    answers.pop("payment-terms", None)
    if schedule:
        answers["payment-terms"] = {"schedule": schedule}
    source = tmp_path / "dp.yaml"
    source.write_text(dump_yaml(data), encoding="utf-8")
    fee = _articles(docx.Document(str(build(source, tmp_path / "dp.docx", library=library).output)))["対価"]
    assert expected in fee[0]
    assert "月額金20万円を" not in fee[0] and "各暦月につき月額" not in fee[0] and "売上高に売上高" not in fee[0]


@pytest.mark.parametrize("name", ["ai-poc-ja", "poc-free-return", "poc-work-keeps"])
def test_the_poc_names_the_development_agreement_by_its_defined_term(drafts, name):
    """「開発契約」 is defined once, in the definitions article, and the gate, the end of the data
    and the fee credit use the term instead of spelling the contract out again."""
    articles = drafts(name)
    body = "\n".join(p for heading, ps in articles.items() if heading != "定義" for p in ps)
    assert "学習済みモデルの開発に関する契約" not in body
    assert "（以下「開発契約」という。）" not in body
    assert "「開発契約」とは、本業務の後に両当事者が締結する、本業務の結果に基づく学習済みモデルの開発に関する契約をいう。" in text(articles, "定義")
    uses = [h for h in ("次の段階への移行", "終了時の本データの取扱い", "開発の対価への充当") if h in articles and "開発契約" in text(articles, h)]
    assert "次の段階への移行" in uses


def test_the_contract_for_work_says_once_what_an_early_end_before_acceptance_pays_and_lets_the_user_end_it(drafts):
    """請負: 検収 no longer takes in an early end (the early-end fee article settles the hand-over and
    the fee), and the orderer may end the contract before acceptance against damages (民法641条),
    less the fee for the work done and no more than the whole fee."""
    articles = drafts("dev-work-strict")
    acceptance = text(articles, "検収")
    assert "中途で終了した場合を含む" not in acceptance
    assert "本成果物が検収に合格する前に本契約が終了した場合には、本条の検収は行わず、作成済みの本成果物の引渡し及び遂行済みの本業務の対価については、第１１条の定めるところによる。" in acceptance
    early = text(articles, "中途終了時の対価")
    assert early.startswith("本成果物が検収に合格する前に本契約が終了した場合（第１２条及び第２７条の規定による解除、")
    ending = text(articles, "検収前の解除")
    assert "甲は、本成果物が検収に合格する（合格したものとみなされる場合を含む。）までの間は、いつでも、乙に対し書面により通知することにより、本契約を解除することができる。" in ending
    assert "賠償すべき額は、当該損害の額から第１１条の規定により甲が支払う対価の額を控除した額とする。" in ending
    assert "第１０条に定める対価の総額を超えないものとする。" in ending
    assert "第１２条" in text(articles, "存続条項")


def test_a_quasi_mandate_development_has_no_termination_before_acceptance(drafts):
    assert "検収前の解除" not in drafts("dev-mandate-open")
    assert "検収前の解除" not in drafts("ai-development-ja")


def test_the_vendors_restricted_period_allows_work_for_the_user(drafts):
    body = text(drafts("dev-work-strict"), "本成果物の利用条件")
    assert "乙は、業務終了確認日から6か月を経過するまでの間は、本業務及び甲から別途委託を受けた業務の遂行に必要な範囲を超えて本成果物を利用してはならず、" in body


def test_the_memo_shows_no_guideline_standard_for_a_fact(library, tmp_path):
    """A point (or a mapping's field) that records a fact has no usual position: the memo's column
    ガイドラインの標準 reads — for it, and a mapping's row shows the usual of its positions only."""
    memo = tmp_path / "memo.docx"
    build(EXAMPLES / "ai-poc-ja.yaml", tmp_path / "d.docx", library=library, memo=memo)
    table = docx.Document(str(memo)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    usual, fallback = header.index("ガイドラインの標準"), header.index("譲歩案（押し返された場合）")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    facts = [cells for cells in rows.values() if cells[fallback] == "事実の記載であり、交渉事項ではない"]
    assert len(facts) >= 4 and all(cells[usual] == "—" for cells in facts)
    work = rows["業務の内容、成果物及び日程をどう定めるか"]
    assert work[usual] == "成果物：報告書"


def test_a_poc_on_a_time_charge_takes_a_rate_schedule(library, tmp_path):
    """ai-poc has the fee schedule (別紙) the other AI types have: a quasi-mandate PoC paid by the hour
    lists its rates, and the fee article refers to the schedule for the rates and the due dates."""
    result = build(DATA / "poc-time-charge-rates.yaml", tmp_path / "d.docx", library=library)
    document = docx.Document(str(result.output))
    fee = "\n".join(_articles(document)["対価"])
    assert "乙の要員が本業務に従事した時間に応じ、別紙1に定める費目ごとの金額の基準により算定した金額" in fee
    assert "別紙1に費目ごとに定める支払期日までに" in fee
    assert any(p.text == "別紙1（対価の明細）" for p in document.paragraphs)
    schedule = document.tables[-1]
    assert [c.text for c in schedule.rows[1].cells] == ["プロジェクトマネージャ", "1時間当たり金20,000円", "本業務の期間", "従事した月の翌月末日"]
