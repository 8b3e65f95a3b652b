"""A whole interview of every contract type, driven through prompt_toolkit pipe input: an
autopilot terminal types, before each real prompt runs, the keys of the answer its plan picks.
The answers file the interview writes must build (exit 0) into a draft with no "None", no "{{"
and no blank where an answer belongs; and the lists of records and the texts per language
(ja+en) are asked and written as the answers file has them."""
import io
import re

import docx
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import LEFTOVERS
from contractkit.prompts import Terminal

DOWN, SPACE, ENTER, CLEAR, ESC = "\x1b[B", " ", "\r", "\x15", "\x1b"
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
CONTRACTS = ["data-provision", "data-creation", "data-sharing", "ai-nda", "ai-poc", "ai-development", "ai-use", "ai-service", "ai-customization"]


class Autopilot(Terminal):
    """A real prompt_toolkit terminal on pipe input that answers its own questions: `plan` picks
    the answer, the keys for it are sent to the pipe, then the prompt runs and reads them."""

    def __init__(self, pipe, plan):
        super().__init__(pipe, DummyOutput(), io.StringIO())
        self.pipe, self.plan, self.asked = pipe, plan, []

    def _count(self, message):
        self.asked.append(message)
        assert len(self.asked) < 900, "the interview does not end:\n" + "\n".join(self.asked[-30:])

    def select(self, message, choices, default=None, instruction=None, help_value=None, footer=None):
        self._count(message)
        start = next((i for i, c in enumerate(choices) if c[1] == default), 0)
        target = self.plan.select(message, choices, start)
        self.pipe.send_text(DOWN * ((target - start) % len(choices)) + ENTER)
        return super().select(message, choices, default, instruction, help_value, footer)

    def checkbox(self, message, choices, instruction=None):
        self._count(message)
        self.pipe.send_text(self.plan.checkbox(message, choices) + ENTER)
        return super().checkbox(message, choices, instruction)

    def text(self, message, default="", validate=None, instruction=None):
        self._count(message)
        typed = self.plan.text(message, default, validate or (lambda t: True))
        self.pipe.send_text(("" if typed is None else CLEAR + typed) + ENTER)
        return super().text(message, default, validate, instruction)

    def confirm(self, message, default=True):
        self._count(message)
        self.pipe.send_text("y")
        return super().confirm(message, default)


class Plan:
    """What to answer: every select at its default (`usual`) or at its last option (`last`), a
    list of records of `rows` rows, and a text typed into every text prompt (an English one where
    the prompt asks for English, or the draft is in English), so that no answer is left open."""

    def __init__(self, lang, pick="usual", rows=2):
        self.lang, self.pick, self.rows = lang, pick, rows
        self.count = 0
        self.typed: list[tuple[str, str]] = []       # (prompt, text typed)

    def select(self, message, choices, start):
        values = [c[1] for c in choices]
        if "\0generate" in values:
            return values.index("\0generate")
        if "\0done" in values:                      # the rows of a list: add until there are `rows`
            return values.index("\0add") if len([v for v in values if isinstance(v, int)]) < self.rows else values.index("\0done")
        if "\0list" in values:
            return values.index("\0list")
        if self.pick == "usual" or message.startswith(("Industry use-case pack", "業種別")):
            return start
        offered = [i for i, v in enumerate(values) if v != "\0more"]
        return offered[-1]

    def checkbox(self, message, choices):
        if self.pick == "usual" or choices[-1][3]:
            return ""
        return DOWN * (len(choices) - 1) + SPACE          # tick the last option too

    def text(self, message, default, validate):
        if default and validate(default) is True and not (message.endswith(("(English)", "（英語）")) and JAPANESE.search(default)):
            return None                                    # keep what is there
        self.count += 1
        english = message.endswith(("(English)", "（英語）")) or (self.lang == "en" and not message.endswith(("(Japanese)", "（日本語）")))
        money = ("JPY 1,000,000", "5% of net sales") if english else ("金100万円", "売上高の5%")   # a `form:` of money
        for candidate in (f"sample text {self.count}" if english else f"テスト文言{self.count}", "12", "2026-12-01", *money):
            if validate(candidate) is True:
                self.typed.append((message, candidate))
                return candidate
        raise AssertionError(f"no answer fits {message!r}")


