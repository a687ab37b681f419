"""Posts' search documents, stored in a table of their own and kept by the database (PostgreSQL
only; SQLite searches without them, and its table stays empty).

Since migration 0005 a search made each post's document from its text whenever it tested one:
for a word in 2% to 14% of the posts PostgreSQL tested them one by one from the newest, 0.6 to
2.4 s on a million posts, where reading a stored document costs a few microseconds
(docs/performance.md, changes 31 and 32). The documents live beside the posts, not in them, so
that the posts table is not rewritten under a lock and a search that walks reads narrow rows.

Two triggers write a post's document when it is created and whenever its text changes (an
edit, a moderator's edit, erasure's blanking), through 0005's `forums_post_document`, so the
documents cannot fall behind the texts whichever code writes them; the foreign key deletes a
document with its post. The migration then fills in the existing posts (about 75 s per million
on a small server; posts written meanwhile get theirs from the triggers), builds the index
without blocking posting (about 30 s per million), drops 0005's index on the texts and analyzes.
"""

import django.contrib.postgres.search
from django.db import migrations, models

from forums.migrations._indexes import (
    POST_DOCUMENT_INDEX,
    POST_DOCUMENT_INDEXED,
    build_concurrently,
)

TABLE = "forums_postsearchdocument"
INDEX = "forums_postsearchdocument_gin"

KEEP_DOCUMENTS = f"""
ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_post_fk
    FOREIGN KEY (post_id) REFERENCES forums_post (id) ON DELETE CASCADE;

CREATE OR REPLACE FUNCTION forums_post_search_document_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (post_id, document) VALUES (NEW.id, forums_post_document(NEW.body))
    ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;

CREATE TRIGGER forums_post_search_document_on_create AFTER INSERT ON forums_post
    FOR EACH ROW EXECUTE FUNCTION forums_post_search_document_write();

CREATE TRIGGER forums_post_search_document_on_edit AFTER UPDATE OF body ON forums_post
    FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION forums_post_search_document_write();
"""

FILL_IN = f"""
INSERT INTO {TABLE} (post_id, document)
SELECT id, forums_post_document(body) FROM forums_post
ON CONFLICT (post_id) DO NOTHING
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(KEEP_DOCUMENTS)
    # A post edited while this runs already has its new document from the trigger, which the
    # older text read here must not overwrite: DO NOTHING.
    schema_editor.execute(FILL_IN)
    build_concurrently(schema_editor, INDEX, f"{TABLE} USING GIN (document)")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {POST_DOCUMENT_INDEX}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    build_concurrently(schema_editor, POST_DOCUMENT_INDEX, POST_DOCUMENT_INDEXED)
    schema_editor.execute("DROP TRIGGER IF EXISTS forums_post_search_document_on_edit "
                          "ON forums_post")
    schema_editor.execute("DROP TRIGGER IF EXISTS forums_post_search_document_on_create "
                          "ON forums_post")
    schema_editor.execute("DROP FUNCTION IF EXISTS forums_post_search_document_write()")
    schema_editor.execute("ANALYZE forums_post")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("forums", "0005_post_document_function")]
    operations = [
        migrations.CreateModel(
            name="PostSearchDocument",
            fields=[
                ("post", models.OneToOneField(
                    db_constraint=False, on_delete=models.DO_NOTHING, primary_key=True,
                    related_name="search_document", serialize=False, to="forums.post")),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
