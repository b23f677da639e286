"""Django integration: ``python manage.py seed`` (add ``"seeder.contrib.django"`` to ``INSTALLED_APPS``).

:mod:`seeder.contrib.django.models` reads the installed models into the schema model, :mod:`.seeding` generates and
loads (through ``loaddata``, or into a fixture file), :mod:`.management.commands.seed` is the thin command.
"""
