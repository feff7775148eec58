"""Litigation fees (诉讼费用交纳办法, State Council 2006), computed from the schedule in
``data/litigation_fees.json``.

The schedule is data, with its source and version, shown as it is at /rules/litigation-fees/: a court reading
the page reads the same numbers the calculator and the fees app use. This module only knows the shapes the
Measures use:

- a flat fee or a range the province fixes (art. 13(二), (三), (六); art. 14(一)1);
- a scale of bands summed (分段累计): art. 13(一) for property cases and the bands of art. 13(二) for the
  property part of divorce and the damages part of personality-rights cases, art. 14(一)2 for enforcement
  and art. 14(二) for preservation;
- a fraction of a scale with a cap: a payment order a third of the property fee (art. 14(三)), bankruptcy half
  of it up to 300,000 (art. 14(六)), preservation at most 5,000 (art. 14(二));
- the case acceptance fee halved under the simplified procedure (art. 16) or when the case ends by mediation
  or withdrawal (art. 15); the halvings concern the case acceptance fee (案件受理费) only, not application fees
  (申请费), and a case to which both apply is halved once (see ``halving.once`` in the data);
- no fee for special procedures (art. 8(一)).

Integer fen throughout. A band's amount is ``base * rate_per_mille / 1000`` fen; every boundary is a whole
multiple of 10 yuan and every rate a whole number of per mille, so only the top, partly filled band can come
out with a fraction of a fen; it is rounded half up (四舍五入). Halving and the third are rounded the same way.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcourt.core.errors import DomainError
from smartcourt.core.money import MAX_FEN, fen_to_grouped_yuan, yuan_to_fen
from smartcourt.core.numbers import fold_full_width

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "litigation_fees.json"


class FeeKind(StrEnum):
    PROPERTY = "property"
    DIVORCE = "divorce"
    PERSONALITY = "personality"
    OTHER_NON_PROPERTY = "other_non_property"
    IP = "ip"
    LABOUR = "labour"
    ADMINISTRATIVE = "administrative"
    ADMINISTRATIVE_IP_MARITIME = "administrative_ip_maritime"
    JURISDICTION_OBJECTION = "jurisdiction_objection"
    ENFORCEMENT = "enforcement"
    PRESERVATION = "preservation"
    PAYMENT_ORDER = "payment_order"
    PUBLIC_NOTICE = "public_notice"
    ARBITRATION_REVIEW = "arbitration_review"
    BANKRUPTCY = "bankruptcy"
    SPECIAL_PROCEDURE = "special_procedure"


class FeeProcedure(StrEnum):
    ORDINARY = "ordinary"  # 普通程序
    SIMPLIFIED = "simplified"  # 简易程序: half the case acceptance fee (art. 16)


class ClosedBy(StrEnum):
    JUDGMENT = "judgment"  # 判决
    MEDIATION = "mediation"  # 调解: half the case acceptance fee (art. 15)
    WITHDRAWAL = "withdrawal"  # 撤诉: half the case acceptance fee (art. 15)


class FeeType(StrEnum):
    ACCEPTANCE = "acceptance"  # 案件受理费 (art. 7)
    APPLICATION = "application"  # 申请费 (art. 10)
    NONE = "none"  # 不交纳 (art. 8)


class AmountUse(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


# ---------------------------------------------------------------------------------------------------------
# The schedule, parsed and checked once.


def _fen(text: str, where: str) -> int:
    if not isinstance(text, str):
        raise ValueError(f"{where}: amounts are yuan strings")
    return yuan_to_fen(text, field=where)


def _per_mille(text: str, where: str) -> int:
    if not isinstance(text, str) or not text.endswith("%"):
        raise ValueError(f"{where}: a rate is written like '2.5%'")
    value = Decimal(text[:-1]) * 10
    if value != value.to_integral_value() or value <= 0:
        raise ValueError(f"{where}: rates must be whole tenths of a percent")
    return int(value)


def _article_text(article_zh: str, item: str) -> str:
    """ "十三", "（二）1" -> 第十三条第（二）项第1目."""
    if not item:
        return f"第{article_zh}条"
    head, _sep, tail = item.partition("）")
    return f"第{article_zh}条第{head}）项" + (f"第{tail}目" if tail else "")


@dataclass(frozen=True)
class Band:
    over_fen: int
    rate_per_mille: int


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    label_en: str
    article: int
    article_zh: str
    item: str
    first_up_to_fen: int
    first_fee_fen: int
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Branch:
    """How a kind is computed with an amount, or without one."""

    fixed_fen: int | None = None
    range_fen: tuple[int, int] | None = None
    scale: str | None = None
    divide_by: int = 1
    cap_fen: int | None = None


@dataclass(frozen=True)
class KindRule:
    kind: FeeKind
    label: str
    label_en: str
    fee_type: FeeType
    amount: AmountUse
    article: int
    article_zh: str
    item: str
    with_amount: Branch | None
    without_amount: Branch | None


@dataclass(frozen=True)
class FeeSchedule:
    title: str
    title_en: str
    source: str
    source_en: str
    law_zh: str
    law_en: str
    version: str
    rounding: str
    rounding_en: str
    province_note: str
    province_note_en: str
    halving: dict[str, Any]
    scales: dict[str, Scale]
    kinds: dict[FeeKind, KindRule]

    def basis_text(self, article_zh: str, item: str = "") -> str:
        return f"《{self.law_zh}》{_article_text(article_zh, item)}"


def _branch(raw: dict[str, Any] | None, where: str, scales: dict[str, Scale]) -> Branch | None:
    if raw is None:
        return None
    known = {"fixed", "range", "scale", "divide_by", "cap"}
    if unknown := set(raw) - known:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    rng = raw.get("range")
    range_fen = None
    if rng is not None:
        low, high = _fen(rng[0], where), _fen(rng[1], where)
        if not 0 <= low < high:
            raise ValueError(f"{where}: a range runs from low to high")
        range_fen = (low, high)
    scale = raw.get("scale")
    if scale is not None and scale not in scales:
        raise ValueError(f"{where}: unknown scale {scale!r}")
    branch = Branch(
        fixed_fen=_fen(raw["fixed"], where) if "fixed" in raw else None,
        range_fen=range_fen,
        scale=scale,
        divide_by=int(raw.get("divide_by", 1)),
        cap_fen=_fen(raw["cap"], where) if "cap" in raw else None,
    )
    if branch.fixed_fen is not None and branch.range_fen is not None:
        raise ValueError(f"{where}: a fixed fee or a range, not both")
    if branch.divide_by not in (1, 2, 3):
        raise ValueError(f"{where}: divide_by is 1, 2 or 3")
    return branch


def parse_schedule(raw: dict[str, Any]) -> FeeSchedule:
    """Check the schedule's shape; a mistake in the data file fails loudly at start-up, not in a calculation."""
    scales: dict[str, Scale] = {}
    for key, spec in raw["scales"].items():
        bands = tuple(
            Band(over_fen=_fen(b["over"], key), rate_per_mille=_per_mille(b["rate"], key)) for b in spec["bands"]
        )
        first_up_to = _fen(spec["first"]["up_to"], key)
        if not bands or bands[0].over_fen != first_up_to:
            raise ValueError(f"{key}: the first band starts where the flat part ends")
        for lower, upper in itertools.pairwise(bands):
            if upper.over_fen <= lower.over_fen:
                raise ValueError(f"{key}: bands must rise")
        for band in bands:
            # A whole band's amount must be whole fen (see the module's docstring).
            if band.over_fen % 1000:
                raise ValueError(f"{key}: band boundaries are whole multiples of 10 yuan")
        scales[key] = Scale(
            key=key,
            label=spec["label"],
            label_en=spec["label_en"],
            article=spec["article"],
            article_zh=spec["article_zh"],
            item=spec["item"],
            first_up_to_fen=first_up_to,
            first_fee_fen=_fen(spec["first"]["fee"], key),
            bands=bands,
        )
    kinds: dict[FeeKind, KindRule] = {}
    for key, spec in raw["kinds"].items():
        kind = FeeKind(key)
        rule = KindRule(
            kind=kind,
            label=spec["label"],
            label_en=spec["label_en"],
            fee_type=FeeType(spec["fee_type"]),
            amount=AmountUse(spec["amount"]),
            article=spec["article"],
            article_zh=spec["article_zh"],
            item=spec["item"],
            with_amount=_branch(spec.get("with_amount"), key, scales),
            without_amount=_branch(spec.get("without_amount"), key, scales),
        )
        needs_with = rule.amount in (AmountUse.REQUIRED, AmountUse.OPTIONAL)
        needs_without = rule.amount in (AmountUse.NONE, AmountUse.OPTIONAL)
        if needs_with != (rule.with_amount is not None) or needs_without != (rule.without_amount is not None):
            raise ValueError(f"{key}: the branches do not match amount={rule.amount}")
        kinds[kind] = rule
    if missing := set(FeeKind) - set(kinds):
        raise ValueError(f"the schedule has no rule for {sorted(missing)}")
    return FeeSchedule(
        title=raw["title"],
        title_en=raw["title_en"],
        source=raw["source"],
        source_en=raw["source_en"],
        law_zh=raw["law_zh"],
        law_en=raw["law_en"],
        version=raw["version"],
        rounding=raw["rounding"],
        rounding_en=raw["rounding_en"],
        province_note=raw["province_note"],
        province_note_en=raw["province_note_en"],
        halving=raw["halving"],
        scales=scales,
        kinds=kinds,
    )


