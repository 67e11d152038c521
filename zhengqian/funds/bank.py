"""Bank batches out, bank returns in (docs/bank-batch-format.md; putian-2014 (七) 实名活期储蓄).

``batch_create`` sends every approved payment of one township special account as one batch
file (header, lines, trailer with count, total and checksum; domain.bank_files.batch_lines)
and marks them sent. ``return_import`` reads the bank's answer in one transaction: the file's
SHA-256 is recorded (unique), each line is matched to a payment still waiting in the batch,
paid lines are posted, failed lines re-queued; a file whose trailer disagrees with its lines
is refused whole, and unknown, duplicate or mismatched lines are reported, never posted. A
crash half-way leaves nothing behind, and a rerun of the same file is refused as a repeat
only once it has been posted.
"""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal
from uuid import uuid4

from django.db import IntegrityError, transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain.bank_files import BatchPayment, PaymentState, batch_lines, parse_return, transition
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.domain.money import sum_money

from . import facts, journal, payments
from .models import CLAUSE_PAYMENT, Account, BankBatch, BankBatchLine, BankReturn, LineOutcome, Payment

BATCH_FIELDS = ["number", "line_count", "total", "checksum"]


def _memo(payment: Payment) -> str:
    return f"{payment.agreement.number} {Category(payment.category).label}"


def batch_create(*, actor: User, account: Account) -> BankBatch:
    """Export the approved payments of a township special account as one bank batch and mark
    them sent (money in flight until the bank answers)."""
    require(actor, "bank.exchange")
    if account.kind != AccountKind.township_special:
        raise InvalidInput("银行批次只能从镇街专户发出（镇街专户统一支付）。", clause="banan-2015 (五)",
                           field="account")
    with transaction.atomic():
        journal.lock([account.pk])
        queued = list(
            Payment.objects.select_for_update().filter(source_account=account, state=PaymentState.approved)
            .select_related("agreement", "household", "payee_account").order_by("id")
        )
        if not queued:
            raise InvalidInput("该专户没有已审批待发送的付款。", field="account")
        for payment in queued:
            payments._refuse_agreement(payment.agreement)
            payments.check_payee(payment, payment.payee_account)
        rows = [
            BatchPayment(payment_id=p.number, payee_name=p.payee_account.name,
                         account_number=p.payee_account.account_no, bank=p.payee_account.bank_name, amount=p.amount,
                         memo=_memo(p))
            for p in queued
        ]
        lines = batch_lines(rows)
        trailer = next(csv.reader([lines[-1]]))
        now = clock.now()
        batch = BankBatch.objects.create(
            number=f"tmp-{uuid4().hex[:24]}", project_id=account.project_id, account=account, line_count=len(rows),
            total=sum_money(p.amount for p in queued), checksum=trailer[3], content="\n".join(lines) + "\n",
            created_by=actor, created_at=now, jurisdiction_path=account.jurisdiction_path,
        )
        batch.number = f"PC{batch.pk:06d}"
        batch.save(update_fields=["number"])
        BankBatchLine.objects.bulk_create(
            BankBatchLine(batch=batch, payment=p, seq=seq, payee_name=row.payee_name, account_no=row.account_number,
                          bank_name=row.bank, amount=p.amount)
            for seq, (p, row) in enumerate(zip(queued, rows, strict=True), start=1)
        )
        for payment in queued:
            payment.state = transition(PaymentState(payment.state), payments.PaymentEvent.send).value
            payment.batch, payment.sent_at, payment.updated_at = batch, now, now
            payment.attempts += 1
        Payment.objects.bulk_update(queued, ["state", "batch", "sent_at", "updated_at", "attempts"])
        audit.record(actor=actor, action="bank.batch_create", obj=batch, after=audit.snapshot(batch, BATCH_FIELDS),
                     jurisdiction_path=batch.jurisdiction_path)
    return batch


