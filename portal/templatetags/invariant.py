"""``{% invariant %}…{% endinvariant %}``: a part of a template that nothing but the release
and the reader's language decides — fixed text, ``{% translate "…" %}``, ``{% url 'name' %}``
and ``{% static '…' %}`` with constant arguments, includes of such templates — rendered once
per language and URL prefix in each process, then reused.

It is not a cache of what a page shows: no row, no user and no time goes in (the tag refuses a
variable, a filter or any other tag when the template is compiled, and an included template
the first time it is rendered), so there is nothing to invalidate; a release restarts the
workers, and a changed setting (``override_settings`` in tests) forgets every rendering. The
site's frame (the head's assets, the public menu, the footer) was about 2 ms of every page
— four times the whole benchmark floor — spent reversing the same URLs, looking up the same
static files in the manifest and translating the same strings (cProfile of ``base.html``).
"""

import weakref

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, TextNode, Variable
from django.template.defaulttags import LoadNode
from django.template.loader_tags import IncludeNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()
_nodes = weakref.WeakSet()  # every InvariantNode alive, to forget on a changed setting


def _constant(expression) -> bool:
    if not isinstance(expression, FilterExpression) or expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.lookups is None)


def _refusal(node) -> str | None:
    """Why ``node`` could vary with more than the language, or None when it cannot."""
    if isinstance(node, (TextNode, LoadNode)):
        return None
    if isinstance(node, TranslateNode):
        if node.asvar or not _constant(node.filter_expression) or (
                node.message_context is not None and not _constant(node.message_context)):
            return "a translation of a variable"
        return None
    if isinstance(node, StaticNode):
        return None if _constant(node.path) and not node.varname else "a variable static path"
    if type(node).__name__ == "URLNode":  # django.template.defaulttags.URLNode
        arguments = [node.view_name, *node.args, *node.kwargs.values()]
        return None if not node.asvar and all(map(_constant, arguments)) else "a variable URL"
    if isinstance(node, IncludeNode):
        if node.extra_context or node.isolated_context or not _constant(node.template):
            return "an include with a context or a variable name"
        return None
    return f"{type(node).__name__}"


def _check(nodelist, where: str):
    for node in nodelist:
        reason = _refusal(node)
        if reason:
            raise template.TemplateSyntaxError(
                f"{{% invariant %}} in {where} holds {reason}: only text, translations, URLs, "
                "static files and includes with constant arguments are invariant")


class InvariantNode(template.Node):
    def __init__(self, nodelist, where):
        self.nodelist, self.where = nodelist, where
        self.rendered = {}
        _nodes.add(self)

    def render(self, context):
        key = (get_language(), get_script_prefix())
        html = self.rendered.get(key)
        if html is None:
            for node in self.nodelist:
                if isinstance(node, IncludeNode):
                    included = context.template.engine.get_template(node.template.resolve(context))
                    _check(included.nodelist, included.origin.template_name)
            html = self.rendered[key] = mark_safe(self.nodelist.render(context))
        return html


@register.tag
def invariant(parser, token):
    nodelist = parser.parse(("endinvariant",))
    parser.delete_first_token()
    where = parser.origin.template_name if parser.origin else "a template"
    _check(nodelist, where)
    return InvariantNode(nodelist, where)


def _forget(**kwargs):
    for node in list(_nodes):
        node.rendered.clear()


setting_changed.connect(_forget, dispatch_uid="portal.invariant")
