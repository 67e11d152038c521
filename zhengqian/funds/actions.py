"""State changes of the funds: accounts, budget, deposits, appropriations, transfers, reversals,
social-security reviews and collective publications (banan-2015 (五); putian-2014 (十)(十五)).
Payments are in payments.py, bank files in bank.py.

Keyword-only, explicit actor, one transaction, one audit event; money moves only through
``journal.post`` (double entry, locked accounts, the pure ledger's rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import EvidenceFile, Jurisdiction, JurisdictionLevel, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.ledger import DISTRICT_PRINCIPAL_APPROVAL, AccountKind, Category, EntryKind
from zhengqian.projects.models import Project

from . import facts, journal
from .models import (
    CLAUSE_COLLECTIVE,
    CLAUSE_FUNDS,
    CLAUSE_SOCIAL_SECURITY,
    Account,
    Appropriation,
    AppropriationState,
    CollectivePublication,
    Deposit,
    JournalEntry,
    ProjectBudget,
    SocialSecurityReview,
    Transfer,
)
from .values import amount_of, category_of, half_year, text_of

APPROPRIATION_FIELDS = ["project", "township", "category", "amount", "purpose", "state", "decision_note", "entry"]
BUDGET_FIELDS = ["estimates", "social_security", "work_funds", "resettlement_housing", "approval_document",
                 "approved_on"]


def _project_path(project: Project) -> str:
    return project.district.path


def _evidence(actor: User, content: bytes | None, name: str, content_type: str, path: str, what: str) -> EvidenceFile:
    if not content:
        raise InvalidInput(f"请上传{what}。", field="evidence")
    return evidence_store(actor=actor, content=content, original_name=name, content_type=content_type,
                          jurisdiction_path=path, note=what)


def special_account(project: Project) -> Account:
    account = Account.objects.filter(project=project, kind=AccountKind.project_special).first()
    if account is None:
        raise GateClosed("项目尚未开立征地拆迁资金专户，请先开立专户", clause=CLAUSE_FUNDS)
    return account


def township_account(project: Project, township: Jurisdiction) -> Account:
    account = Account.objects.filter(project=project, kind=AccountKind.township_special, township=township).first()
    if account is None:
        raise GateClosed(f"{township.name}尚未为本项目开立镇街专户（专帐），请先开立", clause=CLAUSE_FUNDS)
    return account


# --- accounts -----------------------------------------------------------------------------


def accounts_open(*, actor: User, project: Project, bank_name: str = "", account_no: str = "") -> list[Account]:
    """Open the project special account (exactly one per project), the owner's funding account,
    the social-security fund account and a special ledger in each township's account
    (banan-2015 (五) 建立征地拆迁资金管理专户，并按项目建立专帐). Idempotent: opens what is missing."""
    require(actor, "funds.manage")
    bank_name = text_of(bank_name, "bank_name", "开户银行", 80, required=False)
    account_no = text_of(account_no, "account_no", "专户账号", 40, required=False)
    now = clock.now()
    path = _project_path(project)
    wanted = [
        (AccountKind.project_special, None, f"{project.code}/专户", f"{project.name} 征地拆迁资金专户", path),
        (AccountKind.owner_funding, None, f"{project.code}/业主", project.owner_name, path),
        (AccountKind.social_security, None, f"{project.code}/社保", f"{project.name} 被征地农民社会保障资金", path),
    ]
    for township in project.townships.order_by("code"):
        wanted.append((AccountKind.township_special, township, f"{project.code}/镇街/{township.code}",
                       f"{township.name} 征地拆迁资金专户（{project.code} 专帐）", township.path))
    opened: list[Account] = []
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        for kind, township, code, name, where in wanted:
            exists = Account.objects.filter(project=project, kind=kind, township=township).exists()
            if exists:
                continue
            numbered = kind is AccountKind.project_special
            opened.append(Account.objects.create(
                code=code, kind=kind, project=project, township=township, name=name,
                bank_name=bank_name if numbered else "", account_no=account_no if numbered else "",
                jurisdiction_path=where, created_at=now,
            ))
        if opened:
            audit.record(actor=actor, action="funds.accounts_open", obj=project,
                         after={"accounts": [account.code for account in opened]}, jurisdiction_path=path)
            facts.refresh(actor=actor, project=project)
    return opened


def collective_account_open(
    *, actor: User, project: Project, village: Jurisdiction, name: str, bank_name: str, account_no: str
) -> Account:
    """The collective's account for a village of the project (putian-2014 (十): 集体所得的征地补偿费用)."""
    require(actor, "funds.manage")
    if village.level != JurisdictionLevel.VILLAGE or not project.townships.filter(pk=village.parent_id).exists():
        raise InvalidInput(f"“{village.name}”不是本项目涉及镇街下的村/社区。", field="village")
    name = text_of(name, "name", "户名", 120)
    bank_name = text_of(bank_name, "bank_name", "开户银行", 80)
    account_no = text_of(account_no, "account_no", "账号", 40)
    with transaction.atomic():
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    code=f"{project.code}/集体/{village.code}", kind=AccountKind.collective, project=project,
                    village=village, name=name, bank_name=bank_name, account_no=account_no,
                    jurisdiction_path=village.path, created_at=clock.now(),
                )
        except IntegrityError:
            raise InvalidInput(f"{village.name}在本项目已有集体账户。", field="village") from None
        audit.record(actor=actor, action="funds.collective_account_open", obj=account,
                     after=audit.snapshot(account, ["code", "name", "bank_name", "account_no"]),
                     jurisdiction_path=village.path)
    return account


