from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "zhengqian.households"
    label = "households"
    verbose_name = "户籍与现状调查"
