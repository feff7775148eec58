from django.urls import path

from smartcourt.rules import public_views, views

app_name = "rules"

urlpatterns = [
    path("litigation-fees/", public_views.litigation_fees, name="litigation_fees"),
    path("causes/", public_views.causes, name="causes"),
    path("holidays/", views.holidays_now, name="holidays_now"),
    path("holidays/<int:year>/", views.holidays, name="holidays"),
    path("holidays/<int:year>/set/", views.set_holiday, name="set_holiday"),
    path("holidays/<int:year>/remove/", views.remove_holiday, name="remove_holiday"),
    path("holidays/<int:year>/publish/", views.publish_year, name="publish_year"),
    path("holidays/<int:year>/withdraw/", views.withdraw_year, name="withdraw_year"),
]
