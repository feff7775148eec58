"""The restricted template language of document templates: Django's, with only plain text, placeholders,
``if`` and ``for``, and a few filters. A template is checked before it is saved; the error names the line and
the name at fault, so the editor can fix it while the old version stays in use."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, Variable, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from smartcourt.documents.context import PLACEHOLDERS

ALLOWED_NODES: tuple[type[Node], ...] = (TextNode, VariableNode, IfNode, ForNode, CommentNode)
ALLOWED_FILTERS = frozenset(
    {"cn_date", "rmb_upper", "default", "length", "join", "first", "last", "linebreaksbr", "yesno", "add"}
)
LOOP_NAMES = frozenset({"forloop"})


@dataclass(frozen=True)
class TemplateProblem(Exception):
    line: int
    name: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@functools.cache
def engine() -> Engine:
    # debug=True: syntax errors then carry the line they happened on.
    return Engine(
        debug=True,
        autoescape=True,
        libraries={},
        builtins=["smartcourt.documents.templatetags.document_filters"],
        string_if_invalid="",
    )


def _line(node: Node) -> int:
    token = getattr(node, "token", None)
    return int(getattr(token, "lineno", 0) or 0)


def _expressions_of(node: Node) -> list[FilterExpression]:
    if isinstance(node, VariableNode):
        return [node.filter_expression] if isinstance(node.filter_expression, FilterExpression) else []
    if isinstance(node, ForNode):
        return [node.sequence] if isinstance(node.sequence, FilterExpression) else []
    if isinstance(node, IfNode):
        found: list[FilterExpression] = []
        for condition, _nodelist in node.conditions_nodelists:
            stack: list[Any] = [condition]
            while stack:
                item = stack.pop()
                if item is None:
                    continue
                value = getattr(item, "value", None)
                if isinstance(value, FilterExpression):
                    found.append(value)
                stack.extend([getattr(item, "first", None), getattr(item, "second", None)])
        return found
    return []


def check_template(body: str) -> Template:
    """Compile ``body`` or raise TemplateProblem naming the line and the tag, filter or placeholder at fault."""
    try:
        template = engine().from_string(body)
    except TemplateSyntaxError as exc:
        debug = getattr(exc, "template_debug", None) or {}
        line = int(debug.get("line", 0))
        name = str(debug.get("during", "")).strip()
        raise TemplateProblem(line, name, f"{exc} (at {name})" if name else str(exc)) from exc
    nodes = template.nodelist.get_nodes_by_type(Node)
    loop_names = set(LOOP_NAMES)
    for node in nodes:
        if isinstance(node, ForNode):
            loop_names.update(node.loopvars)
    for node in nodes:
        if not isinstance(node, ALLOWED_NODES):
            tag = type(node).__name__.removesuffix("Node").lower()
            raise TemplateProblem(
                _line(node), tag, _("the tag '%(name)s' is not allowed in a document template") % {"name": tag}
            )
        for expression in _expressions_of(node):
            var = expression.var
            if isinstance(var, Variable) and var.lookups is not None:
                name = var.lookups[0]
                if name not in PLACEHOLDERS and name not in loop_names:
                    raise TemplateProblem(_line(node), name, _("unknown placeholder '%(name)s'") % {"name": name})
            for func, _args in expression.filters:
                filter_name = getattr(func, "_filter_name", None) or func.__name__
                if filter_name not in ALLOWED_FILTERS:
                    raise TemplateProblem(
                        _line(node),
                        filter_name,
                        _("the filter '%(name)s' is not allowed in a document template") % {"name": filter_name},
                    )
    return template


def render_body(body: str, context: dict[str, Any]) -> SafeString:
    """Render a checked template body to HTML. Text is autoescaped: a debtor's name cannot inject markup."""
    return SafeString(check_template(body).render(Context(context, autoescape=True)))
