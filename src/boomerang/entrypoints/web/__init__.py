"""The web pages, a second client of `services/`, by audience: dashboard/ (merchants), station/ (operators),
portal/ (shoppers) and admin/ (staff); sign-in, sessions, CSRF, templates and static files shared by all."""