# --- budget, deposits, social-security review ---------------------------------------------


def budget_set(
    *,
    actor: User,
    project: Project,
    estimates: Mapping[str, Any],
    social_security: Any,
    work_funds: Any,
    resettlement_housing: Any,
    approval_document: str,
    approved_on: date,
    reason: str = "",
) -> ProjectBudget:
    """Set the approved pre-funding budget (banan-2015 (五) 前置资金（含安置房建设、回购资金）)."""
    require(actor, "funds.manage")
    values = {
        "estimates": {category_of(key).value: str(amount_of(value, f"estimates.{key}", allow_zero=True))
                      for key, value in estimates.items() if str(value).strip() not in ("", "0", "0.00")},
        "social_security": amount_of(social_security, "social_security", allow_zero=True),
        "work_funds": amount_of(work_funds, "work_funds", allow_zero=True),
        "resettlement_housing": amount_of(resettlement_housing, "resettlement_housing", allow_zero=True),
        "approval_document": text_of(approval_document, "approval_document", "批准文号", 120),
        "approved_on": approved_on,
    }
    if not isinstance(approved_on, date) or approved_on > clock.today():
        raise InvalidInput("批准日期不能晚于今天。", field="approved_on")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        budget = ProjectBudget.objects.filter(project=project).first()
        before = audit.snapshot(budget, BUDGET_FIELDS) if budget else None
        budget = budget or ProjectBudget(project=project)
        for name, value in values.items():
            setattr(budget, name, value)
        budget.updated_by, budget.updated_at = actor, clock.now()
        budget.save()
        audit.record(actor=actor, action="funds.budget_set", obj=budget, before=before,
                     after=audit.snapshot(budget, BUDGET_FIELDS), reason=reason,
                     jurisdiction_path=_project_path(project))
        facts.refresh(actor=actor, project=project)
    return budget


