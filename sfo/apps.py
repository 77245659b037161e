from django.contrib.admin.apps import AdminConfig


class SFOAdminConfig(AdminConfig):
    """Django's admin, on the service's own site class (see sfo.admin)."""

    default_site = "sfo.admin.SFOAdminSite"
