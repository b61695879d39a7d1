from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consejo.api.urls import api
from consejo.site import ledger as ledger_views, views as site_views
from consejo.site.auth_views import LoginView, PasswordChangeView, login_code

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("favicon.ico", site_views.favicon, name="favicon"),
    path("", include("consejo.bodies.urls")),
    path("", include("consejo.mandates.urls")),
    path("", include("consejo.elections.urls")),
    path("", include("consejo.boxes.urls")),
    path("", include("consejo.supply.urls")),
    path("", include("consejo.site.urls")),
    path("ledger/", ledger_views.ledger_page, name="ledger"),
    path("ledger/<int:seq>/", ledger_views.ledger_entry, name="ledger_entry"),
    path("login/", LoginView.as_view(), name="login"),
    path("login/code/", login_code, name="login_code"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own login would bypass the rate limit: it goes through ours.
    path("admin/login/", LoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