def deposit_record(
    *,
    actor: User,
    project: Project,
    category: Any,
    amount: Any,
    received_on: date,
    bank_reference: str,
    receipt: bytes | None,
    receipt_name: str = "银行回单",
    receipt_type: str = "application/octet-stream",
) -> Deposit:
    """The owner's money arrives in the project special account, with the bank receipt as
    evidence (banan-2015 (五) 前置资金足额到位)."""
    require(actor, "funds.manage")
    category, amount = category_of(category), amount_of(amount, "amount")
    bank_reference = text_of(bank_reference, "bank_reference", "银行回单号", 60)
    if not isinstance(received_on, date) or received_on > clock.today():
        raise InvalidInput("到账日期不能晚于今天。", field="received_on")
    path = _project_path(project)
    with transaction.atomic():
        special = special_account(project)
        owner = Account.objects.get(project=project, kind=AccountKind.owner_funding)
        if Deposit.objects.filter(project=project, bank_reference=bank_reference).exists():
            raise InvalidInput(f"银行回单 {bank_reference} 已登记，不能重复入账。", field="bank_reference")
        evidence = _evidence(actor, receipt, receipt_name, receipt_type, path, "银行回单")
        entry = journal.post(actor=actor, project=project, kind=EntryKind.deposit,
                             lines=[(owner, category, -amount), (special, category, amount)],
                             memo=f"前置资金到位 回单 {bank_reference}")
        deposit = Deposit.objects.create(
            project=project, category=category.value, amount=amount, received_on=received_on,
            bank_reference=bank_reference, evidence=evidence, entry=entry, created_by=actor, created_at=clock.now(),
        )
        audit.record(actor=actor, action="funds.deposit", obj=deposit,
                     after=audit.snapshot(deposit, ["category", "amount", "received_on", "bank_reference", "entry"]),
                     jurisdiction_path=path)
        facts.refresh(actor=actor, project=project)
    return deposit


def social_security_review_record(
    *, actor: User, project: Project, reviewed_on: date, reviewer: str, document_no: str, amount_confirmed: Any,
    opinion: bytes | None, opinion_name: str = "审核意见", opinion_type: str = "application/octet-stream",
) -> SocialSecurityReview:
    """Record the social-security department's review of the funds (putian-2014 (十五): 征地报批前
    ... 须经人力资源和社会保障部门审核)."""
    require(actor, "funds.manage")
    amount = amount_of(amount_confirmed, "amount_confirmed", allow_zero=True)
    reviewer = text_of(reviewer, "reviewer", "审核部门及经办人", 120)
    document_no = text_of(document_no, "document_no", "审核意见文号", 120)
    if not isinstance(reviewed_on, date) or reviewed_on > clock.today():
        raise InvalidInput("审核日期不能晚于今天。", field="reviewed_on")
    path = _project_path(project)
    with transaction.atomic():
        evidence = _evidence(actor, opinion, opinion_name, opinion_type, path, "社保资金审核意见")
        review = SocialSecurityReview.objects.create(
            project=project, reviewed_on=reviewed_on, reviewer=reviewer, document_no=document_no,
            amount_confirmed=amount, evidence=evidence, created_by=actor, created_at=clock.now(),
        )
        audit.record(actor=actor, action="funds.social_security_review", obj=review,
                     after=audit.snapshot(review, ["reviewed_on", "reviewer", "document_no", "amount_confirmed"]),
                     reason=CLAUSE_SOCIAL_SECURITY, jurisdiction_path=path)
        facts.refresh(actor=actor, project=project)
    return review


# --- appropriations -----------------------------------------------------------------------


def appropriation_request(
    *, actor: User, project: Project, township: Jurisdiction, category: Any, amount: Any, purpose: str = ""
) -> Appropriation:
    """Ask to appropriate money from the project special account to a township special account."""
    require(actor, "funds.manage")
    category, amount = category_of(category), amount_of(amount, "amount")
    purpose = text_of(purpose, "purpose", "用途", 200, required=False)
    if not project.townships.filter(pk=township.pk).exists():
        raise InvalidInput(f"{township.name}不是本项目涉及的镇街。", field="township")
    with transaction.atomic():
        special_account(project)
        township_account(project, township)
        appropriation = Appropriation.objects.create(
            project=project, township=township, category=category.value, amount=amount, purpose=purpose,
            requested_by=actor, requested_at=clock.now(), jurisdiction_path=township.path,
        )
        audit.record(actor=actor, action="funds.appropriation_request", obj=appropriation,
                     after=audit.snapshot(appropriation, APPROPRIATION_FIELDS), jurisdiction_path=township.path)
    return appropriation


