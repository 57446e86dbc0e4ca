"""``{% invariant %}``: rendered once per language, refusing anything that could vary more."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

from portal.templatetags import invariant

ENGINE = Engine(libraries={"invariant": "portal.templatetags.invariant"},
                builtins=["django.templatetags.i18n", "django.templatetags.static"])


def compile_(source):
    return ENGINE.from_string("{% load invariant %}" + source)


class Recording(list):
    """A node list that records being rendered (an invariant node's rendering is reused)."""

    def render(self, context):
        self.append(context)
        return "rendered again"


def test_renders_once_per_language_and_reuses_the_rendering():
    template = compile_('{% invariant %}<a href="{% url \'home\' %}">'
                        '{% translate "Announcements" %}</a>{% endinvariant %}')
    with translation.override("ko"):
        korean = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    assert korean == '<a href="/">공고</a>'
    assert english == '<a href="/">Announcements</a>'
    [node] = template.nodelist.get_nodes_by_type(invariant.InvariantNode)
    node.nodelist = calls = Recording()
    with translation.override("ko"):
        assert template.render(Context()) == '<a href="/">공고</a>'
    assert calls == []


def test_a_changed_setting_forgets_every_rendering():
    template = compile_("{% invariant %}{% static 'css/portal.css' %}{% endinvariant %}")
    with override_settings(STATIC_URL="/first/"):
        assert template.render(Context()) == "/first/css/portal.css"
    with override_settings(STATIC_URL="/second/"):
        assert template.render(Context()) == "/second/css/portal.css"


@pytest.mark.parametrize("body, reason", [
    ("{{ user.email }}", "VariableNode"),
    ("{% if user %}x{% endif %}", "IfNode"),
    ("{% translate name %}", "a translation of a variable"),
    ('{% translate "Announcements"|upper %}', "a translation of a variable"),
    ("{% url view_name %}", "a variable URL"),
    ("{% url 'programs:announcement_detail' pk %}", "a variable URL"),
    ("{% url 'home' as home %}", "a variable URL"),
    ("{% static path %}", "a variable static path"),
    ('{% include "results/_nav_item.html" with x=1 %}',
     "an include with a context or a variable name"),
    ("{% include name %}", "an include with a context or a variable name"),
])
def test_anything_that_could_vary_is_refused_when_compiled(body, reason):
    with pytest.raises(TemplateSyntaxError) as error:
        compile_("{% invariant %}" + body + "{% endinvariant %}")
    assert f"holds {reason}:" in str(error.value)


def test_an_included_template_is_checked_when_first_rendered(tmp_path):
    (tmp_path / "varies.html").write_text("{{ user.email }}")
    (tmp_path / "fixed.html").write_text('{% load i18n %}<b>{% translate "Announcements" %}</b>')
    engine = Engine(dirs=[tmp_path], libraries={"invariant": "portal.templatetags.invariant",
                                                "i18n": "django.templatetags.i18n"})
    fixed = engine.from_string('{% load invariant %}{% invariant %}{% include "fixed.html" %}'
                               "{% endinvariant %}")
    with translation.override("en"):
        assert fixed.render(Context()) == "<b>Announcements</b>"
    varies = engine.from_string('{% load invariant %}{% invariant %}{% include "varies.html" %}'
                                "{% endinvariant %}")
    with pytest.raises(TemplateSyntaxError, match="varies.html holds VariableNode"):
        varies.render(Context({"user": {"email": "a@example.kr"}}))


@pytest.mark.django_db
def test_the_site_frame_is_the_same_as_rendered_without_the_tag(client):
    """base.html's invariant parts are what they were: the public menu in both languages."""
    for language, announcements in (("ko", "공고"), ("en", "Announcements")):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
        html = response.content.decode()
        assert f'<a class="nav-link" href="/announcements/">{announcements}</a>' in html
    assert invariant._nodes  # base.html's nodes are registered for forgetting
