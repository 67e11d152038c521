"""The journal in the database, posted through the pure ledger's rules (zhengqian/domain/ledger.py).

``post`` is called inside an action's transaction. It locks every account the entry touches
(``select_for_update``, in primary-key order so two entries cannot deadlock), reads their
balances per fee category from the postings, asks ``ledger.validate_entry`` whether the entry
may be appended (balanced, permitted flow, no overdraft below what approved payments have
earmarked, cross-project approval), writes the entry and its postings, and reads them back:
an entry whose stored postings do not sum to zero is refused before commit on every database
(on PostgreSQL a deferred constraint trigger refuses it at commit as well).

Balances are rebuilt for the domain from stored totals, not by replaying the journal: an
opening entry dated ``date.min`` carries the totals in from a synthetic opening account
(one per category, so the opening itself balances), and the entry being reversed, if any, is
applied after it so the domain can check the reversal against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q

from zhengqian.core import clock
from zhengqian.core.models import User
from zhengqian.domain import ledger as domain
from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.domain.money import format_yuan
from zhengqian.projects.models import Project

from .models import CLAUSE_FUNDS, Account, JournalEntry, Payment, Posting
from .values import MoneySum

ZERO = Decimal("0.00")
OPENING = "期初结转"
Line = tuple[Account, Category, Decimal]
Amounts = dict[tuple[int, Category], Decimal]


def domain_account(account: Account) -> domain.Account:
    project = str(account.project_id) if account.project_id is not None else None
    return domain.Account(code=account.code, kind=AccountKind(account.kind), project=project, name=account.name)


def domain_entry(entry: JournalEntry) -> domain.JournalEntry:
    """A stored entry as the domain sees it (its id is the primary key as text)."""
    postings = tuple(
        domain.Posting(posting.account.code, Category(posting.category), posting.amount)
        for posting in entry.postings.select_related("account").order_by("id")
    )
    return domain.JournalEntry(
        id=str(entry.pk), on=entry.on, kind=EntryKind(entry.kind), postings=postings, memo=entry.memo,
        reverses=str(entry.reverses_id) if entry.reverses_id else None, approvals=frozenset(entry.approvals),
    )


def amounts(accounts: Iterable[int], *, on: date | None = None) -> Amounts:
    """Balances per (account id, category), at the end of ``on`` when given."""
    postings = Posting.objects.filter(account_id__in=list(accounts))
    if on is not None:
        postings = postings.filter(entry__on__lte=on)
    rows = postings.values("account_id", "category").annotate(total=MoneySum("amount")).order_by()
    return {(row["account_id"], Category(row["category"])): row["total"] for row in rows}


def opening_balances(
    totals: Mapping[tuple[str, Category], Decimal], registered: Sequence[domain.JournalEntry] = ()
) -> domain.Balances:
    """Domain balances equal to ``totals`` (by account code), with ``registered`` entries known
    to the journal (their postings are part of ``totals``)."""
    carried = dict(totals)
    for entry in registered:
        for posting in entry.postings:
            key = (posting.account, posting.category)
            carried[key] = carried.get(key, ZERO) - posting.amount
    postings = [domain.Posting(code, category, amount) for (code, category), amount in carried.items() if amount]
    per_category: dict[Category, Decimal] = {}
    for posting in postings:
        per_category[posting.category] = per_category.get(posting.category, ZERO) + posting.amount
    postings += [domain.Posting(OPENING, category, -total) for category, total in per_category.items() if total]
    balances = domain.Balances()
    if postings:
        opening = domain.JournalEntry(id=OPENING, on=date.min, kind=EntryKind.transfer, postings=tuple(postings))
        balances = balances.apply(opening)
    for entry in registered:
        balances = balances.apply(entry)
    return balances


def lock(accounts: Iterable[int]) -> dict[int, Account]:
    """Lock the accounts' rows until the transaction ends, in primary-key order."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("journal.lock must be called inside transaction.atomic()")
    rows = Account.objects.select_for_update().filter(pk__in=sorted(set(accounts))).order_by("pk")
    return {account.pk: account for account in rows}


def _reserved(account_ids: Iterable[int], releasing: int | None) -> Amounts:
    """Money earmarked in the accounts for approved payments not yet posted (``releasing``, the
    payment being approved or posted, left out)."""
    payments = Payment.objects.filter(
        source_account_id__in=list(account_ids), state__in=[PaymentState.approved, PaymentState.sent]
    )
    if releasing is not None:
        payments = payments.exclude(pk=releasing)
    rows = payments.values("source_account_id", "category").annotate(total=MoneySum("amount")).order_by()
    return {(row["source_account_id"], Category(row["category"])): row["total"] for row in rows}


