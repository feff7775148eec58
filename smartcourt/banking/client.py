"""``HttpBankAdapter``: the BankAdapter over the signed, encrypted partner API (docs/adr/0005).

Every call is one POST: the JSON payload is encrypted (partnerproto/envelope.py), digested and signed (RFC 9421)
with the platform's current key; the answer must be signed by the bank, bound to our request (its method, target
and signature) and encrypted for it. Anything else raises BankUnavailable: an answer we cannot trust is no answer.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from typing import Any

from partnerproto import envelope, wire
from partnerproto.signatures import SignatureError
from smartcourt.banking.adapter import (
    AccountInfo,
    AccountLimits,
    BankRefused,
    BankUnavailable,
    BatchResult,
    Movement,
    RejectReason,
    TransferInstruction,
    TransferResult,
    TransferStatus,
    UnknownTransfer,
)
from smartcourt.banking.partners import Partner, partner
from smartcourt.core.zones import Zone, current_zone


def _limits_payload(limits: AccountLimits) -> dict[str, int | None]:
    return {
        "per_transaction_fen": limits.per_transaction_fen,
        "daily_fen": limits.daily_fen,
        "cumulative_fen": limits.cumulative_fen,
    }


def _instruction_payload(instruction: TransferInstruction) -> dict[str, Any]:
    payee = instruction.payee
    return {
        "idempotency_key": instruction.idempotency_key,
        "account_number": instruction.account_number,
        "payee": {
            "name": payee.name,
            "account_number": payee.account_number,
            "bank_name": payee.bank_name,
            "bank_code": payee.bank_code,
            "identity_number": payee.identity_number,
        },
        "amount_fen": instruction.amount_fen,
        "purpose": instruction.purpose,
        "approval_token": instruction.approval_token,
    }


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def account_from(data: dict[str, Any]) -> AccountInfo:
    limits = data["limits"]
    return AccountInfo(
        account_number=str(data["account_number"]),
        account_name=str(data["account_name"]),
        balance_fen=int(data["balance_fen"]),
        limits=AccountLimits(
            per_transaction_fen=limits.get("per_transaction_fen"),
            daily_fen=limits.get("daily_fen"),
            cumulative_fen=limits.get("cumulative_fen"),
        ),
        debited_today_fen=int(data["debited_today_fen"]),
        debited_total_fen=int(data["debited_total_fen"]),
        frozen=bool(data.get("frozen", False)),
    )


def result_from(data: dict[str, Any]) -> TransferResult:
    reason = data.get("reason")
    return TransferResult(
        idempotency_key=str(data["idempotency_key"]),
        status=TransferStatus(data["status"]),
        bank_reference=str(data.get("bank_reference") or ""),
        reason=RejectReason(reason) if reason else None,
        message=str(data.get("message") or ""),
        executed_at=_time(data.get("executed_at")),
    )


def movement_from(data: dict[str, Any]) -> Movement:
    booked_at = _time(data["booked_at"])
    if booked_at is None or booked_at.tzinfo is None:
        raise ValueError("booked_at must be an ISO 8601 time with offset")
    return Movement(
        account_number=str(data["account_number"]),
        sequence=int(data["sequence"]),
        bank_reference=str(data["bank_reference"]),
        booked_at=booked_at,
        amount_fen=int(data["amount_fen"]),
        balance_after_fen=int(data["balance_after_fen"]),
        counterparty_name=str(data.get("counterparty_name", "")),
        counterparty_account=str(data.get("counterparty_account", "")),
        description=str(data.get("description", "")),
        idempotency_key=str(data.get("idempotency_key") or ""),
    )


class HttpBankAdapter:
    """A BankAdapter for one partner. Stateless apart from its configuration: safe to share between threads."""

    def __init__(self, config: Partner) -> None:
        self.partner = config

    # --- the transport ---------------------------------------------------------------------------------------

    def call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` to ``path``; the decrypted, verified answer. Raises BankUnavailable or BankRefused."""
        if current_zone() == Zone.INTERNET:
            # The bank's dedicated line ends in the court zone (issue 18, ADR 0012): a payment requested on the
            # internet side reaches the bank only after it has crossed the gateway to the court.
            raise BankUnavailable(f"the internet zone has no line to bank {self.partner.name}: {path} not sent")
        keys = self.partner.keys()
        url = f"{self.partner.url}{path}"
        out = wire.seal_request(keys, method="POST", url=url, payload=payload)
        request = urllib.request.Request(url, data=out.body, method="POST", headers=out.headers)  # noqa: S310 - configured bank URL
        try:
            with urllib.request.urlopen(request, timeout=self.partner.timeout) as response:  # noqa: S310
                status, headers, body = response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            status, headers, body = exc.code, dict(exc.headers.items()), exc.read()
        except OSError as exc:
            raise BankUnavailable(f"bank {self.partner.name} did not answer {path}: {exc}") from exc
        try:
            answer = wire.open_response(keys, out.message, status=status, headers=headers, body=body)
        except (SignatureError, envelope.EnvelopeError, wire.ProtocolError) as exc:
            raise BankUnavailable(
                f"bank {self.partner.name} answered {path} with HTTP {status} that fails our checks: {exc.reason}"
            ) from exc
        if status == 200:
            return answer
        raw_error = answer.get("error")
        error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
        code, message = str(error.get("code", status)), str(error.get("message", ""))
        if status in (401, 400) or status >= 500:
            raise BankUnavailable(f"bank {self.partner.name} refused {path} (HTTP {status} {code}): {message}")
        if code == "unknown_transfer":
            raise UnknownTransfer(code, message)
        raise BankRefused(code, message)

    # --- BankAdapter -----------------------------------------------------------------------------------------

    def open_account(
        self, *, account_name: str, holder_id: str, case_reference: str, limits: AccountLimits
    ) -> AccountInfo:
        return account_from(
            self.call(
                "/v1/accounts/open",
                {
                    "account_name": account_name,
                    "holder_id": holder_id,
                    "case_reference": case_reference,
                    "limits": _limits_payload(limits),
                },
            )
        )

    def register_account(self, *, account_number: str, case_reference: str, limits: AccountLimits) -> AccountInfo:
        return account_from(
            self.call(
                "/v1/accounts/register",
                {"account_number": account_number, "case_reference": case_reference, "limits": _limits_payload(limits)},
            )
        )

    def set_limits(self, *, account_number: str, limits: AccountLimits) -> AccountInfo:
        return account_from(
            self.call("/v1/accounts/limits", {"account_number": account_number, "limits": _limits_payload(limits)})
        )

    def account(self, *, account_number: str) -> AccountInfo:
        return account_from(self.call("/v1/accounts/get", {"account_number": account_number}))

    def transfer(self, instruction: TransferInstruction) -> TransferResult:
        return result_from(self.call("/v1/transfers", _instruction_payload(instruction)))

    def transfer_status(self, *, idempotency_key: str) -> TransferResult:
        return result_from(self.call("/v1/transfers/status", {"idempotency_key": idempotency_key}))

    def batch_transfer(
        self, *, batch_id: str, account_number: str, instructions: list[TransferInstruction], approval_token: str
    ) -> BatchResult:
        for instruction in instructions:
            if instruction.account_number != account_number:
                raise ValueError(f"instruction {instruction.idempotency_key} is not from account {account_number}")
        answer = self.call(
            "/v1/batches",
            {
                "batch_id": batch_id,
                "account_number": account_number,
                "approval_token": approval_token,
                "instructions": [_instruction_payload(instruction) for instruction in instructions],
            },
        )
        return BatchResult(batch_id=str(answer["batch_id"]), results=[result_from(r) for r in answer["results"]])

    def statement(self, *, account_number: str, after_sequence: int = 0, limit: int = 500) -> list[Movement]:
        answer = self.call(
            "/v1/statements", {"account_number": account_number, "after_sequence": after_sequence, "limit": limit}
        )
        return [movement_from(item) for item in answer["movements"]]


def get_bank_adapter(bank_partner: str = "") -> HttpBankAdapter:
    """The adapter for ``bank_partner`` (empty: the default partner, the sandbox bank in the demo)."""
    return HttpBankAdapter(partner(bank_partner))
