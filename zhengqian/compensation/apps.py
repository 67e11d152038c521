from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "zhengqian.compensation"
    label = "compensation"
    verbose_name = "补偿"
