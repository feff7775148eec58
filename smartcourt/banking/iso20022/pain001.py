"""pain.001.001.09 (CustomerCreditTransferInitiationV09): a batch of credit transfers from one account.

One message, one payment information block (PmtInf) per batch, one CdtTrfTxInf per payee line in CNY, each
with EndToEndId = our line id (at most 35 characters), so the bank's status report (pain.002) and
notifications (camt.054) name the line they are about. Every file built is validated against the official
XSD before it leaves here; a file read back is validated, and its counts, control sums and end-to-end ids
are checked (a bank or a sandbox checks what it receives)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from smartcourt.banking.iso20022._xml import Builder, Reader, fen_text, iso_datetime, read_date, text_fen
from smartcourt.banking.iso20022.safe_xml import XmlRefused, parse_untrusted
from smartcourt.banking.iso20022.schemas import PAIN_001, namespace, validate

CURRENCY = "CNY"
CLEARING_SYSTEM = "CNAPS"  # ExternalClearingSystemIdentification1Code for China's CNAPS bank codes
MAX_ID = 35
# The XSD's bounds (characters, not bytes): a value over its bound is refused, never cut (issue 15.14). Only the
# unstructured remittance may be split, because the standard repeats it (RemittanceInformation16/Ustrd 0..n).
MAX_NAME = 140  # Max140Text: names of parties and agents
MAX_ACCOUNT = 34  # GenericAccountIdentification1/Id: Max34Text
MAX_PARTY_ID = 35  # GenericPersonIdentification1/Id, GenericOrganisationIdentification1/Id: Max35Text
MAX_MEMBER_ID = 35  # ClearingSystemMemberIdentification2/MmbId: Max35Text
MAX_REMITTANCE_LINE = 140  # Ustrd: Max140Text, repeated
MAX_ADDITIONAL_INFO = 105  # StsRsnInf/AddtlInf, RtrInf/AddtlInf: Max105Text
MAX_ENTRY_INFO = 500  # camt Ntry/AddtlNtryInf: Max500Text


class FieldTooLong(ValueError):
    """A value longer than the ISO 20022 field that carries it."""

    def __init__(self, where: str, element: str, length: int, maximum: int) -> None:
        super().__init__(f"{where}: {element} has {length} characters; ISO 20022 allows at most {maximum}")
        self.where, self.element, self.length, self.maximum = where, element, length, maximum


@dataclass(frozen=True)
class CreditTransfer:
    """One payee line. ``payee_is_person``: the identity is a resident identity card (NIDN), else a unified
    social credit code (USCC) of an organisation."""

    end_to_end_id: str
    amount_fen: int
    payee_name: str
    payee_account: str
    payee_bank_name: str
    payee_bank_code: str = ""
    payee_identity: str = ""
    payee_is_person: bool = False
    remittance: str = ""


@dataclass(frozen=True)
class PaymentBatch:
    message_id: str
    created_at: dt.datetime
    initiating_party: str
    payment_info_id: str
    requested_on: dt.date
    debtor_name: str
    debtor_account: str
    debtor_bank_name: str
    transfers: Sequence[CreditTransfer]
    debtor_bank_code: str = ""

    @property
    def control_sum_fen(self) -> int:
        return sum(t.amount_fen for t in self.transfers)


def bounded(where: str, element: str, value: str, maximum: int) -> str:
    """``value`` if the element can carry it, else FieldTooLong: a bank file never cuts a value."""
    if len(value) > maximum:
        raise FieldTooLong(where, element, len(value), maximum)
    return value


def remittance_lines(text: str) -> list[str]:
    """The unstructured remittance as the Ustrd repetitions that carry it whole, 140 characters each."""
    return [text[i : i + MAX_REMITTANCE_LINE] for i in range(0, len(text), MAX_REMITTANCE_LINE)]


def _check(batch: PaymentBatch) -> None:
    if not batch.transfers:
        raise ValueError("a batch needs at least one transfer")
    bounded("group header", "InitgPty/Nm", batch.initiating_party, MAX_NAME)
    bounded("payment information", "Dbtr/Nm", batch.debtor_name, MAX_NAME)
    bounded("payment information", "DbtrAcct/Id/Othr/Id", batch.debtor_account, MAX_ACCOUNT)
    bounded("payment information", "DbtrAgt/FinInstnId/Nm", batch.debtor_bank_name, MAX_NAME)
    bounded("payment information", "DbtrAgt/FinInstnId/ClrSysMmbId/MmbId", batch.debtor_bank_code, MAX_MEMBER_ID)
    for name in ("message_id", "payment_info_id"):
        if not 1 <= len(getattr(batch, name)) <= MAX_ID:
            raise ValueError(f"{name} must be 1 to {MAX_ID} characters")
    seen: set[str] = set()
    for transfer in batch.transfers:
        if not 1 <= len(transfer.end_to_end_id) <= MAX_ID:
            raise ValueError(f"end-to-end id {transfer.end_to_end_id!r} must be 1 to {MAX_ID} characters")
        if transfer.end_to_end_id in seen:
            raise ValueError(f"end-to-end id {transfer.end_to_end_id} is used twice")
        seen.add(transfer.end_to_end_id)
        if transfer.amount_fen <= 0:
            raise ValueError(f"line {transfer.end_to_end_id}: the amount must be positive")
        where = f"line {transfer.end_to_end_id}"
        bounded(where, "Cdtr/Nm", transfer.payee_name, MAX_NAME)
        bounded(where, "CdtrAcct/Id/Othr/Id", transfer.payee_account, MAX_ACCOUNT)
        bounded(where, "CdtrAgt/FinInstnId/Nm", transfer.payee_bank_name, MAX_NAME)
        bounded(where, "CdtrAgt/FinInstnId/ClrSysMmbId/MmbId", transfer.payee_bank_code, MAX_MEMBER_ID)
        bounded(where, "Cdtr/Id/Othr/Id", transfer.payee_identity, MAX_PARTY_ID)


def _agent(b: Builder, parent: etree._Element, name: str, bank_name: str, bank_code: str) -> None:
    fin = b.sub(parent, name, "FinInstnId")
    if bank_code:
        member = b.sub(fin, "ClrSysMmbId")
        b.sub(member, "ClrSysId", "Cd", text=CLEARING_SYSTEM)
        b.sub(member, "MmbId", text=bank_code)
    b.sub(fin, "Nm", text=bank_name)


def _account(b: Builder, parent: etree._Element, name: str, number: str) -> None:
    b.sub(parent, name, "Id", "Othr", "Id", text=number)


def build_pain001(batch: PaymentBatch) -> bytes:
    """The batch as a pain.001.001.09 file (UTF-8), validated against the XSD."""
    _check(batch)
    b = Builder(namespace(PAIN_001))
    doc = b.root()
    init = b.sub(doc, "CstmrCdtTrfInitn")
    header = b.sub(init, "GrpHdr")
    b.sub(header, "MsgId", text=batch.message_id)
    b.sub(header, "CreDtTm", text=iso_datetime(batch.created_at))
    b.sub(header, "NbOfTxs", text=str(len(batch.transfers)))
    b.sub(header, "CtrlSum", text=fen_text(batch.control_sum_fen))
    b.sub(header, "InitgPty", "Nm", text=batch.initiating_party)

    info = b.sub(init, "PmtInf")
    b.sub(info, "PmtInfId", text=batch.payment_info_id)
    b.sub(info, "PmtMtd", text="TRF")
    # Not booked as one debit: each line must show on the statement so that it reconciles line by line.
    b.sub(info, "BtchBookg", text="false")
    b.sub(info, "NbOfTxs", text=str(len(batch.transfers)))
    b.sub(info, "CtrlSum", text=fen_text(batch.control_sum_fen))
    b.sub(info, "ReqdExctnDt", "Dt", text=batch.requested_on.isoformat())
    b.sub(info, "Dbtr", "Nm", text=batch.debtor_name)
    _account(b, info, "DbtrAcct", batch.debtor_account)
    _agent(b, info, "DbtrAgt", batch.debtor_bank_name, batch.debtor_bank_code)
    b.sub(info, "ChrgBr", text="DEBT")
    for transfer in batch.transfers:
        tx = b.sub(info, "CdtTrfTxInf")
        b.sub(tx, "PmtId", "EndToEndId", text=transfer.end_to_end_id)
        b.sub(tx, "Amt", "InstdAmt", text=fen_text(transfer.amount_fen), Ccy=CURRENCY)
        _agent(b, tx, "CdtrAgt", transfer.payee_bank_name, transfer.payee_bank_code)
        creditor = b.sub(tx, "Cdtr")
        b.sub(creditor, "Nm", text=transfer.payee_name)
        if transfer.payee_identity:
            if transfer.payee_is_person:
                other = b.sub(creditor, "Id", "PrvtId", "Othr")
                b.sub(other, "Id", text=transfer.payee_identity)
                b.sub(other, "SchmeNm", "Cd", text="NIDN")
            else:
                other = b.sub(creditor, "Id", "OrgId", "Othr")
                b.sub(other, "Id", text=transfer.payee_identity)
                b.sub(other, "SchmeNm", "Prtry", text="USCC")
        _account(b, tx, "CdtrAcct", transfer.payee_account)
        if transfer.remittance:
            remittance = b.sub(tx, "RmtInf")
            for line in remittance_lines(transfer.remittance):
                b.sub(remittance, "Ustrd", text=line)
    validate(doc, PAIN_001)
    return bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))


def read_pain001(data: bytes) -> PaymentBatch:
    """Parse and check a pain.001.001.09 file with one PmtInf: schema, counts, control sums, unique ids."""
    root = parse_untrusted(data)
    validate(root, PAIN_001)
    r = Reader(namespace(PAIN_001))
    init = r.find(root, "CstmrCdtTrfInitn")
    assert init is not None  # the schema requires it
    infos = r.findall(init, "PmtInf")
    if len(infos) != 1:
        raise XmlRefused(f"expected one payment information block (PmtInf), found {len(infos)}")
    info = infos[0]
    transfers: list[CreditTransfer] = []
    seen: set[str] = set()
    for index, tx in enumerate(r.findall(info, "CdtTrfTxInf"), start=1):
        where = f"transaction {index}"
        e2e = r.text(tx, "PmtId/EndToEndId")
        if e2e in seen:
            raise XmlRefused(f"{where}: end-to-end id {e2e} is used twice")
        seen.add(e2e)
        amount = r.find(tx, "Amt/InstdAmt")
        if amount is None:
            raise XmlRefused(f"{where}: no instructed amount (InstdAmt)")
        if amount.get("Ccy") != CURRENCY:
            raise XmlRefused(f"{where}: currency {amount.get('Ccy')} is not {CURRENCY}")
        person_id = r.text(tx, "Cdtr/Id/PrvtId/Othr/Id")
        transfers.append(
            CreditTransfer(
                end_to_end_id=e2e,
                amount_fen=text_fen(amount.text or "", where=where),
                payee_name=r.text(tx, "Cdtr/Nm"),
                payee_account=r.text(tx, "CdtrAcct/Id/Othr/Id") or r.text(tx, "CdtrAcct/Id/IBAN"),
                payee_bank_name=r.text(tx, "CdtrAgt/FinInstnId/Nm"),
                payee_bank_code=r.text(tx, "CdtrAgt/FinInstnId/ClrSysMmbId/MmbId"),
                payee_identity=person_id or r.text(tx, "Cdtr/Id/OrgId/Othr/Id"),
                payee_is_person=bool(person_id),
                # Repeated Ustrd lines are one remittance text split to fit (see remittance_lines).
                remittance="".join((node.text or "") for node in r.findall(tx, "RmtInf/Ustrd")),
            )
        )
    batch = PaymentBatch(
        message_id=r.text(init, "GrpHdr/MsgId"),
        created_at=dt.datetime.fromisoformat(r.text(init, "GrpHdr/CreDtTm")),
        initiating_party=r.text(init, "GrpHdr/InitgPty/Nm"),
        payment_info_id=r.text(info, "PmtInfId"),
        requested_on=read_date(r.text(info, "ReqdExctnDt/Dt"), where="ReqdExctnDt"),
        debtor_name=r.text(info, "Dbtr/Nm"),
        debtor_account=r.text(info, "DbtrAcct/Id/Othr/Id"),
        debtor_bank_name=r.text(info, "DbtrAgt/FinInstnId/Nm"),
        debtor_bank_code=r.text(info, "DbtrAgt/FinInstnId/ClrSysMmbId/MmbId"),
        transfers=transfers,
    )
    for where, node in (("group header", r.find(init, "GrpHdr")), ("payment information", info)):
        assert node is not None
        count = r.text(node, "NbOfTxs")
        if count and int(count) != len(transfers):
            raise XmlRefused(f"{where}: NbOfTxs says {count}, the file has {len(transfers)} transactions")
        control = r.text(node, "CtrlSum")
        if control and text_fen(control, where=f"{where} CtrlSum") != batch.control_sum_fen:
            raise XmlRefused(
                f"{where}: CtrlSum says {control}, the transactions add up to {fen_text(batch.control_sum_fen)}"
            )
    return batch
