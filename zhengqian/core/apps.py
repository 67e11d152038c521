from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhengqian.core"
    label = "core"
    verbose_name = "基础"
