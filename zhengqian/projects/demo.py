"""Demo projects, one per policy pack, at different stages."""

from __future__ import annotations

from collections.abc import Callable

from zhengqian.core.models import Jurisdiction, User

from . import actions
from .models import Project

PROJECTS = [
    (
        "BN-2026-001",
        "界石组团东西干道工程",
        "城市道路",
        "重庆巴南建设（集团）有限公司",
        ["500113110"],
        "186000.00",
        "banan-2015",
        "in_progress",
    ),
    (
        "BN-2026-002",
        "南泉片区棚户区改造安置房",
        "保障性住房",
        "重庆市巴南区城市建设发展有限公司",
        ["500113005"],
        "52000.00",
        "banan-2015",
        "preparing",
    ),
    (
        "PT-2026-003",
        "界石—南泉连接线（莆田规则演示）",
        "公路",
        "巴南区交通建设有限公司",
        ["500113110", "500113005"],
        "98000.50",
        "putian-2014",
        "in_progress",
    ),
    (
        "YZ-2026-004",
        "龙洲湾滨江公园（永州联动机制演示）",
        "公园绿地",
        "巴南区城市管理局",
        ["500113009"],
        "41000.00",
        "yongzhou-linkage",
        "preparing",
    ),
]


def load(log: Callable[[str], None]) -> None:
    office = User.objects.get(username="office")
    district = Jurisdiction.objects.get(code="500113")
    for code, name, purpose, owner, township_codes, area, pack, status in PROJECTS:
        if Project.objects.filter(code=code).exists():
            continue
        townships = list(Jurisdiction.objects.filter(code__in=township_codes))
        project = actions.project_create(
            actor=office,
            code=code,
            name=name,
            purpose=purpose,
            owner_name=owner,
            district=district,
            townships=townships,
            land_area=area,
            policy_pack=pack,
        )
        if status != project.status:
            actions.project_update(
                actor=office,
                project=project,
                name=name,
                owner_name=owner,
                townships=townships,
                land_area=area,
                status=status,
                purpose=purpose,
                reason="演示数据",
            )
    log(f"项目 {Project.objects.count()} 个")
