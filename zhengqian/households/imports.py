"""Import of the household register from the standard workbook (户 / 家庭成员 / 地块 / 房屋 /
附着物及青苗), all or nothing (putian-2014 (二)(五): the survey register).

NOTE for the households app (R): this module added, additively, to models.py the
`HouseholdImport` model, the parcel bounding-box columns `bbox_west/south/east/north` (set with
the shape by `Parcel.set_geometry` in parcel_create/parcel_update; here from validate's bounds) and
migration 0002_import_batches_parcel_extent. It reuses `actions.items._cutoff` (the freeze rule).
The row checks repeat the actions' rules in bulk form — excel/validate.py `_checked_id` (fast
path of idnumbers.check_id, which it falls back to), `_geometries` (vectorised
geometry.parse_geometry + ellipsoidal_area; tests compare both), `_PHONE`/`_ACCOUNT`: a change
to those rules in actions/, idnumbers.py, geometry.py needs the same change there.

    household_import(...)   the action: check → read → validate → save in one transaction
    import_start(...)       the UI's entry: store the upload, create the batch, run it (a thread)
    import_progress(...)    what the progress bar shows

Every row is validated before anything is written; if any row is wrong nothing is saved and
the batch keeps the list of problems (sheet, row, column, message). Otherwise all rows are
bulk-inserted in one transaction with one audit event `household.import`, so an interrupted
import (even kill -9) leaves the database as it was. A file already imported into the project
(same SHA-256) is refused.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet
from django.http import Http404

from zhengqian.core import audit, clock, crypto
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.core.selectors import scope_q
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import projects_for

from .actions.items import _cutoff
from .excel import bulk
from .excel.issues import Issue
from .excel.reader import read_workbook
from .excel.safety import WorkbookRefused, check_workbook
from .excel.sealing import Sealer
from .excel.validate import Context, Existing, Places, Plan, validate
from .models import (
    Attachment,
    Building,
    BuildingUse,
    Crop,
    CutoffFlag,
    Household,
    HouseholdImport,
    HouseholdMember,
    HukouType,
    ImportStatus,
    Legality,
    Parcel,
    RegisterFreeze,
)

logger = logging.getLogger(__name__)

STORED_ISSUES = 5000
UPLOAD_DIR = "household-imports"

ProgressFn = Callable[[str, int, int], None]  # (phase label, done, total)


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def previous_import(project: Project, sha256: str) -> HouseholdImport | None:
    return HouseholdImport.objects.filter(project=project, sha256=sha256, status=ImportStatus.SUCCEEDED).first()


def _already_imported_message(previous: HouseholdImport) -> str:
    when = previous.finished_at.astimezone(clock.LOCAL_ZONE) if previous.finished_at else None
    at = f"于 {when:%Y-%m-%d %H:%M} " if when else ""
    return f"同一文件已{at}导入本项目（第 {previous.pk} 批），不重复导入。如需修改已导入的户，请在系统中逐户修改。"


def _check_actor(actor: User, project: Project) -> Project:
    require(actor, "household.edit")
    if not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")
    return Project.objects.select_related("district").get(pk=project.pk)


def load_context(*, actor: User, project: Project) -> Context:
    """The places a workbook may name and what the project already holds."""
    places = Places.for_project(list(project.townships.all()), actor.scope_path or "\0")
    existing = Existing(
        household_codes=set(Household.objects.filter(project=project).values_list("code", flat=True)),
        parcel_codes=set(Parcel.objects.filter(project=project).values_list("code", flat=True)),
        building_codes=set(Building.objects.filter(project=project).values_list("code", flat=True)),
        attachment_codes=set(Attachment.objects.filter(project=project).values_list("code", flat=True)),
        crop_codes=set(Crop.objects.filter(project=project).values_list("code", flat=True)),
        id_hashes=dict(
            HouseholdMember.objects.filter(project=project)
            .exclude(id_number_hash="")
            .values_list("id_number_hash", "household__code")
        ),
    )
    return Context(places=places, existing=existing, this_year=clock.today().year)


@dataclass
class Outcome:
    """What an import did: the batch, and (when rejected) every issue, not only those stored."""

    batch: HouseholdImport
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        return self.batch.status == ImportStatus.SUCCEEDED


def household_import(
    *,
    actor: User,
    project: Project,
    path: Path,
    file_name: str,
    batch: HouseholdImport | None = None,
    progress: ProgressFn | None = None,
    reason: str = "",
) -> Outcome:
    """Validate the whole workbook, then save it all in one transaction or nothing at all."""
    progress = progress or _no_progress
    project = _check_actor(actor, project)
    path = Path(path)
    sha256 = file_sha256(path)
    now = clock.now()
    if batch is None:
        batch = HouseholdImport(
            project=project,
            file_name=file_name[:255],
            sha256=sha256,
            size=path.stat().st_size,
            jurisdiction_path=actor.scope_path or "",
            created_by=actor,
            created_at=now,
        )
    batch.started_at = now
    batch.status = ImportStatus.RUNNING
    if batch.pk:
        HouseholdImport.objects.filter(pk=batch.pk).update(status=batch.status, started_at=now)

    def reject(message: str, issues: list[Issue], total: int | None = None) -> Outcome:
        batch.status = ImportStatus.REJECTED
        batch.message = message
        batch.issues = [issue.as_dict() for issue in issues[:STORED_ISSUES]]
        batch.issue_total = total if total is not None else len(issues)
        batch.finished_at = clock.now()
        batch.save()
        progress("未通过校验", 1, 1)
        return Outcome(batch=batch, issues=issues)

    previous = previous_import(project, sha256)
    if previous is not None:
        return reject(_already_imported_message(previous), [])

    with _bulk_work():
        return _checked_and_saved(
            actor=actor, project=project, path=path, batch=batch, progress=progress, reason=reason, reject=reject
        )


@contextmanager
def _bulk_work() -> Iterator[None]:
    """Hundreds of thousands of row dicts are alive at once and none forms a cycle: the cyclic
    garbage collector would only re-scan them again and again (quadratic time), so it pauses."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _checked_and_saved(
    *,
    actor: User,
    project: Project,
    path: Path,
    batch: HouseholdImport,
    progress: ProgressFn,
    reason: str,
    reject: Callable[..., Outcome],
) -> Outcome:
    progress("检查文件", 0, 1)
    try:
        formula_issues = check_workbook(path)
        progress("读取工作簿", 0, 1)
        rows = read_workbook(path)
    except WorkbookRefused as refusal:
        return reject(refusal.message, [])
    rows.issues[:0] = formula_issues
    total_rows = sum(len(sheet.rows) for sheet in rows.sheets.values())
    progress("校验", 0, total_rows)
    context = load_context(actor=actor, project=project)
    plan = validate(rows, context, progress=lambda done: progress("校验", done, total_rows))
    if not plan.ok:
        message = f"发现 {plan.issue_total} 处问题，未导入任何数据。请按清单修改后重新上传。"
        return reject(message, plan.issues, plan.issue_total)

    try:
        counts = _save(actor=actor, project=project, plan=plan, batch=batch, progress=progress, reason=reason)
    except IntegrityError:
        logger.warning("household import of %s hit a constraint", batch.sha256, exc_info=True)
        return reject("保存时与同时进行的登记或导入冲突（编号或证件号码已被占用），未导入任何数据。请重新上传。", [])
    batch.counts = counts
    progress("完成", 1, 1)
    return Outcome(batch=batch, issues=[])


