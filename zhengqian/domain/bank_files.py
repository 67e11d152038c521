"""Payments leaving the ledger: payment states, idempotent requests, bank batch files.

The ledger (``ledger.py``) records money; this module follows one payment from approval to the
bank and back. Individuals are paid by real-name deposit (实名活期储蓄, putian-2014 (七)), so a
batch goes to the bank as a file and the bank's return file says, line by line, what was paid.

**Batch file** (``batch_lines``): CSV, UTF-8, one header line, one line per payment
(序号, 收款人, 账号, 开户行, 金额, 摘要, 付款编号; amount in yuan with two decimals), then a
trailer ``合计,<count>,<total>,<checksum>`` where checksum is the first 16 hex digits of the
SHA-256 of the payment lines joined by ``\\n`` (UTF-8).

**Return file** (``return_lines`` / ``parse_return``): header ``付款编号,金额,状态,失败原因``,
one line per payment with status 成功 or 失败, and a trailer of the same form as the batch's.
Pure functions: no clock, no files, no network.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import round_fen, sum_money, yuan

__all__ = [
    "BATCH_HEADER",
    "RETURN_HEADER",
    "BatchPayment",
    "PaymentEvent",
    "PaymentState",
    "ReturnResult",
    "ReturnRow",
    "batch_lines",
    "checksum",
    "idempotent_replay",
    "parse_return",
    "request_fingerprint",
    "return_lines",
    "transition",
    "verify_batch",
]

CLAUSE_PAYEE = "putian-2014 (七)"


def _fail(message: str, *, clause: str = "", field: str | None = None) -> InvalidInput:
    return InvalidInput(message, clause=clause, field=field)


# Payment states and idempotency -----------------------------------------------------------


class PaymentState(StrEnum):
    planned = "planned"
    approved = "approved"
    sent = "sent"
    paid = "paid"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


class PaymentEvent(StrEnum):
    approve = "approve"
    send = "send"
    confirm = "confirm"
    fail = "fail"
    cancel = "cancel"
    revise = "revise"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]


_STATE_LABELS = {
    PaymentState.planned: "待审批",
    PaymentState.approved: "已审批",
    PaymentState.sent: "已发送银行",
    PaymentState.paid: "已到账",
    PaymentState.failed: "支付失败",
    PaymentState.cancelled: "已取消",
}
_EVENT_LABELS = {
    PaymentEvent.approve: "审批",
    PaymentEvent.send: "发送银行",
    PaymentEvent.confirm: "确认到账",
    PaymentEvent.fail: "登记失败",
    PaymentEvent.cancel: "取消",
    PaymentEvent.revise: "退回修改",
}
_S, _E = PaymentState, PaymentEvent
_TRANSITIONS = {
    (_S.planned, _E.approve): _S.approved,
    (_S.planned, _E.cancel): _S.cancelled,
    (_S.approved, _E.send): _S.sent,
    (_S.approved, _E.cancel): _S.cancelled,
    (_S.sent, _E.confirm): _S.paid,
    (_S.sent, _E.fail): _S.failed,
    (_S.failed, _E.revise): _S.planned,
    (_S.failed, _E.cancel): _S.cancelled,
}


def transition(state: PaymentState, event: PaymentEvent) -> PaymentState:
    """The next payment state. Money in flight (sent) cannot be cancelled, only confirmed or
    failed; a failed payment is revised (account corrected) and approved again, or cancelled;
    paid and cancelled are final. Paying into the household's real-name account completes
    putian-2014 (七)."""
    following = _TRANSITIONS.get((state, event))
    if following is not None:
        return following
    if _TRANSITIONS.get((PaymentState.planned, event)) == state or (state, event) == (_S.sent, _E.send):
        message = f"付款已是“{state.label}”状态，不能重复{event.label}"
    elif state in (PaymentState.paid, PaymentState.cancelled):
        message = f"付款{state.label}，不能再{event.label}"
    else:
        message = f"付款处于“{state.label}”状态，不能{event.label}"
    raise _fail(message, field="state")


def request_fingerprint(body: Mapping[str, object]) -> str:
    """SHA-256 of the canonical JSON of a request body (sorted keys, no spaces, UTF-8; Decimal
    as its plain normalised digits, dates in ISO form). Floats are refused: money is Decimal."""
    text = json.dumps(_canonical(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _fail(f"金额不是有限数值：{value}", field="body")
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise _fail("请求内容的键必须是字符串", field="body")
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    raise _fail(f"请求内容含有不支持的数值类型：{type(value).__name__}", field="body")


def idempotent_replay(stored: str | None, body: Mapping[str, object]) -> bool:
    """Idempotency-Key semantics given the fingerprint stored under the key (None if unused):
    False → a new request, go on; True → the same request again, return the stored result;
    a different body under the same key raises ``InvalidInput`` (the API answers 409)."""
    fingerprint = request_fingerprint(body)
    if stored is None:
        return False
    if stored != fingerprint:
        raise _fail("同一幂等键已用于内容不同的请求，请使用新的幂等键", field="idempotency_key")
    return True


# Bank batch and return files --------------------------------------------------------------

BATCH_HEADER = "序号,收款人,账号,开户行,金额,摘要,付款编号"
RETURN_HEADER = "付款编号,金额,状态,失败原因"
TRAILER_MARK = "合计"
PAID, FAILED = "成功", "失败"


@dataclass(frozen=True, slots=True)
class BatchPayment:
    """One approved payment to send: into a real-name account (putian-2014 (七))."""

    payment_id: str
    payee_name: str
    account_number: str
    bank: str
    amount: Decimal
    memo: str = ""


@dataclass(frozen=True, slots=True)
class ReturnRow:
    """One line of a bank return file: paid, or failed with the bank's reason."""

    payment_id: str
    amount: Decimal
    paid: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ReturnResult:
    """What a return file says, problems listed rather than raised.

    ``paid`` and ``failed`` hold only lines that match an expected payment and its amount;
    ``unknown`` holds unreadable lines and lines naming no expected payment; ``duplicates``
    repeated payment ids after the first; ``amount_mismatch`` id → (expected, returned);
    ``missing`` expected ids the file does not mention.
    """

    paid: Mapping[str, Decimal]
    failed: Mapping[str, str]
    unknown: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()
    amount_mismatch: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    declared_count: int = 0
    declared_total: Decimal = Decimal("0.00")
    line_count: int = 0
    line_total: Decimal = Decimal("0.00")
    checksum_ok: bool = True

    @property
    def total_mismatch(self) -> bool:
        """The trailer's count or total disagrees with the lines."""
        return self.declared_count != self.line_count or self.declared_total != self.line_total

    @property
    def clean(self) -> bool:
        """Every expected payment answered once, nothing else, trailer intact."""
        problems = (self.unknown, self.duplicates, self.amount_mismatch, self.missing)
        return not any(problems) and not self.total_mismatch and self.checksum_ok


