-- A small online shop, in SQLite's dialect: the schema behind the README's first command.
--   seeder load examples/shop.sql --db sqlite:///shop.db --create-schema
-- It exercises what real schemas have: a self-reference (category tree), a composite primary key made of two
-- foreign keys (order_item), UNIQUE and CHECK constraints, a nullable FK cycle (customer <-> address), timestamps.

CREATE TABLE category (
    category_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(50) NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES category (category_id)
);

CREATE TABLE customer (
    customer_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name          VARCHAR(40) NOT NULL,
    last_name           VARCHAR(40) NOT NULL,
    email               VARCHAR(120) NOT NULL UNIQUE,
    phone               VARCHAR(24),
    default_address_id  INTEGER REFERENCES address (address_id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

CREATE TABLE address (
    address_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customer (customer_id),
    street       VARCHAR(100) NOT NULL,
    city         VARCHAR(60) NOT NULL,
    postal_code  VARCHAR(10),
    country      VARCHAR(60) NOT NULL
);

CREATE TABLE product (
    product_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    sku          CHAR(8) NOT NULL UNIQUE,
    name         VARCHAR(80) NOT NULL,
    description  TEXT,
    category_id  INTEGER NOT NULL REFERENCES category (category_id),
    price        NUMERIC(8, 2) NOT NULL CHECK (price > 0),
    stock        INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active       BOOLEAN NOT NULL DEFAULT 1
);

CREATE TABLE "order" (
    order_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customer (customer_id),
    address_id   INTEGER NOT NULL REFERENCES address (address_id),
    status       VARCHAR(12) NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    ordered_at   TIMESTAMP NOT NULL,
    shipped_at   TIMESTAMP,
    CHECK (shipped_at IS NULL OR shipped_at >= ordered_at)
);

CREATE TABLE order_item (
    order_id    INTEGER NOT NULL REFERENCES "order" (order_id),
    product_id  INTEGER NOT NULL REFERENCES product (product_id),
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    unit_price  NUMERIC(8, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE review (
    review_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id   INTEGER NOT NULL REFERENCES product (product_id),
    customer_id  INTEGER NOT NULL REFERENCES customer (customer_id),
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title        VARCHAR(100),
    body         TEXT,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (product_id, customer_id)
);
