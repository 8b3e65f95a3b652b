"""The errors contractkit reports to a user, and the exit code each one means."""


class UserError(Exception):
    """Bad input or usage: printed without a traceback, exit code 2."""

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        from .schema import MAX_SHOWN
        head = self.args[0]
        shown = ["  " + p for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            shown.append(f"  … and {len(self.problems) - MAX_SHOWN:,} more")
        return "\n".join([head, *shown]) if self.problems else head


class BuildError(UserError):
    """The input was well-formed but the draft cannot be built (a clause refers to an article
    that is not there, a template fails): exit code 1."""

    exit_code = 1


class Located(Exception):
    """A problem at a place in a file; `file:line:col: message`, lines and columns 1-based."""

    def __init__(self, file: str, line: int, col: int, message: str):
        super().__init__(f"{file}:{line}:{col}: {message}")
        self.file, self.line, self.col, self.message = file, line, col, message
