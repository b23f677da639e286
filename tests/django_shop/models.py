"""Models with explicit ``db_table`` names matching the DDL in tests/test_fixture_sink.py."""

from __future__ import annotations

from django.db import models


class Author(models.Model):
    id = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=120, unique=True)
    bio = models.TextField(null=True)

    class Meta:
        app_label = "shop"
        db_table = "shop_author"


class Book(models.Model):
    id = models.IntegerField(primary_key=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, db_column="author_id")
    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published = models.DateTimeField(null=True)
    notes = models.TextField(null=True)

    class Meta:
        app_label = "shop"
        db_table = "shop_book"


class Dept(models.Model):
    """With Employee, an FK cycle: the planner breaks one edge, the fixture carries final values."""

    id = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=50)
    manager = models.ForeignKey("Employee", on_delete=models.SET_NULL, null=True, db_column="manager_id",
                                related_name="+")

    class Meta:
        app_label = "shop"
        db_table = "shop_dept"


class Employee(models.Model):
    id = models.IntegerField(primary_key=True)
    dept = models.ForeignKey(Dept, on_delete=models.CASCADE, db_column="dept_id")

    class Meta:
        app_label = "shop"
        db_table = "shop_employee"
