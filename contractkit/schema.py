"""One schema for every data file: clause files, document skeletons, packs and answers.

A schema is a tree of small checkers. `check` walks a loaded YAML tree, returns plain Python
data and collects every problem with its path; `validate` turns paths into `file:line:col`.
Answers are checked by schemas built from the point declarations, with the same machinery."""
from __future__ import annotations

import datetime as _dt
import re

from .errors import UserError
from .markers import SEPARATORS, UNWRITABLE, describe_char

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
LANGS = ("ja", "en")
MAX_SHOWN = 50          # problems listed in one report; the rest are counted


class Problem:
    __slots__ = ("path", "message", "on_key", "blank")

    def __init__(self, path: tuple, message: str, on_key: bool = False, blank: str | None = None):
        self.path, self.message, self.on_key = path, message, on_key
        self.blank = blank   # the message when nothing at all is written after the key (`key:` alone)


def did_you_mean(word, choices) -> str:
    import difflib  # only when something is wrong

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def choices_text(choices) -> str:
    return ", ".join(str(c) for c in choices)


def type_name(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, _dt.date):
        return "a date"
    return type(value).__name__


class Schema:
    nullable = False
    description = "a value"

    def check(self, value, path: tuple, problems: list):
        if value is None:
            if self.nullable:
                return None
            choices = f"; valid choices: {choices_text(self.options)}" if isinstance(self, Choice) else ""
            blank = (f"nothing is written after '{path[-1]}:'; it needs {self.description}{choices}"
                     if path and isinstance(path[-1], str) else None)
            problems.append(Problem(path, f"needs {self.description}, not an empty value{choices}", blank=blank))
            return None
        return self._check(value, path, problems)

    def _check(self, value, path, problems):
        return value


class Anything(Schema):
    nullable = True

    def _check(self, value, path, problems):
        return plain(value)


UNWRITABLE_CHAR = re.compile(f"[{UNWRITABLE}]")
SEPARATOR = re.compile(f"\r\n|[{SEPARATORS}]")


class Text(Schema):
    """Text. `lines` says what an answer's line breaks mean: None (data files: any text),
    "single" (a name, an address, a court: one line in the draft) or "multi" (a description:
    its line breaks become breaks inside its paragraph, returned as "\n"). Characters no draft
    can hold are refused in all three."""
    description = "text"

    def __init__(self, pattern: re.Pattern | None = None, hint: str = "", nullable=False, max_len=20_000,
                 lines: str | None = None):
        self.pattern, self.hint, self.nullable, self.max_len = pattern, hint, nullable, max_len
        self.lines = lines

    def _check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            problems.append(Problem(path, f"needs {self.description}, got {type_name(value)}"))
            return None
        text = str(value)
        if len(text) > self.max_len:
            problems.append(Problem(path, f"this text is {len(text):,} characters long; at most {self.max_len:,} are allowed"))
            return None
        bad = UNWRITABLE_CHAR.search(text)
        if bad:
            problems.append(Problem(path, f"{_named(path)} contains {describe_char(bad.group())} that Word cannot store; "
                                          f"remove it (character {bad.start() + 1} of the text)"))
            return None
        if self.lines is not None:
            text = text.rstrip(SEPARATORS)      # the line break a YAML block scalar (|, >) ends with
            if self.lines == "single":
                brk = SEPARATOR.search(text)
                if brk:
                    problems.append(Problem(path, f"{_named(path)} is one line in the draft, but contains "
                                                  f"{describe_char(brk.group()[0])} (character {brk.start() + 1}); "
                                                  "write it on one line"))
                    return None
            else:
                text = SEPARATOR.sub("\n", text)
        if self.pattern and not self.pattern.match(text):
            problems.append(Problem(path, f"'{text}' is not valid here: {self.hint}"))
            return None
        return text


TEXT_FORMS = ("text", "noun-phrase", "name", "amount", "rate", "annual-rate", "amount-or-rate")
MONEY_FORMS = ("amount", "rate", "annual-rate", "amount-or-rate")   # money: checked and normalised (money_text)
# what a noun phrase that the draft puts before 「（以下「本目的」という。）」 or after "for" must not carry
NOUN_TAILS_JA = ("を目的とするもの", "を目的とする", "を目的として", "を目的とし", "を目的", "の目的", "のために",
                 "のための", "のため", "に向けて", "に向けた", "。", "、")
