"""Funds (资金管理): accounts, the double-entry journal, and the documents that move money
(banan-2015 (五); putian-2014 (七)(十)(十五)).

Every movement of money is a ``JournalEntry`` whose ``Posting`` rows sum to zero; both tables
are append-only (PostgreSQL triggers in migration 0002: UPDATE/DELETE refused, and a deferred
constraint trigger refuses at commit an entry whose postings do not balance). Balances are
never stored: they are sums of postings, per account and fee category, at any date.

The documents (deposit, appropriation, transfer, payment, bank batch and return) record who
asked, who approved and why; each one that moved money points at its entry.

Scope: project-level rows are visible with their project; township rows (appropriations,
township accounts, bank batches) and household rows (payments, real-name accounts) also need
their ``jurisdiction_path`` inside the user's subtree (selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import EvidenceFile, Jurisdiction
from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.households.models import Household, HouseholdMember
from zhengqian.projects.models import Project

CLAUSE_FUNDS = "banan-2015 (五)"
CLAUSE_PAYMENT = "putian-2014 (七)"
CLAUSE_COLLECTIVE = "putian-2014 (十)"
CLAUSE_SOCIAL_SECURITY = "putian-2014 (十五)"

MONEY = {"max_digits": 16, "decimal_places": 2}
ACCOUNT_KINDS = [(kind.value, kind.label) for kind in AccountKind]
CATEGORIES = [(category.value, category.label) for category in Category]
ENTRY_KINDS = [(kind.value, kind.label) for kind in EntryKind]
PAYMENT_STATES = [(state.value, state.label) for state in PaymentState]
_USER = settings.AUTH_USER_MODEL


def _valid(field: str, choices: list[tuple[str, str]]) -> Q:
    return Q(**{f"{field}__in": [value for value, _ in choices]})


# --- accounts -----------------------------------------------------------------------------


class Account(models.Model):
    """An account of a project (资金专户 / 专帐). The project special account is unique per
    project; township special accounts are one per (project, township) — the township's
    专户 keeps a 专帐 per project (banan-2015 (五)); collective accounts one per (project,
    village); a household's real-name account (实名账户, putian-2014 (七)) one per account number.
    The bank clearing account (``project`` empty) is shared."""

    code = models.CharField("账户编号", max_length=120, unique=True)
    kind = models.CharField("账户类型", max_length=20, choices=ACCOUNT_KINDS)
    project = models.ForeignKey(
        Project, verbose_name="征地项目", null=True, blank=True, on_delete=models.PROTECT, related_name="fund_accounts"
    )
    township = models.ForeignKey(
        Jurisdiction, verbose_name="镇街", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Jurisdiction, verbose_name="村/社区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="fund_accounts"
    )
    holder = models.ForeignKey(
        HouseholdMember, verbose_name="账户户名（家庭成员）", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("户名", max_length=120)
    bank_name = models.CharField("开户银行", max_length=80, blank=True)
    account_no = models.CharField("账号", max_length=40, blank=True)
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)
    created_at = models.DateTimeField("开立时间")

    class Meta:
        verbose_name = "资金账户"
        verbose_name_plural = "资金账户"
        ordering = ["project_id", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(kind="project_special"), name="funds_one_special_account_per_project"
            ),
            models.UniqueConstraint(
                fields=["project", "kind"], condition=Q(kind__in=["owner_funding", "social_security"]),
                name="funds_one_owner_and_social_account_per_project",
            ),
            models.UniqueConstraint(
                fields=["project", "township"], condition=Q(kind="township_special"),
                name="funds_one_township_account_per_project",
            ),
            models.UniqueConstraint(
                fields=["project", "village"], condition=Q(kind="collective"),
                name="funds_one_collective_account_per_project_village",
            ),
            models.UniqueConstraint(
                fields=["household", "account_no"], condition=Q(kind="household"),
                name="funds_household_account_once",
            ),
            models.CheckConstraint(name="funds_account_kind_valid", condition=_valid("kind", ACCOUNT_KINDS)),
            models.CheckConstraint(
                name="funds_account_shape",
                condition=(
                    Q(kind="bank_clearing", project__isnull=True)
                    | (~Q(kind="bank_clearing") & Q(project__isnull=False))
                )
                & (~Q(kind="township_special") | Q(township__isnull=False))
                & (~Q(kind="collective") | Q(village__isnull=False))
                & (~Q(kind="household") | (Q(household__isnull=False, holder__isnull=False) & ~Q(account_no=""))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def masked_account_no(self) -> str:
        number = self.account_no
        return f"{'*' * max(len(number) - 4, 0)}{number[-4:]}" if number else ""


# --- the journal (append-only) ------------------------------------------------------------


class JournalEntry(models.Model):
    """One movement of money (记账凭证). Never changed: corrected by a reversing entry."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("业务类型", max_length=20, choices=ENTRY_KINDS)
    on = models.DateField("记账日期")
    memo = models.CharField("摘要", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name="冲销的分录", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    approvals = models.JSONField("批准", default=list, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记账时间")

    class Meta:
        verbose_name = "记账凭证"
        verbose_name_plural = "记账凭证"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="funds_entry_kind_valid", condition=_valid("kind", ENTRY_KINDS)),
            models.CheckConstraint(
                name="funds_entry_reversal_shape",
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["project", "on"])]

    def __str__(self) -> str:
        return f"凭证 {self.pk} {self.get_kind_display()}"


