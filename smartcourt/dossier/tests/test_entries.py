"""Filing into the dossier: numbering, files, audit, corrections and immutability (ORM and raw SQL)."""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.dossier.actions import file_entry, stored_name
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry, EntryImmutable

if TYPE_CHECKING:
    from conftest import Personas

PDF_BYTES = b"%PDF-1.7\n%%EOF\n"


@pytest.mark.django_db
def test_entries_are_numbered_per_case_and_keep_their_file(personas: Personas) -> None:
    p = personas
    first = file_entry(actor=p.judge, case=p.case, kind=EntryKind.RULING, title="受理破产清算申请裁定书")
    second = file_entry(
        actor=p.administrator,
        case=p.case,
        kind=EntryKind.ATTACHMENT,
        title="财产清单",
        content=PDF_BYTES,
        filename="财产 清单(1).pdf",
        source=p.case,
    )
    other = file_entry(actor=p.outsider, case=p.other_court_case, kind=EntryKind.DOCUMENT, title="起诉状")
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert not first.has_file and first.size == 0
    second.refresh_from_db()
    assert second.file.name == f"dossier/{p.case.pk}/2-财产_清单1.pdf"
    assert second.file_name == "财产 清单(1).pdf"
    assert second.content_type == "application/pdf"
    assert second.size == len(PDF_BYTES)
    assert second.file_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (second.source_type, second.source_id) == ("cases.Case", str(p.case.pk))
    with default_storage.open(second.file.name) as handle:
        assert handle.read() == PDF_BYTES


@pytest.mark.django_db
def test_filing_is_audited(personas: Personas) -> None:
    before = AuditEvent.objects.count()
    entry = file_entry(
        actor=personas.administrator,
        case=personas.case,
        kind=EntryKind.REPORT,
        title="第一次债权人会议筹备情况报告",
        content="报告正文".encode(),
        filename="报告.txt",
    )
    event = AuditEvent.objects.get(seq=before + 1)
    assert (event.action, event.case_id, event.object_id) == ("dossier.entry_filed", personas.case.pk, str(entry.pk))
    assert event.after == {
        "number": 1,
        "kind": "report",
        "title": "第一次债权人会议筹备情况报告",
        "file_name": "报告.txt",
        "file_sha256": hashlib.sha256("报告正文".encode()).hexdigest(),
        "size": 12,
        "source": None,
        "corrects": None,
    }
    assert entry.content_type == "text/plain"


@pytest.mark.django_db
def test_a_correction_is_a_new_entry_pointing_at_the_corrected_one(personas: Personas) -> None:
    p = personas
    wrong = file_entry(actor=p.judge, case=p.case, kind=EntryKind.NOTICE, title="债权申报通知（日期有误）")
    fix = file_entry(
        actor=p.judge, case=p.case, kind=EntryKind.CORRECTION, title="更正：债权申报期限", corrects=wrong, note="日期"
    )
    assert (fix.number, fix.corrects_id) == (2, wrong.pk)
    assert list(wrong.corrections.all()) == [fix]
    wrong.refresh_from_db()
    assert wrong.title == "债权申报通知（日期有误）"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "memo"}, "kind"),
        ({"title": "  "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"note": "注" * 501}, "note"),
        ({"kind": EntryKind.CORRECTION}, "corrects"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(personas: Personas, kwargs: dict[str, Any], field: str) -> None:
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    arguments: dict[str, Any] = {"kind": EntryKind.DOCUMENT, "title": "文书", **kwargs}
    with pytest.raises(DomainError) as refused:
        file_entry(actor=personas.judge, case=personas.case, **arguments)
    assert refused.value.field == field
    assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
def test_corrections_stay_within_their_case_and_only_corrections_correct(personas: Personas) -> None:
    p = personas
    elsewhere = file_entry(actor=p.outsider, case=p.other_court_case, kind=EntryKind.DOCUMENT, title="他案文书")
    here = file_entry(actor=p.judge, case=p.case, kind=EntryKind.DOCUMENT, title="本案文书")
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError, match="same case"):
        file_entry(actor=p.judge, case=p.case, kind=EntryKind.CORRECTION, title="更正", corrects=elsewhere)
    with pytest.raises(DomainError, match="only a correction"):
        file_entry(actor=p.judge, case=p.case, kind=EntryKind.DOCUMENT, title="文书", corrects=here)
    assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["creditor_b", "other_administrator", "outsider"])
def test_someone_who_cannot_see_the_case_files_nothing(personas: Personas, who: str) -> None:
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(NotFound):
        file_entry(actor=getattr(personas, who), case=personas.case, kind=EntryKind.DOCUMENT, title="越权")
    assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
def test_a_rolled_back_filing_leaves_no_gap(personas: Personas) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        file_entry(actor=personas.judge, case=personas.case, kind=EntryKind.DOCUMENT, title="撤回")
        raise Abort
    assert file_entry(actor=personas.judge, case=personas.case, kind=EntryKind.DOCUMENT, title="文书").number == 1


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_remove_an_entry(personas: Personas) -> None:
    entry = file_entry(actor=personas.judge, case=personas.case, kind=EntryKind.RULING, title="裁定书")
    entry.title = "改过的裁定书"
    with pytest.raises(EntryImmutable, match="update refused"):
        entry.save()
    with pytest.raises(EntryImmutable, match="delete refused"):
        entry.delete()
    with pytest.raises(EntryImmutable, match="update refused"):
        DossierEntry.objects.filter(pk=entry.pk).update(title="改")
    with pytest.raises(EntryImmutable, match="delete refused"):
        DossierEntry.objects.filter(pk=entry.pk).delete()
    assert DossierEntry.objects.get(pk=entry.pk).title == "裁定书"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE dossier_dossierentry SET title = 'tampered' WHERE id = %s",
        "DELETE FROM dossier_dossierentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(personas: Personas, statement: str) -> None:
    entry = file_entry(actor=personas.judge, case=personas.case, kind=EntryKind.RULING, title="裁定书")
    entry_id = entry.pk.hex if connection.vendor == "sqlite" else entry.pk
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry_id])
    assert DossierEntry.objects.get(pk=entry.pk).title == "裁定书"


def test_stored_names_are_safe() -> None:
    assert stored_name("../../etc/passwd", "text/plain") == "etcpasswd.txt"
    assert stored_name("请示 (终稿).pdf", "application/pdf") == "请示_终稿.pdf"
    assert stored_name("", "image/png") == "file.png"
    assert stored_name("..", "") == "file"
    assert len(stored_name("名" * 300 + ".docx", "")) == 120


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_gap_free_numbers(personas: Personas) -> None:
    judge_id, case_id = personas.judge.pk, personas.case.pk
    count = 12
    barrier = threading.Barrier(count)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def file(index: int) -> None:
        from smartcourt.accounts.models import User
        from smartcourt.cases.models import Case

        try:
            judge = User.objects.get(pk=judge_id)
            case = Case.objects.get(pk=case_id)
            barrier.wait(timeout=30)
            entry = file_entry(actor=judge, case=case, kind=EntryKind.DOCUMENT, title=f"并发文书{index}")
            with lock:
                numbers.append(entry.number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, count + 1))
    stored = DossierEntry.objects.filter(case_id=case_id).values_list("number", flat=True)
    assert sorted(stored) == list(range(1, count + 1))
