"""State changes of the household register and status survey, one module per family
(docs/architecture.md): households and members, the register freeze and surveyed items, survey
confirmation, evidence. Keyword-only, explicit actor, one transaction, audited. Every refusal is
an InvalidInput naming the field, or a GateClosed naming the clause; a refused action saves
nothing. Import them from here."""

from .common import (
    ATTACHMENT_FIELDS,
    BUILDING_FIELDS,
    CROP_FIELDS,
    HOUSEHOLD_FIELDS,
    ITEM_FIELDS,
    MEMBER_FIELDS,
    OBJECTION_FIELDS,
    PARCEL_FIELDS,
    SURVEY_FIELDS,
)
from .evidence import evidence_attach
from .items import (
    attachment_create,
    building_create,
    crop_create,
    item_delete,
    item_update,
    parcel_create,
    parcel_update,
    register_freeze,
)
from .register import (
    household_create,
    household_set_bank_account,
    household_update,
    member_add,
    member_full_id_number,
    member_remove,
    member_reveal_id,
    member_update,
)
from .survey import (
    objection_file,
    objection_resolve,
    survey_close_windows,
    survey_record,
    survey_refuse,
    survey_sign,
)

__all__ = [
    "ATTACHMENT_FIELDS",
    "BUILDING_FIELDS",
    "CROP_FIELDS",
    "HOUSEHOLD_FIELDS",
    "ITEM_FIELDS",
    "MEMBER_FIELDS",
    "OBJECTION_FIELDS",
    "PARCEL_FIELDS",
    "SURVEY_FIELDS",
    "attachment_create",
    "building_create",
    "crop_create",
    "evidence_attach",
    "household_create",
    "household_set_bank_account",
    "household_update",
    "item_delete",
    "item_update",
    "member_add",
    "member_full_id_number",
    "member_remove",
    "member_reveal_id",
    "member_update",
    "objection_file",
    "objection_resolve",
    "parcel_create",
    "parcel_update",
    "register_freeze",
    "survey_close_windows",
    "survey_record",
    "survey_refuse",
    "survey_sign",
]
