"""The announcements' Atom feed is easy to find: every page's footer links to it."""

import re

from django.test import Client


def test_every_page_footer_links_to_the_atom_feed(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    for path in ["/", "/announcements/", "/accounts/login/"]:
        html = client.get(path).content.decode()
        link = re.search(r'<a class="link-secondary" href="([^"]+)" id="footer-feed">([^<]+)</a>',
                         html)
        assert (link[1], link[2]) == ("/announcements/feed/", "공고 Atom 피드")
