"""Views of the applications app: company profile and members, the application and its
business plan, documents, and the staff and operator pages."""
