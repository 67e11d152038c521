"""``Idempotency-Key`` for the money-moving API calls (domain.bank_files.idempotent_replay).

The key is claimed by inserting its row first, in the same transaction as the action: a
concurrent request with the same key waits on the unique index and then finds the stored
answer. The same key with the same request (method, path, body) returns the first answer; with
another request it is refused with 409. A refused action stores nothing, so it may be retried
under the same key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse

from zhengqian.core import clock
from zhengqian.domain.bank_files import idempotent_replay, request_fingerprint
from zhengqian.domain.errors import InvalidInput

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY = 200


def _conflict() -> JsonResponse:
    return JsonResponse({"detail": "同一幂等键已用于内容不同的请求，请使用新的幂等键", "field": "Idempotency-Key"},
                        status=409)


def _replay(record: IdempotencyRecord, request_body: Mapping[str, Any]) -> JsonResponse:
    try:
        idempotent_replay(record.fingerprint, request_body)
    except InvalidInput:
        return _conflict()
    response = JsonResponse(record.response, status=record.status_code, safe=False)
    response["Idempotent-Replay"] = "true"
    return response


def run(request: HttpRequest, body: Mapping[str, Any], action: Callable[[], tuple[int, Any]]) -> JsonResponse:
    """Run ``action`` (returning status and a JSON-able payload) at most once per key."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        status, payload = action()
        return JsonResponse(payload, status=status, safe=False)
    if len(key) > MAX_KEY:
        raise InvalidInput(f"幂等键不能超过 {MAX_KEY} 个字符。", field=HEADER)
    request_body = {"method": request.method, "path": request.path, "user": request.user.pk, "body": dict(body)}
    record = IdempotencyRecord.objects.filter(key=key).first()
    if record is not None:
        return _replay(record, request_body)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                key=key, fingerprint=request_fingerprint(request_body), user=request.user, status_code=0,
                response={}, created_at=clock.now(),
            )
            status, payload = action()
            record.status_code, record.response = status, payload
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(key=key).first()
        if record is None:
            raise
        return _replay(record, request_body)
    return JsonResponse(payload, status=status, safe=False)
