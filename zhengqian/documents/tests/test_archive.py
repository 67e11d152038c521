"""Archive packages (banan-2015 (七)): ZIP with a PDF index, the documents, the evidence and a
manifest of hashes, verifiable offline — a changed, missing or added file is detected, by
`manage.py archive_verify` and by the standalone stdlib-only script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhengqian.core.evidence import evidence_read
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.documents import actions, archive
from zhengqian.documents.archive_verify import verify
from zhengqian.domain.errors import InvalidInput

pytestmark = pytest.mark.django_db
SCRIPT = Path(archive.__file__).parent / "archive_verify.py"


@pytest.fixture
def package(story, office_user, project_a, tmp_path):
    actions.document_render(actor=office_user, kind="agreement", obj=story.agreement)
    document = archive.archive_build(actor=office_user, project=project_a)
    path = tmp_path / "package.zip"
    path.write_bytes(evidence_read(document.file))
    return document, path


def _rewrite(path: Path, target: Path, change) -> None:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                out.writestr(info.filename, data)


def test_package_holds_index_documents_evidence_and_manifest(package, story):
    document, path = package
    assert document.number == "P-A-1档〔2026〕1号" and document.kind == "archive"
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read("index.pdf").startswith(b"%PDF")
    assert {"index.pdf", "manifest.json", "SHA256SUMS", "README.txt", "archive_verify.py"} <= names
    assert any(n.startswith("documents/procedure/") for n in names)  # the published notice
    assert any(n.startswith("documents/rendered/") for n in names)  # the rendered agreement
    assert any(n.startswith("evidence/") and n.endswith(".png") for n in names)  # the posting photo
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json", "SHA256SUMS", "README.txt",
                                                              "archive_verify.py"}
    report = verify(str(path), archive.seal_of(document))
    assert report.intact and report.checked == len(manifest["files"])


def test_manage_command_and_standalone_script_accept_an_intact_package(package):
    document, path = package
    out = io.StringIO()
    call_command("archive_verify", str(path), "--seal", archive.seal_of(document), stdout=out)
    assert out.getvalue().startswith("OK")
    # -I: isolated mode, no site-packages, no project on the path: the standard library only.
    result = subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("OK")


def test_a_changed_file_is_detected(package, tmp_path):
    _, path = package
    tampered = tmp_path / "tampered.zip"
    _rewrite(path, tampered, lambda name, data: data + b"x" if name.startswith("evidence/") else data)
    report = verify(str(tampered))
    assert not report.intact and any("changed" in p and "evidence/" in p for p in report.problems)
    with pytest.raises(CommandError, match="核验不通过"):
        call_command("archive_verify", str(tampered), stdout=io.StringIO())
    result = subprocess.run([sys.executable, "-I", str(SCRIPT), str(tampered)], capture_output=True, text=True)
    assert result.returncode == 1 and "changed" in result.stdout


def test_missing_and_added_files_are_detected(package, tmp_path):
    _, path = package
    removed = tmp_path / "removed.zip"
    _rewrite(path, removed, lambda name, data: None if name == "index.pdf" else data)
    assert any("missing" in p for p in verify(str(removed)).problems)
    added = tmp_path / "added.zip"
    _rewrite(path, added, lambda name, data: data)
    with zipfile.ZipFile(added, "a") as zf:
        zf.writestr("evidence/extra.pdf", b"%PDF forged")
    assert any("not in manifest" in p for p in verify(str(added)).problems)


def test_a_rewritten_manifest_is_caught_by_the_seal(package, tmp_path):
    """Whoever changes a file and rewrites manifest.json and SHA256SUMS to match still fails
    against the seal recorded in the audit log when the package was built."""
    import hashlib

    document, path = package
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    target = manifest["files"][1]
    new = b"%PDF forged"
    target["sha256"], target["size"] = hashlib.sha256(new).hexdigest(), len(new)
    manifest_bytes = json.dumps(manifest).encode()
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"])
    sums += f"{hashlib.sha256(manifest_bytes).hexdigest()}  manifest.json\n"

    def change(name, data):
        return {target["path"]: new, "manifest.json": manifest_bytes, "SHA256SUMS": sums.encode()}.get(name, data)

    _rewrite(path, forged, change)
    assert verify(str(forged)).intact  # self-consistent…
    assert not verify(str(forged), archive.seal_of(document)).intact  # …but not what was sealed


def test_garbage_is_not_a_package(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    result = subprocess.run([sys.executable, "-I", str(SCRIPT), str(junk)], capture_output=True, text=True)
    assert result.returncode == 2
    with pytest.raises(CommandError, match="无法读取"):
        call_command("archive_verify", str(junk), stdout=io.StringIO())


def test_household_dossier_holds_only_that_household(story, office_user, tmp_path):
    actions.document_render(actor=office_user, kind="survey_sheet", obj=story.household)
    actions.document_render(actor=office_user, kind="survey_sheet", obj=story.other)
    document = archive.dossier_build(actor=office_user, household=story.household)
    path = tmp_path / "dossier.zip"
    path.write_bytes(evidence_read(document.file))
    with zipfile.ZipFile(path) as zf:
        titles = [f["title"] for f in json.loads(zf.read("manifest.json"))["files"]]
    assert any("C-001" in t for t in titles) and not any("C-002" in t for t in titles)
    assert verify(str(path), archive.seal_of(document)).intact


def test_archives_are_scoped_and_need_the_capability(story, clerk_a, project_a, make_user, township_b):
    with pytest.raises(InvalidInput):
        archive.archive_build(actor=make_user("office_b", "expropriation_office", township_b), project=project_a)
    with pytest.raises(PermissionDeniedError):
        archive.archive_build(actor=clerk_a, project=project_a)  # clerks render, the office archives
