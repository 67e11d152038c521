"""The readable history: snapshot keys are labelled by the model's fields, whatever they are."""

from __future__ import annotations

from zhengqian.core.models import AuditEvent
from zhengqian.core.templatetags.audit_tags import audit_changes


def test_changed_fields_are_labelled_by_verbose_name():
    event = AuditEvent(
        object_type="projects.project", before={"name": "旧", "code": "A"}, after={"name": "新", "code": "A"}
    )
    assert audit_changes(event) == [{"label": "项目名称", "before": "旧", "after": "新"}]


def test_a_key_named_like_a_reverse_relation_is_shown_by_its_key():
    # Project has households (a reverse foreign key); a count stored under that name must not break the page.
    event = AuditEvent(object_type="projects.project", before={}, after={"households": 3})
    assert audit_changes(event) == [{"label": "households", "before": "", "after": "3"}]
