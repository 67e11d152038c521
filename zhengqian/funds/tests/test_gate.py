"""The pre-funding gate, appropriations to townships and transfers between projects
(banan-2015 (五); putian-2014 (十五))."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhengqian.core import clock
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.funds import actions, facts, journal, selectors
from zhengqian.funds.models import Account, Appropriation, AppropriationState, JournalEntry, Transfer

from . import factories

pytestmark = pytest.mark.django_db


def test_gate_closed_until_the_whole_budget_is_in(office_user, finance_user, project_a):
    assert selectors.funding_gate(project_a) is None
    assert selectors.funds_in_place(project_a) is False
    factories.open_accounts(office_user, project_a)
    factories.set_budget(office_user, project_a, land_compensation="1000.00", work_funds="200.00")
    gate = selectors.funding_gate(project_a)
    assert not gate.met and gate.shortfall == {Category.land_compensation: Decimal("1000.00"),
                                               Category.work_funds: Decimal("200.00")}
    factories.deposit(finance_user, project_a, "1000.00")
    assert selectors.funding_gate(project_a).shortfall == {Category.work_funds: Decimal("200.00")}
    factories.deposit(finance_user, project_a, "200.00", category="work_funds")
    assert selectors.funds_in_place(project_a) is True
    assert facts.compute(project_a)["funds_in_place"] is True


def test_gate_counts_money_moved_on_but_not_taken_back(office_user, finance_user, project_a, township_a):
    factories.open_accounts(office_user, project_a)
    factories.set_budget(office_user, project_a, land_compensation="1000.00")
    deposit = factories.deposit(finance_user, project_a, "1000.00")
    factories.appropriate(office_user, finance_user, project_a, township_a, "600.00")
    assert selectors.funds_in_place(project_a) is True  # still the project's money, now at the township
    appropriation = Appropriation.objects.get()
    actions.entry_reverse(actor=finance_user, entry=appropriation.entry, reason="拨错镇街")
    appropriation.refresh_from_db()
    assert appropriation.state == AppropriationState.REVERSED
    actions.entry_reverse(actor=finance_user, entry=deposit.entry, reason="业主撤回")
    assert selectors.funds_in_place(project_a) is False


def test_valuations_raise_the_budget(office_user, finance_user, project_a, township_a, household):
    factories.open_accounts(office_user, project_a)
    factories.set_budget(office_user, project_a, land_compensation="1000.00")
    factories.signed_agreement(office_user, household, [("land_compensation", "collective", "5000.00")])
    assert selectors.budget_amounts(project_a)[Category.land_compensation] == Decimal("5000.00")


def test_social_security_in_place_and_reviewed(office_user, finance_user, project_a):
    factories.open_accounts(office_user, project_a)
    factories.set_budget(office_user, project_a, social_security="300.00")
    assert not selectors.social_security_in_place(project_a)
    factories.deposit(finance_user, project_a, "300.00", category="social_security")
    assert selectors.social_security_in_place(project_a)
    assert not selectors.social_security_reviewed(project_a)
    actions.social_security_review_record(
        actor=office_user, project=project_a, reviewed_on=clock.today(), reviewer="区人力社保局",
        document_no="人社审〔2026〕3号", amount_confirmed="300.00", opinion=b"opinion", opinion_name="意见.pdf")
    assert selectors.social_security_reviewed(project_a)


def test_appropriation_never_exceeds_the_available_balance(office_user, finance_user, project_a, township_a):
    factories.open_accounts(office_user, project_a)
    factories.deposit(finance_user, project_a, "1000.00")
    factories.appropriate(office_user, finance_user, project_a, township_a, "700.00")
    request = actions.appropriation_request(actor=office_user, project=project_a, township=township_a,
                                            category="land_compensation", amount="300.01")
    with pytest.raises(InvalidInput, match=r"可用余额 300\.00") as refused:
        actions.appropriation_approve(actor=finance_user, appropriation=request)
    assert refused.value.clause == "banan-2015 (五)"
    request.refresh_from_db()
    assert request.state == AppropriationState.REQUESTED and request.entry is None
    other = actions.appropriation_request(actor=office_user, project=project_a, township=township_a,
                                          category="houses", amount="1.00")
    with pytest.raises(InvalidInput, match=r"可用余额 0\.00"):  # categories are separate sub-ledgers
        actions.appropriation_approve(actor=finance_user, appropriation=other)


def test_appropriation_needs_a_second_person_and_the_right_role(office_user, finance_user, project_a, township_a,
                                                                township_b):
    factories.open_accounts(office_user, project_a)
    factories.deposit(finance_user, project_a, "1000.00")
    with pytest.raises(InvalidInput, match="不是本项目涉及的镇街"):
        actions.appropriation_request(actor=office_user, project=project_a, township=township_b,
                                      category="land_compensation", amount="1.00")
    own = actions.appropriation_request(actor=finance_user, project=project_a, township=township_a,
                                        category="land_compensation", amount="1.00")
    with pytest.raises(InvalidInput, match="不能审批自己"):
        actions.appropriation_approve(actor=finance_user, appropriation=own)
    from zhengqian.core.permissions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        actions.appropriation_approve(actor=office_user, appropriation=own)
    rejected = actions.appropriation_reject(actor=office_user.__class__.objects.get(username="finance"),
                                            appropriation=actions.appropriation_request(
                                                actor=office_user, project=project_a, township=township_a,
                                                category="land_compensation", amount="2.00"),
                                            note="用途不明")
    assert rejected.state == AppropriationState.REJECTED


def test_transfer_between_projects_needs_the_district_leaders_approval(office_user, finance_user, project_a,
                                                                       project_b):
    factories.open_accounts(office_user, project_a)
    factories.open_accounts(office_user, project_b)
    factories.deposit(finance_user, project_a, "1000.00")
    source = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    target = Account.objects.get(project=project_b, kind=AccountKind.project_special)
    with pytest.raises(GateClosed, match="区政府主要领导批准") as refused:
        actions.transfer_record(actor=office_user, source=source, target=target, category="land_compensation",
                                amount="100.00", reason="项目B急需")
    assert refused.value.clause == "banan-2015 (五)"
    with pytest.raises(GateClosed):
        actions.transfer_record(actor=office_user, source=source, target=target, category="land_compensation",
                                amount="100.00", reason="项目B急需", approver_name="区长 王某")
    assert not Transfer.objects.exists() and JournalEntry.objects.count() == 1
    transfer = actions.transfer_record(
        actor=office_user, source=source, target=target, category="land_compensation", amount="100.00",
        reason="项目B急需", approver_name="区长 王某", approval=b"%PDF approval", approval_name="批示.pdf")
    assert transfer.entry.approvals == ["district_principal_approval"]
    assert journal.amounts([target.pk]) == {(target.pk, Category.land_compensation): Decimal("100.00")}


def test_transfer_within_a_project_between_categories(office_user, finance_user, project_a):
    factories.open_accounts(office_user, project_a)
    factories.deposit(finance_user, project_a, "1000.00")
    special = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    social = Account.objects.get(project=project_a, kind=AccountKind.social_security)
    actions.transfer_record(actor=office_user, source=special, target=special, category="land_compensation",
                            to_category="houses", amount="100.00", reason="类别调整")
    with pytest.raises(InvalidInput, match="社保资金账户只能收取社会保障资金"):
        actions.transfer_record(actor=office_user, source=special, target=social, category="land_compensation",
                                amount="1.00", reason="错误")
    balances = journal.amounts([special.pk])
    assert balances[(special.pk, Category.houses)] == Decimal("100.00")
    assert balances[(special.pk, Category.land_compensation)] == Decimal("900.00")
