"""Pages of the procedure's documents: drafting notices, the printable document, its PDF,
publishing (posting) and serving, the forced-vacate chain and the court dossier."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_path
from zhengqian.core.http import add_domain_error
from zhengqian.core.models import EvidenceFile
from zhengqian.core.permissions import can
from zhengqian.domain.errors import DomainError
from zhengqian.households.selectors import household_get
from zhengqian.projects.selectors import project_get

from . import actions, documents, selectors
from .engine import pack_of
from .forms import ChainIssueForm, NoticeForm, PublishForm, ReasonForm, ServeForm
from .models import DocumentStatus

SAFE_INLINE = ("image/jpeg", "image/png", "image/webp", "application/pdf")


def _file(file: EvidenceFile) -> FileResponse:
    path = evidence_path(file.sha256)
    if not path.exists():
        raise Http404("证据文件缺失")
    inline = file.content_type in SAFE_INLINE
    return FileResponse(
        path.open("rb"), as_attachment=not inline, filename=file.original_name, content_type=file.content_type
    )


def _refused(form: object, error: Exception) -> None:
    if isinstance(error, DomainError):
        add_domain_error(form, error)  # type: ignore[arg-type]
    else:
        form.add_error(None, str(error) or "您的角色无权执行此操作。")  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    pack = pack_of(project)
    kinds = [(kind, documents.title_for(pack, kind)) for kind in documents.NOTICE_KINDS if pack.has_step(kind)]
    form = NoticeForm(
        request.POST or None, kinds=kinds, initial={"kind": request.GET.get("kind", ""), "issued_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.notice_draft(actor=request.user, project=project, **form.cleaned_data)
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, f"已制作{document.title}（{document.number}），请打印张贴后登记张贴情况。")
            return redirect("procedure:document", pk=document.pk)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"制作公告 · {project.name}",
            "cancel": reverse("procedure:project", args=[project.pk]),
            "note": (
                "按模板以项目数据生成，可打印并生成 PDF；"
                "张贴并拍照登记后，公布日期即为本步骤完成日期，其后的期限由此起算。"
            ),
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    publish_form = serve_form = None
    if document.household_id is None and document.status == DocumentStatus.ISSUED:
        publish_form = PublishForm(initial={"published_on": clock.today()})
    if document.household_id is not None and document.status == DocumentStatus.ISSUED:
        serve_form = ServeForm(initial={"served_on": clock.today(), "served_to": document.household.head_name})
    return render(
        request,
        "procedure/document.html",
        {
            "document": document,
            "evidence": selectors.document_evidence(document),
            "publish_form": publish_form,
            "serve_form": serve_form,
            "can_act": can(request.user, "procedure.act"),
        },
    )


@xframe_options_sameorigin
def document_print(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    return HttpResponse(document.html)


def document_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _file(selectors.document_get(user=request.user, pk=pk).pdf)


@require_http_methods(["GET", "POST"])
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    form = PublishForm(request.POST or None, request.FILES or None, initial={"published_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.notice_publish(
                actor=request.user,
                document=document,
                published_on=form.cleaned_data["published_on"],
                posting_place=form.cleaned_data["posting_place"],
                photos=form.photos(),
                others=form.others(),
            )
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, f"已登记{document.title}张贴公布，「{document.title}」步骤完成。")
            return redirect("procedure:project", pk=document.project_id)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"登记张贴公布：{document.title}（{document.number}）",
            "multipart": True,
            "cancel": reverse("procedure:document", args=[document.pk]),
            "note": "张贴后须拍照留存（永州 五(一)1）；公布日期开始计算其后的法定期限。",
        },
    )


@require_http_methods(["GET", "POST"])
def document_serve(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    if document.household_id is None:
        raise Http404("公告不登记送达")
    form = ServeForm(
        request.POST or None,
        request.FILES or None,
        initial={"served_on": clock.today(), "served_to": document.household.head_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.document_serve(
                actor=request.user,
                document=document,
                served_on=form.cleaned_data["served_on"],
                method=form.cleaned_data["method"],
                served_to=form.cleaned_data["served_to"],
                proofs=form.proofs(),
            )
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, f"已登记{document.title}送达。")
            return redirect("procedure:household", pk=document.household_id)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"登记送达：{document.title}（{document.number}）",
            "multipart": True,
            "cancel": reverse("procedure:document", args=[document.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def chain_start(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.chain_start(actor=request.user, household=household, reason=form.cleaned_data["reason"])
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, "已启动限期腾地程序。")
            return redirect("procedure:household", pk=household.pk)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"启动限期腾地程序：{household}",
            "cancel": reverse("procedure:household", args=[household.pk]),
            "note": "对未达成补偿安置协议、拒不腾地的户依法启动（永州 五(一)5；实施条例 第三十一条）。",
        },
    )


@require_http_methods(["GET", "POST"])
def chain_issue(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    if code not in documents.CHAIN_KINDS:
        raise Http404("没有该文书")
    title = documents.title_for(pack_of(household.project), code)
    form = ChainIssueForm(request.POST or None, initial={"issued_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.chain_document_issue(
                actor=request.user, household=household, code=code, **form.cleaned_data
            )
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, f"已制作{document.title}（{document.number}），送达后请登记送达。")
            return redirect("procedure:document", pk=document.pk)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"制作{title}：{household}",
            "cancel": reverse("procedure:household", args=[household.pk]),
        },
    )


def dossier_zip(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    try:
        dossier = actions.dossier_export(actor=request.user, household=household)
    except DomainError as error:
        raise Http404(str(error)) from None
    response = HttpResponse(dossier.zip_bytes, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(dossier.filename)}.zip"
    return response


def dossier_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    dossier = actions.dossier_export(actor=request.user, household=household)
    response = HttpResponse(dossier.pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(dossier.filename)}.pdf"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def step_evidence(request: HttpRequest, pk: int) -> FileResponse:
    return _file(selectors.step_evidence_get(user=request.user, pk=pk).file)


def document_evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.document_evidence_get(user=request.user, pk=pk)
    return _file(item.file)
