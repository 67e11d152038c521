from django.apps import AppConfig


class ProcedureConfig(AppConfig):
    name = "zhengqian.procedure"
    label = "procedure"
    verbose_name = "法定程序"
