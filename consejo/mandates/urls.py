from django.urls import path

from consejo.mandates import views

urlpatterns = [
    path(
        "members/<int:member_id>/provisional-secretary/",
        views.provisional_secretary,
        name="provisional_secretary",
    ),
]
