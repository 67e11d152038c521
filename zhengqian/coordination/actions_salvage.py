"""Salvage (残值, banan-2015 (六)): per demolished building, valued and disposed of by the rule
for the project owner's type, proceeds posted to the funds ledger: to the owner's funding
account (state or private owner: 谁出资，谁受益), or to the project special account for a
lump-sum project (district office, after filing with the state-assets office)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain import coordination as rules
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.funds import journal
from zhengqian.funds.actions import special_account
from zhengqian.funds.models import Account
from zhengqian.funds.values import amount_of
from zhengqian.households.models import Building

from .actions import Upload
from .models import Salvage

CLEARING_CODE = "银行清算"


def _clearing() -> Account:
    account, _ = Account.objects.get_or_create(
        code=CLEARING_CODE,
        defaults={
            "kind": AccountKind.bank_clearing,
            "name": "银行在途/清算",
            "jurisdiction_path": "",
            "created_at": clock.now(),
        },
    )
    return account


def salvage_record(
    *,
    actor: User,
    building: Building,
    owner_type: str,
    valued_amount: Decimal | str,
    proceeds: Decimal | str,
    disposed_on: date,
    buyer: str,
    evidence: Upload,
    filing_reference: str = "",
) -> Salvage:
    """Record the disposal of a building's salvage and post its proceeds (once per building;
    a second request for the same building is refused, also under concurrency)."""
    require(actor, "funds.manage")
    try:
        rule = rules.salvage_rule(owner_type)
    except ValueError:
        raise InvalidInput("业主性质不正确。", field="owner_type") from None
    valued = amount_of(valued_amount, "valued_amount", allow_zero=True)
    amount = amount_of(proceeds, "proceeds")
    if disposed_on > clock.today():
        raise InvalidInput("处置日期不能晚于今天。", field="disposed_on")
    if not buyer.strip():
        raise InvalidInput("请填写受让方。", field="buyer")
    if rule.needs_filing and not filing_reference.strip():
        raise InvalidInput("包干征地项目的残值须先报区国资办备案，请填写备案号。", field="filing_reference")
    household = building.household
    project = household.project
    path = household.village.path
    try:
        with transaction.atomic():
            Building.objects.select_for_update().get(pk=building.pk)
            if Salvage.objects.filter(building=building).exists():
                raise InvalidInput("该房屋的残值已处置入账。", field="building")
            if rules.OwnerType(owner_type) is rules.OwnerType.LUMP_SUM:
                target = special_account(project)
            else:
                target = Account.objects.filter(project=project, kind=AccountKind.owner_funding).first()
                if target is None:
                    raise InvalidInput("项目尚未开立资金账户（业主出资账户）。", field="owner_type")
            entry = journal.post(
                actor=actor,
                project=project,
                kind=EntryKind.salvage,
                lines=[(_clearing(), Category.houses, -amount), (target, Category.houses, amount)],
                memo=f"残值收入 {household.code} {building.code} {buyer.strip()}"[:200],
            )
            stored = evidence_store(
                actor=actor,
                content=evidence.content,
                original_name=evidence.name,
                content_type=evidence.content_type,
                jurisdiction_path=path,
            )
            salvage = Salvage.objects.create(
                building=building,
                project=project,
                owner_type=owner_type,
                valued_amount=valued,
                proceeds=amount,
                disposed_on=disposed_on,
                buyer=buyer.strip()[:120],
                method=rule.method,
                filing_reference=filing_reference.strip()[:60],
                entry=entry,
                evidence=stored,
                created_by=actor,
                created_at=clock.now(),
                jurisdiction_path=path,
            )
            audit.record(
                actor=actor,
                action="salvage.record",
                obj=salvage,
                after={
                    "building": building.code,
                    "owner_type": owner_type,
                    "valued_amount": valued,
                    "proceeds": amount,
                    "account": target.code,
                    "method": rule.method,
                },
                jurisdiction_path=path,
            )
    except IntegrityError:
        raise InvalidInput("该房屋的残值已处置入账。", field="building") from None
    return salvage
