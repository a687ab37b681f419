"""What the forums' migrations that build indexes without blocking writes share. The leading
underscore keeps Django's migration loader from taking this module for a migration."""


def build_concurrently(schema_editor, index: str, definition: str) -> None:
    """CREATE INDEX CONCURRENTLY `index` ON `definition`, again from the start if an earlier
    build was interrupted: that leaves an invalid index of the same name behind."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)",
                       [index])
        row = cursor.fetchone()
    if row and row[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {definition}")


# The posts' search documents (migrations 0006 and 0007).
SEARCH_DOCUMENTS = "forums_postsearchdocument"

# The posts' full-text index from migration 0005 until migration 0007 replaced it.
POST_DOCUMENT_INDEX = "forums_post_document_gin"
POST_DOCUMENT_INDEXED = "forums_post USING GIN (forums_post_document(body))"
