"""Bank batches out and returns in; reconciliation (putian-2014 (七); docs/bank-batch-format.md)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.bank_files import PaymentState, ReturnRow, return_lines, verify_batch
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.ledger import AccountKind
from zhengqian.funds import bank, payments, reports, selectors
from zhengqian.funds.models import Account, BankReturn, JournalEntry, Payment, Posting

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(funded, office_user, finance_user, agreement, project_a, township_a):
    """All four payments of the agreement approved and sent in one batch."""
    for payment in factories.plan(office_user, agreement):
        payments.payment_approve(actor=finance_user, payment=payment)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special, township=township_a)
    return bank.batch_create(actor=finance_user, account=account)


def answer(batch, outcome=None, extra=(), drop=()):
    """The bank's return file: every line paid unless ``outcome`` says otherwise."""
    outcome = outcome or {}
    rows = [ReturnRow(line.payment.number, line.amount, outcome.get(line.seq, True) is True,
                      "" if outcome.get(line.seq, True) is True else outcome[line.seq])
            for line in batch.lines.select_related("payment") if line.seq not in drop]
    return ("\n".join(return_lines([*rows, *extra])) + "\n").encode()


def test_batch_file_layout(sent):
    lines = sent.content.splitlines()
    verify_batch(lines)
    assert lines[0] == "序号,收款人,账号,开户行,金额,摘要,付款编号"
    assert lines[-1].startswith(f"合计,4,{sent.total:.2f},")
    assert sent.total == Decimal("101500.50") and sent.line_count == 4
    assert set(Payment.objects.values_list("state", flat=True)) == {PaymentState.sent}
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(bank.batch_xlsx(sent))).get_sheet_by_index(0).to_python()
    assert [str(cell) for cell in sheet[-1] if cell != ""] == lines[-1].split(",")


def test_unapproved_payments_are_not_sent(funded, office_user, finance_user, agreement, project_a, township_a):
    factories.plan(office_user, agreement)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special)
    with pytest.raises(InvalidInput, match="没有已审批"):
        bank.batch_create(actor=finance_user, account=account)
    with pytest.raises(PermissionDeniedError):
        bank.batch_create(actor=office_user, account=account)


def test_return_posts_paid_and_requeues_failed(sent, finance_user, project_a):
    first = sent.lines.get(seq=1)
    received = bank.return_import(actor=finance_user, batch=sent, content=answer(sent, {1: "账户已销户"}))
    assert (received.paid_count, received.failed_count) == (3, 1)
    failed = Payment.objects.get(pk=first.payment_id)
    assert failed.state == PaymentState.planned and failed.failure_reason == "账户已销户" and failed.entry is None
    paid = Payment.objects.filter(state=PaymentState.paid)
    assert paid.count() == 3 and all(p.entry_id for p in paid)
    assert sum(Posting.objects.filter(entry__kind="payment").values_list("amount", flat=True)) == 0
    assert selectors.paid_in_full(project_a) is False
    report = reports.reconciliation(project_a)
    assert report.paid == received.paid_total and report.ledger_paid == report.paid
    assert report.differences == []
    # the failed payment goes out again in the next batch and completes the household
    payments.payment_approve(actor=finance_user, payment=failed)
    again = bank.batch_create(actor=finance_user, account=sent.account)
    bank.return_import(actor=finance_user, batch=again, content=answer(again))
    assert selectors.paid_in_full(project_a) is True
    assert selectors.payment_clocks(finance_user)[0].state == "paid"


def test_same_file_twice_posts_once(sent, finance_user):
    content = answer(sent)
    bank.return_import(actor=finance_user, batch=sent, content=content)
    entries = JournalEntry.objects.count()
    with pytest.raises(InvalidInput, match="已导入"):
        bank.return_import(actor=finance_user, batch=sent, content=content)
    assert JournalEntry.objects.count() == entries and BankReturn.objects.count() == 1


def test_wrong_total_is_refused_whole(sent, finance_user):
    lines = answer(sent).decode().splitlines()
    lines[1] = lines[1].replace(",成功,", ",失败,")  # a line changed after the trailer was computed
    tampered = "\n".join(lines).encode()
    lines[-1] = lines[-1].rsplit(",", 2)[0] + ",999.00," + lines[-1].rsplit(",", 1)[1]
    for content in (tampered, "\n".join(lines).encode(), b"no header\n"):
        with pytest.raises(InvalidInput):
            bank.return_import(actor=finance_user, batch=sent, content=content)
    assert not BankReturn.objects.exists() and not Payment.objects.filter(state="paid").exists()


def test_unknown_and_duplicate_lines_are_reported_not_posted(sent, finance_user, project_a):
    line = sent.lines.select_related("payment").get(seq=2)
    extra = (ReturnRow("ZF99999999", Decimal("10.00"), True), ReturnRow(line.payment.number, line.amount, False,
                                                                          "重复"))
    received = bank.return_import(actor=finance_user, batch=sent, content=answer(sent, extra=extra, drop={4}))
    assert received.problems["unknown"] == ["ZF99999999,10.00,成功,"]
    assert len(received.problems["duplicates"]) == 1 and received.problems["conflicting"] == [line.payment.number]
    assert received.problems["missing"] == [sent.lines.get(seq=4).payment.number]
    states = dict(Payment.objects.values_list("number", "state"))
    assert states[line.payment.number] == PaymentState.sent  # conflicting answers: left in flight
    assert received.paid_count == 2
    differences = reports.reconciliation(project_a).differences
    assert {d.section for d in differences} == {"付款↔银行"} and len(differences) == 2
    # a later file answers the rest; lines already posted are unknown now, never posted twice
    rest = bank.return_import(actor=finance_user, batch=sent, content=answer(sent))
    assert rest.paid_count == 2 and len(rest.problems["unknown"]) == 2
    assert Payment.objects.filter(state=PaymentState.paid).count() == 4


def test_amount_mismatch_is_reported(sent, finance_user):
    line = sent.lines.select_related("payment").get(seq=1)
    rows = [ReturnRow(line.payment.number, line.amount + 1, True)]
    received = bank.return_import(actor=finance_user, batch=sent, content=("\n".join(return_lines(rows))).encode())
    assert line.payment.number in received.problems["amount_mismatch"]
    assert received.paid_count == 0


def test_crash_half_way_leaves_nothing(sent, finance_user, monkeypatch):
    real = payments.confirm_paid
    calls = []

    def crash(actor, payment):
        calls.append(payment)
        if len(calls) == 2:
            raise RuntimeError("进程被终止")
        return real(actor, payment)

    monkeypatch.setattr(payments, "confirm_paid", crash)
    content = answer(sent)
    with pytest.raises(RuntimeError):
        bank.return_import(actor=finance_user, batch=sent, content=content)
    assert not BankReturn.objects.exists() and not Payment.objects.filter(state="paid").exists()
    assert not JournalEntry.objects.filter(kind="payment").exists()
    monkeypatch.setattr(payments, "confirm_paid", real)
    assert bank.return_import(actor=finance_user, batch=sent, content=content).paid_count == 4


def test_cancelled_or_superseded_agreement_blocks_the_batch(funded, office_user, finance_user, agreement, project_a):
    for payment in factories.plan(office_user, agreement):
        payments.payment_approve(actor=finance_user, payment=payment)
    factories.signed_agreement(office_user, agreement.household, parent=agreement)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special)
    with pytest.raises(Exception, match="已被"):
        bank.batch_create(actor=finance_user, account=account)
    assert not Payment.objects.filter(state="sent").exists()
