"""``{% node_documents case node_key %}``: the documents a node needs, for the node page. Each template bound to
the node is listed with the case's documents made from it and, for whoever may, a button to generate it."""

from __future__ import annotations

from typing import Any

from django import template

from smartcourt.cases.models import Case
from smartcourt.documents.selectors import can_generate_template, node_documents_for

register = template.Library()


@register.inclusion_tag("documents/_node_documents.html", takes_context=True)
def node_documents(context: dict[str, Any], case: Case, node_key: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"items": [], "case": case}
    items = [
        {
            "template": item.template,
            "documents": item.documents,
            "can_generate": can_generate_template(user, case, item.template),
        }
        for item in node_documents_for(user, case, node_key)
    ]
    return {"items": items, "case": case, "csrf_token": context.get("csrf_token")}
