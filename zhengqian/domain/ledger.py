"""Funds ledger: double-entry journal of expropriation money, pure and append-only.

Rules carried here (banan-2015 (五), putian-2014 (七)(十)(十五)):

* Money moves only by journal entries whose postings sum to zero, fen for fen. Nothing is ever
  edited or deleted: a mistake is corrected by a reversal entry (冲销) that negates the
  original exactly, and an entry may be reversed once.
* **Sign convention.** A posting's ``amount`` is positive for a debit, money coming *into* the
  account, and negative for a credit, money going *out*. An account's balance is the sum of its
  postings, so a special account's balance is the money it holds, a household account's is
  what the household has been paid, and an external source (业主出资账户, 银行在途/清算) is
  negative by what it has put in. The trial balance therefore always sums to zero.
* Balances are kept per account *and* per category (sub-ledger, 专帐). Accounts whose kind may
  not go negative are checked per (account, category); the account total is the sum of its
  categories, so it cannot go negative either.
* Pre-funding (前置资金) must be in the project special account before work starts; all
  payments go out through the township special account (镇街专户统一支付); cross-project moves
  need the district government principal leader's approval (banan-2015 (五)).
* Individuals are paid into a household member's real-name account, collective money into the
  collective's account (putian-2014 (七)(十)); social-security money goes to the social-security
  fund account (putian-2014 (十五)).

Dates are passed in; this module reads no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zhengqian.domain.bank_files import PaymentEvent, PaymentState, idempotent_replay, request_fingerprint, transition
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.money import format_yuan, round_fen, sum_money

__all__ = [
    "CLAUSE_FUNDS",
    "CLAUSE_PAYEE",
    "CLAUSE_SOCIAL_SECURITY",
    "DISTRICT_PRINCIPAL_APPROVAL",
    "Account",
    "AccountKind",
    "Balances",
    "Category",
    "EntryKind",
    "FundingGateResult",
    "JournalEntry",
    "PaymentEvent",
    "PaymentState",
    "Posting",
    "Reserved",
    "appropriation",
    "bank_return",
    "check_payee",
    "deposit",
    "funding_budget",
    "funding_gate",
    "idempotent_replay",
    "movement",
    "payment",
    "request_fingerprint",
    "reversal",
    "transfer",
    "transition",
    "validate_entry",
]

CLAUSE_FUNDS = "banan-2015 (五)"
CLAUSE_SALVAGE = "banan-2015 (六)"
CLAUSE_PAYEE = "putian-2014 (七)"
CLAUSE_SOCIAL_SECURITY = "putian-2014 (十五)"
DISTRICT_PRINCIPAL_APPROVAL = "district_principal_approval"
ZERO = Decimal("0.00")


class AccountKind(StrEnum):
    """What an account is; external sources may go negative, held money may not."""

    project_special = "project_special"
    township_special = "township_special"
    collective = "collective"
    household = "household"
    social_security = "social_security"
    owner_funding = "owner_funding"
    bank_clearing = "bank_clearing"

    @property
    def label(self) -> str:
        return _ACCOUNT_KIND_LABELS[self]

    @property
    def may_go_negative(self) -> bool:
        """Only external sources: the owner's funding and the bank's clearing account."""
        return self in (AccountKind.owner_funding, AccountKind.bank_clearing)

    @property
    def is_special(self) -> bool:
        """The expropriation office's and the townships' special accounts (资金专户)."""
        return self in (AccountKind.project_special, AccountKind.township_special)


_ACCOUNT_KIND_LABELS = {
    AccountKind.project_special: "项目专户",
    AccountKind.township_special: "镇街专户",
    AccountKind.collective: "集体账户",
    AccountKind.household: "农户实名账户",
    AccountKind.social_security: "社保资金账户",
    AccountKind.owner_funding: "业主出资账户",
    AccountKind.bank_clearing: "银行在途/清算",
}


class Category(StrEnum):
    """Sub-ledgers of a project's funds (banan-2015 (五) lists the fees)."""

    land_compensation = "land_compensation"
    resettlement_subsidy = "resettlement_subsidy"
    crops_and_attachments = "crops_and_attachments"
    houses = "houses"
    social_security = "social_security"
    work_funds = "work_funds"
    taxes_and_fees = "taxes_and_fees"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.land_compensation: "土地补偿费",
    Category.resettlement_subsidy: "安置补助费",
    Category.crops_and_attachments: "青苗及构（附）着物补偿费",
    Category.houses: "原房补偿及住房安置费",
    Category.social_security: "社会保障资金",
    Category.work_funds: "工作经费",
    Category.taxes_and_fees: "税费",
}


