"""Benchmark: the household self-lookup endpoint under load — issue 11, goal ≥300 req/s and
p99 ≤100 ms, against the production server (gunicorn) on PostgreSQL.

Own PostgreSQL database ``zq_bench_lookup`` (created and migrated on first run, reused while it
holds the households): 2,000 households with two members each (ID numbers stored encrypted with
their HMAC, as the register does). gunicorn serves ``config.wsgi`` (``--gunicorn-workers``,
default 2 × CPUs); the load generator is ``--clients`` processes × ``--threads`` keep-alive
connections, each fetching the form once (CSRF cookie and token), then POSTing lookups of random
households (ID number + printed lookup code) for ``--seconds``; every answer must be the
household's own page. The failure limit is raised for the run so that one address (127.0.0.1)
is not locked by design (no wrong inputs are sent anyway).

Usage: python bench/public_lookup.py [--seconds 20] [--clients 2] [--threads 8]
RESULT public_lookup_rps <req/s> req/s goal=300
RESULT public_lookup_p99 <ms> ms goal=100
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "zq_bench_lookup"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = f"{PG_SERVER}/{DATABASE}"
HOUSEHOLDS = 2000


def _prepare() -> list[tuple[str, str]]:
    """(ID number, lookup code) of every household, creating the data set when missing."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            connection.execute(f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from zhengqian.core import clock, crypto
    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import Jurisdiction, User
    from zhengqian.households.models import Household, HouseholdMember
    from zhengqian.projects.models import Project
    from zhengqian.public.codes import lookup_code

    def id_number(n: int) -> str:
        return f"5001131970{n:08d}"

    if Household.objects.filter(project__code="BENCH-L").count() < HOUSEHOLDS:
        district = Jurisdiction.objects.filter(code="500113").first() or jurisdiction_create(
            actor=None, code="500113", name="巴南区", parent=None)
        township = Jurisdiction.objects.filter(code="500113110").first() or jurisdiction_create(
            actor=None, code="500113110", name="界石镇", parent=district)
        village = Jurisdiction.objects.filter(code="500113110201").first() or jurisdiction_create(
            actor=None, code="500113110201", name="一村", parent=township)
        user = User.objects.filter(username="bench").first() or User.objects.create_user(
            username="bench", password="Bench#2026-x", role="expropriation_office", jurisdiction=district)
        now = clock.now()
        project, _ = Project.objects.get_or_create(code="BENCH-L", defaults={
            "name": "查询压测", "owner_name": "x", "district": district, "land_area": 1, "policy_pack": "putian-2014",
            "created_by": user, "created_at": now, "updated_at": now})
        Household.objects.filter(project=project).delete()
        households = Household.objects.bulk_create([
            Household(project=project, code=f"L-{n:05d}", head_name=f"压测{n}", village=village, created_by=user,
                      created_at=now, updated_at=now) for n in range(HOUSEHOLDS)])
        members = []
        for household in households:
            for k in range(2):
                number = id_number(household.pk * 2 + k)
                members.append(HouseholdMember(
                    household=household, project=project, name=f"成员{k}", id_number_encrypted=crypto.encrypt(number),
                    id_number_hash=crypto.lookup_hash(number), id_number_masked=crypto.mask_id_number(number),
                    relation="head" if k == 0 else "child", created_at=now, updated_at=now))
        HouseholdMember.objects.bulk_create(members)
    pairs = []
    for member in HouseholdMember.objects.filter(project__code="BENCH-L").only("household_id", "id_number_encrypted"):
        pairs.append((crypto.decrypt(member.id_number_encrypted), lookup_code(member.household_id)))
    return pairs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _client(
    port: int, pairs: list[tuple[str, str]], seconds: float, threads: int, queue: multiprocessing.Queue[list[float]]
) -> None:
    import threading

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    ready = threading.Barrier(threads)

    def run() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/public/lookup/")
        response = connection.getresponse()
        body = response.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)  # type: ignore[union-attr]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
        mine: list[float] = []
        bad = 0
        ready.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            number, code = random.choice(pairs)
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "id_number": number, "factor": code})
            start = time.perf_counter()
            connection.request("POST", "/public/lookup/", body=data, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
                "Origin": f"http://127.0.0.1:{port}", "Referer": f"http://127.0.0.1:{port}/public/lookup/"})
            answer = connection.getresponse()
            page = answer.read()
            mine.append(time.perf_counter() - start)
            if answer.status != 200 or b"data-household" not in page:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put([*latencies, -float(errors[0]) - 1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--gunicorn-workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    pairs = _prepare()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_SETTINGS_MODULE": "config.settings.base",
           "DEBUG": "0", "PUBLIC_LOOKUP_FAILURE_LIMIT": "1000000000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(args.gunicorn_workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(4 * args.gunicorn_workers):  # every worker has imported Django
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            warm.request("GET", "/public/lookup/")
            warm.getresponse().read()
            warm.close()
        queue: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
        clients = [multiprocessing.Process(target=_client, args=(port, pairs, args.seconds, args.threads, queue))
                   for _ in range(args.clients)]
        for client in clients:
            client.start()
        latencies: list[float] = []
        errors = 0
        for _ in clients:
            result = queue.get()
            errors += int(-result[-1] - 1)
            latencies.extend(result[:-1])
        for client in clients:
            client.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    rps = len(latencies) / args.seconds
    print(f"INFO {len(latencies)} lookups, {errors} wrong answers, gunicorn workers={args.gunicorn_workers}, "
          f"load {args.clients}×{args.threads} connections, {os.cpu_count()} CPUs shared with the load generator")
    print(f"RESULT public_lookup_rps {rps:.0f} req/s goal=300")
    print(f"RESULT public_lookup_p99 {p99:.1f} ms goal=100")


if __name__ == "__main__":
    main()
