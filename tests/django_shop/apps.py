"""App config: label ``shop`` so the tables ``shop_<model>`` follow Django's default naming."""

from __future__ import annotations

from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "tests.django_shop"
    label = "shop"
    default_auto_field = "django.db.models.AutoField"
