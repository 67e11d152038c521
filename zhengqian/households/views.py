"""Staff pages of the household register and status survey: parse the form, call one action or
selector, render (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core.evidence import evidence_path
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.models import JurisdictionLevel
from zhengqian.core.permissions import can, require
from zhengqian.core.selectors import jurisdictions_for
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get, projects_for

from . import actions, selectors
from .forms import (
    BankAccountForm,
    EvidenceForm,
    FreezeForm,
    HouseholdForm,
    MemberForm,
    ObjectionForm,
    ObjectionResolveForm,
    SurveyRecordForm,
    SurveyRefuseForm,
    SurveySignForm,
    item_form,
)
from .models import Household, HouseholdStatus, Parcel, SurveyRecordState, SurveyState

ITEM_KINDS = ("parcel", "building", "attachment", "crop")
ITEM_LABELS = {"parcel": "地块", "building": "房屋", "attachment": "地上附着物", "crop": "青苗"}


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _villages(request: HttpRequest) -> Any:
    return jurisdictions_for(user=request.user, level=JurisdictionLevel.VILLAGE, include_inactive=False)


def _groups(request: HttpRequest) -> Any:
    return jurisdictions_for(user=request.user, level=JurisdictionLevel.GROUP, include_inactive=False)


def _detail(household: Household | int) -> HttpResponse:
    return redirect("households:detail", pk=household if isinstance(household, int) else household.pk)


# --- list, board, freeze ------------------------------------------------------------------


def household_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    project_id = _int_or_none(request.GET.get("project"))
    village_id = _int_or_none(request.GET.get("village"))
    survey_state = request.GET.get("survey_state", "")
    survey_state = survey_state if survey_state in SurveyState.values else ""
    status = request.GET.get("status", "")
    status = status if status in HouseholdStatus.values else ""
    flagged = request.GET.get("flagged") == "1"
    households = selectors.with_member_count(selectors.households_for(
        user=request.user, project_id=project_id, search=search, village_id=village_id,
        survey_state=survey_state, status=status, flagged=flagged,
    ))
    project = projects_for(user=request.user).filter(pk=project_id).first() if project_id else None
    freeze = selectors.freeze_for(project=project) if project else None
    return render(
        request,
        "households/household_list.html",
        {
            "page": paginate(request, households),
            "search": search,
            "project_id": project_id,
            "project": project,
            "freeze": freeze,
            "village_id": village_id,
            "survey_state": survey_state,
            "status": status,
            "flagged": flagged,
            "projects": projects_for(user=request.user),
            "villages": _villages(request).select_related("parent"),
            "survey_states": SurveyState.choices,
            "statuses": HouseholdStatus.choices,
            "querystring": querystring_without_page(request),
            "can_edit": can(request.user, "household.edit"),
            "can_freeze": can(request.user, "register.freeze"),
        },
    )


def survey_board(request: HttpRequest) -> HttpResponse:
    project_id = _int_or_none(request.GET.get("project"))
    survey_state = request.GET.get("survey_state", "")
    survey_state = survey_state if survey_state in SurveyState.values else ""
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.board_households(
        user=request.user, project_id=project_id, survey_state=survey_state, search=search), per_page=50)
    rows = selectors.board_rows(page.object_list)
    counts = selectors.board_counts(user=request.user, project_id=project_id, search=search)
    return render(
        request,
        "households/survey_board.html",
        {
            "rows": rows,
            "page": page,
            "querystring": querystring_without_page(request),
            "project_id": project_id,
            "survey_state": survey_state,
            "search": search,
            "projects": projects_for(user=request.user),
            "survey_states": SurveyState.choices,
            "counts": [(label, counts.get(value, 0), value) for value, label in SurveyState.choices],
            "provisional": any(r.survey and r.survey.window_provisional for r in rows
                               if r.survey and r.survey.state == SurveyRecordState.WINDOW_OPEN),
            "can_close": can(request.user, "survey.close"),
        },
    )


@require_POST
def survey_close(request: HttpRequest) -> HttpResponse:
    require(request.user, "survey.close")
    closed = actions.survey_close_windows(actor=request.user)
    messages.success(request, f"已关闭 {len(closed)} 户的异议期（期满无异议视为确认，莆田 (二)）。")
    return redirect(reverse("households:board") + (f"?{request.GET.urlencode()}" if request.GET else ""))


@require_http_methods(["GET", "POST"])
def register_freeze(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "register.freeze")
    form = FreezeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.register_freeze(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"已将“{project.name}”的调查登记冻结为基线；此后新增或扩大的将标记为抢栽抢种抢建。"
            )
            return redirect(reverse("households:list") + f"?project={project.pk}")
    return render(
        request, "households/freeze_form.html",
        {"form": form, "project": project, "freeze": selectors.freeze_for(project=project)},
    )


# --- household ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.edit")
    form = HouseholdForm(
        request.POST or None,
        initial={"project": _int_or_none(request.GET.get("project"))},
        projects=projects_for(user=request.user),
        villages=_villages(request).select_related("parent"),
        groups=_groups(request).select_related("parent"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.household_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已登记 {household.code} 户（户主 {household.head_name}）。")
            return _detail(household)
    return render(
        request, "households/form.html", {"form": form, "title": "登记新户", "cancel": reverse("households:list")}
    )


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_detail(user=request.user, pk=pk)
    surveys = list(household.surveys.all())
    current = next((s for s in surveys if s.state != SurveyRecordState.SUPERSEDED), None)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "surveys": surveys,
            "current_survey": current,
            "freeze": selectors.freeze_for(project=household.project),
            "history": selectors.household_history(household)[:100],
            "can_edit": can(request.user, "household.edit"),
            "can_view_full_id": can(request.user, "person.view_full_id"),
            "sign_form": SurveySignForm(prefix="sign"),
        },
    )


@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    initial = {name: getattr(household, name) for name in (
        "project", "code", "head_name", "village", "group", "address", "phone", "contract_certificate_no",
        "homestead_certificate_no", "status", "note")}
    form = HouseholdForm(
        request.POST or None, initial=initial, editing=True,
        projects=projects_for(user=request.user), villages=_villages(request).select_related("parent"),
        groups=_groups(request).select_related("parent"),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("project", "code")}
        try:
            actions.household_update(actor=request.user, household=household, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存。")
            return _detail(household)
    return render(request, "households/form.html", {
        "form": form, "title": f"编辑 {household.code} 户", "cancel": reverse("households:detail", args=[pk])})


@require_http_methods(["GET", "POST"])
def household_bank(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = BankAccountForm(
        request.POST or None, members=household.members.all(),
        initial={"bank_name": household.bank_name, "bank_account_no": household.bank_account_no,
                 "holder": household.bank_account_holder_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.household_set_bank_account(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            if error.field == "bank_account_holder":
                error.field = "holder"
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存实名账户。")
            return _detail(household)
    return render(request, "households/form.html", {
        "form": form, "title": f"{household.code} 户实名账户", "cancel": reverse("households:detail", args=[pk])})


# --- members ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.member_add(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已添加家庭成员 {member.name}。")
            return _detail(household)
    return render(request, "households/form.html", {
        "form": form, "title": f"{household.code} 户：添加家庭成员", "cancel": reverse("households:detail", args=[pk])})


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    initial = {name: getattr(member, name) for name in (
        "name", "id_type", "relation", "hukou_type", "is_resettlement_person", "sex", "birth_date", "note")}
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    form.fields["id_number"].help_text = f"当前：{member.id_number_masked}。修改时须重新输入完整号码。"
    if request.method == "POST" and form.is_valid():
        try:
            actions.member_update(actor=request.user, member=member, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存。")
            return _detail(member.household_id)
    return render(request, "households/form.html", {
        "form": form, "title": f"编辑家庭成员 {member.name}",
        "cancel": reverse("households:detail", args=[member.household_id])})


@require_POST
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    try:
        actions.member_remove(actor=request.user, member=member, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已删除家庭成员 {member.name}。")
    return _detail(member.household_id)


@require_POST
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one full ID number to a role that needs it; the view is an audit event."""
    member = selectors.member_get(user=request.user, pk=pk)
    try:
        number = actions.member_reveal_id(actor=request.user, member=member, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return HttpResponse(str(error), status=400)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "households/_full_id.html", {"number": number, "member": member})
    return render(request, "households/full_id.html", {"number": number, "member": member})


