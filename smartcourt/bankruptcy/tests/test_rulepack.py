"""The rule pack is data, and sound: every predecessor exists, no cycles, every deadline key is one of
smartcourt.rules' and applies to its procedure, every anchor a deadline needs is set by something."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from smartcourt.bankruptcy.choices import Actor, Operator, Procedure
from smartcourt.bankruptcy.rulepack import (
    PROCEDURE_DEFS,
    PROCEDURES,
    ProcedureDef,
    get_procedure,
    pack_data,
    pack_problems,
)
from smartcourt.core.errors import DomainError
from smartcourt.rules.deadlines import RULES_BY_KEY


def test_the_pack_is_sound() -> None:
    assert pack_problems() == []


def test_every_procedure_of_the_choices_is_in_the_pack() -> None:
    assert set(PROCEDURES) == set(Procedure.values)


def test_liquidation_has_the_seventeen_nodes_in_legal_order() -> None:
    liquidation = get_procedure("liquidation")
    assert liquidation.node_keys == tuple(f"N{number:02d}" for number in range(1, 18))
    assert liquidation.node("N03").predecessors == ("N02",)
    # Takeover, investigation and notice run side by side after the appointment.
    assert {key for key in liquidation.node_keys if liquidation.node(key).predecessors == ("N02",)} == {
        "N03",
        "N04",
        "N05",
    }
    # Audit runs alongside N06-N08: nothing among them waits for it, and the declaration waits for both.
    assert all("N09" not in liquidation.node(key).predecessors for key in ("N06", "N07", "N08"))
    assert set(liquidation.node("N10").predecessors) == {"N08", "N09"}


def test_reorganisation_and_settlement_convert_to_the_declaration() -> None:
    reorganisation, settlement = get_procedure("reorganisation"), get_procedure("settlement")
    assert [key for key in reorganisation.node_keys if key.startswith("R")] == [f"R{n}" for n in range(1, 9)]
    assert [key for key in settlement.node_keys if key.startswith("S")] == [f"S{n}" for n in range(1, 7)]
    for proc in (reorganisation, settlement):
        assert proc.conversion is not None
        assert proc.conversion.to_procedure == Procedure.LIQUIDATION
        assert proc.conversion.entry_node == "N10"
    assert reorganisation.conversion is not None and reorganisation.conversion.recorded_node == "R7"
    assert reorganisation.node("R4").deadline_key == "reorganisation_plan"
    assert reorganisation.node("R4").extended_deadline_key == "reorganisation_plan_extended"


def test_statutory_deadlines_are_the_rules_apps() -> None:
    liquidation = get_procedure("liquidation")
    expected = {
        "N03": "notify_creditors",
        "N06": "claims_period_latest_end",
        "N08": "first_meeting",
        "N10": "notify_declaration",
        "N15": "termination_ruling",
        "N16": "deregistration",
    }
    for key, deadline in expected.items():
        assert liquidation.node(key).deadline_key == deadline
        assert deadline in RULES_BY_KEY
    # No statutory deadline for audit and appraisal (procedure.md: "No statutory deadline").
    assert liquidation.node("N09").deadline_key is None


def test_compulsory_liquidation_is_a_shorter_flow_citing_the_2023_company_law() -> None:
    compulsory = get_procedure("compulsory_liquidation")
    assert len(compulsory.nodes) == 10
    assert compulsory.case_type == "liquidation"
    # Issue 15.21: each node cites the Company Law (2023) article (or the SPC Interpretation II article) that
    # governs it, checked against the text; the badge is gone.
    assert all(basis.verified for node in compulsory.nodes for basis in node.basis)
    cited = {node.key: [basis.text_zh for basis in node.basis] for node in compulsory.nodes}
    interp2 = "《最高人民法院关于适用〈中华人民共和国公司法〉若干问题的规定（二）》"
    assert cited["C01"] == ["《公司法》（2023年修订）第二百三十三条", f"{interp2}第七条"]
    assert cited["C03"] == ["《公司法》（2023年修订）第二百三十五条第一款", f"{interp2}第十一条"]
    assert cited["C07"] == ["《公司法》（2023年修订）第二百三十六条第一款、第二百三十七条", f"{interp2}第十五、十七条"]
    assert cited["C10"] == ["《公司法》（2023年修订）第二百三十九条"]
    # No node of it cites the 2018 numbering (arts. 180-190) any more.
    assert not any("第一百八十" in text or "第一百九十" in text for texts in cited.values() for text in texts)
    assert "[unverified]" not in compulsory.node("C03").note_zh + compulsory.node("C03").note_en
    # smartcourt.rules has no compulsory-liquidation deadlines yet (reported, none invented here).
    assert all(node.deadline_key is None for node in compulsory.nodes)


def test_no_citation_in_the_pack_is_left_unverified() -> None:
    for proc in PROCEDURE_DEFS:
        bases = [*proc.basis, *(proc.conversion.basis if proc.conversion else ())]
        bases += [basis for node in proc.nodes for basis in node.basis]
        assert [basis.text_zh for basis in bases if not basis.verified] == [], proc.key
        assert not any("unverified" in node.note_zh + node.note_en for node in proc.nodes), proc.key


def test_every_node_names_actor_operator_outputs_and_basis() -> None:
    for proc in PROCEDURE_DEFS:
        for node in proc.nodes:
            assert node.actor in Actor.values
            assert node.operator in Operator.values
            assert node.basis, f"{proc.key} {node.key} has no legal basis"
            assert node.name_zh and node.name_en
            if node.key not in proc.opening_nodes and not node.conversion_only and node.key != proc.appointment_node:
                assert node.required_outputs, f"{proc.key} {node.key} can complete with nothing"


def test_unknown_procedure_is_refused() -> None:
    with pytest.raises(DomainError, match="unknown procedure 'bogus'"):
        get_procedure("bogus")


def _broken(**changes: Any) -> tuple[ProcedureDef, ...]:
    liquidation = get_procedure("liquidation")
    nodes = tuple(replace(node, **changes) if node.key == "N05" else node for node in liquidation.nodes)
    return (replace(liquidation, nodes=nodes),)


def test_validation_finds_a_missing_predecessor() -> None:
    assert pack_problems(_broken(predecessors=("N99",))) == ["liquidation N05: predecessor N99 does not exist"]


def test_validation_finds_a_cycle() -> None:
    problems = pack_problems(_broken(predecessors=("N10",)))
    assert any("cycle" in problem for problem in problems)


def test_validation_finds_an_unknown_deadline_key() -> None:
    assert pack_problems(_broken(deadline_key="investigation_report")) == [
        "liquidation N05: deadline 'investigation_report' is not in smartcourt.rules.deadlines"
    ]


def test_validation_finds_a_deadline_of_another_procedure() -> None:
    assert pack_problems(_broken(deadline_key="reorganisation_plan")) == [
        "liquidation N05: deadline reorganisation_plan does not apply to liquidation",
        "liquidation N05: nothing in liquidation sets reorganisation_ruled_on, which reorganisation_plan needs",
    ]


def test_the_pack_as_data_carries_deadlines_and_verification_marks() -> None:
    data = pack_data()
    liquidation = next(proc for proc in data["procedures"] if proc["key"] == "liquidation")
    n03 = next(node for node in liquidation["nodes"] if node["key"] == "N03")
    assert n03["deadline"]["key"] == "notify_creditors"
    assert n03["deadline"]["period"] == "25 days after"
    assert n03["deadline"]["basis"] == "《中华人民共和国企业破产法》第十四条"
    assert n03["actor"] == "court"
    assert n03["predecessors"] == ["N02"]
    n17 = next(node for node in liquidation["nodes"] if node["key"] == "N17")
    assert n17["basis"] == [
        {"text": "《企业破产法》第一百二十二条", "text_en": "Enterprise Bankruptcy Law art. 122", "verified": True}
    ]
