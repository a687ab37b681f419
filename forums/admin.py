from django.contrib import admin

from forums.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "space", "slug", "position"]
    list_filter = ["space"]
    prepopulated_fields = {"slug": ["name"]}
    list_editable = ["position"]
