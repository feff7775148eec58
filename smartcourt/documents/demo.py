"""Demo documents: the acceptance ruling of a demo case, generated and sealed by its judge, and the
administrator's takeover notice sealed with the firm's seal; the ruling is served on every
creditor. Idempotent: a case that has them is left alone."""

from __future__ import annotations

from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.documents.actions import generate_document, serve_document
from smartcourt.documents.models import Document, DocumentTemplate, TemplateVersion
from smartcourt.documents.seeds import seed_templates


def seed_documents(*, case: Case, judge: User, administrator: User) -> list[Document]:
    # The data migration seeds the library; a flushed database (transactional tests) has lost it.
    seed_templates(DocumentTemplate, TemplateVersion, now=timezone.now())
    made: list[Document] = []
    for actor, key in ((judge, "acceptance_ruling"), (administrator, "takeover_notice")):
        if Document.objects.filter(case=case, template_version__template__key=key).exists():
            continue
        # Both are always issued sealed: generating them seals them (issue 15.19).
        signed = generate_document(actor=actor, case_id=case.pk, template_key=key)
        if key == "acceptance_ruling":
            # 集中送达 to every creditor: each sees it in the inbox, and the service proofs go to the dossier.
            serve_document(actor=actor, document_id=signed.pk, groups=["creditors"])
        made.append(signed)
    return made
