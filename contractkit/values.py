"""What an answer to a decision point may be: the value schema built from its declaration,
and its default."""
from __future__ import annotations

from .schema import AnswerText, Bool, Choice, Date, Either, Field, Fields, Int, LANGS, ListOf, Records, Schema


def value_schema(decision, contract: str, roles: list[str], lang: str | None = None, bilingual: bool = False) -> Schema:
    """The schema of an answer; with `lang`, free texts given per language ({ja: …, en: …}) come
    out as the text of that language (a ja+en draft needs both: schema.pick_text)."""
    nullable = decision.nullable
    kind = decision.type
    if kind == "choice":
        return Choice(decision.option_ids(contract), f"option of '{decision.id}'", nullable=nullable)
    if kind == "multi":
        return ListOf(Choice(decision.option_ids(contract), f"option of '{decision.id}'"), unique=True, nullable=nullable)
    multiline = getattr(decision, "multiline", False)
    translate = getattr(decision, "translate", False)
    if kind == "text":
        return AnswerText(nullable=nullable, max_len=5000, form=decision.form, multiline=multiline, lang=lang,
                          bilingual=bilingual, translate=translate)
    if kind == "int":
        return Int(decision.min, decision.max, nullable=nullable)
    if kind == "bool":
        return Bool()
    if kind == "date":
        # a date, printed in the draft's language (2027年4月1日 / April 1, 2027)
        return Date(nullable=nullable, hint="; or null: a ● to fill in" if nullable else "")
    if kind == "choice-map":
        # one option for everything, or one per key: {trained-model: user, report: vendor}
        one = Choice(decision.option_ids(contract), f"option of '{decision.id}'", nullable=nullable)
        return Either(one, Fields({k: one for k in decision.keys}, what=f"key of '{decision.id}'"), nullable=nullable)
    if kind == "per-role":
        return Fields({r: AnswerText(nullable=True, max_len=5000, form=decision.form, multiline=multiline, lang=lang,
                                     bilingual=bilingual) for r in roles}, nullable=nullable, what="role")
    if kind == "mapping":
        return Fields({f.id: Field(value_schema(f, contract, roles, lang, bilingual)) for f in decision.fields},
                      nullable=nullable, what=f"field of '{decision.id}'")
    if kind == "records":
        # one line of text (the article carries it), or a list of records: a schedule's rows
        text = AnswerText(nullable=nullable, max_len=5000, form=decision.form, lang=lang, bilingual=bilingual,
                          translate=translate)
        record = Fields({f.id: Field(value_schema(f, contract, roles, lang, bilingual), required=not f.nullable)
                         for f in decision.fields}, what=f"column of '{decision.id}'")
        return Records(text, record, nullable=nullable)
    raise ValueError(kind)


def pick_default(decision, value, lang: str):
    """A text default may be given per language: {ja: …, en: …}."""
    if decision.type == "text" and isinstance(value, dict) and set(value) == set(LANGS):
        return value[lang]
    if decision.type == "per-role" and isinstance(value, dict) and set(value) == set(LANGS):
        return value[lang]
    return value


def default_for(decision, contract: str, lang: str, perspective: str | None = None, context: dict | None = None):
    """(has_default, value) for a decision in a contract type: a pack's or the contract type's
    default, else the one for the draft's language (`language_defaults`: in a ja+en draft, read by
    the answer to prevailing-language in `context`, so both columns get the same), else the opening
    position for the drafter's side, else the guideline's usual one."""
    if contract in decision.defaults:
        return True, pick_default(decision, decision.defaults[contract], lang)
    by_language = getattr(decision, "language_defaults", None) or {}
    if by_language:
        context = context or {}
        if context.get("bilingual"):
            both = by_language.get("ja+en")
            if isinstance(both, dict):
                prevailing = context.get("prevailing_language")
                if prevailing in both:
                    return True, both[prevailing]
            elif both is not None:
                return True, both
        elif lang in by_language:
            return True, by_language[lang]
    if perspective and perspective in getattr(decision, "perspective_defaults", {}):
        return True, pick_default(decision, decision.perspective_defaults[perspective], lang)
    if decision.has_default:
        return True, pick_default(decision, decision.default, lang)
    return False, None


def snake(identifier: str) -> str:
    return identifier.replace("-", "_")
