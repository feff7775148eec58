"""pain.002.001.12 (CustomerPaymentStatusReportV12): the bank's status of each line of a pain.001 batch.

Read by EndToEndId. Transaction status codes (ISO external code list) are mapped onto the bank adapter's
``TransferStatus``: RJCT is a refusal, ACSC/ACCC mean the money left our account, anything else (RCVD,
ACTC, ACCP, ACSP, ACWC, PDNG) is still on its way. ``build_pain002`` is there for the sandbox bank and for
tests; the platform only reads these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from smartcourt.banking.adapter import TransferStatus
from smartcourt.banking.iso20022._xml import Builder, Reader, iso_datetime, read_datetime
from smartcourt.banking.iso20022.pain001 import MAX_ADDITIONAL_INFO, bounded
from smartcourt.banking.iso20022.safe_xml import XmlRefused, parse_untrusted
from smartcourt.banking.iso20022.schemas import PAIN_001, PAIN_002, namespace, validate

EXECUTED_CODES = frozenset({"ACSC", "ACCC"})
REJECTED_CODES = frozenset({"RJCT"})


@dataclass(frozen=True)
class TransactionStatus:
    end_to_end_id: str
    code: str  # ISO ExternalPaymentTransactionStatus1Code, e.g. ACSC, RJCT
    reason_code: str = ""  # ISO ExternalStatusReason1Code, e.g. AC01 (incorrect account number)
    reason_text: str = ""
    bank_reference: str = ""

    @property
    def transfer_status(self) -> TransferStatus:
        if self.code in REJECTED_CODES:
            return TransferStatus.REJECTED
        if self.code in EXECUTED_CODES:
            return TransferStatus.EXECUTED
        return TransferStatus.ACCEPTED


@dataclass(frozen=True)
class StatusReport:
    message_id: str
    created_at: dt.datetime
    original_message_id: str
    group_status: str
    transactions: Sequence[TransactionStatus]

    def by_end_to_end_id(self) -> dict[str, TransactionStatus]:
        return {t.end_to_end_id: t for t in self.transactions}


def read_pain002(data: bytes) -> StatusReport:
    """Parse a pain.002.001.12; refuse a report about another message type or naming a line twice."""
    root = parse_untrusted(data)
    validate(root, PAIN_002)
    r = Reader(namespace(PAIN_002))
    report = r.find(root, "CstmrPmtStsRpt")
    assert report is not None
    original = r.find(report, "OrgnlGrpInfAndSts")
    assert original is not None
    name = r.text(original, "OrgnlMsgNmId")
    if name and not name.startswith("pain.001"):
        raise XmlRefused(f"status report about {name}, not about a pain.001 credit transfer batch")
    transactions: list[TransactionStatus] = []
    seen: set[str] = set()
    for index, tx in enumerate(r.findall(report, "OrgnlPmtInfAndSts/TxInfAndSts"), start=1):
        e2e = r.text(tx, "OrgnlEndToEndId")
        if not e2e:
            raise XmlRefused(f"transaction status {index}: no original end-to-end id")
        if e2e in seen:
            raise XmlRefused(f"transaction status {index}: end-to-end id {e2e} reported twice")
        seen.add(e2e)
        transactions.append(
            TransactionStatus(
                end_to_end_id=e2e,
                code=r.text(tx, "TxSts"),
                reason_code=r.text(tx, "StsRsnInf/Rsn/Cd") or r.text(tx, "StsRsnInf/Rsn/Prtry"),
                reason_text=" ".join((n.text or "").strip() for n in r.findall(tx, "StsRsnInf/AddtlInf") if n.text),
                bank_reference=r.text(tx, "AcctSvcrRef"),
            )
        )
    return StatusReport(
        message_id=r.text(report, "GrpHdr/MsgId"),
        created_at=read_datetime(r.text(report, "GrpHdr/CreDtTm"), where="CreDtTm"),
        original_message_id=r.text(original, "OrgnlMsgId"),
        group_status=r.text(original, "GrpSts"),
        transactions=transactions,
    )


def build_pain002(
    *,
    message_id: str,
    created_at: dt.datetime,
    original_message_id: str,
    original_payment_info_id: str,
    transactions: Sequence[TransactionStatus],
    group_status: str = "",
) -> bytes:
    """A pain.002.001.12 answering a pain.001.001.09, validated (for the sandbox bank and tests)."""
    b = Builder(namespace(PAIN_002))
    doc = b.root()
    report = b.sub(doc, "CstmrPmtStsRpt")
    b.sub(report, "GrpHdr", "MsgId", text=message_id)
    b.sub(report[0], "CreDtTm", text=iso_datetime(created_at))
    original = b.sub(report, "OrgnlGrpInfAndSts")
    b.sub(original, "OrgnlMsgId", text=original_message_id)
    b.sub(original, "OrgnlMsgNmId", text=PAIN_001)
    if group_status:
        b.sub(original, "GrpSts", text=group_status)
    info = b.sub(report, "OrgnlPmtInfAndSts")
    b.sub(info, "OrgnlPmtInfId", text=original_payment_info_id)
    for t in transactions:
        tx = b.sub(info, "TxInfAndSts")
        b.sub(tx, "OrgnlEndToEndId", text=t.end_to_end_id)
        b.sub(tx, "TxSts", text=t.code)
        if t.reason_code or t.reason_text:
            reason = b.sub(tx, "StsRsnInf")
            if t.reason_code:
                b.sub(reason, "Rsn", "Cd", text=t.reason_code)
            if t.reason_text:
                text = bounded(f"transaction {t.end_to_end_id}", "AddtlInf", t.reason_text, MAX_ADDITIONAL_INFO)
                b.sub(reason, "AddtlInf", text=text)
        if t.bank_reference:
            b.sub(tx, "AcctSvcrRef", text=t.bank_reference)
    validate(doc, PAIN_002)
    return bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