def _locked_appropriation(appropriation: Appropriation, actor: User) -> Appropriation:
    locked = Appropriation.objects.select_for_update().select_related("project", "township").get(pk=appropriation.pk)
    if locked.state != AppropriationState.REQUESTED:
        raise InvalidInput(f"该拨付申请已是“{locked.get_state_display()}”状态，不能再审批。", field="state")
    if locked.requested_by_id == actor.pk:
        raise InvalidInput("申请人不能审批自己的拨付申请。", field="state")
    return locked


def appropriation_approve(*, actor: User, appropriation: Appropriation, note: str = "") -> Appropriation:
    """Approve and post: project special account → township special account, never beyond the
    special account's available balance in that category (banan-2015 (五))."""
    require(actor, "appropriation.approve")
    note = text_of(note, "note", "审批意见", 200, required=False)
    with transaction.atomic():
        appropriation = _locked_appropriation(appropriation, actor)
        before = audit.snapshot(appropriation, APPROPRIATION_FIELDS)
        project, category = appropriation.project, Category(appropriation.category)
        entry = journal.post(
            actor=actor, project=project, kind=EntryKind.appropriation,
            lines=[(special_account(project), category, -appropriation.amount),
                   (township_account(project, appropriation.township), category, appropriation.amount)],
            memo=f"拨付{appropriation.township.name} {appropriation.purpose}".strip(),
        )
        appropriation.state, appropriation.entry = AppropriationState.APPROVED, entry
        appropriation.decided_by, appropriation.decided_at, appropriation.decision_note = actor, clock.now(), note
        appropriation.save(update_fields=["state", "entry", "decided_by", "decided_at", "decision_note"])
        audit.record(actor=actor, action="funds.appropriation_approve", obj=appropriation, before=before,
                     after=audit.snapshot(appropriation, APPROPRIATION_FIELDS),
                     jurisdiction_path=appropriation.jurisdiction_path)
    return appropriation


def appropriation_reject(*, actor: User, appropriation: Appropriation, note: str) -> Appropriation:
    require(actor, "appropriation.approve")
    note = text_of(note, "note", "退回理由", 200)
    with transaction.atomic():
        appropriation = _locked_appropriation(appropriation, actor)
        before = audit.snapshot(appropriation, APPROPRIATION_FIELDS)
        appropriation.state = AppropriationState.REJECTED
        appropriation.decided_by, appropriation.decided_at, appropriation.decision_note = actor, clock.now(), note
        appropriation.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit.record(actor=actor, action="funds.appropriation_reject", obj=appropriation, before=before,
                     after=audit.snapshot(appropriation, APPROPRIATION_FIELDS), reason=note,
                     jurisdiction_path=appropriation.jurisdiction_path)
    return appropriation


# --- transfers and reversals --------------------------------------------------------------


def transfer_record(
    *,
    actor: User,
    source: Account,
    target: Account,
    category: Any,
    amount: Any,
    reason: str,
    to_category: Any = None,
    approver_name: str = "",
    approval: bytes | None = None,
    approval_name: str = "批准文件",
    approval_type: str = "application/octet-stream",
) -> Transfer:
    """调剂 between special accounts or categories. Between two projects only with the written
    approval of the district government's principal leader attached (banan-2015 (五): 严禁征地
    项目之间私自互相拆借、挪用、调度 ... 确需调剂的，须报经区政府主要领导批准)."""
    require(actor, "funds.manage")
    category, amount = category_of(category), amount_of(amount, "amount")
    to_category = category_of(to_category) if to_category else category
    reason = text_of(reason, "reason", "调剂理由", 300)
    approver_name = text_of(approver_name, "approver_name", "批准人", 60, required=False)
    if source.pk == target.pk and category == to_category:
        raise InvalidInput("调出和调入的账户、类别相同，无需调剂。", field="target")
    cross = source.project_id != target.project_id
    if cross and not (approver_name and approval):
        raise GateClosed("项目之间调剂资金须报经区政府主要领导批准：请填写批准人并上传批准文件", clause=CLAUSE_FUNDS)
    project = source.project
    path = _project_path(project)
    with transaction.atomic():
        evidence = _evidence(actor, approval, approval_name, approval_type, path, "调剂批准文件") if cross else None
        entry = journal.post(
            actor=actor, project=project, kind=EntryKind.transfer,
            lines=[(source, category, -amount), (target, to_category, amount)],
            memo=f"调剂：{reason}"[:200], approvals=[DISTRICT_PRINCIPAL_APPROVAL] if cross else [],
        )
        transfer = Transfer.objects.create(
            project=project, target_project_id=target.project_id, source=source, target=target,
            category=category.value, to_category=to_category.value, amount=amount, reason=reason,
            approver_name=approver_name if cross else "", approval_evidence=evidence, entry=entry,
            created_by=actor, created_at=clock.now(),
        )
        audit.record(actor=actor, action="funds.transfer", obj=transfer,
                     after=audit.snapshot(transfer, ["source", "target", "category", "to_category", "amount",
                                                     "approver_name", "approval_evidence", "entry"]),
                     reason=reason, jurisdiction_path=path)
        facts.refresh(actor=actor, project=project)
        if cross:
            facts.refresh(actor=actor, project=target.project)
    return transfer


