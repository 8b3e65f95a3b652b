"""Point types as objects (contractkit/point_types.py): the shapes the 2025 checklist needs (mappings
with list and number fields) validate with located errors, are asked, described and drawn; money
fields are checked and normalised in the answers file, in the draft and at the interview's prompt;
a free text's `form:` is checked at the prompt."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import article_text, assemble_dict, dump_yaml, example_with, load_example, resolve_dict
from test_interview import ENTER, DOWN, BACKSPACE, prefilled, run_interview, saved


def _decision(**kwargs):
    from contractkit.library import Decision
    fields = [_decision(**f) for f in kwargs.pop("fields", [])]
    return Decision(file="clauses/test.yaml", path=("points", 0), fields=fields, **kwargs)


MODE = [{"id": i, "label": {"ja": i, "en": i.title()}} for i in ("none", "limited", "term")]
KINDS = [{"id": i, "label": {"ja": j, "en": e}} for i, j, e in
         (("prompts", "プロンプト", "Prompts"), ("files", "ファイル", "Files"), ("logs", "ログ", "Logs"))]
RETENTION = _decision(id="retention", type="mapping", contracts=["ai-use"], fields=[
    {"id": "mode", "type": "choice", "options": MODE, "label": {"ja": "保存", "en": "Retention"}},
    {"id": "days", "type": "int", "min": 0, "max": 365, "nullable": True, "label": {"ja": "日数", "en": "Days"}}])
INPUT_SCOPE = _decision(id="input-scope", type="mapping", contracts=["ai-use"], fields=[
    {"id": "kinds", "type": "multi", "options": KINDS, "label": {"ja": "種類", "en": "Kinds"}},
    {"id": "description", "type": "text", "form": "noun-phrase", "label": {"ja": "内容", "en": "Description"}}])


def _check(decision, value, lang="en"):
    from contractkit.values import value_schema
    problems = []
    out = value_schema(decision, "ai-use", ["user", "vendor"], lang).check(value, ("answers", decision.id), problems)
    return out, problems


def test_mappings_with_list_and_number_fields_validate_with_located_errors():
    assert _check(RETENTION, {"mode": "limited", "days": 30}) == ({"mode": "limited", "days": 30}, [])
    _, problems = _check(RETENTION, {"mode": "limited", "days": 400})
    assert problems and problems[0].path == ("answers", "retention", "days") and "365" in problems[0].message
    _, problems = _check(RETENTION, {"mode": "forever"})
    assert problems[0].path == ("answers", "retention", "mode") and "limited" in problems[0].message
    value, problems = _check(INPUT_SCOPE, {"kinds": ["prompts", "logs"], "description": "customer enquiries"})
    assert not problems and value["kinds"] == ["prompts", "logs"]
    _, problems = _check(INPUT_SCOPE, {"kinds": ["prompts", "emails"], "description": "customer enquiries"})
    assert problems[0].path == ("answers", "input-scope", "kinds", 1) and "files" in problems[0].message
    _, problems = _check(INPUT_SCOPE, {"kinds": ["prompts"], "description": "for customer enquiries"})
    assert problems[0].path == ("answers", "input-scope", "description") and "noun phrase" in problems[0].message


def test_mappings_with_list_and_number_fields_are_described(library):
    from contractkit.describe import describe_value
    words = describe_value(library, "ai-use", INPUT_SCOPE, {"kinds": ["prompts", "logs"], "description": "enquiries"}, "ja")
    assert "プロンプト" in words and "ログ" in words and "enquiries" in words and "None" not in words
    words = describe_value(library, "ai-use", RETENTION, {"mode": "limited", "days": 30}, "en")
    assert "Limited" in words and "30" in words


@pytest.mark.parametrize("decision", [RETENTION, INPUT_SCOPE], ids=lambda d: d.id)
def test_sampled_values_of_every_type_are_valid(decision):
    from test_properties import value_strategy

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value_strategy(decision, "ai-use", ["user", "vendor"]))
    def run(value):
        assert _check(decision, value)[1] == []
    run()


def test_every_declared_type_is_a_class_with_its_own_schema_and_samples(library):
    """Each type of every point and field in the library is registered, and its sampled values pass
    its own schema (what the property tests draw is what the answers file accepts)."""
    from contractkit.point_types import type_of
    from test_properties import value_strategy
    seen = {}
    for point in library.points.values():
        for d in (point, *point.fields, *(c for f in point.fields for c in f.fields)):
            seen.setdefault(d.type, (d, point.contracts[0]))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        for d, contract in seen.values():
            roles = [r["id"] for r in library.templates[contract].roles]
            problems = []
            type_of(d).schema(d, contract, roles, "en").check(data.draw(value_strategy(d, contract, roles)),
                                                               ("answers", d.id), problems)
            assert problems == [], (d.type, problems)
    run()
    assert {"choice", "multi", "bool", "text", "int", "mapping", "records"} <= set(seen)


@pytest.mark.parametrize("form, typed, lang, out", [
    ("amount", "200000", "ja", "金200,000円"), ("amount", "200000", "en", "JPY 200,000"),
    ("amount", "月額20万円", "ja", "月額20万円"), ("amount", "JPY 200,000 per month", "en", "JPY 200,000 per month"),
    ("rate", "6", "en", "6%"), ("rate", "10% of net sales", "en", "10% of net sales"),
    ("annual-rate", "14.6", "ja", "年14.6%"), ("annual-rate", "14.6", "en", "14.6% per annum"),
    ("amount-or-rate", "5%", "ja", "5%"), ("amount-or-rate", "金100万円", "ja", "金100万円"),
])
def test_money_is_normalised_to_the_form_the_clause_needs(form, typed, lang, out):
    from contractkit.schema import money_text
    assert money_text(typed, form, lang) == (out, None)


@pytest.mark.parametrize("form, typed, hint", [
    ("amount-or-rate", "6", "bare number"), ("amount", "6", "万円"), ("amount", "別途協議", "no figure"),
    ("rate", "JPY 200,000", "percentage"), ("amount", "10% of net sales", "currency"), ("rate", "150", "100"),
])
def test_money_that_does_not_fit_is_refused_with_a_hint(form, typed, hint):
    from contractkit.schema import money_text
    value, message = money_text(typed, form, "en")
    assert value is None and hint in message and "e.g." in message


def test_a_bare_amount_gets_its_unit_in_the_draft_in_each_language(library):
    for example, expected in (("ai-use-ja.yaml", "金5,000,000円"), ("ai-use-en.yaml", "JPY 5,000,000")):
        data = load_example(example)
        data["answers"]["liability"] = {**data["answers"].get("liability", {}), "cap": "fixed-amount", "amount": "5000000"}
        draft = assemble_dict(library, data)
        assert expected in article_text(draft, "liability")


def test_a_bare_number_for_a_fee_is_refused_at_its_line_and_column(library):
    from contractkit.errors import UserError
    data = example_with("data-provision-en.yaml")
    data["answers"]["fee"] = {"model": "fixed", "amount": "6"}
    text = dump_yaml(data)
    with pytest.raises(UserError) as error:
        resolve_dict(library, data)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "amount:" in row and "6" in row)
    message = str(error.value)
    assert f"answers.yaml:{line}:" in message and "bare number" in message and "10% of net sales" in message


def test_the_interview_refuses_a_bare_number_for_the_fee_and_takes_it_with_its_unit(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("fee",))
    models = library.points["fee"].field("model").option_ids("data-provision")
    keys = (DOWN * models.index("fixed") + ENTER
            + "6" + ENTER                      # refused at the prompt: an amount or a rate?
            + BACKSPACE + "金100万円" + ENTER
            + ENTER)                           # review: generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["fee"] == {"model": "fixed", "amount": "金100万円"}   # not "6": refused at the prompt


def test_the_interview_gives_a_bare_rate_its_unit(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-en.yaml", drop=("payment-terms",))
    field = library.points["payment-terms"].field("late_interest")
    values = saved(path)["answers"]
    keys = ""
    if values.get("fee", {}).get("model") == "fixed":
        keys += ENTER                          # the schedule: its default
    keys += DOWN * field.option_ids().index("agreed") + ENTER + BACKSPACE * 20 + "14.6" + ENTER + ENTER
    result, transcript = run_interview(library, path, keys)
    assert result == 0, transcript
    assert saved(path)["answers"]["payment-terms"]["rate"] == "14.6% per annum"     # a bare 14.6, given its unit


def test_the_interview_checks_a_noun_phrase_at_the_prompt(library, tmp_path):
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("purpose",))
    keys = "工作機械の保守のため" + ENTER + BACKSPACE * 3 + ENTER + ENTER   # refused; 「のため」 dropped; generate
    result, transcript = run_interview(library, path, keys, ui="ja")
    assert result == 0, transcript
    assert saved(path)["answers"]["purpose"] == "工作機械の保守"       # not 「…のため」: refused at the prompt


def test_a_bare_amount_in_a_bilingual_draft_gets_its_unit_in_each_column(library, tmp_path):
    """One figure for both columns of a ja+en draft: 金…円 on the left, JPY … on the right (a
    Japanese unit is not refused as Japanese in the English column)."""
    import docx
    from contractkit.cli import main
    data = load_example("data-provision-bilingual.yaml")
    data["answers"]["liability"] = {**data["answers"].get("liability", {}), "cap": "fixed-amount", "amount": "3000000"}
    path = tmp_path / "answers.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    assert main(["build", str(path), "-o", str(tmp_path / "draft.docx")]) == 0
    document = docx.Document(str(tmp_path / "draft.docx"))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "金3,000,000円を上限とする" in text and "shall not exceed JPY 3,000,000." in text


def _type_name_branches(source: str) -> list[int]:
    """Lines that compare a `.type` (or a `kind` read off it) with the name of a point type."""
    import ast
    from contractkit.point_types import TYPES
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        reads_type = any(isinstance(s, ast.Attribute) and s.attr == "type" for s in sides)
        names = {c.value for s in sides for c in ([s] if isinstance(s, ast.Constant) else getattr(s, "elts", []))
                 if isinstance(c, ast.Constant) and isinstance(c.value, str)}
        if reads_type and names & set(TYPES):
            found.append(node.lineno)
    return found


def test_no_module_but_point_types_branches_on_a_point_types_name():
    """A new shape is one class in point_types.py: no other module decides by a type's name."""
    from pathlib import Path
    import contractkit
    root = Path(contractkit.__file__).parent
    offenders = {str(p.relative_to(root)): lines for p in sorted(root.rglob("*.py")) if p.name != "point_types.py"
                 for lines in [_type_name_branches(p.read_text(encoding="utf-8"))] if lines}
    assert offenders == {}
    # the scan itself finds such a branch
    assert _type_name_branches('if decision.type == "mapping":\n    pass\n') == [1]
    assert _type_name_branches('x = point.type in ("choice", "multi")\n') == [1]