class Posting(models.Model):
    """One line of an entry: positive = into the account (借), negative = out of it (贷)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    category = models.CharField("资金类别", max_length=30, choices=CATEGORIES)
    amount = models.DecimalField("金额", **MONEY)

    class Meta:
        verbose_name = "分录"
        verbose_name_plural = "分录"
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(name="funds_posting_not_zero", condition=~Q(amount=0)),
            models.CheckConstraint(name="funds_posting_category_valid", condition=_valid("category", CATEGORIES)),
        ]
        indexes = [models.Index(fields=["account", "category"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.category} {self.amount}"


# --- budget, deposits, social-security review ---------------------------------------------


class ProjectBudget(models.Model):
    """The approved pre-funding budget (前置资金, banan-2015 (五)): estimates per category
    (until valuations exceed them) plus social security, work funds and resettlement housing."""

    project = models.OneToOneField(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="budget")
    estimates = models.JSONField("补偿测算（按类别）", default=dict, blank=True)
    social_security = models.DecimalField("社会保障资金", **MONEY, default=0)
    work_funds = models.DecimalField("工作经费", **MONEY, default=0)
    resettlement_housing = models.DecimalField("安置房建设及回购资金", **MONEY, default=0)
    approval_document = models.CharField("批准文号", max_length=120)
    approved_on = models.DateField("批准日期")
    updated_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "前置资金预算"
        verbose_name_plural = "前置资金预算"
        constraints = [
            models.CheckConstraint(
                name="funds_budget_not_negative",
                condition=Q(social_security__gte=0, work_funds__gte=0, resettlement_housing__gte=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} 前置资金预算"


class Deposit(models.Model):
    """The project owner's money received in the project special account, with the bank receipt."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="deposits")
    category = models.CharField("资金类别", max_length=30, choices=CATEGORIES)
    amount = models.DecimalField("金额", **MONEY)
    received_on = models.DateField("到账日期")
    bank_reference = models.CharField("银行回单号", max_length=60)
    evidence = models.ForeignKey(EvidenceFile, verbose_name="银行回单", on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="deposit")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "资金到位"
        verbose_name_plural = "资金到位"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "bank_reference"], name="funds_deposit_receipt_once"),
            models.CheckConstraint(name="funds_deposit_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} 到位 {self.amount}"


class SocialSecurityReview(models.Model):
    """The human-resources and social-security department's review of the social-security
    funds, required before the approval request (putian-2014 (十五))."""

    project = models.ForeignKey(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="social_security_reviews"
    )
    reviewed_on = models.DateField("审核日期")
    reviewer = models.CharField("审核部门及经办人", max_length=120)
    document_no = models.CharField("审核意见文号", max_length=120)
    amount_confirmed = models.DecimalField("核定落实金额", **MONEY)
    evidence = models.ForeignKey(EvidenceFile, verbose_name="审核意见", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "社保资金审核"
        verbose_name_plural = "社保资金审核"
        ordering = ["-reviewed_on", "-id"]
        constraints = [models.CheckConstraint(name="funds_review_positive", condition=Q(amount_confirmed__gte=0))]

    def __str__(self) -> str:
        return f"{self.project.code} 社保审核 {self.document_no}"


# --- appropriations and transfers ---------------------------------------------------------


class AppropriationState(models.TextChoices):
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已拨付"
    REJECTED = "rejected", "已退回"
    REVERSED = "reversed", "已冲销"


class Appropriation(models.Model):
    """The expropriation office appropriates to a township special account, per project and
    category, once approved (banan-2015 (五): 由区征地办拨付到各镇街专户统一支付)."""

    project = models.ForeignKey(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="appropriations"
    )
    township = models.ForeignKey(Jurisdiction, verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("资金类别", max_length=30, choices=CATEGORIES)
    amount = models.DecimalField("金额", **MONEY)
    purpose = models.CharField("用途", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=AppropriationState.choices, default=AppropriationState.REQUESTED
    )
    requested_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="appropriation"
    )
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "资金拨付"
        verbose_name_plural = "资金拨付"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(name="funds_appropriation_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="funds_appropriation_state_valid", condition=Q(state__in=AppropriationState.values)
            ),
            models.CheckConstraint(
                name="funds_appropriation_posted_when_approved",
                condition=Q(state__in=["approved", "reversed"], entry__isnull=False)
                | (~Q(state__in=["approved", "reversed"]) & Q(entry__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"拨付 {self.township} {self.amount}"


class Transfer(models.Model):
    """调剂: between categories of a project, or between projects only with the approval of the
    district government's principal leader attached (banan-2015 (五))."""

    project = models.ForeignKey(
        Project, verbose_name="调出项目", on_delete=models.PROTECT, related_name="transfers_out"
    )
    target_project = models.ForeignKey(
        Project, verbose_name="调入项目", on_delete=models.PROTECT, related_name="transfers_in"
    )
    source = models.ForeignKey(Account, verbose_name="调出账户", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Account, verbose_name="调入账户", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("调出类别", max_length=30, choices=CATEGORIES)
    to_category = models.CharField("调入类别", max_length=30, choices=CATEGORIES)
    amount = models.DecimalField("金额", **MONEY)
    reason = models.CharField("调剂理由", max_length=300)
    approver_name = models.CharField("批准人（区政府主要领导）", max_length=60, blank=True)
    approval_evidence = models.ForeignKey(
        EvidenceFile, verbose_name="批准文件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="transfer")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "资金调剂"
        verbose_name_plural = "资金调剂"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="funds_transfer_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="funds_transfer_cross_project_approved",
                condition=Q(project=models.F("target_project"))
                | (~Q(approver_name="") & Q(approval_evidence__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"调剂 {self.amount}"


# --- payments, bank batches and returns ---------------------------------------------------


class PayeeKind(models.TextChoices):
    HOUSEHOLD = "household", "农户实名账户"
    COLLECTIVE = "collective", "集体账户"


class Payment(models.Model):
    """One payee line of a signed agreement, paid from the township special account into a
    household member's real-name account or the collective's account (putian-2014 (七)(十)).
    Approved payments earmark money in the township account; the payment entry is posted when
    the bank confirms it."""

    number = models.CharField("付款编号", max_length=30, unique=True)
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="payments")
    agreement = models.ForeignKey(
        "compensation.Agreement", verbose_name="补偿协议", on_delete=models.PROTECT, related_name="payments"
    )
    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="payments")
    payee_kind = models.CharField("收款方", max_length=20, choices=PayeeKind.choices)
    payee_account = models.ForeignKey(Account, verbose_name="收款账户", on_delete=models.PROTECT, related_name="+")
    source_account = models.ForeignKey(Account, verbose_name="付款专户", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("资金类别", max_length=30, choices=CATEGORIES)
    amount = models.DecimalField("金额", **MONEY)
    state = models.CharField("状态", max_length=20, choices=PAYMENT_STATES, default=PaymentState.planned.value)
    approved_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送银行时间", null=True, blank=True)
    paid_on = models.DateField("到账日期", null=True, blank=True)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    attempts = models.PositiveIntegerField("发送次数", default=0)
    batch = models.ForeignKey(
        "BankBatch", verbose_name="当前批次", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="payment")
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "付款"
        verbose_name_plural = "付款"
        ordering = ["project_id", "household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "payee_kind", "category"], condition=~Q(state="cancelled"),
                name="funds_payment_once_per_agreement_line",
            ),
            models.CheckConstraint(name="funds_payment_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="funds_payment_state_valid", condition=_valid("state", PAYMENT_STATES)),
            models.CheckConstraint(
                name="funds_payment_posted_when_paid",
                condition=Q(state="paid", entry__isnull=False) | (~Q(state="paid") & Q(entry__isnull=True)),
            ),
            models.CheckConstraint(
                name="funds_payment_approved_has_approver",
                condition=Q(state__in=["planned", "cancelled", "failed"]) | Q(approved_by__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["project", "state"]), models.Index(fields=["source_account", "state"])]

    def __str__(self) -> str:
        return f"{self.number} {self.amount}"


class BankBatch(models.Model):
    """Approved payments of one township special account sent to the bank as one file."""

    number = models.CharField("批次号", max_length=30, unique=True)
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="bank_batches")
    account = models.ForeignKey(Account, verbose_name="付款专户", on_delete=models.PROTECT, related_name="+")
    line_count = models.PositiveIntegerField("笔数")
    total = models.DecimalField("合计金额", **MONEY)
    checksum = models.CharField("校验码", max_length=16)
    content = models.TextField("批次文件")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "银行批次"
        verbose_name_plural = "银行批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class LineOutcome(models.TextChoices):
    PENDING = "", "待回盘"
    PAID = "paid", "成功"
    FAILED = "failed", "失败"


class BankBatchLine(models.Model):
    """What the batch file said about one payment, and what the bank answered."""

    batch = models.ForeignKey(BankBatch, on_delete=models.PROTECT, related_name="lines")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="batch_lines")
    seq = models.PositiveIntegerField("序号")
    payee_name = models.CharField("收款人", max_length=120)
    account_no = models.CharField("账号", max_length=40)
    bank_name = models.CharField("开户行", max_length=80, blank=True)
    amount = models.DecimalField("金额", **MONEY)
    outcome = models.CharField("银行结果", max_length=10, choices=LineOutcome.choices, blank=True, default="")
    reason = models.CharField("失败原因", max_length=200, blank=True)
    bank_return = models.ForeignKey(
        "BankReturn", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )

    class Meta:
        verbose_name = "批次明细"
        verbose_name_plural = "批次明细"
        ordering = ["batch_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "payment"], name="funds_batch_payment_once"),
            models.UniqueConstraint(fields=["batch", "seq"], name="funds_batch_seq_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.seq}"


class BankReturn(models.Model):
    """One imported bank return file; its SHA-256 is unique, so a file is posted once."""

    batch = models.ForeignKey(BankBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="returns")
    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField("文件名", max_length=255)
    content = models.TextField("回盘文件")
    paid_count = models.PositiveIntegerField("成功笔数", default=0)
    paid_total = models.DecimalField("成功金额", **MONEY, default=0)
    failed_count = models.PositiveIntegerField("失败笔数", default=0)
    problems = models.JSONField("差异", default=dict, blank=True)
    imported_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间")

    class Meta:
        verbose_name = "银行回盘"
        verbose_name_plural = "银行回盘"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.batch} 回盘 {self.sha256[:8]}"


class IdempotencyRecord(models.Model):
    """An API request made with an ``Idempotency-Key``: the same key and body give the stored
    answer again; the same key with another body is refused (409)."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    user = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "幂等请求"
        verbose_name_plural = "幂等请求"

    def __str__(self) -> str:
        return self.key


class CollectivePublication(models.Model):
    """A collective account statement posted for the members, every six months (putian-2014 (十))."""

    account = models.ForeignKey(Account, verbose_name="集体账户", on_delete=models.PROTECT, related_name="publications")
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    published_on = models.DateField("公布日期")
    place = models.CharField("公布地点/方式", max_length=200)
    evidence = models.ForeignKey(EvidenceFile, verbose_name="公布照片", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "集体收支公布"
        verbose_name_plural = "集体收支公布"
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period_start"], name="funds_publication_once_per_period"),
            models.CheckConstraint(
                name="funds_publication_period", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.period_start}—{self.period_end}"
