"""An editable DOCX draft of a document, for the judge or administrator who edits before signing.

The legal output stays the PDF rendered from HTML (a DOCX is converted faithfully only by LibreOffice): the
draft carries the same text, made from the same template version and case data, laid out as a court document
(centred issuer and title, case number on the right, indented body in 仿宋, signature block)."""

from __future__ import annotations

import functools
import io
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from smartcourt.documents import chinese
from smartcourt.documents.context import document_context
from smartcourt.documents.engine import render_body
from smartcourt.documents.models import Document

BODY_FONT = "仿宋"


class _Paragraphs(HTMLParser):
    """Block texts of a rendered body: each <p> and <li> a paragraph, each table row its cells joined by tabs."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._text: list[str] = []
        self._cells: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._cells = []
        elif tag in {"td", "th"} or tag in {"p", "li"}:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text).strip()
        if tag in {"td", "th"} and self._cells is not None:
            self._cells.append(text)
            self._text = []
        elif tag == "tr" and self._cells is not None:
            self.blocks.append("\t".join(self._cells))
            self._cells = None
        elif tag in {"p", "li"}:
            if text:
                self.blocks.append(text)
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def body_paragraphs(html: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.blocks


@functools.cache
def _layout() -> bytes:
    """The docxtpl template: a python-docx document whose text is Jinja placeholders."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    docx = Docx()
    section = docx.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    style = docx.styles["Normal"]
    style.font.size = Pt(14)
    style.font.name = BODY_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)

    def line(
        text: str, *, align: Any = None, size: int | None = None, bold: bool = False, indent: bool = False
    ) -> None:
        paragraph = docx.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(28)

    line("{{ issuer_line }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=20, bold=True)
    line("{{ heading }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    line("{{ number_line }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx.add_paragraph("{%p for paragraph in paragraphs %}")
    line("{{ paragraph }}", indent=True)
    docx.add_paragraph("{%p endfor %}")
    docx.add_paragraph("{%p for signature in signatures %}")
    line("{{ signature }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx.add_paragraph("{%p endfor %}")
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def docx_draft(document: Document) -> bytes:
    """The DOCX draft of ``document``, from its template version and the case's data as they are now."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    template = document.template_version.template
    context = document_context(document.case)
    paragraphs = body_paragraphs(str(render_body(document.template_version.body, context)))
    date_text = chinese.chinese_date(timezone.localdate())
    if template.issuer == "court":
        signatures = [f"审判长　{context['presiding_judge']}"]
        signatures += [f"审判员　{name}" for name in context["panel_judges"]]
        signatures += [date_text, f"书记员　{context['clerk_name']}"]
        issuer_line = context["court_name"]
    else:
        signatures = [f"{context['debtor_name']}管理人", f"（{context['administrator_firm']}）", date_text]
        issuer_line = f"{context['debtor_name']}管理人"
    docx = DocxTemplate(io.BytesIO(_layout()))
    docx.render(
        {
            "issuer_line": issuer_line,
            "heading": template.heading,
            "number_line": context["case_number"],
            "paragraphs": paragraphs,
            "signatures": signatures,
        }
    )
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
