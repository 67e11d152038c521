"""A Hypothesis state machine through the funds actions and the database: deposits,
appropriations, category transfers and reversals in any order. After every step the stored
journal agrees with a plain model, balances to zero, and no held account is below zero
(the pure ledger has its own ≥500-run machine in domain/tests/test_ledger.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from zhengqian.domain.errors import DomainError
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.funds import actions, journal
from zhengqian.funds.models import Account, JournalEntry, Posting
from zhengqian.funds.values import MoneySum

from . import factories

pytestmark = pytest.mark.django_db
CATEGORIES = [Category.land_compensation, Category.houses]
AMOUNTS = st.integers(min_value=1, max_value=50_000).map(lambda fen: Decimal(fen) / 100)


class _Rollback(Exception):
    pass


def test_funds_state_machine(office_user, finance_user, project_a, township_a):
    factories.open_accounts(office_user, project_a)
    special = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    township = Account.objects.get(project=project_a, kind=AccountKind.township_special)

    class Funds(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.model = {(kind, c): Decimal("0.00") for kind in ("special", "township") for c in CATEGORIES}
            self.entries: list[tuple[JournalEntry, str, Category, Decimal]] = []

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @rule(category=st.sampled_from(CATEGORIES), amount=AMOUNTS)
        def deposit(self, category: Category, amount: Decimal) -> None:
            made = factories.deposit(finance_user, project_a, str(amount), category=category.value)
            self.model[("special", category)] += amount
            self.entries.append((made.entry, "deposit", category, amount))

        @rule(category=st.sampled_from(CATEGORIES), amount=AMOUNTS)
        def appropriate(self, category: Category, amount: Decimal) -> None:
            request = actions.appropriation_request(actor=office_user, project=project_a, township=township_a,
                                                    category=category.value, amount=amount)
            try:
                done = actions.appropriation_approve(actor=finance_user, appropriation=request)
            except DomainError:
                assert self.model[("special", category)] < amount
                return
            assert self.model[("special", category)] >= amount
            self.model[("special", category)] -= amount
            self.model[("township", category)] += amount
            self.entries.append((done.entry, "appropriation", category, amount))

        @rule(source=st.sampled_from(CATEGORIES), amount=AMOUNTS)
        def recategorise(self, source: Category, amount: Decimal) -> None:
            target = next(c for c in CATEGORIES if c != source)
            try:
                actions.transfer_record(actor=office_user, source=special, target=special, category=source.value,
                                        to_category=target.value, amount=amount, reason="类别调整")
            except DomainError:
                assert self.model[("special", source)] < amount
                return
            self.model[("special", source)] -= amount
            self.model[("special", target)] += amount

        @precondition(lambda self: self.entries)
        @rule(data=st.data())
        def reverse(self, data: st.DataObject) -> None:
            index = data.draw(st.integers(0, len(self.entries) - 1))
            entry, kind, category, amount = self.entries[index]
            holder = "special" if kind == "deposit" else "township"
            try:
                actions.entry_reverse(actor=finance_user, entry=entry, reason="更正")
            except DomainError:
                assert self.model[(holder, category)] < amount
                return
            assert self.model[(holder, category)] >= amount
            self.model[(holder, category)] -= amount
            if kind == "appropriation":
                self.model[("special", category)] += amount
            del self.entries[index]

        @invariant()
        def journal_matches_the_model(self) -> None:
            stored = journal.amounts([special.pk, township.pk])
            for (holder, category), expected in self.model.items():
                account = special if holder == "special" else township
                assert stored.get((account.pk, category), Decimal("0.00")) == expected
                assert expected >= 0

        @invariant()
        def every_entry_balances(self) -> None:
            assert (Posting.objects.aggregate(total=MoneySum("amount"))["total"] or 0) == 0
            per_entry = Posting.objects.values("entry_id").annotate(total=MoneySum("amount")).order_by()
            assert all(row["total"] == 0 for row in per_entry)

    run_state_machine_as_test(Funds, settings=settings(
        max_examples=20, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
