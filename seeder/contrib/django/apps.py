"""The ``seeder.contrib.django`` app: add it to ``INSTALLED_APPS`` for ``python manage.py seed``."""

from __future__ import annotations

from django.apps import AppConfig


class SeederConfig(AppConfig):
    name = "seeder.contrib.django"
    label = "seeder"
    verbose_name = "seeder"