class EntryKind(StrEnum):
    deposit = "deposit"
    appropriation = "appropriation"
    payment = "payment"
    reversal = "reversal"
    transfer = "transfer"
    salvage = "salvage"
    bank_return = "bank_return"

    @property
    def label(self) -> str:
        return _ENTRY_KIND_LABELS[self]


_ENTRY_KIND_LABELS = {
    EntryKind.deposit: "资金到位",
    EntryKind.appropriation: "拨付镇街专户",
    EntryKind.payment: "支付",
    EntryKind.reversal: "冲销",
    EntryKind.transfer: "调剂",
    EntryKind.salvage: "残值收入",
    EntryKind.bank_return: "银行退回",
}

_K = AccountKind
_HELD = frozenset({_K.project_special, _K.township_special})
_PAYEES = frozenset({_K.household, _K.collective, _K.social_security})
# Per kind: (account kinds that may be credited, account kinds that may be debited, clause).
_FLOWS: dict[EntryKind, tuple[frozenset[AccountKind], frozenset[AccountKind], str]] = {
    EntryKind.deposit: (frozenset({_K.owner_funding}), frozenset({_K.project_special}), CLAUSE_FUNDS),
    EntryKind.appropriation: (frozenset({_K.project_special}), frozenset({_K.township_special}), CLAUSE_FUNDS),
    EntryKind.payment: (frozenset({_K.township_special}), _PAYEES, CLAUSE_FUNDS),
    EntryKind.transfer: (_HELD, _HELD | {_K.social_security}, CLAUSE_FUNDS),
    EntryKind.salvage: (
        frozenset({_K.bank_clearing}),
        frozenset({_K.owner_funding, _K.project_special}),
        CLAUSE_SALVAGE,
    ),
    EntryKind.bank_return: (_PAYEES | {_K.bank_clearing}, _HELD, CLAUSE_FUNDS),
}


@dataclass(frozen=True, slots=True)
class Account:
    """An account; ``project`` is None for accounts shared by projects (a person's bank
    account, the bank clearing account)."""

    code: str
    kind: AccountKind
    project: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of an entry: positive = debit (into ``account``), negative = credit (out)."""

    account: str
    category: Category
    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Posting.amount must be Decimal, not {type(self.amount).__name__}")


Reserved = Mapping[tuple[str, Category], Decimal]
"""Money earmarked per (account, category) for approved payments not yet posted."""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One movement of money; immutable once accepted."""

    id: str
    on: date
    kind: EntryKind
    postings: tuple[Posting, ...]
    memo: str = ""
    reverses: str | None = None
    approvals: frozenset[str] = field(default_factory=frozenset)


