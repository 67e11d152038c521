"""Members: ID checksum, derived birth date and sex, encryption, masking, full view audited,
one person per project, the account holder a member."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from zhengqian.core import crypto
from zhengqian.core.models import AuditEvent
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.errors import InvalidInput
from zhengqian.households import actions, selectors
from zhengqian.households.idnumbers import check_id
from zhengqian.households.models import HouseholdMember

from .factories import make_household, resident_id


@pytest.fixture
def household(clerk_a, project_a, township_a):
    return make_household(clerk_a, project_a, township_a)


def test_resident_id_checksum_birth_and_sex():
    number = resident_id(date(1975, 2, 28), serial=457)
    checked = check_id("resident_id", number.lower())
    assert checked.number == number and checked.birth_date == date(1975, 2, 28) and checked.sex == "male"
    assert check_id("resident_id", resident_id(serial=456)).sex == "female"
    assert check_id("resident_id", "11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "应为 18 位"),
        ("110105194912310021", "校验位不正确"),
        ("11010519491331002?", "出生日期无效"),
        ("99999919491231002?", "地区码"),
        ("1101051949123100AX", "格式不正确"),
        ("", "不能为空"),
    ],
)
def test_bad_resident_ids_are_refused_with_a_message(number, message):
    if number.endswith("?"):  # a correct check digit, so the other fault is the one reported
        number = number[:17] + ric.calc_check_digit(number[:17] + "0")
    with pytest.raises(InvalidInput, match=message) as error:
        check_id("resident_id", number)
    assert error.value.field == "id_number"


def test_chongqing_number_issued_after_1997_to_someone_born_before_is_accepted():
    # stdnum's own validate() refuses this real shape (region code newer than the birth year).
    assert check_id("resident_id", resident_id(date(1962, 7, 1), region="500113")).birth_date == date(1962, 7, 1)


def test_other_documents_need_only_a_plausible_number():
    assert check_id("passport", " e1234 5678 ").number == "E12345678"
    with pytest.raises(InvalidInput, match="证件号码格式"):
        check_id("passport", "中文")
    with pytest.raises(InvalidInput) as error:
        check_id("nonsense", "E12345678")
    assert error.value.field == "id_type"


def test_member_is_stored_encrypted_with_lookup_hash_and_mask(clerk_a, household):
    number = resident_id(date(1980, 5, 17), serial=123)
    member = actions.member_add(actor=clerk_a, household=household, name="张三", id_number=number, relation="head")
    member.refresh_from_db()
    assert number not in member.id_number_encrypted
    assert crypto.decrypt(member.id_number_encrypted) == number
    assert member.id_number_hash == crypto.lookup_hash(number)
    assert member.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert member.birth_date == date(1980, 5, 17) and member.sex == "male"
    event = AuditEvent.objects.get(action="member.add")
    assert number not in str(event.after) and event.after["id_number_masked"] == member.id_number_masked


def test_birth_date_or_sex_contradicting_the_id_is_refused(clerk_a, household):
    number = resident_id(date(1980, 5, 17), serial=123)
    with pytest.raises(InvalidInput) as error:
        actions.member_add(actor=clerk_a, household=household, name="张三", id_number=number, birth_date="1981-01-01")
    assert error.value.field == "birth_date"
    with pytest.raises(InvalidInput) as error:
        actions.member_add(actor=clerk_a, household=household, name="张三", id_number=number, sex="female")
    assert error.value.field == "sex"
    assert HouseholdMember.objects.count() == 0


def test_person_in_two_households_of_one_project_is_refused(clerk_a, office_user, project_a, township_a, project_b,
                                                            township_b):
    first = make_household(clerk_a, project_a, township_a, code="H-1")
    second = make_household(clerk_a, project_a, township_a, code="H-2")
    number = resident_id()
    actions.member_add(actor=clerk_a, household=first, name="张三", id_number=number)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="H-1 户") as error:
        actions.member_add(actor=clerk_a, household=second, name="张三", id_number=number.lower())
    assert error.value.field == "id_number"
    assert AuditEvent.objects.count() == before and second.members.count() == 0
    # the same person in another project is fine
    other = make_household(office_user, project_b, township_b, code="H-1")
    actions.member_add(actor=office_user, household=other, name="张三", id_number=number)


def test_only_one_head_per_household(clerk_a, household):
    actions.member_add(actor=clerk_a, household=household, name="张三", id_number=resident_id(serial=1),
                       relation="head")
    with pytest.raises(InvalidInput, match="已有户主") as error:
        actions.member_add(actor=clerk_a, household=household, name="李四", id_number=resident_id(serial=3),
                           relation="head")
    assert error.value.field == "relation"


def test_bank_account_holder_must_be_a_member(clerk_a, project_a, township_a, household):
    other = make_household(clerk_a, project_a, township_a, code="H-9")
    outsider = actions.member_add(actor=clerk_a, household=other, name="王五", id_number=resident_id(serial=5))
    with pytest.raises(InvalidInput, match="不是本户家庭成员") as error:
        actions.household_set_bank_account(actor=clerk_a, household=household, bank_name="农商行",
                                           bank_account_no="6221 0000 1111 2222", holder=outsider)
    assert error.value.field == "bank_account_holder"
    with pytest.raises(InvalidInput) as error:
        actions.household_set_bank_account(actor=clerk_a, household=household, bank_name="农商行",
                                           bank_account_no="6221000011112222", holder=None)
    assert error.value.field == "bank_account_holder"
    member = actions.member_add(actor=clerk_a, household=household, name="张三", id_number=resident_id())
    with pytest.raises(InvalidInput) as error:
        actions.household_set_bank_account(actor=clerk_a, household=household, bank_name="农商行",
                                           bank_account_no="62x1", holder=member)
    assert error.value.field == "bank_account_no"
    household = actions.household_set_bank_account(actor=clerk_a, household=household, bank_name="农商行",
                                                   bank_account_no="6221 0000 1111 2222", holder=member)
    assert household.bank_account_no == "6221000011112222" and household.bank_account_holder == member
    with pytest.raises(InvalidInput, match="实名账户的户名"):
        actions.member_remove(actor=clerk_a, member=member)


def test_full_id_view_is_audited_and_needs_the_capability(clerk_a, make_user, district, household):
    number = resident_id()
    member = actions.member_add(actor=clerk_a, household=household, name="张三", id_number=number)
    assert actions.member_reveal_id(actor=clerk_a, member=member, reason="核对") == number
    event = AuditEvent.objects.get(action="member.view_full_id")
    assert event.actor == clerk_a and event.object_id == str(member.pk) and number not in str(event.after)
    auditor = make_user("auditor", "supervisor", district)
    with pytest.raises(PermissionDeniedError):
        actions.member_reveal_id(actor=auditor, member=member)


def test_pages_show_masked_ids_and_reveal_only_on_request(client, clerk_a, make_user, district, household):
    number = resident_id()
    member = actions.member_add(actor=clerk_a, household=household, name="张三", id_number=number)
    auditor = make_user("auditor", "supervisor", district)
    client.force_login(auditor)
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert member.id_number_masked in page and number not in page and "显示完整" not in page
    assert client.post(f"/households/members/{member.pk}/reveal/").status_code == 403
    api = client.get(f"/api/v1/households/{household.pk}").json()
    assert api["members"][0]["id_number_masked"] == member.id_number_masked and number not in str(api)
    client.force_login(clerk_a)
    assert "显示完整" in client.get(f"/households/{household.pk}/").content.decode()
    assert number in client.post(f"/households/members/{member.pk}/reveal/", HTTP_HX_REQUEST="true").content.decode()
    assert client.post(f"/api/v1/households/members/{member.pk}/full-id", {}, content_type="application/json"
                       ).json()["id_number"] == number
    assert AuditEvent.objects.filter(action="member.view_full_id").count() == 2


def test_search_by_full_id_number_uses_the_lookup_hash(clerk_a, household):
    number = resident_id()
    actions.member_add(actor=clerk_a, household=household, name="张三", id_number=number)
    assert list(selectors.households_for(user=clerk_a, search=number)) == [household]
    assert list(selectors.households_for(user=clerk_a, search=resident_id(serial=9))) == []
