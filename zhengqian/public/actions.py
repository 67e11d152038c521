"""The household self-lookup (issue 11 §4; putian-2014 (九) 信息公开, PIPL 最小必要).

A villager gives an ID number (the head's or a member's) and a second factor: the household's
agreement number or the code printed on its 补偿信息查询告知单 (public/codes.py). Any wrong input
(malformed or unknown ID, wrong factor) gets the same answer. Failures are counted per address
and per ID number with core's LoginThrottle rows (keys ``lookup:…``), the login throttle's
pattern; after settings.PUBLIC_LOOKUP_FAILURE_LIMIT failures the key is locked for
PUBLIC_LOOKUP_LOCK_MINUTES. Every lookup is logged in LookupLog without the full ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from zhengqian.core import clock, crypto
from zhengqian.core.models import LoginThrottle
from zhengqian.households.models import Household, HouseholdMember

from .codes import code_matches, normalise
from .models import LookupLog, LookupOutcome

NO_MATCH = "未查到匹配的信息。请核对身份证号码和查询码（或协议编号）后重试。"
THROTTLED = "查询次数过多，请稍后再试。"


@dataclass(frozen=True)
class LookupResult:
    household: Household | None
    message: str
    outcome: str


def _keys(address: str, id_hash: str) -> list[str]:
    keys = [f"lookup:addr:{address[:64]}"]
    if id_hash:
        keys.append(f"lookup:id:{id_hash[:40]}")
    return keys


def _throttle_state(keys: list[str]) -> tuple[bool, bool]:
    """(locked, any failures counted) for ``keys``, in one query."""
    now = clock.now()
    rows = list(LoginThrottle.objects.filter(key__in=keys).values_list("locked_until", flat=True))
    return any(until is not None and until > now for until in rows), bool(rows)


def _fail(keys: list[str]) -> None:
    now = clock.now()
    limit = settings.PUBLIC_LOOKUP_FAILURE_LIMIT
    for key in keys:
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key, defaults={"updated_at": now})
        if throttle.locked_until and throttle.locked_until <= now:
            throttle.failures, throttle.locked_until = 0, None
        throttle.failures += 1
        if throttle.failures >= limit:
            throttle.locked_until = now + timedelta(minutes=settings.PUBLIC_LOOKUP_LOCK_MINUTES)
        throttle.updated_at = now
        throttle.save()


def _match(id_hash: str, factor: str) -> Household | None:
    from zhengqian.compensation.models import Agreement

    if not id_hash or not factor:
        return None
    members = HouseholdMember.objects.filter(id_number_hash=id_hash).select_related(
        "household__project", "household__village"
    )
    households = [member.household for member in members]
    for household in households:  # the printed code needs no query
        if code_matches(household.pk, factor):
            return household
    for household in households:
        numbers = Agreement.objects.filter(household_id=household.pk).values_list("number", flat=True)
        if any(normalise(n) == factor for n in numbers):
            return household
    return None


def household_lookup(*, id_number: str, factor: str, address: str) -> LookupResult:
    """Find the household that ``id_number`` belongs to, if ``factor`` is its agreement number
    or lookup code; otherwise the uniform answer. Logged; throttled."""
    raw = normalise(id_number or "")[:40]
    id_hash = crypto.lookup_hash(raw) if raw else ""
    factor = normalise(factor or "")[:60]
    keys = _keys(address or "", id_hash)
    with transaction.atomic():
        locked, counted = _throttle_state(keys)
        if locked:
            household, outcome, message = None, LookupOutcome.THROTTLED, THROTTLED
        else:
            household = _match(id_hash, factor)
            if household is None:
                _fail(keys)
                outcome, message = LookupOutcome.NOT_FOUND, NO_MATCH
            else:
                if counted:
                    LoginThrottle.objects.filter(key__in=keys).delete()
                outcome, message = LookupOutcome.FOUND, ""
        LookupLog.objects.create(
            at=clock.now(), id_hash=id_hash, id_masked=crypto.mask_id_number(raw) if raw else "",
            address=(address or "")[:64], outcome=outcome, household=household,
        )
    return LookupResult(household=household, message=message, outcome=outcome)
