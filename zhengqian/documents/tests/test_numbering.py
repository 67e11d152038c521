"""Document numbers per kind and year (〔2026〕12号): sequential, per scope/kind/year, no gap
when a transaction fails, no duplicate under concurrent requests (PostgreSQL, threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from zhengqian.documents.models import NumberCounter
from zhengqian.documents.numbering import format_number, next_number, take_next


def test_format():
    assert format_number(2026, 12) == "〔2026〕12号"
    assert format_number(2026, 3, "P-A-1查") == "P-A-1查〔2026〕3号"


@pytest.mark.django_db
def test_numbers_run_per_scope_kind_and_year():
    with transaction.atomic():
        taken = [next_number(scope="P-1", kind="archive", year=2026)[1] for _ in range(3)]
        other_kind = next_number(scope="P-1", kind="dossier", year=2026)[1]
        other_scope = next_number(scope="P-2", kind="archive", year=2026)[1]
        next_year = next_number(scope="P-1", kind="archive", year=2027)[1]
    assert taken == ["〔2026〕1号", "〔2026〕2号", "〔2026〕3号"]
    assert other_kind == other_scope == next_year.replace("2027", "2026") == "〔2026〕1号"


@pytest.mark.django_db
def test_a_failed_transaction_gives_its_number_back():
    with transaction.atomic():
        assert next_number(scope="P-1", kind="archive", year=2026)[0] == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(scope="P-1", kind="archive", year=2026)[0] == 2
        raise RuntimeError("render failed")
    with transaction.atomic():
        assert next_number(scope="P-1", kind="archive", year=2026)[0] == 2


@pytest.mark.django_db(transaction=True)
def test_numbers_are_only_taken_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside transaction"):
        take_next(NumberCounter, scope="P-1", kind="archive", year=2026)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_distinct_gap_free_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    threads, per_thread = 8, 6
    taken: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def worker() -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    seq, _ = next_number(scope="P-RACE", kind="archive", year=2026)
                with lock:
                    taken.append(seq)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert not errors
    assert sorted(taken) == list(range(1, threads * per_thread + 1))  # no gap, no duplicate
    assert NumberCounter.objects.get(scope="P-RACE").last == threads * per_thread
