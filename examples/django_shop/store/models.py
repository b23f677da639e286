"""The shop's Django models: what ``python manage.py seed`` reads.

Covered: choices, validators that bound values, a conditional and an expression ``UniqueConstraint``,
``CheckConstraint``\\ s, ``unique_together``, an auto-created and an explicit ``through`` many-to-many, a generic
relation (comments on products), multi-table inheritance (a digital product is a product), ``auto_now`` /
``auto_now_add``, ``JSONField``, a proxy and an unmanaged model (never seeded).
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower


class Category(models.Model):
    name = models.CharField(max_length=60, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")


class Tag(models.Model):
    name = models.CharField(max_length=30, validators=[MinLengthValidator(2)])

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]


class Customer(models.Model):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=100, help_text="first and last name")
    phone = models.CharField(max_length=20, blank=True, validators=[RegexValidator(r"^\+?[0-9]{7,15}$")])
    loyalty_points = models.IntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(10000)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    sku = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    price = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    stock = models.PositiveIntegerField(default=0)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    tags = models.ManyToManyField(Tag, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    comments = GenericRelation("Comment")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive")]


class DigitalProduct(Product):
    """Multi-table inheritance: a row here shares its key with a row of store_product."""

    download_url = models.URLField()
    size_mb = models.PositiveIntegerField(validators=[MaxValueValidator(4096)])


class FeaturedProduct(Product):
    """A proxy: the same table as Product, never seeded on its own."""

    class Meta:
        proxy = True


class LegacyPrice(models.Model):
    """Unmanaged: Django does not create its table, so seeder never seeds it."""

    sku = models.CharField(max_length=12)

    class Meta:
        managed = False
        db_table = "legacy_price"


class Supplier(models.Model):
    name = models.CharField(max_length=80, unique=True)
    products = models.ManyToManyField(Product, through="SupplyContract", related_name="suppliers")


class SupplyContract(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    unit_cost = models.DecimalField(max_digits=8, decimal_places=2)
    since = models.DateField()

    class Meta:
        unique_together = [("supplier", "product")]


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        PAID = "paid"
        SHIPPED = "shipped"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    placed_at = models.DateTimeField()
    shipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(shipped_at__isnull=True) | Q(shipped_at__gte=F("placed_at")),
                                   name="order_shipped_after_placed"),
        ]


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="order_item_once_per_order"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_item_quantity_positive"),
        ]


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField(choices=[(i, str(i)) for i in range(1, 6)])
    body = models.TextField(blank=True)
    verified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # one verified review per customer and product; unverified ones may repeat
            models.UniqueConstraint(fields=["product", "customer"], condition=Q(verified=True),
                                    name="review_one_verified"),
        ]


class Comment(models.Model):
    """A generic relation: a comment on any object (here: products, through Product.comments)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    text = models.TextField()
    posted_at = models.DateTimeField(auto_now_add=True)
