"""Payments leaving the ledger: states, idempotency keys, bank batch and return files
(putian-2014 (七): real-name deposit accounts)."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengqian.domain.bank_files import (
    BATCH_HEADER,
    RETURN_HEADER,
    BatchPayment,
    PaymentEvent,
    PaymentState,
    ReturnRow,
    batch_lines,
    checksum,
    idempotent_replay,
    parse_return,
    request_fingerprint,
    return_lines,
    transition,
    verify_batch,
)
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import from_fen

D = Decimal
S, E = PaymentState, PaymentEvent

NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=8).filter(str.strip)
PAYMENTS = [
    BatchPayment("PAY-1", "张三", "6217000010001234567", "重庆农村商业银行界石支行", D("12345.60"), "土地补偿费"),
    BatchPayment("PAY-2", "李四, 小名", "0012", "中国银行", D("0.01"), "青苗补偿"),
    BatchPayment("PAY-3", "桥口坝村集体经济组织", "3100", "建设银行", D("500000.00")),
]


# Payment states ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "event", "after"),
    [
        (S.planned, E.approve, S.approved),
        (S.planned, E.cancel, S.cancelled),
        (S.approved, E.send, S.sent),
        (S.approved, E.cancel, S.cancelled),
        (S.sent, E.confirm, S.paid),
        (S.sent, E.fail, S.failed),
        (S.failed, E.revise, S.planned),
        (S.failed, E.cancel, S.cancelled),
    ],
)
def test_legal_transitions(state: PaymentState, event: PaymentEvent, after: PaymentState) -> None:
    assert transition(state, event) is after


@pytest.mark.parametrize(
    ("state", "event", "message"),
    [
        (S.approved, E.approve, "付款已是“已审批”状态，不能重复审批"),
        (S.sent, E.send, "付款已是“已发送银行”状态，不能重复发送银行"),
        (S.cancelled, E.confirm, "付款已取消，不能再确认到账"),
        (S.cancelled, E.approve, "付款已取消，不能再审批"),
        (S.paid, E.cancel, "付款已到账，不能再取消"),
        (S.sent, E.cancel, "付款处于“已发送银行”状态，不能取消"),
        (S.planned, E.send, "付款处于“待审批”状态，不能发送银行"),
        (S.approved, E.confirm, "付款处于“已审批”状态，不能确认到账"),
    ],
)
def test_illegal_transitions_are_refused(state: PaymentState, event: PaymentEvent, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        transition(state, event)
    assert caught.value.message == message
    assert caught.value.field == "state"


def test_every_pair_is_either_a_move_or_a_refusal() -> None:
    moves = 0
    for state in PaymentState:
        for event in PaymentEvent:
            try:
                transition(state, event)
                moves += 1
            except InvalidInput:
                pass
    assert moves == 8
    for final in (S.paid, S.cancelled):
        for event in PaymentEvent:
            with pytest.raises(InvalidInput):
                transition(final, event)


# Idempotency ----------------------------------------------------------------------------------


def test_fingerprint_is_canonical() -> None:
    one = {"payment": "PAY-1", "amount": D("100.0"), "on": date(2026, 3, 2), "tags": ["a", "b"]}
    two = {"tags": ("a", "b"), "on": date(2026, 3, 2), "amount": D("100.00"), "payment": "PAY-1"}
    assert request_fingerprint(one) == request_fingerprint(two)
    assert len(request_fingerprint(one)) == 64
    assert request_fingerprint(one) != request_fingerprint({**one, "amount": D("100.01")})
    assert request_fingerprint({"name": "张三"}) == hashlib.sha256('{"name":"张三"}'.encode()).hexdigest()


@pytest.mark.parametrize("bad", [{"amount": 1.5}, {"amount": D("NaN")}, {1: "x"}, {"who": {1, 2}}])
def test_fingerprint_refuses_floats_and_odd_values(bad: dict[object, object]) -> None:
    with pytest.raises(InvalidInput):
        request_fingerprint(bad)  # type: ignore[arg-type]


def test_idempotency_key_semantics() -> None:
    body = {"payment": "PAY-1", "amount": "100.00"}
    stored = request_fingerprint(body)
    assert idempotent_replay(None, body) is False
    assert idempotent_replay(stored, dict(reversed(list(body.items())))) is True
    with pytest.raises(InvalidInput) as caught:
        idempotent_replay(stored, {**body, "amount": "100.01"})
    assert caught.value.message == "同一幂等键已用于内容不同的请求，请使用新的幂等键"
    assert caught.value.field == "idempotency_key"


# Batch file -----------------------------------------------------------------------------------


def test_batch_layout() -> None:
    lines = batch_lines(PAYMENTS)
    assert lines[0] == BATCH_HEADER == "序号,收款人,账号,开户行,金额,摘要,付款编号"
    assert lines[1] == "1,张三,6217000010001234567,重庆农村商业银行界石支行,12345.60,土地补偿费,PAY-1"
    assert lines[2] == '2,"李四, 小名",0012,中国银行,0.01,青苗补偿,PAY-2'
    assert lines[3] == "3,桥口坝村集体经济组织,3100,建设银行,500000.00,,PAY-3"
    body = lines[1:4]
    digest = hashlib.sha256("\n".join(body).encode("utf-8")).hexdigest()[:16]
    assert lines[4] == f"合计,3,512345.61,{digest}"
    assert checksum(body) == digest
    assert next(csv.reader([lines[2]]))[1] == "李四, 小名"
    verify_batch(lines)


@pytest.mark.parametrize(
    ("payments", "words"),
    [
        ([], "没有付款"),
        ([PAYMENTS[0], PAYMENTS[0]], "重复"),
        ([BatchPayment("P", "张三", "1", "银行", D("0"))], "大于零"),
        ([BatchPayment("P", "张三", "1", "银行", D("1.005"))], "精确到分"),
        ([BatchPayment("P", "", "1", "银行", D("1"))], "收款人实名"),
        ([BatchPayment("P", "张三", "1", "银行", D("1"), "第一行\n第二行")], "换行"),
        ([BatchPayment("P", "张三\u2028", "1", "银行", D("1"))], "换行"),
        ([BatchPayment("P", "张三", "1\x00", "银行", D("1"))], "控制字符"),
    ],
)
def test_batch_refuses_bad_payments(payments: list[BatchPayment], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        batch_lines(payments)


def test_tampered_batch_is_detected() -> None:
    lines = batch_lines(PAYMENTS)
    trailer = lines[-1].split(",")
    wrong_total = [*lines[:-1], ",".join([trailer[0], trailer[1], "512345.62", trailer[3]])]
    wrong_count = [*lines[:-1], ",".join([trailer[0], "4", trailer[2], trailer[3]])]
    wrong_sum = [*lines[:-1], ",".join([*trailer[:3], "0" * 16])]
    wrong_line = [lines[0], lines[1].replace("12345.60", "12345.69"), *lines[2:]]
    garbled = [lines[0], lines[1].replace("12345.60", "一万"), *lines[2:]]
    for tampered in (wrong_total, wrong_count, wrong_sum, wrong_line, garbled):
        with pytest.raises(InvalidInput, match="可能被篡改"):
            verify_batch(tampered)
    with pytest.raises(InvalidInput, match="缺少尾行"):
        verify_batch(lines[:-1])


# Return file ----------------------------------------------------------------------------------


def expected_of(payments: list[BatchPayment]) -> dict[str, Decimal]:
    return {item.payment_id: item.amount for item in payments}


def bank_answers(batch: list[str], failures: dict[str, str]) -> str:
    """What a bank does: read our batch, pay or refuse each line, write the return file."""
    rows = [
        ReturnRow(row[6], D(row[4]), row[6] not in failures, failures.get(row[6], ""))
        for row in csv.reader(batch[1:-1])
    ]
    return "\r\n".join(return_lines(rows)) + "\r\n"


def test_round_trip_batch_to_return() -> None:
    text = bank_answers(batch_lines(PAYMENTS), {"PAY-2": "户名与账号不符"})
    assert text.startswith(RETURN_HEADER)
    result = parse_return("\ufeff" + text, expected_of(PAYMENTS))
    assert result.paid == {"PAY-1": D("12345.60"), "PAY-3": D("500000.00")}
    assert result.failed == {"PAY-2": "户名与账号不符"}
    assert result.clean
    assert (result.declared_count, result.line_count) == (3, 3)
    assert result.declared_total == result.line_total == D("512345.61")


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=10**10), st.booleans(), NAMES),
        min_size=1,
        max_size=20,
    )
)
def test_round_trip_any_batch(rows: list[tuple[int, bool, str]]) -> None:
    payments = [
        BatchPayment(
            f"PAY-{n}",
            name,
            "62",
            "银行",
            from_fen(fen),
        )
        for n, (fen, _, name) in enumerate(rows)
    ]
    lines = batch_lines(payments)
    verify_batch(lines)
    failures = {f"PAY-{n}": "账户已销户" for n, (_, ok, _) in enumerate(rows) if not ok}
    result = parse_return(bank_answers(lines, failures), expected_of(payments))
    assert result.clean
    assert set(result.failed) == set(failures)
    assert set(result.paid) | set(result.failed) == {item.payment_id for item in payments}
    assert sum(result.paid.values(), D(0)) + sum(expected_of(payments)[k] for k in result.failed) == sum(
        item.amount for item in payments
    )


def test_return_problems_are_reported_not_raised() -> None:
    expected = {"PAY-1": D("100.00"), "PAY-2": D("200.00"), "PAY-3": D("300.00"), "PAY-4": D("1.00")}
    body = [
        "PAY-1,100.00,成功,",
        "PAY-1,100.00,成功,",
        "PAY-2,250.00,成功,",
        "PAY-3,300.00,失败,",
        "PAY-9,5.00,成功,",
        "这一行看不懂",
        "PAY-4,1.00,处理中,",
    ]
    text = "\n".join([RETURN_HEADER, *body, f"合计,7,756.00,{checksum(body)}"])
    result = parse_return(text, expected)
    assert result.paid == {"PAY-1": D("100.00")}
    assert result.failed == {"PAY-3": "银行未说明原因"}
    assert result.duplicates == ("PAY-1,100.00,成功,",)
    assert result.amount_mismatch == {"PAY-2": (D("200.00"), D("250.00"))}
    assert result.unknown == ("PAY-9,5.00,成功,", "这一行看不懂", "PAY-4,1.00,处理中,")
    assert result.missing == ("PAY-4",)
    assert result.line_total == D("755.00")
    assert result.total_mismatch
    assert result.checksum_ok
    assert not result.clean


def test_tampered_return_trailer_is_detected() -> None:
    lines = return_lines([ReturnRow("PAY-1", D("100.00"), True), ReturnRow("PAY-2", D("50.00"), False, "账户冻结")])
    expected = {"PAY-1": D("100.00"), "PAY-2": D("50.00")}
    assert parse_return("\n".join(lines), expected).clean
    head, *rest = lines[-1].split(",")
    inflated = [*lines[:-1], ",".join([head, rest[0], "150.01", rest[2]])]
    result = parse_return("\n".join(inflated), expected)
    assert result.total_mismatch
    assert not result.clean
    edited = [lines[0], lines[1], lines[2].replace("失败,账户冻结", "成功,"), lines[3]]
    result = parse_return("\n".join(edited), expected)
    assert not result.checksum_ok
    assert result.paid == {"PAY-1": D("100.00"), "PAY-2": D("50.00")}
    assert not result.clean


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "缺少表头"),
        ("PAY-1,100.00,成功,\n合计,1,100.00,0000000000000000", "缺少表头"),
        (f"{RETURN_HEADER}\nPAY-1,100.00,成功,", "缺少尾行"),
        (f"{RETURN_HEADER}\nPAY-1,100.00,成功,\n合计,一,100.00,x", "缺少尾行"),
        (f"{RETURN_HEADER}\nPAY-1,100.00,成功,\n合计,²,100.00,x", "缺少尾行"),
        (f"{RETURN_HEADER}\n合计,0,abc,x", "合计金额无法识别"),
    ],
)
def test_structurally_broken_return_raises(text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        parse_return(text, {"PAY-1": D("100.00")})