class Balances:
    """Balances per (account, category) after a sequence of accepted entries.

    Immutable: :meth:`apply` returns a new object. It also keeps the journal, so that reversal
    references and the journal's date order can be checked.
    """

    __slots__ = ("_amounts", "_entries", "_last_on", "_reversed_by")

    def __init__(self) -> None:
        self._amounts: dict[tuple[str, Category], Decimal] = {}
        self._entries: dict[str, JournalEntry] = {}
        self._reversed_by: dict[str, str] = {}
        self._last_on: date | None = None

    @classmethod
    def as_of(cls, entries: Iterable[JournalEntry], on: date) -> Balances:
        """Balances at the end of ``on`` from the journal in the order it was accepted (entries
        dated later are skipped). Integrity is checked as by :meth:`apply`."""
        balances = cls()
        for entry in entries:
            if entry.on <= on:
                _check_journal(entry, balances)
                balances._post(entry)
        return balances

    def apply(self, entry: JournalEntry) -> Balances:
        """A new ``Balances`` with ``entry`` posted, after the journal checks (balanced, unique
        id, date order, reversal reference). Account rules are :func:`validate_entry`'s."""
        _check_journal(entry, self)
        result = Balances()
        result._amounts = dict(self._amounts)
        result._entries = dict(self._entries)
        result._reversed_by = dict(self._reversed_by)
        result._last_on = self._last_on
        result._post(entry)
        return result

    def _post(self, entry: JournalEntry) -> None:
        for posting in entry.postings:
            key = (posting.account, posting.category)
            self._amounts[key] = self._amounts.get(key, ZERO) + posting.amount
        self._entries[entry.id] = entry
        if entry.reverses is not None:
            self._reversed_by[entry.reverses] = entry.id
        self._last_on = entry.on

    def balance(self, account: str, category: Category | None = None) -> Decimal:
        """The balance of ``account`` in ``category``, or across all categories."""
        if category is not None:
            return self._amounts.get((account, category), ZERO)
        return sum_money(amount for (code, _), amount in self._amounts.items() if code == account)

    def by_category(self, account: str) -> dict[Category, Decimal]:
        return {category: amount for (code, category), amount in self._amounts.items() if code == account}

    def trial_balance(self) -> dict[str, Decimal]:
        """Balance of every account that has postings; the values sum to zero."""
        totals: dict[str, Decimal] = {}
        for (code, _), amount in self._amounts.items():
            totals[code] = totals.get(code, ZERO) + amount
        return totals

    def entry(self, entry_id: str) -> JournalEntry | None:
        return self._entries.get(entry_id)

    def reversed_by(self, entry_id: str) -> str | None:
        return self._reversed_by.get(entry_id)

    @property
    def entries(self) -> tuple[JournalEntry, ...]:
        return tuple(self._entries.values())

    @property
    def last_on(self) -> date | None:
        return self._last_on


def _fail(message: str, *, clause: str = CLAUSE_FUNDS, field: str | None = None) -> InvalidInput:
    return InvalidInput(message, clause=clause, field=field)


def _check_journal(entry: JournalEntry, balances: Balances) -> None:
    """The rules that keep the journal itself sound: no account data needed."""
    if not entry.id.strip():
        raise _fail("分录编号不能为空", field="id")
    if balances.entry(entry.id) is not None:
        raise _fail(f"分录编号 {entry.id} 已存在，分录只能追加不能修改", field="id")
    if len(entry.postings) < 2:
        raise _fail("一笔分录至少要有一借一贷两条记录", field="postings")
    for posting in entry.postings:
        if not isinstance(posting.category, Category):
            raise _fail(f"资金类别不正确：{posting.category!r}", field="category")
        amount = posting.amount
        if not amount.is_finite() or round_fen(amount) != amount:
            raise _fail(f"金额必须精确到分：{amount}", field="amount")
        if amount.is_zero():
            raise _fail("分录中的金额不能为零", field="amount")
    total = sum_money(posting.amount for posting in entry.postings)
    if total != 0:
        raise _fail(f"借贷不平衡：分录合计为 {format_yuan(total)} 元，应为零", field="postings")
    if balances.last_on is not None and entry.on < balances.last_on:
        raise _fail(
            f"记账日期 {entry.on} 早于最近一笔分录的日期 {balances.last_on}，账簿只能按日期顺序追加", field="on"
        )
    if entry.kind is EntryKind.reversal:
        _check_reversal(entry, balances)
    elif entry.reverses is not None:
        raise _fail("只有冲销分录可以引用被冲销的分录", field="reverses")