NOUN_HEADS_EN = ("for the purpose of ", "for the purposes of ", "the purpose of ", "for ", "to ")


# what an English column cannot show: kana, kanji, CJK punctuation and full-width forms
JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f]")
LANG_NAMES = {"ja": "Japanese", "en": "English"}


class LangText(dict):
    """A text answer given per language, `{ja: …, en: …}` (checked; picked for a draft's language)."""


def pick_text(value, lang: str | None, bilingual: bool, path: tuple, problems: list, translate: bool = False):
    """The text of a (checked) answer for a draft in `lang`: a plain text serves every language,
    except that a bilingual draft (ja+en) refuses one with Japanese in it (its English column would
    show it), and for a text that reads differently in each language (`translate`: a court, a law,
    a seat) any plain text (its Japanese column would read English); a per-language text needs
    every language the draft is written in."""
    if lang is None or value is None:
        return value
    needed = LANGS if bilingual else (lang,)
    if isinstance(value, LangText):
        missing = [x for x in needed if x not in value]
        if missing:
            given = ", ".join(f"{k}: …" for k in value)
            problems.append(Problem(path, f"{_named(path)} has no {LANG_NAMES[missing[0]]} text ({{{given}}} only), "
                                          f"and this draft is {'ja+en' if bilingual else lang}: add "
                                          f"'{missing[0]}: …'"))
            return None
        return value[lang]
    if bilingual and isinstance(value, str) and JAPANESE.search(value):
        problems.append(Problem(path, f"'{_short(value)}' has no English text, and this draft is ja+en (Japanese and "
                                      f"English side by side): write it as {{ja: {_short(value, 20)}, en: …}}"))
        return None
    if bilingual and translate and isinstance(value, str):
        problems.append(Problem(path, f"'{_short(value)}' is {_named(path)}, which Japanese and English write differently, "
                                      f"and this draft is ja+en (Japanese and English side by side): write both, "
                                      f"{{ja: <the Japanese name>, en: {_short(value)}}}"))
        return None
    return value


class AnswerText(Text):
    """Text a drafter typed, checked for the place the draft gives it: never blank (blank is "not
    answered"), a `name` on one line without a full stop, a `noun-phrase` without the words the
    sentence around it already says (「…のため」, "for …"). It may be given per language,
    `{ja: …, en: …}`: with `lang` (the draft's language; `bilingual` for ja+en) the text for that
    language is returned (pick_text), without it a checked LangText. `translate`: a ja+en draft
    needs both texts even when the one given has no Japanese (a court, a law, a seat)."""

    def __init__(self, nullable=False, max_len=5000, form: str = "text", multiline: bool = False,
                 lang: str | None = None, bilingual: bool = False, translate: bool = False):
        # a name or a noun phrase is one line; other text too, unless its point says `multiline: true`
        lines = "multi" if multiline and form == "text" else "single"
        super().__init__(nullable=nullable, max_len=max_len, lines=lines)
        self.form, self.lang, self.bilingual, self.translate = form, lang, bilingual, translate

    def _check(self, value, path, problems):
        if isinstance(value, dict):
            texts = LangText()
            for key, item in value.items():
                if key not in LANGS:
                    problems.append(Problem(path + (key,), f"'{key}' is not a language of a text{did_you_mean(key, LANGS)}; "
                                                          f"valid: {choices_text(LANGS)} (e.g. {{ja: …, en: …}})", on_key=True))
                    continue
                if item is None and not self.nullable:
                    problems.append(Problem(path + (key,), f"needs {self.description}, not an empty value"))
                    continue
                texts[key] = None if item is None else self._check_one(item, path + (key,), problems, key)
            if not texts or all(v is None for v in texts.values()):
                return None
            return pick_text(texts, self.lang, self.bilingual, path, problems, self.translate)
        # one text for both columns of a ja+en draft: a bare amount gets its unit per column, after the pick
        picked = pick_text(self._check_one(value, path, problems, None if self.bilingual else self.lang), self.lang,
                           self.bilingual, path, problems, self.translate)
        if self.bilingual and self.lang and self.form in MONEY_FORMS and isinstance(picked, str):
            picked = money_text(picked, self.form, self.lang)[0] or picked
        return picked

    def _check_one(self, value, path, problems, lang=None):
        text = super()._check(value, path, problems)
        if text is None:
            return None
        stripped = text.strip()
        if not stripped:
            blank = "empty" if not text else "blank (only spaces)"
            instead = "; write the text, or null where it is not decided yet (a ● in the draft)" if self.nullable else "; write the text"
            problems.append(Problem(path, f"this answer is {blank}{instead}"))
            return None
        if self.form in ("name", "noun-phrase") and ("\n" in stripped or "\r" in stripped):
            problems.append(Problem(path, f"'{_short(stripped)}' is one line in the draft; remove the line breaks"))
            return None
        if self.form == "noun-phrase":
            hint = _noun_phrase_hint(stripped)
            if hint:
                problems.append(Problem(path, hint))
                return None
        if self.form == "name" and stripped.endswith(("。", ".")) and not stripped.endswith(("Co.", "Ltd.", "Inc.", "K.K.", "Corp.", "L.P.", "S.A.")):
            problems.append(Problem(path, f"'{_short(stripped)}' is a name in the draft; drop the final '{stripped[-1]}'"))
            return None
        if self.form in MONEY_FORMS:
            money, hint = money_text(stripped, self.form, lang)
            if hint:
                problems.append(Problem(path, hint + ("; or null where it is not decided yet (a ● in the draft)"
                                                      if self.nullable else "")))
            return money
        return stripped


