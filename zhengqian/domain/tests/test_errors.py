"""Domain errors carry a Chinese message and the clause (design.md §3, "Errors")."""

from __future__ import annotations

import pickle

import pytest

from zhengqian.domain.errors import (
    CalendarError,
    DomainError,
    GateClosed,
    InvalidInput,
    PolicyError,
)


def test_str_with_clause() -> None:
    error = GateClosed("不能发布征收土地公告：征地尚未批准", clause="莆田 (四)")
    assert str(error) == "不能发布征收土地公告：征地尚未批准（莆田 (四)）"
    assert error.message == "不能发布征收土地公告：征地尚未批准"
    assert error.clause == "莆田 (四)"
    assert error.field is None


def test_str_without_clause() -> None:
    assert str(DomainError("出错了")) == "出错了"


def test_field() -> None:
    error = InvalidInput("面积不能为负数", field="area")
    assert error.field == "area"
    assert str(error) == "面积不能为负数"


@pytest.mark.parametrize("cls", [GateClosed, InvalidInput, PolicyError, CalendarError])
def test_subclasses_are_domain_errors(cls: type[DomainError]) -> None:
    with pytest.raises(DomainError):
        raise cls("消息", clause="条款")
    assert issubclass(cls, Exception)


def test_clause_and_field_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        DomainError("消息", "条款")  # type: ignore[misc]


@pytest.mark.parametrize("cls", [DomainError, GateClosed, InvalidInput, PolicyError, CalendarError])
def test_pickle_keeps_everything(cls: type[DomainError]) -> None:
    error = cls("消息", clause="民法典第二百零一条", field="start")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert (copy.message, copy.clause, copy.field) == (error.message, error.clause, error.field)
    assert str(copy) == str(error)


def test_repr_and_args() -> None:
    error = PolicyError("policy.toml: 缺少 steps.code", clause="")
    assert error.args == ("policy.toml: 缺少 steps.code",)
    assert repr(error) == "PolicyError('policy.toml: 缺少 steps.code', clause='', field=None)"
