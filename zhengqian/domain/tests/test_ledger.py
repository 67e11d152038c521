"""Funds ledger: double entry, special accounts, pre-funding and cross-project rules
(banan-2015 (五), putian-2014 (七)(十)(十五))."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from zhengqian.domain import bank_files
from zhengqian.domain.errors import DomainError, GateClosed, InvalidInput
from zhengqian.domain.ledger import (
    CLAUSE_FUNDS,
    CLAUSE_PAYEE,
    CLAUSE_SOCIAL_SECURITY,
    DISTRICT_PRINCIPAL_APPROVAL,
    Account,
    AccountKind,
    Balances,
    Category,
    EntryKind,
    JournalEntry,
    Posting,
    appropriation,
    bank_return,
    check_payee,
    deposit,
    funding_budget,
    funding_gate,
    payment,
    reversal,
    transfer,
    validate_entry,
)
from zhengqian.domain.money import from_fen, to_fen

D = Decimal
K = AccountKind
LAND = Category.land_compensation
HOUSES = Category.houses
SOCIAL = Category.social_security
DAY = date(2026, 3, 2)

ACCOUNTS = {
    account.code: account
    for account in (
        Account("OWN-A", K.owner_funding, "A", "业主甲"),
        Account("OWN-B", K.owner_funding, "B", "业主乙"),
        Account("PRJ-A", K.project_special, "A", "项目甲专户"),
        Account("PRJ-B", K.project_special, "B", "项目乙专户"),
        Account("TWN-A", K.township_special, "A", "界石镇专户·项目甲"),
        Account("TWN-B", K.township_special, "B", "南泉街道专户·项目乙"),
        Account("HH-1", K.household, None, "张三"),
        Account("HH-2", K.household, None, "李四"),
        Account("COL-1", K.collective, None, "桥口坝村集体经济组织"),
        Account("SS", K.social_security, None, "被征地农民社保资金"),
        Account("BANK", K.bank_clearing, None, "银行清算"),
    )
}


def post(balances: Balances, *entries: JournalEntry) -> Balances:
    for entry in entries:
        validate_entry(entry, ACCOUNTS, balances)
        balances = balances.apply(entry)
    return balances


def funded(amount: str = "1000.00", category: Category = LAND) -> Balances:
    """Project A: amount deposited and appropriated to the township."""
    return post(
        Balances(),
        deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=category, amount=D(amount)),
        appropriation(
            id="A1", on=DAY, project_account="PRJ-A", township_account="TWN-A", category=category, amount=D(amount)
        ),
    )


def rejected(entry: JournalEntry, balances: Balances, error: type[DomainError] = InvalidInput) -> DomainError:
    with pytest.raises(error) as caught:
        validate_entry(entry, ACCOUNTS, balances)
    return caught.value


# Kinds and labels ---------------------------------------------------------------------------


def test_only_external_sources_may_go_negative() -> None:
    assert {kind for kind in AccountKind if kind.may_go_negative} == {K.owner_funding, K.bank_clearing}
    assert K.project_special.label == "项目专户"
    assert K.household.label == "农户实名账户"
    assert LAND.label == "土地补偿费"
    assert Category.crops_and_attachments.label == "青苗及构（附）着物补偿费"
    assert EntryKind.reversal.label == "冲销"
    assert all(kind.label for kind in EntryKind)


def test_posting_refuses_float() -> None:
    with pytest.raises(TypeError):
        Posting("PRJ-A", LAND, 1.5)  # type: ignore[arg-type]


# Sign convention and balances ---------------------------------------------------------------


def test_deposit_debits_the_special_account_and_credits_the_owner() -> None:
    entry = deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("500.00"))
    assert entry.postings == (Posting("OWN-A", LAND, D("-500.00")), Posting("PRJ-A", LAND, D("500.00")))
    balances = post(Balances(), entry)
    assert balances.balance("PRJ-A") == D("500.00")
    assert balances.balance("PRJ-A", LAND) == D("500.00")
    assert balances.balance("PRJ-A", HOUSES) == 0
    assert balances.balance("OWN-A") == D("-500.00")
    assert sum(balances.trial_balance().values()) == 0


def test_money_flows_down_to_the_household() -> None:
    balances = post(
        funded("1000.00"),
        payment(id="P1", on=DAY, township_account="TWN-A", payee_account="HH-1", category=LAND, amount=D("300.50")),
    )
    assert balances.trial_balance() == {
        "OWN-A": D("-1000.00"),
        "PRJ-A": D("0.00"),
        "TWN-A": D("699.50"),
        "HH-1": D("300.50"),
    }
    assert balances.by_category("TWN-A") == {LAND: D("699.50")}
    assert [entry.id for entry in balances.entries] == ["D1", "A1", "P1"]


def test_apply_returns_a_new_object_and_keeps_the_old() -> None:
    before = Balances()
    entry = deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("1.00"))
    after = before.apply(entry)
    assert before.balance("PRJ-A") == 0
    assert before.entries == ()
    assert after.balance("PRJ-A") == D("1.00")


def test_as_of_rebuilds_past_balances() -> None:
    entries = [
        deposit(
            id="D1", on=date(2026, 1, 5), owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("100")
        ),
        deposit(
            id="D2", on=date(2026, 2, 5), owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("50")
        ),
    ]
    assert Balances.as_of(entries, date(2026, 1, 4)).balance("PRJ-A") == 0
    assert Balances.as_of(entries, date(2026, 1, 5)).balance("PRJ-A") == D("100")
    assert Balances.as_of(entries, date(2026, 3, 1)).balance("PRJ-A") == D("150")


# Journal rules -------------------------------------------------------------------------------


def test_unbalanced_entry_is_refused() -> None:
    entry = JournalEntry(
        "X1", DAY, EntryKind.deposit, (Posting("OWN-A", LAND, D("-10.00")), Posting("PRJ-A", LAND, D("9.99")))
    )
    error = rejected(entry, Balances())
    assert "借贷不平衡" in error.message
    assert error.clause == CLAUSE_FUNDS
    with pytest.raises(InvalidInput):
        Balances().apply(entry)


@pytest.mark.parametrize(
    ("postings", "words"),
    [
        ((Posting("PRJ-A", LAND, D("0.00")),), "一借一贷"),
        ((Posting("OWN-A", LAND, D("-0.005")), Posting("PRJ-A", LAND, D("0.005"))), "精确到分"),
        ((Posting("OWN-A", LAND, D("0")), Posting("PRJ-A", LAND, D("0"))), "不能为零"),
        ((Posting("OWN-A", LAND, D("-1")), Posting("NOPE", LAND, D("1"))), "账户 NOPE 不存在"),
    ],
)
def test_malformed_entries_are_refused(postings: tuple[Posting, ...], words: str) -> None:
    assert words in rejected(JournalEntry("X1", DAY, EntryKind.deposit, postings), Balances()).message


def test_entry_ids_are_unique_and_the_journal_append_only() -> None:
    balances = funded()
    again = deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("1"))
    assert "已存在" in rejected(again, balances).message
    blank = deposit(id=" ", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("1"))
    assert rejected(blank, balances).field == "id"


def test_entries_are_appended_in_date_order() -> None:
    balances = funded()
    earlier = deposit(
        id="D0",
        on=DAY - timedelta(days=1),
        owner_account="OWN-A",
        project_account="PRJ-A",
        category=LAND,
        amount=D("1"),
    )
    assert "早于最近一笔分录" in rejected(earlier, balances).message


@pytest.mark.parametrize("amount", [D("0"), D("-1.00"), D("0.001"), D("NaN")])
def test_builders_take_positive_fen_amounts(amount: Decimal) -> None:
    with pytest.raises(InvalidInput, match="大于零且精确到分"):
        deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=amount)


# Special accounts and flows (banan-2015 (五)) --------------------------------------------


def test_no_appropriation_beyond_the_available_balance() -> None:
    balances = post(
        Balances(),
        deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("100.00")),
    )
    too_much = appropriation(
        id="A1", on=DAY, project_account="PRJ-A", township_account="TWN-A", category=LAND, amount=D("100.01")
    )
    error = rejected(too_much, balances)
    assert error.message == "项目专户 PRJ-A（项目甲专户）土地补偿费可用余额 100.00 元，不足以支出 100.01 元"
    assert error.clause == CLAUSE_FUNDS
    other_category = appropriation(
        id="A1", on=DAY, project_account="PRJ-A", township_account="TWN-A", category=HOUSES, amount=D("1.00")
    )
    assert "原房补偿及住房安置费可用余额 0.00 元" in rejected(other_category, balances).message


def test_reserved_money_is_not_available() -> None:
    balances = funded("100.00")
    reserved = {("TWN-A", LAND): D("80.00")}
    pay = payment(id="P1", on=DAY, township_account="TWN-A", payee_account="HH-1", category=LAND, amount=D("30.00"))
    with pytest.raises(InvalidInput) as caught:
        validate_entry(pay, ACCOUNTS, balances, reserved=reserved)
    assert "可用余额 20.00 元（另有 80.00 元已为已审批付款预留）" in caught.value.message
    validate_entry(pay, ACCOUNTS, balances, reserved={("TWN-A", LAND): D("70.00")})
    more = deposit(id="D9", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("1.00"))
    validate_entry(more, ACCOUNTS, balances, reserved={("PRJ-A", LAND): D("500.00")})


@pytest.mark.parametrize(
    ("entry", "words", "clause"),
    [
        (
            payment(id="P1", on=DAY, township_account="PRJ-A", payee_account="HH-1", category=LAND, amount=D("1")),
            "支付不能从项目专户 PRJ-A转出",
            CLAUSE_FUNDS,
        ),
        (
            payment(id="P1", on=DAY, township_account="TWN-A", payee_account="OWN-A", category=LAND, amount=D("1")),
            "支付不能转入业主出资账户 OWN-A",
            CLAUSE_PAYEE,
        ),
        (
            deposit(id="D2", on=DAY, owner_account="OWN-A", project_account="TWN-A", category=LAND, amount=D("1")),
            "资金到位不能转入镇街专户 TWN-A",
            CLAUSE_FUNDS,
        ),
        (
            appropriation(
                id="A2", on=DAY, project_account="TWN-A", township_account="PRJ-A", category=LAND, amount=D("1")
            ),
            "拨付镇街专户不能从镇街专户 TWN-A转出",
            CLAUSE_FUNDS,
        ),
    ],
)
def test_money_follows_the_special_account_route(entry: JournalEntry, words: str, clause: str) -> None:
    error = rejected(entry, funded())
    assert error.message == words
    assert error.clause == clause


def test_category_changes_only_by_transfer() -> None:
    balances = funded("100.00")
    mixed = JournalEntry(
        "P1",
        DAY,
        EntryKind.payment,
        (Posting("TWN-A", LAND, D("-10.00")), Posting("HH-1", HOUSES, D("10.00"))),
    )
    assert "资金类别只能通过调剂分录改变" in rejected(mixed, balances).message
    moved = transfer(id="T1", on=DAY, source="TWN-A", target="TWN-A", category=LAND, amount=D("10"), to_category=HOUSES)
    after = post(balances, moved)
    assert after.by_category("TWN-A") == {LAND: D("90.00"), HOUSES: D("10.00")}


def test_cross_project_moves_need_the_district_principal_leader() -> None:
    balances = funded("100.00")
    lend = transfer(id="T1", on=DAY, source="TWN-A", target="TWN-B", category=LAND, amount=D("10.00"))
    error = rejected(lend, balances, GateClosed)
    assert error.message == "项目之间调剂资金（A、B）须报经区政府主要领导批准"
    assert error.clause == "banan-2015 (五)"
    wrong_township = appropriation(
        id="A2", on=DAY, project_account="PRJ-A", township_account="TWN-B", category=LAND, amount=D("1.00")
    )
    rejected(wrong_township, balances, GateClosed)
    approved = transfer(
        id="T1",
        on=DAY,
        source="TWN-A",
        target="TWN-B",
        category=LAND,
        amount=D("10.00"),
        approvals={DISTRICT_PRINCIPAL_APPROVAL},
    )
    after = post(balances, approved)
    assert after.balance("TWN-B") == D("10.00")
    # Undoing the approved move restores the state before it; it needs no second approval.
    undone = post(after, reversal(approved, id="R1", on=DAY))
    assert undone.balance("TWN-B") == 0


def test_payee_is_a_household_or_the_collective() -> None:
    balances = funded("100.00")
    for payee in ("HH-1", "COL-1"):
        entry = payment(id="P1", on=DAY, township_account="TWN-A", payee_account=payee, category=LAND, amount=D("1"))
        validate_entry(entry, ACCOUNTS, balances)
    to_bank = payment(id="P1", on=DAY, township_account="TWN-A", payee_account="BANK", category=LAND, amount=D("1"))
    assert rejected(to_bank, balances).clause == CLAUSE_PAYEE


def test_check_payee_wants_a_member_real_name_account() -> None:
    check_payee(ACCOUNTS["HH-1"], member_names={"张三", "王五"})
    check_payee(ACCOUNTS["COL-1"], member_names=())
    with pytest.raises(InvalidInput) as caught:
        check_payee(ACCOUNTS["HH-2"], member_names={"张三"})
    assert str(caught.value) == "收款账户户名“李四”不是本户家庭成员，须以本户成员的实名账户发放（putian-2014 (七)）"
    with pytest.raises(InvalidInput, match="不能付入项目专户"):
        check_payee(ACCOUNTS["PRJ-A"], member_names={"项目甲专户"})


def test_social_security_account_takes_only_social_security_money() -> None:
    balances = funded("100.00", SOCIAL)
    ok = payment(id="P1", on=DAY, township_account="TWN-A", payee_account="SS", category=SOCIAL, amount=D("100"))
    assert post(balances, ok).balance("SS", SOCIAL) == D("100.00")
    land = post(funded("100.00"), *())
    wrong = payment(id="P1", on=DAY, township_account="TWN-A", payee_account="SS", category=LAND, amount=D("1"))
    error = rejected(wrong, land)
    assert error.clause == CLAUSE_SOCIAL_SECURITY
    assert "社保资金账户只能收取社会保障资金" in error.message


def test_bank_return_gives_money_back_to_the_township() -> None:
    paid = post(
        funded("100.00"),
        payment(id="P1", on=DAY, township_account="TWN-A", payee_account="HH-1", category=LAND, amount=D("40")),
    )
    back = bank_return(id="B1", on=DAY, source="HH-1", township_account="TWN-A", category=LAND, amount=D("40"))
    after = post(paid, back)
    assert after.balance("HH-1") == 0
    assert after.balance("TWN-A") == D("100.00")
    too_much = bank_return(id="B1", on=DAY, source="HH-1", township_account="TWN-A", category=LAND, amount=D("41"))
    error = rejected(too_much, paid)
    assert "农户实名账户 HH-1（张三）土地补偿费可用余额 40.00 元" in error.message
    assert error.clause == CLAUSE_PAYEE


# Reversals -----------------------------------------------------------------------------------


def test_reversal_negates_once() -> None:
    balances = funded("100.00")
    pay = payment(id="P1", on=DAY, township_account="TWN-A", payee_account="HH-1", category=LAND, amount=D("40"))
    balances = post(balances, pay)
    undo = reversal(pay, id="R1", on=DAY + timedelta(days=1))
    assert undo.memo == "冲销 P1"
    assert undo.reverses == "P1"
    balances = post(balances, undo)
    assert balances.balance("HH-1") == 0
    assert balances.balance("TWN-A") == D("100.00")
    assert balances.reversed_by("P1") == "R1"
    twice = reversal(pay, id="R2", on=DAY + timedelta(days=1))
    assert rejected(twice, balances).message == "分录 P1 已被分录 R1 冲销，一笔分录只能冲销一次"
    of_reversal = reversal(undo, id="R3", on=DAY + timedelta(days=1))
    assert "本身是冲销分录" in rejected(of_reversal, balances).message


def test_reversal_must_match_the_original_exactly() -> None:
    balances = funded("100.00")
    partial = JournalEntry(
        "R1",
        DAY,
        EntryKind.reversal,
        (Posting("TWN-A", LAND, D("-50.00")), Posting("PRJ-A", LAND, D("50.00"))),
        reverses="A1",
    )
    assert "金额相等、方向相反" in rejected(partial, balances).message
    orphan = JournalEntry("R1", DAY, EntryKind.reversal, partial.postings, reverses="NOPE")
    assert "不存在" in rejected(orphan, balances).message
    unnamed = JournalEntry("R1", DAY, EntryKind.reversal, partial.postings)
    assert "必须注明" in rejected(unnamed, balances).message
    sneaky = JournalEntry("X1", DAY, EntryKind.appropriation, partial.postings, reverses="A1")
    assert "只有冲销分录" in rejected(sneaky, balances).message


def test_reversal_cannot_take_back_money_already_spent() -> None:
    balances = funded("100.00")
    error = rejected(reversal(balances.entries[0], id="R1", on=DAY), balances)
    assert error.message == "项目专户 PRJ-A（项目甲专户）土地补偿费可用余额 0.00 元，不足以支出 100.00 元"


# Pre-funding gate ----------------------------------------------------------------------------


def test_funding_budget_adds_social_security_work_funds_and_housing() -> None:
    budget = funding_budget(
        {LAND: D("1000.00"), HOUSES: D("500.00")},
        social_security=D("300.00"),
        work_funds=D("20.00"),
        resettlement_housing=D("200.00"),
    )
    assert budget == {LAND: D("1000.00"), HOUSES: D("700.00"), SOCIAL: D("300.00"), Category.work_funds: D("20.00")}
    with pytest.raises(InvalidInput, match="工作经费预算"):
        funding_budget({}, social_security=D("0"), work_funds=D("-1"), resettlement_housing=D("0"))


def test_funding_gate_reports_the_shortfall_by_category() -> None:
    balances = post(
        Balances(),
        deposit(id="D1", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("1000.00")),
        deposit(id="D2", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=HOUSES, amount=D("100.00")),
    )
    budget = {LAND: D("800.00"), HOUSES: D("250.00"), SOCIAL: D("50.00")}
    result = funding_gate(budget, balances, "PRJ-A")
    assert not result.met
    assert result.shortfall == {HOUSES: D("150.00"), SOCIAL: D("50.00")}
    assert result.clause == "banan-2015 (五)"
    assert result.message == (
        "前置资金未足额到位，不得启动征地拆迁：原房补偿及住房安置费尚缺 150.00 元；社会保障资金尚缺 50.00 元"
    )
    with pytest.raises(GateClosed) as caught:
        result.require()
    assert caught.value.clause == "banan-2015 (五)"
    topped = post(
        balances,
        deposit(id="D3", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=HOUSES, amount=D("150")),
        deposit(id="D4", on=DAY, owner_account="OWN-A", project_account="PRJ-A", category=SOCIAL, amount=D("50")),
    )
    ok = funding_gate(budget, topped, "PRJ-A")
    assert ok.met
    assert ok.shortfall == {}
    assert ok.message == "前置资金已足额到位"
    ok.require()


def test_payment_names_are_re_exported() -> None:
    from zhengqian.domain import ledger

    assert ledger.PaymentState is bank_files.PaymentState
    assert ledger.transition is bank_files.transition
    assert ledger.request_fingerprint is bank_files.request_fingerprint


# Stateful: random sequences of valid and invalid movements ----------------------------------

AMOUNTS = st.integers(min_value=1, max_value=200_000).map(from_fen)
PROJECTS = st.sampled_from(["A", "B"])
CATEGORIES = st.sampled_from([LAND, HOUSES, SOCIAL])
PAYEES = st.sampled_from(["HH-1", "HH-2", "COL-1", "SS"])
# A share (percent) of what the source holds, so that most movements can succeed; None keeps
# the random amount, which often exceeds the balance.
Portion = int | None
PORTIONS = st.one_of(st.none(), st.integers(min_value=1, max_value=100))


class LedgerMachine(RuleBasedStateMachine):
    """Every rule predicts from an independent model whether the ledger must accept the entry,
    and checks that it does exactly that."""

    def __init__(self) -> None:
        super().__init__()
        self.balances = Balances()
        self.accepted: list[JournalEntry] = []
        self.model: dict[tuple[str, Category], Decimal] = {}
        self.day = date(2026, 1, 5)
        self.counter = 0

    def next_id(self) -> str:
        self.counter += 1
        return f"E{self.counter}"

    def held(self, account: str, category: Category) -> Decimal:
        return self.model.get((account, category), D("0"))

    def pick_amount(self, account: str, category: Category, amount: Decimal, portion: Portion) -> Decimal:
        held = self.held(account, category)
        if portion is None or held <= 0:
            return amount
        return max(from_fen(to_fen(held) * portion // 100), D("0.01"))

    @initialize(amounts=st.lists(AMOUNTS, min_size=6, max_size=6))
    def fund(self, amounts: list[Decimal]) -> None:
        pairs = [(project, category) for project in "AB" for category in (LAND, HOUSES, SOCIAL)]
        for (project, category), amount in zip(pairs, amounts, strict=True):
            entry = deposit(
                id=self.next_id(),
                on=self.day,
                owner_account=f"OWN-{project}",
                project_account=f"PRJ-{project}",
                category=category,
                amount=amount,
            )
            self.attempt(entry, expected=True)
            half = appropriation(
                id=self.next_id(),
                on=self.day,
                project_account=f"PRJ-{project}",
                township_account=f"TWN-{project}",
                category=category,
                amount=max(from_fen(to_fen(amount) // 2), D("0.01")),
            )
            self.attempt(half, expected=True)

    def attempt(self, entry: JournalEntry, expected: bool) -> None:
        before = self.balances
        snapshot = (before.trial_balance(), before.entries)
        try:
            validate_entry(entry, ACCOUNTS, before)
        except DomainError as error:
            assert not expected, f"refused a valid entry: {error}"
            assert error.message
            assert (before.trial_balance(), before.entries) == snapshot
            return
        assert expected, f"accepted an invalid entry: {entry}"
        self.balances = before.apply(entry)
        self.accepted.append(entry)
        for posting in entry.postings:
            key = (posting.account, posting.category)
            self.model[key] = self.held(*key) + posting.amount
        assert (before.trial_balance(), before.entries) == snapshot

    @rule(days=st.integers(min_value=0, max_value=3))
    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)

    @rule(owner=PROJECTS, project=PROJECTS, category=CATEGORIES, amount=AMOUNTS)
    def deposit(self, owner: str, project: str, category: Category, amount: Decimal) -> None:
        entry = deposit(
            id=self.next_id(),
            on=self.day,
            owner_account=f"OWN-{owner}",
            project_account=f"PRJ-{project}",
            category=category,
            amount=amount,
        )
        self.attempt(entry, expected=owner == project)

    @rule(project=PROJECTS, township=PROJECTS, category=CATEGORIES, amount=AMOUNTS, portion=PORTIONS)
    def appropriate(self, project: str, township: str, category: Category, amount: Decimal, portion: Portion) -> None:
        source = f"PRJ-{project}"
        amount = self.pick_amount(source, category, amount, portion)
        entry = appropriation(
            id=self.next_id(),
            on=self.day,
            project_account=source,
            township_account=f"TWN-{township}",
            category=category,
            amount=amount,
        )
        self.attempt(entry, expected=project == township and self.held(source, category) >= amount)

    @rule(project=PROJECTS, payee=PAYEES, category=CATEGORIES, amount=AMOUNTS, portion=PORTIONS)
    def pay(self, project: str, payee: str, category: Category, amount: Decimal, portion: Portion) -> None:
        source = f"TWN-{project}"
        amount = self.pick_amount(source, category, amount, portion)
        entry_id = self.next_id()
        entry = payment(
            id=entry_id, on=self.day, township_account=source, payee_account=payee, category=category, amount=amount
        )
        allowed = payee != "SS" or category is SOCIAL
        self.attempt(entry, expected=allowed and self.held(source, category) >= amount)

    @rule(payee=PAYEES, project=PROJECTS, category=CATEGORIES, amount=AMOUNTS, portion=PORTIONS)
    def bank_return(self, payee: str, project: str, category: Category, amount: Decimal, portion: Portion) -> None:
        amount = self.pick_amount(payee, category, amount, portion)
        township = f"TWN-{project}"
        entry = bank_return(
            id=self.next_id(), on=self.day, source=payee, township_account=township, category=category, amount=amount
        )
        self.attempt(entry, expected=self.held(payee, category) >= amount)

    @rule(source=PROJECTS, category=CATEGORIES, amount=AMOUNTS, portion=PORTIONS, approved=st.booleans())
    def lend(self, source: str, category: Category, amount: Decimal, portion: int | None, approved: bool) -> None:
        target = "B" if source == "A" else "A"
        amount = self.pick_amount(f"PRJ-{source}", category, amount, portion)
        entry = transfer(
            id=self.next_id(),
            on=self.day,
            source=f"PRJ-{source}",
            target=f"PRJ-{target}",
            category=category,
            amount=amount,
            approvals={DISTRICT_PRINCIPAL_APPROVAL} if approved else set(),
        )
        self.attempt(entry, expected=approved and self.held(f"PRJ-{source}", category) >= amount)

    @precondition(lambda self: bool(self.accepted))
    @rule(pick=st.integers(min_value=0))
    def reverse(self, pick: int) -> None:
        original = self.accepted[pick % len(self.accepted)]
        entry = reversal(original, id=self.next_id(), on=self.day)
        expected = original.kind is not EntryKind.reversal and self.balances.reversed_by(original.id) is None
        for posting in entry.postings:
            account = ACCOUNTS[posting.account]
            after = self.held(posting.account, posting.category) + posting.amount
            expected = expected and (account.kind.may_go_negative or after >= 0)
        self.attempt(entry, expected=expected)

    @rule(cents=st.integers(min_value=1, max_value=99), category=CATEGORIES)
    def unbalanced(self, cents: int, category: Category) -> None:
        amount = D("10.00")
        postings = (Posting("OWN-A", category, -amount), Posting("PRJ-A", category, amount + from_fen(cents)))
        self.attempt(JournalEntry(self.next_id(), self.day, EntryKind.deposit, postings), expected=False)

    @rule(category=CATEGORIES)
    def sub_fen(self, category: Category) -> None:
        postings = (Posting("OWN-A", category, D("-0.001")), Posting("PRJ-A", category, D("0.001")))
        self.attempt(JournalEntry(self.next_id(), self.day, EntryKind.deposit, postings), expected=False)

    @precondition(lambda self: bool(self.accepted))
    @rule()
    def backdated(self) -> None:
        entry = deposit(
            id=self.next_id(),
            on=self.accepted[-1].on - timedelta(days=1),
            owner_account="OWN-A",
            project_account="PRJ-A",
            category=LAND,
            amount=D("1.00"),
        )
        self.attempt(entry, expected=False)

    @precondition(lambda self: bool(self.accepted))
    @rule()
    def duplicate_id(self) -> None:
        first = self.accepted[0].id
        entry = deposit(
            id=first, on=self.day, owner_account="OWN-A", project_account="PRJ-A", category=LAND, amount=D("1")
        )
        self.attempt(entry, expected=False)

    @precondition(lambda self: bool(self.accepted))
    @rule(pick=st.integers(min_value=0))
    def history(self, pick: int) -> None:
        cut = self.accepted[pick % len(self.accepted)].on
        past = Balances.as_of(self.accepted, cut)
        assert sum(past.trial_balance().values()) == 0
        for (code, category), amount in _amounts(past):
            assert ACCOUNTS[code].kind.may_go_negative or amount >= 0, (code, category, amount, cut)

    @invariant()
    def entries_balance(self) -> None:
        for entry in self.accepted:
            assert sum(posting.amount for posting in entry.postings) == 0

    @invariant()
    def nothing_forbidden_below_zero(self) -> None:
        for (code, category), amount in _amounts(self.balances):
            assert ACCOUNTS[code].kind.may_go_negative or amount >= 0, (code, category, amount)
            assert ACCOUNTS[code].kind.may_go_negative or self.balances.balance(code) >= 0

    @invariant()
    def trial_balance_is_zero(self) -> None:
        assert sum(self.balances.trial_balance().values()) == 0
        for category in Category:
            assert sum(self.balances.balance(code, category) for code in ACCOUNTS) == 0

    @invariant()
    def balances_equal_the_sum_of_accepted_postings(self) -> None:
        for code in ACCOUNTS:
            for category in Category:
                assert self.balances.balance(code, category) == self.held(code, category)
        assert [entry.id for entry in self.balances.entries] == [entry.id for entry in self.accepted]


def _amounts(balances: Balances) -> Iterator[tuple[tuple[str, Category], Decimal]]:
    for code in ACCOUNTS:
        for category, amount in balances.by_category(code).items():
            yield (code, category), amount


LedgerMachine.TestCase.settings = settings(max_examples=500, stateful_step_count=30, deadline=None)
TestLedgerMachine = LedgerMachine.TestCase
