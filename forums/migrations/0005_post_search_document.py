"""Each post's search document is stored beside its text (PostgreSQL: a generated tsvector column
with a GIN index, which replaces the index on the expression; SQLite stores nothing)."""

import django.contrib.postgres.search
from django.db import migrations, models

import forums.models

EXPRESSION_INDEX = ("CREATE INDEX IF NOT EXISTS forums_post_body_fts ON forums_post USING GIN "
                    "(to_tsvector('english'::regconfig, COALESCE(body, ''::text)))")


def index_the_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX IF NOT EXISTS forums_post_search_document ON forums_post "
                          "USING GIN (search_document)")
    schema_editor.execute("DROP INDEX IF EXISTS forums_post_body_fts")


def index_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(EXPRESSION_INDEX)
    schema_editor.execute("DROP INDEX IF EXISTS forums_post_search_document")


class Migration(migrations.Migration):

    dependencies = [
        ('forums', '0004_post_was_published'),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='search_document',
            field=models.GeneratedField(db_persist=True, expression=forums.models.SearchDocument('body'), output_field=django.contrib.postgres.search.SearchVectorField(null=True)),
        ),
        migrations.RunPython(index_the_document, index_the_expression),
    ]