def checksum(body: Sequence[str]) -> str:
    """First 16 hex digits of SHA-256 over the body lines joined by ``\\n``."""
    return hashlib.sha256("\n".join(body).encode("utf-8")).hexdigest()[:16]


def _csv_line(fields: Sequence[str]) -> str:
    for text in fields:
        if "\x00" in text or text.splitlines() not in ([], [text]):
            raise _fail(f"银行文件字段不能含有换行或控制字符：{text!r}", field="batch")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def _amount_text(amount: Decimal, payment_id: str) -> str:
    if not isinstance(amount, Decimal) or not amount.is_finite() or round_fen(amount) != amount or amount <= 0:
        raise _fail(f"付款 {payment_id} 的金额必须大于零且精确到分：{amount}", field="amount")
    return f"{amount:.2f}"


def _trailer(body: Sequence[str], total: Decimal) -> str:
    return _csv_line([TRAILER_MARK, str(len(body)), f"{round_fen(total):.2f}", checksum(body)])


def batch_lines(payments: Sequence[BatchPayment]) -> list[str]:
    """The batch file's lines: header, one line per payment, trailer (count, total, checksum)."""
    if not payments:
        raise _fail("付款批次中没有付款", field="batch")
    seen: set[str] = set()
    body: list[str] = []
    for seq, item in enumerate(payments, start=1):
        if item.payment_id in seen:
            raise _fail(f"付款编号 {item.payment_id} 在批次中重复", field="batch")
        seen.add(item.payment_id)
        if not (item.payee_name.strip() and item.account_number.strip()):
            raise _fail(f"付款 {item.payment_id} 缺少收款人实名或账号", clause=CLAUSE_PAYEE, field="payee")
        amount = _amount_text(item.amount, item.payment_id)
        fields = [str(seq), item.payee_name, item.account_number, item.bank, amount, item.memo, item.payment_id]
        body.append(_csv_line(fields))
    return [BATCH_HEADER, *body, _trailer(body, sum_money(item.amount for item in payments))]


