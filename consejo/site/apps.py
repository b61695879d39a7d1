from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The pages and commands of the whole site, above every app: the home page, a body's and a
    member's page (which gather what each app knows of them), login, the ledger's pages, backup
    and restore, and the commands that read a file. It holds no models."""

    name = "consejo.site"
    label = "site"
    verbose_name = "consejo"