def _common_path(paths: set[str], fallback: str) -> str:
    """The deepest jurisdiction node containing every path ("500113/500113110/")."""
    if not paths:
        return fallback
    parts = [path.rstrip("/").split("/") for path in paths]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common) + "/" if common else fallback


def _save(
    *, actor: User, project: Project, plan: Plan, batch: HouseholdImport, progress: ProgressFn, reason: str
) -> dict[str, int]:
    counts = plan.counts()
    total = sum(counts.values())
    done = 0
    now = clock.now()

    def step(label: str, rows: int) -> None:
        """Report the rows of the part just saved and name the part that follows."""
        nonlocal done
        done += rows
        progress(f"保存{label}", done, total)

    with transaction.atomic():
        # One import at a time per project; re-check the file inside the lock.
        Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).get()
        previous = previous_import(project, batch.sha256)
        if previous is not None:
            raise IntegrityError("file already imported")
        frozen = RegisterFreeze.objects.filter(project_id=project.pk).exists()
        step("户", 0)

        common = {"created_at": now, "updated_at": now}
        # Keys drawn first, so households can name their account holder (a member) and items
        # their parcel without reading anything back.
        # Rows go in in the order of their unique index (codes; members by ID hash), so each
        # index grows at one end instead of splitting pages all over: several times faster.
        household_codes = sorted(plan.households)
        household_ids = dict(zip(household_codes, bulk.reserve_ids(Household, len(household_codes)), strict=True))
        members = sorted(plan.members, key=lambda record: record["id_hash"])
        for record, member_id in zip(members, bulk.reserve_ids(HouseholdMember, len(members)), strict=True):
            record["_id"] = member_id
        parcel_codes = sorted(plan.parcels)
        parcel_ids = dict(zip(parcel_codes, bulk.reserve_ids(Parcel, len(parcel_codes)), strict=True))

        bulk.insert(
            Household,
            (
                {
                    "id": household_ids[code],
                    "project_id": project.pk,
                    "code": code,
                    "head_name": record["head_name"],
                    "village_id": record["village_id"],
                    "group_id": record["group_id"],
                    "address": record["address"] or "",
                    "phone": record["phone"] or "",
                    "contract_certificate_no": record["contract_certificate_no"] or "",
                    "homestead_certificate_no": record["homestead_certificate_no"] or "",
                    "bank_name": record["bank_name"] or "",
                    "bank_account_no": record["bank_account_no"] or "",
                    "bank_account_holder_id": record["holder_member"]["_id"] if record.get("holder_member") else None,
                    "note": record["note"] or "",
                    "created_by_id": actor.pk,
                    **common,
                }
                for code, record in ((code, plan.households[code]) for code in household_codes)
            ),
        )
        step("家庭成员", len(plan.households))

        encrypt, mask = Sealer().encrypt, crypto.mask_id_number
        bulk.insert(
            HouseholdMember,
            (
                {
                    "id": record["_id"],
                    "household_id": household_ids[record["household_code"]],
                    "project_id": project.pk,
                    "name": record["name"],
                    "id_type": record["id_type"],
                    "id_number_encrypted": encrypt(record["id_number"]),
                    "id_number_hash": record["id_hash"],
                    "id_number_masked": mask(record["id_number"]),
                    "sex": record["sex"] or "",
                    "birth_date": record["birth_date"],
                    "relation": record["relation"],
                    "hukou_type": record["hukou_type"] or HukouType.AGRICULTURAL,
                    "is_resettlement_person": record["is_resettlement_person"],
                    "note": record["note"] or "",
                    **common,
                }
                for record in members
            ),
        )
        step("地块", len(plan.members))

        bulk.insert(
            Parcel,
            (
                _parcel_row(project, parcel_ids[code], record, household_ids, common)
                for code, record in ((code, plan.parcels[code]) for code in parcel_codes)
            ),
        )
        step("房屋", len(plan.parcels))

        def item(record: dict[str, Any], model: type[Any], **values: Any) -> dict[str, Any]:
            row = {
                "project_id": project.pk,
                "code": record["code"],
                "household_id": household_ids[record["household_code"]],
                "parcel_id": parcel_ids.get(record["parcel_code"]) if record["parcel_code"] else None,
                "note": record["note"] or "",
                **values,
                **common,
            }
            if frozen:
                _flag(row, model, project)
            return row

        bulk.insert(
            Building,
            (
                item(
                    record, Building,
                    structure=record["structure"], floors=record["floors"] or 1, floor_area=record["floor_area"],
                    use=record["use"] or BuildingUse.RESIDENTIAL, legality=record["legality"] or Legality.PERMITTED,
                    build_year=record["build_year"],
                )
                for record in sorted(plan.buildings, key=_by_code)
            ),
        )
        step("附着物及青苗", len(plan.buildings))
        bulk.insert(
            Attachment,
            (
                item(record, Attachment, kind=record["kind"], spec=record["spec"] or "", quantity=record["quantity"],
                     unit=record["unit"])
                for record in sorted(plan.attachments, key=_by_code)
            ),
        )
        bulk.insert(
            Crop,
            (
                item(record, Crop, kind=record["kind"], quantity=record["quantity"], unit=record["unit"])
                for record in sorted(plan.crops, key=_by_code)
            ),
        )
        step("审计记录", len(plan.attachments) + len(plan.crops))

        batch.status = ImportStatus.SUCCEEDED
        batch.counts = counts
        batch.message = ""
        batch.issues, batch.issue_total = [], 0
        batch.finished_at = clock.now()
        batch.save()
        paths = {record["village_path"] for record in plan.households.values()}
        audit.record(
            actor=actor,
            action="household.import",
            obj=batch,
            after={
                "project": project.pk,
                "file_name": batch.file_name,
                "sha256": batch.sha256,
                "counts": counts,
                "register_frozen": frozen,
            },
            jurisdiction_path=_common_path(paths, actor.scope_path or project.district.path),
            object_label=f"{project.code} 导入 {batch.file_name}",
            reason=reason,
        )
    return counts


