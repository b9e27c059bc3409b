"""The production gateway's nginx configuration (nginx.conf, templates/) and its renderer."""
