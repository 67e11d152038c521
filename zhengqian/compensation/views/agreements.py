"""Pages of agreements: generate, print (PDF/.docx), sign, supplement; the signing queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_path
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get

from .. import actions, documents, selectors
from ..forms import AgreementGenerateForm, AgreementUpdateForm, SignForm
from ..models import AgreementStatus


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def signing_queue(request: HttpRequest, project_id: int) -> HttpResponse:
    """The signing-day board: who is next, who is waiting, who has signed (today and before)."""
    project = project_get(user=request.user, pk=project_id)
    village_id = _int_or_none(request.GET.get("village"))
    status = request.GET.get("status", "")
    status = status if status in AgreementStatus.values else ""
    search = request.GET.get("q", "").strip()
    agreements = selectors.agreements_for(user=request.user, project=project, village_id=village_id, status=status,
                                          search=search)
    page = paginate(request, agreements, per_page=50)
    waiting = selectors.agreements_for(user=request.user, project=project, village_id=village_id,
                                       status=AgreementStatus.DRAFT)
    next_up = waiting.first()
    counts = {
        "draft": waiting.count(),
        "signed": selectors.agreements_for(user=request.user, project=project, village_id=village_id,
                                           status=AgreementStatus.SIGNED).count(),
    }
    today = clock.today()
    context = {
        "project": project, "page": page, "next_up": next_up, "counts": counts, "today": today,
        "village_id": village_id, "status": status, "search": search,
        "villages": selectors.villages_of(user=request.user, project=project),
        "querystring": querystring_without_page(request), "can_sign": can(request.user, "agreement.manage"),
    }
    template = "compensation/_queue_table.html" if request.headers.get("HX-Request") else \
        "compensation/signing_queue.html"
    return render(request, template, context)


@require_POST
def agreement_generate(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_scoped(user=request.user, pk=pk)
    form = AgreementGenerateForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请选择安置方式。")
        agreement = actions.agreement_generate(actor=request.user, household=household, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("compensation:household", pk=household.pk)
    messages.success(request, f"已生成补偿协议 {agreement.number}。")
    return redirect("compensation:agreement_detail", pk=agreement.pk)


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    from zhengqian.core.audit import history_for

    return render(request, "compensation/agreement_detail.html", {
        "agreement": agreement, "household": agreement.household, "project": agreement.project,
        "lines": list(agreement.valuation.lines.order_by("position")),
        "supplements": list(agreement.supplements.order_by("serial")),
        "can_manage": can(request.user, "agreement.manage"),
        "update_form": AgreementUpdateForm(initial={"resettlement_choice": agreement.resettlement_choice,
                                                    "queue_position": agreement.queue_position}),
        "history": history_for(agreement)[:50],
    })


def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    response = HttpResponse(documents.agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.year}-{agreement.serial:04d}.pdf"'
    return response


def agreement_docx(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    response = HttpResponse(
        documents.agreement_docx(agreement),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="agreement-{agreement.year}-{agreement.serial:04d}.docx"'
    return response


def agreement_scan(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    if agreement.signed_copy is None:
        from django.http import Http404

        raise Http404("尚无签字件")
    evidence = agreement.signed_copy
    return FileResponse(evidence_path(evidence.sha256).open("rb"), content_type=evidence.content_type,
                        filename=evidence.original_name)


@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    require(request.user, "agreement.manage")
    form = SignForm(request.POST or None, request.FILES or None, initial={
        "signed_on": clock.today(), "signatories": agreement.household.head_name})
    if request.method == "POST" and form.is_valid():
        scan = form.cleaned_data["scan"]
        try:
            actions.agreement_sign(
                actor=request.user, agreement=agreement, signed_on=form.cleaned_data["signed_on"],
                signatories=form.cleaned_data["signatories"], scan=scan.read(), scan_name=scan.name or "",
                scan_content_type=scan.content_type or "application/octet-stream",
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已记录签订：{agreement.number}。")
            if request.GET.get("next") == "queue":
                return redirect("compensation:signing_queue", project_id=agreement.project_id)
            return redirect("compensation:agreement_detail", pk=agreement.pk)
    return render(request, "compensation/form.html", {
        "form": form, "title": f"记录签订：{agreement.number} {agreement.household.head_name}",
        "multipart": True, "back": reverse("compensation:agreement_detail", args=[agreement.pk]),
        "intro": f"协议金额 {agreement.amount} 元。签订后协议不可修改，更正须另签补充协议。",
    })


@require_POST
def agreement_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    try:
        supplement = actions.agreement_supplement(actor=request.user, agreement=agreement)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("compensation:agreement_detail", pk=agreement.pk)
    messages.success(request, f"已生成补充协议 {supplement.number}。")
    return redirect("compensation:agreement_detail", pk=supplement.pk)


@require_POST
def agreement_update(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = AgreementUpdateForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("输入有误。")
        actions.agreement_update(actor=request.user, agreement=agreement, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已保存。")
    return redirect("compensation:agreement_detail", pk=agreement.pk)
