"""Money: Decimal only, one rounding rule, amounts in words (design.md §3, "Money")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import (
    FEN,
    amount_in_words,
    format_yuan,
    from_fen,
    round_fen,
    sum_money,
    to_fen,
    yuan,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.50", D("1234.50")),
        ("  1,234.50 ", D("1234.50")),
        ("1,234,567.8", D("1234567.8")),
        ("-0.015", D("-0.015")),
        ("+7", D("7")),
        (".5", D("0.5")),
        (12, D("12")),
        (D("3.14159"), D("3.14159")),
    ],
)
def test_yuan_accepts(value: str | int | Decimal, expected: Decimal) -> None:
    assert yuan(value) == expected


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "NaN", "nan", "inf", "-Infinity", "1e5", "1,23", "12,34.5", "1.2.3", "¥5"]
)
def test_yuan_rejects_text(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        yuan(text)
    assert caught.value.field is None


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity"), D("sNaN")])
def test_yuan_rejects_non_finite_decimal(value: Decimal) -> None:
    with pytest.raises(InvalidInput):
        yuan(value)


@pytest.mark.parametrize("value", [0.1, 1.0, True, False, None, [1], b"1"])
def test_yuan_rejects_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        yuan(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("0.015", "0.02"),  # half-up, not banker's rounding (which gives 0.02 here too)
        ("0.025", "0.03"),  # banker's rounding would give 0.02
        ("2.675", "2.68"),  # float arithmetic would give 2.67
        ("-0.005", "-0.01"),  # half-up rounds away from zero
        ("-0.004", "0.00"),  # no negative zero
        ("100", "100.00"),
    ],
)
def test_round_fen(value: str, expected: str) -> None:
    rounded = round_fen(D(value))
    assert rounded == D(expected)
    assert str(rounded) == expected


def test_round_fen_rejects() -> None:
    with pytest.raises(TypeError):
        round_fen(0.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        round_fen(D("NaN"))
    with pytest.raises(InvalidInput):
        round_fen(D("1E30"))


def test_fen_conversions() -> None:
    assert to_fen(D("1234.565")) == 123457
    assert to_fen(D("-0.01")) == -1
    assert from_fen(123457) == D("1234.57")
    assert str(from_fen(0)) == "0.00"
    assert str(from_fen(-5)) == "-0.05"
    with pytest.raises(TypeError):
        from_fen(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        from_fen(True)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "零元整"),
        ("100.50", "壹佰元伍角"),
        ("100.05", "壹佰元零伍分"),
        ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        ("1000", "壹仟元整"),
        ("10", "壹拾元整"),
        ("0.05", "伍分"),
        ("0.5", "伍角"),
        ("1001.10", "壹仟零壹元壹角"),
        ("100000.01", "壹拾万元零壹分"),
        ("100010000", "壹亿零壹万元整"),
        ("1000100", "壹佰万零壹佰元整"),
        ("100.005", "壹佰元零壹分"),  # rounded first
        ("-5.10", "负伍元壹角"),
        ("-0.001", "零元整"),
    ],
)
def test_amount_in_words(value: str, words: str) -> None:
    assert amount_in_words(D(value)) == words


def test_amount_in_words_too_large() -> None:
    with pytest.raises(InvalidInput):
        amount_in_words(D("1E16"))


def test_format_yuan() -> None:
    assert format_yuan(D("1234567.8")) == "1,234,567.80"
    assert format_yuan(D("0")) == "0.00"
    assert format_yuan(D("-1234.565")) == "-1,234.57"
    assert format_yuan(D("999.995")) == "1,000.00"


def test_sum_money() -> None:
    assert sum_money([]) == D("0.00")
    assert str(sum_money([])) == "0.00"
    assert sum_money([D("0.10"), D("0.20")]) == D("0.30")
    assert sum_money(iter([D("1.005"), D("1.005")])) == D("2.010")  # exact, not rounded
    with pytest.raises(TypeError):
        sum_money([D("1"), 0.5])  # type: ignore[list-item]
    with pytest.raises(InvalidInput):
        sum_money([D("NaN")])


amounts = st.decimals(min_value=D("-1E12"), max_value=D("1E12"), allow_nan=False, allow_infinity=False, places=4)


@given(amounts)
def test_round_fen_is_idempotent_and_close(value: Decimal) -> None:
    once = round_fen(value)
    assert round_fen(once) == once
    assert once.as_tuple().exponent == -2
    assert abs(once - value) <= D("0.005")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_roundtrip(fen: int) -> None:
    assert to_fen(from_fen(fen)) == fen


@given(amounts)
def test_to_fen_from_fen_matches_round_fen(value: Decimal) -> None:
    assert from_fen(to_fen(value)) == round_fen(value)
    assert from_fen(to_fen(value)) * 100 == to_fen(value)


@given(st.floats())
def test_yuan_rejects_any_float(value: float) -> None:
    with pytest.raises(TypeError):
        yuan(value)  # type: ignore[arg-type]


@given(amounts)
def test_yuan_reads_its_own_formatting(value: Decimal) -> None:
    assert yuan(format_yuan(value)) == round_fen(value)
    assert yuan(f"{value:f}") == value


@given(st.lists(amounts, max_size=20))
def test_sum_money_matches_exact_sum(values: list[Decimal]) -> None:
    assert sum_money(values) == sum(values, D(0))


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_amount_in_words_has_a_unit(fen: int) -> None:
    words = amount_in_words(from_fen(fen))
    assert words.endswith(("整", "角", "分"))
    assert not words.startswith("零") or words == "零元整"


def test_fen_constant() -> None:
    assert D("0.01") == FEN
