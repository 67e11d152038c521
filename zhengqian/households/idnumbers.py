"""Identity document numbers of household members: checked, normalised, and what they tell.

A resident ID (居民身份证, GB 11643-1999) carries its checksum, the birth date and the sex
(17th digit odd = male); python-stdnum (`stdnum.cn.ric`) checks the check digit and the date.

The region code is checked against stdnum's table of division codes in *any* year: its
`validate` also demands the code existed in the birth year, which rejects real numbers — an
ID's region is where it was issued, so every Chongqing resident born before 1997 holds a
500xxx number issued after the municipality was created. Other documents are kept as typed,
with a plausibility check only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

from zhengqian.core import clock
from zhengqian.domain.errors import InvalidInput

from .models import IdType, Sex

_OTHER_DOCUMENT = re.compile(r"^[A-Z0-9()\-]{5,30}$")


@dataclass(frozen=True)
class CheckedId:
    number: str
    birth_date: date | None
    sex: str


def check_id(id_type: str, number: str, *, field: str = "id_number") -> CheckedId:
    """Validate `number` as a document of `id_type`; raise InvalidInput naming `field`."""
    if id_type not in IdType.values:
        raise InvalidInput("证件类型无效。", field="id_type")
    number = re.sub(r"\s+", "", number or "").upper()
    if not number:
        raise InvalidInput("证件号码不能为空。", field=field)
    if id_type in (IdType.RESIDENT_ID, IdType.HUKOU_BOOKLET):
        return _check_resident_id(number, field)
    if not _OTHER_DOCUMENT.match(number):
        raise InvalidInput("证件号码格式不正确：应为 5—30 位字母或数字。", field=field)
    return CheckedId(number=number, birth_date=None, sex="")


def _check_resident_id(number: str, field: str) -> CheckedId:
    if len(number) != 18:
        raise InvalidInput(f"身份证号码应为 18 位，现为 {len(number)} 位。", field=field)
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidInput("身份证号码格式不正确：前 17 位应为数字，最后一位为数字或 X。", field=field)
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidInput("身份证号码校验位不正确，请核对最后一位。", field=field)
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise InvalidInput("身份证号码中的出生日期无效。", field=field) from None
    if birth > clock.today():
        raise InvalidInput("身份证号码中的出生日期晚于今天。", field=field)
    if not numdb.get("cn/loc").info(number[:6])[-1][1]:
        raise InvalidInput(f"身份证号码的地区码 {number[:6]} 不存在。", field=field)
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return CheckedId(number=number, birth_date=birth, sex=sex)