CURRENCY = re.compile(r"円|JPY|¥|￥|\byen\b|USD|US\$|\$|EUR|€|ドル|ユーロ", re.IGNORECASE)
PERCENT = re.compile(r"%|％|パーセント|\bper ?cent\b|割", re.IGNORECASE)
FIGURE = re.compile(r"[0-9０-９一二三四五六七八九十百千万億●]")
BARE_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")
MONEY_EXAMPLES = {
    "amount": "金100万円, 月額20万円, JPY 200,000 per month",
    "rate": "5%, 売上高の10%, 10% of net sales",
    "annual-rate": "年14.6%, 14.6% per annum",
    "amount-or-rate": "金100万円, 月額20万円, JPY 200,000 per month, 5%, 10% of net sales",
}


def money_text(text: str, form: str, lang: str | None) -> tuple[str | None, str | None]:
    """An amount or a rate, as the clause needs it: (the text, None) or (None, what is wrong).
    A bare number gets its unit where the form says which (a rate: 6 → 6%; a rate per annum:
    年6% / 6% per annum; an amount, in a known language: 金200,000円 / JPY 200,000); where it could
    be either (an amount or a rate), it is refused with the forms to write."""
    examples = MONEY_EXAMPLES[form]
    if BARE_NUMBER.fullmatch(text):
        number = text.translate(str.maketrans("０１２３４５６７８９，．", "0123456789,.")).replace(",", "")
        figure = number if "." in number else f"{int(number):,}"
        if form in ("rate", "annual-rate") and float(number) > 100:
            return None, f"'{text}' is more than 100 as a rate: write the rate, e.g. {examples}"
        if form == "amount" and float(number) < 1000:
            return None, (f"'{text}' is a bare number too small to be read as yen (is it 万円, or millions?): "
                          f"write the amount with its unit, e.g. {examples}")
        if form == "rate":
            return f"{number}%", None
        if form == "annual-rate":
            return (f"年{number}%" if lang == "ja" else f"{number}% per annum" if lang == "en" else text), None
        if form == "amount":
            return (f"金{figure}円" if lang == "ja" else f"JPY {figure}" if lang == "en" else text), None
        return None, (f"'{text}' is a bare number, and the draft needs an amount or a rate here: write it with its "
                      f"unit, e.g. {examples}")
    if not FIGURE.search(text):
        return None, f"'{_short(text)}' has no figure; write {_MONEY_WORDS[form]} with its figure, e.g. {examples}"
    amount, rate = bool(CURRENCY.search(text)), bool(PERCENT.search(text))
    wanted = {"amount": amount, "rate": rate, "annual-rate": rate, "amount-or-rate": amount or rate}[form]
    if not wanted and "●" not in text:
        return None, (f"'{_short(text)}' is put into the draft as {_MONEY_WORDS[form]}: give its "
                      f"{'currency' if form == 'amount' else 'percentage' if form != 'amount-or-rate' else 'currency or percentage'}, "
                      f"e.g. {examples}")
    return text, None


