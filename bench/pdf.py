"""Benchmark: render agreements as PDF (WeasyPrint, Noto CJK fonts) — issue 11, goal ≤60 s
for 1,000.

Uses the agreements of the database in DATABASE_URL (default: the demo database; run
`make demo` or `manage.py load_demo` first). The contexts are the compensation app's own
(``agreement_context``); each of the ``--count`` renders gets its own number and household name,
so no two documents are alike. The renders run in a process pool (``--workers``, default the
CPU count) through ``compensation.documents.pdf_from_template`` — the function the document
service calls — and each PDF's SHA-256 is taken as the service does before storing.
Baseline: the median of 3 single renders × count (one process).

Usage: python bench/pdf.py [--count 1000] [--workers N]
RESULT pdf <seconds> s baseline=<s> ratio=<x> count=<n> workers=<w>
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

TEMPLATE = "compensation/pdf/agreement.html"


def _setup() -> None:
    import django

    django.setup()


def _contexts(count: int) -> list[dict[str, Any]]:
    from zhengqian.compensation.documents import agreement_context
    from zhengqian.compensation.models import Agreement

    base = [agreement_context(a) for a in Agreement.objects.select_related("household", "project")[:20]]
    if not base:
        sys.exit("no agreements in the database: run `manage.py load_demo` first")
    out = []
    for index in range(count):
        context = dict(base[index % len(base)])
        context["number"] = f"〔2026〕第{index + 1:04d}号"
        context["head_name"] = f"{context['head_name']}{index % 97}"
        out.append(context)
    return out


def _render(context: dict[str, Any]) -> str:
    from zhengqian.compensation.documents import pdf_from_template

    return hashlib.sha256(pdf_from_template(TEMPLATE, context)).hexdigest()


def _render_chunk(contexts: list[dict[str, Any]]) -> list[str]:
    return [_render(c) for c in contexts]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    _setup()
    contexts = _contexts(args.count)
    _render(contexts[0])  # fonts loaded, templates compiled
    singles = []
    for context in contexts[:3]:
        start = time.perf_counter()
        _render(context)
        singles.append(time.perf_counter() - start)
    baseline = statistics.median(singles) * args.count
    chunks = [contexts[i :: args.workers] for i in range(args.workers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers, initializer=_setup) as pool:
        hashes = [h for chunk in pool.map(_render_chunk, chunks) for h in chunk]
    elapsed = time.perf_counter() - start
    assert len(hashes) == args.count and len(set(hashes)) == args.count, "every document is distinct"
    print(f"INFO one render {statistics.median(singles):.3f} s; pool of {args.workers} incl. start-up")
    print(f"RESULT pdf {elapsed:.1f} s baseline={baseline:.1f} ratio={baseline / elapsed:.2f} "
          f"count={args.count} workers={args.workers}")


if __name__ == "__main__":
    main()
