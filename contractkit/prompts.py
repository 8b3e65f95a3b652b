"""The terminal: the interview's questions, drawn with prompt_toolkit on the input and output the
interview was given (a real terminal, or a pipe in tests), and printing between them.

Every question can be left backwards: Esc and Ctrl-Z everywhere, ← where it moves no text cursor
(in a list, at an empty text prompt) raise `Back`. `?` or `？` raises `Help` (or picks the help
entry of a list). Option lines wrap at the terminal's width with a hanging indent, a list longer
than the screen scrolls inside its window, and a validation message is shown on the line right
under the prompt. The words around the questions (key hints, "none") come from `words`, so a
Japanese interview shows no English."""
from __future__ import annotations

import sys
import unicodedata

WORDS_EN = {"keys_select": "(↑↓ to move, Enter to choose, ? explains, Esc goes back)",
            "keys_checkbox": "(↑↓ to move, Space to tick, Enter when done, ? explains, Esc goes back)",
            "keys_confirm": "(y/n, Esc goes back)", "chosen_none": "none", "list_joiner": ", ",
            "keys_text": "Esc goes back", "keys_joiner": "; "}


class Back(Exception):
    """Esc, ← or Ctrl-Z: the drafter wants the previous question again."""


class Help(Exception):
    """`?` or `？`: show the guideline's explanation, then ask again; `current` keeps what was ticked."""

    def __init__(self, current=None):
        super().__init__("help")
        self.current = current


def is_help(text: str) -> bool:
    """`?` typed half- or full-width (a Japanese IME gives `？`)."""
    return unicodedata.normalize("NFKC", text or "").strip() == "?"


def _back(event) -> None:
    """Leave the question for the one before: it is erased from the screen, not left as answered."""
    event.app.erase_when_done = True
    event.app.exit(exception=Back())