def check(
    *,
    kind: EntryKind,
    lines: Sequence[Line],
    memo: str = "",
    approvals: Iterable[str] = (),
    reverses: JournalEntry | None = None,
    releasing: int | None = None,
) -> domain.JournalEntry:
    """Lock the accounts and raise unless the entry may be appended now; the entry as checked.
    No account is drawn below the money earmarked for approved payments (banan-2015 (五))."""
    locked = lock(account.pk for account, _, _ in lines)
    code = {pk: account.code for pk, account in locked.items()}
    on = clock.today()
    last_on = JournalEntry.objects.filter(postings__account_id__in=list(locked)).aggregate(last=Max("on"))["last"]
    if last_on is not None and on < last_on:
        raise InvalidInput(f"记账日期 {on} 早于这些账户最近一笔分录的日期 {last_on}，账簿只能按日期顺序追加",
                           clause=CLAUSE_FUNDS, field="on")
    entry = domain.JournalEntry(
        id="new", on=on, kind=kind, memo=memo, approvals=frozenset(approvals),
        reverses=str(reverses.pk) if reverses is not None else None,
        postings=tuple(domain.Posting(code[account.pk], category, amount) for account, category, amount in lines),
    )
    registered = [domain_entry(reverses)] if reverses is not None else []
    totals = {(code[pk], category): total for (pk, category), total in amounts(locked).items()}
    earmarked = {(code[pk], category): total for (pk, category), total in _reserved(locked, releasing).items()}
    domain.validate_entry(
        entry, {account.code: domain_account(account) for account in locked.values()},
        opening_balances(totals, registered), reserved=earmarked,
    )
    return entry


def post(
    *,
    actor: User,
    project: Project,
    kind: EntryKind,
    lines: Sequence[Line],
    memo: str = "",
    approvals: Iterable[str] = (),
    reverses: JournalEntry | None = None,
    releasing: int | None = None,
) -> JournalEntry:
    """Append one entry (inside the caller's transaction) or raise the domain's refusal."""
    entry = check(kind=kind, lines=lines, memo=memo, approvals=approvals, reverses=reverses, releasing=releasing)
    row = JournalEntry.objects.create(
        project=project, kind=kind.value, on=entry.on, memo=memo[:200], reverses=reverses,
        approvals=sorted(entry.approvals), created_by=actor, created_at=clock.now(),
    )
    Posting.objects.bulk_create(
        Posting(entry=row, account_id=account.pk, category=category.value, amount=amount)
        for account, category, amount in lines
    )
    check_balanced(row)
    return row


def check_balanced(entry: JournalEntry) -> None:
    """Read the stored postings back: at least two, summing to zero (the check at commit on
    SQLite; PostgreSQL's deferred trigger repeats it)."""
    stored = Posting.objects.filter(entry=entry).aggregate(total=MoneySum("amount"), lines=Count("id"))
    total = stored["total"] or ZERO
    if stored["lines"] < 2 or total != 0:
        raise InvalidInput(f"借贷不平衡：凭证 {entry.pk} 合计为 {format_yuan(total)} 元，应为零",
                           clause=CLAUSE_FUNDS, field="postings")


def reverse(*, actor: User, entry: JournalEntry, memo: str = "") -> JournalEntry:
    """Post the entry that cancels ``entry`` exactly (冲销); an entry is reversed at most once."""
    if entry.kind == EntryKind.reversal:
        raise InvalidInput(f"凭证 {entry.pk} 本身是冲销凭证，不能再冲销；请重新录入原业务", field="entry")
    earlier = JournalEntry.objects.filter(reverses=entry).values_list("pk", flat=True).first()
    if earlier is not None:
        raise InvalidInput(f"凭证 {entry.pk} 已被凭证 {earlier} 冲销，一笔凭证只能冲销一次", field="entry")
    original = domain_entry(entry)
    accounts = {account.code: account for account in Account.objects.filter(postings__entry=entry).distinct()}
    lines = [(accounts[p.account], p.category, -p.amount) for p in original.postings]
    return post(actor=actor, project=entry.project, kind=EntryKind.reversal, lines=lines,
                memo=memo or f"冲销凭证 {entry.pk}", reverses=entry)


def held_by_project(project: Project, *, on: date | None = None) -> dict[Category, Decimal]:
    """Money put into the project and not taken back, per category: held in its special,
    township or social-security accounts or already paid to its payees (every account of the
    project except the owner's funding account)."""
    postings = Posting.objects.filter(account__project=project).exclude(account__kind=AccountKind.owner_funding)
    if on is not None:
        postings = postings.filter(entry__on__lte=on)
    rows = postings.values("category").annotate(total=MoneySum("amount")).order_by()
    return {Category(row["category"]): row["total"] for row in rows}


def project_entries(project: Project) -> Q:
    """Entries with a posting on one of the project's accounts (cross-project transfers appear
    in both projects)."""
    return Q(postings__account__project=project)
