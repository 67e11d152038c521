#!/usr/bin/env python3
"""Verify a Zhengqian archive package offline (banan-2015 (七) 档案). Standard library only:

    python3 archive_verify.py 档案包.zip [--seal <SHA-256 of SHA256SUMS from the audit log>]

Checks that every file listed in manifest.json is in the ZIP with the listed size and SHA-256,
that no file was added, and that SHA256SUMS agrees with manifest.json. With ``--seal`` it also
checks SHA256SUMS itself against the hash the system recorded in its audit log when the package
was built, which detects a package whose manifest was rewritten together with its files.
Exit status 0 when intact, 1 when anything does not match (each problem is printed), 2 when
the file is not a readable package. The same checks run as ``manage.py archive_verify``.
The unpacked files can also be checked with coreutils: ``sha256sum -c SHA256SUMS``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from dataclasses import dataclass, field

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
# Files describing the package itself, not listed in the manifest.
SELF_FILES = {MANIFEST, SUMS, "README.txt", "archive_verify.py"}


@dataclass
class Report:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    sums_sha256: str = ""

    @property
    def intact(self) -> bool:
        return not self.problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(path: str, seal: str = "") -> Report:
    report = Report()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            report.problems.append("缺少 manifest.json (missing manifest)")
            return report
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        listed: dict[str, dict[str, object]] = {}
        for entry in manifest.get("files", []):
            listed[str(entry["path"])] = entry
        for name, entry in sorted(listed.items()):
            if name not in names:
                report.problems.append(f"缺少文件 (missing): {name}")
                continue
            data = archive.read(name)
            if len(data) != entry.get("size") or _sha256(data) != entry.get("sha256"):
                report.problems.append(f"文件被改动 (changed): {name}")
            report.checked += 1
        for name in sorted(names - set(listed) - SELF_FILES):
            if not name.endswith("/"):
                report.problems.append(f"多出未登记的文件 (not in manifest): {name}")
        if SUMS in names:
            sums = archive.read(SUMS)
            report.sums_sha256 = _sha256(sums)
            expected = {}
            for line in sums.decode("utf-8").splitlines():
                digest, _, name = line.partition("  ")
                expected[name] = digest
            manifest_hash = _sha256(archive.read(MANIFEST))
            if expected.get(MANIFEST) != manifest_hash:
                report.problems.append("SHA256SUMS 与 manifest.json 不符 (manifest changed)")
            for name, entry in listed.items():
                if expected.get(name) != entry.get("sha256"):
                    report.problems.append(f"SHA256SUMS 与 manifest.json 不符 (sums differ): {name}")
            if seal and seal.strip().lower() != report.sums_sha256:
                report.problems.append("SHA256SUMS 与审计日志记录的封存哈希不符 (seal differs)")
        else:
            report.problems.append("缺少 SHA256SUMS (missing sums)")
    return report


def main(argv: list[str]) -> int:
    args = list(argv)
    seal = ""
    if "--seal" in args:
        index = args.index("--seal")
        seal = args[index + 1] if index + 1 < len(args) else ""
        del args[index : index + 2]
    if len(args) != 1:
        print("用法: python3 archive_verify.py <档案包.zip> [--seal <SHA-256>]", file=sys.stderr)
        return 2
    try:
        report = verify(args[0], seal)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        print(f"无法读取档案包: {exc}", file=sys.stderr)
        return 2
    for problem in report.problems:
        print(problem)
    if report.intact:
        print(f"OK 核验通过: {report.checked} 个文件与清单一致; SHA256SUMS {report.sums_sha256}")
        return 0
    print(f"FAILED 核验不通过: {len(report.problems)} 处问题")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
