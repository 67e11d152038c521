from __future__ import annotations

from django import forms

from .models import Jurisdiction


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