def _check_reversal(entry: JournalEntry, balances: Balances) -> None:
    if entry.reverses is None:
        raise _fail("冲销分录必须注明被冲销的分录", field="reverses")
    original = balances.entry(entry.reverses)
    if original is None:
        raise _fail(f"被冲销的分录 {entry.reverses} 不存在", field="reverses")
    if original.kind is EntryKind.reversal:
        raise _fail(f"分录 {original.id} 本身是冲销分录，不能再冲销；请重新录入原业务", field="reverses")
    earlier = balances.reversed_by(original.id)
    if earlier is not None:
        raise _fail(f"分录 {original.id} 已被分录 {earlier} 冲销，一笔分录只能冲销一次", field="reverses")
    expected = sorted((p.account, p.category, -p.amount) for p in original.postings)
    if sorted((p.account, p.category, p.amount) for p in entry.postings) != expected:
        raise _fail(f"冲销分录必须与分录 {original.id} 金额相等、方向相反、账户和类别一致", field="postings")


def validate_entry(
    entry: JournalEntry,
    accounts: Mapping[str, Account],
    balances: Balances,
    *,
    reserved: Reserved | None = None,
) -> None:
    """Raise unless ``entry`` may be appended after ``balances``; return None when it may.

    Checks, in order: the journal rules (:meth:`Balances.apply`); every account known; which
    kinds of account each entry kind may take money from and put it into (deposit: owner →
    project special; appropriation: project special → township special; payment: township
    special → household, collective or social-security account; banan-2015 (五)); each category
    balances on its own except in a transfer, which may re-assign funds between categories;
    social security is paid only from the social-security category (putian-2014 (十五));
    a move touching two projects needs ``DISTRICT_PRINCIPAL_APPROVAL`` (GateClosed,
    banan-2015 (五)) unless it reverses an approved one; no (account, category) of a kind that
    may not go negative ends below zero, and a special account is not drawn below
    ``reserved`` (money earmarked for approved payments not yet posted; the caller leaves the
    entry's own payment out of it).
    """
    _check_journal(entry, balances)
    used: dict[str, Account] = {}
    for posting in entry.postings:
        account = accounts.get(posting.account)
        if account is None:
            raise _fail(f"账户 {posting.account} 不存在", field="account")
        used[posting.account] = account
    if entry.kind is not EntryKind.reversal:
        _check_flows(entry, used)
    projects = {account.project for account in used.values() if account.project is not None}
    approved = DISTRICT_PRINCIPAL_APPROVAL in entry.approvals or entry.kind is EntryKind.reversal
    if len(projects) > 1 and not approved:
        names = "、".join(sorted(projects))
        raise GateClosed(f"项目之间调剂资金（{names}）须报经区政府主要领导批准", clause=CLAUSE_FUNDS)
    _check_sufficient(entry, used, balances, reserved or {})


def _check_flows(entry: JournalEntry, used: Mapping[str, Account]) -> None:
    credit_kinds, debit_kinds, flow_clause = _FLOWS[entry.kind]
    for posting in entry.postings:
        account = used[posting.account]
        allowed = debit_kinds if posting.amount > 0 else credit_kinds
        if account.kind not in allowed:
            into = posting.amount > 0
            where = f"转入{account.kind.label} {account.code}" if into else f"从{account.kind.label} {account.code}转出"
            clause = CLAUSE_PAYEE if into and entry.kind is EntryKind.payment else flow_clause
            raise _fail(f"{entry.kind.label}不能{where}", clause=clause, field="account")
        if account.kind is AccountKind.social_security and posting.category is not Category.social_security:
            message = f"社保资金账户只能收取社会保障资金，不能收取{posting.category.label}"
            raise _fail(message, clause=CLAUSE_SOCIAL_SECURITY, field="category")
    if entry.kind is not EntryKind.transfer:
        per_category: dict[Category, Decimal] = {}
        for posting in entry.postings:
            per_category[posting.category] = per_category.get(posting.category, ZERO) + posting.amount
        for category, total in per_category.items():
            if total != 0:
                raise _fail(f"{category.label}借贷不平衡：资金类别只能通过调剂分录改变", field="category")


