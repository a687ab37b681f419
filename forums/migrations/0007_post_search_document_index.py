"""The posts that were there before migration 0006 get their search documents, and the
full-text index moves from the posts' texts onto the documents (PostgreSQL only).

With 0006, this took 1 minute 35 seconds for a million posts on a 2-core server, most of it
making the documents; the index is built without blocking posting (CONCURRENTLY, so this
migration runs outside a transaction), and posts written meanwhile get their documents from
0006's triggers. The posts are filled in a batch at a time, each batch its own short
transaction: an edit of a post in the batch being filled waits for that batch only (about a
second), not for the whole fill-in.
Every step can be run again, and an interrupted migration goes on from where it stopped.
"""

from django.db import migrations

from forums.migrations._indexes import (
    POST_DOCUMENT_INDEX,
    POST_DOCUMENT_INDEXED,
    SEARCH_DOCUMENTS,
    build_concurrently,
)

INDEX = "forums_postsearchdocument_gin"
POSTS_PER_BATCH = 10_000

# Posts that have a document already (from the trigger, or a run that was interrupted) are
# left alone: a post edited meanwhile has its new document, which the older text read here
# must not overwrite. FOR KEY SHARE: a post deleted while its batch is filled in would fail the
# batch's foreign key check; its delete waits for the batch instead.
FILL_IN = f"""
INSERT INTO {SEARCH_DOCUMENTS} (post_id, document)
SELECT id, forums_post_document(body) FROM forums_post
WHERE id >= %s AND id < %s
  AND NOT EXISTS (SELECT 1 FROM {SEARCH_DOCUMENTS} WHERE post_id = forums_post.id)
FOR KEY SHARE OF forums_post
ON CONFLICT (post_id) DO NOTHING
"""


def fill_in(schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM forums_post")
        last = cursor.fetchone()[0]
    for first in range(0, last + 1, POSTS_PER_BATCH):
        schema_editor.execute(FILL_IN, [first, first + POSTS_PER_BATCH])


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    fill_in(schema_editor)
    build_concurrently(schema_editor, INDEX, f"{SEARCH_DOCUMENTS} USING GIN (document)")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {POST_DOCUMENT_INDEX}")
    schema_editor.execute(f"ANALYZE {SEARCH_DOCUMENTS}")


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
