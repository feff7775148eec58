"""Shapes of the transparency and evidence API. No rules live here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from partnerproto.note import b64encode
from smartcourt.evidence.models import Checkpoint, Cosignature
from smartcourt.evidence.selectors import checkpoint_note


class CosignatureOut(Schema):
    witness: str = Field(validation_alias="witness.name")
    timestamp: int = Field(description="When the witness cosigned (POSIX seconds).")
    line: str = Field(description="The signature line, as in the note.")


class CheckpointOut(Schema):
    origin: str
    tree_size: int
    root_hash: str = Field(description="Base64, as in the checkpoint.")
    timestamp: int = Field(description="The checkpoint's timestamp line (POSIX seconds).")
    signed_at: dt.datetime
    key_id: str
    note: str = Field(description="The signed note (C2SP checkpoint): text, blank line, court and witness signatures.")
    cosignatures: list[CosignatureOut]

    @staticmethod
    def resolve_origin(checkpoint: Checkpoint) -> str:
        return checkpoint.text.split("\n", 1)[0]

    @staticmethod
    def resolve_root_hash(checkpoint: Checkpoint) -> str:
        return b64encode(bytes(checkpoint.root_hash))

    @staticmethod
    def resolve_timestamp(checkpoint: Checkpoint) -> int:
        return int(checkpoint.signed_at.timestamp())

    @staticmethod
    def resolve_note(checkpoint: Checkpoint) -> str:
        return checkpoint_note(checkpoint)

    @staticmethod
    def resolve_cosignatures(checkpoint: Checkpoint) -> list[Cosignature]:
        # In the order they arrived; prefetched by the caller.
        return sorted(checkpoint.cosignatures.all(), key=lambda c: c.pk)


class LogKeyOut(Schema):
    origin: str
    key_id: str
    public_key: str = Field(description="C2SP verifier key: origin+keyid+base64(0x01 || Ed25519 key).")
    public_key_pem: str


class InclusionProofOut(Schema):
    leaf_index: int
    tree_size: int
    inclusion_path: list[str] = Field(description="Base64 hashes, from the leaf up (RFC 9162 §2.1.3).")


class ConsistencyProofOut(Schema):
    first: int
    second: int
    consistency_path: list[str] = Field(description="Base64 hashes (RFC 9162 §2.1.4).")


class CosignatureIn(Schema):
    checkpoint: str = Field(max_length=65536, description="The checkpoint note (or its text) the witness cosigned.")
    cosignature: str = Field(max_length=1000, description="The witness's signature line: '— <name> <base64>'.")


class CosignatureAccepted(Schema):
    witness: str = Field(validation_alias="witness.name")
    tree_size: int = Field(validation_alias="checkpoint.tree_size")
    timestamp: int


class AlarmIn(Schema):
    witness: str = Field(max_length=120)
    kind: str = Field(max_length=20)
    message: str = Field(max_length=1000)
    evidence: dict[str, Any]
    timestamp: int = Field(ge=0, lt=2**63)
    signature: str = Field(
        max_length=100, description="Base64 Ed25519 signature over the alarm (see note.alarm_message)."
    )


class AlarmOut(Schema):
    id: uuid.UUID
    witness: str = Field(validation_alias="witness.name")
    kind: str
    message: str
    evidence: dict[str, Any]
    raised_at: dt.datetime
    received_at: dt.datetime


class WitnessIn(Schema):
    public_key: str = Field(max_length=300, description="Verifier key: name+keyid+base64(0x04 || Ed25519 key).")


class WitnessOut(Schema):
    id: uuid.UUID
    name: str
    public_key: str
    active: bool


class DepositOut(Schema):
    id: uuid.UUID
    sha256: str
    file_name: str
    size: int | None
    title: str
    deposited_at: dt.datetime
    leaf_index: int


class EvidenceReceiptOut(Schema):
    """An evidence receipt; check it with ``python -m smartcourt.evidence.verify`` or at /evidence/verify/."""

    format: str
    subject: dict[str, Any]
    leaf: dict[str, Any]
    checkpoint: str
    inclusion_proof: InclusionProofOut
    log: LogKeyOut
    verify_url: str
