"""The transparency log and evidence deposits over the JSON API. Glue only.

``/transparency/...`` is public (checkpoints, proofs, the log key; witnesses post cosignatures and alarms,
authenticated by their signatures), except what court administrators do. ``/evidence/...`` needs a signed-in
user or an API token."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from partnerproto.note import b64encode
from smartcourt.accounts.web import signed_in_user
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.core.schemas import ERRORS, PUBLIC_ERRORS, ErrorOut
from smartcourt.evidence.actions import (
    add_witness,
    deposit_evidence,
    normalise_sha256,
    record_alarm,
    record_cosignature,
    sign_checkpoint_now,
)
from smartcourt.evidence.hashing import hash_upload
from smartcourt.evidence.models import Alarm, Checkpoint, Cosignature, Witness
from smartcourt.evidence.receipts import deposit_receipt, deposit_receipt_for, dossier_receipt_for
from smartcourt.evidence.schemas import (
    AlarmIn,
    AlarmOut,
    CheckpointOut,
    ConsistencyProofOut,
    CosignatureAccepted,
    CosignatureIn,
    DepositOut,
    EvidenceReceiptOut,
    InclusionProofOut,
    LogKeyOut,
    WitnessIn,
    WitnessOut,
)
from smartcourt.evidence.selectors import (
    alarms_for,
    consistency_proof,
    deposits_of,
    inclusion_proof,
    latest_checkpoint,
    log_identity,
    parse_leaf_hash,
    witnesses_for,
)

transparency_router = Router(tags=["transparency log"])
evidence_router = Router(tags=["evidence deposits"])


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("evidence:verify"))


# A tree size is bounded in the schema (a 64-bit overflow answered 500) and then checked against the log's
# own size by the selector, which answers how many leaves there are.
MAX_TREE_SIZE = 2**53


class InclusionQuery(Schema):
    leaf_hash: str = Field(max_length=64)
    tree_size: int = Field(ge=1, le=MAX_TREE_SIZE)


class ConsistencyQuery(Schema):
    first: int = Field(ge=1, le=MAX_TREE_SIZE)
    second: int = Field(ge=1, le=MAX_TREE_SIZE)


@transparency_router.get(
    "/checkpoint",
    auth=None,
    response={200: CheckpointOut, **PUBLIC_ERRORS, 503: ErrorOut},
    summary="The latest signed checkpoint (C2SP format), with the witnesses' cosignatures",
    operation_id="get_checkpoint",
)
def get_checkpoint(request: HttpRequest) -> Checkpoint:
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise NotFound(_("The court has not signed a checkpoint yet"))
    return checkpoint


@transparency_router.post(
    "/checkpoints",
    response={201: CheckpointOut, **ERRORS},
    summary="Sign a checkpoint now (court administrators)",
    operation_id="sign_checkpoint",
)
def sign_checkpoint(request: HttpRequest) -> Status[Checkpoint]:
    checkpoint = sign_checkpoint_now(actor=signed_in_user(request))
    return Status(201, Checkpoint.objects.prefetch_related("cosignatures__witness").get(pk=checkpoint.pk))


@transparency_router.get(
    "/key",
    auth=None,
    response={200: LogKeyOut},
    summary="The court's log key, as a C2SP verifier key and as PEM",
    operation_id="get_log_key",
)
def get_log_key(request: HttpRequest) -> dict[str, str]:
    return log_identity()


@transparency_router.get(
    "/proof/inclusion",
    auth=None,
    response={200: InclusionProofOut, **PUBLIC_ERRORS, 503: ErrorOut},
    summary="Inclusion proof of a leaf (by its leaf hash, hex) in the tree of tree_size leaves (RFC 9162)",
    operation_id="get_inclusion_proof",
)
def get_inclusion_proof(request: HttpRequest, query: Query[InclusionQuery]) -> dict[str, Any]:
    proof = inclusion_proof(parse_leaf_hash(query.leaf_hash), query.tree_size)
    return {
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "inclusion_path": [b64encode(h) for h in proof.path],
    }


@transparency_router.get(
    "/proof/consistency",
    auth=None,
    response={200: ConsistencyProofOut, **PUBLIC_ERRORS, 503: ErrorOut},
    summary="Consistency proof between the trees of first and second leaves (RFC 9162)",
    operation_id="get_consistency_proof",
)
def get_consistency_proof(request: HttpRequest, query: Query[ConsistencyQuery]) -> dict[str, Any]:
    path = consistency_proof(query.first, query.second)
    return {"first": query.first, "second": query.second, "consistency_path": [b64encode(h) for h in path]}


@transparency_router.post(
    "/cosignatures",
    auth=None,
    response={201: CosignatureAccepted, **PUBLIC_ERRORS, 403: ErrorOut, 503: ErrorOut},
    summary="A witness's cosignature on a checkpoint (checked against the registered witness keys)",
    operation_id="post_cosignature",
)
def post_cosignature(request: HttpRequest, payload: CosignatureIn) -> Status[Cosignature]:
    return Status(201, record_cosignature(checkpoint_note=payload.checkpoint, line=payload.cosignature))


@transparency_router.post(
    "/alarms",
    auth=None,
    response={201: AlarmOut, **PUBLIC_ERRORS, 403: ErrorOut, 503: ErrorOut},
    summary="A witness raises an alarm: the log showed it an inconsistent or conflicting checkpoint",
    operation_id="post_alarm",
)
def post_alarm(request: HttpRequest, payload: AlarmIn) -> Status[Alarm]:
    alarm = record_alarm(
        witness_name=payload.witness,
        kind=payload.kind,
        message=payload.message,
        evidence=payload.evidence,
        timestamp=payload.timestamp,
        signature=payload.signature,
    )
    return Status(201, alarm)


@transparency_router.get(
    "/alarms",
    response={200: list[AlarmOut], **ERRORS},
    summary="Alarms raised by witnesses (court administrators)",
    operation_id="list_alarms",
)
def list_alarms(request: HttpRequest) -> list[Alarm]:
    return list(alarms_for(signed_in_user(request))[:200])


@transparency_router.get(
    "/witnesses",
    response={200: list[WitnessOut], **ERRORS},
    summary="Registered witnesses (court administrators)",
    operation_id="list_witnesses",
)
def list_witnesses(request: HttpRequest) -> list[Witness]:
    return list(witnesses_for(signed_in_user(request)))


@transparency_router.post(
    "/witnesses",
    response={201: WitnessOut, **ERRORS},
    summary="Register a witness by its verifier key (court administrators)",
    operation_id="add_witness",
)
def post_witness(request: HttpRequest, payload: WitnessIn) -> Status[Witness]:
    return Status(201, add_witness(actor=signed_in_user(request), public_key=payload.public_key))


class DepositForm(Schema):
    sha256: str | None = None
    title: str = ""


@evidence_router.post(
    "/deposits",
    response={201: EvidenceReceiptOut, **ERRORS},
    summary="Deposit evidence (a file, multipart field 'file', or its SHA-256 in 'sha256'); answers the receipt",
    operation_id="deposit_evidence",
)
def post_deposit(
    request: HttpRequest,
    payload: Form[DepositForm],
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    given = normalise_sha256(payload.sha256) if payload.sha256 else None
    if file is not None:
        hashed = hash_upload(file)
        if given is not None and given != hashed.sha256:
            raise DomainError(_("The file does not have this SHA-256."), field="sha256")
        deposit, checkpoint = deposit_evidence(
            actor=user, sha256=hashed.sha256, file_name=hashed.name, size=hashed.size, title=payload.title
        )
    elif given is not None:
        deposit, checkpoint = deposit_evidence(actor=user, sha256=given, title=payload.title)
    else:
        raise DomainError(_("Choose a file or enter its SHA-256."), field="file")
    return Status(201, deposit_receipt(deposit, checkpoint=checkpoint, verify_url=_verify_url(request)))


@evidence_router.get(
    "/deposits",
    response={200: list[DepositOut], **ERRORS},
    summary="Your deposits, newest first",
    operation_id="list_deposits",
)
def list_deposits(request: HttpRequest) -> list[Any]:
    return list(deposits_of(signed_in_user(request))[:500])


@evidence_router.get(
    "/deposits/{deposit_id}/receipt",
    response={200: EvidenceReceiptOut, **ERRORS},
    summary="A deposit's receipt against the latest checkpoint (with the witnesses' cosignatures)",
    operation_id="get_deposit_receipt",
)
def get_deposit_receipt(request: HttpRequest, deposit_id: uuid.UUID) -> dict[str, Any]:
    return deposit_receipt_for(signed_in_user(request), deposit_id, verify_url=_verify_url(request))


@evidence_router.get(
    "/dossier-entries/{entry_id}/receipt",
    response={200: EvidenceReceiptOut, **ERRORS},
    summary="The receipt of a filed dossier entry (for whoever may read the dossier)",
    operation_id="get_dossier_receipt",
)
def get_dossier_receipt(request: HttpRequest, entry_id: uuid.UUID) -> dict[str, Any]:
    return dossier_receipt_for(signed_in_user(request), entry_id, verify_url=_verify_url(request))
