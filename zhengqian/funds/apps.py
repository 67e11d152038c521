from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zhengqian.funds"
    label = "funds"
    verbose_name = "资金管理"
