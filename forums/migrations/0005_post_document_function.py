"""A post's search document through a function priced at what it costs (PostgreSQL only).

Making a post's search document (`to_tsvector`) costs about a thousand times an ordinary
comparison, but PostgreSQL prices it at a hundred. For a word in about 1% of a million posts it
then chose to test posts one by one from the newest until it had the 1,000 a search ranks (5 to
7 s) over the full-text index (0.2 s). Wrapped in a function of its own, priced at its cost, and
indexed on that function, the same plans are weighed at their true price (docs/performance.md,
change 27). The function is PL/pgSQL because PostgreSQL would inline an SQL one, and with it its
price.

The index is built without blocking posting (CONCURRENTLY, so this migration runs outside a
transaction): about 2 minutes per million posts on a small server.

Its name differs from the stored search document's migration that change 25 tried and took out
again (`0005_post_search_document`), so that a database migrated by that code is never taken
for one migrated by this.
"""

from django.db import migrations

from forums.migrations._indexes import (
    POST_DOCUMENT_INDEX,
    POST_DOCUMENT_INDEXED,
    build_concurrently,
)

DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION forums_post_document(body text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
BEGIN
    RETURN pg_catalog.to_tsvector('pg_catalog.english'::pg_catalog.regconfig, COALESCE(body, ''));
END
$$
"""
OLD_INDEX = "forums_post_body_fts"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DOCUMENT_FUNCTION)
    build_concurrently(schema_editor, POST_DOCUMENT_INDEX, POST_DOCUMENT_INDEXED)
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_INDEX}")
    # The new expression has no statistics until the table is analyzed, and without them the
    # planner guesses that every word is in 1 post of 200: a common word's search then read
    # its hundreds of thousands of posts through the index (25 s on a million posts).
    schema_editor.execute("ANALYZE forums_post")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    build_concurrently(schema_editor, OLD_INDEX, "forums_post USING GIN "
                       "(to_tsvector('english'::regconfig, COALESCE(body, ''::text)))")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {POST_DOCUMENT_INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS forums_post_document(text)")
    schema_editor.execute("ANALYZE forums_post")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("forums", "0004_post_was_published")]
    operations = [migrations.RunPython(forward, backward)]
