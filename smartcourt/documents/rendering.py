"""A document's PDF: the template body inside the layout of a Chinese court document, rendered by WeasyPrint,
with the place of the seal (over the date of the signature block) measured from the layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from smartcourt.core.pdf import laid_out
from smartcourt.documents import chinese
from smartcourt.documents.engine import render_body
from smartcourt.documents.models import DocumentTemplate

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF coordinates are points (1/72 in).


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    html: str
    seal_page: int
    seal_box: tuple[float, float, float, float]


def document_html(template: DocumentTemplate, body: str, context: dict[str, Any]) -> str:
    page_context = {
        **context,
        "issuer": template.issuer,
        "heading": template.heading,
        "title": f"{template.name} {context.get('case_number', '')}",
        "number_line": context.get("case_number", ""),
        "body": render_body(body, context),
        "date_text": chinese.chinese_date(context["today"]),
    }
    return render_to_string("documents/pdf/document.html", page_context)


def render_pdf(html: str) -> RenderedDocument:
    document = laid_out(html)
    seal_page, seal_box = 0, (0.0, 0.0, 0.0, 0.0)
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == "seal-anchor":
                x, y = box.border_box_x(), box.border_box_y()
                width, height = box.border_width(), box.border_height()
                page_height = page.height
                seal_page = index
                seal_box = (
                    round(x * PX_TO_PT, 2),
                    round((page_height - y - height) * PX_TO_PT, 2),
                    round((x + width) * PX_TO_PT, 2),
                    round((page_height - y) * PX_TO_PT, 2),
                )
    pdf: bytes = document.write_pdf()
    return RenderedDocument(pdf=pdf, html=html, seal_page=seal_page, seal_box=seal_box)
