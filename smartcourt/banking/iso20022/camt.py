"""camt.054.001.08 (debit/credit notifications) and camt.053.001.08 (account statements).

Both carry entries (Ntry) on one account; ours are matched to payment lines by the EndToEndId of the entry's
transaction details. A returned payment shows as a credit with return information (RtrInf, reason code such
as AC04 closed account). A statement must add up: opening balance + credits - debits of booked entries =
closing balance, or it is refused. ``build_*`` are there for the sandbox bank and for tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from smartcourt.banking.iso20022._xml import (
    Builder,
    Reader,
    fen_text,
    iso_datetime,
    read_date,
    read_datetime,
    text_fen,
)
from smartcourt.banking.iso20022.pain001 import MAX_ADDITIONAL_INFO, MAX_ENTRY_INFO, MAX_NAME, FieldTooLong, bounded
from smartcourt.banking.iso20022.safe_xml import XmlRefused, parse_untrusted
from smartcourt.banking.iso20022.schemas import CAMT_053, CAMT_054, namespace, validate

CURRENCY = "CNY"


@dataclass(frozen=True)
class Entry:
    """One booked (or pending) movement. ``amount_fen`` is signed: negative for a debit (money out)."""

    amount_fen: int
    status: str  # BOOK, PDNG, INFO
    booked_on: dt.date | None
    bank_reference: str = ""
    end_to_end_id: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    return_reason: str = ""  # ISO ExternalReturnReason1Code when this entry returns a payment
    return_text: str = ""
    description: str = ""

    @property
    def is_return(self) -> bool:
        return bool(self.return_reason)

    @property
    def booked(self) -> bool:
        return self.status == "BOOK"


@dataclass(frozen=True)
class Notification:
    message_id: str
    created_at: dt.datetime
    account_number: str
    entries: Sequence[Entry]


@dataclass(frozen=True)
class Statement:
    message_id: str
    statement_id: str
    created_at: dt.datetime
    account_number: str
    opening_fen: int
    closing_fen: int
    entries: Sequence[Entry]


def _read_entry(r: Reader, node: etree._Element, where: str) -> Entry:
    amount = r.find(node, "Amt")
    assert amount is not None
    if amount.get("Ccy") != CURRENCY:
        raise XmlRefused(f"{where}: currency {amount.get('Ccy')} is not {CURRENCY}")
    fen = text_fen(amount.text or "", where=where)
    sign = -1 if r.text(node, "CdtDbtInd") == "DBIT" else 1
    details = r.findall(node, "NtryDtls/TxDtls")
    if len(details) > 1:
        # We send every line as its own transaction (BtchBookg false): one entry, one line.
        raise XmlRefused(f"{where}: an entry grouping {len(details)} transactions cannot be matched line by line")
    tx = details[0] if details else None
    booked = r.text(node, "BookgDt/Dt") or r.text(node, "BookgDt/DtTm")
    # The counterparty is the creditor of a debit and the debtor of a credit.
    side = "Cdtr" if sign < 0 else "Dbtr"
    return Entry(
        amount_fen=sign * fen,
        status=r.text(node, "Sts/Cd"),
        booked_on=read_date(booked, where=where) if booked else None,
        bank_reference=r.text(node, "AcctSvcrRef"),
        end_to_end_id=r.text(tx, "Refs/EndToEndId") if tx is not None else "",
        counterparty_name=r.text(tx, f"RltdPties/{side}/Pty/Nm") if tx is not None else "",
        counterparty_account=r.text(tx, f"RltdPties/{side}Acct/Id/Othr/Id") if tx is not None else "",
        return_reason=r.text(tx, "RtrInf/Rsn/Cd") if tx is not None else "",
        return_text=" ".join((n.text or "").strip() for n in r.findall(tx, "RtrInf/AddtlInf"))
        if tx is not None
        else "",
        description=r.text(node, "AddtlNtryInf"),
    )


def read_camt054(data: bytes) -> list[Notification]:
    """Parse a camt.054.001.08: one Notification per Ntfctn block."""
    root = parse_untrusted(data)
    validate(root, CAMT_054)
    r = Reader(namespace(CAMT_054))
    body = r.find(root, "BkToCstmrDbtCdtNtfctn")
    assert body is not None
    message_id = r.text(body, "GrpHdr/MsgId")
    created = read_datetime(r.text(body, "GrpHdr/CreDtTm"), where="CreDtTm")
    notifications = []
    for n_index, block in enumerate(r.findall(body, "Ntfctn"), start=1):
        entries = [
            _read_entry(r, node, f"notification {n_index} entry {i}")
            for i, node in enumerate(r.findall(block, "Ntry"), start=1)
        ]
        notifications.append(
            Notification(
                message_id=message_id,
                created_at=created,
                account_number=r.text(block, "Acct/Id/Othr/Id"),
                entries=entries,
            )
        )
    return notifications


def _balance(r: Reader, stmt: etree._Element, code: str) -> int | None:
    for bal in r.findall(stmt, "Bal"):
        if r.text(bal, "Tp/CdOrPrtry/Cd") == code:
            fen = text_fen(r.text(bal, "Amt"), where=f"balance {code}")
            return -fen if r.text(bal, "CdtDbtInd") == "DBIT" else fen
    return None


def read_camt053(data: bytes) -> list[Statement]:
    """Parse a camt.053.001.08; each statement needs its opening (OPBD) and closing (CLBD) booked balances,
    and must add up with its booked entries."""
    root = parse_untrusted(data)
    validate(root, CAMT_053)
    r = Reader(namespace(CAMT_053))
    body = r.find(root, "BkToCstmrStmt")
    assert body is not None
    message_id = r.text(body, "GrpHdr/MsgId")
    statements = []
    for s_index, stmt in enumerate(r.findall(body, "Stmt"), start=1):
        opening, closing = _balance(r, stmt, "OPBD"), _balance(r, stmt, "CLBD")
        if opening is None or closing is None:
            raise XmlRefused(f"statement {s_index}: needs an opening (OPBD) and a closing (CLBD) balance")
        entries = [
            _read_entry(r, node, f"statement {s_index} entry {i}")
            for i, node in enumerate(r.findall(stmt, "Ntry"), start=1)
        ]
        moved = sum(e.amount_fen for e in entries if e.booked)
        if opening + moved != closing:
            raise XmlRefused(
                f"statement {s_index} does not add up: opening {fen_text(abs(opening))} + booked movements "
                f"{moved / 100:.2f} != closing {fen_text(abs(closing))}"
            )
        created = r.text(stmt, "CreDtTm") or r.text(body, "GrpHdr/CreDtTm")
        statements.append(
            Statement(
                message_id=message_id,
                statement_id=r.text(stmt, "Id"),
                created_at=read_datetime(created, where="CreDtTm"),
                account_number=r.text(stmt, "Acct/Id/Othr/Id"),
                opening_fen=opening,
                closing_fen=closing,
                entries=entries,
            )
        )
    return statements


def _write_entry(b: Builder, parent: etree._Element, entry: Entry) -> None:
    where = f"entry {entry.bank_reference or entry.end_to_end_id}"
    node = b.sub(parent, "Ntry")
    b.sub(node, "Amt", text=fen_text(abs(entry.amount_fen)), Ccy=CURRENCY)
    b.sub(node, "CdtDbtInd", text="DBIT" if entry.amount_fen < 0 else "CRDT")
    b.sub(node, "Sts", "Cd", text=entry.status)
    if entry.booked_on:
        b.sub(node, "BookgDt", "Dt", text=entry.booked_on.isoformat())
    if entry.bank_reference:
        b.sub(node, "AcctSvcrRef", text=entry.bank_reference)
    b.sub(node, "BkTxCd", "Prtry", "Cd", text="RTRN" if entry.return_reason else "TRF")
    tx = b.sub(node, "NtryDtls", "TxDtls")
    if entry.end_to_end_id:
        b.sub(tx, "Refs", "EndToEndId", text=entry.end_to_end_id)
    if entry.counterparty_name or entry.counterparty_account:
        side = "Cdtr" if entry.amount_fen < 0 else "Dbtr"
        parties = b.sub(tx, "RltdPties")
        if entry.counterparty_name:
            if len(entry.counterparty_name) > MAX_NAME:
                raise FieldTooLong(
                    where,
                    "Pty/Nm",
                    len(entry.counterparty_name),
                    MAX_NAME,
                )
            b.sub(parties, side, "Pty", "Nm", text=entry.counterparty_name)
        if entry.counterparty_account:
            b.sub(parties, f"{side}Acct", "Id", "Othr", "Id", text=entry.counterparty_account)
    if entry.return_reason:
        info = b.sub(tx, "RtrInf")
        b.sub(info, "Rsn", "Cd", text=entry.return_reason)
        if entry.return_text:
            text = bounded(where, "RtrInf/AddtlInf", entry.return_text, MAX_ADDITIONAL_INFO)
            b.sub(info, "AddtlInf", text=text)
    if entry.description:
        b.sub(node, "AddtlNtryInf", text=bounded(where, "AddtlNtryInf", entry.description, MAX_ENTRY_INFO))


def build_camt054(*, message_id: str, created_at: dt.datetime, account_number: str, entries: Sequence[Entry]) -> bytes:
    b = Builder(namespace(CAMT_054))
    doc = b.root()
    body = b.sub(doc, "BkToCstmrDbtCdtNtfctn")
    header = b.sub(body, "GrpHdr")
    b.sub(header, "MsgId", text=message_id)
    b.sub(header, "CreDtTm", text=iso_datetime(created_at))
    block = b.sub(body, "Ntfctn")
    b.sub(block, "Id", text=message_id)
    b.sub(block, "Acct", "Id", "Othr", "Id", text=account_number)
    for entry in entries:
        _write_entry(b, block, entry)
    validate(doc, CAMT_054)
    return bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))


def build_camt053(
    *,
    message_id: str,
    statement_id: str,
    created_at: dt.datetime,
    account_number: str,
    opening_fen: int,
    entries: Sequence[Entry],
    on: dt.date,
) -> bytes:
    b = Builder(namespace(CAMT_053))
    doc = b.root()
    body = b.sub(doc, "BkToCstmrStmt")
    header = b.sub(body, "GrpHdr")
    b.sub(header, "MsgId", text=message_id)
    b.sub(header, "CreDtTm", text=iso_datetime(created_at))
    stmt = b.sub(body, "Stmt")
    b.sub(stmt, "Id", text=statement_id)
    b.sub(stmt, "CreDtTm", text=iso_datetime(created_at))
    b.sub(stmt, "Acct", "Id", "Othr", "Id", text=account_number)
    closing = opening_fen + sum(e.amount_fen for e in entries if e.booked)
    for code, fen in (("OPBD", opening_fen), ("CLBD", closing)):
        bal = b.sub(stmt, "Bal")
        b.sub(bal, "Tp", "CdOrPrtry", "Cd", text=code)
        b.sub(bal, "Amt", text=fen_text(abs(fen)), Ccy=CURRENCY)
        b.sub(bal, "CdtDbtInd", text="DBIT" if fen < 0 else "CRDT")
        b.sub(bal, "Dt", "Dt", text=on.isoformat())
    for entry in entries:
        _write_entry(b, stmt, entry)
    validate(doc, CAMT_053)
    return bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
