"""Payments to households and collectives from signed agreements (putian-2014 (七)(十);
banan-2015 (五) 镇街专户统一支付).

A plan has one payment per (payee, fee category) of the governing agreement; the finance role
approves it (earmarking the money in the township special account, never beyond its available
balance); the bank batch sends it; the bank's return confirms it, and only then is the payment
entry posted. States follow ``domain.bank_files.transition``; a payment row is locked while it
changes, so two approvals of the same payment cannot both succeed.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from django.db import transaction

from zhengqian.compensation.models import Agreement
from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain import ledger
from zhengqian.domain.bank_files import PaymentEvent, PaymentState, transition
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.households.models import Household

from . import agreements, facts, journal
from .actions import township_account
from .models import CLAUSE_PAYMENT, Account, PayeeKind, Payment
from .values import MoneySum, text_of

PAYMENT_FIELDS = ["state", "amount", "payee_account", "approved_by", "approved_at", "sent_at", "paid_on",
                  "failure_reason", "attempts", "batch", "entry"]
ZERO = Decimal("0.00")


def _path(payment: Payment) -> str:
    return payment.jurisdiction_path


def _move(payment: Payment, event: PaymentEvent) -> None:
    payment.state = transition(PaymentState(payment.state), event).value


def _locked(payment: Payment) -> Payment:
    return (Payment.objects.select_for_update()
            .select_related("agreement", "household", "household__village", "payee_account", "project")
            .get(pk=payment.pk))


# --- payees -------------------------------------------------------------------------------


def household_account(household: Household, *, bank_name: str, account_no: str, holder_name: str) -> Account:
    """The real-name account of a member of the household (putian-2014 (七)), opened in the
    ledger the first time it is paid."""
    account_no = "".join(account_no.split())
    if not account_no:
        raise InvalidInput(f"{household.code} 户尚未登记实名账户，不能安排付款。", clause=CLAUSE_PAYMENT, field="payee")
    members = list(household.members.all())
    candidate = ledger.Account(code="", kind=AccountKind.household, project=str(household.project_id),
                               name=holder_name)
    ledger.check_payee(candidate, member_names=[member.name for member in members])
    holder = next(m for m in members if m.name == holder_name)
    if household.bank_account_holder_id and household.bank_account_holder_id in {m.pk for m in members}:
        chosen = next(m for m in members if m.pk == household.bank_account_holder_id)
        holder = chosen if chosen.name == holder_name else holder
    existing = Account.objects.filter(kind=AccountKind.household, household=household, account_no=account_no).first()
    if existing is not None:
        if existing.name != holder_name:
            raise InvalidInput(f"账号 {account_no} 已登记为“{existing.name}”的账户，户名不符。",
                               clause=CLAUSE_PAYMENT, field="payee")
        return existing
    code = f"{household.project.code}/农户/{household.code}/尾号{account_no[-4:]}"  # never the full number
    taken = Account.objects.filter(code__startswith=code).count()
    return Account.objects.create(
        code=f"{code}-{taken + 1}" if taken else code, kind=AccountKind.household,
        project_id=household.project_id, household=household, holder=holder, name=holder_name,
        bank_name=bank_name, account_no=account_no, jurisdiction_path=household.village.path,
        created_at=clock.now(),
    )


def collective_account(household: Household) -> Account:
    account = Account.objects.filter(project_id=household.project_id, kind=AccountKind.collective,
                                     village_id=household.village_id).first()
    if account is None:
        raise GateClosed(f"{household.village.name}尚未开立集体账户，集体所得补偿费不能发放",
                         clause="putian-2014 (十)")
    return account


def check_payee(payment: Payment, account: Account) -> None:
    """The payee must be a real-name account of a member of this household, or its village's
    collective account (putian-2014 (七)(十))."""
    household = payment.household
    if payment.payee_kind == PayeeKind.COLLECTIVE:
        if account.kind != AccountKind.collective or account.village_id != household.village_id \
                or account.project_id != payment.project_id:
            raise InvalidInput("集体所得补偿费只能付入本村集体账户。", clause="putian-2014 (十)", field="payee")
        return
    members = list(household.members.all())
    ledger.check_payee(journal.domain_account(account), member_names=[m.name for m in members])
    if account.household_id != household.pk or account.holder_id not in {m.pk for m in members}:
        raise InvalidInput(f"收款账户“{account.name}”不是本户家庭成员的实名账户。", clause=CLAUSE_PAYMENT,
                           field="payee")


def _refuse_agreement(agreement: Agreement) -> None:
    reason = agreements.refusal(agreement)
    if reason:
        raise GateClosed(reason, clause=CLAUSE_PAYMENT)


# --- plan ---------------------------------------------------------------------------------


def payments_plan(*, actor: User, agreement: Agreement) -> list[Payment]:
    """One payment per (payee, category) of a signed agreement, less what earlier agreements of
    the household already paid or sent; open payments of a superseded agreement are cancelled.
    Idempotent: lines already planned are left alone."""
    require(actor, "funds.manage")
    _refuse_agreement(agreement)
    created: list[Payment] = []
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village", "project").get(
            pk=agreement.household_id)
        project = household.project
        source = township_account(project, household.village.parent)
        for stale in Payment.objects.select_for_update().filter(
                household=household, state__in=[PaymentState.planned, PaymentState.approved]).exclude(
                agreement=agreement):
            _cancel(actor, stale, f"协议已被 {agreement.number} 取代")
        committed: dict[tuple[str, str], Decimal] = {}
        for row in (Payment.objects.filter(household=household, state__in=[PaymentState.paid, PaymentState.sent])
                    .exclude(agreement=agreement).values("payee_kind", "category")
                    .annotate(total=MoneySum("amount")).order_by()):
            committed[(row["payee_kind"], row["category"])] = row["total"]
        planned = set(Payment.objects.filter(agreement=agreement).exclude(state=PaymentState.cancelled)
                      .values_list("payee_kind", "category"))
        for (kind, category), amount in sorted(agreements.payable_lines(agreement).items()):
            remaining = amount - committed.get((kind.value, category.value), ZERO)
            if (kind.value, category.value) in planned or remaining <= 0:
                continue
            payee = collective_account(household) if kind == PayeeKind.COLLECTIVE else household_account(
                household, bank_name=agreement.bank_name or household.bank_name,
                account_no=agreement.bank_account_no or household.bank_account_no,
                holder_name=agreement.bank_account_holder or (
                    household.bank_account_holder.name if household.bank_account_holder else ""))
            now = clock.now()
            payment = Payment.objects.create(
                number=f"tmp-{uuid4().hex[:24]}", project=project, agreement=agreement, household=household,
                payee_kind=kind.value, payee_account=payee, source_account=source, category=category.value,
                amount=remaining, jurisdiction_path=household.village.path, created_by=actor, created_at=now,
                updated_at=now,
            )
            payment.number = f"ZF{payment.pk:08d}"
            payment.save(update_fields=["number"])
            audit.record(actor=actor, action="payment.plan", obj=payment,
                         after=audit.snapshot(payment, ["agreement", "payee_kind", "category", "amount",
                                                        "payee_account"]),
                         jurisdiction_path=_path(payment))
            created.append(payment)
    return created


# --- approve, cancel, payee ---------------------------------------------------------------


def payment_approve(*, actor: User, payment: Payment) -> Payment:
    """Approve one payment (finance role): the agreement is signed and governing, the payee is
    right, and the township special account has the money available beyond what other approved
    payments earmarked (banan-2015 (五); putian-2014 (七))."""
    require(actor, "payment.approve")
    with transaction.atomic():
        payment = _locked(payment)
        before = audit.snapshot(payment, PAYMENT_FIELDS)
        _move(payment, PaymentEvent.approve)
        _refuse_agreement(payment.agreement)
        check_payee(payment, payment.payee_account)
        category = Category(payment.category)
        journal.check(kind=EntryKind.payment, releasing=payment.pk,
                      lines=[(payment.source_account, category, -payment.amount),
                             (payment.payee_account, category, payment.amount)])
        payment.approved_by, payment.approved_at, payment.updated_at = actor, clock.now(), clock.now()
        payment.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
        audit.record(actor=actor, action="payment.approve", obj=payment, before=before,
                     after=audit.snapshot(payment, PAYMENT_FIELDS), jurisdiction_path=_path(payment))
    return payment


def _cancel(actor: User, payment: Payment, reason: str) -> None:
    before = audit.snapshot(payment, PAYMENT_FIELDS)
    _move(payment, PaymentEvent.cancel)
    payment.failure_reason = reason[:200] if payment.failure_reason == "" else payment.failure_reason
    payment.updated_at = clock.now()
    payment.save(update_fields=["state", "failure_reason", "updated_at"])
    audit.record(actor=actor, action="payment.cancel", obj=payment, before=before,
                 after=audit.snapshot(payment, PAYMENT_FIELDS), reason=reason, jurisdiction_path=_path(payment))


def payment_cancel(*, actor: User, payment: Payment, reason: str) -> Payment:
    """Cancel a planned, approved or failed payment (money in flight cannot be cancelled)."""
    require(actor, "payment.approve")
    reason = text_of(reason, "reason", "取消原因", 200)
    with transaction.atomic():
        payment = _locked(payment)
        _cancel(actor, payment, reason)
    return payment


def payment_set_payee(*, actor: User, payment: Payment, account: Account, reason: str = "") -> Payment:
    """Point a planned payment at another account of the payee (a corrected real-name account)."""
    require(actor, "funds.manage")
    with transaction.atomic():
        payment = _locked(payment)
        if payment.state != PaymentState.planned:
            raise InvalidInput("只有待审批的付款可以更换收款账户。", field="state")
        check_payee(payment, account)
        before = audit.snapshot(payment, PAYMENT_FIELDS)
        payment.payee_account, payment.updated_at = account, clock.now()
        payment.save(update_fields=["payee_account", "updated_at"])
        audit.record(actor=actor, action="payment.set_payee", obj=payment, before=before,
                     after=audit.snapshot(payment, PAYMENT_FIELDS), reason=reason, jurisdiction_path=_path(payment))
    return payment


def payment_use_household_account(*, actor: User, payment: Payment) -> Payment:
    """Switch a planned payment to the household's current real-name account (after the
    household corrected it)."""
    require(actor, "funds.manage")
    household = payment.household
    holder = household.bank_account_holder
    with transaction.atomic():
        account = household_account(household, bank_name=household.bank_name,
                                    account_no=household.bank_account_no, holder_name=holder.name if holder else "")
        return payment_set_payee(actor=actor, payment=payment, account=account, reason="改用本户现登记的实名账户")


# --- bank outcomes (called by bank.py inside its transaction) -----------------------------


def confirm_paid(actor: User, payment: Payment) -> Payment:
    """The bank paid it: post township special account → payee, in the payment's category."""
    payment = _locked(payment)
    before = audit.snapshot(payment, PAYMENT_FIELDS)
    _move(payment, PaymentEvent.confirm)
    category = Category(payment.category)
    payment.entry = journal.post(
        actor=actor, project=payment.project, kind=EntryKind.payment, releasing=payment.pk,
        lines=[(payment.source_account, category, -payment.amount), (payment.payee_account, category, payment.amount)],
        memo=f"付款 {payment.number} {payment.household.code} {payment.agreement.number}",
    )
    payment.paid_on, payment.updated_at = clock.today(), clock.now()
    payment.save(update_fields=["state", "entry", "paid_on", "updated_at"])
    audit.record(actor=actor, action="payment.paid", obj=payment, before=before,
                 after=audit.snapshot(payment, PAYMENT_FIELDS), jurisdiction_path=_path(payment))
    return payment


def record_failure(actor: User, payment: Payment, reason: str) -> Payment:
    """The bank refused it: nothing left the account; re-queue it (planned, to be corrected and
    approved again)."""
    payment = _locked(payment)
    before = audit.snapshot(payment, PAYMENT_FIELDS)
    _move(payment, PaymentEvent.fail)
    _move(payment, PaymentEvent.revise)
    payment.failure_reason = reason[:200]
    payment.batch, payment.approved_by, payment.approved_at, payment.updated_at = None, None, None, clock.now()
    payment.save(update_fields=["state", "failure_reason", "batch", "approved_by", "approved_at", "updated_at"])
    audit.record(actor=actor, action="payment.failed_requeued", obj=payment, before=before,
                 after=audit.snapshot(payment, PAYMENT_FIELDS), reason=reason, jurisdiction_path=_path(payment))
    return payment


def refresh_facts(actor: User, payment: Payment) -> None:
    facts.refresh(actor=actor, project=payment.project)
