"""The rule model: clause variants declare who may do what with which data, and when; a draft
whose articles disagree is refused, naming both articles, their files and the answers behind them."""
import shutil
import subprocess
import sys

import pytest

from conftest import ENV, ROOT, assemble_dict, load_example, resolve_dict


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "contractkit", *args], capture_output=True, text=True, env=ENV,
                          cwd=cwd or ROOT)


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory):
    base = tmp_path_factory.mktemp("rulepacks")
    proc = run("packs", "new", "cold-chain", "--contract", "data-provision", "--dir", str(base))
    assert proc.returncode == 0, proc.stderr
    return base / "cold-chain"


def planted(scaffold, tmp_path, rules: str, text_ja: str = "", text_en: str = ""):
    """The scaffold pack with rules (and optionally text) added to its with-review variant."""
    pack = tmp_path / "cold-chain"
    shutil.copytree(scaffold, pack)
    clause = pack / "clauses" / "cold-chain-notes.yaml"
    source = clause.read_text(encoding="utf-8")
    if text_ja:
        source = source.replace("      両当事者は、本契約に基づく取引", f"      {text_ja}\n      両当事者は、本契約に基づく取引", 1)
        source = source.replace("      The parties shall review", f"      {text_en}\n      The parties shall review", 1)
    source = source.replace("  without-review:\n", rules + "  without-review:\n", 1)
    clause.write_text(source, encoding="utf-8")
    return pack


LETS_RECIPIENT_DISCLOSE = """    rules:
      - object: provided-data
        party: recipient
        act: disclose
        time: term
        is: allowed
"""


def example_with(pack, **answers):
    path = pack / "examples" / "data-provision-ja.yaml"
    text = path.read_text(encoding="utf-8")
    extra = "".join(f"  {k}: {v}\n" for k, v in answers.items())
    path.write_text(text.replace("answers:\n", "answers:\n" + extra, 1), encoding="utf-8")
    return path


def test_a_planted_contradiction_names_both_articles_files_and_answers(scaffold, tmp_path):
    pack = planted(scaffold, tmp_path, LETS_RECIPIENT_DISCLOSE)
    example = example_with(pack, **{"third-party": "prohibited"})
    proc = run("build", str(example), "-o", str(tmp_path / "d.docx"), "--pack-path", str(tmp_path))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    message = proc.stderr
    # located at the answer that chose one side
    assert "data-provision-ja.yaml:" in message and "third-party: prohibited" in message
    assert "'third-party'" in message and "clauses/data/third-party.yaml" in message
    assert "'cold-chain-notes'" in message and "cold-chain-notes.yaml" in message
    assert "cold-chain-review: with-review" in message
    # the answers that would resolve it
    assert "third-party: allowed" in message and "cold-chain-review: without-review" in message
    assert "Traceback" not in message
    assert not (tmp_path / "d.docx").exists()


