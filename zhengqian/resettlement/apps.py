from django.apps import AppConfig


class ResettlementConfig(AppConfig):
    name = "zhengqian.resettlement"
    label = "resettlement"
    verbose_name = "安置"
