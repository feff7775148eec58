"""Centralised electronic service (集中送达) of one signed document on N creditors, as the background job
runs it, against pyHanko alone signing the same number of pre-rendered service proofs.

The platform's path per recipient: inbox delivery, e-mail (locmem backend) and SMS (console adapter), the
service proof (送达回证) rendered by WeasyPrint and PAdES-signed with the court's seal, filed into the dossier,
audit event. The baseline signs one already-rendered proof N times with the same key and stamp, in the same
run. Progress is what the service page shows (counts over the deliveries) while the job runs.

    .venv/bin/python benchmarks/documents_service.py     # SMARTCOURT_BENCH_RECIPIENTS=1000 by default
"""

from __future__ import annotations

import logging
import time

from _evidence_bench import bench_database, env_int, machine
from documents_sign import _world

RECIPIENTS = env_int("SMARTCOURT_BENCH_RECIPIENTS", 1000)
BASELINE_SIGNATURES = env_int("SMARTCOURT_BENCH_BASELINE", 50)


def main() -> None:
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with bench_database() as database:
        from django.conf import settings
        from django.contrib.auth.hashers import make_password

        from smartcourt.accounts.choices import Role
        from smartcourt.accounts.models import User
        from smartcourt.cases.choices import MemberRole
        from smartcourt.cases.models import CaseMember
        from smartcourt.documents import actions, pades, tasks
        from smartcourt.documents.actions import generate_document, serve_document, sign_document
        from smartcourt.documents.models import Delivery
        from smartcourt.documents.selectors import service_progress
        from smartcourt.documents.service import proof_pdf

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        judge, case = _world()
        # The creditors, set up directly: accounts and membership are not what is measured.
        password = make_password(None)
        users = User.objects.bulk_create(
            User(
                username=f"creditor{n:05d}",
                password=password,
                role=Role.CREDITOR,
                full_name=f"债权人{n:05d}",
                email=f"creditor{n:05d}@example.cn",
                phone=f"139{n:08d}",
            )
            for n in range(RECIPIENTS)
        )
        CaseMember.objects.bulk_create(CaseMember(case=case, role=MemberRole.CREDITOR, user=user) for user in users)
        document = sign_document(
            actor=judge,
            document_id=generate_document(actor=judge, case_id=case.pk, template_key="acceptance_ruling").pk,
        )
        queued: list[list[str]] = []
        job = tasks.deliver_batch
        tasks.deliver_batch = queued.append
        result = serve_document(actor=judge, document_id=document.pk, groups=["creditors"])
        tasks.deliver_batch = job
        assert result.queued and len(queued[0]) == RECIPIENTS

        start = time.perf_counter()
        checkpoints: list[str] = []
        for index, delivery_id in enumerate(queued[0], start=1):
            actions.deliver(delivery_id=delivery_id)
            if index % max(1, RECIPIENTS // 4) == 0:
                progress = service_progress(document)
                checkpoints.append(f"{progress.percent_done}% after {time.perf_counter() - start:.0f} s")
        platform_seconds = time.perf_counter() - start
        progress = service_progress(document)
        assert progress.delivered == RECIPIENTS, progress

        sample = Delivery.objects.filter(document=document).first()
        assert sample is not None
        seal = document.seal
        assert seal is not None
        # The same proof, rendered but not yet signed: what pyHanko alone is given.
        rendered = proof_pdf(sample, issuer_name=seal.organisation.name)
        start = time.perf_counter()
        for _ in range(BASELINE_SIGNATURES):
            pades.sign_pdf(
                rendered.pdf,
                certificate_pem=seal.certificate_pem,
                key_pem=seal.key_pem,
                image_png=bytes(seal.image_png),
                page=rendered.seal_page,
                box=rendered.seal_box,
                reason="bench",
                name=str(seal),
            )
        baseline_per_proof = (time.perf_counter() - start) / BASELINE_SIGNATURES

        per_delivery = platform_seconds / RECIPIENTS
        print(f"machine: {machine()}; database: {database}")
        print(f"recipients: {RECIPIENTS}; progress seen: {'; '.join(checkpoints)}")
        print(
            f"platform service job: {platform_seconds:.1f} s in all, {per_delivery * 1000:.0f} ms a recipient "
            f"({RECIPIENTS / platform_seconds:.2f} recipients/s)"
        )
        print(f"pyHanko alone signing a pre-rendered proof: {baseline_per_proof * 1000:.0f} ms a proof")
        print(f"ratio platform / pyHanko alone (throughput): {baseline_per_proof / per_delivery:.3f}")


if __name__ == "__main__":
    main()
