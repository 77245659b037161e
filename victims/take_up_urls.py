from django.urls import path

from victims import take_up_views

urlpatterns = [
    path("victims/take-up/", take_up_views.take_up_page, name="take_up"),
    path("victims/take-up.csv", take_up_views.take_up_csv, name="take_up_csv"),
]
