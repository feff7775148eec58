"""Every write on creditors and claims: declaration, review, objections, the court's ruling, imports.

The actions live in one module per topic; every public name is re-exported here, so callers import from
``smartcourt.claims.actions`` as before.
"""

from smartcourt.claims.actions._common import MAX_REASON, REVIEW_ITEMS, may_act_for_creditor, validate_identifier
from smartcourt.claims.actions.bulk_import import IMPORT_BATCH, ImportRefused, ImportReport, import_creditor_list
from smartcourt.claims.actions.claims_table import (
    MAX_SIGNED_TABLE_ROWS,
    SYNC_TABLE_ROWS,
    TableSigning,
    request_table_signature,
    sign_claims_table,
)
from smartcourt.claims.actions.consolidation import TakeOver, take_over_member_claims
from smartcourt.claims.actions.declaration import (
    EVIDENCE_TYPES,
    LATE_CONSEQUENCE,
    MAX_ATTACHMENTS,
    Declaration,
    declare_claim,
)
from smartcourt.claims.actions.employees import (
    answer_employee_objection,
    link_employee_line,
    object_to_employee_line,
    publish_employee_list,
)
from smartcourt.claims.actions.objections import confirm_undisputed, object_to_claim, resolve_objection
from smartcourt.claims.actions.power_of_attorney import check_power_of_attorney
from smartcourt.claims.actions.registration import (
    Registration,
    join_case_to_declare,
    register_creditor,
    request_phone_code,
)
from smartcourt.claims.actions.review import (
    ITEM_LABELS,
    MAX_BATCH,
    SYNC_NOTICE_LIMIT,
    ReviewDecision,
    review_batch,
    review_claim,
    serve_review_notices,
    start_review,
)

__all__ = [
    "EVIDENCE_TYPES",
    "IMPORT_BATCH",
    "ITEM_LABELS",
    "LATE_CONSEQUENCE",
    "MAX_ATTACHMENTS",
    "MAX_BATCH",
    "MAX_REASON",
    "MAX_SIGNED_TABLE_ROWS",
    "REVIEW_ITEMS",
    "SYNC_NOTICE_LIMIT",
    "SYNC_TABLE_ROWS",
    "Declaration",
    "ImportRefused",
    "ImportReport",
    "Registration",
    "ReviewDecision",
    "TableSigning",
    "TakeOver",
    "answer_employee_objection",
    "check_power_of_attorney",
    "confirm_undisputed",
    "declare_claim",
    "import_creditor_list",
    "join_case_to_declare",
    "link_employee_line",
    "may_act_for_creditor",
    "object_to_claim",
    "object_to_employee_line",
    "publish_employee_list",
    "register_creditor",
    "request_phone_code",
    "request_table_signature",
    "resolve_objection",
    "review_batch",
    "review_claim",
    "serve_review_notices",
    "sign_claims_table",
    "start_review",
    "take_over_member_claims",
    "validate_identifier",
]
