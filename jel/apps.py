from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class JelConfig(AppConfig):
    default = True
    name = "jel"
    verbose_name = "JEL core"

    def ready(self):
        from django.urls import register_converter

        from jel.validation import IdConverter

        # `<id:pk>`: an id that fits a 64-bit column; a longer one is a 404,
        # not an overflow (SQLite) or a DataError (PostgreSQL).
        register_converter(IdConverter, "id")


class JelAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "jel.admin_site.SuperuserOnlyAdminSite"