_MONEY_WORDS = {"amount": "an amount", "rate": "a rate", "annual-rate": "a rate per annum",
                "amount-or-rate": "an amount or a rate"}


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _noun_phrase_hint(text: str) -> str | None:
    for tail in NOUN_TAILS_JA:
        if text.endswith(tail) and len(text) > len(tail):
            fixed = text[: -len(tail)]
            return (f"'{_short(text)}' is put into the draft as a noun phrase (「…（以下「本目的」という。）のため」): "
                    f"drop the trailing 「{tail}」 and write '{_short(fixed)}'")
    lowered = text.lower()
    for head in NOUN_HEADS_EN:
        if lowered.startswith(head) and len(text) > len(head):
            fixed = text[len(head):]
            return (f"'{_short(text)}' is put into the draft as a noun phrase (\"… for <it> (the 'Purpose')\"): "
                    f"drop the leading '{text[:len(head)].strip()}' and write '{_short(fixed)}' (an -ing form or a noun)")
    if text.endswith("."):
        return f"'{_short(text)}' is put into the draft as a noun phrase: drop the final '.'"
    return None


def _named(path: tuple) -> str:
    """'the purpose', 'the name of party 1', 'the court of disputes'."""
    keys = [k for k in path if k != "answers"]
    if len(keys) >= 3 and keys[0] == "parties" and isinstance(keys[1], int):
        return f"the {keys[2]} of party {keys[1] + 1}"
    if len(keys) >= 2:
        return f"the {keys[-1]} of {keys[0]}"
    return f"the {keys[0]}" if keys else "the text"


class Records(Schema):
    """A list of records, each a mapping of its columns (a schedule's rows), or instead one text
    (then the article carries the text and there is no schedule)."""

    description = "a list of records, or a text"

    def __init__(self, text: Schema, record: Fields, nullable=False, max_len=200):
        self.text, self.record, self.nullable = text, record, nullable
        self.many = ListOf(record, max_len=max_len)

    def _check(self, value, path, problems):
        if isinstance(value, list):
            if not value:
                problems.append(Problem(path, "this list is empty; list at least one record "
                                              f"(with {choices_text(self.record.fields)}), or write one line of text"))
                return None
            return self.many.check(value, path, problems)
        return self.text.check(value, path, problems)


class Int(Schema):
    description = "a whole number"

    def __init__(self, min: int | None = None, max: int | None = None, nullable=False):
        self.min, self.max, self.nullable = min, max, nullable

    def _check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(path, f"needs a whole number, got {type_name(value)} '{value}'"))
            return None
        if self._out_of_range(value, path, problems):
            return None
        return int(value)

    def _out_of_range(self, value, path, problems) -> bool:
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            lo = "" if self.min is None else f"at least {self.min}"
            hi = "" if self.max is None else f"at most {self.max}"
            problems.append(Problem(path, f"{value} is out of range: must be {' and '.join(x for x in (lo, hi) if x)}"))
            return True
        return False


class Number(Int):
    description = "a number"

    def _check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(Problem(path, f"needs a number, got {type_name(value)} '{value}'"))
            return None
        if self._out_of_range(value, path, problems):
            return None
        return float(value)


class Bool(Schema):
    description = "true or false"

    def _check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.append(Problem(path, f"needs true or false, got {type_name(value)} '{value}'"))
            return None
        return value


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
DATE_JA = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
DATE_MDY = re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")
DATE_DMY = re.compile(r"(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})")


def parse_date(text: str) -> _dt.date | None:
    """A date written as YYYY-MM-DD (full-width digits and dashes too, as an IME types them), or as
    a draft writes one: 2027年4月1日, April 1, 2027, 1 April 2027. None if it is none of these or
    no such day exists."""
    import unicodedata
    text = unicodedata.normalize("NFKC", text).strip().translate({0x2212: "-", 0x2010: "-", 0x2013: "-", 0x2014: "-"})
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _dt.date.fromisoformat(text)
        m = DATE_JA.fullmatch(text)
        if m:
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = DATE_MDY.fullmatch(text)
        if m and m[1].lower() in MONTH_NAMES:
            return _dt.date(int(m[3]), MONTH_NAMES.index(m[1].lower()) + 1, int(m[2]))
        m = DATE_DMY.fullmatch(text)
        if m and m[2].lower() in MONTH_NAMES:
            return _dt.date(int(m[3]), MONTH_NAMES.index(m[2].lower()) + 1, int(m[1]))
    except ValueError:
        return None
    return None