def _by_code(record: dict[str, Any]) -> str:
    return record["code"]


def _flag(row: dict[str, Any], model: type[Any], project: Project) -> None:
    """New items after the register freeze carry the cutoff flag, as when entered one by one
    (actions.items._cutoff: a new building is 抢建 or 新增两违, new attachments and crops 抢栽抢种)."""
    measure = model.MEASURE
    probe = model(**{key: value for key, value in row.items() if key in ("structure", "legality", measure)})
    row["cutoff_flag"], row["cutoff_clause"] = _cutoff(probe, project, True)
    if model is Building and row["cutoff_flag"] == CutoffFlag.NEW_UNLAWFUL:
        row["legality"] = Legality.NEW_UNLAWFUL


def _parcel_row(
    project: Project, parcel_id: int, record: dict[str, Any], household_ids: dict[str, int], common: dict[str, Any]
) -> dict[str, Any]:
    west, south, east, north = record.get("bbox") or (None, None, None, None)
    return {
        "id": parcel_id,
        "project_id": project.pk,
        "code": record["code"],
        "village_id": record["village_id"],
        "household_id": household_ids[record["household_code"]] if record["household_code"] else None,
        "ownership": record["ownership"],
        "land_class": record["land_class"],
        "area": record["area"],
        "geometry": record["geometry"],  # GeoJSON text (validate._geometries)
        "measured_area": record.get("measured_area"),
        "area_mismatch": record.get("area_mismatch", False),
        "note": record["note"] or "",
        "bbox_west": west,
        "bbox_south": south,
        "bbox_east": east,
        "bbox_north": north,
        **common,
    }


