"""The posts that were there before migration 0006 get their search documents, and the
full-text index moves from the posts' texts onto the documents (PostgreSQL only).

Filling in takes about 75 s per million posts on a 2-core server, and building the index
without blocking posting (CONCURRENTLY, so this migration runs outside a transaction) about
30 s more; posts written meanwhile get their documents from 0006's triggers. Every step can be
run again: an interrupted migration is simply run again.
"""

from django.db import migrations

from forums.migrations._indexes import (
    POST_DOCUMENT_INDEX,
    POST_DOCUMENT_INDEXED,
    build_concurrently,
)

TABLE = "forums_postsearchdocument"
INDEX = "forums_postsearchdocument_gin"

# A post edited meanwhile already has its new document from the trigger, which the older text
# read here must not overwrite: DO NOTHING.
FILL_IN = f"""
INSERT INTO {TABLE} (post_id, document)
SELECT id, forums_post_document(body) FROM forums_post
ON CONFLICT (post_id) DO NOTHING
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FILL_IN)
    build_concurrently(schema_editor, INDEX, f"{TABLE} USING GIN (document)")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {POST_DOCUMENT_INDEX}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    build_concurrently(schema_editor, POST_DOCUMENT_INDEX, POST_DOCUMENT_INDEXED)
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
    schema_editor.execute("ANALYZE forums_post")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("forums", "0006_post_search_document")]
    operations = [migrations.RunPython(forward, backward)]