class Date(Schema):
    description = "a date (YYYY-MM-DD)"

    def __init__(self, nullable=True, hint: str = ""):
        self.nullable, self.hint = nullable, hint

    def _check(self, value, path, problems):
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str):
            found = parse_date(value)
            if found is not None:
                return found
        problems.append(Problem(path, f"needs a date written as YYYY-MM-DD (e.g. 2026-12-01), got '{value}'{self.hint}"))
        return None


class Choice(Schema):
    def __init__(self, options, what="option", nullable=False):
        self.options, self.what, self.nullable = list(options), what, nullable
        self.description = f"one {what}"

    def _check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) not in self.options:
            shown = value if not isinstance(value, (dict, list)) else type_name(value)
            problems.append(Problem(path, f"'{shown}' is not a valid {self.what}{did_you_mean(shown, self.options)}; "
                                          f"valid choices: {choices_text(self.options)}"))
            return None
        return str(value)


class ListOf(Schema):
    description = "a list"

    def __init__(self, item: Schema, unique=False, nullable=False, max_len=1000):
        self.item, self.unique, self.nullable, self.max_len = item, unique, nullable, max_len

    def _check(self, value, path, problems):
        if not isinstance(value, list):
            if isinstance(self.item, Choice):
                hint = f" such as [{', '.join(self.item.options[:2])}]; valid choices: {choices_text(self.item.options)}"
            else:
                hint = ""
            problems.append(Problem(path, f"needs a list{hint}, got {type_name(value)}"))
            return None
        if len(value) > self.max_len:
            problems.append(Problem(path, f"has {len(value)} entries; at most {self.max_len} are allowed"))
            return None
        out, seen = [], set()
        for i, item in enumerate(value):
            checked = self.item.check(item, path + (i,), problems)
            if self.unique and checked is not None:
                if checked in seen:
                    problems.append(Problem(path + (i,), f"'{checked}' is listed twice"))
                seen.add(checked)
            out.append(checked)
        return out


class Field:
    __slots__ = ("schema", "required")

    def __init__(self, schema: Schema, required=False):
        self.schema, self.required = schema, required


class Fields(Schema):
    """A mapping with known keys."""

    description = "a mapping"

    def __init__(self, fields: dict[str, Field | Schema], nullable=False, what="key"):
        self.fields = {k: f if isinstance(f, Field) else Field(f) for k, f in fields.items()}
        self.nullable, self.what = nullable, what

    def _check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(Problem(path, f"needs a mapping with keys {choices_text(self.fields)}, got {type_name(value)}"))
            return None
        out = {}
        for key, item in value.items():
            field = self.fields.get(key)
            if field is None:
                quotes = ("; if this is part of a text, put the whole text in quotes (inside {…} a comma ends a value)"
                          if " " in str(key) else "")
                hint = did_you_mean(key, self.fields) if len(problems) < MAX_SHOWN else ""   # (only MAX_SHOWN are shown)
                problems.append(Problem(path + (key,), f"'{key}' is not a known {self.what}{hint}; "
                                                      f"valid: {choices_text(self.fields)}{quotes}", on_key=True))
                continue
            out[key] = field.schema.check(item, path + (key,), problems)
        for key, field in self.fields.items():
            if field.required and key not in value:
                problems.append(Problem(path, f"missing required {self.what} '{key}'"))
        return out


class MapOf(Schema):
    """A mapping whose keys are free (checked by `key`) and whose values share one schema."""

    description = "a mapping"

    def __init__(self, key: Schema, value: Schema, nullable=False):
        self.key, self.value, self.nullable = key, value, nullable

    def _check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(Problem(path, f"needs a mapping, got {type_name(value)}"))
            return None
        out = {}
        for k, v in value.items():
            before = len(problems)
            self.key.check(k, path + (k,), problems)
            for p in problems[before:]:
                p.on_key = True
            out[k] = self.value.check(v, path + (k,), problems)
        return out


class Either(Schema):
    """`scalar` for a plain value, `mapping` for a mapping (e.g. one default or one per language)."""

    def __init__(self, scalar: Schema, mapping: Schema, nullable=False):
        self.scalar, self.mapping, self.nullable = scalar, mapping, nullable

    def _check(self, value, path, problems):
        return (self.mapping if isinstance(value, dict) else self.scalar).check(value, path, problems)


