"""What a document says about the case comes from the case, and from the review case it grew out of."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import Personas
from smartcourt.cases.actions import add_party, create_case
from smartcourt.cases.choices import CaseType, PartyKind, PartyRole
from smartcourt.documents.context import document_context

pytestmark = pytest.mark.django_db


def test_the_applicant_is_the_one_who_applied_in_the_review_case(personas: Personas) -> None:
    review = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="审查",
        filed_on=dt.date(2026, 3, 1),
        presiding_judge=personas.judge,
    )
    add_party(
        actor=personas.clerk,
        case=review,
        role=PartyRole.APPLICANT,
        kind=PartyKind.NATURAL_PERSON,
        name="刘债权",
        id_number="11010519491231002X",
    )
    accepted = create_case(
        actor=personas.clerk,
        court=personas.rudong,
        case_type=CaseType.BANKRUPTCY,
        title="破产清算",
        filed_on=dt.date(2026, 3, 9),
        presiding_judge=personas.judge,
        origin=review,
    )
    add_party(
        actor=personas.clerk,
        case=accepted,
        role=PartyRole.DEBTOR,
        kind=PartyKind.ORGANISATION,
        name=personas.debtor_company.name,
        organisation=personas.debtor_company,
    )
    context = document_context(accepted)
    assert context["applicant_name"] == "刘债权"


def test_without_any_applicant_the_debtor_applied_itself(personas: Personas) -> None:
    assert document_context(personas.case)["applicant_name"] == personas.debtor_company.name
