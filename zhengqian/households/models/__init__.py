"""Household register and status survey (户籍与现状调查; putian-2014 (一)(二)(五), banan-2015 (二)(三)).

A household (户) is the unit of registration, survey, agreement and payment. Its members,
the parcels it contracts, its buildings, attachments and standing crops are surveyed and
confirmed by the household (调查确认, putian-2014 (二)). When the project's notification is
issued the register is frozen (`RegisterFreeze`): each item keeps its quantity at the cutoff in
`baseline_quantity`, and anything added or enlarged afterwards carries a `cutoff_flag`
(抢栽抢种抢建 putian-2014 (二), 新增两违 banan-2015 (三)) that the compensation issue prices at zero.

Scope: an object is visible when its village's path lies in the user's subtree and its
project is visible (selectors).

One module per topic: households.py (households, members), items.py (freeze, parcels,
buildings, attachments, crops), survey.py (survey confirmation, evidence), batches.py (import
batches). Import them from here.
"""

from .batches import (
    HouseholdImport,
    ImportStatus,
)
from .households import (
    CLAUSE_EVIDENCE,
    CLAUSE_NEW_UNLAWFUL,
    CLAUSE_RUSHED,
    CLAUSE_SURVEY,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HukouType,
    IdType,
    Relation,
    Sex,
    SurveyState,
)
from .items import (
    Attachment,
    AttachmentKind,
    Building,
    BuildingUse,
    Crop,
    CutoffFlag,
    Legality,
    Ownership,
    Parcel,
    RegisterFreeze,
    Structure,
    SurveyItem,
    Unit,
    geometry_extent,
)
from .survey import (
    ConfirmationBasis,
    EvidenceLink,
    ObjectionOutcome,
    SurveyObjection,
    SurveyRecord,
    SurveyRecordState,
)

__all__ = [
    "CLAUSE_EVIDENCE",
    "CLAUSE_NEW_UNLAWFUL",
    "CLAUSE_RUSHED",
    "CLAUSE_SURVEY",
    "Attachment",
    "AttachmentKind",
    "Building",
    "BuildingUse",
    "ConfirmationBasis",
    "Crop",
    "CutoffFlag",
    "EvidenceLink",
    "Household",
    "HouseholdImport",
    "HouseholdMember",
    "HouseholdStatus",
    "HukouType",
    "IdType",
    "ImportStatus",
    "Legality",
    "ObjectionOutcome",
    "Ownership",
    "Parcel",
    "RegisterFreeze",
    "Relation",
    "Sex",
    "Structure",
    "SurveyItem",
    "SurveyObjection",
    "SurveyRecord",
    "SurveyRecordState",
    "SurveyState",
    "Unit",
    "geometry_extent",
]