@cache
def fee_schedule() -> FeeSchedule:
    return parse_schedule(json.loads(DATA_FILE.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------------------
# Computation.


def _round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative numbers, exactly."""
    return (2 * numerator + denominator) // (2 * denominator)


def halve(fen: int) -> int:
    """Half a fee, to the fen, rounded half up: 25.01 yuan -> 12.51 yuan."""
    return _round_div(fen, 2)


def rate_text(rate_per_mille: int) -> str:
    """25 per mille as ``"0.025"``, 5 as ``"0.005"``, 10 as ``"0.01"``: an exact decimal fraction."""
    text = str(Decimal(rate_per_mille) / 1000)
    return text if "." in text else f"{text}.0"


def _y(fen: int) -> str:
    """For people: 1000000 fen -> "10,000", 7667 -> "76.67"."""
    text = fen_to_grouped_yuan(fen)
    return text.removesuffix(".00")


def rate_percent(rate_per_mille: int) -> str:
    whole, rest = divmod(rate_per_mille, 10)
    return f"{whole}.{rest}%" if rest else f"{whole}%"


@dataclass(frozen=True)
class Step:
    """One line of the calculation. Bands have from/to/rate/base/amount; flat fees an amount; ranges min and
    max; adjustments (third, half, cap, halving) the fee after them in amount (or min/max)."""

    description: str
    description_en: str
    from_fen: int | None = None
    to_fen: int | None = None
    rate_per_mille: int | None = None
    base_fen: int | None = None
    amount_fen: int | None = None
    min_fen: int | None = None
    max_fen: int | None = None


@dataclass(frozen=True)
class FeeResult:
    kind: FeeKind
    fee_type: FeeType
    amount_fen: int | None
    procedure: FeeProcedure
    closed_by: ClosedBy
    fee_fen: int | None  # None where the Measures give a range the province fixes
    fee_min_fen: int | None
    fee_max_fen: int | None
    basis: list[str]
    basis_en: list[str]
    steps: list[Step] = field(default_factory=list)
    schedule_version: str = ""

    @property
    def full_fee_fen(self) -> int | None:
        return self.fee_fen


def _scale_steps(scale: Scale, amount_fen: int) -> tuple[int, list[Step]]:
    steps = [
        Step(
            description=(
                f"{scale.label}：不超过{_y(scale.first_up_to_fen)}元的部分，每件交纳{_y(scale.first_fee_fen)}元"
            ),
            description_en=f"{scale.label_en}: up to {_y(scale.first_up_to_fen)} yuan, {_y(scale.first_fee_fen)} yuan",
            from_fen=0,
            to_fen=scale.first_up_to_fen,
            base_fen=min(amount_fen, scale.first_up_to_fen),
            amount_fen=scale.first_fee_fen,
        )
    ]
    total = scale.first_fee_fen
    for index, band in enumerate(scale.bands):
        if amount_fen <= band.over_fen:
            break
        upper = scale.bands[index + 1].over_fen if index + 1 < len(scale.bands) else None
        base = (amount_fen if upper is None else min(amount_fen, upper)) - band.over_fen
        amount = _round_div(base * band.rate_per_mille, 1000)
        total += amount
        upper_text = _y(upper) if upper is not None else None
        steps.append(
            Step(
                description=(
                    (f"超过{_y(band.over_fen)}元至{upper_text}元的部分，按照{rate_percent(band.rate_per_mille)}交纳")
                    if upper_text
                    else (f"超过{_y(band.over_fen)}元的部分，按照{rate_percent(band.rate_per_mille)}交纳")
                ),
                description_en=(
                    f"above {_y(band.over_fen)}"
                    + (f" up to {upper_text}" if upper_text else "")
                    + f" yuan at {rate_percent(band.rate_per_mille)}"
                ),
                from_fen=band.over_fen,
                to_fen=upper,
                rate_per_mille=band.rate_per_mille,
                base_fen=base,
                amount_fen=amount,
            )
        )
    return total, steps


def _label(rule: KindRule) -> str:
    return rule.label_en if (get_language() or "").startswith("en") else rule.label


def _check_kind(kind: FeeKind | str | None) -> FeeKind:
    if kind is None or kind == "null":
        raise DomainError(_("Choose the kind of case or application"), field="kind")
    try:
        return FeeKind(kind)
    except ValueError:
        raise DomainError(
            _("Unknown kind of fee “%(kind)s”; the kinds are: %(known)s") % {"kind": kind, "known": ", ".join(FeeKind)},
            field="kind",
        ) from None


def _checked_terms(
    rule: KindRule, amount_fen: int | None, *, procedure: FeeProcedure | str, closed_by: ClosedBy | str
) -> tuple[FeeProcedure, ClosedBy, bool]:
    """The procedure and how the case closed, checked against the kind of fee and the amount; and whether the
    fee is halved (arts. 15 and 16)."""
    try:
        procedure = FeeProcedure(procedure)
    except ValueError:
        raise DomainError(_("The procedure is ordinary or simplified"), field="procedure") from None
    try:
        closed_by = ClosedBy(closed_by)
    except ValueError:
        raise DomainError(_("The case is closed by judgment, mediation or withdrawal"), field="closed_by") from None
    if amount_fen is not None and amount_fen < 0:
        raise DomainError(_("The amount cannot be negative"), field="amount")
    if amount_fen is not None and amount_fen > MAX_FEN:
        raise DomainError(_("The amount is above the largest amount the platform accepts"), field="amount")
    if rule.amount is AmountUse.REQUIRED and amount_fen is None:
        raise DomainError(_("%(label)s: give the amount") % {"label": _label(rule)}, field="amount")
    if rule.amount is AmountUse.NONE and amount_fen is not None:
        raise DomainError(_("%(label)s: the fee is per case; give no amount") % {"label": _label(rule)}, field="amount")
    halvings = procedure is FeeProcedure.SIMPLIFIED or closed_by is not ClosedBy.JUDGMENT
    if halvings and rule.fee_type is not FeeType.ACCEPTANCE:
        # Arts. 15 and 16 halve the case acceptance fee; an application fee or no fee is not halved.
        bad_field = "procedure" if procedure is FeeProcedure.SIMPLIFIED else "closed_by"
        raise DomainError(
            _(
                "%(label)s: not a case acceptance fee, so it is not halved for the simplified procedure, "
                "mediation or withdrawal (arts. 15 and 16)"
            )
            % {"label": _label(rule)},
            field=bad_field,
        )
    return procedure, closed_by, halvings


def _scaled(
    schedule: FeeSchedule,
    rule: KindRule,
    branch: Branch,
    scale: Scale,
    amount_fen: int,
    *,
    steps: list[Step],
    basis: list[str],
    basis_en: list[str],
) -> int:
    """The part of the fee computed from the amount on a scale (then divided or capped where the rule says),
    with its steps and, where the scale is another article's, that article in the basis."""
    scaled, scale_steps = _scale_steps(scale, amount_fen)
    steps.extend(scale_steps)
    if scale.article != rule.article:
        basis.append(schedule.basis_text(scale.article_zh, scale.item))
        basis_en.append(f"{schedule.law_en} art. {scale.article}{_item_en(scale.item)}")
    if branch.divide_by != 1:
        scaled = _round_div(scaled, branch.divide_by)
        steps.append(
            Step(
                description=("按照财产案件受理费标准的三分之一交纳")
                if branch.divide_by == 3
                else ("按照财产案件受理费标准减半交纳"),
                description_en=f"one {'third' if branch.divide_by == 3 else 'half'} of the property-case fee",
                amount_fen=scaled,
            )
        )
    if branch.cap_fen is not None and scaled > branch.cap_fen:
        scaled = branch.cap_fen
        steps.append(
            Step(
                description=(f"最高不超过{_y(branch.cap_fen)}元"),
                description_en=f"capped at {_y(branch.cap_fen)} yuan",
                amount_fen=scaled,
            )
        )
    return scaled


def compute_litigation_fee(
    kind: FeeKind | str | None,
    amount_fen: int | None = None,
    *,
    procedure: FeeProcedure | str = FeeProcedure.ORDINARY,
    closed_by: ClosedBy | str = ClosedBy.JUDGMENT,
    schedule: FeeSchedule | None = None,
) -> FeeResult:
    """The fee for one case or application, with its basis and every step of the calculation."""
    schedule = schedule or fee_schedule()
    chosen = _check_kind(kind)
    rule = schedule.kinds[chosen]
    procedure, closed_by, halvings = _checked_terms(rule, amount_fen, procedure=procedure, closed_by=closed_by)

    branch = rule.with_amount if amount_fen is not None else rule.without_amount
    assert branch is not None  # parse_schedule checked the branches against the amount's use
    basis = [schedule.basis_text(rule.article_zh, rule.item)]
    basis_en = [f"{schedule.law_en} art. {rule.article}{_item_en(rule.item)}"]
    steps: list[Step] = []
    fixed = 0
    low_high: tuple[int, int] | None = None

    if branch.fixed_fen is not None:
        fixed = branch.fixed_fen
        steps.append(
            Step(
                description=(f"{rule.label}每件交纳{_y(fixed)}元") if fixed else (f"{rule.label}不交纳案件受理费"),
                description_en=f"{rule.label_en}: {_y(fixed)} yuan per case",
                amount_fen=fixed,
            )
        )
    if branch.range_fen is not None:
        low_high = branch.range_fen
        steps.append(
            Step(
                description=(
                    f"{rule.label}每件交纳{_y(low_high[0])}元至{_y(low_high[1])}元，具体标准由省级人民政府确定"
                ),
                description_en=f"{rule.label_en}: {_y(low_high[0])} to {_y(low_high[1])} yuan "
                "per case, the province sets the amount",
                min_fen=low_high[0],
                max_fen=low_high[1],
            )
        )
    if branch.scale is not None:
        assert amount_fen is not None
        fixed += _scaled(
            schedule,
            rule,
            branch,
            schedule.scales[branch.scale],
            amount_fen,
            steps=steps,
            basis=basis,
            basis_en=basis_en,
        )

    if low_high is not None:
        fee_min, fee_max = low_high[0] + fixed, low_high[1] + fixed
    else:
        fee_min = fee_max = fixed

    if halvings:
        articles = []
        if procedure is FeeProcedure.SIMPLIFIED:
            articles.append(schedule.halving["simplified"])
        if closed_by is not ClosedBy.JUDGMENT:
            articles.append(schedule.halving["closed"])
        for spec in articles:
            basis.append(schedule.basis_text(spec["article_zh"]))
            basis_en.append(f"{schedule.law_en} art. {spec['article']}")
        fee_min, fee_max = halve(fee_min), halve(fee_max)
        description = "；".join(spec["text"] for spec in articles)
        description_en = "; ".join(spec["text_en"] for spec in articles)
        if len(articles) > 1:
            description += "（" + schedule.halving["once"] + "）"
            description_en += f" ({schedule.halving['once_en']})"
        steps.append(
            Step(
                description=description,
                description_en=description_en,
                amount_fen=fee_min if low_high is None else None,
                min_fen=fee_min if low_high is not None else None,
                max_fen=fee_max if low_high is not None else None,
            )
        )

    ranged = low_high is not None
    return FeeResult(
        kind=chosen,
        fee_type=rule.fee_type,
        amount_fen=amount_fen,
        procedure=procedure,
        closed_by=closed_by,
        fee_fen=None if ranged else fee_min,
        fee_min_fen=fee_min if ranged else None,
        fee_max_fen=fee_max if ranged else None,
        basis=basis,
        basis_en=basis_en,
        steps=steps,
        schedule_version=schedule.version,
    )


def _item_en(item: str) -> str:
    return f" item {item}" if item else ""


_YUAN = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$", re.ASCII)


def amount_to_fen(value: object, *, field: str = "amount") -> int | None:
    """A yuan string from the edge into fen, or None; the error names the field (in the user's language)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise DomainError(_('Write the amount in yuan as a string, e.g. "1234.50"'), field=field)
    text = fold_full_width(value).strip()  # full-width digits deliberately; other scripts' digits fail the pattern
    if text.startswith("-"):
        raise DomainError(_("The amount cannot be negative"), field=field)
    if not _YUAN.match(text):
        raise DomainError(_("The amount is yuan with at most two decimals, e.g. 1234.50"), field=field)
    fen = int(Decimal(text) * 100)  # exact: the pattern allows at most two decimals
    if fen > MAX_FEN:
        raise DomainError(_("The amount is above the largest amount the platform accepts"), field=field)
    return fen