def _split(lines: Sequence[str], header: str, what: str) -> tuple[list[str], list[str]]:
    """(body lines, trailer fields); raises InvalidInput on a missing header or trailer."""
    kept = [line.rstrip("\r\n") for line in lines if line.strip()]
    if kept:
        kept[0] = kept[0].lstrip("\ufeff")
    if not kept or kept[0].strip() != header:
        raise _fail(f"{what}缺少表头“{header}”", field="file")
    trailer = next(csv.reader([kept[-1]])) if len(kept) > 1 else []
    if len(trailer) != 4 or trailer[0] != TRAILER_MARK or not (trailer[1].isascii() and trailer[1].isdigit()):
        raise _fail(f"{what}缺少尾行（合计行），文件可能不完整", field="file")
    try:
        yuan(trailer[2])
    except InvalidInput:
        raise _fail(f"{what}尾行合计金额无法识别：{trailer[2]!r}", field="file") from None
    return kept[1:-1], trailer


def verify_batch(lines: Sequence[str]) -> None:
    """Raise unless a batch file's trailer matches its lines (count, total, checksum)."""
    body, trailer = _split(lines, BATCH_HEADER, "付款批次文件")
    amounts = [_read_amount(row[4]) if len(row) == 7 else None for row in csv.reader(body)]
    total = sum_money(amount for amount in amounts if amount is not None)
    counts = int(trailer[1]) == len(body) and None not in amounts
    if not counts or trailer[3] != checksum(body) or yuan(trailer[2]) != total:
        raise _fail("付款批次文件尾行与明细不符（笔数、金额或校验码），文件可能被篡改", field="file")


def return_lines(rows: Sequence[ReturnRow]) -> list[str]:
    """A return file in the agreed layout (what the bank sends back; used by demos and tests)."""
    body = [
        _csv_line([row.payment_id, _amount_text(row.amount, row.payment_id), PAID if row.paid else FAILED, row.reason])
        for row in rows
    ]
    return [RETURN_HEADER, *body, _trailer(body, sum_money(row.amount for row in rows))]


def parse_return(text: str, expected: Mapping[str, Decimal]) -> ReturnResult:
    """Read a bank return file against the expected payments (id → amount).

    Raises ``InvalidInput`` only when the file has no header or no trailer (it is truncated or
    not a return file); every other problem is reported in the result.
    """
    body, trailer = _split(text.split("\n"), RETURN_HEADER, "银行回盘文件")
    paid: dict[str, Decimal] = {}
    failed: dict[str, str] = {}
    mismatch: dict[str, tuple[Decimal, Decimal]] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    line_total = Decimal("0.00")
    for line in body:
        row = next(csv.reader([line]), [])
        amount = _read_amount(row[1]) if len(row) == 4 else None
        if amount is None or row[2] not in (PAID, FAILED):
            unknown.append(line)
            continue
        line_total += amount
        payment_id = row[0].strip()
        if payment_id not in expected:
            unknown.append(line)
        elif payment_id in seen:
            duplicates.append(line)
        elif amount != expected[payment_id]:
            seen.add(payment_id)
            mismatch[payment_id] = (expected[payment_id], amount)
        else:
            seen.add(payment_id)
            if row[2] == PAID:
                paid[payment_id] = amount
            else:
                failed[payment_id] = row[3].strip() or "银行未说明原因"
    return ReturnResult(
        paid=paid,
        failed=failed,
        unknown=tuple(unknown),
        duplicates=tuple(duplicates),
        amount_mismatch=mismatch,
        missing=tuple(sorted(set(expected) - seen)),
        declared_count=int(trailer[1]),
        declared_total=yuan(trailer[2]),
        line_count=len(body),
        line_total=line_total,
        checksum_ok=trailer[3] == checksum(body),
    )


def _read_amount(text: str) -> Decimal | None:
    try:
        amount = yuan(text)
    except InvalidInput:
        return None
    return amount if round_fen(amount) == amount and amount > 0 else None
