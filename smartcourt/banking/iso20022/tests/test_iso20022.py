"""ISO 20022 files: pain.001 built and read back valid against the official XSD; pain.002, camt.054 and
camt.053 read; hostile and inconsistent files refused with a reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from smartcourt.banking.adapter import TransferStatus
from smartcourt.banking.iso20022 import safe_xml
from smartcourt.banking.iso20022.camt import Entry, build_camt053, build_camt054, read_camt053, read_camt054
from smartcourt.banking.iso20022.pain001 import CreditTransfer, FieldTooLong, PaymentBatch, build_pain001, read_pain001
from smartcourt.banking.iso20022.pain002 import TransactionStatus, build_pain002, read_pain002
from smartcourt.banking.iso20022.safe_xml import XmlRefused

CST = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 28, 10, 30, tzinfo=CST)
E1, E2 = "0f" * 16, "1e" * 16


def _batch(**changes: object) -> PaymentBatch:
    batch = PaymentBatch(
        message_id="DIST-2026-0001",
        created_at=AT,
        initiating_party="江苏某律师事务所（宏达纺织管理人）",
        payment_info_id="DIST-2026-0001-1",
        requested_on=dt.date(2026, 11, 30),
        debtor_name="江苏宏达纺织有限公司管理人",
        debtor_account="32060123000012345",
        debtor_bank_name="中国工商银行如东支行",
        debtor_bank_code="102306200012",
        transfers=[
            CreditTransfer(
                end_to_end_id=E1,
                amount_fen=1_234_567,
                payee_name="张三",
                payee_account="6222020000000001",
                payee_bank_name="中国银行如东支行",
                payee_bank_code="104306200021",
                payee_identity="32062319800101001X",
                payee_is_person=True,
                remittance="（2026）苏0623破12号 最后分配",
            ),
            CreditTransfer(
                end_to_end_id=E2,
                amount_fen=5,
                payee_name="南通某纱线有限公司",
                payee_account="1000123400056789",
                payee_bank_name="江苏银行南通分行",
                payee_identity="91320623MA1XXXXX0Y",
            ),
        ],
    )
    return dataclasses.replace(batch, **changes)  # type: ignore[arg-type]


def test_pain001_is_built_valid_and_reads_back_the_same() -> None:
    data = build_pain001(_batch())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09" in data
    assert b"<NbOfTxs>2</NbOfTxs>" in data and b"<CtrlSum>12345.72</CtrlSum>" in data
    assert f"<EndToEndId>{E1}</EndToEndId>".encode() in data
    assert b'<InstdAmt Ccy="CNY">12345.67</InstdAmt>' in data and b'<InstdAmt Ccy="CNY">0.05</InstdAmt>' in data
    assert read_pain001(data) == _batch()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"transfers": []}, "at least one"),
        ({"message_id": "x" * 36}, "message_id"),
    ],
)
def test_pain001_refuses_bad_batches(change: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        build_pain001(_batch(**change))


def test_pain001_refuses_duplicate_ids_and_non_positive_amounts() -> None:
    first = _batch().transfers[0]
    with pytest.raises(ValueError, match="used twice"):
        build_pain001(_batch(transfers=[first, first]))
    with pytest.raises(ValueError, match="positive"):
        build_pain001(_batch(transfers=[dataclasses.replace(first, amount_fen=0)]))


def test_pain001_schema_catches_what_the_xsd_forbids() -> None:
    # Over-long values are refused before the XSD with the field named (issue 15.14, tests below); the XSD
    # stays the last check for the rest, e.g. an empty account (Max34Text has a minimum length of 1).
    empty_account = dataclasses.replace(_batch().transfers[0], payee_account="")
    with pytest.raises(XmlRefused, match="does not conform to its XSD"):
        build_pain001(_batch(transfers=[empty_account]))


def _tamper(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (b"<NbOfTxs>2</NbOfTxs>", b"<NbOfTxs>3</NbOfTxs>", "NbOfTxs says 3"),
        (b"<CtrlSum>12345.72</CtrlSum>", b"<CtrlSum>12345.71</CtrlSum>", "CtrlSum says 12345.71"),
        (b'Ccy="CNY">0.05', b'Ccy="USD">0.05', "currency USD"),
        (b'Ccy="CNY">0.05', b'Ccy="CNY">0.055', "fractions of a fen"),
        (E2.encode(), E1.encode(), "used twice"),
        (b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>", "XSD"),
    ],
)
def test_pain001_reader_refuses_inconsistent_files(old: bytes, new: bytes, words: str) -> None:
    with pytest.raises(XmlRefused, match=words):
        read_pain001(_tamper(build_pain001(_batch()), old, new))


def test_pain002_status_per_end_to_end_id() -> None:
    data = build_pain002(
        message_id="ICBC-STS-1",
        created_at=AT,
        original_message_id="DIST-2026-0001",
        original_payment_info_id="DIST-2026-0001-1",
        group_status="PART",
        transactions=[
            TransactionStatus(E1, "ACSC", bank_reference="ICBC0001"),
            TransactionStatus(E2, "RJCT", reason_code="AC01", reason_text="收款账号不存在"),
        ],
    )
    report = read_pain002(data)
    assert report.original_message_id == "DIST-2026-0001" and report.group_status == "PART"
    lines = report.by_end_to_end_id()
    assert lines[E1].transfer_status is TransferStatus.EXECUTED and lines[E1].bank_reference == "ICBC0001"
    assert lines[E2].transfer_status is TransferStatus.REJECTED
    assert (lines[E2].reason_code, lines[E2].reason_text) == ("AC01", "收款账号不存在")
    assert TransactionStatus("x", "ACTC").transfer_status is TransferStatus.ACCEPTED


def test_pain002_refuses_a_line_reported_twice() -> None:
    data = build_pain002(
        message_id="S",
        created_at=AT,
        original_message_id="M",
        original_payment_info_id="P",
        transactions=[TransactionStatus(E1, "ACSC"), TransactionStatus(E1, "RJCT")],
    )
    with pytest.raises(XmlRefused, match="reported twice"):
        read_pain002(data)


def _entries() -> list[Entry]:
    return [
        Entry(-1_234_567, "BOOK", dt.date(2026, 11, 30), "ICBC0001", E1, "张三", "6222020000000001"),
        Entry(-5, "BOOK", dt.date(2026, 11, 30), "ICBC0002", E2, "南通某纱线有限公司", "1000123400056789"),
        Entry(5, "BOOK", dt.date(2026, 12, 1), "ICBC0003", E2, return_reason="AC04", return_text="账户已销户"),
    ]


def test_camt054_notifications() -> None:
    data = build_camt054(message_id="N-1", created_at=AT, account_number="32060123000012345", entries=_entries())
    [notification] = read_camt054(data)
    assert notification.account_number == "32060123000012345"
    assert [(e.amount_fen, e.end_to_end_id, e.is_return) for e in notification.entries] == [
        (-1_234_567, E1, False),
        (-5, E2, False),
        (5, E2, True),
    ]
    assert notification.entries[2].return_reason == "AC04"
    assert notification.entries[0].counterparty_name == "张三"


def test_camt053_statement_adds_up_or_is_refused() -> None:
    data = build_camt053(
        message_id="ST-1",
        statement_id="ST-20261201",
        created_at=AT,
        account_number="32060123000012345",
        opening_fen=10_000_000,
        entries=_entries(),
        on=dt.date(2026, 12, 1),
    )
    [statement] = read_camt053(data)
    assert (statement.opening_fen, statement.closing_fen) == (10_000_000, 10_000_000 - 1_234_567)
    assert len(statement.entries) == 3
    broken = _tamper(data, b'<Amt Ccy="CNY">87654.33</Amt>', b'<Amt Ccy="CNY">87654.34</Amt>')
    with pytest.raises(XmlRefused, match="does not add up"):
        read_camt053(broken)


def test_wrong_message_type_refused() -> None:
    with pytest.raises(XmlRefused, match=r"expected a camt\.053\.001\.08 Document"):
        read_camt053(build_pain001(_batch()))


# --- hostile XML ------------------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.12">&lol9;</Document>"""


