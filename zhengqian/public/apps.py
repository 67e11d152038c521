from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "zhengqian.public"
    label = "public"
    verbose_name = "公开查询"
