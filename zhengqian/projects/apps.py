from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhengqian.projects"
    label = "projects"
    verbose_name = "征地项目"
