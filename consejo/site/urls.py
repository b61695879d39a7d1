from django.urls import path

from consejo.site import bodies

# After consejo.bodies.urls: "bodies/new/" and the other fixed paths come first.
urlpatterns = [
    path("bodies/<slug:slug>/", bodies.body_detail, name="body"),
    path("members/<int:member_id>/", bodies.member_page, name="member"),
]
