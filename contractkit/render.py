"""The sandboxed Jinja environment every clause, skeleton and pack template renders in, with
limits on output size, on `*`/`**`/`%` and format widths, and on render time; and, before
anything is compiled, limits on a template's size and nesting. Jinja's compile-time constant
folding is off (it would run a template's arithmetic outside every limit)."""
from __future__ import annotations

import re
import signal
import threading

from jinja2 import StrictUndefined, Undefined, pass_eval_context
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .markers import Placeholder

MAX_OUTPUT = 200_000        # characters one template may produce
MAX_SECONDS = 1.0           # processor time one template may take (not wall time: a loaded machine must not fail a build)
MAX_REPEAT = 100_000        # longest string or list `*` may build
MAX_WIDTH = 1_000           # widest field `%`, `format` and str methods may pad to
MAX_SOURCE = 20_000         # characters of one template's source
MAX_BLOCKS = 10             # {% for %}/{% if %}/… nested in one another
MAX_BRACKETS = 20           # (, [ and { nested in one expression
MAX_FILTERS = 20            # filters and tests in one {{ … }} or {% … %}
MAX_TAG_TOKENS = 400        # tokens in one {{ … }} or {% … %}
MAX_DEPTH = 40              # depth of an expression's tree (e.g. a chain of `+` or `not`)
MAX_DIGITS = 30             # digits of a number written in a template


class TemplateLimit(SecurityError):
    pass


class TemplateTooComplex(TemplateSyntaxError):
    """A template refused before it is compiled: too long or nested too deeply."""


@pass_eval_context          # a finalizer that takes the context is never run at compile time
def _finalize(eval_ctx, value):
    if isinstance(value, Placeholder):
        return str(value)
    if value is None:
        raise TemplateLimit("the template printed an empty value (None)")
    if isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, (bool, list, tuple, dict)):
        raise TemplateLimit(f"the template printed {type(value).__name__} {value!r}, not text")
    import datetime as _dt
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, Undefined):
        return str(value)       # StrictUndefined raises: what is undefined, or why it is unsafe
    what = getattr(value, "__name__", None) or type(value).__name__
    raise TemplateLimit(f"the template printed '{what}', a {type(value).__name__}, not text: print text, a number "
                        "or a placeholder (helpers such as self, joiner or cycler are not text)")


_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)


def _check_percent(fmt: str) -> None:
    """`'%05d' % n` and `|format`: widths and precisions up to MAX_WIDTH, none taken from the arguments."""
    for width, precision, _ in _SPEC.findall(fmt):
        for n in (width, precision):
            if n == "*":
                raise TemplateLimit("'%' with a '*' width is not allowed; write the width out")
            if n and len(n) > 6 or n and int(n) > MAX_WIDTH:
                raise TemplateLimit(f"'%' pads to {n} characters; at most {MAX_WIDTH:,}")


def _check_format_spec(fmt: str) -> None:
    """str.format: widths and precisions up to MAX_WIDTH, none nested from the arguments."""
    from string import Formatter
    try:
        fields = list(Formatter().parse(fmt))
    except ValueError:
        return                  # str.format reports it
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise TemplateLimit("a format width taken from the arguments ({:{}}) is not allowed; write it out")
        for n in re.findall(r"\d+", spec or ""):
            if len(n) > 6 or int(n) > MAX_WIDTH:
                raise TemplateLimit(f"the format pads to {n} characters; at most {MAX_WIDTH:,}")


def _check_size(size: int, what: str) -> None:
    if size > MAX_OUTPUT:
        raise TemplateLimit(f"{what} would build {size:,} characters; at most {MAX_OUTPUT:,}")


def _replaced_size(text: str, old: str, new: str, count: int = -1) -> int:
    n = (len(text) + 1) if old == "" else text.count(old)
    n = n if count is None or count < 0 else min(n, count)
    return len(text) + n * (len(new) - len(old))


