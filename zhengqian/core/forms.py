from __future__ import annotations

from typing import Any

from django import forms

from .models import Department, Jurisdiction


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap classes."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = css


class LoginForm(StyledForm):
    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label="密码", max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    otp = forms.CharField(
        label="动态口令",
        max_length=6,
        required=False,
        help_text="管理员必填：手机验证器上的六位数字。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )


class TotpConfirmForm(StyledForm):
    code = forms.CharField(
        label="动态口令",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class JurisdictionCreateForm(StyledForm):
    parent = forms.ModelChoiceField(label="上级区划", queryset=Jurisdiction.objects.none(), empty_label=None)
    code = forms.CharField(label="代码", max_length=20, help_text="官方行政区划代码，保存后不可修改。")
    name = forms.CharField(label="名称", max_length=60)

    def __init__(self, *args: object, parents: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if parents is not None:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].label_from_instance = lambda node: (
            f"{'　' * node.depth}{node.name}（{node.get_level_display()}）"
        )  # type: ignore[attr-defined]


class JurisdictionEditForm(StyledForm):
    name = forms.CharField(label="名称", max_length=60)
    is_active = forms.BooleanField(label="有效", required=False)


class PasswordChangeStyledForm(StyledForm):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 10 位，须同时包含字母和数字（或符号），不能与用户名相近。",
    )
    new_password_again = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class UserForm(StyledForm):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=40)
    phone = forms.CharField(label="电话", max_length=20, required=False)
    role = forms.ChoiceField(label="角色", choices=())
    jurisdiction = forms.ModelChoiceField(label="所属区划（可见范围）", queryset=Jurisdiction.objects.none())
    department = forms.ModelChoiceField(label="所属部门", queryset=Department.objects.all(), required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 10 位，须同时包含字母和数字（或符号）。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    reset_totp = forms.BooleanField(label="重置动态口令（更换手机时）", required=False)
    reason = forms.CharField(label="修改原因", max_length=500, required=False)

    def __init__(self, *args: Any, jurisdictions: Any, editing: bool = False, **kwargs: Any) -> None:
        from .models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices  # type: ignore[attr-defined]
        self.fields["jurisdiction"].queryset = jurisdictions  # type: ignore[attr-defined]
        self.fields["jurisdiction"].label_from_instance = (  # type: ignore[attr-defined]
            lambda node: f"{'　' * node.depth}{node.name}（{node.get_level_display()}）"
        )
        if editing:
            self.fields["username"].disabled = True
            del self.fields["password"]
        else:
            for name in ("is_active", "reset_totp", "reason"):
                del self.fields[name]


class PasswordResetForm(StyledForm):
    password = forms.CharField(label="临时密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