def interview(library, path, contract, lang, plan):
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    with create_pipe_input() as pipe:
        term = Autopilot(pipe, plan)
        session = Interview(library, AnswersDocument(path), term, "en" if lang == "en" else "ja",
                            path.with_suffix(".docx"), {"contract": contract, "lang": lang})
        assert session.run() == 0
    return term


def draft_texts(path) -> list[str]:
    """Every paragraph of the draft, in the body and in its tables' cells (a bilingual draft, the schedules)."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


BLANKS = re.compile(r"「」|（）|\(\)|“”|\[\]|、、|,\s*,|\s[.,;:]| {2,}|の。|は、、")


def assert_builds_complete(path, tmp_path, name):
    from contractkit.cli import main
    out = tmp_path / f"{name}.docx"
    assert main(["build", str(path), "-o", str(out)]) == 0
    texts = draft_texts(out)
    joined = "\n".join(texts)
    assert not LEFTOVERS.search(joined), LEFTOVERS.search(joined)
    for text in texts:
        assert not BLANKS.search(text.strip()), text
    document = docx.Document(str(out))
    for table in document.tables[1:] if len(document.tables) > 1 else []:
        for row in table.rows:
            assert all(cell.text.strip() for cell in row.cells), [c.text for c in row.cells]
    return out, joined


@pytest.mark.parametrize("contract", CONTRACTS)
def test_a_whole_interview_at_the_usual_positions_builds(library, tmp_path, contract):
    lang = "en" if contract in ("data-sharing", "ai-poc") else "ja"
    path = tmp_path / "answers.yaml"
    plan = Plan(lang, "usual", rows=1)
    term = interview(library, path, contract, lang, plan)
    assert plan.typed, term.asked
    out, text = assert_builds_complete(path, tmp_path, contract)
    for _prompt, typed in plan.typed:
        if not re.fullmatch(r"\d+|2026-12-01", typed):
            assert typed in text or typed in (path.read_text(encoding="utf-8")), typed
    # every point that applies is in the file: `build` took nothing the interview did not ask
    from contractkit.interview import Interview
    from contractkit.answers_file import AnswersDocument
    session = Interview(library, AnswersDocument(path), Terminal(), "ja", out)
    assert session.next_slot() is None


@pytest.mark.parametrize("contract", CONTRACTS)
def test_a_whole_bilingual_interview_at_the_last_options_builds_two_texts(library, tmp_path, contract):
    from ruamel.yaml import YAML
    path = tmp_path / "answers.yaml"
    plan = Plan("ja+en", "last", rows=2)
    term = interview(library, path, contract, "ja+en", plan)
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    # every party field and every free text is written {ja: …, en: …}
    for party in data["parties"]:
        for key in ("name", "address", "representative"):
            assert set(party[key]) == {"ja", "en"}, party
    assert data["answers"]["prevailing-language"] == "equal"      # asked in a ja+en draft only (the last option)
    asked_in_english = [m for m in term.asked if m.endswith("（英語）")]
    assert asked_in_english and len(asked_in_english) == len([m for m in term.asked if m.endswith("（日本語）")])
    scopes = [data["answers"].get("data-scope"), (data["answers"].get("work-scope") or {}).get("deliverable_specs")]
    for records in filter(None, scopes):
        assert isinstance(records, list) and len(records) == 2
        assert all(set(row["item"]) == {"ja", "en"} for row in records)
    out, text = assert_builds_complete(path, tmp_path, contract)
    english = [r.cells[1].text for r in docx.Document(str(out)).tables[0].rows]
    assert not [t for t in english if JAPANESE.search(t)]


class Scripted(Plan):
    """A plan with some answers given: `picks` (part of a question, the value to choose), used
    once each, in order; `keys` (part of a prompt, the raw keys to type there)."""

    def __init__(self, lang, picks=(), keys=None):
        super().__init__(lang, "usual", rows=1)
        self.picks, self.keys = list(picks), dict(keys or {})

    def select(self, message, choices, start):
        if self.picks and self.picks[0][0] in message:
            values = [c[1] for c in choices]
            return values.index(self.picks.pop(0)[1])
        return super().select(message, choices, start)


class ScriptedAutopilot(Autopilot):
    def text(self, message, default="", validate=None, instruction=None):
        keys = next((k for part, k in self.plan.keys.items() if part in message), None)
        if keys is None:
            return super().text(message, default, validate, instruction)
        self._count(message)
        self.pipe.send_text(keys)
        return Terminal.text(self, message, default, validate, instruction)


def scripted_interview(library, path, plan, ui="ja", preset=None):
    from contractkit.answers_file import AnswersDocument
    from contractkit.interview import Interview
    with create_pipe_input() as pipe:
        term = ScriptedAutopilot(pipe, plan)
        assert Interview(library, AnswersDocument(path), term, ui, path.with_suffix(".docx"), preset).run() == 0
    return term


def test_a_change_to_ja_and_en_in_the_review_asks_each_text_in_japanese_keeping_the_english(library, tmp_path):
    from ruamel.yaml import YAML
    from test_interview import prefilled
    path = prefilled(library, tmp_path, "data-provision-en.yaml")
    before = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    plan = Scripted("ja+en", picks=[("回答の確認", 2), ("契約書の言語", "ja+en")])    # the review's entry 2: the language
    term = scripted_interview(library, path, plan)
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert data["language"] == "ja+en" and data["answers"]["prevailing-language"] == "ja"
    for old, new in zip(before["parties"], data["parties"]):
        assert new["name"] == old["name"]          # a name in Latin letters serves both columns: not asked
        for key in ("address", "representative"):
            assert new[key]["en"] == old[key] and new[key]["ja"].startswith("テスト文言")    # the English kept
    assert data["answers"]["purpose"] == {"ja": data["answers"]["purpose"]["ja"], "en": before["answers"]["purpose"]}
    # only the texts were asked again: in Japanese, the English offered as it was
    japanese = [m for m in term.asked if m.endswith("（日本語）")]
    assert len(japanese) == len([m for m in term.asked if m.endswith("（英語）")]) >= 7
    out, _text = assert_builds_complete(path, tmp_path, "bilingual")
    first = docx.Document(str(out)).tables[0].rows[0].cells
    assert before["parties"][0]["name"] in first[1].text and data["parties"][0]["name"] in first[0].text


def test_a_blank_or_japanese_english_text_is_asked_again_and_a_one_language_text_is_plain(library, tmp_path):
    from ruamel.yaml import YAML
    from test_interview import prefilled
    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("purpose",))
    text = path.read_text(encoding="utf-8").replace("language: ja\n", "language: ja+en\n")
    path.write_text(text, encoding="utf-8")
    purpose = library.points["purpose"].question["ja"]
    plan = Scripted("ja+en", keys={
        purpose + "（日本語）": ENTER + "交換部品の品質改善" + ENTER,            # blank: asked again
        purpose + "（英語）": ENTER + "品質" + ENTER + CLEAR + "improving spare parts" + ENTER})   # blank, Japanese
    scripted_interview(library, path, plan)
    answers = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["answers"]
    assert answers["purpose"] == {"ja": "交換部品の品質改善", "en": "improving spare parts"}

    path = prefilled(library, tmp_path, "data-provision-ja.yaml", drop=("purpose",))
    plan = Scripted("ja", keys={purpose: "交換部品の品質改善" + ENTER})
    term = scripted_interview(library, path, plan)
    assert YAML(typ="safe").load(path.read_text(encoding="utf-8"))["answers"]["purpose"] == "交換部品の品質改善"
    assert purpose in term.asked and not [m for m in term.asked if m.endswith(("（日本語）", "（英語）"))]
