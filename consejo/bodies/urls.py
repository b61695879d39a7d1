from django.urls import path

from consejo.bodies import login_views, views

urlpatterns = [
    path("bodies/", views.body_tree, name="body_tree"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<slug:slug>/seats/", views.council_seats, name="council_seats"),
    path("bodies/<slug:slug>/links/", views.federation_link_add, name="federation_link_add"),
    path(
        "bodies/<slug:slug>/links/<int:link_id>/end/",
        views.federation_link_end,
        name="federation_link_end",
    ),
    path("bodies/<slug:slug>/roster/", views.roster_import, name="roster_import"),
    path(
        "bodies/<slug:slug>/memberships/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "members/<int:member_id>/login/reset/",
        login_views.member_login_reset,
        name="member_login_reset",
    ),
    path(
        "members/<int:member_id>/login/disable/",
        login_views.member_login_active,
        {"action": "disable"},
        name="member_login_disable",
    ),
    path(
        "members/<int:member_id>/login/enable/",
        login_views.member_login_active,
        {"action": "enable"},
        name="member_login_enable",
    ),
    path("bodies/<slug:slug>/login-cards/", login_views.login_cards, name="login_cards"),
]
