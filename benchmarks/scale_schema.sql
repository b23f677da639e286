-- The table of issue #12's benchmark: ten columns (bigint PK, text, unique email, int, numeric(10,2), timestamptz,
-- boolean, text, uuid, FK to a parent) plus its parent. PostgreSQL.
CREATE TABLE parent (
    id    bigint PRIMARY KEY,
    name  text NOT NULL
);

CREATE TABLE item (
    id          bigint PRIMARY KEY,
    title       text NOT NULL,
    email       text NOT NULL UNIQUE,
    quantity    integer NOT NULL,
    price       numeric(10,2) NOT NULL,
    created_at  timestamptz NOT NULL,
    active      boolean NOT NULL,
    note        text,
    token       uuid NOT NULL,
    parent_id   bigint NOT NULL REFERENCES parent (id)
);
