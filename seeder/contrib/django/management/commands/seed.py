"""``python manage.py seed``: fill the database with realistic, constraint-valid rows from the installed models.

A thin layer over :func:`seeder.contrib.django.seeding.seed`; every seeder error becomes a ``CommandError`` (one
line, exit code 1, no traceback).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

#: --llm... options -> the settings names of :func:`seeder.api.llm_content`.
LLM_OPTIONS = {"model": "model", "llm_base_url": "llm_base_url", "llm_mode": "llm_mode",
               "describe": "describe", "max_llm_calls": "max_llm_calls", "max_llm_tokens": "max_llm_tokens",
               "rows_per_call": "rows_per_call", "llm_concurrency": "llm_concurrency"}


class Command(BaseCommand):
    help = ("Seed the database with realistic rows for the installed models (every constraint valid), "
            "or write them as a fixture.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--rows", type=int, default=10, help="Rows per model (default 10).")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0); same seed, same rows.")
        parser.add_argument("--app", action="append", default=[], metavar="LABEL",
                            help="Seed only this app (repeatable); content types or sessions only when named.")
        parser.add_argument("--exclude", action="append", default=[], metavar="MODEL",
                            help="Leave out an app or model, e.g. store.Review (repeatable).")
        parser.add_argument("--truncate", action="store_true",
                            help="Empty the seeded tables first, in the same transaction.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument("--fixture", metavar="PATH",
                            help="Write a fixture for loaddata to PATH instead of loading.")
        parser.add_argument("--llm", action="store_true",
                            help="Ask a language model (OpenAI-compatible API) for the content columns.")
        parser.add_argument("--model", help="--llm: the model name.")
        parser.add_argument("--llm-base-url", help="--llm: the API base URL (e.g. http://localhost:11434/v1).")
        parser.add_argument("--llm-mode", choices=["rows", "pools", "auto"], help="--llm: how to ask.")
        parser.add_argument("--describe", help="--llm: what the data is about, in a sentence.")
        parser.add_argument("--rows-per-call", type=int, help="--llm rows mode: rows per request.")
        parser.add_argument("--llm-concurrency", type=int, help="--llm: parallel requests.")
        parser.add_argument("--max-llm-calls", type=int, help="--llm: stop asking after this many calls.")
        parser.add_argument("--max-llm-tokens", type=int, help="--llm: stop asking after this many tokens.")

    def handle(self, *args: Any, **options: Any) -> None:
        from seeder import api
        from seeder.contrib.django.seeding import seed
        from seeder.errors import SeederError

        try:
            content = None
            if options["llm"]:
                settings = {name: options[opt] for opt, name in LLM_OPTIONS.items() if options.get(opt) is not None}
                content = api.llm_content(seed=options["seed"], **settings)
            report = seed(using=options["database"], rows=options["rows"], seed=options["seed"],
                          app_labels=options["app"], exclude=options["exclude"], truncate=options["truncate"],
                          fixture=options["fixture"], content=content,
                          echo=lambda m: self.stderr.write(m) if options["verbosity"] > 1 else None)
        except SeederError as err:
            raise CommandError(" ".join(str(err).split("\n")[0].split())) from None
        for note in report.notes:
            self.stderr.write(f"Note: {note}")
        total = sum(report.rows.values())
        where = f"to {report.fixture}" if report.fixture else f"into database {options['database']!r}"
        self.stdout.write(f"Seeded {total} rows for {len(report.rows)} models {where}")
        if options["verbosity"] > 1:
            for label, count in report.rows.items():
                self.stdout.write(f"  {label}: {count}")