# --- the UI's background run and progress --------------------------------------------------


def _progress_key(batch_id: int) -> str:
    return f"household-import-progress:{batch_id}"


def import_progress(batch: HouseholdImport) -> dict[str, Any]:
    """{phase, done, total, percent} for the progress bar; the batch row says when it is over."""
    if batch.finished:
        return {"phase": batch.get_status_display(), "done": 1, "total": 1, "percent": 100}
    state = cache.get(_progress_key(batch.pk)) or {"phase": batch.get_status_display(), "done": 0, "total": 0}
    share = min(state["done"] / state["total"], 1) if state["total"] else 0
    # Reading is the first few percent, validation up to half, saving the second half.
    if state["phase"] == "校验":
        percent = 5 + 45 * share
    elif state["phase"].startswith("保存"):
        percent = 50 + 49 * share
    else:
        percent = 2
    state["percent"] = int(percent)
    return state


def upload_path(batch: HouseholdImport) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.stored_name


def import_start(
    *, actor: User, project: Project, content: Any, file_name: str, background: bool | None = None
) -> HouseholdImport:
    """Store an upload and run its import in a background thread, or at once when
    `background` is False (the API) or settings.HOUSEHOLD_IMPORT_IN_BACKGROUND is False.

    `content` is an uploaded file (chunks()) or bytes. The batch row is created first so the
    progress page has something to show; an already-imported file is refused at once."""
    project = _check_actor(actor, project)
    directory = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    limit = getattr(settings, "HOUSEHOLD_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
    temporary = directory / f"upload-{threading.get_ident()}-{clock.now().timestamp():.6f}.part"
    with temporary.open("wb") as handle:
        chunks = content.chunks() if hasattr(content, "chunks") else [content]
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                handle.close()
                temporary.unlink(missing_ok=True)
                raise InvalidInput(f"文件过大，上限为 {limit // 1024 // 1024} MB。", field="file")
            digest.update(chunk)
            handle.write(chunk)
    sha256 = digest.hexdigest()
    stored = directory / f"{sha256}.xlsx"
    temporary.replace(stored)
    batch = HouseholdImport.objects.create(
        project=project,
        file_name=Path(file_name).name[:255] or "upload.xlsx",
        sha256=sha256,
        size=size,
        stored_name=f"{UPLOAD_DIR}/{sha256}.xlsx",
        status=ImportStatus.PENDING,
        jurisdiction_path=actor.scope_path or "",
        created_by=actor,
        created_at=clock.now(),
    )
    if background is None:
        background = getattr(settings, "HOUSEHOLD_IMPORT_IN_BACKGROUND", True)
    if background:
        worker = threading.Thread(target=_run_in_thread, args=(batch.pk, actor.pk), daemon=True)
        transaction.on_commit(worker.start)
    else:
        run_batch(batch.pk, actor.pk)
        batch.refresh_from_db()
    return batch


def _run_in_thread(batch_id: int, actor_id: int) -> None:
    try:
        run_batch(batch_id, actor_id)
    finally:
        connections.close_all()  # this thread's own connections; a thread is never reused


def run_batch(batch_id: int, actor_id: int) -> None:
    """Run a stored batch; any unexpected error marks it failed (nothing was saved)."""
    batch = HouseholdImport.objects.select_related("project").get(pk=batch_id)
    actor = User.objects.select_related("jurisdiction").get(pk=actor_id)
    key = _progress_key(batch_id)

    def progress(phase: str, done: int, total: int) -> None:
        cache.set(key, {"phase": phase, "done": done, "total": total}, timeout=3600)

    try:
        household_import(
            actor=actor, project=batch.project, path=upload_path(batch), file_name=batch.file_name, batch=batch,
            progress=progress,
        )
    except Exception as error:  # the batch must end in a state the user can read
        logger.exception("household import batch %s failed", batch_id)
        message = f"导入出错（{type(error).__name__}），未导入任何数据。"
        if isinstance(error, InvalidInput):
            message = str(error)
        HouseholdImport.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, message=message, finished_at=clock.now()
        )
    finally:
        cache.delete(key)


# --- reads ---------------------------------------------------------------------------------


def imports_for(*, user: User, project_id: int | None = None) -> QuerySet[HouseholdImport]:
    """Import batches the user may see: of a visible project, uploaded within the user's subtree."""
    qs = HouseholdImport.objects.filter(
        scope_q(user, "jurisdiction_path"), project__in=projects_for(user=user).order_by().values("pk")
    ).select_related("project", "created_by")
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("-created_at", "-id")


def import_get(*, user: User, pk: Any) -> HouseholdImport:
    try:
        return imports_for(user=user).get(pk=int(pk))
    except (HouseholdImport.DoesNotExist, ValueError, TypeError):
        raise Http404("导入批次不存在") from None
