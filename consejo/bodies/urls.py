from django.urls import path

from consejo.bodies import views

urlpatterns = [
    path("bodies/", views.body_tree, name="body_tree"),
    path("bodies/<slug:slug>/", views.body_page, name="body"),
    path(
        "bodies/<slug:slug>/memberships/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("members/<int:member_id>/", views.member_page, name="member"),
]