def batch_xlsx(batch: BankBatch) -> bytes:
    """The batch file's lines as a worksheet: the same cells as the CSV, every one as text
    (amounts keep their two decimals exactly; no floating point)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("付款批次")
    text = workbook.add_format({"num_format": "@"})
    for row, fields in enumerate(csv.reader(batch.content.splitlines())):
        for column, value in enumerate(fields):
            sheet.write_string(row, column, value, text)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 6, 18)
    workbook.close()
    return buffer.getvalue()


def _duplicate_ids(lines: tuple[str, ...]) -> set[str]:
    return {row[0].strip() for row in csv.reader(lines) if row}


def return_import(*, actor: User, batch: BankBatch, content: bytes, file_name: str = "回盘文件.csv") -> BankReturn:
    """Import the bank's return file for ``batch`` (one transaction; see the module docstring)."""
    require(actor, "bank.exchange")
    sha256 = hashlib.sha256(content).hexdigest()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("回盘文件须为 UTF-8 编码的 CSV。", field="file") from None
    try:
        with transaction.atomic():
            return _import(actor, batch, text, sha256, file_name)
    except IntegrityError:
        if BankReturn.objects.filter(sha256=sha256).exists():
            raise InvalidInput("此回盘文件已导入过，不会重复入账。", field="file") from None
        raise


def _import(actor: User, batch: BankBatch, text: str, sha256: str, file_name: str) -> BankReturn:
    batch = BankBatch.objects.select_for_update().get(pk=batch.pk)
    earlier = BankReturn.objects.filter(sha256=sha256).first()
    if earlier is not None:
        at = earlier.imported_at.astimezone(clock.LOCAL_ZONE)
        raise InvalidInput(f"此回盘文件已导入过（{at:%Y-%m-%d %H:%M}），不会重复入账。", field="file")
    waiting = {
        line.payment.number: line
        for line in batch.lines.select_related("payment").filter(outcome=LineOutcome.PENDING)
        if line.payment.state == PaymentState.sent and line.payment.batch_id == batch.pk
    }
    result = parse_return(text, {number: line.amount for number, line in waiting.items()})
    if result.total_mismatch or not result.checksum_ok:
        raise InvalidInput(
            f"回盘文件尾行与明细不符（声明 {result.declared_count} 笔 {result.declared_total} 元，明细 "
            f"{result.line_count} 笔 {result.line_total} 元{'，校验码不符' if not result.checksum_ok else ''}），"
            "文件不完整或被改动，未入账。", field="file")
    conflicting = _duplicate_ids(result.duplicates)
    received = BankReturn.objects.create(
        batch=batch, sha256=sha256, file_name=file_name[:255], content=text, imported_by=actor,
        imported_at=clock.now(),
    )
    paid_total = Decimal("0.00")
    paid_count = failed_count = 0
    for number, amount in result.paid.items():
        if number in conflicting:
            continue
        line = waiting[number]
        payments.confirm_paid(actor, line.payment)
        line.outcome, line.bank_return = LineOutcome.PAID, received
        line.save(update_fields=["outcome", "bank_return"])
        paid_total += amount
        paid_count += 1
    for number, reason in result.failed.items():
        if number in conflicting:
            continue
        line = waiting[number]
        payments.record_failure(actor, line.payment, reason)
        line.outcome, line.reason, line.bank_return = LineOutcome.FAILED, reason[:200], received
        line.save(update_fields=["outcome", "reason", "bank_return"])
        failed_count += 1
    received.paid_count, received.paid_total, received.failed_count = paid_count, paid_total, failed_count
    received.problems = {
        "unknown": list(result.unknown),
        "duplicates": list(result.duplicates),
        "conflicting": sorted(conflicting & set(waiting)),
        "amount_mismatch": {k: [str(a), str(b)] for k, (a, b) in result.amount_mismatch.items()},
        "missing": list(result.missing),
    }
    received.save(update_fields=["paid_count", "paid_total", "failed_count", "problems"])
    audit.record(actor=actor, action="bank.return_import", obj=received,
                 after={"sha256": sha256, "paid": paid_count, "failed": failed_count,
                        "problems": {k: len(v) for k, v in received.problems.items()}},
                 reason=CLAUSE_PAYMENT, jurisdiction_path=batch.jurisdiction_path)
    if paid_count:
        facts.refresh(actor=actor, project=batch.project)
    return received
