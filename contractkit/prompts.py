"""The terminal: questionary questions with the input and output the interview was given (a real
terminal, or a pipe in tests), and printing between them."""
from __future__ import annotations

import sys


class Terminal:
    def __init__(self, input=None, output=None, echo=None):
        self.input, self.output = input, output
        self.echo = echo if echo is not None else sys.stdout
        self.transcript: list[str] = []

    def _kwargs(self) -> dict:
        kwargs = {}
        if self.input is not None:
            kwargs["input"] = self.input
        if self.output is not None:
            kwargs["output"] = self.output
        return kwargs

    def say(self, text: str = "") -> None:
        self.transcript.append(text)
        print(text, file=self.echo, flush=True)

    def select(self, message: str, choices: list[tuple[str, object, str | None]], default=None, instruction=None):
        import questionary

        items = [questionary.Choice(title, value=value, description=description) for title, value, description in choices]
        chosen = next((c for c in items if c.value == default), None)
        return questionary.select(message, items, default=chosen, instruction=instruction, qmark="?",
                                  **self._kwargs()).unsafe_ask()

    def checkbox(self, message: str, choices: list[tuple[str, object, str | None, bool]], instruction=None):
        import questionary

        items = [questionary.Choice(title, value=value, description=description, checked=checked)
                 for title, value, description, checked in choices]
        return questionary.checkbox(message, items, instruction=instruction, qmark="?", **self._kwargs()).unsafe_ask()

    def text(self, message: str, default: str = "", validate=None, instruction=None) -> str:
        import questionary

        return questionary.text(message, default=default, validate=validate, instruction=instruction, qmark="?",
                                **self._kwargs()).unsafe_ask()

    def confirm(self, message: str, default: bool = True) -> bool:
        import questionary

        return questionary.confirm(message, default=default, qmark="?", **self._kwargs()).unsafe_ask()
