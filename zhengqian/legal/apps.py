from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "zhengqian.legal"
    label = "legal"
    verbose_name = "法定时限与政策"
