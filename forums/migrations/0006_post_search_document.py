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
document with its post. This migration is one short transaction; 0007 fills in the posts that
were there before and moves the full-text index onto the documents.
"""

import django.contrib.postgres.search
from django.db import migrations, models

from forums.migrations._indexes import SEARCH_DOCUMENTS as TABLE

KEEP_DOCUMENTS = f"""
ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_post_fk
    FOREIGN KEY (post_id) REFERENCES forums_post (id) ON DELETE CASCADE;

CREATE OR REPLACE FUNCTION forums_post_search_document_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- An update, should the post already have one: 0007 may have filled it in meanwhile.
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

STOP_KEEPING = """
DROP TRIGGER IF EXISTS forums_post_search_document_on_edit ON forums_post;
DROP TRIGGER IF EXISTS forums_post_search_document_on_create ON forums_post;
DROP FUNCTION IF EXISTS forums_post_search_document_write();
"""


def keep_documents(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(KEEP_DOCUMENTS)


def stop_keeping(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STOP_KEEPING)


class Migration(migrations.Migration):
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
        migrations.RunPython(keep_documents, stop_keeping),
    ]