# --- parcels, buildings, attachments, crops -----------------------------------------------


def _parcels_of(household: Household) -> Any:
    return Parcel.objects.filter(household=household).order_by("code")


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ITEM_KINDS:
        raise Http404
    household = selectors.household_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = item_form(kind, request.POST or None, parcels=_parcels_of(household))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "parcel":
                item = actions.parcel_create(actor=request.user, project=household.project, village=household.village,
                                             household=household, **data)
            else:
                create = {"building": actions.building_create, "attachment": actions.attachment_create,
                          "crop": actions.crop_create}[kind]
                item = create(actor=request.user, household=household, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _item_message(request, kind, item, "已添加")
            return _detail(household)
    return render(request, "households/form.html", {
        "form": form, "title": f"{household.code} 户：添加{ITEM_LABELS[kind]}",
        "cancel": reverse("households:detail", args=[pk]), "multipart": False})


def _item_message(request: HttpRequest, kind: str, item: Any, verb: str) -> None:
    text = f"{verb}{ITEM_LABELS[kind]} {item.code}。"
    if getattr(item, "cutoff_flag", ""):
        flag = item.get_cutoff_flag_display()
        text += f" 注意：告知后新增/扩大，已标记为“{flag}”（{item.cutoff_clause}），不予补偿。"
        messages.warning(request, text)
    elif getattr(item, "area_mismatch", False):
        text += f" 图形面积 {item.measured_area} 平方米与申报面积 {item.area} 平方米不符，请复核。"
        messages.warning(request, text)
    else:
        messages.success(request, text)


def _item_initial(kind: str, item: Any) -> dict[str, Any]:
    names = {
        "parcel": ("code", "ownership", "land_class", "area", "geometry", "note"),
        "building": ("code", "structure", "floors", "floor_area", "use", "legality", "build_year", "parcel", "note"),
        "attachment": ("code", "kind", "spec", "quantity", "unit", "parcel", "note"),
        "crop": ("code", "kind", "quantity", "unit", "parcel", "note"),
    }[kind]
    initial = {name: getattr(item, name) for name in names}
    if kind == "parcel" and item.geometry:
        import json

        initial["geometry"] = json.dumps(item.geometry, ensure_ascii=False)
    return initial


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = selectors.ITEM_GETTERS[kind](user=request.user, pk=pk)
    require(request.user, "household.edit")
    household = item.household
    if household is None:
        raise Http404("该地块没有承包户，请通过接口编辑")
    form = item_form(kind, request.POST or None, initial=_item_initial(kind, item), editing=True,
                     parcels=_parcels_of(household))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            if kind == "parcel":
                item = actions.parcel_update(actor=request.user, parcel=item, village=item.village,
                                             household=household, **data)
            else:
                item = actions.item_update(actor=request.user, item=item, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _item_message(request, kind, item, "已保存")
            return _detail(household)
    return render(request, "households/form.html", {
        "form": form, "title": f"编辑{ITEM_LABELS[kind]} {item.code}",
        "cancel": reverse("households:detail", args=[household.pk])})


@require_POST
def item_delete(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = selectors.ITEM_GETTERS[kind](user=request.user, pk=pk)
    household_id = item.household_id
    try:
        actions.item_delete(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已删除{ITEM_LABELS[kind]} {item.code}。")
    if household_id is None:
        return redirect("households:list")
    return _detail(household_id)


# --- survey confirmation ------------------------------------------------------------------


def _survey_form_page(request: HttpRequest, form: Any, title: str, household_id: int, note: str = "") -> HttpResponse:
    return render(request, "households/form.html", {
        "form": form, "title": title, "note": note, "cancel": reverse("households:detail", args=[household_id])})


@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = SurveyRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.survey_record(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已记录第 {survey.version} 版调查结果，待户签字确认。")
            return _detail(household)
    return _survey_form_page(
        request, form, f"{household.code} 户：记录现状调查结果", household.pk,
        "保存时将当前的成员、地块、房屋、附着物和青苗固定为本版调查结果，交户签字确认（莆田 (二)）。",
    )


@require_http_methods(["GET", "POST"])
def survey_sign(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = SurveySignForm(request.POST or None, prefix="sign" if "sign-signed_on" in request.POST else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.survey_sign(actor=request.user, survey=survey, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已记录签字；异议期至 {survey.window_due}"
                             f"{'（暂定）' if survey.window_provisional else ''}。")
            return _detail(survey.household_id)
    return _survey_form_page(request, form, f"{survey.household.code} 户：签字确认调查结果", survey.household_id)


@require_http_methods(["GET", "POST"])
def survey_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = SurveyRefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.survey_refuse(actor=request.user, survey=survey, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已登记拒签并书面送达；异议期至 {survey.window_due}"
                             f"{'（暂定）' if survey.window_provisional else ''}，期满无异议视为确认。")
            return _detail(survey.household_id)
    return _survey_form_page(
        request, form, f"{survey.household.code} 户：登记拒绝签字", survey.household_id,
        "调查结果书面送达后 5 个工作日内未提出异议的，视为确认到位（莆田 (二)）。",
    )


@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.objection_file(actor=request.user, survey=survey, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已登记书面异议，待核实复核。")
            return _detail(survey.household_id)
    return _survey_form_page(request, form, f"{survey.household.code} 户：登记书面异议", survey.household_id)


@require_http_methods(["GET", "POST"])
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    form = ObjectionResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.objection_resolve(actor=request.user, objection=objection, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已作出复核结论。")
            return _detail(objection.survey.household_id)
    return _survey_form_page(
        request, form, f"复核异议：{objection.content[:30]}", objection.survey.household_id,
        "有错误、遗漏的：选择“有误，重新调查”，将生成新版调查记录交户签字；复核无误的：复核结果书面送达，视为确认。",
    )


# --- evidence -----------------------------------------------------------------------------


def _evidence_targets(household: Household) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    targets: dict[str, Any] = {f"household:{household.pk}": household}
    labels = [(f"household:{household.pk}", f"本户 {household}")]
    groups = [("member", household.members.all(), "成员"), ("parcel", household.parcels.all(), "地块"),
              ("building", household.buildings.all(), "房屋"), ("attachment", household.attachments.all(), "附着物"),
              ("crop", household.crops.all(), "青苗"), ("surveyrecord", household.surveys.all(), "调查记录")]
    for key, qs, label in groups:
        for obj in qs:
            targets[f"{key}:{obj.pk}"] = obj
            labels.append((f"{key}:{obj.pk}", f"{label} {obj}"))
    return labels, targets


@require_http_methods(["GET", "POST"])
def evidence_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    require(request.user, "household.edit")
    labels, targets = _evidence_targets(household)
    form = EvidenceForm(request.POST or None, request.FILES or None, targets=labels,
                        initial={"target": request.GET.get("target", labels[0][0])})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.evidence_attach(
                actor=request.user, target=targets[form.cleaned_data["target"]], content=upload.read(),
                original_name=upload.name, content_type=upload.content_type or "application/octet-stream",
                taken_by=form.cleaned_data["taken_by"], taken_at=form.cleaned_data["taken_at"],
                place=form.cleaned_data["place"], caption=form.cleaned_data["caption"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存证据文件。")
            return _detail(household)
    return render(request, "households/form.html", {
        "form": form, "title": f"{household.code} 户：上传证据", "multipart": True,
        "note": "证据信息要标注完整：拍摄人、时间、地点（莆田 (九)）。同一文件按 SHA-256 只保存一份。",
        "cancel": reverse("households:detail", args=[pk])})


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    link = selectors.evidence_link_get(user=request.user, pk=pk)
    path = evidence_path(link.file.sha256)
    if not path.exists():
        raise Http404("证据文件缺失")
    # Inline only for types a browser cannot run script from (no SVG or HTML on our origin).
    inline = link.file.content_type in ("image/jpeg", "image/png", "image/webp", "application/pdf")
    return FileResponse(path.open("rb"), as_attachment=not inline, filename=link.file.original_name,
                        content_type=link.file.content_type)

