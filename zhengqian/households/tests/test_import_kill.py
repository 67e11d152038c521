"""kill -9 in the middle of saving an import leaves the database as it was.

A real process on a file-based SQLite database: it migrates, imports a workbook, and stops
(sleeps) right after the households, members and parcels are written but before the commit;
the test kills it with SIGKILL and opens the database file itself."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0, interactive=False)
    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import AuditEvent, User
    from zhengqian.projects.actions import project_create
    from zhengqian.households.excel import bulk
    from zhengqian.households.excel.sample import sample_register, write_workbook
    from zhengqian.households.imports import household_import
    from zhengqian.households.models import Parcel

    district = jurisdiction_create(actor=None, code="500113", name="巴南区", parent=None)
    township = jurisdiction_create(actor=None, code="500113110", name="界石镇", parent=district)
    village = jurisdiction_create(actor=None, code="500113110201", name="界石镇一村", parent=township)
    jurisdiction_create(actor=None, code="500113110201001", name="界石镇一村1组", parent=village)
    office = User.objects.create_user(username="office", password="x", role="expropriation_office",
                                      jurisdiction=district)
    project = project_create(actor=office, code="KILL-1", name="kill", owner_name="x", district=district,
                             townships=[township], land_area="1", policy_pack="putian-2014")
    path = sys.argv[1]
    write_workbook(path, sample_register(200, [("界石镇", "界石镇一村", "界石镇一村1组")]))
    print("BEFORE", AuditEvent.objects.count(), flush=True)
    original = bulk.insert

    def insert(model, rows):
        count = original(model, rows)
        if model is Parcel:
            print("WRITTEN", count, flush=True)
            time.sleep(600)
        return count

    bulk.insert = insert
    household_import(actor=office, project=project, path=path, file_name="kill.xlsx")
    print("FINISHED", flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_9_during_import_leaves_the_database_as_before(tmp_path):
    database = tmp_path / "kill.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "kill.xlsx")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    before = None
    try:
        for line in process.stdout:
            if line.startswith("BEFORE"):
                before = int(line.split()[1])
            if line.startswith("WRITTEN"):
                assert int(line.split()[1]) == 400  # the parcels are in, uncommitted
                break
        else:
            pytest.fail(f"the import never reached the parcels: {process.stderr.read()[-2000:]}")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    connection = sqlite3.connect(database)
    try:
        count = lambda table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("households_household", "households_householdmember", "households_parcel",
                      "households_building", "households_householdimport"):
            assert count(table) == 0, table
        assert count("core_auditevent") == before
        assert count("projects_project") == 1  # what was committed before the import is intact
    finally:
        connection.close()
