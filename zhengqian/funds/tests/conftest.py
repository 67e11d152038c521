"""Fixtures of the funds tests: a finance officer and a project funded down to township A."""

from __future__ import annotations

import pytest

from . import factories


@pytest.fixture
def finance_user(make_user, district):
    return make_user("finance", "finance_officer", district)


@pytest.fixture
def funded(office_user, finance_user, project_a, township_a):
    """Project A with accounts, a budget, 4 × 500 000 deposited and appropriated to township A,
    and the village collective account."""
    return factories.funded_township(office_user, finance_user, project_a, township_a)


@pytest.fixture
def household(office_user, project_a, township_a):
    return factories.household_with_account(office_user, project_a, township_a)


@pytest.fixture
def agreement(office_user, household):
    return factories.signed_agreement(office_user, household)
