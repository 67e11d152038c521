"""Demo data of the document service and the public side (run by `manage.py load_demo`, after
the procedure and compensation demos): a printable poster (with QR code) of every published
notice, the lookup notice of the household that can look itself up, and one archive package.
Prints how to use the self-lookup (see README.md, 演示数据)."""

from __future__ import annotations

from collections.abc import Callable

from zhengqian.core import crypto
from zhengqian.core.models import User
from zhengqian.projects.models import Project

from . import actions, archive
from .models import RenderedDocument

LOOKUP_PROJECT = "BN-2026-002"


def load(log: Callable[[str], None]) -> None:
    from zhengqian.compensation.models import Agreement
    from zhengqian.procedure.models import ProcedureDocument
    from zhengqian.public.codes import lookup_code

    office = User.objects.filter(username="office").first()
    if office is None:
        return
    if not RenderedDocument.objects.filter(kind="notice_poster").exists():
        notices = ProcedureDocument.objects.filter(household__isnull=True, published_on__isnull=False)
        for notice in notices.select_related("project__district").order_by("id"):
            actions.document_render(actor=office, kind="notice_poster", obj=notice)
    agreement = (
        Agreement.objects.filter(project__code=LOOKUP_PROJECT, status="signed", kind="original")
        .select_related("household__village", "household__project").order_by("serial").first()
    )
    if agreement is not None:
        household = agreement.household
        if not RenderedDocument.objects.filter(kind="household_notice", household=household).exists():
            actions.document_render(actor=office, kind="household_notice", obj=household)
        head = household.members.filter(relation="head").first() or household.members.order_by("id").first()
        code = lookup_code(household.pk)
        if head is not None:
            log(f"本户查询演示：/public/lookup/ 身份证号 {crypto.decrypt(head.id_number_encrypted)}，"
                f"查询码 {code[:4]}-{code[4:]} 或协议编号 {agreement.number}（{household.code} {household.head_name}）")
    project = Project.objects.filter(code=LOOKUP_PROJECT).first()
    if project is not None and not RenderedDocument.objects.filter(kind="archive", project=project).exists():
        package = archive.archive_build(actor=office, project=project)
        log(f"档案包 {package.number}：封存哈希 {archive.seal_of(package)}")
    log(f"已生成文书 {RenderedDocument.objects.count()} 份")
