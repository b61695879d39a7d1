from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consejo.api.urls import api
from consejo.common import views as common_views
from consejo.common.auth_views import LoginView, PasswordChangeView, login_code
from consejo.ledger import views as ledger_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    path("", include("consejo.bodies.urls")),
    path("", include("consejo.elections.urls")),
    path("", include("consejo.boxes.urls")),
    path("", include("consejo.supply.urls")),
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