def test_entity_expansion_refused() -> None:
    with pytest.raises(XmlRefused, match=r"DTD|entities"):
        read_pain002(BILLION_LAUGHS)


def test_external_entity_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&x;</Document>'
    ).encode()
    with pytest.raises(XmlRefused) as refused:
        read_camt054(xxe)
    assert "password" not in str(refused.value)


def test_external_dtd_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://example.invalid/x.dtd"><Document/>'
    with pytest.raises(XmlRefused, match="DTD"):
        safe_xml.parse_untrusted(data)


def test_malformed_and_oversized_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(XmlRefused, match="malformed"):
        safe_xml.parse_untrusted(b"<Document><unclosed></Document>")
    monkeypatch.setattr(safe_xml, "MAX_BYTES", 100)
    with pytest.raises(XmlRefused, match="too large"):
        safe_xml.parse_untrusted(b"<a>" + b"x" * 200 + b"</a>")


# --- Issue 15.14: nothing is cut; a value longer than its field is refused, the remittance is split ----------


def _with_transfer(**changes: object) -> PaymentBatch:
    batch = _batch()
    first = dataclasses.replace(batch.transfers[0], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(batch, transfers=[first, batch.transfers[1]])


def test_a_payee_name_of_140_characters_is_carried_whole() -> None:
    name = "南" * 140
    read = read_pain001(build_pain001(_with_transfer(payee_name=name)))
    assert read.transfers[0].payee_name == name


@pytest.mark.parametrize(
    ("field", "value", "element", "maximum"),
    [
        ("payee_name", "南" * 141, "Cdtr/Nm", 140),
        ("payee_bank_name", "银" * 141, "CdtrAgt/FinInstnId/Nm", 140),
        ("payee_identity", "9" * 36, "Cdtr/Id/Othr/Id", 35),
        ("payee_account", "6" * 35, "CdtrAcct/Id/Othr/Id", 34),
        ("payee_bank_code", "1" * 36, "CdtrAgt/FinInstnId/ClrSysMmbId/MmbId", 35),
    ],
)
def test_a_value_longer_than_its_field_is_refused_not_cut(field: str, value: str, element: str, maximum: int) -> None:
    with pytest.raises(FieldTooLong) as refused:
        build_pain001(_with_transfer(**{field: value}))
    assert (refused.value.element, refused.value.length, refused.value.maximum) == (element, len(value), maximum)
    assert str(refused.value) == f"line {E1}: {element} has {len(value)} characters; ISO 20022 allows at most {maximum}"


@pytest.mark.parametrize(
    ("field", "element"),
    [("debtor_name", "Dbtr/Nm"), ("initiating_party", "InitgPty/Nm"), ("debtor_bank_name", "DbtrAgt/FinInstnId/Nm")],
)
def test_the_batch_names_are_bounded_too(field: str, element: str) -> None:
    with pytest.raises(FieldTooLong) as refused:
        build_pain001(_batch(**{field: "管" * 141}))
    assert refused.value.element == element


def test_a_long_remittance_is_split_as_the_standard_allows() -> None:
    remittance = "（2026）苏0623破12号 最后分配 " + "说明" * 150
    xml = build_pain001(_with_transfer(remittance=remittance))
    assert xml.count(b"<Ustrd>") == 3  # RemittanceInformation16/Ustrd repeats, 140 characters each
    assert read_pain001(xml).transfers[0].remittance == remittance


def test_a_statement_with_a_counterparty_name_over_140_is_refused() -> None:
    entry = Entry(
        amount_fen=-100,
        status="BOOK",
        booked_on=AT.date(),
        bank_reference="BR1",
        end_to_end_id=E1,
        counterparty_name="南" * 141,
    )
    with pytest.raises(FieldTooLong):
        build_camt054(message_id="M1", created_at=AT, account_number="32060123000012345", entries=[entry])
