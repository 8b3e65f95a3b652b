"""The clause library is data: one schema checks it, errors point into the YAML, templates are sandboxed."""
import re
import shutil
import time

import pytest

from conftest import assemble_dict, load_example


@pytest.fixture
def library_copy(tmp_path):
    from contractkit.library import data_root
    for sub in ("clauses", "templates"):
        shutil.copytree(data_root() / sub, tmp_path / sub)
    return tmp_path


def build_copy(root):
    from contractkit.library import build_library
    return build_library(root)


def set_variant_text(root, clause_file, new_text):
    """Replace the Japanese text of the first variant of a clause with `new_text` (a block scalar)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString
    yaml = YAML()
    path = root / "clauses" / clause_file
    data = yaml.load(path.read_text(encoding="utf-8"))
    first = next(iter(data["variants"]))
    data["variants"][first]["ja"] = LiteralScalarString(new_text)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index(next(l for l in text.splitlines() if l.strip() == new_text.splitlines()[0].strip()))
    return line + 1  # 1-based line of the template's first line


def test_shipped_library_is_valid(library):
    assert {"data-provision", "data-creation", "data-sharing"} <= set(library.templates)
    for contract in ("data-provision", "data-creation", "data-sharing"):
        for cid in library.templates[contract].articles:
            assert library.clauses[cid].heading["ja"] and library.clauses[cid].heading["en"]


def test_jinja_syntax_error_is_located_in_the_yaml(library_copy):
    first = set_variant_text(library_copy, "common/consultation.yaml", "一行目\n二行目{% if %}\n")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    assert f"clauses/common/consultation.yaml:{first + 1}:7: Jinja template syntax error" in str(info.value)


def test_undefined_name_in_a_template_is_reported(library_copy):
    set_variant_text(library_copy, "common/consultation.yaml", "{{ purpse }}について協議する。\n")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    assert "clauses/common/consultation.yaml:" in str(info.value)
    assert "'purpse' is not a point, role or helper (did you mean 'purpose'?)" in str(info.value)


def test_reference_to_an_unknown_clause_is_a_library_error(library_copy):
    first = set_variant_text(library_copy, "common/consultation.yaml", "協議する。\n{{ ref('no-such-article') }}に従う。\n")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    assert f"clauses/common/consultation.yaml:{first + 1}:15: ref('no-such-article'): no clause 'no-such-article'" in str(info.value)


def test_reference_to_an_article_not_in_the_draft_is_a_build_error(library_copy):
    set_variant_text(library_copy, "common/consultation.yaml", "{{ ref('personal-data') }}に従い協議する。\n")
    library = build_copy(library_copy)
    from contractkit.errors import BuildError
    answers = load_example("data-provision-ja.yaml")
    answers["answers"]["personal-data"] = "none"
    with pytest.raises(BuildError) as info:
        assemble_dict(library, answers)
    assert "clauses/common/consultation.yaml: refers to 'personal-data'" in str(info.value)
    assert "which is not in this draft" in str(info.value)
    assert info.value.exit_code == 1


def test_unknown_field_in_a_clause_file(library_copy):
    path = library_copy / "clauses" / "common" / "consultation.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "headng: {ja: x, en: y}\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    assert "'headng' is not a known key (did you mean 'heading'?)" in str(info.value)


@pytest.mark.parametrize("payload,expected", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ lipsum.__globals__ }}", "unsafe"),
    ("{{ 'a' * 100000000 }}", "at most"),
    ("{{ 9 ** 9 ** 7 }}", "limited"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "characters"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "longer than"),
])
def test_hostile_templates_are_stopped(library_copy, payload, expected):
    set_variant_text(library_copy, "common/consultation.yaml", payload + "\n")
    library = build_copy(library_copy)
    from contractkit.errors import BuildError
    # The bound is on processor time (what the template Deadline counts), not the wall clock: a
    # loaded machine stretches the wall clock, never the processor time a runaway template gets.
    started = time.process_time()
    with pytest.raises(BuildError) as info:
        assemble_dict(library, load_example("data-provision-ja.yaml"))
    assert time.process_time() - started < 2
    assert "clauses/common/consultation.yaml:" in str(info.value)
    assert expected in str(info.value)


def test_cache_is_reused_and_invalidated(tmp_path, monkeypatch, library_copy):
    from contractkit.library import load_library
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(tmp_path / "cache"))
    first = load_library(library_copy)
    assert list((tmp_path / "cache").glob("library-*.pickle"))
    again = load_library(library_copy)
    assert set(again.codes) == set(first.codes)
    path = library_copy / "clauses" / "common" / "consultation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("協議", "誠実に協議", 1), encoding="utf-8")
    changed = load_library(library_copy)
    assert changed.codes.keys() == first.codes.keys()
    assert len(list((tmp_path / "cache").glob("library-*.pickle"))) == 1


def test_defined_terms_check_catches_unused_and_undefined_terms(library_copy):
    from contractkit.errors import BuildError
    set_variant_text(library_copy, "common/consultation.yaml",
                     "両当事者は、誠実に協議する（以下「本協議」という。）。\n")
    with pytest.raises(BuildError) as info:
        assemble_dict(build_copy(library_copy), load_example("data-provision-ja.yaml"))
    assert "clauses/common/consultation.yaml: 「本協議」 is defined in" in str(info.value)
    assert "but never used" in str(info.value)
    set_variant_text(library_copy, "common/consultation.yaml", "両当事者は、「協議事項」について誠実に協議する。\n")
    with pytest.raises(BuildError) as info:
        assemble_dict(build_copy(library_copy), load_example("data-provision-ja.yaml"))
    assert "clauses/common/consultation.yaml: 「協議事項」 is used in" in str(info.value) and "never defined" in str(info.value)


def test_definitions_article_lists_exactly_the_terms_used(library):
    from conftest import draft_plain_text
    answers = load_example("data-provision-ja.yaml")
    draft = assemble_dict(library, answers)
    definitions = next(a for a in draft.articles if a.clause_id == "definitions")
    defined = [item[0].split("」")[0].lstrip("「") for item in definitions.paragraphs[0].items]
    others = "\n".join(draft_plain_text(draft.__class__(**{**draft.__dict__, "articles": [a]}))
                       for a in draft.articles if a.clause_id != "definitions")
    assert defined and all(term in others for term in defined)
    for tid, term in library.terms.items():
        ours = answers["contract"] in library.term_contracts.get(tid, [answers["contract"]])
        if term["ja"]["term"] in others and tid in library.term_homes:
            # a term of other contract types only (the 2025 types' 個人情報) is an ordinary word here
            assert (term["ja"]["term"] in defined) == ours, tid


def test_contract_types_are_offered_along_the_guidelines_path(library):
    assert list(library.templates) == ["data-provision", "data-creation", "data-sharing",
                                       "ai-nda", "ai-poc", "ai-development", "ai-use", "ai-service", "ai-customization"]


def test_concession_orders_and_money_rules_are_checked(library_copy):
    """Yes/no and multi-select positions declare their concession order too, each side's order agrees
    with whom the options favour, and a rule's `needs:` speaks the rule model's words."""
    def edit(relative, old, new):
        path = library_copy / "clauses" / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("ai/poc-fee-credit.yaml", "      user: [true, false]", "      user: [true, true]")
    edit("data/management.yaml", "      recipient: [security-measures, segregation, usage-reports, audit]\n", "")
    edit("common/liability.yaml", "          vendor: [fees-paid, fixed-amount, none]", "          vendor: [none, fees-paid, fixed-amount]")
    edit("common/fee.yaml", "party: user, act: commercialise}", "party: user, act: commercialize}")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    problems = "\n".join(getattr(info.value, "problems", None) or [str(info.value)])
    assert "clauses/ai/poc-fee-credit.yaml:" in problems and "'poc-fee-credit' is a yes/no point" in problems
    assert "clauses/data/management.yaml:" in problems and "declares no concession order for recipient" in problems
    assert "puts 'fees-paid', which favours vendor, after 'none', which favours the other side" in problems
    assert "'commercialize' is not one of the rule model's acts (did you mean 'commercialise'?)" in problems


def test_a_name_written_differently_in_each_language_declares_its_default_in_both(library_copy):
    """`translate: true` (a court, a law, a seat) is for a text, and its default is {ja: …, en: …}:
    a plain default would put English into the Japanese column of a bilingual draft."""
    path = library_copy / "clauses" / "common" / "disputes.yaml"
    text = path.read_text(encoding="utf-8")
    old = "        default: {ja: 東京地方裁判所, en: Tokyo District Court}\n"
    assert old in text
    text = text.replace(old, "        default: Tokyo District Court\n", 1)
    text = text.replace("      - id: forum\n        type: choice\n", "      - id: forum\n        type: choice\n        translate: true\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    problems = "\n".join(getattr(info.value, "problems", None) or [str(info.value)])
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l == "        default: Tokyo District Court")
    assert f"clauses/common/disputes.yaml:{line}:" in problems, problems
    assert "'court' is written differently in Japanese and English (translate: true): give its default as {ja: …, en: …}" in problems
    assert "'translate: true' is for a text (a name written differently in Japanese and English), not a choice" in problems


def test_a_contract_types_word_must_be_declared_by_every_type_that_drafts_the_text(library_copy):
    # consultation is in every contract type; only the 2025 types declare words
    first = set_variant_text(library_copy, "common/consultation.yaml", "{{ words.the_system }}について協議する。\n")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    text = str(info.value)
    assert f"clauses/common/consultation.yaml:{first}:10: 'words.the_system' is not declared by the contract types " \
           "data-provision, data-creation, ai-nda, ai-poc, ai-development, ai-use, which draft this text (words: in templates/<type>.yaml); declared: none" in text, text
    assert "ai-service" not in text and "ai-customization" not in text


def test_a_misspelt_word_is_located_with_the_declared_words(library_copy):
    path = library_copy / "clauses/ai2025/ai25-security.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ words.data_before_inputs }}インプット若しくは",
                                                             "{{ words.data_befor_inputs }}インプット若しくは"), encoding="utf-8")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    text = str(info.value)
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "data_befor_inputs" in l)
    assert f"clauses/ai2025/ai25-security.yaml:{line}:" in text
    assert "'words.data_befor_inputs' is not declared by the contract types ai-service, ai-customization, which draft " \
           "this text (words: in templates/<type>.yaml) (did you mean 'data_before_inputs'?); declared: " in text, text
    declared = text.split("declared: ")[-1].split(", ")
    assert declared == sorted(declared) and {"data_before_inputs", "the_system"} <= set(declared), declared


def test_words_print_each_contract_types_own_text(library):
    from conftest import draft_plain_text
    texts = {name: draft_plain_text(assemble_dict(library, load_example(name))) for name in ("ai-service-ja.yaml", "ai-customization-ja.yaml")}
    entrusts = lambda name: next(line for line in texts[name].splitlines() if "処理委託先として" in line or "処理委託先に委託" in line)
    assert "本データ、インプット及びアウトプット" in entrusts("ai-customization-ja.yaml")
    assert "本データ" not in entrusts("ai-service-ja.yaml") and "インプット及びアウトプット" in entrusts("ai-service-ja.yaml")


def test_a_types_rule_objects_and_a_rules_premise_are_checked(library_copy):
    """A contract type names the rule model's objects only (`rule_objects:`), and a rule's `premise`
    explains its `needs:`, so a premise without one is refused; each at its place in the file."""
    template = library_copy / "templates" / "ai-service.yaml"
    text = template.read_text(encoding="utf-8")
    assert "  input-data: {ja: インプット, en: the Inputs}\n" in text
    template.write_text(text.replace("  input-data: {ja: インプット, en: the Inputs}\n", "  input-dta: {ja: インプット, en: the Inputs}\n", 1),
                        encoding="utf-8")
    clause = library_copy / "clauses" / "ai2025" / "ai25-processing-location.yaml"
    text = clause.read_text(encoding="utf-8")
    old = "    needs: {object: [input-data, output], party: vendor, act: entrust, is: consent}\n"
    assert old in text
    clause.write_text(text.replace(old, "", 1), encoding="utf-8")
    with pytest.raises(Exception) as info:
        build_copy(library_copy)
    problems = "\n".join(getattr(info.value, "problems", None) or [str(info.value)])
    assert re.search(r"templates/ai-service\.yaml:\d+:\d+: 'input-dta' is not one of the rule model's objects "
                     r"\(did you mean 'input-data'\?\)", problems), problems
    assert re.search(r"clauses/ai2025/ai25-processing-location\.yaml:\d+:\d+: a 'premise' says what the article does "
                     r"that presupposes its base: it needs 'needs:'", problems), problems
