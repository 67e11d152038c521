"""The procedure gate facts the funds decide (policy FACTS), and their hand-over to the
procedure app when it is installed.

``compute(project)`` answers every fact from the ledger; ``refresh`` is called inside each
action that may change one (deposit, transfer, reversal, budget, review, payment confirmed)
and, when ``zhengqian.procedure`` is installed, records each fact through its action so the
gates read them (banan-2015 (五) 前置资金; putian-2014 (七)(十五)).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps

from zhengqian.core.models import User
from zhengqian.projects.models import Project

FUNDS_FACTS = (
    "special_account_opened",
    "pre_funding_in_place",
    "funds_in_special_account",
    "funds_in_place",
    "social_security_funds_in_place",
    "social_security_funds_reviewed",
    "paid_in_full",
)


def compute(project: Project) -> dict[str, bool]:
    from . import selectors

    gate = selectors.funding_gate(project)
    in_place = gate is not None and gate.met
    return {
        "special_account_opened": selectors.special_account_opened(project),
        "pre_funding_in_place": in_place,
        "funds_in_special_account": in_place,
        "funds_in_place": in_place,
        "social_security_funds_in_place": selectors.social_security_in_place(project),
        "social_security_funds_reviewed": selectors.social_security_reviewed(project),
        "paid_in_full": selectors.paid_in_full(project),
    }


def spoken(project: Project) -> set[str]:
    """The facts the ledger can answer yet: the account facts once accounts exist, the money
    facts once a budget is approved, ``paid_in_full`` once the project has payments. Facts it
    cannot answer are left to the procedure app (recorded by hand, or derived there)."""
    from .models import Account, Payment, ProjectBudget

    known: set[str] = set()
    if Account.objects.filter(project=project).exists():
        known.add("special_account_opened")
        if ProjectBudget.objects.filter(project=project).exists():
            known |= {"pre_funding_in_place", "funds_in_special_account", "funds_in_place",
                      "social_security_funds_in_place", "social_security_funds_reviewed"}
    if Payment.objects.filter(project=project).exists():
        known.add("paid_in_full")
    return known


def _procedure_setter() -> Any:
    """The procedure app's fact action, if it has one (looked up by name, so this app does not
    depend on it)."""
    if not apps.is_installed("zhengqian.procedure"):
        return None
    try:
        module = import_module("zhengqian.procedure.actions")
    except ImportError:
        return None
    return getattr(module, "project_fact_set", None)


def refresh(*, actor: User, project: Project) -> dict[str, bool]:
    """Recompute the facts and hand those the ledger can answer to the procedure app (inside
    the caller's transaction, through its ``project_fact_set``)."""
    values = compute(project)
    setter = _procedure_setter()
    if setter is not None:
        for name in sorted(spoken(project)):
            setter(actor=actor, project=project, fact=name, value=values[name], source="funds")
    return values
