"""The household self-lookup: ID number plus agreement number or printed code; one answer for
every wrong input; throttled per address and per ID number; logged without the full ID."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengqian.core import crypto
from zhengqian.core.models import LoginThrottle
from zhengqian.public.actions import NO_MATCH, household_lookup
from zhengqian.public.codes import lookup_code
from zhengqian.public.models import LookupLog, LookupOutcome

pytestmark = pytest.mark.django_db


def post(client, id_number, factor, address="10.0.0.1"):
    return client.post(reverse("public:lookup"), {"id_number": id_number, "factor": factor}, REMOTE_ADDR=address)


def test_id_number_and_agreement_number_open_the_households_own_file(client, story):
    response = post(client, story.head_id, story.agreement.number)
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "王建国户 · C-001" in body and story.agreement.number in body
    assert "补偿明细" in body and str(story.agreement.valuation.total) in body
    assert "房屋 C-001-FW1：砖混" in body and "附着物 C-001-FZ1：水井 1.00 口" in body  # the survey, in words
    assert "C-002" not in body and "欧阳娜娜" not in body  # nothing of any other household


def test_printed_code_works_as_typed_on_a_phone(story):
    code = lookup_code(story.household.pk)
    typed = f"{code[:4].lower()}-{code[4:]}".replace("A", "Ａ")  # lower case, dash, a full-width letter
    result = household_lookup(id_number=story.head_id.lower(), factor=typed, address="10.0.0.2")
    assert result.household == story.household and result.outcome == LookupOutcome.FOUND


def test_a_member_can_look_up_with_the_code(story):
    from zhengqian.compensation.tests.factories import _SERIALS  # noqa: F401 - members made by the factory

    member = story.household.members.exclude(relation="head").first()
    result = household_lookup(id_number=crypto.decrypt(member.id_number_encrypted),
                              factor=lookup_code(story.household.pk), address="10.0.0.3")
    assert result.household == story.household


@pytest.mark.parametrize("case", ["wrong factor", "unknown id", "malformed id", "empty", "other household's code"])
def test_every_wrong_input_gets_the_same_answer(client, story, case):
    good = post(client, story.head_id, "XXXX-YYYY", address="10.1.0.0").content.decode()
    inputs = {
        "wrong factor": (story.head_id, "ABCD-EFGH"),
        "unknown id": ("110101199003071234", story.agreement.number),
        "malformed id": ("<script>", "'; drop table"),
        "empty": ("", ""),
        "other household's code": (story.head_id, lookup_code(story.other.pk)),
    }[case]
    response = post(client, *inputs, address="10.1.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert NO_MATCH in body and body.replace(_csrf(body), "") == good.replace(_csrf(good), "")


def _csrf(body: str) -> str:
    start = body.find('name="csrfmiddlewaretoken" value="')
    return body[start: body.find('"', start + 34)] if start >= 0 else ""


def test_failures_are_throttled_per_address_and_per_id(client, settings, story):
    settings.PUBLIC_LOOKUP_FAILURE_LIMIT = 3
    for _ in range(3):
        assert post(client, story.head_id, "WRONG", address="10.2.0.1").status_code == 200
    # The right answer from the locked address is refused too, without saying whether it was right.
    locked = post(client, story.head_id, story.agreement.number, address="10.2.0.1")
    assert locked.status_code == 429 and "王建国户" not in locked.content.decode()
    # The ID number is locked from any address as well (a distributed guess at one person).
    assert post(client, story.head_id, story.agreement.number, address="10.2.0.9").status_code == 429
    assert LookupLog.objects.filter(outcome=LookupOutcome.THROTTLED).count() == 2
    # Another person from another address is not affected.
    assert household_lookup(id_number=story.other_id, factor=lookup_code(story.other.pk),
                            address="10.3.0.1").household == story.other


def test_success_clears_the_failure_count(story):
    household_lookup(id_number=story.head_id, factor="WRONG", address="10.4.0.1")
    assert LoginThrottle.objects.filter(key__startswith="lookup:").count() == 2
    household_lookup(id_number=story.head_id, factor=story.agreement.number, address="10.4.0.1")
    assert not LoginThrottle.objects.filter(key__startswith="lookup:").exists()


def test_every_lookup_is_logged_without_the_full_id_number(client, story):
    post(client, story.head_id, story.agreement.number)
    post(client, story.head_id, "WRONG")
    post(client, "110101199003071234", "WRONG")
    logs = list(LookupLog.objects.order_by("id"))
    assert [log.outcome for log in logs] == ["found", "not_found", "not_found"]
    assert logs[0].household == story.household and logs[1].household is None
    assert logs[0].id_hash == crypto.lookup_hash(story.head_id)
    assert logs[0].id_masked == crypto.mask_id_number(story.head_id)
    for log in logs:
        for value in (log.id_hash, log.id_masked, log.address, str(log)):
            assert story.head_id not in value and "110101199003071234" not in value