def _lines(text: str, width: int) -> int:
    """How many terminal rows `text` takes when wrapped at `width` columns."""
    from prompt_toolkit.utils import get_cwidth

    width = max(width, 10)
    return sum(max(1, -(-get_cwidth(line) // width)) for line in text.split("\n"))


class Terminal:
    def __init__(self, input=None, output=None, echo=None, words: dict | None = None):
        self.input, self.output = input, output
        self.echo = echo if echo is not None else sys.stdout
        self.words = {**WORDS_EN, **(words or {})}
        self.transcript: list[str] = []

    def say(self, text: str = "") -> None:
        self.transcript.append(text)
        print(text, file=self.echo, flush=True)

    # -- the questions ----------------------------------------------------------------------

    def select(self, message: str, choices: list[tuple[str, object, str | None]], default=None, instruction=None,
               help_value=None, footer: str | None = None):
        """One of `choices` (title, value, description). `help_value`: the value `?` picks."""
        index = next((i for i, c in enumerate(choices) if c[1] == default), 0)
        state = {"index": index, "answer": ""}

        def keys(kb, done):
            _cursor_keys(kb, state, len(choices))

            @kb.add("enter")
            def _(event):
                title, value, _d = choices[state["index"]]
                done(event, title, value)

            if help_value is not None:
                @kb.add("?")
                @kb.add("？")
                def _(event):
                    done(event, "", help_value)

        def rows(i, title):
            return [("class:pointer" if i == state["index"] else "", " » " if i == state["index"] else "   "),
                    ("class:highlighted" if i == state["index"] else "", title)]

        return self._list(message, choices, state, keys, rows, instruction or self.words["keys_select"], footer)

    def checkbox(self, message: str, choices: list[tuple[str, object, str | None, bool]], instruction=None):
        """Any of `choices` (title, value, description, ticked); `?` raises Help with what is ticked."""
        ticked = [c[3] for c in choices]
        state = {"index": 0, "answer": ""}

        def chosen():
            return [c[1] for c, on in zip(choices, ticked) if on]

        def keys(kb, done):
            _cursor_keys(kb, state, len(choices))

            @kb.add(" ")
            def _(event):
                ticked[state["index"]] = not ticked[state["index"]]

            @kb.add("enter")
            def _(event):
                titles = [c[0] for c, on in zip(choices, ticked) if on]
                done(event, self.words["list_joiner"].join(titles) or self.words["chosen_none"], chosen())

            @kb.add("?")
            @kb.add("？")
            def _(event):
                event.app.exit(exception=Help(chosen()))

        def rows(i, title):
            return [("class:pointer" if i == state["index"] else "", " » " if i == state["index"] else "   "),
                    ("class:selected" if ticked[i] else "", "● " if ticked[i] else "○ "),
                    ("class:highlighted" if i == state["index"] else "", title)]

        return self._list(message, choices, state, keys, rows, instruction or self.words["keys_checkbox"], None)

    def text(self, message: str, default: str = "", validate=None, instruction=None) -> str:
        """A line of text; `validate(text)` returns True or the message to show under the prompt."""
        from prompt_toolkit.buffer import Buffer
        from prompt_toolkit.document import Document
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import BufferControl, ConditionalContainer, FormattedTextControl, HSplit, Window
        from prompt_toolkit.layout.processors import BeforeInput

        state = {"error": None, "done": False}
        buffer = Buffer(document=Document(default or "", len(default or "")), multiline=False)
        hint = self.words["keys_joiner"].join(filter(None, [instruction, self.words["keys_text"]]))

        def check(text):
            verdict = validate(text) if validate else True
            return None if verdict is True else (verdict or "?")

        def changed(_buffer):
            if state["error"] is not None:
                state["error"] = check(buffer.text)
        buffer.on_text_changed += changed

        kb = KeyBindings()
        self._common_keys(kb)

        @kb.add("left", filter=Condition(lambda: buffer.text == ""), eager=True)
        def _(event):
            _back(event)

        @kb.add("enter", eager=True)
        def _(event):
            state["error"] = check(buffer.text)
            if state["error"] is None:
                state["done"] = True
                event.app.exit(result=buffer.text)

        prompt = [("class:qmark", "? "), ("class:question", message + " ")]
        parts = [
            Window(BufferControl(buffer, input_processors=[BeforeInput(prompt)]), wrap_lines=True,
                   dont_extend_height=True, get_line_prefix=lambda line, wrap: "    " if wrap else ""),
            ConditionalContainer(Window(FormattedTextControl(lambda: [("class:error", f"  ✗ {state['error']}")]),
                                        wrap_lines=True, dont_extend_height=True),
                                 filter=Condition(lambda: state["error"] is not None and not state["done"])),
        ]
        if hint:
            parts.append(ConditionalContainer(
                Window(FormattedTextControl([("class:instruction", f"  {hint}")]), wrap_lines=True, dont_extend_height=True),
                filter=Condition(lambda: not state["done"])))
        return self._run(HSplit(parts), kb)

    def confirm(self, message: str, default: bool = True) -> bool:
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import FormattedTextControl, Window

        state = {"answer": None}
        kb = KeyBindings()
        self._common_keys(kb)

        def answer(event, value):
            state["answer"] = value
            event.app.exit(result=value)

        for key, value in (("y", True), ("Y", True), ("n", False), ("N", False)):
            kb.add(key)(lambda event, value=value: answer(event, value))
        kb.add("enter")(lambda event: answer(event, default))

        def tokens():
            out = [("class:qmark", "? "), ("class:question", message + " ")]
            if state["answer"] is None:
                out.append(("class:instruction", ("[Y/n] " if default else "[y/N] ") + self.words["keys_confirm"]))
            else:
                out.append(("class:answer", "y" if state["answer"] else "n"))
            return out

        return self._run(Window(FormattedTextControl(tokens), wrap_lines=True, dont_extend_height=True), kb)

    # -- the machinery ----------------------------------------------------------------------

    def _common_keys(self, kb) -> None:
        @kb.add("c-c", eager=True)
        def _(event):
            event.app.exit(exception=KeyboardInterrupt())

        @kb.add("escape", eager=True)
        @kb.add("c-z", eager=True)
        def _(event):
            _back(event)

    def _size(self):
        from prompt_toolkit.application import get_app
        size = get_app().output.get_size()
        return size.rows, size.columns

    def _list(self, message, choices, state, keys, rows, instruction, footer):
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import ConditionalContainer, Dimension, FormattedTextControl, HSplit, Window

        kb = KeyBindings()
        self._common_keys(kb)

        @kb.add("left", eager=True)
        def _(event):
            _back(event)

        def done(event, title, value):
            state["answer"], state["done"] = title, True
            event.app.exit(result=value)
        keys(kb, done)

        def head():
            out = [("class:qmark", "? "), ("class:question", message + " ")]
            if state.get("done"):
                out.append(("class:answer", state["answer"]))
            else:
                out.append(("class:instruction", instruction))
            return out

        def body():
            out = []
            for i, choice in enumerate(choices):
                if i == state["index"]:
                    out.append(("[SetCursorPosition]", ""))
                out += rows(i, choice[0])
                out.append(("", "\n"))
            return out[:-1]

        def description():
            text = choices[state["index"]][2]
            return [("class:description", f"  {text}")] if text else []

        def body_height():
            screen, width = self._size()
            text = lambda tokens: "".join(t[1] for t in tokens)
            others = _lines(text(head()), width) + (_lines(text(description()), width) if description() else 0)
            others += _lines(footer, width) if footer else 0
            wanted = sum(_lines(text(rows(i, c[0])), width) for i, c in enumerate(choices))
            room = max(3, screen - others - 3)   # and the line above the question stays in sight
            return Dimension(min=min(wanted, room), max=min(wanted, room), preferred=min(wanted, room))

        not_done = Condition(lambda: not state.get("done"))
        parts = [
            Window(FormattedTextControl(head), wrap_lines=True, dont_extend_height=True),
            ConditionalContainer(Window(FormattedTextControl(body), wrap_lines=True, height=body_height,
                                        get_line_prefix=lambda line, wrap: "       " if wrap else "",
                                        always_hide_cursor=True), filter=not_done),
            ConditionalContainer(Window(FormattedTextControl(description), wrap_lines=True, dont_extend_height=True,
                                        get_line_prefix=lambda line, wrap: "  " if wrap else ""),
                                 filter=not_done & Condition(lambda: bool(choices[state["index"]][2]))),
        ]
        if footer:
            parts.append(ConditionalContainer(Window(FormattedTextControl([("", footer)]), wrap_lines=True,
                                                     dont_extend_height=True), filter=not_done))
        return self._run(HSplit(parts), kb)

    def _run(self, container, kb):
        from prompt_toolkit.application import Application
        from prompt_toolkit.layout import Layout
        from prompt_toolkit.styles import Style

        style = Style.from_dict({"qmark": "fg:ansiyellow bold", "question": "bold", "answer": "fg:ansicyan bold",
                                 "instruction": "fg:ansibrightblack", "pointer": "fg:ansicyan bold",
                                 "highlighted": "fg:ansicyan", "selected": "fg:ansigreen", "error": "fg:ansired bold",
                                 "description": "fg:ansibrightblack"})
        io = {k: v for k, v in (("input", self.input), ("output", self.output)) if v is not None}
        app = Application(layout=Layout(container), key_bindings=kb, style=style, full_screen=False, **io)
        return app.run()


def _cursor_keys(kb, state: dict, count: int) -> None:
    """↑/k/Ctrl-P and ↓/j/Ctrl-N move the highlighted entry of a list (wrapping round)."""
    @kb.add("up")
    @kb.add("k")
    @kb.add("c-p")
    def _(event):
        state["index"] = (state["index"] - 1) % count

    @kb.add("down")
    @kb.add("j")
    @kb.add("c-n")
    def _(event):
        state["index"] = (state["index"] + 1) % count