def entry_reverse(*, actor: User, entry: JournalEntry, reason: str) -> JournalEntry:
    """Correct a deposit, appropriation or transfer by a reversing entry (冲销); nothing is
    edited or deleted. Payments are corrected through the bank (failed lines are re-queued)."""
    require(actor, "entry.reverse")
    reason = text_of(reason, "reason", "冲销原因", 200)
    if entry.kind in (EntryKind.payment, EntryKind.bank_return):
        raise InvalidInput("付款凭证不能直接冲销：到账以银行回盘为准，失败的付款重新排队。", field="entry")
    with transaction.atomic():
        entry = JournalEntry.objects.select_for_update().select_related("project").get(pk=entry.pk)
        reversal = journal.reverse(actor=actor, entry=entry, memo=f"冲销凭证 {entry.pk}：{reason}")
        appropriation = Appropriation.objects.select_for_update().filter(entry=entry).first()
        if appropriation is not None:
            appropriation.state = AppropriationState.REVERSED
            appropriation.save(update_fields=["state"])
        audit.record(actor=actor, action="funds.entry_reverse", obj=reversal,
                     after={"reverses": entry.pk, "kind": entry.kind}, reason=reason,
                     jurisdiction_path=_project_path(entry.project))
        facts.refresh(actor=actor, project=entry.project)
    return reversal


# --- collective publication ---------------------------------------------------------------


def collective_publish(
    *, actor: User, account: Account, period_start: date, published_on: date, place: str,
    photo: bytes | None, photo_name: str = "公布照片", photo_type: str = "application/octet-stream",
) -> CollectivePublication:
    """Record that a collective account's half-year statement was posted (putian-2014 (十):
    收支情况应每六个月公布一次)."""
    require(actor, "funds.manage")
    if account.kind != AccountKind.collective:
        raise InvalidInput("只有集体账户需要公布收支。", field="account")
    start, end = half_year(period_start)
    if published_on > clock.today() or published_on < end:
        raise InvalidInput(f"公布日期应在期间结束（{end}）之后、且不晚于今天。", field="published_on")
    place = text_of(place, "place", "公布地点/方式", 200)
    with transaction.atomic():
        if CollectivePublication.objects.filter(account=account, period_start=start).exists():
            raise InvalidInput(f"{start}—{end} 的收支已登记公布。", field="period_start")
        evidence = _evidence(actor, photo, photo_name, photo_type, account.jurisdiction_path, "集体收支公布照片")
        publication = CollectivePublication.objects.create(
            account=account, period_start=start, period_end=end, published_on=published_on, place=place,
            evidence=evidence, created_by=actor, created_at=clock.now(),
        )
        audit.record(actor=actor, action="funds.collective_publish", obj=publication,
                     after=audit.snapshot(publication, ["period_start", "period_end", "published_on", "place"]),
                     reason=CLAUSE_COLLECTIVE, jurisdiction_path=account.jurisdiction_path)
    return publication