def test_each_type_says_what_its_answers_can_be_changed_to(library):
    """The rule model's resolutions, the interview's ruled-out options and the review's candidates
    ask the type: a yes/no tries both, a choice its options, a multi-select one option more or less."""
    from contractkit.point_types import type_of
    by_type = {}
    for point in library.points.values():
        for d in [point, *point.fields]:
            if d.contracts and d.type not in by_type:
                by_type[d.type] = (d, d.contracts[0])
    choice, contract = by_type["choice"]
    ids = choice.option_ids(contract)
    assert type_of(choice).trials(choice, contract) == ids
    assert type_of(choice).candidates(choice, ids[0], contract) == ids[1:]
    yes_no, contract = by_type["bool"]
    assert type_of(yes_no).trials(yes_no, contract) == [False, True]
    assert type_of(yes_no).candidates(yes_no, True, contract) == [False]
    multi, contract = by_type["multi"]
    ids = multi.option_ids(contract)
    assert type_of(multi).trials(multi, contract) == []     # no one whole answer to try alone
    assert type_of(multi).candidates(multi, ids[:1], contract)[0] == []
    assert type_of(multi).same(ids[:2], list(reversed(ids[:2])))
    assert not type_of(choice).same(ids[0], ids[-1])
    mapping, contract = by_type["mapping"]
    assert [path for _, _, path in type_of(mapping).parts(mapping, {})] == [(f.id,) for f in mapping.fields]
    assert type_of(choice).parts(choice, ids[0]) == [(choice, ids[0], ())]
