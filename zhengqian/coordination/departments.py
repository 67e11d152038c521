"""The departments of the linkage scheme and their duties, as yongzhou-linkage 二、三 and
banan-2015 (二) list them (texts copied from the documents so nothing is read at run time).

``seed(Department, DepartmentDuty)`` is run by the data migration and the demo; it takes the
model classes so the migration can pass its historical ones. Idempotent."""

from __future__ import annotations

from typing import Any

#: (code, name, clause, duty); a department may have several duties.
DUTIES: list[tuple[str, str, str, str]] = [
    (
        "leadership_group",
        "征地拆迁工作协调领导小组",
        "yongzhou-linkage 二",
        "市人民政府成立中心城区征地拆迁工作协调领导小组（以下简称“领导小组”），统筹冷水滩中心城区建设项目征地拆迁补偿安置工作。领导小组由市政府分管副市长任组长，分管副秘书长任常务副组长，市国土资源局、市房产局、冷水滩区人民政府、永州经开区管委会主要负责人任副组长，市纪委市监委、市人民检察院、市中级人民法院、市公安局、市财政局、市住建局、市城管执法局、市人社局、市民政局、市政府法制办、市信访局、市城投集团、市经投集团、市国土资源局、市房产局分管领导任成员。领导小组办公室设市国土资源局，负责日常工作开展，由市国土资源局主要负责人兼任办公室主任，分管领导任副主任，市直相关职能部门明确一名专人为办公室成员。",
    ),
    (
        "leadership_group",
        "征地拆迁工作协调领导小组",
        "yongzhou-linkage 四(一)",
        "领导小组召开征地拆迁联席会议，研究审定征地拆迁方案，调度、安排、协调征地拆迁工作，解决重大疑难问题。联席会议原则上每月召开一次，遇特殊、紧急情况随时召开。",
    ),
    (
        "leadership_group",
        "征地拆迁工作协调领导小组",
        "yongzhou-linkage 四(二)",
        "建设项目土地和房屋征收需进行行政强拆、司法强拆的，由领导小组组织相关部门采取联合行动，保障建设顺利推进。",
    ),
    (
        "leadership_office",
        "领导小组办公室",
        "yongzhou-linkage 二",
        "领导小组办公室设市国土资源局，负责日常工作开展，由市国土资源局主要负责人兼任办公室主任，分管领导任副主任，市直相关职能部门明确一名专人为办公室成员。",
    ),
    (
        "natural_resources",
        "国土资源局",
        "yongzhou-linkage 三(一)",
        "负责协调和督促各职能部门按要求推进征地拆迁补偿安置工作，拟定征地公告，发布征地补偿安置实施方案，协调处理征地补偿安置争议，参与对被拆迁房屋建筑用地合法性认定，应对征地拆迁各类诉讼，注销已征收房屋的有关产权证等。",
    ),
    (
        "housing",
        "房产局",
        "yongzhou-linkage 三(二)",
        "负责拟定国有土地上房屋征收与补偿安置方案并组织实施，牵头组织国有土地上房屋征收与补偿安置各责任单位的联动，并负责信访、行政复议、行政诉讼、安置房分配等事项。",
    ),
    (
        "district_government",
        "区人民政府（管委会）",
        "yongzhou-linkage 三(三)",
        "全面负责本辖区内征地拆迁补偿安置工作的实施、协调、监督和管理，在辖区设立征收办公室，明确各征收项目负责人，负责编制、呈报征收概（预）算，核准被征地农民转为城镇居民的人员名单，组织有关部门认定被征收房屋等建（构）筑的合法性，负责被征地农民的就业培训和社会保障工作，负责遗留问题、征地拆迁补偿安置争议、矛盾纠纷、信访等问题的处理，确保征地拆迁补偿安置工作稳步推进。对补偿安置政策把握不准的，及时提出处理建议并书面函告市国土资源局，由市国土资源局牵头召开专题协调会议研究意见，报市人民政府批准后执行。",
    ),
    (
        "township_governments",
        "乡镇人民政府、街道办事处",
        "yongzhou-linkage 三(三)",
        "负责做好群众工作，协助国土资源部门及有关部门做好征地拆迁补偿登记、调查等工作；负责对“两公告”和方案等文书的张贴和送达，并对公告张贴现场采取摄像拍照等方式进行证据保存；会同有关部门审核被征地农民转为城镇居民的人员名单；督促、指导农村集体经济组织实施征地拆迁补偿安置方案的具体事项；监督农村集体经济组织对征地补偿费用的管理、使用、分配、公开等情况；协助处理征地拆迁补偿安置纠纷及遗留问题。",
    ),
    (
        "discipline",
        "纪委监委",
        "yongzhou-linkage 三(四)",
        "负责对在征地拆迁补偿安置工作中的徇私舞弊、玩忽职守的国家工作人员，严格按有关规定进行查处。",
    ),
    (
        "procuratorate",
        "人民检察院",
        "yongzhou-linkage 三(五)",
        "负责对项目施工环境及征收与补偿安置案件的监督、指导。负责对征收安置过程中暴力抗法等犯罪行为的快捕快诉。",
    ),
    (
        "court",
        "人民法院",
        "yongzhou-linkage 三(六)",
        "负责及时受理、审查司法强拆的申请和裁决，并依法组织、指挥强制拆除工作。",
    ),
    (
        "public_security",
        "公安局",
        "yongzhou-linkage 三(七)",
        "负责核实安置人员的户籍；负责对征收过程中发生的治安案件的处理；配合有关部门做好暂时停办征地公告发布后的户籍异动等工作。",
    ),
    (
        "finance",
        "财政局",
        "yongzhou-linkage 三(八)",
        "负责落实征地拆迁补偿安置经费和被征地农民参加社会保障所需补助资金筹集、预算审核、资金拨付。",
    ),
    (
        "housing_construction",
        "住建局",
        "yongzhou-linkage 三(九)",
        "负责被征收房屋违法建筑的定性，并将相关案件移交冷水滩区和经开区管委会城市管理行政执法部门执行；负责安置小区的审批和监督。",
    ),
    (
        "urban_management",
        "城管执法局",
        "yongzhou-linkage 三(十)",
        "负责违法违章建筑的拆除及行政强制执行工作；组织完成征拆地块房屋影像资料的拍摄工作；配合相关部门完成清表交地工作。",
    ),
    (
        "hr_social_security",
        "人社局",
        "yongzhou-linkage 三(十一)",
        "负责被征地农民的就业培训，基本养老保险、基本医疗保险的纳入和待遇享受及社保政策落实情况的审核等工作。",
    ),
    (
        "civil_affairs",
        "民政局",
        "yongzhou-linkage 三(十二)",
        "负责做好被征地对象中现役、退役军人的安置审查，被征地农民的社会救助等工作。",
    ),
    (
        "legal_affairs",
        "政府法制办",
        "yongzhou-linkage 三(十三)",
        "负责土地、房屋征收通告、方案的审核把关和宣传、解释工作。负责协调征地拆迁工作中出现的各类行政复议、诉讼案件。",
    ),
    ("letters_visits", "信访局", "yongzhou-linkage 三(十四)", "负责指导协调征地拆迁信访问题。"),
    (
        "investment_groups",
        "城投集团、经投集团",
        "yongzhou-linkage 三(十五)",
        "负责筹集项目征收补偿资金的落实，并及时足额缴存到征地拆迁专户；负责安置小区建设工程的招投标，并组织实施；负责安置房的购房、选房等工作。",
    ),
    (
        "civil_affairs",
        "民政局",
        "banan-2015 (二)",
        "各镇街以及民政、教育、人力社保、农业、经济信息等区级相关部门要结合自身职能，整合政策资源，解决好被拆迁群众的低保、子女入学、就业和产业扶持等困难和问题，消除群众后顾之忧。",
    ),
    (
        "education",
        "教育局",
        "banan-2015 (二)",
        "各镇街以及民政、教育、人力社保、农业、经济信息等区级相关部门要结合自身职能，整合政策资源，解决好被拆迁群众的低保、子女入学、就业和产业扶持等困难和问题，消除群众后顾之忧。",
    ),
    (
        "hr_social_security",
        "人社局",
        "banan-2015 (二)",
        "各镇街以及民政、教育、人力社保、农业、经济信息等区级相关部门要结合自身职能，整合政策资源，解决好被拆迁群众的低保、子女入学、就业和产业扶持等困难和问题，消除群众后顾之忧。",
    ),
    (
        "agriculture",
        "农业农村局",
        "banan-2015 (二)",
        "各镇街以及民政、教育、人力社保、农业、经济信息等区级相关部门要结合自身职能，整合政策资源，解决好被拆迁群众的低保、子女入学、就业和产业扶持等困难和问题，消除群众后顾之忧。",
    ),
    (
        "economy_information",
        "经济信息委",
        "banan-2015 (二)",
        "各镇街以及民政、教育、人力社保、农业、经济信息等区级相关部门要结合自身职能，整合政策资源，解决好被拆迁群众的低保、子女入学、就业和产业扶持等困难和问题，消除群众后顾之忧。",
    ),
]


def seed(department_model: Any, duty_model: Any) -> int:
    """Create the departments and duties that are missing; returns how many duties were added.
    An existing department keeps its name (a district may name it its own way)."""
    added = 0
    for order, (code, name, clause, text) in enumerate(DUTIES):
        department = department_model.objects.filter(code=code).first()
        if department is None:
            taken = department_model.objects.filter(name=name).exists()
            department = department_model.objects.create(code=code, name=f"{name}（{code}）" if taken else name)
        _, created = duty_model.objects.get_or_create(
            department=department, clause=clause, defaults={"text": text, "order": order}
        )
        added += int(created)
    return added
