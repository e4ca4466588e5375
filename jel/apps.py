from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class JelConfig(AppConfig):
    default = True
    name = "jel"
    verbose_name = "JEL core"


class JelAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "jel.admin_site.SuperuserOnlyAdminSite"
