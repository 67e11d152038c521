from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhengqian.documents"
    label = "documents"
    verbose_name = "文书与档案"
