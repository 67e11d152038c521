from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "zhengqian.coordination"
    label = "coordination"
    verbose_name = "协调督办"