_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class Sandbox(ImmutableSandboxedEnvironment):
    # an intercepted operator is also never folded at compile time
    intercepted_binops = frozenset(["*", "**", "%"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if not all(isinstance(x, (int, float)) and abs(x) <= 1000 for x in (left, right)):
                raise TemplateLimit("'**' is limited to numbers up to 1000")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                    raise TemplateLimit(f"'*' would build {len(seq) * n:,} items; at most {MAX_REPEAT:,}")
        elif operator == "%" and isinstance(left, str):
            _check_percent(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):   # noqa: N805 (Jinja's own signature)
        method = getattr(__obj, "__wrapped__", __obj)         # the sandbox wraps str.format
        owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
        if isinstance(owner, str):
            if name in ("format", "format_map"):
                _check_format_spec(owner)
            elif name in _WIDTH_METHODS:
                for n in [*args, *kwargs.values()]:
                    if isinstance(n, int) and n > MAX_WIDTH:
                        raise TemplateLimit(f"'{name}' pads to {n:,} characters; at most {MAX_WIDTH:,}")
            elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
                _check_size(_replaced_size(owner, args[0], args[1], *args[2:3]), "'replace'")
            elif name == "join" and args:
                items = list(args[0])
                _check_size(sum(len(str(i)) for i in items) + len(owner) * max(len(items) - 1, 0), "'join'")
                args = (items, *args[1:])
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_filters(filters: dict) -> dict:
    """Jinja's filters that pad, replace or join, with their results bounded."""
    from markupsafe import soft_str

    def format_(value, *args, **kwargs):
        _check_percent(soft_str(value))
        return filters["format"](value, *args, **kwargs)

    def center(value, width=80):
        if isinstance(width, int) and width > MAX_WIDTH:
            raise TemplateLimit(f"'center' pads to {width:,} characters; at most {MAX_WIDTH:,}")
        return filters["center"](value, width)

    def indent(s, width=4, *args, **kwargs):
        if isinstance(width, int) and width > MAX_WIDTH or isinstance(width, str) and len(width) > MAX_WIDTH:
            raise TemplateLimit(f"'indent' is limited to {MAX_WIDTH:,} characters")
        _check_size(len(soft_str(s)) * (1 + (width if isinstance(width, int) else len(width))), "'indent'")
        return filters["indent"](s, width, *args, **kwargs)

    def replace(eval_ctx, s, old, new, count=None):
        _check_size(_replaced_size(soft_str(s), soft_str(old), soft_str(new), count), "'replace'")
        return filters["replace"](eval_ctx, s, old, new, count)

    def join(eval_ctx, value, d="", attribute=None):
        items = list(value)
        _check_size(sum(len(soft_str(i)) for i in items) + len(soft_str(d)) * max(len(items) - 1, 0), "'join'")
        return filters["join"](eval_ctx, items, d, attribute)

    return {"format": format_, "center": center, "indent": indent,
            "replace": pass_eval_context(replace), "join": pass_eval_context(join)}


_env: Sandbox | None = None


def environment() -> Sandbox:
    global _env
    if _env is None:
        _env = Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=False, finalize=_finalize,
                       cache_size=-1, optimized=False)
        _env.filters.update(_bounded_filters(dict(_env.filters)))
    return _env


_BLOCKS = {"for", "if", "macro", "call", "filter", "with", "autoescape", "block", "set", "trans"}


def check_source(source: str, name: str) -> None:
    """Refuse, before Jinja parses or compiles it, a template that is too long or nested too
    deeply for the parser and Python's compiler (they recurse): a TemplateTooComplex at its line."""
    env = environment()

    def refuse(line, message):
        raise TemplateTooComplex(message, line, name, name)

    if len(source) > MAX_SOURCE:
        refuse(1, f"the template is {len(source):,} characters long; at most {MAX_SOURCE:,}")
    blocks, brackets, filters, tokens, tag_start, keyword, assigns = [], 0, 0, 0, None, None, False
    for line, kind, value in env.lexer.tokeniter(source, name, name):
        if kind in ("block_begin", "variable_begin"):
            brackets, filters, tokens, tag_start, keyword, assigns = 0, 0, 0, kind, None, False
            continue
        if kind in ("block_end", "variable_end"):
            if keyword in _BLOCKS and not (keyword == "set" and assigns):
                blocks.append(keyword)
                if len(blocks) > MAX_BLOCKS:
                    refuse(line, f"blocks are nested more than {MAX_BLOCKS} deep ({{% {keyword} %}} inside "
                                 f"{len(blocks) - 1} others): split the text")
            elif keyword and keyword.startswith("end") and blocks:
                blocks.pop()
            tag_start = None
            continue
        if tag_start is None or kind in ("whitespace", "comment", "linecomment"):
            continue
        tokens += 1
        if tokens > MAX_TAG_TOKENS:
            refuse(line, f"one {{{{ … }}}} or {{% … %}} holds more than {MAX_TAG_TOKENS} parts: split it")
        if tokens == 1 and tag_start == "block_begin" and kind == "name":
            keyword = value
        elif kind == "operator":
            if value in "([{":
                brackets += 1
                if brackets > MAX_BRACKETS:
                    refuse(line, f"brackets are nested more than {MAX_BRACKETS} deep")
            elif value in ")]}":
                brackets -= 1
            elif value == "|":
                filters += 1
            elif value == "=":
                assigns = True
        elif kind == "name" and value == "is":
            filters += 1
        elif kind == "integer" and len(value) > MAX_DIGITS:
            refuse(line, f"a number of {len(value):,} digits; at most {MAX_DIGITS} are allowed")
        if filters > MAX_FILTERS:
            refuse(line, f"more than {MAX_FILTERS} filters or tests in a row")


def _tree_depth(node) -> tuple[int, int]:
    """The depth of a parsed template's deepest expression, and its line (iteratively)."""
    from jinja2 import nodes
    deepest, line = 0, 1
    stack = [(node, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, nodes.Expr):
            depth += 1
            if depth > deepest:
                deepest, line = depth, getattr(node, "lineno", line)
        stack.extend((child, depth) for child in node.iter_child_nodes())
    return deepest, line


def _check_constant_formats(tree, name: str) -> None:
    """A format written out in the template ('%0999d' % n, '…'|format, '…'.format) is checked
    now, so `packs validate` reports it (a format built at render time is checked then)."""
    from jinja2 import nodes

    def const_str(node):
        return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None

    for node in tree.find_all((nodes.Mod, nodes.Filter, nodes.Call)):
        try:
            if isinstance(node, nodes.Mod) and const_str(node.left) is not None:
                _check_percent(node.left.value)
            elif isinstance(node, nodes.Filter) and node.name == "format" and const_str(node.node) is not None:
                _check_percent(node.node.value)
            elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) \
                    and node.node.attr in ("format", "format_map") and const_str(node.node.node) is not None:
                _check_format_spec(node.node.node.value)
        except TemplateLimit as exc:
            raise TemplateTooComplex(str(exc), node.lineno, name, name) from None


def compile_source(source: str, name: str):
    """Compile template source to a code object (cached by library.py), within the limits above."""
    env = environment()
    check_source(source, name)
    try:
        tree = env.parse(source, name, name)
        depth, line = _tree_depth(tree)
        if depth > MAX_DEPTH:
            raise TemplateTooComplex(f"an expression nested {depth} deep; at most {MAX_DEPTH}: split it", line, name, name)
        _check_constant_formats(tree, name)
        return env.compile(tree, name=name, filename=name)
    except TemplateSyntaxError:
        raise
    except (RecursionError, MemoryError, SyntaxError, ValueError, OverflowError) as exc:
        # a limit above should have caught it first; the message still says where and what
        raise TemplateTooComplex(f"the template cannot be compiled ({type(exc).__name__}: {exc or 'too large'})",
                                 1, name, name) from None


def expression_source(expr: str) -> str:
    return "{% if (" + expr + ") %}1{% endif %}"


class Deadline:
    """Bounds the processor time of a render (SIGPROF, main thread only: another thread has no timer
    and only the output cap): the time the process itself runs, so a busy machine that keeps it
    waiting does not turn a sound template into an error."""

    def __init__(self, seconds: float = MAX_SECONDS):
        self.seconds = seconds
        self.use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")

    def _expire(self, signum, frame):
        raise TemplateLimit(f"the template ran longer than {self.seconds:g} s")

    def __enter__(self):
        if self.use_alarm:
            self.previous = signal.signal(signal.SIGPROF, self._expire)
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.use_alarm:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self.previous)
        return False


_templates: dict = {}


def render_code(code, context: dict, name: str) -> str:
    """Render a compiled template with the output cap and the time bound."""
    env = environment()
    template = _templates.get(code)
    if template is None:
        template = env.template_class.from_code(env, code, env.make_globals(None))
        _templates[code] = template
    try:
        with Deadline():
            out, size = [], 0
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(f"the template produced more than {MAX_OUTPUT:,} characters")
                out.append(chunk)
    except MemoryError:
        raise TemplateLimit("the template needed more memory than there is") from None
    except RecursionError:
        raise TemplateLimit("the template calls itself too deeply") from None
    return "".join(out)