def _check_sufficient(entry: JournalEntry, used: Mapping[str, Account], balances: Balances, reserved: Reserved) -> None:
    deltas: dict[tuple[str, Category], Decimal] = {}
    for posting in entry.postings:
        key = (posting.account, posting.category)
        deltas[key] = deltas.get(key, ZERO) + posting.amount
    for (code, category), delta in deltas.items():
        account = used[code]
        if account.kind.may_go_negative or delta >= 0:
            continue
        before = balances.balance(code, category)
        floor = reserved.get((code, category), ZERO) if account.kind.is_special else ZERO
        if before + delta < floor:
            available = max(before - floor, ZERO)
            held = f"（另有 {format_yuan(floor)} 元已为已审批付款预留）" if floor else ""
            raise _fail(
                f"{account.kind.label} {account.code}（{account.name}）{category.label}可用余额 "
                f"{format_yuan(available)} 元{held}，不足以支出 {format_yuan(-delta)} 元",
                clause=CLAUSE_PAYEE if account.kind in _PAYEES else CLAUSE_FUNDS,
                field="amount",
            )


def check_payee(account: Account, *, member_names: Collection[str]) -> None:
    """Raise unless ``account`` may receive a household's payment: a real-name account of one
    of the household's members (putian-2014 (七)), or the collective's account (putian-2014 (十))."""
    if account.kind is AccountKind.collective:
        return
    if account.kind is not AccountKind.household:
        message = f"征地补偿费用只能付入被征地农民的实名账户或集体账户，不能付入{account.kind.label}"
    elif account.name not in member_names:
        message = f"收款账户户名“{account.name}”不是本户家庭成员，须以本户成员的实名账户发放"
    else:
        return
    raise _fail(message, clause=CLAUSE_PAYEE, field="payee")


# Builders ---------------------------------------------------------------------------------


def movement(
    kind: EntryKind,
    id: str,
    on: date,
    source: str,
    target: str,
    category: Category,
    amount: Decimal,
    *,
    to_category: Category | None = None,
    memo: str = "",
    approvals: Collection[str] = (),
) -> JournalEntry:
    """A two-posting entry moving ``amount`` (> 0, at the fen) from ``source`` to ``target``."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or round_fen(amount) != amount or amount <= 0:
        raise _fail(f"金额必须是大于零且精确到分的数额：{amount}", field="amount")
    postings = (Posting(source, category, -amount), Posting(target, to_category or category, amount))
    return JournalEntry(id=id, on=on, kind=kind, postings=postings, memo=memo, approvals=frozenset(approvals))


def deposit(
    *, id: str, on: date, owner_account: str, project_account: str, category: Category, amount: Decimal, memo: str = ""
) -> JournalEntry:
    """Pre-funding arrives from the owner in the project special account (banan-2015 (五))."""
    return movement(EntryKind.deposit, id, on, owner_account, project_account, category, amount, memo=memo)


def appropriation(
    *,
    id: str,
    on: date,
    project_account: str,
    township_account: str,
    category: Category,
    amount: Decimal,
    memo: str = "",
) -> JournalEntry:
    """The expropriation office appropriates to the township special account (banan-2015 (五))."""
    return movement(EntryKind.appropriation, id, on, project_account, township_account, category, amount, memo=memo)


def payment(
    *, id: str, on: date, township_account: str, payee_account: str, category: Category, amount: Decimal, memo: str = ""
) -> JournalEntry:
    """The township pays a household member's real-name account or the collective
    (banan-2015 (五) 镇街专户统一支付; putian-2014 (七))."""
    return movement(EntryKind.payment, id, on, township_account, payee_account, category, amount, memo=memo)


def transfer(
    *,
    id: str,
    on: date,
    source: str,
    target: str,
    category: Category,
    amount: Decimal,
    to_category: Category | None = None,
    memo: str = "",
    approvals: Collection[str] = (),
) -> JournalEntry:
    """调剂 between special accounts or categories; across projects only with the district
    government principal leader's approval (banan-2015 (五))."""
    entry = movement(EntryKind.transfer, id, on, source, target, category, amount, to_category=to_category, memo=memo)
    return replace(entry, approvals=frozenset(approvals))