def test_a_contradiction_of_defaults_alone_is_a_library_defect(scaffold, tmp_path):
    pack = planted(scaffold, tmp_path, LETS_RECIPIENT_DISCLOSE.replace("is: allowed", "is: forbidden"))
    example = pack / "examples" / "data-provision-ja.yaml"
    assert "third-party:" not in example.read_text(encoding="utf-8")
    proc = run("build", str(example), "-o", str(tmp_path / "d.docx"), "--pack-path", str(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    # said in the answers' language (ja), the library's defect in English for its authors
    assert "二つの条項が矛盾している" in proc.stderr and "'third-party'" in proc.stderr and "'cold-chain-notes'" in proc.stderr
    assert "overrides:" in proc.stderr
    assert not (tmp_path / "d.docx").exists()


def test_an_override_must_say_so_in_its_text(scaffold, tmp_path):
    rules = LETS_RECIPIENT_DISCLOSE + "        overrides: [third-party]\n"
    pack = planted(scaffold, tmp_path, rules)
    example = example_with(pack, **{"third-party": "prohibited"})
    proc = run("build", str(example), "-o", str(tmp_path / "d.docx"), "--pack-path", str(tmp_path))
    assert proc.returncode == 1 and "overrides 'third-party' but its text does not say so" in proc.stderr, proc.stderr
    assert not (tmp_path / "d.docx").exists()

    said = tmp_path / "said"
    said.mkdir()
    pack = planted(scaffold, said, rules,
                   "{{ ref('third-party') }}の規定にかかわらず、{{ recipient }}は、本データを第三者に提供することができる。",
                   "Notwithstanding {{ ref('third-party') }}, {{ recipient }} may provide the Subject Data to third parties.")
    example = example_with(pack, **{"third-party": "prohibited"})
    proc = run("build", str(example), "-o", str(said / "d.docx"), "--pack-path", str(said))
    assert proc.returncode == 0, proc.stderr
    from conftest import docx_text
    assert "の規定にかかわらず、乙は、本データを第三者に提供することができる" in docx_text(said / "d.docx")


def test_unknown_words_in_a_rule_are_located_with_the_valid_choices(scaffold, tmp_path):
    pack = planted(scaffold, tmp_path, LETS_RECIPIENT_DISCLOSE.replace("act: disclose", "act: disclos")
                   .replace("party: recipient", "party: vendor"))
    proc = run("packs", "validate", str(pack))
    assert proc.returncode == 1, proc.stderr
    assert "cold-chain-notes.yaml:" in proc.stderr
    assert "'disclos' is not one of the rule model's acts (did you mean 'disclose'?)" in proc.stderr
    assert "'vendor' is not a role of the contract types that use 'cold-chain-notes'" in proc.stderr


def test_survival_lists_exactly_the_articles_whose_rules_apply_after_the_end(library):
    from contractkit.rules import answer_context, select

    def cited(answers):
        draft = assemble_dict(library, answers)
        survival = next(a for a in draft.articles if a.clause_id == "survival")
        return [s.target for p in survival.paragraphs for s in p.segments if hasattr(s, "target")][:-1], draft

    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["fee"] = {"model": "fixed", "amount": "金100万円"}
    listed, draft = cited(answers)
    resolved = resolve_dict(library, answers)
    selection = select(library, "data-provision", resolved.values, "ja")
    after_end = {r.clause for r in selection.rules if "after-end" in r.times}
    assert "confidentiality" in after_end and "purpose" not in after_end
    expected = [c.id for c in selection.clauses if c.id in after_end or c.survives is True or c.id == "fee"]
    assert listed == expected == selection.surviving(library, answer_context(resolved.values, "data-provision", "ja"))
    assert "fee" in listed and "purpose" not in listed and "term" not in listed

    answers["answers"]["fee"] = {"model": "free"}
    answers["answers"]["liability"] = {"cap": "none"}
    listed, _ = cited(answers)
    assert "fee" not in listed and "confidentiality" in listed


def _examples():
    return sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("name", _examples())
def test_every_memo_fallback_builds_a_coherent_draft(library, name):
    """The memo's fallback for each point, from each side, is an answer contractkit builds: the
    option is available with the other answers and no two articles contradict each other."""
    from contractkit.assemble import assemble
    from contractkit.guidance import gives_ground_decision
    from contractkit.memo import memo_rows
    answers = load_example(name)
    if answers.get("language") == "ja+en":
        answers["language"] = "ja"
    roles = [r["id"] for r in library.templates[answers["contract"]].roles]
    offered, kinds = 0, set()
    for perspective in [None, *roles]:
        answers["perspective"] = perspective
        resolved = resolve_dict(library, answers)
        rows = memo_rows(library, resolved, assemble(library, resolved))
        points = {p.id: p for p in library.points_in_order(answers["contract"]) if p.id in resolved.values}
        assert list(dict.fromkeys(r["point_id"] for r in rows)) == list(points)
        for row in rows:
            pid, point = row["point_id"], points[row["point_id"]]
            decision = point.field(row["field"]) if row["field"] else point
            value = resolved.values[pid][row["field"]] if row["field"] else resolved.values[pid]
            if decision.type in ("choice", "bool", "multi"):   # a row of one position: flagged as the declarations say
                assert ("gives ground" in row["stance"] or "譲歩" in row["stance"]) == \
                    gives_ground_decision(decision, value, answers["contract"], perspective)
            if point.fact:
                assert row["fallback"] in ("a fact to record, not a term to negotiate", "事実の記載であり、交渉事項ではない")
            if "fallback_answer" not in row:
                continue
            offered += 1
            point_id, field, option = row["fallback_answer"]
            point = points[point_id]
            changed = {**answers, "answers": dict(answers["answers"])}
            current = resolved.values[point_id]
            changed["answers"][point_id] = {**current, field: option} if field else option
            if field:   # the fields the concession brings in are left open
                changed["answers"][point_id] = {k: v for k, v in changed["answers"][point_id].items() if v is not None}
            kinds.add((point.field(field) if field else point).type)
            try:
                assemble(library, resolve_dict(library, changed))
            except Exception as exc:
                if "is not answered" not in str(exc) + str(getattr(exc, "problems", "")):
                    raise AssertionError(f"{name} ({perspective}): the fallback {point_id} → {option} does not build: {exc} "
                                         f"{getattr(exc, 'problems', '')}")
    assert offered
    assert kinds & {"bool", "multi"} or "nda" in name, kinds   # the yes/no and multi-select positions have fallbacks too


@pytest.mark.parametrize("name, article, says, not_says", [
    ("ai-poc-ja.yaml", "term", "段階", "データの継続的な提供"),
    ("ai-development-en.yaml", "fee", "results of AI development", "value of data is hard to assess"),
    ("ai-use-ja.yaml", "survival", "成果物の権利及び利用条件", "派生データの扱い"),
    ("data-provision-ja.yaml", "term", "データの継続的な提供", "段階"),
    ("data-creation-en.yaml", "fee", "direction of payment", "AI development"),
])
def test_the_guideline_comment_fits_the_contract_type(library, name, article, says, not_says):
    draft = assemble_dict(library, load_example(name))
    found = next(a for a in draft.articles if a.clause_id == article)
    assert says in found.comment and not_says not in found.comment


def _session(library, tmp_path, answers: dict):
    from conftest import dump_yaml
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    from contractkit.prompts import Terminal
    path = tmp_path / "deal.yaml"
    path.write_text(dump_yaml(answers), encoding="utf-8")
    return Interview(library, AnswersDocument(path), Terminal(), "en", tmp_path / "deal.docx")


def test_the_interview_does_not_offer_what_earlier_answers_rule_out(library, tmp_path):
    answers = load_example("ai-poc-en.yaml")
    answers["answers"]["fee"] = {"model": "free"}
    answers["answers"].pop("liability", None)
    session = _session(library, tmp_path, answers)
    cap = library.points["liability"].field("cap")
    offered = [value for _title, value, _note in session._option_choices(cap)]
    assert "fees-paid" not in offered and offered == ["fixed-amount", "none"]
    reason = session.ruled_out(cap)["fees-paid"]   # the rule model's reason: a cap of fees that are never owed
    assert "the cap on damages" in reason and "'fee' (Consideration" in reason
    credit = library.points["poc-fee-credit"]     # a yes/no: no credit of the fees of a free proof of concept
    assert list(session.ruled_out(credit)) == [True] and "'poc-fee-credit'" in session.ruled_out(credit)[True]
    answers["answers"]["fee"] = {"model": "fixed", "amount": "JPY 1,000,000"}
    session = _session(library, tmp_path, answers)
    assert "fees-paid" in [value for _t, value, _n in session._option_choices(cap)]


def test_the_interview_leaves_out_an_option_that_contradicts_an_answered_point(scaffold, tmp_path):
    """The planted pack rule lets the recipient disclose the data; with 'third-party: prohibited'
    answered, the pack's own question does not offer the variant that carries it."""
    from contractkit.library import load_library
    pack = planted(scaffold, tmp_path, LETS_RECIPIENT_DISCLOSE)
    library = load_library(packs=[pack])
    answers = load_example("data-provision-en.yaml")
    answers["usecase"] = "cold-chain"
    answers["answers"]["third-party"] = "prohibited"
    session = _session(library, tmp_path, answers)
    review = library.points["cold-chain-review"]
    offered = [value for _t, value, _n in session._option_choices(review)]
    assert offered == ["without-review"]
    assert "two articles contradict each other" in session.ruled_out(review)["with-review"]   # an English session
    answers["answers"]["third-party"] = "allowed"
    session = _session(library, tmp_path, answers)
    assert [v for _t, v, _n in session._option_choices(review)] == ["with-review", "without-review"]