class OneOrMany(Schema):
    """One value or a list of them (`party: recipient` or `party: [provider, recipient]`): always a list."""

    def __init__(self, item: Schema):
        self.item, self.description = item, item.description
        self.many = ListOf(item, unique=True)

    def _check(self, value, path, problems):
        if isinstance(value, list):
            return self.many.check(value, path, problems)
        checked = self.item.check(value, path, problems)
        return None if checked is None else [checked]


class Condition(Schema):
    """`true`, `false` or an expression over the answers."""

    description = "true, false or an expression"

    def _check(self, value, path, problems):
        if isinstance(value, bool) or (isinstance(value, str) and value.strip()):
            return value
        problems.append(Problem(path, f"needs true, false or an expression, got {type_name(value)}"))
        return None


def Lang(item: Schema | None = None) -> Fields:
    item = item or Text()
    return Fields({lang: Field(item, required=True) for lang in LANGS}, what="language")


def plain(value):
    """Round-trip containers and scalars → plain dict/list/str/int/bool/date."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, value.day)
    return value


def locate(problems: list[Problem], tree, shown: str, offset_line=0) -> list[str]:
    from .loading import key_position, position

    lines = []
    for p in problems:
        line, col = key_position(tree, p.path) if p.on_key else position(tree, p.path)
        message = p.message
        if p.blank:
            # an empty value's position is where the next token starts (often the next key's line):
            # report it at its key, and by name (ruamel's positions tell an empty value from a null)
            from .loading import PlainTree
            positioned = tree.positioned() if isinstance(tree, PlainTree) else tree
            line, col = position(positioned, p.path)
            key_line, key_col = key_position(positioned, p.path)
            if key_line != line:
                line, col, message = key_line, key_col, p.blank
        lines.append((line, col, f"{shown}:{line + offset_line}:{col}: {message}"))
    lines.sort(key=lambda t: (t[0], t[1]))
    return [text for _, _, text in lines]


def validate(tree, schema: Schema, shown: str):
    problems: list[Problem] = []
    data = schema.check(tree, (), problems)
    if problems:
        raise_problems(locate(problems, tree, shown))
    return data


def raise_problems(messages: list[str], error=UserError):
    if len(messages) == 1:
        raise error(messages[0])
    raise error(f"{len(messages)} problems:", messages)


# ---- the data files -------------------------------------------------------------------------

ID = Text(KEBAB, "IDs are kebab-case: lower-case letters, digits and hyphens (e.g. derived-data)")
FIELD_ID = Text(SNAKE, "field IDs are snake_case (e.g. survival_years)")
LANG_TEXT = Lang()
EXPRESSION = Text(hint="an expression")
from .point_types import names as _type_names   # noqa: E402  (the types need the schemas above)

POINT_TYPES = _type_names("point")       # point_types.py: one class per type
FIELD_TYPES = _type_names("field")

OPTION = Fields({
    "id": Field(ID, required=True),
    "label": Field(LANG_TEXT, required=True),
    "favours": Either(Text(), MapOf(ID, Text())),
    "note": LANG_TEXT,
    "warn": LANG_TEXT,
    "warn_when": EXPRESSION,  # the caution is shown only while this holds (over the answers and `contract`)
    "contracts": ListOf(ID, unique=True),
    "when": EXPRESSION,       # offered only while this holds over the other answers …
    "why": LANG_TEXT,         # … and why not, otherwise (required with `when`)
})


COLUMN_TYPES = _type_names("column")     # the columns of a list of records (a schedule's table)


def _decision(id_schema: Schema, type_names, with_fields: bool | None) -> Fields:
    """A point (`with_fields`), a field of one (False: its `fields:` are columns of a list of
    records), or such a column (None)."""
    fields = {
        "id": Field(id_schema, required=True),
        "type": Field(Choice(type_names, "type"), required=True),
        "label": LANG_TEXT,
        "question": LANG_TEXT,
        "note": LANG_TEXT,
        "more": LANG_TEXT,
        "options": ListOf(OPTION),
        "default": Anything(),
        "defaults": MapOf(ID, Anything()),
        "perspective_defaults": MapOf(ID, Anything()),
        "language_defaults": MapOf(Choice(("ja", "en", "ja+en"), "draft language"), Anything()),   # default per draft language
        "nullable": Bool(),
        "multiline": Bool(),
        "min": Int(),
        "max": Int(),
        "when": EXPRESSION,
        "ask": Bool(),
        "carry": Bool(),
        "keys": ListOf(ID, unique=True),
        "form": Choice(TEXT_FORMS, "text form"),
        "translate": Bool(),                              # text: Japanese and English differ (a court): ja+en needs both
        "fact": Bool(),                                   # records a fact: nothing to negotiate
        "concede": MapOf(ID, ListOf(Anything())),         # per role: options from best to worst for it (a bool: true/false)
        "schedule": LANG_TEXT,                            # records: the title of its schedule (別紙)
    }
    if with_fields:
        fields.update({
            "contracts": Field(ListOf(ID, unique=True), required=True),
            "theme": Field(ID, required=True),
            "fields": ListOf(_decision(FIELD_ID, FIELD_TYPES, with_fields=False)),
        })
    elif with_fields is False:
        fields["fields"] = ListOf(_decision(FIELD_ID, COLUMN_TYPES, with_fields=None))
    return Fields(fields)


POINT = _decision(ID, POINT_TYPES, with_fields=True)

TERM = Fields({
    "id": Field(ID, required=True),
    "contracts": ListOf(ID, unique=True),     # optional: the contract types whose drafts define it (default: all)
    "ja": Field(Fields({"term": Field(Text(), True), "definition": Field(Text(), True)}), True),
    "en": Field(Fields({"term": Field(Text(), True), "definition": Field(Text(), True)}), True),
})

RULE_TIMES = ("term", "after-end", "always")
RULE_MODALITIES = ("allowed", "consent", "forbidden")


def _rule(at_clause: bool) -> Fields:
    fields = {
        "object": Field(OneOrMany(ID), required=True),
        "party": Field(OneOrMany(ID), required=True),
        "act": Field(OneOrMany(ID), required=True),
        "time": Field(Choice(RULE_TIMES, "time"), required=True),
        "is": Field(Choice(RULE_MODALITIES, "modality"), required=True),
        "when": EXPRESSION,
        "overrides": ListOf(ID, unique=True),
        "yields": ListOf(ID, unique=True),
        # what the rule presupposes (the base of a royalty, the fees a cap counts): that party may
        # do that act on that object, at `time` (default: at some time the rule applies)
        "needs": Fields({
            "object": Field(OneOrMany(ID), required=True),
            "party": Field(OneOrMany(ID), required=True),
            "act": Field(OneOrMany(ID), required=True),
            "time": Choice(RULE_TIMES, "time"),
            "is": Choice(("allowed", "consent"), "modality"),
        }, what="needs key"),
        # what the article does that presupposes the base, in the words of the drafts (where the
        # rule model's act would mislead: a schedule naming a facility's operator, not a transfer)
        "premise": LANG_TEXT,
    }
    if at_clause:
        fields["variants"] = ListOf(ID, unique=True)
    return Fields(fields, what="rule key")


VARIANT = Fields({"ja": Field(Text(), True), "en": Field(Text(), True), "rules": ListOf(_rule(False))},
                 what="variant key")

CLAUSE_FILE = Fields({
    "id": Field(ID, required=True),
    "replaces": Bool(),
    "heading": LANG_TEXT,
    "select": Text(re.compile(r"^[a-z0-9-]+(\.[a-z0-9_]+)?$"), "a point ID, or point.field"),
    "when": EXPRESSION,
    "variants": MapOf(ID, VARIANT),
    "rules": ListOf(_rule(True)),
    "survives": Condition(),
    "guidance": LANG_TEXT,
    "terms": ListOf(TERM),
    "points": ListOf(POINT),
    "warnings": ListOf(Fields({
        "id": Field(ID, required=True),
        "when": Field(EXPRESSION, required=True),
        "text": Field(LANG_TEXT, required=True),
    })),
})

ROLE = Fields({
    "id": Field(ID, required=True),
    "label": Field(LANG_TEXT, required=True),
    "short": Fields({"ja": Text(), "en": Field(Text(), True)}),
    "signs": Bool(),
})

TEMPLATE_FILE = Fields({
    "id": Field(ID, required=True),
    "kind": Choice(["contract", "terms-of-use"], "document kind"),
    "name": LANG_TEXT,
    "order": Int(0, 1000),
    "title": Field(LANG_TEXT, required=True),
    "description": LANG_TEXT,
    "roles": Field(ListOf(ROLE), required=True),
    "preamble": Field(LANG_TEXT, required=True),
    "articles": Field(ListOf(ID, unique=True), required=True),
    "closing": Field(LANG_TEXT, required=True),
    "date_line": LANG_TEXT,
    "signature": LANG_TEXT,
    # the contract type's own words, which shared clauses print as {{ words.the_system }} (docs/clause-format.md)
    "words": MapOf(Text(SNAKE, "word names are snake_case (e.g. the_system)"), LANG_TEXT),
    # what this type's drafts call the rule model's objects, where they say it otherwise (the
    # messages on contradicting answers then use the drafts' own words)
    "rule_objects": MapOf(ID, LANG_TEXT),
    # the interview's groups: asked in this order, each with a progress line (docs/clause-format.md)
    "interview": Fields({
        "groups": Field(ListOf(Fields({
            "id": Field(ID, required=True),
            "label": Field(LANG_TEXT, required=True),
            "points": Field(ListOf(ID, unique=True), required=True),
        }), max_len=30), required=True),
    }),
})

STYLE_FILE = Fields({
    "page": Field(Fields({
        "width_mm": Field(Int(100, 600), True), "height_mm": Field(Int(100, 900), True),
        "margins_mm": Field(Fields({s: Field(Int(5, 80), True) for s in ("top", "bottom", "left", "right")}), True),
    }), True),
    "fonts": Field(MapOf(Choice(LANGS, "language"), Fields({
        "east_asia": Field(Text(), True), "latin": Field(Text(), True), "heading_east_asia": Text(),
        "heading_latin": Text(), "size_pt": Field(Number(6, 30), True), "title_size_pt": Field(Number(6, 40), True),
        "lang": Field(Text(), True),
    })), True),
})


def answers_envelope(contracts, langs=LANGS, required=True) -> Fields:
    """The answers file around `answers:`; the points are checked afterwards, per contract.
    Language and parties may come from an earlier stage (`from:`), so answers.py checks them."""
    return Fields({
        "contract": Field(Choice(contracts, "contract type"), required=required),
        "usecase": Text(KEBAB, "a pack ID", nullable=True),
        "language": Choice([*langs, "ja+en"], "language"),
        "perspective": Text(KEBAB, "a role ID", nullable=True),
        "date": Date(),
        "from": Text(),
        "parties": Field(ListOf(Fields({
            "role": Field(ID, required=True),
            "name": Field(AnswerText(nullable=True, max_len=300, form="name"), required=True),
            "address": AnswerText(nullable=True, max_len=300, form="name"),
            "representative": AnswerText(nullable=True, max_len=300, form="name"),
        }), max_len=10)),
        "answers": MapOf(Text(), Anything()),
    })


RULE_MODEL_FILE = Fields({
    "objects": Field(MapOf(ID, LANG_TEXT), True),
    "acts": Field(MapOf(ID, LANG_TEXT), True),
    "times": Field(MapOf(Choice(RULE_TIMES, "time"), LANG_TEXT), True),
    "modalities": Field(MapOf(Choice(RULE_MODALITIES, "modality"), LANG_TEXT), True),
})

INTERVIEW_FILE = Fields({
    "messages": Field(MapOf(Text(re.compile(r"^[a-z][a-z0-9_]*$"), "message keys are snake_case"), LANG_TEXT), True),
    "themes": Field(MapOf(ID, LANG_TEXT), True),
})


PACK_FILE = Fields({
    "id": Field(ID, required=True),
    "title": Field(LANG_TEXT, required=True),
    "contracts": Field(ListOf(ID, unique=True), required=True),
    "description": Field(LANG_TEXT, required=True),
    "guidance": ListOf(LANG_TEXT),
    "defaults": MapOf(ID, Anything()),
    "defaults_for": MapOf(ID, MapOf(ID, Anything())),
    # the pack's own wording of words its contract types declare (templates/<type>.yaml `words:`),
    # per language: a language left out keeps the type's word
    "words": MapOf(Text(SNAKE, "word names are snake_case (e.g. the_system)"),
                   Fields({lang: Text() for lang in LANGS}, what="language")),
    "articles": ListOf(Fields({
        "id": Field(ID, required=True),
        "after": ID,
        "before": ID,
        "contracts": ListOf(ID, unique=True),
    })),
    "examples": ListOf(Fields({
        "file": Field(Text(), required=True),
        "contains": ListOf(Text()),
        "absent": ListOf(Text()),
        "clauses": ListOf(Text()),
    })),
})
