"""Full-text search indexes on PostgreSQL; SQLite searches without them."""

from django.db import migrations

INDEXES = {
    "forums_post_body_fts": ("forums_post", "body"),
    "forums_thread_title_fts": ("forums_thread", "title"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        # The expression matches what django.contrib.postgres's SearchVector(column,
        # config="english") generates, so the planner can use the index.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN "
            f"(to_tsvector('english'::regconfig, COALESCE({column}, ''::text)))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
