from django.apps import AppConfig


class WallConfig(AppConfig):
    name = "wall"
    verbose_name = "The Wall"
