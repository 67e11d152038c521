"""The fast path of idnumbers.check_id for a workbook's many resident ID numbers."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

from zhengqian.core import clock

from ..idnumbers import CheckedId, check_id
from ..models import IdType, Sex

_RESIDENT_TYPES = (IdType.RESIDENT_ID, IdType.HUKOU_BOOKLET)


@lru_cache(maxsize=8192)
def _area_known(area: str) -> bool:
    """The region-code check of idnumbers._check_resident_id, once per code."""
    return bool(numdb.get("cn/loc").info(area)[-1][1])


def _checked_id(id_type: str, number: str, today: date | None = None) -> CheckedId:
    """idnumbers.check_id, answering the common valid resident ID without python-stdnum's
    table lookup per person (cached per region code); anything else — every refusal included —
    goes to check_id itself, so the numbers accepted and the messages are the same (a property
    test compares the two)."""
    number = number.upper()
    plausible = id_type in _RESIDENT_TYPES and len(number) == 18 and number.isascii() and number[:17].isdigit()
    if plausible and number[17] == ric.calc_check_digit(number):
        try:
            birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            birth = None
        if birth is not None and birth <= (today or clock.today()) and _area_known(number[:6]):
            return CheckedId(number=number, birth_date=birth, sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE)
    return check_id(id_type, number)
