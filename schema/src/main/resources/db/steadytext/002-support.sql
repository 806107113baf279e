--liquibase formatted sql

--changeset steadytext:002-support
-- What SchemaMigrator last installed: a fingerprint of every changelog file and parameter. When it matches, a start
-- skips Liquibase altogether (Liquibase alone takes about a second even when nothing is to be done).
CREATE TABLE ${schema}.steadytext_schema_state (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    fingerprint text NOT NULL,
    version     text NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);

-- One job's state as the waiting functions see it, locally or through the dblink loopback. ord is the position in
-- the list the caller asked about.
CREATE TYPE ${schema}.steadytext_job_state AS (
    ord        int,
    request_id uuid,
    status     text,
    result     text,
    embedding  real[],
    embeddings real[],
    error      text
);
--rollback DROP TYPE ${schema}.steadytext_job_state; DROP TABLE ${schema}.steadytext_schema_state;