def bank_return(
    *, id: str, on: date, source: str, township_account: str, category: Category, amount: Decimal, memo: str = ""
) -> JournalEntry:
    """Money the bank sends back (closed account, wrong name) returns to the township account."""
    return movement(EntryKind.bank_return, id, on, source, township_account, category, amount, memo=memo)


def reversal(entry: JournalEntry, *, id: str, on: date, memo: str = "") -> JournalEntry:
    """The entry that cancels ``entry``: the same postings with the signs turned."""
    postings = tuple(Posting(p.account, p.category, -p.amount) for p in entry.postings)
    memo = memo or f"冲销 {entry.id}"
    return JournalEntry(id=id, on=on, kind=EntryKind.reversal, postings=postings, memo=memo, reverses=entry.id)


# Pre-funding gate -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundingGateResult:
    """Whether pre-funding is in place; ``shortfall`` lists only categories still short."""

    met: bool
    shortfall: Mapping[Category, Decimal]
    clause: str = CLAUSE_FUNDS

    @property
    def message(self) -> str:
        if self.met:
            return "前置资金已足额到位"
        parts = "；".join(f"{c.label}尚缺 {format_yuan(a)} 元" for c, a in self.shortfall.items())
        return f"前置资金未足额到位，不得启动征地拆迁：{parts}"

    def require(self) -> None:
        """Raise ``GateClosed`` unless the gate is met."""
        if not self.met:
            raise GateClosed(self.message, clause=self.clause)


def funding_budget(
    valuations: Mapping[Category, Decimal],
    *,
    social_security: Decimal,
    work_funds: Decimal,
    resettlement_housing: Decimal,
) -> dict[Category, Decimal]:
    """The pre-funding budget: valuations per category plus social security, work funds and
    resettlement housing construction and buy-back money (counted under houses; banan-2015 (五)
    "含安置房建设、回购资金")."""
    budget = {category: _budget_amount(amount, category) for category, amount in valuations.items()}
    for category, amount in (
        (Category.social_security, social_security),
        (Category.work_funds, work_funds),
        (Category.houses, resettlement_housing),
    ):
        budget[category] = budget.get(category, ZERO) + _budget_amount(amount, category)
    return budget


def _budget_amount(amount: Decimal, category: Category) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or round_fen(amount) != amount or amount < 0:
        raise _fail(f"{category.label}预算必须是不小于零且精确到分的金额：{amount}", field="budget")
    return amount


def funding_gate(budget: Mapping[Category, Decimal], balances: Balances, project_account: str) -> FundingGateResult:
    """Whether the project special account holds the whole budget, category by category,
    before expropriation starts (banan-2015 (五) 前置资金足额到位). Pass ``Balances.as_of``
    the start date to judge a past start."""
    shortfall: dict[Category, Decimal] = {}
    for category in Category:
        needed = _budget_amount(budget.get(category, ZERO), category)
        held = balances.balance(project_account, category)
        if held < needed:
            shortfall[category] = needed - held
    return FundingGateResult(met=not shortfall, shortfall=shortfall)
