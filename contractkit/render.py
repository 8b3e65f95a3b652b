"""The sandboxed Jinja environment every clause, skeleton and pack template renders in, with
limits on output size, on `*`/`**`, and on render time."""
from __future__ import annotations

import signal
import threading
import time

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .markers import Placeholder

MAX_OUTPUT = 200_000        # characters one template may produce
MAX_SECONDS = 1.0           # wall time one template may take
MAX_REPEAT = 100_000        # longest string or list `*` may build


class TemplateLimit(SecurityError):
    pass


def _finalize(value):
    if isinstance(value, Placeholder):
        return str(value)
    if value is None:
        raise TemplateLimit("the template printed an empty value (None)")
    if isinstance(value, (bool, list, tuple, dict)):
        raise TemplateLimit(f"the template printed {type(value).__name__} {value!r}, not text")
    return value


class Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if not all(isinstance(x, (int, float)) and abs(x) <= 1000 for x in (left, right)):
                raise TemplateLimit("'**' is limited to numbers up to 1000")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                    raise TemplateLimit(f"'*' would build {len(seq) * n:,} items; at most {MAX_REPEAT:,}")
        return super().call_binop(context, operator, left, right)


_env: Sandbox | None = None


def environment() -> Sandbox:
    global _env
    if _env is None:
        _env = Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=False, finalize=_finalize,
                       cache_size=-1)
    return _env


def compile_source(source: str, name: str):
    """Compile template source to a code object (cached by library.py)."""
    return environment().compile(source, name=name, filename=name)


def expression_source(expr: str) -> str:
    return "{% if (" + expr + ") %}1{% endif %}"


class Deadline:
    """Bounds the wall time of a render: SIGALRM in the main thread, a check in loops otherwise."""

    def __init__(self, seconds: float = MAX_SECONDS):
        self.seconds = seconds
        self.use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")

    def _expire(self, signum, frame):
        raise TemplateLimit(f"the template ran longer than {self.seconds:g} s")

    def __enter__(self):
        if self.use_alarm:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        if self.use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


_templates: dict = {}


def render_code(code, context: dict, name: str) -> str:
    """Render a compiled template with the output cap and the time bound."""
    env = environment()
    template = _templates.get(code)
    if template is None:
        template = env.template_class.from_code(env, code, env.make_globals(None))
        _templates[code] = template
    with Deadline():
        out, size = [], 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"the template produced more than {MAX_OUTPUT:,} characters")
            out.append(chunk)
    return "".join(out)
