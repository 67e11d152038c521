"""Demo funds, after the compensation and procedure demos: in BN-2026-002 (the project with
signed agreements) the special account and township ledgers are opened, the budget approved,
the owner's pre-funding deposited with receipts, the social-security review recorded, money
appropriated to the township, the signed agreements' payments approved and sent in a bank
batch, and the bank's return imported with one failed line (re-queued) and one line naming no
payment — the one difference the reconciliation lists. Idempotent: a project with accounts is
left alone."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from zhengqian.compensation.models import Agreement
from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.domain.bank_files import ReturnRow, return_lines
from zhengqian.domain.errors import DomainError
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import actions, agreements, bank, payments, reports, selectors
from .models import Account

DEMO_PROJECT = "BN-2026-002"
RECEIPT = b"%PDF-1.4\n% demo bank receipt\n"
STRAY = ReturnRow("ZF99999999", Decimal("1200.00"), True)  # a line the bank returned that we never sent


def _round_up(amount: Decimal, step: int = 10_000) -> Decimal:
    return Decimal(-(-int(amount) // step) * step).quantize(Decimal("0.01"))


def load(log: Callable[[str], None]) -> None:
    project = Project.objects.filter(code=DEMO_PROJECT).first()
    if project is None or Account.objects.filter(project=project).exists():
        return
    office, finance = User.objects.get(username="office"), User.objects.get(username="finance")
    actions.accounts_open(actor=office, project=project, bank_name="重庆农村商业银行巴南支行",
                          account_no="6228480012345678901")
    villages = Jurisdiction.objects.filter(pk__in=Household.objects.filter(project=project).values("village"))
    for index, village in enumerate(villages.order_by("code")):
        actions.collective_account_open(actor=office, project=project, village=village,
                                        name=f"{village.name}股份经济合作联合社", bank_name="重庆农村商业银行",
                                        account_no=f"62305500{index:08d}")
    valued = agreements.valuation_totals(project)
    social = _round_up(valued.pop(Category.social_security, Decimal(0)) or Decimal(100_000))
    estimates = {category.value: str(_round_up(amount)) for category, amount in valued.items() if amount}
    actions.budget_set(actor=office, project=project, estimates=estimates, social_security=social,
                       work_funds="200000.00", resettlement_housing="0", reason="演示：按测算及估价核定",
                       approval_document=f"巴南府办〔{clock.today().year}〕{project.pk + 40}号",
                       approved_on=clock.today())
    for number, (category, amount) in enumerate(sorted((selectors.budget_amounts(project) or {}).items()), 1):
        if amount:
            actions.deposit_record(actor=finance, project=project, category=category, amount=amount,
                                   received_on=clock.today(), bank_reference=f"HD{project.pk:03d}{number:04d}",
                                   receipt=RECEIPT + f"{category} {amount}".encode(), receipt_name=f"回单{number}.pdf",
                                   receipt_type="application/pdf")
    actions.social_security_review_record(
        actor=office, project=project, reviewed_on=clock.today(), reviewer="区人力社保局 养老保险科",
        document_no=f"巴南人社审〔{clock.today().year}〕{project.pk}号", amount_confirmed=social,
        opinion=b"%PDF-1.4\n% demo review\n", opinion_name="社保资金审核意见.pdf", opinion_type="application/pdf")
    special = Account.objects.get(project=project, kind=AccountKind.project_special)
    fund = Account.objects.get(project=project, kind=AccountKind.social_security)
    actions.transfer_record(actor=office, source=special, target=fund, category=Category.social_security,
                            amount=social, reason="社会保障资金划入社保资金专户")
    signed = Agreement.objects.filter(pk__in=agreements.governing_ids(project.pk)).select_related("household__village")
    need: dict[tuple[int, Category], Decimal] = {}
    for agreement in signed:
        township = agreement.household.village.parent_id
        for (_, category), amount in agreements.payable_lines(agreement).items():
            need[(township, category)] = need.get((township, category), Decimal(0)) + amount
    for (township_id, category), amount in sorted(need.items()):
        request = actions.appropriation_request(
            actor=office, project=project, township=Jurisdiction.objects.get(pk=township_id), category=category,
            amount=_round_up(amount * Decimal("1.2")), purpose="首批补偿款")
        actions.appropriation_approve(actor=finance, appropriation=request, note="同意拨付")
    log(f"{project.code}：专户已开立，前置资金{'已' if selectors.funds_in_place(project) else '未'}足额到位，"
        f"拨付镇街 {len(need)} 笔")
    _pay(project, office, finance, list(signed), log)


def _pay(project: Project, office: User, finance: User, signed: list[Agreement], log: Callable[[str], None]) -> None:
    planned = []
    for agreement in signed:
        try:
            planned += payments.payments_plan(actor=office, agreement=agreement)
        except DomainError as refusal:
            log(f"{agreement.number} 未能生成付款计划：{refusal}")
    for payment in planned:
        payments.payment_approve(actor=finance, payment=payment)
    stray = [STRAY]
    for account in Account.objects.filter(project=project, kind=AccountKind.township_special):
        if account.pk not in {p.source_account_id for p in planned}:
            continue
        batch = bank.batch_create(actor=finance, account=account)
        lines = list(batch.lines.select_related("payment"))
        rows = [ReturnRow(line.payment.number, line.amount, line.seq != 2, "" if line.seq != 2 else "户名与账号不符")
                for line in lines]
        content = "\n".join(return_lines([*rows, *stray])) + "\n"
        stray = []  # one stray line in all: the one difference of the demo
        received = bank.return_import(actor=finance, batch=batch, content=content.encode(),
                                      file_name=f"{batch.number}回盘.csv")
        log(f"银行批次 {batch.number}：{batch.line_count} 笔，回盘成功 {received.paid_count} 笔、"
            f"失败 {received.failed_count} 笔（已重新排队）")
    differences = reports.reconciliation(project).differences
    log(f"{project.code} 对账差异 {len(differences)} 处" + (f"：{differences[0].note}" if differences else ""))
