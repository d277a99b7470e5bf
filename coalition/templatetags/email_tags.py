"""What the HTML part of an email needs beyond Django's tags."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def email_link(url: str) -> SafeString:
    """A URL as a link showing itself (allauth's sentences name the URL in their text),
    left to right inside a right-to-left email (dir isolates it)."""
    return format_html('<a href="{0}" dir="ltr">{0}</a>', url)
